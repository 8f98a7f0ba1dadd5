"""`compare profile`'s configuration: K training steps per implementation under MXNet's profiler. No mxnet."""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from compare.config.options import Options, given
from compare.config.workload import TIMED_BATCH, Workload
from compare.devices.topology import check_splittable
from compare.errors import UsageError
from compare.validation import MAX_STEPS, check_bounded


@dataclass(frozen=True)
class ProfileConfig:
    """`compare profile`: K training steps per implementation under MXNet's profiler (several contexts: each
    step data parallel over them), at the workload's TIMED_LEARNING_RATE."""

    workload: Workload
    batch_size: int = TIMED_BATCH
    steps: int = 10  # profiled steps, after warm-up; the tables show per-step means
    trace_dir: Optional[Path] = None  # Chrome trace per implementation and the stacked-bar PNG go here
    json_path: Optional[Path] = None  # STDOUT: JSON to stdout, tables to stderr

    @classmethod
    def resolve(cls, model: str, implementations: Sequence[str], options: Options) -> "ProfileConfig":
        """The complete config the options give."""
        return cls(Workload.resolve(model, tuple(implementations), options), **given(  # type: ignore[arg-type]
            batch_size=options.whole("batch_size"), steps=options.whole("steps"), trace_dir=options.path("trace"),
            json_path=options.file_path("json")))

    def __post_init__(self) -> None:
        self.workload.check_one_seed()
        self.workload.check_one_optimizer()
        if self.batch_size < 1:
            raise UsageError(f"--batch-size must be at least 1, got {self.batch_size}")
        check_bounded("--steps", self.steps, 1, MAX_STEPS)
        check_splittable(self.batch_size, len(self.workload.contexts))
