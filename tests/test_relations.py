"""check's measured relations on arrays built by hand: each relation is found where it holds, named by the number
it equals, and never found in noise; the where-it-sits description; the order the computation runs."""
import numpy as np
import pytest

from compare.checking.relations import Numbers, relation, where_it_sits
from compare.reporting.check_tables import where_it_differs
from compare.results.measures import QuantityComparison, in_computation_order

RNG = np.random.default_rng(7)
REFERENCE = RNG.normal(size=(8, 3, 6, 6))  # (N, C, H, W), like a conv layer's output
BIAS = RNG.normal(size=3)
NUMBERS = Numbers((("the batch size (64)", 64.0), ("the learning rate (0.2)", 0.2)), {"conv1.bias": BIAS})


@pytest.mark.parametrize("actual, words", [
    (64 * REFERENCE, "(the batch size (64))"),
    (REFERENCE / 64, "(1 / the batch size (64))"),
    (0.2 * REFERENCE, "(the learning rate (0.2))"),
    (2 * REFERENCE, "(2)"),
    (-REFERENCE, "opposite sign"),
    (np.maximum(REFERENCE, 0), "relu of"),
    (np.abs(REFERENCE), "absolute value"),
    (REFERENCE + 0.5, "plus a constant 0.5"),
    (REFERENCE - BIAS.reshape(1, -1, 1, 1), "conv1.bias is left out"),
    (REFERENCE + BIAS.reshape(1, -1, 1, 1), "conv1.bias is added twice"),
    (np.flip(REFERENCE, 2), "flipped along axis 2, its rows (height)"),
    (REFERENCE.transpose(0, 1, 3, 2), "axes permuted to (0, 1, 3, 2)"),
    (REFERENCE[:, :, 1:5, 1:5], "a crop of the reference's 6x6 grid (4x4, offset 1 rows, 1 columns)"),
    (np.broadcast_to(REFERENCE.max(axis=(0, 1), keepdims=True), REFERENCE.shape),
     "largest value over axes 0 and 1 (24 values)"),
    (np.broadcast_to(REFERENCE.mean(axis=3, keepdims=True), REFERENCE.shape), "mean over axis 3 (6 values)"),
    ((REFERENCE > 0.25).astype(float), "takes two values only, 0 and 1, split where the reference's passes a "
                                       "threshold between"),
])
def test_a_relation_that_holds_is_found_and_named(actual, words):
    assert words in relation(actual, REFERENCE, NUMBERS)


def test_two_values_not_split_by_one_threshold_and_a_two_valued_reference_are_not_binarised():
    from compare.checking.relations import threshold_relation

    split_twice = (np.abs(REFERENCE) > 0.5).astype(float)  # |x| > c: two thresholds, no one comparison of x
    assert threshold_relation(split_twice, REFERENCE) == ""
    few = np.array([0.1, 0.4, 0.9, 1.3])  # four values fall either side of some cut by chance
    assert threshold_relation((few > 0.5).astype(float), few) == ""
    signs = np.sign(REFERENCE)
    assert threshold_relation((signs > 0).astype(float), signs) == ""  # the reference two-valued already


def test_a_shift_of_the_grid_is_found():
    shifted = np.roll(REFERENCE, 1, axis=3)  # the border column wraps: only the overlap is compared
    assert "shifted by 0 rows and 1 columns" in relation(shifted, REFERENCE, NUMBERS)


def test_noise_has_no_relation_and_is_described_by_where_it_sits():
    noisy = REFERENCE + 1e-3 * RNG.normal(size=REFERENCE.shape)
    assert relation(noisy, REFERENCE, NUMBERS) == ""
    apart = int(np.count_nonzero(np.abs(noisy - REFERENCE) > 1e-6))
    words = where_it_sits(noisy, REFERENCE, allowed=1e-6)
    assert words.startswith(f"{apart:,} of {REFERENCE.size:,} values differ, by up to")


