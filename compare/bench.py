"""`compare bench`: steady-state samples/s of a training step and a forward pass per implementation and batch size.

A fixed synthetic batch (data loading is not what is measured), warm-up calls discarded (they build the
hybridized graph), then `repeat` engine-synced timings of a fixed number of calls, the implementations
taking turns. Unlike `run`, steps are not synced one by one: this is the cost of the step itself.
"""
import argparse
import json
import statistics
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import numpy as np
from rich.console import Console

from compare.batches import synthetic_batch
from compare.config import select_implementations
from compare.contexts import parse_context, resolve_context
from compare.environment import capture_environment
from compare.errors import ExitCode, UsageError
from compare.files import check_output_path, write_text_atomically
from compare.mxnet_compat import mx
from compare.steps import loss_function, training_step
from compare.timing import time_interleaved
from implementations.protocol import LeNetSpec, Model
from implementations.registry import create_model, implementation_names

WARMUP_CALLS = 3
SAMPLES_PER_REPEAT = 512  # calls per timed repeat = max(3, this // batch size)
BENCH_LEARNING_RATE = 0.01  # small, so thousands of steps on one batch stay finite; cost does not depend on it


@dataclass(frozen=True)
class Spread:
    """Samples/s over the repeats: median, slowest and fastest."""

    median: float
    low: float
    high: float

    @classmethod
    def from_seconds(cls, seconds: list[float], samples: int) -> "Spread":
        rates = [samples / s for s in seconds]
        return cls(statistics.median(rates), min(rates), max(rates))

    @property
    def half_range_percent(self) -> float:
        """Half the min-max range as a percentage of the median: the ± the table shows."""
        return 50.0 * (self.high - self.low) / self.median


@dataclass(frozen=True)
class BenchRow:
    implementation: str
    batch_size: int
    train: Spread
    inference: Spread


def calls_per_repeat(batch_size: int) -> int:
    return max(3, SAMPLES_PER_REPEAT // batch_size)


def bench_batch_size(models: dict[str, Model], batch_size: int, ctx: mx.Context, seed: int,
                     repeats: int) -> list[BenchRow]:
    """Training-step and forward samples/s of every model on one fixed batch, repeats interleaved."""
    images, labels = synthetic_batch(batch_size, ctx, seed)
    loss, calls = loss_function(), calls_per_repeat(batch_size)
    train = time_interleaved(
        {name: partial(training_step, model, images, labels, BENCH_LEARNING_RATE, loss)
         for name, model in models.items()}, WARMUP_CALLS, repeats, calls)
    inference = time_interleaved(
        {name: partial(model.forward, images) for name, model in models.items()}, WARMUP_CALLS, repeats, calls)
    for name, model in models.items():
        logits = model.forward(images).asnumpy()
        if logits.shape != (batch_size, 10) or not np.isfinite(logits).all():
            raise RuntimeError(f"{name}: non-finite or misshapen logits after benchmarking")
    return [BenchRow(name, batch_size, Spread.from_seconds(train[name], batch_size * calls),
                     Spread.from_seconds(inference[name], batch_size * calls)) for name in models]


def parse_sizes(text: str) -> list[int]:
    """'1,64,256' -> [1, 64, 256]; anything else is a UsageError."""
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise UsageError(f"--batch-size takes comma-separated whole numbers, got {text!r}") from error
    if not sizes or min(sizes) < 1:
        raise UsageError(f"--batch-size values must be at least 1, got {text!r}")
    return sizes


def bench_command(args: argparse.Namespace, console: Console) -> int:
    """Measure every implementation x batch size and print the table (and JSON)."""
    from compare.reports import bench_table, environment_panel

    names = select_implementations(args.impl, implementation_names())
    if args.repeat < 1:
        raise UsageError(f"--repeat must be at least 1, got {args.repeat}")
    sizes = parse_sizes(args.batch_size)
    if args.json is not None:
        check_output_path("--json", args.json, want_dir=False)
    ctx = resolve_context(parse_context(args.ctx))
    environment = capture_environment(str(ctx))
    config = {"implementations": names, "batch_sizes": sizes, "repeat": args.repeat, "context": str(ctx),
              "warmup_calls": WARMUP_CALLS, "samples_per_repeat": SAMPLES_PER_REPEAT, "seed": args.seed}
    console.print(environment_panel(environment, config))
    rows = []
    for batch_size in sizes:
        models = {name: create_model(name, LeNetSpec(), ctx, args.seed) for name in names}
        rows += bench_batch_size(models, batch_size, ctx, args.seed, args.repeat)
    console.print(bench_table(rows, str(ctx)))
    if args.json is not None:
        document = {"schema": 1, "config": config, "environment": environment, "rows": [asdict(r) for r in rows]}
        write_text_atomically(Path(args.json), json.dumps(document, indent=2, allow_nan=False) + "\n")
    return int(ExitCode.OK)
