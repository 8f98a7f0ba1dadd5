"""Equivalence on one batch: every implementation against scratch — logits, loss, each layer's output,
each gradient, and the weights after k SGD steps. Returns a CheckResult; prints nothing.

With several contexts or workers, each implementation's data-parallel step is compared with its own
single-device step instead (logits, loss, summed gradients, weights after k steps).

Each model starts from the same seeded weights; after the first comparisons each takes `steps` SGD steps
on batches alternating between the full batch and its first two thirds (so the true-batch-size
normalisation is exercised, including a hybridized static-shape block switching batch size).
"""
from typing import Optional

import numpy as np

from compare.batches import Batch
from compare.parallel import WorkerGroup
from compare.results import CheckResult, QuantityComparison, Tolerance
from compare.selection import Implementation
from compare.steps import forward_backward, loss_function, training_step
from implementations.mxnet_compat import mx
from implementations.protocol import Devices, LeNetSpec, Model
from implementations.registry import build_model

TOLERANCES = {
    "logits": Tolerance(rtol=1e-5, atol=1e-6),
    "loss": Tolerance(rtol=1e-5, atol=1e-6),
    "layer": Tolerance(rtol=1e-5, atol=1e-6),
    "gradient": Tolerance(rtol=1e-4, atol=1e-5),
    "weights": Tolerance(rtol=1e-4, atol=1e-6),  # after several steps float32 rounding compounds
}
QUANTITY_KINDS = tuple(TOLERANCES)  # the order a report lists them in


def compare_arrays(implementation: str, quantity: str, actual: np.ndarray, expected: np.ndarray,
                   tolerance: Tolerance) -> QuantityComparison:
    """Max absolute and relative difference and the allclose verdict (shape mismatch fails)."""
    if actual.shape != expected.shape:
        return QuantityComparison(implementation, quantity, float("inf"), float("inf"), tolerance, False)
    difference = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    # relative to |expected|, floored at atol: where the reference is 0 an absolute view is the meaningful one
    relative = difference / np.maximum(np.abs(expected.astype(np.float64)), max(tolerance.atol, 1e-30))
    passed = bool(np.all(difference <= tolerance.atol + tolerance.rtol * np.abs(expected)))
    return QuantityComparison(implementation, quantity, float(difference.max(initial=0.0)),
                              float(relative.max(initial=0.0)), tolerance, passed)


