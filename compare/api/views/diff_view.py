"""`compare.diff`'s result: two results files (run or bench) compared metric by metric, or two parameter files
array by array, as numbers and as the command's tables."""
from dataclasses import asdict
from pathlib import Path
from typing import Optional, Union

from rich.console import RenderableType

from compare.api.views.shown import Shown
from compare.files import write_text_atomically
from compare.results.comparison import DiffResult
from compare.results.params_comparison import ParamsDiffResult


class DiffReport(Shown):
    """What `compare.diff` found. Two results files: every metric's change and whether it is beyond the noise,
    the `regressions` (slower, less accurate, runs that stopped ending well), differences in recipe and
    environment first. Two parameter files: how far apart each array is, and the `first_difference`."""

    def __init__(self, data: Union[DiffResult, ParamsDiffResult], old: Path, new: Path) -> None:
        self.data = data
        self.old, self.new = Path(old), Path(new)

    @property
    def parameters(self) -> bool:
        """True for two parameter files (`run --save-params`), False for two results files."""
        return isinstance(self.data, ParamsDiffResult)

    @property
    def regressions(self) -> list:
        """The rows that got worse beyond the noise (none between parameter files: weights do not regress)."""
        return [] if isinstance(self.data, ParamsDiffResult) else self.data.regressions()

    @property
    def first_difference(self) -> Optional[str]:
        """The first array that differs between two parameter files (None when all are bit-identical, and for
        results files)."""
        return self.data.first_difference if isinstance(self.data, ParamsDiffResult) else None

    def to_records(self) -> list[dict]:
        """One plain dict per metric change (results files) or per array (parameter files)."""
        if isinstance(self.data, ParamsDiffResult):
            return [{**asdict(change), "identical": change.identical} for change in self.data.arrays]
        return [{**asdict(change), "change_percent": change.change_percent, "verdict": change.verdict}
                for change in self.data.changes]

    def json_text(self) -> str:
        """The JSON `compare diff --json` writes."""
        from compare.results.json_io import diff_to_json, params_diff_to_json

        if isinstance(self.data, ParamsDiffResult):
            return params_diff_to_json(self.data)
        return diff_to_json(self.data)

    def to_json(self, path: Union[str, Path]) -> Path:
        """The file `compare diff --json` writes."""
        write_text_atomically(Path(path), self.json_text())
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.diff_tables import diff_report, params_diff_report

        if isinstance(self.data, ParamsDiffResult):
            return params_diff_report(self.data, self.old, self.new)
        return diff_report(self.data, self.old, self.new)

    def __repr__(self) -> str:
        if isinstance(self.data, ParamsDiffResult):
            first = self.first_difference
            return f"<DiffReport {self.data.model} parameters: {'identical' if first is None else f'first difference at {first}'}>"
        return f"<DiffReport {self.data.kind}: {len(self.regressions)} regression(s)>"
