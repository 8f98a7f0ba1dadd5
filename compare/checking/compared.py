"""Each quantity of an implementation against a reference's: the references measured as run (float32, or bf16) and
in float64 (a hand-written built-in takes a dtype) with their own noise per quantity, one row per quantity judged by that
noise (or by the kind's fixed tolerance where there is no float64 twin: data parallel, against itself), and a
built-in's own known difference carried into what is computed after it."""
import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from compare.checking.probe import CheckJob, after_step, measure
from compare.checking.tolerance import Noise, floor_unit, judge, own_noise
from compare.devices.topology import Topology
from compare.loading import Implementation
from compare.measuring.precision import BF16, FLOAT32, UNIT_ROUNDOFF
from compare.results.measures import (
    COMPUTATION_ORDER,
    TRAJECTORY_KINDS,
    QuantityComparison,
    Tolerance,
    following_kinds,
    quantity_kind,
)

TOLERANCES = {
    "logits": Tolerance(rtol=1e-5, atol=1e-6),
    "loss": Tolerance(rtol=1e-5, atol=1e-6),
    "layer": Tolerance(rtol=1e-5, atol=1e-6),
    "gradient": Tolerance(rtol=1e-4, atol=1e-5),
    "weights": Tolerance(rtol=1e-4, atol=1e-6),  # after several steps float32 rounding compounds
    "optimizer": Tolerance(rtol=1e-4, atol=1e-6),  # the update rule's state (fc1.weight:momentum) after the steps
    "state": Tolerance(rtol=1e-4, atol=1e-6),  # batch norm's moving averages after the steps
    "evaluation": Tolerance(rtol=1e-5, atol=1e-6),  # batch norm's output in evaluation, at the initial weights
}
QUANTITY_KINDS = tuple(TOLERANCES)  # the order a report lists them in


def compare_arrays(implementation: str, quantity: str, actual: np.ndarray, expected: np.ndarray,
                   tolerance: Tolerance) -> QuantityComparison:
    """Max absolute and relative difference and the allclose verdict (another shape or dtype fails)."""
    problem = ""
    if actual.shape != expected.shape:
        problem = f"shape {actual.shape}, expected {expected.shape}"
    elif actual.dtype != expected.dtype:  # float64 logits agree in value, then fail in a float32 loss
        problem = f"dtype {actual.dtype}, expected {expected.dtype}"
    elif not np.isfinite(actual).all() and np.isfinite(expected).all():
        problem = "inf/NaN where the reference is finite"
    if problem:
        return QuantityComparison(implementation, quantity, math.inf, math.inf, tolerance, False, problem)
    difference = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    # relative to |expected|, floored at atol: where the reference is 0 an absolute view is the meaningful one
    relative = difference / np.maximum(np.abs(expected.astype(np.float64)), max(tolerance.atol, 1e-30))
    passed = bool(np.all(difference <= tolerance.atol + tolerance.rtol * np.abs(expected)))
    return QuantityComparison(implementation, quantity, float(difference.max(initial=0.0)),
                              float(relative.max(initial=0.0)), tolerance, passed)


def _missing(implementation: str, quantity: str, tolerance: Optional[Tolerance]) -> QuantityComparison:
    return QuantityComparison(implementation, quantity, math.inf, math.inf, tolerance, False, "missing")


@dataclass
class Measured:
    """A reference's quantities as run (float32) and, on one device, in float64 too (None: data parallel, where
    each implementation is held to itself under a fixed tolerance), with float32's noise per quantity."""

    float32: dict[str, np.ndarray]  # as run: float32, or under --precision bf16 bf16 handed on in float32
    float64: Optional[dict[str, np.ndarray]] = None
    noise: dict[str, float] = dataclasses.field(default_factory=dict)  # the largest of every formulation's own
    unit: float = UNIT_ROUNDOFF[FLOAT32]  # the unit roundoff of the precision it ran in (bf16: 2^-8)

    def with_noise_of(self, other: "Measured") -> "Measured":
        """The same values, their noise the larger of this formulation's and `other`'s, quantity by quantity."""
        return Measured(self.float32, self.float64, {quantity: max(noise, other.noise.get(quantity, 0.0))
                                                     for quantity, noise in self.noise.items()},
                        max(self.unit, other.unit))


