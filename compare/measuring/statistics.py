"""How sure a figure is: mean, standard deviation and a 95 % Student-t confidence interval, plain or paired.

Method: for n samples, mean ± t(0.975, n-1) · sd / √n (sd with n-1). A paired difference (by seed, or by
repeat) is the same interval over the per-pair differences; ratios are taken on the log scale (geometric
mean ratio, interval exponentiated). One sample has no interval. No scipy: t quantiles are tabulated.
"""
import math
from dataclasses import dataclass
from typing import Optional, Sequence

# t(0.975, df) for df = 1..30; beyond, the normal 1.96 is within 2 %.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
         2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
         2.045, 2.042)
METHOD = "95 % Student-t interval: mean ± t(0.975, n-1)·sd/√n"


def t_quantile(degrees_of_freedom: int) -> float:
    """t(0.975) for the given degrees of freedom (≥ 1)."""
    return _T975[degrees_of_freedom - 1] if degrees_of_freedom <= len(_T975) else 1.96


@dataclass(frozen=True)
class Interval:
    """A mean with its spread: n samples, sd (0 for one), and the 95 % interval (None for one sample)."""

    n: int
    mean: float
    sd: float
    low: Optional[float]
    high: Optional[float]

    def contains(self, value: float) -> bool:
        return self.low is not None and self.high is not None and self.low <= value <= self.high


def summarize(values: Sequence[float]) -> Interval:
    """Mean, sd and 95 % t-interval of `values` (at least one)."""
    n = len(values)
    mean = sum(values) / n
    if n == 1:
        return Interval(1, mean, 0.0, None, None)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return Interval(n, mean, sd, mean - half, mean + half)


def paired_difference(values: Sequence[float], reference: Sequence[float]) -> Interval:
    """The interval of values[i] - reference[i], pair by pair."""
    return summarize([value - base for value, base in zip(values, reference)])


def paired_ratio(values: Sequence[float], reference: Sequence[float]) -> Interval:
    """Geometric mean of values[i] / reference[i] with its interval (t on the logs, exponentiated)."""
    logs = summarize([math.log(value / base) for value, base in zip(values, reference)])
    exp = math.exp
    return Interval(logs.n, exp(logs.mean), logs.sd, None if logs.low is None else exp(logs.low),
                    None if logs.high is None else exp(logs.high))


def verdict(difference: Interval, zero: float = 0.0) -> str:
    """Plain words for a paired interval: is `zero` (no difference) inside it?"""
    if difference.low is None:
        return "one sample: no interval"
    if difference.contains(zero):
        return "no detectable difference"
    return "higher" if difference.mean > zero else "lower"


def welch_difference(new: Sequence[float], old: Sequence[float]) -> Interval:
    """Interval of mean(new) - mean(old) for two independent samples (Welch; df by Welch–Satterthwaite)."""
    a, b = summarize(new), summarize(old)
    mean = a.mean - b.mean
    if a.n < 2 or b.n < 2:
        return Interval(min(a.n, b.n), mean, 0.0, None, None)
    va, vb = a.sd ** 2 / a.n, b.sd ** 2 / b.n
    se = math.sqrt(va + vb)
    if se == 0:
        return Interval(a.n + b.n, mean, 0.0, mean, mean)
    df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1))
    half = t_quantile(max(1, int(df))) * se
    return Interval(a.n + b.n, mean, se, mean - half, mean + half)
