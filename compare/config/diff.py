"""`compare diff`'s configuration: two results files (or parameter files) of the same kind. No mxnet."""
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from compare.config.options import Options, given
from compare.errors import UsageError


@dataclass(frozen=True)
class DiffConfig:
    """`compare diff`: two results files of the same kind."""

    old_path: Path
    new_path: Path
    threshold_percent: float = 10.0  # used where a file has a single sample (one seed, one repeat)
    fail_on_regression: bool = False  # the command's exit code says whether a metric regressed
    json_path: Optional[Path] = None

    @classmethod
    def resolve(cls, old: Path, new: Path, options: Options, fail_on_regression: bool = False) -> "DiffConfig":
        """The complete config the options give (`fail_on_regression`: the command line's exit code only)."""
        return cls(old, new, **given(threshold_percent=options.number("threshold"),  # type: ignore[arg-type]
                                     json_path=options.file_path("json")), fail_on_regression=fail_on_regression)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.threshold_percent) and self.threshold_percent >= 0):
            raise UsageError(f"--threshold must be a percentage ≥ 0, got {self.threshold_percent}")