def step_sizes(batch_size: int, steps: int) -> list[int]:
    """Alternating full and two-thirds batches: 64 -> [64, 43, 64, 43, ...]."""
    smaller = max(1, batch_size - batch_size // 3)
    return [batch_size if step % 2 == 0 else smaller for step in range(steps)]


def measure(model: Model, images: mx.nd.NDArray, labels: mx.nd.NDArray, steps: int,
            learning_rate: float) -> dict[str, np.ndarray]:
    """Logits, loss, layer outputs and gradients on the batch, then the weights after `steps` SGD steps."""
    loss = loss_function()
    values = {f"layer {name}": output.asnumpy() for name, output in model.layer_outputs(images)}
    (logits,), (losses,) = forward_backward(model, [Batch(images, labels)], loss)
    values = {"logits": logits.asnumpy(), "loss": losses.asnumpy(), **values, **_named("gradient", model.gradients())}
    for size in step_sizes(int(labels.shape[0]), steps):
        training_step(model, [Batch(images[:size], labels[:size])], size, learning_rate, loss)
    return {**values, **_named("weights", model.parameters())}


def _named(kind: str, arrays: dict[str, mx.nd.NDArray]) -> dict[str, np.ndarray]:
    """{'gradient conv1.weight': array, ...}: quantities named by kind and parameter."""
    return {f"{kind} {name}": array.asnumpy() for name, array in arrays.items()}


def _compare_all(implementation: str, values: dict[str, np.ndarray],
                 expected_values: dict[str, np.ndarray]) -> list[QuantityComparison]:
    """A row per quantity both sides have, kind by kind in QUANTITY_KINDS order."""
    return [compare_arrays(implementation, quantity, values[quantity], expected, TOLERANCES[kind])
            for kind in QUANTITY_KINDS for quantity, expected in expected_values.items()
            if quantity_kind(quantity) == kind and quantity in values]


def measure_parallel(model: Model, images: mx.nd.NDArray, labels: mx.nd.NDArray, steps: int,
                     learning_rate: float, group: WorkerGroup, contexts: list) -> dict[str, np.ndarray]:
    """Logits and loss of the data-parallel forward (every worker's pieces put back together), the summed
    gradients after the first step (on the full batch), and the weights after `steps` steps."""
    loss, sharding, size = loss_function(), group.sharding(contexts), int(labels.shape[0])
    logits, losses = forward_backward(model, sharding.split(Batch(images, labels)), loss)
    gathered_logits, gathered_loss = np.zeros((size, logits[0].shape[1])), np.zeros(size)
    for (start, stop), shard_logits, shard_losses in zip(sharding.local_bounds(size), logits, losses):
        gathered_logits[start:stop], gathered_loss[start:stop] = shard_logits.asnumpy(), shard_losses.asnumpy()
    values = {"logits": group.sum(gathered_logits), "loss": group.sum(gathered_loss)}
    for index, step_size in enumerate(step_sizes(size, steps)):
        batch = Batch(images[:step_size], labels[:step_size])
        training_step(model, sharding.split(batch), step_size, learning_rate, loss)
        if index == 0:  # after the step's all-reduce the home replica holds the gradient of the whole batch
            values.update(_named("gradient", model.gradients()))
    return {**values, **_named("weights", model.parameters())}


def run_parallel_check(implementations: list[Implementation], spec: LeNetSpec, contexts: list,
                       group: WorkerGroup, seed: int, images: mx.nd.NDArray, labels: mx.nd.NDArray, steps: int,
                       learning_rate: float) -> CheckResult:
    """Every implementation data parallel (over `contexts` and the group's workers) against itself on
    the home context alone, on the same global batches; summation order differs, so within tolerance."""
    rows = []
    for implementation in implementations:
        alone = measure(build_model(implementation.factory, spec, Devices((contexts[0],)), seed), images, labels,
                        steps, learning_rate)
        spread = measure_parallel(build_model(implementation.factory, spec, group.devices(contexts), seed),
                                  images, labels, steps, learning_rate, group, contexts)
        rows += _compare_all(implementation.name, spread, alone)
    where = f"{len(contexts)} context(s)" + (f" x {group.num_workers} workers" if group.num_workers > 1 else "")
    return CheckResult(steps=steps, comparisons=rows, subject=f" data parallel ({where})",
                       reference=f"itself on {contexts[0]} alone")


def quantity_kind(quantity: str) -> str:
    """'gradient fc1.weight' -> 'gradient'."""
    return quantity.split(" ")[0]


def run_check(implementations: list[Implementation], spec: LeNetSpec, ctx: mx.Context, seed: int,
              images: mx.nd.NDArray, labels: mx.nd.NDArray, steps: int, learning_rate: float,
              reference: Implementation) -> CheckResult:
    """Every quantity of every implementation against `reference`; layers are matched by name."""
    devices = Devices((ctx,))
    expected_values = measure(build_model(reference.factory, spec, devices, seed), images, labels, steps,
                              learning_rate)
    rows, unmatched = [], {}
    for implementation in implementations:
        if implementation.name == reference.name:
            continue
        model = build_model(implementation.factory, spec, devices, seed)
        values = measure(model, images, labels, steps, learning_rate)
        layer_names = [q for q in (*values, *expected_values) if quantity_kind(q) == "layer"]
        lonely = [q.split(" ", 1)[1] for q in dict.fromkeys(layer_names) if (q in values) != (q in expected_values)]
        if lonely:
            unmatched[implementation.name] = lonely
        rows += _compare_all(implementation.name, values, expected_values)
    return CheckResult(steps=steps, comparisons=rows, unmatched_layers=unmatched)


def first_failure(rows: list[QuantityComparison], kind: str) -> tuple[Optional[QuantityComparison], str]:
    """The first failing row of `kind` and the name of the last one before it that passed ('' if none).

    Returns (None, '') when every row of `kind` passes.
    """
    agreeing = ""
    for row in rows:
        if quantity_kind(row.quantity) != kind:
            continue
        if not row.passed:
            return row, agreeing
        agreeing = row.quantity.split(" ", 1)[1]
    return None, ""

