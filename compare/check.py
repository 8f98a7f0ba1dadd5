"""`compare check`: every implementation against scratch on one batch — logits, loss, gradients, weights.

Each model starts from the same seeded weights; after the first comparisons each takes `steps` SGD steps
on batches alternating between the full batch and its first two thirds (so the true-batch-size
normalisation is exercised, including a hybridized static-shape block switching batch size).
"""
import argparse
from dataclasses import dataclass

import numpy as np
from rich.console import Console

from compare.batches import synthetic_batch
from compare.config import select_implementations
from compare.contexts import parse_context, resolve_context
from compare.errors import ExitCode, UsageError
from compare.mxnet_compat import mx
from compare.results import REFERENCE
from compare.steps import forward_backward, loss_function, training_step
from implementations.protocol import LeNetSpec, Model
from implementations.registry import create_model, implementation_names


@dataclass(frozen=True)
class Tolerance:
    """Elementwise |actual - expected| <= atol + rtol * |expected|, as numpy.allclose."""

    rtol: float
    atol: float


TOLERANCES = {
    "logits": Tolerance(rtol=1e-5, atol=1e-6),
    "loss": Tolerance(rtol=1e-5, atol=1e-6),
    "gradient": Tolerance(rtol=1e-4, atol=1e-5),
    "weights": Tolerance(rtol=1e-4, atol=1e-6),  # after several steps float32 rounding compounds
}


@dataclass(frozen=True)
class Comparison:
    """One quantity of one implementation against the reference."""

    implementation: str
    quantity: str
    max_abs: float
    max_rel: float
    rtol: float
    atol: float
    passed: bool


def compare_arrays(implementation: str, quantity: str, actual: np.ndarray, expected: np.ndarray,
                   tolerance: Tolerance) -> Comparison:
    """Max absolute and relative difference and the allclose verdict (shape mismatch fails)."""
    if actual.shape != expected.shape:
        return Comparison(implementation, quantity, float("inf"), float("inf"), tolerance.rtol, tolerance.atol, False)
    difference = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    relative = difference / np.maximum(np.abs(expected.astype(np.float64)), np.finfo(np.float32).tiny)
    passed = bool(np.all(difference <= tolerance.atol + tolerance.rtol * np.abs(expected)))
    return Comparison(implementation, quantity, float(difference.max(initial=0.0)),
                      float(relative.max(initial=0.0)), tolerance.rtol, tolerance.atol, passed)


def step_sizes(batch_size: int, steps: int) -> list[int]:
    """Alternating full and two-thirds batches: 64 -> [64, 42, 64, 42, ...]."""
    smaller = max(1, batch_size - batch_size // 3)
    return [batch_size if step % 2 == 0 else smaller for step in range(steps)]


def measure(model: Model, images: mx.nd.NDArray, labels: mx.nd.NDArray, steps: int,
            learning_rate: float) -> dict[str, np.ndarray]:
    """Logits, loss and gradients on the batch, then the weights after `steps` SGD steps."""
    loss = loss_function()
    logits, losses = forward_backward(model, images, labels, loss)
    values = {"logits": logits.asnumpy(), "loss": losses.asnumpy()}
    values.update({f"gradient {name}": grad.asnumpy() for name, grad in model.gradients().items()})
    for size in step_sizes(int(labels.shape[0]), steps):
        training_step(model, images[:size], labels[:size], learning_rate, loss)
    values.update({f"weights {name}": array.asnumpy() for name, array in model.parameters().items()})
    return values


def run_check(names: list[str], spec: LeNetSpec, ctx: mx.Context, seed: int, images: mx.nd.NDArray,
              labels: mx.nd.NDArray, steps: int, learning_rate: float) -> list[Comparison]:
    """Every quantity of every implementation in `names` against scratch, which is always measured."""
    reference = measure(create_model(REFERENCE, spec, ctx, seed), images, labels, steps, learning_rate)
    rows = []
    for name in names:
        if name == REFERENCE:
            continue
        values = measure(create_model(name, spec, ctx, seed), images, labels, steps, learning_rate)
        for quantity, expected in reference.items():
            tolerance = TOLERANCES[quantity.split(" ")[0]]
            rows.append(compare_arrays(name, quantity, values[quantity], expected, tolerance))
    return rows


def check_batch(args: argparse.Namespace, ctx: mx.Context) -> tuple[mx.nd.NDArray, mx.nd.NDArray]:
    """The checked batch on `ctx`: real training images, or seeded uniform noise with --synthetic."""
    if args.synthetic:
        return synthetic_batch(args.batch_size, ctx, args.seed)
    from compare.dataset import load_split
    train = load_split("train", args.data_dir, limit=args.batch_size)
    return mx.nd.array(train.images, ctx=ctx), mx.nd.array(train.labels.astype(np.float32), ctx=ctx)


def check_command(args: argparse.Namespace, console: Console) -> int:
    """Print the equivalence table; exit 0 only if every comparison passes."""
    from compare.reports import check_table

    names = select_implementations(args.impl, implementation_names())
    if args.steps < 0 or args.batch_size < 2:
        raise UsageError("--steps must be at least 0 and --batch-size at least 2")
    ctx = resolve_context(parse_context(args.ctx))
    images, labels = check_batch(args, ctx)
    rows = run_check(names, LeNetSpec(), ctx, args.seed, images, labels, args.steps, args.lr)
    console.print(check_table(rows, args.steps))
    failed = [row for row in rows if not row.passed]
    identical = sum(row.max_abs == 0 for row in rows)
    console.print(f"{len(rows) - len(failed)} of {len(rows)} comparisons within tolerance; "
                  f"{identical} of {len(rows)} bit-identical")
    return int(ExitCode.FAILED if failed else ExitCode.OK)
