"""Equivalence on one batch: every implementation against scratch — logits, loss, each layer's output,
each gradient, and the weights after k SGD steps. Returns a CheckResult; prints nothing.

Each model starts from the same seeded weights; after the first comparisons each takes `steps` SGD steps
on batches alternating between the full batch and its first two thirds (so the true-batch-size
normalisation is exercised, including a hybridized static-shape block switching batch size).
"""
from typing import Optional

import numpy as np

from compare.results import CheckResult, QuantityComparison, Tolerance
from compare.selection import Implementation
from compare.steps import forward_backward, loss_function, training_step
from implementations.mxnet_compat import mx
from implementations.protocol import LeNetSpec, Model
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
    logits, losses = forward_backward(model, images, labels, loss)
    values = {"logits": logits.asnumpy(), "loss": losses.asnumpy(), **values}
    values.update({f"gradient {name}": grad.asnumpy() for name, grad in model.gradients().items()})
    for size in step_sizes(int(labels.shape[0]), steps):
        training_step(model, images[:size], labels[:size], learning_rate, loss)
    values.update({f"weights {name}": array.asnumpy() for name, array in model.parameters().items()})
    return values


def quantity_kind(quantity: str) -> str:
    """'gradient fc1.weight' -> 'gradient'."""
    return quantity.split(" ")[0]


def run_check(implementations: list[Implementation], spec: LeNetSpec, ctx: mx.Context, seed: int,
              images: mx.nd.NDArray, labels: mx.nd.NDArray, steps: int, learning_rate: float,
              reference: Implementation) -> CheckResult:
    """Every quantity of every implementation against `reference`; layers are matched by name."""
    expected_values = measure(build_model(reference.factory, spec, ctx, seed), images, labels, steps, learning_rate)
    rows, unmatched = [], {}
    for implementation in implementations:
        if implementation.name == reference.name:
            continue
        model = build_model(implementation.factory, spec, ctx, seed)
        values = measure(model, images, labels, steps, learning_rate)
        layer_names = [q for q in (*values, *expected_values) if quantity_kind(q) == "layer"]
        lonely = [q.split(" ", 1)[1] for q in dict.fromkeys(layer_names) if (q in values) != (q in expected_values)]
        if lonely:
            unmatched[implementation.name] = lonely
        for kind in QUANTITY_KINDS:
            for quantity, expected in expected_values.items():
                if quantity_kind(quantity) == kind and quantity in values:
                    rows.append(compare_arrays(implementation.name, quantity, values[quantity], expected,
                                               TOLERANCES[kind]))
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

