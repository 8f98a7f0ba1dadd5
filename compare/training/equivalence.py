"""Equivalence on one batch: every implementation against scratch — logits, loss, each layer's output,
each gradient, and the weights after k SGD steps. Returns a CheckResult; prints nothing.

With several contexts or workers, each implementation's data-parallel step is compared with its own
single-device step instead (logits, loss, summed gradients, weights after k steps).

Each model starts from the same seeded weights; after the first comparisons each takes `steps` SGD steps
on batches alternating between the full batch and its first two thirds (so the true-batch-size
normalisation is exercised, including a hybridized static-shape block switching batch size).
"""
import dataclasses
import functools
import logging
import math
from dataclasses import dataclass
from typing import Mapping, Optional

import numpy as np

from compare.data.batches import Batch
from compare.devices.topology import Topology
from compare.errors import ProtocolViolation, one_line
from compare.results.measures import CheckResult, QuantityComparison, Tolerance, quantity_kind
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from compare.training.float_noise import HELD_TO, judge, own_noise
from compare.training.mistakes import Evidence, diagnose
from compare.training.quantities import LARGE_LOGITS_LOSS, after_step
from compare.training.selection import Implementation
from compare.training.steps import Objective, forward_backward, loss_function
from implementations.mxnet_compat import mx
from implementations.protocol import Model, state_of
from implementations.registry import build_model
from implementations.spec_base import NetworkSpec

DROPOUT_DRAWS = 20  # training-mode passes over the probe batch for each dropout layer's statistics
Z_999 = 3.29  # two-sided 99.9 %: a right keep rate falls outside this binomial interval once in a thousand checks
TOLERANCES = {
    "logits": Tolerance(rtol=1e-5, atol=1e-6),
    "loss": Tolerance(rtol=1e-5, atol=1e-6),
    "layer": Tolerance(rtol=1e-5, atol=1e-6),
    "gradient": Tolerance(rtol=1e-4, atol=1e-5),
    "weights": Tolerance(rtol=1e-4, atol=1e-6),  # after several steps float32 rounding compounds
    "state": Tolerance(rtol=1e-4, atol=1e-6),  # batch norm's moving averages after the steps
}
QUANTITY_KINDS = tuple(TOLERANCES)  # the order a report lists them in
LOG = logging.getLogger(__name__)


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


