"""`compare tune`'s configuration: MXNet's load-time settings measured for a model's implementations. No mxnet."""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from compare.config.options import Options, given
from compare.config.workload import TIMED_BATCH, Workload
from compare.devices.topology import check_splittable
from compare.validation import MAX_REPEATS, check_bounded

MAX_TUNE_ROUNDS = 20


@dataclass(frozen=True)
class TuneConfig:
    """`compare tune`: MXNet's load-time settings measured for these implementations, batch size and contexts
    (several contexts: the synchronous engine is not a candidate; the workload's own settings are not used)."""

    workload: Workload
    batch_size: int = TIMED_BATCH
    rounds: int = 3  # each stage's candidates measured this many times, the order rotating
    repeat: int = 5  # bench's timed repeats inside each candidate's process (their median is its rate)
    json_path: Optional[Path] = None

    @classmethod
    def resolve(cls, model: str, implementations: Sequence[str], options: Options) -> "TuneConfig":
        """The complete config the options give."""
        return cls(Workload.resolve(model, tuple(implementations), options), **given(  # type: ignore[arg-type]
            batch_size=options.whole("batch_size"), rounds=options.whole("rounds"), repeat=options.whole("repeat"),
            json_path=options.file_path("json")))

    def __post_init__(self) -> None:
        self.workload.check_one_seed()
        check_bounded("--batch-size", self.batch_size, 1, 65536)
        check_bounded("--rounds", self.rounds, 2, MAX_TUNE_ROUNDS)  # one round has no interval
        check_bounded("--repeat", self.repeat, 1, MAX_REPEATS)
        check_splittable(self.batch_size, len(self.workload.contexts), 1)
