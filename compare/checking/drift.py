"""Drift in `check`: weights that part from scratch's only over the steps. Each step is replayed by scratch, in
float32 and float64, from the implementation's own weights and state before it (under a rule other than SGD: each
gradient, and the step replayed as the rule from the implementation's own gradients); when every step agrees within
float32's noise, the drift is rounding amplified where a ReLU or max pooling decides by a hair, not a mistake."""
import dataclasses
import functools

import numpy as np

from compare.checking.penalty import ON_WEIGHTS, penalty_in_loss
from compare.checking.probe import MASK_SEED, CheckJob, after_step, gradient_at_step, seed_step
from compare.checking.rule_alternatives import recorded_steps, replays_a_correct_rule
from compare.checking.tolerance import Noise, judge, own_noise
from compare.checking.update_mistakes import recognise
from compare.checking.update_replay import CORRECT
from compare.devices.topology import Topology
from compare.results.measures import TRAJECTORY_KINDS, QuantityComparison, quantity_kind
from compare.training.steps import forward_backward
from implementations.protocol import state_of


def replay_agrees(values: dict[str, np.ndarray], job: CheckJob, alone: Topology) -> bool:
    """Each of the implementation's steps taken again by the reference, in float32 and float64, from the
    implementation's own weights and state before it: True when every step's weights and state are within
    float32's noise of the reference's. Weights that drift apart only over the steps are then rounding amplified
    where a ReLU or max pooling decides by a hair, not a mistake."""
    return _each_step_agrees(values, (job, alone), stepped=True)


def gradients_agree(values: dict[str, np.ndarray], job: CheckJob, alone: Topology) -> bool:
    """Each gradient the implementation's rule was fed, taken again by the reference (float32 and float64) from the
    implementation's own weights and state before that step: True when every one is within float32's noise. With
    its steps replaying a correct rule from those gradients, a drift is rounding, not a mistake."""
    return _each_step_agrees(values, (job, alone), stepped=False)


def _each_step_agrees(values: dict[str, np.ndarray], run: tuple[CheckJob, Topology], stepped: bool) -> bool:
    """The reference's step (`stepped`: its weights and state after it; else the gradient it would feed its rule),
    from the implementation's own weights and state before each step, against what the implementation recorded."""
    job, alone = run
    spec, reference = job.spec, job.reference
    parameters, state = spec.initial_parameters(job.seed), spec.initial_state() if spec.state_shapes() else {}
    twin = job.probe.in_float64()  # the same batches and objective in float64
    objectives = {np.float32: job.probe.loss, np.float64: twin.loss}
    batches = {np.float32: job.probe.step_batches(), np.float64: twin.step_batches()}
    for index in range(job.probe.steps):
        taken = {}
        for dtype in (np.float32, np.float64):
            model = functools.partial(reference.factory, dtype=dtype)(spec, alone.devices())  # type: ignore[union-attr]
            model.load_parameters(parameters)
            if state:
                model.load_state(state)
            seed_step(MASK_SEED + index)
            batch = batches[dtype][index]
            forward_backward(model, [batch], objectives[dtype])
            if stepped:
                model.step(batch.size, job.probe.learning_rate)
            arrays = {**model.parameters(), **state_of(model)} if stepped else model.gradients()
            taken[dtype] = {name: array.asnumpy() for name, array in arrays.items()}
        kind = after_step(index) if stepped else gradient_at_step(index)
        for name, value in ((name, values.get(f"{kind} {name}")) for name in taken[np.float64]):
            if value is None or not judge("", name, value, taken[np.float32][name], taken[np.float64][name],
                                          Noise(own_noise(taken[np.float32][name], taken[np.float64][name]))).passed:
                return False
        after = {name: values.get(f"{after_step(index)} {name}") for name in (*parameters, *state)}
        if any(value is None for value in after.values()):
            return False
        parameters = {name: after[name] for name in parameters}
        state = {name: after[name] for name in state}
    return True


def _reading_proven(steps, values: dict[str, np.ndarray], job: CheckJob, alone: Topology) -> bool:
    """Steps that replay only as the penalty written into the loss (reg-scratch's way) are a correct reading only
    where the gradients do carry that penalty: the same steps are weight decay left out altogether when they do
    not."""
    found = recognise(steps)
    if found is not None and (found is CORRECT or found.legitimate):
        return True
    return penalty_in_loss(values, job, alone) == ON_WEIGHTS


DRIFT = ("it drifts from scratch only over the steps: each step, replayed by scratch from its own weights, agrees "
         "within float32's noise (rounding is amplified where a ReLU or max pooling decides by a hair)")
RULE_DRIFT = ("it drifts from scratch only over the steps: each gradient, replayed by scratch from its own weights, "
              "agrees within float32's noise, and each step replays as a correct reading of the rule (the "
              "chapter's, MXNet's) from its own gradients (rounding is "
              "amplified where the rule divides by a root of a near-zero average, or a ReLU decides by a hair)")


def drift_explained(rows: list[QuantityComparison], values: dict[str, np.ndarray], job: CheckJob,
                     alone: Topology) -> list[QuantityComparison]:
    """Rows whose only failures are weights or state after the steps (and the rule's state), explained as drift
    when every step replays within float32's noise (`replay_agrees`; under another rule than SGD, whose state
    the protocol cannot load: each gradient replayed, `gradients_agree`, and each step replayed as a correct
    reading of the rule from the implementation's own gradients); the rows as they are otherwise."""
    failed = [row for row in rows if row.failed]
    if not failed or any(quantity_kind(row.quantity) not in TRAJECTORY_KINDS for row in failed):
        return rows
    if job.probe.optimizer.plain_sgd:
        if not replay_agrees(values, job, alone):
            return rows
        cause = DRIFT
    else:
        steps = recorded_steps(values, job)
        if steps is None or not replays_a_correct_rule(steps) or not gradients_agree(values, job, alone):
            return rows
        if not _reading_proven(steps, values, job, alone):
            return rows
        cause = RULE_DRIFT
    return [dataclasses.replace(row, explained=True, cause=cause) if row.failed else row for row in rows]
