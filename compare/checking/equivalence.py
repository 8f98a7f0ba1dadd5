"""Equivalence on one batch: every implementation against scratch — logits, loss, each layer's output,
each gradient, and the weights after k SGD steps — judged by float32's noise; the legitimate alternative, drift
and the classic mistakes applied to the rows. Returns a CheckData; prints nothing. What is measured and how
is `probe`'s; dropout's statistics, drift and the causes live in their own modules.

With several contexts or workers, each implementation's data-parallel step is compared with its own
single-device step instead (logits, loss, summed gradients, weights after k steps).

Each model starts from the same seeded weights; after the first comparisons each takes `steps` SGD steps
on batches alternating between the full batch and its first two thirds (so the true-batch-size
normalisation is exercised, including a hybridized static-shape block switching batch size).
"""
import dataclasses
import logging
from typing import Optional

import numpy as np

from compare.checking.alternatives import alternative_factory, applicable, with_masks
from compare.checking.batch_norm_statistics import batch_norm_statistics
from compare.checking.compared import Measured, compare_all, measure_twice
from compare.checking.diagnosis import with_first_cause
from compare.checking.drift import drift_explained
from compare.checking.dropout_statistics import dropout_statistics
from compare.checking.evidence import Evidence
from compare.checking.probe import MASK_SEED, CheckJob, loss_of_logits, measure, seed_step
from compare.checking.rule_alternatives import (
    formula_confirmed,
    recorded_steps,
    replays_a_correct_rule,
    rule_alternatives,
)
from compare.checking.tolerance import HELD_TO
from compare.checking.update_replay import Steps
from compare.devices.topology import Topology
from compare.errors import one_line
from compare.loading import Implementation
from compare.results.measures import CheckData, QuantityComparison, in_computation_order, quantity_kind
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from compare.training.steps import forward_backward
from implementations.mxnet_compat import mx
from implementations.protocol import Model

LOG = logging.getLogger(__name__)


def _as_alternative(rows: list[QuantityComparison], against_alternative: list[QuantityComparison]
                    ) -> Optional[list[QuantityComparison]]:
    """The rows with every failure explained, when the implementation computes what the chapter's legitimate
    alternative computes (each of its rows within float32's noise of that); None when it does not."""
    if any(not row.passed for row in against_alternative):
        return None
    return [dataclasses.replace(row, explained=not row.passed) for row in rows]


FORWARD_KINDS = ("layer", "dropout", "logits", "loss")  # a choice of subgradient changes none of these
OWN_MASKS = ("its dropout draws its own masks, otherwise than the Dropout operator: with its masks applied to the "
             "reference, every quantity agrees within float32's noise, and its keep rate and 1/keep scaling pass "
             "their statistics")


def drawn_masks(implementation: Implementation, job: CheckJob, alone: Topology) -> list[dict[str, np.ndarray]]:
    """The dropout masks the implementation draws at each of the probe's steps (MXNet seeded as `measure` seeds
    it): which of each dropout layer's inputs it keeps, read from a training-mode pass of a fresh copy that takes
    the same steps (so that an input that is 0 is 0 where it was in the measured run)."""
    probe = job.probe
    model = probe.build(implementation.factory, job.spec, alone.devices(), job.seed)
    masks = []
    for index, batch in enumerate(probe.step_batches()):
        seed_step(MASK_SEED + index)
        with mx.autograd.record():
            outputs = [(name, output.asnumpy()) for name, output in model.layer_outputs(batch.images)]
        kept = {}
        for (_, given), (name, output) in zip(outputs, outputs[1:]):
            if name in job.spec.drop_rates:
                kept[name] = ((output != 0) | (given == 0)).astype(np.float32)  # a zero input: kept or not, 0
        masks.append(kept)
        seed_step(MASK_SEED + index)  # the step itself, as measured
        forward_backward(model, [batch], probe.loss.of(model))
        model.step(batch.size, probe.learning_rate)
    return masks