def test_where_it_sits_names_a_channel_a_border_and_a_sign():
    one_channel = REFERENCE.copy()
    one_channel[:, 1] += 0.01 * RNG.normal(size=one_channel[:, 1].shape)
    assert "only in channel 1" in where_it_sits(one_channel, REFERENCE, allowed=1e-6)
    border = REFERENCE.copy()
    border[:, :, 0, :] += 0.5
    assert "only on the border of the spatial grid" in where_it_sits(border, REFERENCE, allowed=1e-6)
    negatives = np.where(REFERENCE < 0, REFERENCE * 0.5, REFERENCE) + 1e-3 * (REFERENCE < 0)
    assert "only where the reference is negative" in where_it_sits(negatives, REFERENCE, allowed=1e-6)


def _row(quantity: str, passed: bool = False, cause: str = "") -> QuantityComparison:
    return QuantityComparison("mine", quantity, 1.0, 1.0, None, passed, cause=cause)


def test_the_computation_order_runs_layers_forward_and_gradients_backwards():
    rows = [_row("logits"), _row("layer conv1"), _row("gradient conv1.weight"), _row("gradient fc2.bias"),
            _row("weights fc1.weight"), _row("optimizer fc1.weight:momentum"), _row("state bn1.running_mean"),
            _row("loss"), _row("layer fc2")]
    assert [row.quantity for row in in_computation_order(rows)] == [
        "layer conv1", "layer fc2", "logits", "loss", "gradient fc2.bias", "gradient conv1.weight",
        "optimizer fc1.weight:momentum", "weights fc1.weight", "state bn1.running_mean"]


def test_a_verdict_where_only_the_rules_state_fails_is_never_empty():
    """The empty explanation of issue 34: only optimizer rows failed, and nothing named them."""
    rows = [_row("gradient fc1.weight", passed=True), _row("optimizer fc1.weight:momentum")]
    words = where_it_differs(rows, steps=10)
    assert "first optimizer state difference after 10 steps: fc1.weight:momentum" in words


def test_the_cause_of_the_first_difference_leads_and_what_follows_is_said_to_follow():
    rows = [_row("layer pool1", cause="pool1 computes average pooling"), _row("gradient conv1.weight"),
            _row("weights conv1.weight")]
    words = where_it_differs(rows, steps=10)
    assert words.startswith("pool1 computes average pooling")
    assert words.endswith("the later differences (gradient, weights) follow from it")


def test_a_learners_near_zero_array_is_no_constant_factor_of_the_reference():
    """Its difference is the reference's whole size, so any tiny factor leaves a hundredth of it: the factor must
    reproduce the learner's own values too (a step divided by |g| + 0.999, not by a constant)."""
    ragged = 1e-5 * REFERENCE * RNG.uniform(0.2, 1.8, size=REFERENCE.shape)
    assert "x the reference's" not in relation(ragged, REFERENCE, NUMBERS)
    assert "is 1e-05x the reference's" in relation(1e-5 * REFERENCE, REFERENCE, NUMBERS)


def test_a_tiny_array_of_its_own_is_neither_zero_nor_a_function_of_the_reference():
    """A move of -delta (about 1e-6) where the reference's is about 0.1: a hundredth of the difference is 1e-3,
    which a softmax over 6 columns (about 0.17) misses but over many columns (about 1e-3 each) would not; it must
    reproduce the learner's own values, and only a zero to rounding is 'zero'."""
    wide = RNG.normal(0, 0.05, size=(10, 784))
    tiny = -1e-6 * RNG.uniform(0, 3, size=wide.shape)
    words = relation(tiny, wide, NUMBERS)
    assert "softmax" not in words and "is zero" not in words
    assert "is zero where the reference's is not" in relation(np.zeros_like(wide), wide, NUMBERS)
    assert "is zero" in relation(1e-10 * wide, wide, NUMBERS)  # below float32's rounding of the reference: zero


def test_a_layer_outputs_axes_are_said_by_what_they_hold():
    from compare.checking.diagnosis import _axes_named

    pooled = relation(np.broadcast_to(REFERENCE.max(axis=(0, 1), keepdims=True), REFERENCE.shape), REFERENCE, NUMBERS)
    assert "over axes 0 [the examples] and 1 [the channels]" in _axes_named(pooled, 4)
    assert _axes_named("is the reference's mean over axis 1 (4 values)", 2).count("[the features]") == 1
    assert _axes_named(pooled, 3) == pooled  # no layout known: left as measured
