"""Drift in `check`: weights that part from scratch's only over the steps. Each step is replayed by scratch, in
float32 and float64, from the implementation's own weights and state before it; when every step agrees within
float32's noise, the drift is rounding amplified where a ReLU or max pooling decides by a hair, not a mistake."""
import dataclasses
import functools

import numpy as np

from compare.checking.probe import MASK_SEED, CheckJob, after_step, seed_step
from compare.checking.tolerance import Noise, judge, own_noise
from compare.devices.topology import Topology
from compare.results.measures import QuantityComparison, quantity_kind
from compare.training.steps import forward_backward
from implementations.protocol import state_of


def replay_agrees(values: dict[str, np.ndarray], job: CheckJob, alone: Topology) -> bool:
    """Each of the implementation's steps taken again by the reference, in float32 and float64, from the
    implementation's own weights and state before it: True when every step's weights and state are within
    float32's noise of the reference's. Weights that drift apart only over the steps are then rounding amplified
    where a ReLU or max pooling decides by a hair, not a mistake."""
    spec, reference = job.spec, job.reference
    parameters, state = spec.initial_parameters(job.seed), spec.initial_state() if spec.state_shapes() else {}
    twin = job.probe.in_float64()  # the same batches and objective in float64
    objectives = {np.float32: job.probe.loss, np.float64: twin.loss}
    batches = {np.float32: job.probe.step_batches(), np.float64: twin.step_batches()}
    for index in range(job.probe.steps):
        after = {}
        for dtype in (np.float32, np.float64):
            model = functools.partial(reference.factory, dtype=dtype)(spec, alone.devices())  # type: ignore[union-attr]
            model.load_parameters(parameters)
            if state:
                model.load_state(state)
            seed_step(MASK_SEED + index)
            batch = batches[dtype][index]
            forward_backward(model, [batch], objectives[dtype])
            model.step(batch.size, job.probe.learning_rate)
            after[dtype] = {name: array.asnumpy() for name, array in {**model.parameters(), **state_of(model)}.items()}
        mine = {name: values.get(f"{after_step(index)} {name}") for name in after[np.float64]}
        for name, value in mine.items():
            if value is None or not judge("", name, value, after[np.float32][name], after[np.float64][name],
                                          Noise(own_noise(after[np.float32][name], after[np.float64][name]))).passed:
                return False
        parameters = {name: mine[name] for name in parameters}
        state = {name: mine[name] for name in state}
    return True


TRAJECTORY = ("weights", "state")  # quantities after every step: where rounding compounds
DRIFT = ("it drifts from scratch only over the steps: each step, replayed by scratch from its own weights, agrees "
         "within float32's noise (rounding is amplified where a ReLU or max pooling decides by a hair)")


def drift_explained(rows: list[QuantityComparison], values: dict[str, np.ndarray], job: CheckJob,
                     alone: Topology) -> list[QuantityComparison]:
    """Rows whose only failures are weights or state after the steps, explained as drift when every step
    replays within float32's noise (`replay_agrees`); the rows as they are otherwise."""
    failed = [row for row in rows if row.failed]
    if not failed or any(quantity_kind(row.quantity) not in TRAJECTORY for row in failed):
        return rows
    if not job.probe.optimizer.plain_sgd:  # a replay would need the rule's state loaded: not in the protocol
        return rows
    if not replay_agrees(values, job, alone):
        return rows
    return [dataclasses.replace(row, explained=True, cause=DRIFT) if row.failed else row for row in rows]
