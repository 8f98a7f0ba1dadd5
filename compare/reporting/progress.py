"""Progress while training: rich bars on a terminal, one plain line per epoch otherwise, or nothing."""
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from compare.reporting.metric_tables import format_loss, test_metric_text
from compare.results.types import EpochResult, ImplementationResult, Status


class SilentListener:
    """A listener that ignores everything."""

    def implementation_started(self, name: str, epochs: int, steps_per_epoch: int) -> None:
        pass

    def step_done(self, name: str) -> None:
        pass

    def epoch_done(self, name: str, epoch: EpochResult) -> None:
        pass

    def implementation_done(self, result: ImplementationResult) -> None:
        pass


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
            f"{test_metric_text(epoch)}, {epoch.train_samples_per_second:,.0f} samples/s"
        )

    def implementation_done(self, result: ImplementationResult) -> None:
        if result.status != Status.OK:
            detail = f" ({result.message})" if result.message else ""
            self.console.print(f"{result.name}: {result.status.value}{detail}")


class BarProgress(PlainProgress):
    """A rich progress bar per implementation, plus the plain epoch lines above it."""

    def __init__(self, console: Console) -> None:
        super().__init__(console)
        self.progress = Progress(
            TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
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


def choose_listener(console: Console, quiet: bool) -> "PlainProgress | SilentListener":
    """Nothing with --quiet, bars on a terminal, plain epoch lines otherwise (logs, pipes)."""
    if quiet:
        return SilentListener()
    return BarProgress(console) if console.is_terminal else PlainProgress(console)
