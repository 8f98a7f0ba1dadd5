"""The Python API's results: values that show themselves. Each wraps the data a command's JSON comes from,
gives its numbers as plain Python, and renders as the command's own tables — HTML in Jupyter, text at 80
columns in `print` — and writes the same JSON. No mxnet behind them."""
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional, Union

from rich.console import Console, Group, RenderableType
from rich.text import Text

from compare.files import write_text_atomically
from compare.results.measures import BenchResult, ProfileResult, QuantityComparison
from compare.results.measures import CheckResult as CheckData
from compare.results.types import EpochResult, ImplementationResult
from compare.results.types import RunResult as RunData

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TEXT_WIDTH = 80  # every table reads at 80 columns
HTML_WIDTH = 100


class Shown:
    """Renders `renderable()` as text (`str`, `print`) and as HTML (Jupyter calls `_repr_html_`)."""

    def renderable(self) -> RenderableType:
        raise NotImplementedError

    def _console(self, width: int, record: bool) -> Console:
        return Console(file=io.StringIO(), width=width, color_system=None if not record else "truecolor",
                       record=record, markup=False, emoji=False, force_terminal=record, force_jupyter=False)

    def __str__(self) -> str:
        console = self._console(TEXT_WIDTH, record=False)
        console.print(self.renderable())
        return console.file.getvalue().rstrip("\n")  # type: ignore[attr-defined]

    def _repr_html_(self) -> str:
        console = self._console(HTML_WIDTH, record=True)
        console.print(self.renderable())
        return console.export_html(inline_styles=True, code_format=(
            '<pre style="font-family: Menlo, Consolas, monospace; font-size: 12px; line-height: 1.25">'
            "{code}</pre>"))


class Picture:
    """A matplotlib figure that shows itself as a PNG in Jupyter and can be saved (`save(path)`)."""

    def __init__(self, figure: "Figure") -> None:
        self.figure = figure

    def __repr__(self) -> str:
        return f"<Picture: {self.figure.get_suptitle() or 'a figure'}>"

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()

    def save(self, path: Union[str, Path]) -> Path:
        """The picture as a PNG file."""
        Path(path).write_bytes(self._repr_png_())
        return Path(path)


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

    def accuracy(self, name: str, seed: Optional[int] = None) -> Optional[float]:
        """Final test accuracy of `name` (first seed unless given), a fraction; None if it did not end well."""
        return self._result(name, seed).final_accuracy()

    def accuracies(self, seed: Optional[int] = None) -> dict[str, Optional[float]]:
        """Every implementation's final test accuracy (None where it did not end well)."""
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
        """Test accuracy and training loss per epoch, one line per implementation."""
        from compare.reporting.plots import learning_curves_figure

        return Picture(learning_curves_figure(self.data))

    def renderable(self) -> RenderableType:
        from compare.reporting.run_tables import run_report

        stopped = [Text("interrupted: the tables hold what finished before it", style="yellow")] \
            if self.interrupted else []
        return Group(run_report(self.data, self.target_accuracy), *stopped)

    def __repr__(self) -> str:
        parts = [f"{name} {'-' if value is None else f'{value:.2%}'}" for name, value in self.accuracies().items()]
        state = ", interrupted" if self.interrupted else ""
        return f"<RunResult {self.data.recipe.get('model')}{state}: {', '.join(parts)}>"


@dataclass(frozen=True)
class FirstDifference:
    """Where an implementation first differs from the reference: its layer (or parameter, or state), the kind
    of quantity, the largest difference, and what that means in words."""

    implementation: str
    layer: str
    quantity: str  # layer, logits, loss, gradient, weights, state, ...
    max_abs: float
    explanation: str

    def __str__(self) -> str:
        return f"{self.implementation}: {self.explanation}"


class CheckResult(Shown):
    """What `compare.check` found: `passed`, `first_difference` (layer, quantity, max |Δ|, the explanation in
    words), `assert_passed()` for autograders, every row as `to_records()`, and the command's tables."""

    def __init__(self, data: CheckData, settings: dict, environment: dict) -> None:
        self.data = data
        self.settings = settings
        self.environment = environment

    @property
    def passed(self) -> bool:
        """True when every implementation computes what the reference computes, within float32's noise."""
        return self.data.passed

    @property
    def implementations(self) -> list[str]:
        """The implementations checked (the reference itself not among them)."""
        return self.data.implementations()

    def differences(self) -> list[FirstDifference]:
        """Each failing implementation's first difference, in order."""
        return [difference for difference in map(self._first, self.implementations) if difference is not None]

    @property
    def first_difference(self) -> Optional[FirstDifference]:
        """The first failing implementation's first difference (None when the check passed)."""
        found = self.differences()
        return found[0] if found else None

    def _first(self, name: str) -> Optional[FirstDifference]:
        from compare.reporting.check_tables import where_it_differs

        if name in self.data.failures:
            return FirstDifference(name, "", "failure", float("inf"), f"failed ({self.data.failures[name]})")
        rows = self.data.for_implementation(name)
        failed = [row for row in rows if row.failed]
        if not failed:
            return None
        row = next((r for r in failed if r.cause), None) or _first_by_kind(failed)  # a named mistake first
        kind, where = _kind_and_place(row.quantity)
        return FirstDifference(name, where, kind, row.max_abs, where_it_differs(rows, self.data.steps))

    def assert_passed(self) -> None:
        """AssertionError naming the first wrong layer and why, unless the check passed (for nbgrader, otter)."""
        difference = self.first_difference
        if difference is not None:
            raise AssertionError(str(difference))

    def to_records(self) -> list[dict]:
        """One plain dict per comparison."""
        return [_record(row) for row in self.data.comparisons]

    def to_json(self, path: Union[str, Path]) -> Path:
        """The file `compare check --json` writes."""
        from compare.results.json_io import check_to_json

        write_text_atomically(Path(path), check_to_json(self.data, self.settings, self.environment))
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.check_tables import check_table, check_verdict_lines

        return Group(check_table(self.data), *(Text(line) for line in check_verdict_lines(self.data)))

    def __repr__(self) -> str:
        first = self.first_difference
        return f"<CheckResult {'passed' if self.passed else f'failed: {first}'}>"


