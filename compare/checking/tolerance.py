"""check's precision: each quantity judged against float32's own noise, not a fixed tolerance.

The chapter's hand-written formulations (`scratch`, and the chapter's own code, `tutorial`) are each measured
twice, in float32 and in float64 (MXNet's CPU operators take both). A float32 run's distance from its float64
twin is what float32 rounding does to that quantity in that formulation — it grows with the quantity's size and
conditioning (a sum of thousands of terms, a near-zero loss, a gradient that cancels, batch statistics written
out by hand) and over the steps. The noise of a quantity is the largest of these distances; an implementation
passes it when its own distance from the reference's float64 values is within NOISE_FACTOR times that noise, or
FLOOR_ULPS ulps of the quantity's scale where the noise happens to be smaller. Measured on correct formulations
(nd.dot or FullyConnected, fused or stable hand-written losses, nd.BatchNorm or mean/var, other update
roundings) over seeds 0-7 the ratio stays near 1; the classic mistakes sit at 10^4 and beyond.
"""
import math

import numpy as np

from compare.results.measures import QuantityComparison

NOISE_FACTOR = 16.0  # how many times float32's own error a correct float32 formulation may show
FLOOR_ULPS = 4.0  # ...and at least this many float32 ulps of the quantity's largest value
FLOAT32_EPS = float(np.finfo(np.float32).eps)
HELD_TO = (f"{NOISE_FACTOR:g}x the float32 reference's own distance from float64, at least {FLOOR_ULPS:g} ulps of "
           "the quantity's largest value")


def own_noise(float32: np.ndarray, float64: np.ndarray) -> float:
    """max |float32 - float64| of one formulation's quantity, where both are finite (0 where neither is)."""
    finite = np.isfinite(float32) & np.isfinite(float64)
    if float32.shape != float64.shape or not finite.any():
        return 0.0
    return float(np.abs(float32[finite].astype(np.float64) - float64[finite].astype(np.float64)).max())


def allowed_error(noise: float, float64: np.ndarray) -> float:
    """The distance from float64 a float32 implementation may show: NOISE_FACTOR x max(noise, the floor)."""
    scale = float(np.abs(float64[np.isfinite(float64)]).max(initial=0.0))
    return NOISE_FACTOR * max(noise, FLOOR_ULPS * FLOAT32_EPS * scale, np.finfo(np.float64).tiny)


def problem_with(actual: np.ndarray, expected: np.ndarray) -> str:
    """Why `actual` cannot be compared with `expected` at all ('' when it can): shape, dtype, inf/NaN."""
    if actual.shape != expected.shape:
        return f"shape {actual.shape}, expected {expected.shape}"
    if actual.dtype != expected.dtype:  # float64 logits agree in value, then fail in a float32 loss
        return f"dtype {actual.dtype}, expected {expected.dtype}"
    if not np.isfinite(actual).all() and np.isfinite(expected).all():
        return "inf/NaN where the reference is finite"
    return ""


def judge(implementation: str, quantity: str, actual: np.ndarray, float32: np.ndarray, float64: np.ndarray,
          noise: float) -> QuantityComparison:
    """`actual` against the reference's float32 and float64 values: the difference from the float32 reference
    (0: bit-identical) as before, and the verdict from the distance to float64 against float32's `noise`."""
    problem = problem_with(actual, float32)
    allowed = allowed_error(noise, float64)
    if problem:
        return QuantityComparison(implementation, quantity, math.inf, math.inf, None, False, problem,
                                  error=math.inf, allowed=allowed, noise=noise)
    difference = np.abs(actual.astype(np.float64) - float32.astype(np.float64))
    relative = difference / np.maximum(np.abs(float32.astype(np.float64)), 1e-30)
    error = float(np.abs(actual.astype(np.float64) - float64.astype(np.float64)).max(initial=0.0))
    return QuantityComparison(implementation, quantity, float(difference.max(initial=0.0)),
                              float(relative.max(initial=0.0)), None, error <= allowed,
                              error=error, allowed=allowed, noise=noise)
