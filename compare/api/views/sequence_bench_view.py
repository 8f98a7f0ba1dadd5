"""`compare.bench(model="rnn")`'s result: characters per second of each implementation's training step and
forward pass, with its ratio to scratch; printed, the command's table."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from rich.console import RenderableType

from compare.api.views.shown import Shown
from compare.files import write_text_atomically
from compare.results.sequence_bench_types import SequenceBenchData


class SequenceBenchReport(Shown):
    """`train(name)` and `forward(name)`: the median characters/s; `ratio(name)`: the training rate over
    scratch's, paired by round; `failures`: implementations whose code failed."""

    def __init__(self, data: SequenceBenchData) -> None:
        self.data = data

    @property
    def names(self) -> list[str]:
        return [row.implementation for row in self.data.rows]

    @property
    def failures(self) -> dict[str, str]:
        return dict(self.data.failures)

    def train(self, name: str) -> Optional[float]:
        row = self.data.row(name)
        return None if row is None else row.train.median

    def forward(self, name: str) -> Optional[float]:
        row = self.data.row(name)
        return None if row is None else row.forward.median

    def ratio(self, name: str) -> Optional[float]:
        interval = self.data.ratio(name, "scratch", "train")
        return None if interval is None else interval.mean

    def to_json(self, path: Union[str, Path]) -> Path:
        write_text_atomically(Path(path), self.data.to_json())
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.sequence_bench_tables import sequence_bench_report

        return sequence_bench_report(self.data)

    def __repr__(self) -> str:
        rates = ", ".join(f"{name} {self.train(name):,.0f} chars/s" for name in self.names)
        return f"<SequenceBenchReport {self.data.settings.get('model')}: {rates}>"