def _as_formulation(rows: list[QuantityComparison], implementation: Implementation, values: dict[str, np.ndarray],
                    where: tuple[CheckJob, Topology], expected: Measured) -> list[QuantityComparison]:
    """The rows explained when the implementation computes what the reference computes with a legitimate choice
    changed (ReLU as maximum, max pooling by reshape): each of its quantities within float32's noise of that twin.
    Only where the forward pass agrees: those choices change gradients alone."""
    job, alone = where
    failed = in_computation_order([row for row in rows if row.failed])
    if job.spec.drop_rates and quantity_kind(failed[0].quantity) != "layer":  # its own masks, its own draws
        try:
            factory = with_masks(job.reference.factory, drawn_masks(implementation, job, alone))  # type: ignore[union-attr]
        except IMPLEMENTATION_ERRORS:  # its code failed in training mode: no masks to read, the rows stand
            factory = None
        if factory is not None:
            twin = Implementation("its own dropout masks", factory, "alternative")
            if all(row.passed for row in compare_all(implementation, values,
                                                      measure_twice(twin, job, alone).with_noise_of(expected))):
                return [dataclasses.replace(row, explained=True, cause=OWN_MASKS) if row.failed else row
                        for row in rows]
    if quantity_kind(failed[0].quantity) in FORWARD_KINDS:
        return rows
    for choices in applicable(job.spec):
        factory = alternative_factory(job.reference.factory, choices)  # type: ignore[union-attr]
        if factory is None:
            return rows
        twin = Implementation(" and ".join(choice.name for choice in choices), factory, "alternative")
        measured = measure_twice(twin, job, alone).with_noise_of(expected)
        if all(row.passed for row in compare_all(implementation, values, measured)):
            cause = (f"it computes what {job.reference.name} computes with {twin.name}, a correct choice: "  # type: ignore[union-attr]
                     + "; ".join(choice.cause for choice in choices))
            return [dataclasses.replace(row, explained=True, cause=cause) if row.failed else row for row in rows]
    return rows


def _explanations(implementations: list[Implementation], rows: list[QuantityComparison],
                  alternative: Optional[Implementation]) -> dict[str, str]:
    """The cause of each known difference that showed in `rows`: a built-in's own, or the legitimate
    alternative's for an implementation recognised as computing what it computes."""
    shown = {row.implementation for row in rows if row.explained}
    causes = {}
    for implementation in implementations:
        measured = implementation.known_difference is not None and implementation.known_difference.measured
        if measured and implementation.name not in shown:  # shown with its size even within float32's noise
            apart = max((row.max_abs for row in rows if row.implementation == implementation.name
                         and quantity_kind(row.quantity) in implementation.known_difference.kinds), default=0.0)
            causes[implementation.name] = (f"{implementation.known_difference.cause} (measured here: "
                                           f"{apart:.2e} at most, within float32's noise)")
            continue
        if implementation.name not in shown:
            continue
        own = [row.cause for row in rows if row.implementation == implementation.name and row.explained and row.cause]
        if own:  # drift over the steps, replayed step by step
            causes[implementation.name] = own[0]
        elif implementation.known_difference is not None:
            apart = max((row.max_abs for row in rows if row.implementation == implementation.name and row.explained),
                        default=0.0)
            size = f" (measured here: {apart:.2e} at most)" if implementation.known_difference.measured else ""
            causes[implementation.name] = implementation.known_difference.cause + size
        elif alternative is not None and alternative.known_difference is not None:
            causes[implementation.name] = (f"it computes what the chapter's own formulation ({alternative.name}) "
                                           f"computes, a correct choice: {alternative.known_difference.cause}")
    return causes


def _with_cause(rows: list[QuantityComparison], implementation: Implementation, values: dict[str, np.ndarray],
                reference: dict[str, np.ndarray], job: CheckJob) -> list[QuantityComparison]:
    """The rows with the cause of the first difference (in the order the computation runs) on its row."""
    if not any(row.failed for row in rows):
        return rows
    probe = job.probe

    def fresh() -> Model:
        """A fresh copy of the implementation, its weights loaded, for probing."""
        return probe.build(implementation.factory, job.spec, job.topology.alone().devices(), job.seed)

    evidence = Evidence(values, reference, probe.images.asnumpy(), job.spec, job.seed, fresh,
                        recorded_steps(values, job), probe.labels.asnumpy(), probe.learning_rate, probe.optimizer,
                        loss_at=lambda logits: loss_of_logits(fresh(), probe, logits))
    try:
        return with_first_cause(rows, evidence)
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS:  # probing its code failed: the first row says what was measured
        LOG.debug("diagnosing %s failed", implementation.name, exc_info=True)
        first = in_computation_order([row for row in rows if row.failed])[0]
        return [dataclasses.replace(row, cause=f"{row.quantity} differs by up to {row.max_abs:.2e}"
                                    + (f" after step {row.at_step}" if row.at_step else ""))
                if row is first and not row.cause else row for row in rows]


def _references(job: CheckJob, alone: Topology) -> tuple[Measured, Optional[Measured]]:
    """scratch and the chapter's own formulation (`formulations[1]`, where the job has it), each in float32 and
    float64; each one's values carry the noise of both (a correct formulation may round like either)."""
    reference = measure_twice(job.reference, job, alone)  # type: ignore[arg-type]
    if job.chapter is None:
        return reference, None
    chapter = measure_twice(job.chapter, job, alone)
    return reference.with_noise_of(chapter), chapter.with_noise_of(reference)


BORDERLINE = 4.0  # a row at most this many times its float32 noise allowance is borderline
AFTER_STEPS = ("weights", "state")  # what ten steps of rounding carry past the allowance (a rule's own state: its replay)


