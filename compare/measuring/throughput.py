"""Steady-state samples/s of a training step and a forward pass per implementation and batch size.

A fixed synthetic batch (data loading is not what is measured), warm-up calls discarded (they build the
hybridized graph), then `repeat` engine-synced timings of a fixed number of calls, the implementations
taking turns. Unlike `run`, steps are not synced one by one: this is the cost of the step itself.
Returns a BenchResult; prints nothing.
"""
import logging
from functools import partial
from typing import Callable, Optional

import numpy as np

from compare.config import BenchConfig
from compare.data.batches import Batch, synthetic_batch
from compare.devices.contexts import contexts_text
from compare.devices.topology import Sharding, WorkerGroup
from compare.errors import one_line
from compare.measuring.machine_load import average_other_cores
from compare.measuring.timing import time_interleaved
from compare.results.types import BenchResult, BenchRow, Spread
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from compare.training.selection import Implementation
from compare.training.steps import loss_function, training_step
from implementations.mxnet_compat import mx
from implementations.protocol import Devices, LeNetSpec, Model
from implementations.registry import build_model

LOG = logging.getLogger(__name__)
WARMUP_CALLS = 3
SAMPLES_PER_REPEAT = 512  # calls per timed repeat = max(3, this // batch size)
BENCH_LEARNING_RATE = 0.01  # small, so thousands of steps on one batch stay finite; cost does not depend on it


def calls_per_repeat(batch_size: int) -> int:
    return max(3, SAMPLES_PER_REPEAT // batch_size)


def forward_shards(model: Model, shards: list[Batch]) -> None:
    for shard in shards:
        model.forward(shard.images)


def bench_batch_size(models: dict[str, Model], batch_size: int, ctx: mx.Context, seed: int, repeats: int,
                     sharding: Optional[Sharding] = None, before_each: Callable[[], None] = lambda: None,
                     ) -> tuple[list[BenchRow], dict[str, str]]:
    """Training-step and forward samples/s of every model on one fixed batch, repeats interleaved; and the
    models whose own code failed (name -> reason), measured no further.

    Data parallel (`sharding` over several contexts or workers): the batch is the global one, split the
    way `run` splits it; the rates are the global batch's samples per second of this worker's clock.
    """
    sharding = sharding or Sharding((ctx,))
    images, labels = synthetic_batch(batch_size, ctx, seed)
    shards = sharding.split(Batch(images, labels))
    loss, calls = loss_function(LeNetSpec().num_classes), calls_per_repeat(batch_size)
    train = time_interleaved(
        {name: partial(training_step, model, shards, batch_size, BENCH_LEARNING_RATE, loss)
         for name, model in models.items()}, WARMUP_CALLS, repeats, calls, before_each)
    inference = time_interleaved(
        {name: partial(forward_shards, model, shards) for name, model in models.items() if name in train.seconds},
        WARMUP_CALLS, repeats, calls, before_each)
    failures = {**train.failures, **inference.failures}
    for name, model in models.items():
        if name in failures:
            continue
        logits = model.forward(shards[0].images).asnumpy()
        if logits.shape != (shards[0].size, 10) or not np.isfinite(logits).all():
            failures[name] = f"non-finite or misshapen logits after benchmarking at batch {batch_size}"
    samples = batch_size * calls
    seconds = sum(sum(s) for s in train.seconds.values()) + sum(sum(s) for s in inference.seconds.values())
    busiest = average_other_cores(train.other_cpu_seconds + inference.other_cpu_seconds, seconds)
    rows = [BenchRow(name, batch_size, Spread.from_seconds(train.seconds[name], samples),
                     Spread.from_seconds(inference.seconds[name], samples), busiest, devices=sharding.pieces,
                     summed_by=str(getattr(model, "gradients_summed_by", "")) if sharding.pieces > 1 else "")
            for name, model in models.items() if name not in failures]
    return rows, {name: f"batch {batch_size}: {reason}" for name, reason in failures.items()}


def bench_settings(config: BenchConfig, sizes: tuple[int, ...], names: list[str], group: WorkerGroup,
                   contexts: list) -> dict[str, object]:
    """What the measurements were taken with, for the header and the JSON."""
    return {"implementations": names, "batch_sizes": list(sizes), "repeat": config.repeat,
            "context": contexts_text(config.contexts), "devices": group.num_workers * len(contexts),
            "kvstore": group.kvstore if group.num_workers * len(contexts) > 1 else None,
            "warmup_calls": WARMUP_CALLS, "samples_per_repeat": SAMPLES_PER_REPEAT, "seed": config.seed}


def run_bench(config: BenchConfig, sizes: tuple[int, ...], implementations: list[Implementation],
              contexts: list, group: WorkerGroup, environment: dict[str, object]) -> BenchResult:
    """Measure every implementation x batch size on the first context alone; with several contexts or
    workers, then data parallel over all of them (while rank 0 measures alone, the others wait)."""
    spec, home, sharding = LeNetSpec(), contexts[0], group.sharding(contexts)
    rows, failures = [], {}
    for batch_size in sizes:
        working = [i for i in implementations if i.name not in failures]  # a failed one is not tried again
        if group.reports:
            models = _build_each(working, lambda i: build_model(i.factory, spec, Devices((home,)), config.seed),
                                 failures)
            measured, failed = bench_batch_size(models, batch_size, home, config.seed, config.repeat)
            rows, failures = rows + measured, {**failures, **failed}
        if sharding.pieces > 1:
            group.barrier()
            models = _build_each(working, lambda i: build_model(i.factory, spec, group.devices(contexts), config.seed),
                                 failures)
            measured, failed = bench_batch_size(models, batch_size, home, config.seed, config.repeat, sharding,
                                                group.barrier)
            rows, failures = rows + measured, {**failures, **failed}
    names = [i.name for i in implementations]
    return BenchResult(bench_settings(config, sizes, names, group, contexts), environment, rows, failures)


def _build_each(implementations: list[Implementation], build: Callable[[Implementation], Model],
                failures: dict[str, str]) -> dict[str, Model]:
    """Every implementation that builds; one whose own code fails is added to `failures`."""
    models = {}
    for implementation in implementations:
        try:
            models[implementation.name] = build(implementation)
        except Interrupt:
            raise
        except IMPLEMENTATION_ERRORS as error:
            LOG.debug("%s failed", implementation.name, exc_info=True)
            failures[implementation.name] = one_line(error)
    return models
