"""Steady-state samples/s of a training step and a forward pass per implementation and batch size.

A fixed synthetic batch (data loading is not what is measured), warm-up calls discarded (they build the
hybridized graph), then `repeat` engine-synced timings of a fixed number of calls, the implementations
taking turns. Unlike `run`, steps are not synced one by one: this is the cost of the step itself.
Returns a BenchResult; prints nothing.
"""
import logging
from dataclasses import dataclass
from functools import partial
from typing import Callable, Optional

import numpy as np

from compare.config.bench import BenchConfig
from compare.data.batches import Batch, synthetic_batch
from compare.devices.contexts import contexts_text
from compare.devices.topology import Topology
from compare.errors import one_line
from compare.loading import Implementation
from compare.measuring.machine_limit import arithmetic_record, measure_gemms
from compare.measuring.machine_load import average_other_cores
from compare.measuring.timing import time_interleaved
from compare.reporting.metric_tables import timed_optimizer_text
from compare.results.measures import BenchResult, BenchRow, Spread
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt, deferred_signals
from compare.training.precision import operators_for
from compare.training.steps import objective_for, training_step
from implementations.protocol import Model, summed_by
from implementations.registry import build_model

LOG = logging.getLogger(__name__)
WARMUP_CALLS = 3
SAMPLES_PER_REPEAT = 512  # calls per timed repeat = max(3, this // batch size)


def calls_per_repeat(batch_size: int) -> int:
    return max(3, SAMPLES_PER_REPEAT // batch_size)


def forward_shards(model: Model, shards: list[Batch]) -> None:
    for shard in shards:
        model.forward(shard.images)


def bench_batch_size(models: dict[str, Model], batch_size: int, topology: Topology, config: BenchConfig,
                     around: Optional[dict] = None) -> tuple[list[BenchRow], dict[str, str]]:
    """Training-step and forward samples/s of every model on one fixed batch, repeats interleaved; and the
    models whose own code failed (name -> reason), measured no further.

    The batch is the global one, split by `topology` the way `run` splits it; the rates are the global batch's
    samples per second of this worker's clock (every timed block starts at the workers' barrier). `around`: the
    block each model is timed in, by name (a bf16 model's operators).
    """
    spec = config.workload.spec()
    images, labels = synthetic_batch(batch_size, topology.home, config.workload.seed, spec)
    repeats = config.repeat
    shards = topology.split(Batch(images, labels))
    loss, calls = objective_for(spec), calls_per_repeat(batch_size)
    train = time_interleaved(
        {name: partial(training_step, model, shards, batch_size, config.workload.timed_optimizer.learning_rate,
                       loss.of(model))
         for name, model in models.items()}, WARMUP_CALLS, repeats, calls, topology.barrier, around)
    inference = time_interleaved(
        {name: partial(forward_shards, model, shards) for name, model in models.items() if name in train.seconds},
        WARMUP_CALLS, repeats, calls, topology.barrier, around)
    failures = {**train.failures, **inference.failures}
    for name, model in models.items():
        if name in failures:
            continue
        logits = model.forward(shards[0].images).asnumpy()
        if logits.shape != (shards[0].size, loss.num_classes) or not np.isfinite(logits).all():
            failures[name] = f"non-finite or misshapen logits after benchmarking at batch {batch_size}"
    samples = batch_size * calls
    seconds = sum(sum(s) for s in train.seconds.values()) + sum(sum(s) for s in inference.seconds.values())
    busiest = average_other_cores(train.other_cpu_seconds + inference.other_cpu_seconds, seconds)
    rows = [BenchRow(name, batch_size, Spread.from_seconds(train.seconds[name], samples),
                     Spread.from_seconds(inference.seconds[name], samples), busiest, devices=topology.pieces,
                     summed_by=summed_by(model) if topology.data_parallel else "")
            for name, model in models.items() if name not in failures]
    return rows, {name: f"batch {batch_size}: {reason}" for name, reason in failures.items()}


@dataclass(frozen=True)
class BenchJob:
    """What `bench` measures: the implementations, at which batch sizes, where, and with what environment."""

    config: BenchConfig
    sizes: tuple[int, ...]
    implementations: list[Implementation]
    topology: Topology
    environment: dict[str, object]


def bench_settings(job: BenchJob) -> dict[str, object]:
    """What the measurements were taken with, for the header and the JSON."""
    topology, workload = job.topology, job.config.workload
    return {"model": workload.model, "implementations": [i.name for i in job.implementations],
            "batch_sizes": list(job.sizes),
            "repeat": job.config.repeat, "context": contexts_text(workload.contexts), "devices": topology.pieces,
            "kvstore": topology.kvstore if topology.data_parallel else None,
            "warmup_calls": WARMUP_CALLS, "samples_per_repeat": SAMPLES_PER_REPEAT, "seed": workload.seed,
            "optimizer": timed_optimizer_text(workload.timed_optimizer.recorded())}


def run_bench(job: BenchJob) -> BenchResult:
    """Every implementation x batch size measured by the same function under each topology: the home context
    alone (rank 0 measures it while the other workers wait) and, when data parallel, the whole topology."""
    topology, workload = job.topology, job.config.workload
    spec, seed = workload.spec(), workload.seed
    topologies = ([topology.alone()] if topology.reports else []) + ([topology] if topology.data_parallel else [])
    rows, failures = [], {}
    try:
        for batch_size in job.sizes:
            for where in topologies:
                where.barrier()  # the whole topology: every worker starts together (alone: nothing to wait for)
                working = [i for i in job.implementations if i.name not in failures]  # a failed one: not again
                models = _build_each(working, lambda i: build_model(i.factory, spec, where.devices(), seed,
                                                                    workload.optimizer), failures)
                measured, failed = bench_batch_size(models, batch_size, where, job.config,
                                                    {i.name: operators_for(i) for i in working})
                rows, failures = rows + measured, {**failures, **failed}
    except Interrupt:  # the batch sizes measured so far are kept, shown and written
        return BenchResult(bench_settings(job), job.environment, rows, failures, interrupted=True)
    settings = bench_settings(job)
    # the machine's limit under the same settings, once the networks are measured (a regression's few FLOPs per
    # example measure no arithmetic)
    if topology.reports and spec.task == "classification":
        try:
            with deferred_signals():
                settings["arithmetic"] = arithmetic_record(spec, measure_gemms(topology.home))
        except Interrupt:
            return BenchResult(settings, job.environment, rows, failures, interrupted=True)
    return BenchResult(settings, job.environment, rows, failures)


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