def borderline(rows: list[QuantityComparison], steps: Optional[Steps] = None) -> list[QuantityComparison]:
    """Where every failing row is a quantity after the steps within BORDERLINE times its allowance, and no row
    before the update differs, the difference is rounding carried over the steps (a decision by a hair, a sum in
    another order): passed with that said, the same way on every seed. A mistake shows before the update, beyond
    the factor, or in `steps` (its own, where recorded) that no correct reading of the rule replays."""
    failed = [row for row in rows if row.failed]
    if not failed or any(quantity_kind(row.quantity) not in AFTER_STEPS or row.error is None or not row.allowed
                         or row.error > BORDERLINE * row.allowed for row in failed):
        return rows
    if steps is not None and not replays_a_correct_rule(steps):
        return rows
    worst = max(row.error / row.allowed for row in failed)  # type: ignore[operator]
    cause = (f"borderline: only quantities after the steps differ, by at most {worst:.2g}x float32's noise "
             f"allowance (within {BORDERLINE:g}x), and nothing before the update does: rounding carried over the "
             "steps")
    return [dataclasses.replace(row, explained=True, cause=cause) if row.failed else row for row in rows]


def _batch_norm_rows(implementation: Implementation, job: CheckJob, expected: Measured) -> list[QuantityComparison]:
    """The first batch-norm layer's moving variance on a two-example batch (measured against the reference's own
    input to that layer), where the model has one and there is a reference."""
    order = job.spec.layer_order
    first = next((index for index, name in enumerate(order) if name.startswith("bn")), None)
    if first is None or first == 0 or job.reference is None or implementation.name == job.reference.name:
        return []
    given = expected.float32.get(f"layer {order[first - 1]}")
    fresh = job.probe.build(implementation.factory, job.spec, job.topology.alone().devices(), job.seed)
    row = batch_norm_statistics(implementation.name, fresh, job.probe.images, given, job.spec,
                                expected.unit) if given is not None else None
    return [row] if row is not None else []


def run_check(job: CheckJob) -> CheckData:
    """Every quantity of every implementation against what it is compared with (layers matched by name). An
    implementation whose own code fails is reported as failed; the others are still checked. On one device
    each is judged by float32's noise against scratch in float64, and one that differs from scratch but computes
    what the chapter's legitimate alternative computes passes, with that difference named. Numpy's global
    generator, which `seed_step` seeds, is put back as the caller had it."""
    kept = np.random.get_state()
    try:
        return _checked(job)
    finally:
        np.random.set_state(kept)


def _checked(job: CheckJob) -> CheckData:
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
                expected = Measured(measure(job.probe.build(implementation.factory, job.spec, alone.devices(), job.seed),
                                            job.probe, alone))
            values = measure(job.probe.build(implementation.factory, job.spec, subject.devices(), job.seed), job.probe,
                             subject)
            statistics = []
            if job.spec.drop_rates:  # masks are random: the keep rate and scaling, statistically
                fresh = job.probe.build(implementation.factory, job.spec, alone.devices(), job.seed)
                statistics = dropout_statistics(implementation.name, fresh, job.probe, job.spec.drop_rates)
            statistics += _batch_norm_rows(implementation, job, expected)
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
        compared = compare_all(implementation, values, expected)
        if implementation.known_difference is not None and implementation.known_difference.measured:
            compared = formula_confirmed(compared, values, job)
        if alternative is not None and implementation.known_difference is None and any(r.failed for r in compared):
            compared = _as_alternative(compared, compare_all(implementation, values, chapter)) or compared
        if job.reference is not None and implementation.known_difference is None and any(r.failed for r in compared) \
                and all(row.passed for row in statistics):  # its dropout's statistics wrong: no correct choice
            compared = _as_formulation(compared, implementation, values, (job, alone), expected)
        if job.reference is not None and implementation.known_difference is None:
            compared = drift_explained(compared, values, job, alone)
            compared = rule_alternatives(compared, values, job, alone)
            compared = borderline(compared, recorded_steps(values, job))
        compared += statistics
        if job.reference is not None and implementation.known_difference is None:
            compared = _with_cause(compared, implementation, values, expected.float32, job)
        rows += compared
    parallel = f" data parallel ({subject.describe()})" if subject.data_parallel else ""
    return CheckData(steps=job.probe.steps, comparisons=rows, unmatched_layers=unmatched, failures=failures,
                       explanations=_explanations(job.implementations, rows, alternative), subject=parallel,
                       held_to=HELD_TO if job.reference is not None else "",
                       reference=job.reference.name if job.reference else f"itself on {alone.home} alone",
                       update_rule="SGD" if job.probe.optimizer.name == "sgd" else job.probe.optimizer.name)
