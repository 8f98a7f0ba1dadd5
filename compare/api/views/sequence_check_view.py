"""`compare.check(model="rnn")`'s result: the verdict over time, where each implementation first differs (the
quantity, its batch and time step) and why; `assert_passed()` for an autograder; printed, the command's table."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from rich.console import Group, RenderableType
from rich.text import Text

from compare.api.views.shown import Shown
from compare.files import write_text_atomically
from compare.results.sequence_check_types import SequenceCheckData, SequenceVerdict


class SequenceCheckResult(Shown):
    """What `compare.check` found of a language model: `passed`, `verdicts` (one per implementation: its rows,
    `first`, `cause`), `first_difference` (the first failing implementation's explanation), `assert_passed()`."""

    def __init__(self, data: SequenceCheckData, environment: dict) -> None:
        self.data, self.environment = data, environment

    @property
    def passed(self) -> bool:
        return self.data.passed

    @property
    def implementations(self) -> list[str]:
        return [verdict.name for verdict in self.data.verdicts]

    @property
    def verdicts(self) -> list[SequenceVerdict]:
        return list(self.data.verdicts)

    @property
    def first_difference(self) -> Optional[str]:
        """The first failing implementation's explanation (None when the check passed)."""
        failed = [verdict for verdict in self.data.verdicts if not verdict.passed]
        return failed[0].explanation() if failed else None

    def assert_passed(self) -> None:
        """AssertionError with the first failing implementation's explanation, unless the check passed."""
        if self.first_difference is not None:
            raise AssertionError(self.first_difference)

    def to_json(self, path: Union[str, Path]) -> Path:
        write_text_atomically(Path(path), self.data.to_json(self.environment))
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.sequence_check_tables import sequence_check_lines, sequence_check_table

        return Group(sequence_check_table(self.data), *(Text(line) for line in sequence_check_lines(self.data)))

    def __repr__(self) -> str:
        return f"<SequenceCheckResult {'passed' if self.passed else f'failed: {self.first_difference}'}>"
