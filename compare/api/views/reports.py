"""The other results of the Python API: `compare.bench`'s measurements, `compare.profile`'s per-layer times,
`compare.tune`'s fastest settings and `compare.models()`'s registry, each as numbers and as the command's
tables."""
from pathlib import Path
from typing import Iterator, Optional, Union

from rich.console import Group, RenderableType
from rich.text import Text

from compare.api.views.shown import Shown
from compare.files import write_text_atomically
from compare.measuring.mxnet_settings import MXNetSettings
from compare.results.measures import BenchResult, ProfileResult
from compare.results.tune_types import KINDS, TuneResult


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
        from compare.reporting.environment import environment_panel

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


class TuneReport(Shown):
    """What `compare.tune` measured: `fastest(kind)`, the settings to use for the training step ("train") or
    the forward pass ("inference") (MXNet's defaults unless one is faster beyond the noise), `speedup(...)` over
    MXNet's defaults, every candidate as `to_records()`, and the file `--tuned` reads as `to_json(path)`."""

    def __init__(self, data: TuneResult) -> None:
        self.data = data

    @property
    def interrupted(self) -> bool:
        """True when a signal ended the tune early: the report holds the candidates measured before it."""
        return self.data.interrupted

    def fastest(self, kind: str = "train") -> MXNetSettings:
        """The settings to use; `.flags()` gives them as command-line flags, `.label()` in words."""
        return self.data.fastest(kind)

    def speedup(self, settings: MXNetSettings, kind: str = "train") -> Optional[float]:
        """Mean samples/s under `settings` over MXNet's defaults, paired by round (None if never measured)."""
        interval = self.data.speedup(settings, kind)
        return None if interval is None else interval.mean

    def to_records(self) -> list[dict]:
        """One plain dict per candidate and kind: its speed-up over MXNet's defaults and the 95 % interval."""
        return [{"settings": settings.label(), "kind": kind, "speedup": None if interval is None else interval.mean,
                 "low": None if interval is None else interval.low, "high": None if interval is None else interval.high}
                for settings in self.data.candidates() for kind in KINDS
                for interval in [self.data.speedup(settings, kind)]]

    def to_json(self, path: Union[str, Path]) -> Path:
        """The file `compare tune --json` writes (what `tuned=` and `--tuned` read)."""
        from compare.results.tune_io import tune_to_json

        write_text_atomically(Path(path), tune_to_json(self.data))
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.tune_tables import tune_report

        return tune_report(self.data)

    def __repr__(self) -> str:
        state = ", interrupted" if self.interrupted else ""
        return f"<TuneReport{state}: fastest for training {self.fastest('train').label()}>"


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
        from rich.console import Group

        from compare.config.sequence_run import DEFAULT_MAX_CHARS
        from compare.data.text import load_corpus
        from compare.reporting.models_table import models_table, sequence_models_table

        vocab_size = len(load_corpus(max_chars=DEFAULT_MAX_CHARS).vocabulary)
        return Group(models_table(self.entries), sequence_models_table(vocab_size))

    def __iter__(self) -> "Iterator[str]":
        return iter(self.names)

    def __repr__(self) -> str:
        return f"<models: {', '.join(self.names)}>"
