"""Progress for the Python API: an HTML bar that updates in place in Jupyter, a rich bar on an interactive
terminal, nothing elsewhere (a script's stderr carries only what its author asked for)."""
import html
import sys
import time
from typing import Callable

from rich.console import Console

from compare.reporting.metric_tables import test_metric_text
from compare.reporting.progress import BarProgress, SilentListener
from compare.results.types import EpochResult, ImplementationResult

UPDATE_SECONDS = 0.25  # at most this often: a display update per step would flood the notebook's messages


def in_jupyter() -> bool:
    """True inside a Jupyter kernel (rich's own test: the ZMQ shell of IPython)."""
    from rich.console import _is_jupyter

    return _is_jupyter()


class NotebookProgress:
    """One `<progress>` bar per implementation and its last epoch's line, updated in place (a display id)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        from IPython.display import HTML, display

        self.clock, self.html = clock, HTML
        self.handle = display(HTML(""), display_id=True)
        self.rows: dict[str, list] = {}  # label -> [steps done, total, last line]
        self.current: "str | None" = None  # the label training now
        self.shown_at = 0.0

    def implementation_started(self, name: str, epochs: int, steps_per_epoch: int) -> None:
        self.rows[name] = [0, epochs * steps_per_epoch, "training"]  # `name` may be 'name (seed N)'
        self.current = name
        self._show(force=True)

    def step_done(self, name: str) -> None:
        self.rows[name][0] += 1
        self._show()

    def epoch_done(self, name: str, epoch: EpochResult) -> None:
        self.rows[name][2] = (f"epoch {epoch.epoch}: {test_metric_text(epoch)}, "
                              f"{epoch.train_samples_per_second:,.0f} samples/s")
        self._show(force=True)

    def implementation_done(self, result: ImplementationResult) -> None:
        """The row of the implementation that just ended (its label may carry a seed); one of its own where it
        ended before it started training (building or warming up failed)."""
        label = self.current if self.current is not None and self.current.startswith(result.name) else result.name
        row = self.rows.setdefault(label, [0, 0, ""])
        row[2] = result.status.value if not result.message else f"{result.status.value} ({result.message})"
        self.current = None
        self._show(force=True)

    def _show(self, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self.shown_at < UPDATE_SECONDS:
            return
        self.shown_at = now
        lines = [f"<tr><td>{html.escape(name)}</td><td><progress value='{done}' max='{total}'></progress></td>"
                 f"<td>{done}/{total}</td><td>{html.escape(text)}</td></tr>"
                 for name, (done, total, text) in self.rows.items()]
        self.handle.update(self.html(f"<table>{''.join(lines)}</table>"))


def progress_listener(quiet: bool) -> "NotebookProgress | BarProgress | SilentListener":
    """The bar for where the API runs: Jupyter, an interactive terminal (stderr), or nowhere."""
    if quiet:
        return SilentListener()
    if in_jupyter():
        return NotebookProgress()
    if sys.stderr.isatty():
        return BarProgress(Console(stderr=True))
    return SilentListener()


def sequence_progress(quiet: bool) -> Callable:
    """A language model's epochs as `NotebookProgress` rows in Jupyter (one bar per implementation, its last
    epoch's perplexity and characters/s); nothing elsewhere. An `EpochListener` (name, epoch, epochs)."""
    if quiet or not in_jupyter():
        return lambda name, epoch, epochs: None
    bars = NotebookProgress()

    def listen(name: str, epoch, epochs: int) -> None:  # type: ignore[no-untyped-def]
        if name not in bars.rows:
            bars.implementation_started(name, epochs, 1)
        bars.rows[name][2] = (f"epoch {epoch.epoch}: perplexity {epoch.perplexity:.3f}, "
                              f"{epoch.characters_per_second:,.0f} chars/s")
        bars.step_done(name)
    return listen