def step_sizes(batch_size: int, steps: int) -> list[int]:
    """Alternating full and two-thirds batches: 64 -> [64, 43, 64, 43, ...]."""
    smaller = max(1, batch_size - batch_size // 3)
    return [batch_size if step % 2 == 0 else smaller for step in range(steps)]


@dataclass(frozen=True)
class Probe:
    """What every implementation is measured on: one batch, the SGD steps taken on it, and the objective."""

    images: mx.nd.NDArray  # (N, 1, 28, 28) on the home context
    labels: mx.nd.NDArray  # (N,)
    steps: int
    learning_rate: float
    loss: Objective

    @property
    def size(self) -> int:
        return int(self.labels.shape[0])

    def in_float64(self) -> "Probe":
        """The same batch, steps and objective in float64: the reference measured on it shows what float32's
        rounding does to every quantity."""
        return Probe(self.images.astype("float64"), self.labels.astype("float64"), self.steps, self.learning_rate,
                     loss_function(self.loss.num_classes, np.float64))

    def step_batches(self) -> list[Batch]:
        """The batches of the SGD steps: the full batch and its first two thirds, alternating."""
        return [Batch(self.images[:size], self.labels[:size]) for size in step_sizes(self.size, self.steps)]


def measure(model: Model, probe: Probe, topology: Topology) -> dict[str, np.ndarray]:
    """Every layer's output on the whole batch (the home replica), then `steps` SGD steps on batches split
    by `topology`: the logits and loss of the first step (every worker's pieces put back together), its
    gradient once whole (summed over every shard), and the weights after the last step."""
    values = {f"layer {name}": output.asnumpy() for name, output in model.layer_outputs(probe.images)}
    for index, batch in enumerate(probe.step_batches()):
        shards = topology.split(batch)
        mx.random.seed(MASK_SEED + index)  # every implementation draws the same dropout masks (Dropout operator)
        logits, losses = forward_backward(model, shards, probe.loss.of(model))
        if index == 0:
            values.update(_gathered(logits, losses, topology, batch.size))
            # the loss of fixed logits, not of the model's: only its formula is tested (does it overflow?)
            values[LARGE_LOGITS_LOSS] = probe.loss.of(model)(large_logits(probe), probe.labels).asnumpy()
        if index == 0 and topology.gradients_whole_before_step:
            values.update(_named("gradient", model.gradients()))
        model.step(batch.size, probe.learning_rate)
        if index == 0 and not topology.gradients_whole_before_step:  # the step's all-reduce made it whole
            values.update(_named("gradient", model.gradients()))
        # not rows: every step's weights and state, what a mistaken update is diagnosed from (the first step:
        # one batch, one size) and what a drift over the steps is replayed from, step by step
        values.update(_named(after_step(index), {**model.parameters(), **state_of(model)}))
    return {**values, **_named("weights", model.parameters()), **_named("state", state_of(model))}


MASK_SEED = 20_180_101  # MXNet's generator at check's first step; each step seeds it anew


def large_logits(probe: Probe) -> mx.nd.NDArray:
    """Logits (N, classes) from 0 up to 100: exp overflows float32 past ~88, a fused log-sum-exp does not."""
    size, classes = probe.size, probe.loss.num_classes
    values = np.linspace(0.0, 100.0, size * classes, dtype=probe.loss.dtype).reshape(size, classes)
    return mx.nd.array(values, ctx=probe.images.context, dtype=values.dtype)


def dropout_statistics(implementation: str, model: Model, probe: Probe, drop_rates: dict[str, float]
                       ) -> list[QuantityComparison]:
    """Per dropout layer, over DROPOUT_DRAWS training-mode passes: the fraction of its nonzero inputs it kept,
    against 1 - drop within a 99.9 % binomial interval, and the factor it scaled kept ones by, against
    1 / (1 - drop). Masks are random: this is as far as an implementation's own mask can be proven."""
    outputs: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {name: [] for name in drop_rates}
    with mx.autograd.train_mode():
        for draw in range(DROPOUT_DRAWS):
            mx.random.seed(MASK_SEED + 1000 + draw)
            layers = model.layer_outputs(probe.images)
            for (_, before), (name, after) in zip(layers, layers[1:]):
                if name in outputs:
                    outputs[name].append((before.asnumpy(), after.asnumpy()))
    rows = []
    for name, drop in drop_rates.items():
        keep = 1.0 - drop
        pairs = outputs[name]
        inputs = np.concatenate([before.ravel() for before, _ in pairs]) if pairs else np.zeros(0)
        kept = np.concatenate([after.ravel() for _, after in pairs]) if pairs else np.zeros(0)
        live = inputs != 0
        if not live.any():
            rows.append(_missing(implementation, f"dropout {name} kept", Tolerance(0.0, 0.0)))
            continue
        rate = float(np.count_nonzero(kept[live]) / np.count_nonzero(live))
        half = Z_999 * math.sqrt(keep * drop / np.count_nonzero(live))
        rows.append(QuantityComparison(implementation, f"dropout {name} kept", abs(rate - keep),
                                       abs(rate - keep) / keep, Tolerance(0.0, half), abs(rate - keep) <= half))
        ratios = kept[live & (kept != 0)] / inputs[live & (kept != 0)]
        scale = float(ratios.mean()) if ratios.size else 0.0
        error = abs(scale - 1.0 / keep)
        rows.append(QuantityComparison(implementation, f"dropout {name} scale", error, error * keep,
                                       Tolerance(1e-5, 0.0), error <= 1e-5 / keep))
    return rows


def _gathered(logits: list, losses: list, topology: Topology, size: int) -> dict[str, np.ndarray]:
    """The whole batch's logits and per-example loss from this worker's shards and every other worker's."""
    gathered_logits = np.zeros((size, logits[0].shape[1]), dtype=np.float64)
    gathered_loss = np.zeros(size, dtype=np.float64)
    for (start, stop), shard_logits, shard_losses in zip(topology.local_bounds(size), logits, losses):
        gathered_logits[start:stop], gathered_loss[start:stop] = shard_logits.asnumpy(), shard_losses.asnumpy()
    # each worker filled only its own pieces: the sum over workers is the whole batch, exactly, in the model's dtype
    return {"logits": topology.sum(gathered_logits).astype(logits[0].dtype),
            "loss": topology.sum(gathered_loss).astype(losses[0].dtype)}


def _named(kind: str, arrays: object) -> dict[str, np.ndarray]:
    """{'gradient conv1.weight': array, ...}: quantities named by kind and parameter; what `gradients()` or
    `parameters()` returned must be a name -> NDArray mapping (a ProtocolViolation otherwise)."""
    method = {"gradient": "gradients()", "state": "state()"}.get(kind, "parameters()")
    if not isinstance(arrays, Mapping):
        raise ProtocolViolation(f"{method} returned {type(arrays).__name__}, expected a dict of arrays by name")
    values = {}
    for name, array in arrays.items():
        if not hasattr(array, "asnumpy"):
            raise ProtocolViolation(f"{method}[{name!r}] is {type(array).__name__}, expected an NDArray")
        values[f"{kind} {name}"] = array.asnumpy()
    return values


@dataclass
class Measured:
    """A reference's quantities as run (float32) and, on one device, in float64 too (None: data parallel, where
    each implementation is held to itself under a fixed tolerance), with float32's noise per quantity."""

    float32: dict[str, np.ndarray]
    float64: Optional[dict[str, np.ndarray]] = None
    noise: dict[str, float] = dataclasses.field(default_factory=dict)  # the largest of every formulation's own

    def with_noise_of(self, other: "Measured") -> "Measured":
        """The same values, their noise the larger of this formulation's and `other`'s, quantity by quantity."""
        return Measured(self.float32, self.float64, {quantity: max(noise, other.noise.get(quantity, 0.0))
                                                     for quantity, noise in self.noise.items()})


def measure_twice(implementation: Implementation, job: "CheckJob", topology: Topology) -> Measured:
    """A hand-written built-in (it takes a dtype) measured in float32 and float64, and its own float32 noise."""
    values = measure(build_model(implementation.factory, job.spec, topology.devices(), job.seed), job.probe, topology)
    in_float64 = functools.partial(implementation.factory, dtype=np.float64)
    twin = measure(build_model(in_float64, job.spec, topology.devices(), job.seed), job.probe.in_float64(), topology)
    return Measured(values, twin, {quantity: own_noise(values[quantity], twin[quantity])
                                   for quantity in values if quantity in twin})


def _row(name: str, quantity: str, values: dict[str, np.ndarray], expected: Measured) -> QuantityComparison:
    """One quantity against the reference: by float32's noise where its float64 values exist, else by the
    kind's fixed tolerance (data parallel, against itself)."""
    kind = quantity_kind(quantity)
    by_noise = expected.float64 is not None and quantity in expected.float64
    if quantity not in values:
        return _missing(name, quantity, None if by_noise else TOLERANCES[kind])
    if by_noise:
        return judge(name, quantity, values[quantity], expected.float32[quantity], expected.float64[quantity],
                     expected.noise[quantity])
    return compare_arrays(name, quantity, values[quantity], expected.float32[quantity], TOLERANCES[kind])


def _compare_all(implementation: Implementation, values: dict[str, np.ndarray],
                 expected: Measured) -> list[QuantityComparison]:
    """A row per quantity the reference has, kind by kind in QUANTITY_KINDS order. A quantity the
    implementation lacks fails (layers excepted: they are matched by name, and the lonely ones listed).
    Rows of a built-in's own known difference that fail are marked explained."""
    known = implementation.known_difference.kinds if implementation.known_difference else ()
    rows = []
    for kind in QUANTITY_KINDS:
        for quantity in expected.float32:
            if quantity_kind(quantity) != kind or (kind == "layer" and quantity not in values):
                continue
            row = _row(implementation.name, quantity, values, expected)
            rows.append(dataclasses.replace(row, explained=not row.passed and kind in known))
    return rows


def _as_alternative(rows: list[QuantityComparison], against_alternative: list[QuantityComparison]
                    ) -> Optional[list[QuantityComparison]]:
    """The rows with every failure explained, when the implementation computes what the chapter's legitimate
    alternative computes (each of its rows within float32's noise of that); None when it does not."""
    if any(not row.passed for row in against_alternative):
        return None
    return [dataclasses.replace(row, explained=not row.passed) for row in rows]


def _explanations(implementations: list[Implementation], rows: list[QuantityComparison],
                  alternative: Optional[Implementation]) -> dict[str, str]:
    """The cause of each known difference that showed in `rows`: a built-in's own, or the legitimate
    alternative's for an implementation recognised as computing what it computes."""
    shown = {row.implementation for row in rows if row.explained}
    causes = {}
    for implementation in implementations:
        if implementation.name not in shown:
            continue
        own = [row.cause for row in rows if row.implementation == implementation.name and row.explained and row.cause]
        if own:  # drift over the steps, replayed step by step
            causes[implementation.name] = own[0]
        elif implementation.known_difference is not None:
            causes[implementation.name] = implementation.known_difference.cause
        elif alternative is not None and alternative.known_difference is not None:
            causes[implementation.name] = (f"it computes what the chapter's own formulation ({alternative.name}) "
                                           f"computes, a correct choice: {alternative.known_difference.cause}")
    return causes


@dataclass(frozen=True)
class CheckJob:
    """What `check` measures: the implementations, what each is compared with, on which batch and steps, and
    where. With a `reference` every implementation is compared with it, all on the home context alone; without
    one each implementation runs on `topology` and is compared with itself on the home context alone."""

    implementations: list[Implementation]
    reference: Optional[Implementation]
    spec: NetworkSpec
    seed: int
    probe: Probe
    topology: Topology
    chapter: Optional[Implementation] = None  # the chapter's own formulation, `tutorial` (one device only)


def replay_agrees(values: dict[str, np.ndarray], job: CheckJob, alone: Topology) -> bool:
    """Each of the implementation's steps taken again by the reference, in float32 and float64, from the
    implementation's own weights and state before it: True when every step's weights and state are within
    float32's noise of the reference's. Weights that drift apart only over the steps are then rounding amplified
    where a ReLU or max pooling decides by a hair, not a mistake."""
    spec, reference = job.spec, job.reference
    parameters, state = spec.initial_parameters(job.seed), spec.initial_state() if spec.state_shapes() else {}
    objectives = {np.float32: job.probe.loss, np.float64: loss_function(job.probe.loss.num_classes, np.float64)}
    batches = {np.float32: job.probe.step_batches(), np.float64: job.probe.in_float64().step_batches()}
    for index in range(job.probe.steps):
        after = {}
        for dtype in (np.float32, np.float64):
            model = functools.partial(reference.factory, dtype=dtype)(spec, alone.devices())  # type: ignore[union-attr]
            model.load_parameters(parameters)
            if state:
                model.load_state(state)
            mx.random.seed(MASK_SEED + index)
            batch = batches[dtype][index]
            forward_backward(model, [batch], objectives[dtype])
            model.step(batch.size, job.probe.learning_rate)
            after[dtype] = {name: array.asnumpy() for name, array in {**model.parameters(), **state_of(model)}.items()}
        mine = {name: values.get(f"{after_step(index)} {name}") for name in after[np.float64]}
        for name, value in mine.items():
            if value is None or not judge("", name, value, after[np.float32][name], after[np.float64][name],
                                          own_noise(after[np.float32][name], after[np.float64][name])).passed:
                return False
        parameters = {name: mine[name] for name in parameters}
        state = {name: mine[name] for name in state}
    return True


TRAJECTORY = ("weights", "state")  # quantities after every step: where rounding compounds
DRIFT = ("it drifts from scratch only over the steps: each step, replayed by scratch from its own weights, agrees "
         "within float32's noise (rounding is amplified where a ReLU or max pooling decides by a hair)")


def _drift_explained(rows: list[QuantityComparison], values: dict[str, np.ndarray], job: CheckJob,
                     alone: Topology) -> list[QuantityComparison]:
    """Rows whose only failures are weights or state after the steps, explained as drift when every step
    replays within float32's noise (`replay_agrees`); the rows as they are otherwise."""
    failed = [row for row in rows if row.failed]
    if not failed or any(quantity_kind(row.quantity) not in TRAJECTORY for row in failed):
        return rows
    if not replay_agrees(values, job, alone):
        return rows
    return [dataclasses.replace(row, explained=True, cause=DRIFT) if row.failed else row for row in rows]


def _with_cause(rows: list[QuantityComparison], implementation: Implementation, values: dict[str, np.ndarray],
                reference: dict[str, np.ndarray], job: CheckJob) -> list[QuantityComparison]:
    """The rows with the classic mistake that explains the first of them named on its row (if one does)."""
    if not any(row.failed for row in rows):
        return rows
    evidence = Evidence(values, reference, job.probe.images.asnumpy(), job.spec, job.seed,
                        lambda: build_model(implementation.factory, job.spec, job.topology.alone().devices(), job.seed))
    try:
        row, cause = diagnose(rows, evidence)
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS:  # probing its code failed: the rows stand without a cause
        LOG.debug("diagnosing %s failed", implementation.name, exc_info=True)
        return rows
    return [dataclasses.replace(r, cause=cause) if r is row and cause else r for r in rows]


def _references(job: CheckJob, alone: Topology) -> tuple[Measured, Optional[Measured]]:
    """scratch and the chapter's own formulation (`formulations[1]`, where the job has it), each in float32 and
    float64; each one's values carry the noise of both (a correct formulation may round like either)."""
    reference = measure_twice(job.reference, job, alone)  # type: ignore[arg-type]
    if job.chapter is None:
        return reference, None
    chapter = measure_twice(job.chapter, job, alone)
    return reference.with_noise_of(chapter), chapter.with_noise_of(reference)


def run_check(job: CheckJob) -> CheckResult:
    """Every quantity of every implementation against what it is compared with (layers matched by name). An
    implementation whose own code fails is reported as failed; the others are still checked. On one device
    each is judged by float32's noise against scratch in float64, and one that differs from scratch but computes
    what the chapter's legitimate alternative computes passes, with that difference named."""
    alone = job.topology.alone()
    subject = alone if job.reference is not None else job.topology
    rows, unmatched, failures = [], {}, {}
    expected, chapter = _references(job, alone) if job.reference is not None else (None, None)
    alternative = job.chapter if chapter is not None and job.chapter.known_difference is not None \
        and job.chapter.known_difference.legitimate else None
    for implementation in job.implementations:
        if job.reference is not None and implementation.name == job.reference.name:
            continue  # the reference against itself, alone: equal by definition
        try:
            if job.reference is None:  # data parallel: against its own steps on one device
                expected = Measured(measure(build_model(implementation.factory, job.spec, alone.devices(), job.seed),
                                            job.probe, alone))
            values = measure(build_model(implementation.factory, job.spec, subject.devices(), job.seed), job.probe,
                             subject)
            statistics = []
            if job.spec.drop_rates:  # masks are random: the keep rate and scaling, statistically
                fresh = build_model(implementation.factory, job.spec, alone.devices(), job.seed)
                statistics = dropout_statistics(implementation.name, fresh, job.probe, job.spec.drop_rates)
        except Interrupt:
            raise
        except IMPLEMENTATION_ERRORS as error:  # its own code failed: say so, go on with the others
            LOG.debug("%s failed", implementation.name, exc_info=True)
            failures[implementation.name] = one_line(error)
            continue
        layer_names = [q for q in (*values, *expected.float32) if quantity_kind(q) == "layer"]
        lonely = [q.split(" ", 1)[1] for q in dict.fromkeys(layer_names) if (q in values) != (q in expected.float32)]
        if lonely:
            unmatched[implementation.name] = lonely
        compared = _compare_all(implementation, values, expected)
        if alternative is not None and implementation.known_difference is None and any(r.failed for r in compared):
            compared = _as_alternative(compared, _compare_all(implementation, values, chapter)) or compared
        if job.reference is not None and implementation.known_difference is None:
            compared = _drift_explained(compared, values, job, alone)
        compared += statistics
        if job.reference is not None and implementation.known_difference is None:
            compared = _with_cause(compared, implementation, values, expected.float32, job)
        rows += compared
    parallel = f" data parallel ({subject.describe()})" if subject.data_parallel else ""
    return CheckResult(steps=job.probe.steps, comparisons=rows, unmatched_layers=unmatched, failures=failures,
                       explanations=_explanations(job.implementations, rows, alternative), subject=parallel,
                       held_to=HELD_TO if job.reference is not None else "",
                       reference=job.reference.name if job.reference else f"itself on {alone.home} alone")
