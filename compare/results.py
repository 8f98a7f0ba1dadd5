"""Results as data: what a run measured, its JSON form (schema 1), and reading it back for `compare plot`."""
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from compare.errors import ResultsFileError
from compare.files import write_text_atomically
from implementations.protocol import LayerTrace

SCHEMA_VERSION = 1
REFERENCE = "scratch"  # the implementation every other one is compared against
STATUSES = ("ok", "diverged", "interrupted")


@dataclass(frozen=True)
class EpochResult:
    """One epoch of one implementation; losses are means per example, accuracies fractions."""

    epoch: int
    train_examples: int
    eval_examples: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    train_seconds: float  # engine-synced, everything the epoch did, evaluation excluded
    train_samples_per_second: float
    eval_seconds: float
    eval_samples_per_second: float


@dataclass(frozen=True)
class StopPoint:
    """Where training stopped early: epoch (1-based) and step within it (1-based)."""

    epoch: int
    step: int


@dataclass
class ImplementationResult:
    """Everything measured for one implementation; `status` is ok, diverged or interrupted."""

    name: str
    status: str = "ok"
    shape_trace: list[LayerTrace] = field(default_factory=list)
    epochs: list[EpochResult] = field(default_factory=list)
    warmup_seconds: float = 0.0  # first calls (graph building), excluded from every epoch figure
    stopped_at: Optional[StopPoint] = None
    params_file: Optional[str] = None
    sample_predictions: list[int] = field(default_factory=list)  # classes of the first test images

    def total_train_seconds(self) -> float:
        return sum(epoch.train_seconds for epoch in self.epochs)

    def train_samples_per_second(self) -> Optional[float]:
        """Training examples over training seconds, all epochs together."""
        return _rate(sum(e.train_examples for e in self.epochs), self.total_train_seconds())

    def eval_samples_per_second(self) -> Optional[float]:
        """Test examples over evaluation seconds, all epochs together."""
        return _rate(sum(e.eval_examples for e in self.epochs), sum(e.eval_seconds for e in self.epochs))

    def time_to_accuracy(self, target: float) -> Optional[tuple[int, float]]:
        """(epoch, cumulative training seconds) when test accuracy first reached `target`, else None."""
        elapsed = 0.0
        for epoch in self.epochs:
            elapsed += epoch.train_seconds
            if epoch.test_accuracy >= target:
                return epoch.epoch, elapsed
        return None


def _rate(examples: int, seconds: float) -> Optional[float]:
    return examples / seconds if seconds > 0 else None


@dataclass
class RunResult:
    """A whole run: its configuration, environment, data and one result per implementation."""

    config: dict[str, object]
    environment: dict[str, object]
    data: dict[str, object]
    results: dict[str, ImplementationResult]
    interrupted: bool = False

    def to_json_dict(self) -> dict[str, object]:
        return {
            "schema": SCHEMA_VERSION,
            "config": self.config,
            "environment": self.environment,
            "data": self.data,
            "interrupted": self.interrupted,
            "results": {name: _finite(asdict(result)) for name, result in self.results.items()},
        }


def _finite(value: object) -> object:
    """Replace NaN and infinities by None all the way down, so the JSON stays strict."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def write_results(path: Path, run: RunResult) -> None:
    """Write `run` as strict JSON (no NaN), atomically."""
    text = json.dumps(run.to_json_dict(), indent=2, allow_nan=False)
    write_text_atomically(path, text + "\n")


def _implementation_from_json(name: str, raw: dict) -> ImplementationResult:
    stopped = raw.get("stopped_at")
    return ImplementationResult(
        name=name,
        status=raw["status"],
        shape_trace=[
            LayerTrace(t["name"], tuple(t["output_shape"]), t["parameter_count"])
            for t in raw.get("shape_trace", [])
        ],
        epochs=[EpochResult(**{k: (math.nan if v is None else v) for k, v in e.items()})
                for e in raw.get("epochs", [])],
        warmup_seconds=raw.get("warmup_seconds", 0.0),
        stopped_at=StopPoint(**stopped) if stopped else None,
        params_file=raw.get("params_file"),
        sample_predictions=list(raw.get("sample_predictions", [])),
    )


def read_results(path: Path) -> RunResult:
    """Read a results file written by `write_results`; any problem is one ResultsFileError."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot read ({error.strerror or error})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ResultsFileError(f"{path}: not a JSON results file ({error})") from error
    try:
        if raw.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"schema {raw.get('schema')!r}, expected {SCHEMA_VERSION}")
        results = {name: _implementation_from_json(name, item) for name, item in raw["results"].items()}
        return RunResult(
            config=raw["config"],
            environment=raw.get("environment", {}),
            data=raw.get("data", {}),
            results=results,
            interrupted=bool(raw.get("interrupted", False)),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise ResultsFileError(f"{path}: malformed results file ({type(error).__name__}: {error})") from error