def measure_twice(implementation: Implementation, job: "CheckJob", topology: Topology) -> Measured:
    """A hand-written built-in (it takes a dtype) measured in float32 and float64, and its own float32 noise."""
    values = measure(job.probe.build(implementation.factory, job.spec, topology.devices(), job.seed), job.probe, topology)
    in_float64 = functools.partial(implementation.factory, dtype=np.float64)
    twin = measure(job.probe.build(in_float64, job.spec, topology.devices(), job.seed), job.probe.in_float64(), topology)
    unit = UNIT_ROUNDOFF[FLOAT32 if implementation.low_precision is None else BF16]
    return Measured(values, twin, {quantity: own_noise(values[quantity], twin[quantity])
                                   for quantity in values if quantity in twin}, unit)


def _row(name: str, quantity: str, values: dict[str, np.ndarray], expected: Measured) -> QuantityComparison:
    """One quantity against the reference: by float32's noise where its float64 values exist, else by the
    kind's fixed tolerance (data parallel, against itself)."""
    kind = quantity_kind(quantity)
    by_noise = expected.float64 is not None and quantity in expected.float64
    if quantity not in values:
        return _missing(name, quantity, None if by_noise else TOLERANCES[kind])
    if by_noise:
        final = judge(name, quantity, values[quantity], expected.float32[quantity], expected.float64[quantity],
                      Noise(expected.noise[quantity], floor_unit(kind, expected.unit)))
        return final if not final.passed or kind not in TRAJECTORY_KINDS else _earliest_step(final, values, expected)
    return compare_arrays(name, quantity, values[quantity], expected.float32[quantity], TOLERANCES[kind])


def _earliest_step(final: QuantityComparison, values: dict[str, np.ndarray],
                   expected: Measured) -> QuantityComparison:
    """A trajectory that passes after the last step, judged after each step before it against the reference's
    own noise there: where training amplifies rounding (a rule dividing by the root of a near-zero average, a
    learning rate at the edge of stability), the noise after ten steps can grow past a mistake's whole effect,
    while after its first steps it is still float32's rounding. The first step whose values fail, as the row (its
    `at_step`); the final row where every step passes."""
    kind, name = final.quantity.split(" ", 1)
    index = 0
    # each step's values while they were recorded; the last step's are the final row's
    while f"{after_step(index + 1)} {name}" in values:
        quantity = f"{after_step(index)} {name}"
        index += 1
        if quantity not in values or quantity not in expected.float64 or quantity not in expected.noise:
            continue
        row = judge(final.implementation, final.quantity, values[quantity], expected.float32[quantity],
                    expected.float64[quantity], Noise(expected.noise[quantity], floor_unit(kind, expected.unit)))
        if not row.passed:
            return dataclasses.replace(row, at_step=index)
    return final


def compare_all(implementation: Implementation, values: dict[str, np.ndarray],
                 expected: Measured) -> list[QuantityComparison]:
    """A row per quantity the reference has, kind by kind in QUANTITY_KINDS order. A quantity the
    implementation lacks fails (layers excepted: they are matched by name, and the lonely ones listed).
    Rows of a built-in's own known difference that fail are marked explained."""
    known = implementation.known_difference.kinds if implementation.known_difference else ()
    following = following_kinds(known)  # a known difference carries on into what is computed after it
    reports_rule_state = any(quantity_kind(quantity) == "optimizer" for quantity in values)
    rows = []
    for kind in QUANTITY_KINDS:
        if kind == "optimizer" and not reports_rule_state:  # no optimizer_state(): its weights tell the update
            continue
        for quantity in expected.float32:
            if quantity_kind(quantity) != kind or (kind == "layer" and quantity not in values):
                continue
            row = _row(implementation.name, quantity, values, expected)
            if not row.passed and kind in known:
                row = dataclasses.replace(row, explained=True)
            elif not row.passed and kind in following:
                row = dataclasses.replace(row, explained=True, follows=earliest(known))
            rows.append(row)
    return rows


def earliest(kinds: tuple[str, ...]) -> str:
    return min(kinds, key=COMPUTATION_ORDER.index)
