"""`compare.run`'s result: every epoch's accuracy, loss and throughput per implementation and seed, as numbers
and as the command's tables."""
from pathlib import Path
from typing import Optional, Union

from rich.console import RenderableType

from compare.api.views.shown import Picture, Shown, with_interrupted_note
from compare.errors import UsageError
from compare.files import write_text_atomically
from compare.results.types import EpochResult, ImplementationResult, RunData, Status


def _last(result: ImplementationResult, metric: str) -> Optional[float]:
    """`metric` of the last epoch that finished, where that is what it learned: the run ended well, or an interrupt
    stopped it later (diverged or failed: its numbers mean nothing)."""
    if result.status not in (Status.OK, Status.INTERRUPTED) or not result.epochs:
        return None
    return getattr(result.epochs[-1], metric)


class RunResult(Shown):
    """What `compare.run` measured: per implementation and seed, every epoch's accuracy, loss and throughput.

    `accuracy(name)` is the final test accuracy (a fraction), `epochs(name)` the per-epoch records,
    `to_records()` one dict per implementation, seed and epoch (for pandas or a plot), `to_json(path)` the
    file `compare run --json` writes, `learning_curves()` the picture; printed, it is the command's tables.
    """

    def __init__(self, data: RunData, target_accuracy: Optional[float] = None) -> None:
        self.data = data
        self.target_accuracy = target_accuracy

    @property
    def names(self) -> list[str]:
        return self.data.names()

    @property
    def seeds(self) -> list[int]:
        return [run.seed for run in self.data.runs]

    @property
    def interrupted(self) -> bool:
        """True when Ctrl-C (a kernel interrupt) ended the run early: what finished is kept."""
        return self.data.interrupted

    @property
    def passed(self) -> bool:
        """No implementation diverged or failed, and the run was not interrupted."""
        return not self.data.has_failures() and not self.data.interrupted

    def _result(self, name: str, seed: Optional[int]) -> ImplementationResult:
        runs = [run for run in self.data.runs if seed is None or run.seed == seed]
        if not runs or name not in runs[0].results:
            raise KeyError(f"no result for {name!r}{'' if seed is None else f' with seed {seed}'}; "
                           f"implementations: {', '.join(self.names)}; seeds: {self.seeds}")
        return runs[0].results[name]

    def status(self, name: str, seed: Optional[int] = None) -> str:
        """How `name`'s run ended: ok, diverged, failed or interrupted."""
        return self._result(name, seed).status.value

    def _classifies(self, asked: str) -> None:
        """UsageError for `asked` (accuracy) of a regression, which has none: its measure is the test loss."""
        from compare.results.types import classifies

        if not classifies(self.data.recipe):
            raise UsageError(f"{asked}: --model {self.data.recipe.get('model')} is a regression, which has no "
                             "accuracy; its measure is the test loss: result.test_loss(name)")

    def accuracy(self, name: str, seed: Optional[int] = None) -> Optional[float]:
        """Final test accuracy of `name` (first seed unless given), a fraction; after an interrupt, its last finished
        epoch's; None where it diverged or failed, or finished no epoch. A regression has none: `test_loss`."""
        self._classifies("accuracy()")
        return _last(self._result(name, seed), "test_accuracy")

    def test_loss(self, name: str, seed: Optional[int] = None) -> Optional[float]:
        """Final mean test loss of `name` (first seed unless given); after an interrupt, its last finished epoch's;
        None where it diverged or failed, or finished no epoch."""
        return _last(self._result(name, seed), "test_loss")

    def accuracies(self, seed: Optional[int] = None) -> dict[str, Optional[float]]:
        """Every implementation's final test accuracy (after an interrupt, its last finished epoch's; None where it
        diverged or failed). A regression has none: `test_loss`."""
        self._classifies("accuracies()")
        return {name: self.accuracy(name, seed) for name in self.names}

    def epochs(self, name: str, seed: Optional[int] = None) -> list[EpochResult]:
        """Every finished epoch of `name`: losses, accuracies, seconds and samples/s."""
        return list(self._result(name, seed).epochs)

    def throughput(self, name: str, seed: Optional[int] = None) -> dict[str, Optional[float]]:
        """Training and evaluation samples/s over all epochs (engine-synced, warm-up excluded)."""
        result = self._result(name, seed)
        return {"train": result.train_samples_per_second(), "eval": result.eval_samples_per_second()}

    def to_records(self) -> list[dict]:
        """One plain dict per implementation, seed and epoch."""
        return [{"implementation": name, "seed": run.seed, "status": result.status.value, **vars(epoch)}
                for run in self.data.runs for name, result in run.results.items() for epoch in result.epochs]

    def to_json(self, path: Union[str, Path]) -> Path:
        """The results file, as `compare run --json` writes it (readable by `compare.load`, diff and plot)."""
        from compare.results.json_io import run_to_json

        write_text_atomically(Path(path), run_to_json(self.data))
        return Path(path)

    def learning_curves(self) -> Picture:
        """Test accuracy (a regression: test loss) and training loss per epoch, one line per implementation."""
        from compare.reporting.plots import learning_curves_figure

        return Picture(learning_curves_figure(self.data))

    def renderable(self) -> RenderableType:
        from compare.reporting.run_tables import run_report

        return with_interrupted_note(run_report(self.data, self.target_accuracy), self.interrupted)

    def __repr__(self) -> str:
        from compare.results.types import classifies

        if classifies(self.data.recipe):
            parts = [f"{name} {'-' if value is None else f'{value:.2%}'}" for name, value in self.accuracies().items()]
        else:  # a regression: its final test loss
            parts = [f"{name} {'-' if value is None else f'test loss {value:.3g}'}"
                     for name, value in ((name, self.test_loss(name)) for name in self.names)]
        state = ", interrupted" if self.interrupted else ""
        return f"<RunResult {self.data.recipe.get('model')}{state}: {', '.join(parts)}>"
