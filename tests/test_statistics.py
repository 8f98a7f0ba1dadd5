"""Intervals, by hand-computed values (t(0.975, 2) = 4.303)."""
import math

import pytest

from compare.measuring.statistics import (
                                          paired_difference,
                                          paired_ratio,
                                          summarize,
                                          t_quantile,
                                          verdict,
                                          welch_difference,
                                          )


def test_three_samples_give_the_student_t_interval():
    interval = summarize([1.0, 2.0, 3.0])
    half = 4.303 * 1.0 / math.sqrt(3)
    assert (interval.n, interval.mean, interval.sd) == (3, 2.0, 1.0)
    assert interval.low == pytest.approx(2.0 - half) and interval.high == pytest.approx(2.0 + half)


def test_one_sample_has_no_interval_and_says_so():
    interval = summarize([5.0])
    assert (interval.low, interval.high) == (None, None)
    assert verdict(interval) == "one sample: no interval"


def test_paired_difference_removes_what_the_pairs_share():
    """Seeds move both implementations alike: pairing sees the constant +1 that unpaired spread would hide."""
    reference = [70.0, 80.0, 90.0]
    difference = paired_difference([71.0, 81.0, 91.0], reference)
    assert (difference.mean, difference.sd, difference.low, difference.high) == (1.0, 0.0, 1.0, 1.0)
    assert verdict(difference) == "higher"
    assert verdict(paired_difference([70.5, 79.5, 90.0], reference)) == "no detectable difference"


def test_paired_ratio_is_a_geometric_mean_with_its_interval():
    ratio = paired_ratio([200.0, 220.0, 180.0], [100.0, 110.0, 90.0])
    assert ratio.mean == pytest.approx(2.0) and ratio.low == pytest.approx(2.0) and ratio.high == pytest.approx(2.0)


def test_welch_interval_of_two_independent_samples():
    interval = welch_difference([11.0, 12.0, 13.0], [1.0, 2.0, 3.0])
    assert interval.mean == 10.0 and interval.low > 0
    assert welch_difference([1.0, 2.0, 3.0], [1.5, 2.5, 3.5]).contains(0.0)


def test_t_quantiles_fall_towards_the_normal():
    assert t_quantile(1) == 12.706 and t_quantile(30) == 2.042 and t_quantile(500) == 1.96
