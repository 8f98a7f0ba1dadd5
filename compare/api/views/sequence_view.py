"""`compare.run(model="rnn")`'s result: per implementation, every epoch's perplexity and characters per second, and
the text predicted from the prefixes; printed, the command's tables."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from rich.console import RenderableType

from compare.api.views.shown import Picture, Shown, with_interrupted_note
from compare.files import write_text_atomically
from compare.results.sequence_types import SequenceEpoch, SequenceRunData


class SequenceRunResult(Shown):
    """What `compare.run` measured of a language model.

    `perplexity(name)` is the last epoch's (None where it diverged or failed), `epochs(name)` every epoch,
    `predictions(name)` the text predicted after the last epoch (prefix -> text), `to_records()` one dict per
    implementation and epoch, `to_json(path)` the file `compare run --json` writes."""

    def __init__(self, data: SequenceRunData) -> None:
        self.data = data

    @property
    def names(self) -> list[str]:
        return self.data.names()

    @property
    def interrupted(self) -> bool:
        return self.data.interrupted

    @property
    def passed(self) -> bool:
        """No implementation diverged or failed, and the run was not interrupted."""
        return not self.data.has_failures() and not self.data.interrupted

    @property
    def vocabulary(self) -> str:
        """The text's characters in index order: the rows of the output layer."""
        return str(self.data.text["vocabulary"])

    def status(self, name: str) -> str:
        return self.data.result(name).status.value

    def perplexity(self, name: str) -> Optional[float]:
        return self.data.result(name).perplexity()

    def perplexities(self) -> dict[str, Optional[float]]:
        return {name: self.perplexity(name) for name in self.names}

    def epochs(self, name: str) -> list[SequenceEpoch]:
        return list(self.data.result(name).epochs)

    def throughput(self, name: str) -> Optional[float]:
        """Characters per second: the median epoch's, the first left out."""
        return self.data.result(name).characters_per_second()

    def predictions(self, name: str) -> dict[str, str]:
        return self.data.result(name).final_predictions()

    def to_records(self) -> list[dict]:
        return [{"implementation": result.name, "status": result.status.value, "epoch": epoch.epoch,
                 "perplexity": epoch.perplexity, "seconds": epoch.seconds,
                 "characters_per_second": epoch.characters_per_second}
                for result in self.data.results for epoch in result.epochs]

    def to_json(self, path: Union[str, Path]) -> Path:
        write_text_atomically(Path(path), self.data.to_json())
        return Path(path)

    def learning_curves(self) -> Picture:
        """Perplexity per epoch, one line per implementation."""
        from compare.reporting.sequence_plots import perplexity_figure

        return Picture(perplexity_figure(self.data))

    def renderable(self) -> RenderableType:
        from compare.reporting.sequence_tables import sequence_report

        return with_interrupted_note(sequence_report(self.data), self.interrupted)

    def __repr__(self) -> str:
        parts = [f"{name} {'-' if value is None else f'perplexity {value:.3f}'}"
                 for name, value in self.perplexities().items()]
        state = ", interrupted" if self.interrupted else ""
        return f"<SequenceRunResult {self.data.recipe.get('model')}{state}: {', '.join(parts)}>"
