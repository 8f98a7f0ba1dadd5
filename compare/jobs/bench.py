"""`bench` as a library call: steady-state samples/s per implementation and batch size. Prints nothing."""
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from compare.config.bench import BenchConfig
from compare.jobs.apply_settings import apply_mxnet_settings

if TYPE_CHECKING:
    from compare.loading import Entry
    from compare.results.measures import BenchResult


@dataclass
class BenchOutcome:
    """The measurements, and whether this process reports (rank 0 under `compare launch`)."""

    result: "BenchResult"
    reports: bool


def bench(config: BenchConfig, warn: Callable[[str], None],
          entries: "Optional[Sequence[Entry]]" = None) -> BenchOutcome:
    """Measure every implementation x batch size, engine-synced after warm-up, the implementations taking turns."""
    workload = config.workload
    apply_mxnet_settings(workload.mxnet, workload.contexts, warn)  # before anything loads mxnet
    from compare.devices.contexts import contexts_text
    from compare.devices.topology import Topology
    from compare.jobs.throughput import BenchJob, run_bench
    from compare.loading import select_implementations
    from compare.measuring.environment import capture_environment
    from compare.measuring.memory import MemoryNeed, available_bytes, check_fits
    from compare.measuring.precision import Bf16Operators
    from compare.training.precision import each_precision

    topology = Topology.from_flags(workload.contexts, workload.kvstore)
    sizes = config.sizes_for(topology.workers)
    check_fits(MemoryNeed(max(sizes), workload.spec().activation_values()), "--batch-size", available_bytes())
    implementations = each_precision(select_implementations(
        tuple(entries or workload.implementations), workload.spec(), workload.model, topology.home,
        data_parallel=topology.data_parallel, optimizers=workload.optimizers), workload.precisions,
        Bf16Operators.capture() if workload.bf16 else None)
    topology.join()
    environment = capture_environment(contexts_text(workload.contexts), topology.record())
    return BenchOutcome(run_bench(BenchJob(config, sizes, implementations, topology, environment)), topology.reports)
