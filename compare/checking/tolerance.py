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

Under `--precision bf16` the reference runs in bf16 (MXNet's AMP) and is measured against its float64 twin the
same way: its own distance is then what bf16 rounding (unit roundoff 2^-8 against float32's 2^-24) does to each
quantity, and the same factor applies. The floor is in the ulps of what the quantity is stored in: bf16's for the
outputs of layers and the logits (bf16 operators' outputs), float32's for the loss, gradients, weights and state,
which AMP keeps in float32 (bf16's rounding reaches them through the noise measured). A floor of 4 bf16 ulps
there would let a weight be off by half its size after 16x, and a half-size update pass.
"""
import math
from dataclasses import dataclass

import numpy as np

from compare.measuring.precision import FLOAT32, UNIT_ROUNDOFF
from compare.results.measures import QuantityComparison

NOISE_FACTOR = 16.0  # how many times the reference's own rounding error a correct formulation may show
FLOOR_ULPS = 4.0  # ...and at least this many ulps (of the precision checked) of the quantity's largest value
FLOAT32_EPS = float(np.finfo(np.float32).eps)  # 2 x float32's unit roundoff: one ulp at 1
HELD_TO = (f"{NOISE_FACTOR:g}x the float32 reference's own distance from float64, at least {FLOOR_ULPS:g} ulps of "
           "the quantity's largest value")


def held_to(precision: str) -> str:
    """What every row is held to, in words, for a check in `precision`."""
    if precision == FLOAT32:
        return HELD_TO
    return (f"{NOISE_FACTOR:g}x the {precision} reference's own distance from float64, at least {FLOOR_ULPS:g} ulps "
            f"of the quantity's largest value ({precision}'s for layers and logits, float32's for the loss, gradients "
            "and weights, which stay float32)")


STORED_IN_PRECISION = ("logits", "layer", "evaluation")  # outputs of the operators AMP runs in bf16; the rest stays float32


def floor_unit(kind: str, unit: float) -> float:
    """The unit roundoff of the floor of a quantity of `kind` checked in the precision of unit roundoff `unit`."""
    return unit if kind in STORED_IN_PRECISION else UNIT_ROUNDOFF[FLOAT32]


def own_noise(float32: np.ndarray, float64: np.ndarray) -> float:
    """max |float32 - float64| of one formulation's quantity, where both are finite (0 where neither is)."""
    finite = np.isfinite(float32) & np.isfinite(float64)
    if float32.shape != float64.shape or not finite.any():
        return 0.0
    return float(np.abs(float32[finite].astype(np.float64) - float64[finite].astype(np.float64)).max())


@dataclass(frozen=True)
class Noise:
    """A reference's own rounding of one quantity: its distance from float64 (`own_noise`), in a precision of unit
    roundoff `unit` (float32's, or bf16's under --precision bf16: the unit of the floor)."""

    distance: float
    unit: float = UNIT_ROUNDOFF[FLOAT32]


def allowed_error(noise: Noise, float64: np.ndarray) -> float:
    """The distance from float64 an implementation may show: NOISE_FACTOR x max(the noise, the floor), the floor in
    ulps (2 x the unit roundoff of the precision checked) of the quantity's largest value."""
    scale = float(np.abs(float64[np.isfinite(float64)]).max(initial=0.0))
    return NOISE_FACTOR * max(noise.distance, FLOOR_ULPS * 2 * noise.unit * scale, np.finfo(np.float64).tiny)


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
          noise: Noise) -> QuantityComparison:
    """`actual` against the reference's values as run (`float32`: in bf16 under --precision bf16, handed on in
    float32) and in float64: the difference from the reference as run (0: bit-identical), and the verdict from the
    distance to float64 against the reference's own `noise`."""
    problem = problem_with(actual, float32)
    allowed = allowed_error(noise, float64)
    if problem:
        return QuantityComparison(implementation, quantity, math.inf, math.inf, None, False, problem,
                                  error=math.inf, allowed=allowed, noise=noise.distance)
    difference = np.abs(actual.astype(np.float64) - float32.astype(np.float64))
    relative = difference / np.maximum(np.abs(float32.astype(np.float64)), 1e-30)
    error = float(np.abs(actual.astype(np.float64) - float64.astype(np.float64)).max(initial=0.0))
    return QuantityComparison(implementation, quantity, float(difference.max(initial=0.0)),
                              float(relative.max(initial=0.0)), None, error <= allowed,
                              error=error, allowed=allowed, noise=noise.distance)