def _kind_and_place(quantity: str) -> tuple[str, str]:
    """'layer pool1' -> ('layer', 'pool1'); 'dropout dropout1 kept' -> ('dropout kept', 'dropout1'); quantities
    of the whole network ('logits', 'loss', 'loss at large logits') have no place: ('loss at large logits', '')."""
    words = quantity.split(" ")
    if words[0] in ("logits", "loss"):
        return quantity, ""
    if words[0] == "dropout" and len(words) == 3:
        return f"dropout {words[2]}", words[1]
    return words[0], " ".join(words[1:])


def _first_by_kind(rows: list[QuantityComparison]) -> QuantityComparison:
    """The row a learner should look at first: the earliest layer output, else logits/loss, else the rest."""
    order = ("layer", "logits", "loss", "gradient", "weights", "state")
    return min(rows, key=lambda row: order.index(row.quantity.split(" ")[0]) if row.quantity.split(" ")[0] in order
               else len(order))


def _record(row: QuantityComparison) -> dict:
    """A row as plain Python: what it was held to is `allowed` (float32's noise) or `rtol`/`atol`."""
    return {"implementation": row.implementation, "quantity": row.quantity, "max_abs": row.max_abs,
            "max_rel": row.max_rel, "error_vs_float64": row.error, "allowed": row.allowed, "noise": row.noise,
            "rtol": None if row.tolerance is None else row.tolerance.rtol,
            "atol": None if row.tolerance is None else row.tolerance.atol, "passed": row.passed,
            "explained": row.explained, "problem": row.problem, "cause": row.cause}


class BenchReport(Shown):
    """What `compare.bench` measured: `rate(name, batch_size)` training samples/s (median of the repeats),
    every row as `to_records()`, and the command's header and tables."""

    def __init__(self, data: BenchResult) -> None:
        self.data = data

    def rate(self, name: str, batch_size: int, phase: str = "train") -> Optional[float]:
        """Median samples/s of `name` at `batch_size` on one device, `phase` train or inference."""
        for row in self.data.rows:
            if row.implementation == name and row.batch_size == batch_size and row.devices == 1:
                return (row.train if phase == "train" else row.inference).median
        return None

    def to_records(self) -> list[dict]:
        """One plain dict per implementation and batch size: median samples/s, training and inference."""
        return [{"implementation": row.implementation, "batch_size": row.batch_size, "devices": row.devices,
                 "train": row.train.median, "inference": row.inference.median} for row in self.data.rows]

    def to_json(self, path: Union[str, Path]) -> Path:
        """The file `compare bench --json` writes (readable by `compare.load` and diff)."""
        from compare.results.json_io import bench_to_json

        write_text_atomically(Path(path), bench_to_json(self.data))
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.bench_tables import bench_tables
        from compare.reporting.run_tables import environment_panel

        failures = [Text(f"{name}: failed ({reason}) and was measured no further")
                    for name, reason in self.data.failures.items()]
        return Group(environment_panel(self.data.environment, self.data.settings), bench_tables(self.data), *failures)


class ProfileReport(Shown):
    """What `compare.profile` found: per implementation, milliseconds per layer (forward and backward), the
    rest of the step, and the first-call time; `to_json(path)` as `compare profile --json`."""

    def __init__(self, data: ProfileResult) -> None:
        self.data = data

    def to_json(self, path: Union[str, Path]) -> Path:
        """The file `compare profile --json` writes."""
        from compare.results.json_io import profile_to_json

        write_text_atomically(Path(path), profile_to_json(self.data))
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.profile_tables import profile_report

        return profile_report(self.data)


class ModelsTable(Shown):
    """The registry's models (`compare models`): names in order, each with its spec and chapter recipe."""

    def __init__(self, entries: list) -> None:
        self.entries = entries

    @property
    def names(self) -> list[str]:
        return [entry.name for entry in self.entries]

    def recipe(self, name: str) -> dict:
        """The chapter recipe `run` trains `name` with unless told otherwise."""
        for entry in self.entries:
            if entry.name == name:
                return dict(vars(entry.recipe))
        raise ValueError(f"no model {name!r}; models: {', '.join(self.names)}")

    def renderable(self) -> RenderableType:
        from compare.reporting.models_table import models_table

        return models_table(self.entries)

    def __iter__(self) -> "Iterator[str]":
        return iter(self.names)

    def __repr__(self) -> str:
        return f"<models: {', '.join(self.names)}>"
