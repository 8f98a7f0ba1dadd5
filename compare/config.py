"""The run configuration: one frozen dataclass, built once from the command line and passed down."""
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from compare.contexts import ContextSpec
from compare.errors import UsageError
from implementations.protocol import LeNetSpec


def parse_names(text: str) -> tuple[str, ...]:
    """'scratch, gluon' -> ('scratch', 'gluon'); empty means every implementation."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


def check_implementation_names(names: tuple[str, ...], known: list[str]) -> None:
    """UsageError naming the unknown implementations and listing the valid ones, sorted."""
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown implementation {', '.join(unknown)}; valid: {', '.join(sorted(known))}")


def select_implementations(text: str, known: list[str]) -> list[str]:
    """The --impl list, checked against `known`; empty text selects every known implementation."""
    names = parse_names(text)
    check_implementation_names(names, known)
    return list(names) or list(known)


@dataclass(frozen=True)
class RunConfig:
    """Everything `compare run` needs; defaults are the tutorial's recipe."""

    epochs: int = 5
    batch_size: int = 256
    learning_rate: float = 0.2
    seed: int = 0  # one seed: initial weights and every epoch's batch order
    init: str = "normal"  # "normal" (N(0, weight_scale)) or "xavier"
    weight_scale: float = 0.01
    implementations: tuple[str, ...] = ()  # empty: every registered implementation
    context: ContextSpec = ContextSpec("cpu")
    data_dir: Optional[Path] = None  # None: search MXNET_HOME, then Debian's package
    limit: Optional[int] = None  # use only the first `limit` training examples
    target_accuracy: Optional[float] = None  # report the time each model takes to reach it
    json_path: Optional[Path] = None
    save_params_dir: Optional[Path] = None
    plots_dir: Optional[Path] = None
    quiet: bool = False

    def validate(self, known_implementations: list[str]) -> None:
        """Raise UsageError for any value that cannot start a meaningful run."""
        if self.epochs <= 0:
            raise UsageError(f"--epochs must be at least 1, got {self.epochs}")
        if self.batch_size <= 0:
            raise UsageError(f"--batch-size must be at least 1, got {self.batch_size}")
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise UsageError(f"--lr must be a positive finite number, got {self.learning_rate}")
        if self.limit is not None and self.limit < 1:
            raise UsageError(f"--limit must be at least 1, got {self.limit}")
        if self.target_accuracy is not None and not 0 < self.target_accuracy <= 1:
            raise UsageError(f"--target-accuracy must be in (0, 1], got {self.target_accuracy}")
        check_implementation_names(self.implementations, known_implementations)
        try:
            self.spec()
        except ValueError as error:
            raise UsageError(str(error)) from error

    def spec(self) -> LeNetSpec:
        """The model specification this run trains."""
        return LeNetSpec(init=self.init, weight_scale=self.weight_scale)

    def to_json(self) -> dict[str, object]:
        """Plain JSON types: paths and the context as strings."""
        values = asdict(self)
        values["context"] = str(self.context)
        values["implementations"] = list(self.implementations)
        for key in ("data_dir", "json_path", "save_params_dir", "plots_dir"):
            values[key] = None if values[key] is None else str(values[key])
        return values
