"""`compare bench`'s configuration: steady-state samples/s per implementation and batch size. No mxnet."""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from compare.config.options import Options, given
from compare.config.workload import TIMED_BATCH, Workload
from compare.devices.topology import LAUNCHED_WORKER, check_splittable, choose_kvstore
from compare.errors import UsageError
from compare.validation import MAX_BATCH_SIZES, MAX_REPEATS, check_bounded
from implementations.spec_base import NetworkSpec

DEFAULT_BENCH_SIZES = (1, 64, TIMED_BATCH)


@dataclass(frozen=True)
class BenchConfig:
    """`compare bench`: steady-state samples/s per implementation and batch size (several contexts: also the
    scaling against one device)."""

    workload: Workload
    # None: DEFAULT_BENCH_SIZES, those the devices can split (how many there are is known once the job runs:
    # `sizes_for`)
    batch_sizes: Optional[tuple[int, ...]] = None
    repeat: int = 5  # timed repeats per measurement, the implementations taking turns
    json_path: Optional[Path] = None

    @classmethod
    def resolve(cls, model: str, implementations: Sequence[str], options: Options) -> "BenchConfig":
        """The complete config the options give."""
        return cls(Workload.resolve(model, tuple(implementations), options), **given(  # type: ignore[arg-type]
            batch_sizes=options.batch_sizes(), repeat=options.whole("repeat"), json_path=options.file_path("json")))

    def __post_init__(self) -> None:
        self.workload.check_one_seed()
        self.workload.check_one_optimizer()
        if self.batch_sizes is not None and (not self.batch_sizes or min(self.batch_sizes) < 1):
            raise UsageError(f"--batch-size values must be at least 1, got {','.join(map(str, self.batch_sizes))}")
        if self.batch_sizes is not None and len(set(self.batch_sizes)) != len(self.batch_sizes):
            raise UsageError(f"--batch-size repeats a size: {','.join(map(str, self.batch_sizes))}")
        if self.batch_sizes is not None and len(self.batch_sizes) > MAX_BATCH_SIZES:
            raise UsageError(f"--batch-size names {len(self.batch_sizes)} sizes; at most {MAX_BATCH_SIZES}")
        check_bounded("--repeat", self.repeat, 1, MAX_REPEATS)

    def sizes_for(self, workers: int) -> tuple[int, ...]:
        """The batch sizes to measure over the contexts of `workers` processes; a given size too small to split
        is a UsageError, a default one is left out."""
        pieces = workers * len(self.workload.contexts)
        if self.batch_sizes is None:
            return tuple(size for size in DEFAULT_BENCH_SIZES if size >= pieces) or (pieces,)
        check_splittable(min(self.batch_sizes), len(self.workload.contexts), workers)
        return self.batch_sizes

    def spec(self) -> NetworkSpec:
        """The spec its implementations are built from: the model's, with its chapter's initialisation."""
        return self.workload.spec()

    def check_launchable(self, workers: int) -> None:
        """UsageError unless `workers` launched processes can run this (its KVStore, its batch sizes split)."""
        choose_kvstore(self.workload.kvstore, LAUNCHED_WORKER)
        self.sizes_for(workers)
