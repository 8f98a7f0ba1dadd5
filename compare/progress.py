"""Progress while training: rich bars on a terminal, one plain line per epoch otherwise, or nothing."""
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from compare.reports import format_loss
from compare.results import EpochResult, ImplementationResult


class PlainProgress:
    """One line per finished epoch and implementation, for logs and pipes."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def implementation_started(self, name: str, epochs: int, steps_per_epoch: int) -> None:
        self.console.print(f"{name}: training {epochs} epoch(s) of {steps_per_epoch} steps")

    def step_done(self, name: str) -> None:
        pass

    def epoch_done(self, name: str, epoch: EpochResult) -> None:
        self.console.print(
            f"{name}: epoch {epoch.epoch} train loss {format_loss(epoch.train_loss)}, "
            f"test accuracy {epoch.test_accuracy:.2%}, {epoch.train_samples_per_second:,.0f} samples/s"
        )

    def implementation_done(self, result: ImplementationResult) -> None:
        if result.status != "ok":
            self.console.print(f"{result.name}: {result.status}")


class BarProgress(PlainProgress):
    """A rich progress bar per implementation, plus the plain epoch lines above it."""

    def __init__(self, console: Console) -> None:
        super().__init__(console)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        )
        self.tasks: dict[str, int] = {}

    def implementation_started(self, name: str, epochs: int, steps_per_epoch: int) -> None:
        self.progress.start()
        self.tasks[name] = self.progress.add_task(name, total=epochs * steps_per_epoch)

    def step_done(self, name: str) -> None:
        self.progress.advance(self.tasks[name])

    def implementation_done(self, result: ImplementationResult) -> None:
        self.progress.stop()
        super().implementation_done(result)
