"""Steady-state samples/s of a training step and a forward pass per implementation and batch size.

A fixed synthetic batch (data loading is not what is measured), warm-up calls discarded (they build the
hybridized graph), then `repeat` engine-synced timings of a fixed number of calls, the implementations
taking turns. Unlike `run`, steps are not synced one by one: this is the cost of the step itself.
Returns a BenchResult; prints nothing.
"""
from functools import partial

import numpy as np

from compare.batches import synthetic_batch
from compare.config import BenchConfig
from compare.errors import CompareError
from compare.machine_load import average_other_cores
from compare.results import BenchResult, BenchRow, Spread
from compare.selection import Implementation
from compare.steps import loss_function, training_step
from compare.timing import time_interleaved
from implementations.mxnet_compat import mx
from implementations.protocol import LeNetSpec, Model
from implementations.registry import build_model

WARMUP_CALLS = 3
SAMPLES_PER_REPEAT = 512  # calls per timed repeat = max(3, this // batch size)
BENCH_LEARNING_RATE = 0.01  # small, so thousands of steps on one batch stay finite; cost does not depend on it


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
            raise CompareError(f"{name}: non-finite or misshapen logits after benchmarking at batch {batch_size}")
    samples = batch_size * calls
    seconds = sum(sum(s) for s in train.seconds.values()) + sum(sum(s) for s in inference.seconds.values())
    busiest = average_other_cores(train.other_cpu_seconds + inference.other_cpu_seconds, seconds)
    return [BenchRow(name, batch_size, Spread.from_seconds(train.seconds[name], samples),
                     Spread.from_seconds(inference.seconds[name], samples), busiest) for name in models]


def bench_settings(config: BenchConfig, names: list[str], ctx: mx.Context) -> dict[str, object]:
    """What the measurements were taken with, for the header and the JSON."""
    return {"implementations": names, "batch_sizes": list(config.batch_sizes), "repeat": config.repeat,
            "context": str(ctx), "warmup_calls": WARMUP_CALLS, "samples_per_repeat": SAMPLES_PER_REPEAT,
            "seed": config.seed}


def run_bench(config: BenchConfig, implementations: list[Implementation], ctx: mx.Context,
              environment: dict[str, object]) -> BenchResult:
    """Measure every implementation x batch size."""
    spec = LeNetSpec()
    rows = []
    for batch_size in config.batch_sizes:
        models = {i.name: build_model(i.factory, spec, ctx, config.seed) for i in implementations}
        rows += bench_batch_size(models, batch_size, ctx, config.seed, config.repeat)
    return BenchResult(bench_settings(config, [i.name for i in implementations], ctx), environment, rows)
