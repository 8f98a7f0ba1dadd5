"""Results as data: every result type of every command, typed, with no mxnet behind them.

Runner, check and bench fill these; reports render them; `results_json` writes and reads them.
"""
import enum
from dataclasses import dataclass, field, replace
from typing import Mapping, Optional

from compare.measuring.machine_load import average_other_cores, is_busy

REFERENCE = "scratch"  # the implementation every other one is compared against
PREDICTION_SAMPLES = 18  # first test images whose predictions a run records (the prediction grid)


class Status(str, enum.Enum):
    """How an implementation's run ended (a str, so it is its own JSON value)."""

    OK = "ok"
    DIVERGED = "diverged"  # the training loss became non-finite or exploded (see runner.DivergenceRule)
    FAILED = "failed"  # the implementation's own code raised an exception
    INTERRUPTED = "interrupted"  # Ctrl-C or SIGTERM


@dataclass(frozen=True)
class LayerTrace:
    """One row of a shape trace: a layer, the shape it output, and how many parameters it owns."""

    name: str
    output_shape: tuple[int, ...]
    parameter_count: int


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
    other_cpu_seconds: Optional[float] = None  # CPU time other work used while this epoch was timed (None: unknown)


@dataclass(frozen=True)
class StopPoint:
    """Where training stopped early: epoch (1-based) and step within it (1-based; 0 outside a step)."""

    epoch: int
    step: int


@dataclass
class ImplementationResult:
    """Everything measured for one implementation of a run."""

    name: str
    status: Status = Status.OK
    shape_trace: list[LayerTrace] = field(default_factory=list)
    epochs: list[EpochResult] = field(default_factory=list)
    warmup_seconds: float = 0.0  # first calls (graph building), excluded from every epoch figure
    stopped_at: Optional[StopPoint] = None
    message: Optional[str] = None  # why it diverged or failed, one line
    params_file: Optional[str] = None  # relative to the results file when beside it
    sample_predictions: list[int] = field(default_factory=list)  # classes of the first test images

    def total_train_seconds(self) -> float:
        return sum(epoch.train_seconds for epoch in self.epochs)

    def train_samples_per_second(self) -> Optional[float]:
        """Training examples over training seconds, all epochs together."""
        return _rate(sum(e.train_examples for e in self.epochs), self.total_train_seconds())

    def eval_samples_per_second(self) -> Optional[float]:
        """Test examples over evaluation seconds, all epochs together."""
        return _rate(sum(e.eval_examples for e in self.epochs), sum(e.eval_seconds for e in self.epochs))

    def other_cores(self) -> Optional[float]:
        """Cores other work kept busy on average while its epochs were timed (None: unknown or too short)."""
        wall = sum(e.train_seconds + e.eval_seconds for e in self.epochs)
        return average_other_cores([e.other_cpu_seconds for e in self.epochs], wall)

    def busy(self) -> bool:
        """True when other work shared the machine while its epochs were timed."""
        return is_busy(self.other_cores())

    def final_accuracy(self) -> Optional[float]:
        """Test accuracy after the last epoch, if it ended well."""
        return self.epochs[-1].test_accuracy if self.status == Status.OK and self.epochs else None

    def final_accuracy_percent(self) -> Optional[float]:
        accuracy = self.final_accuracy()
        return None if accuracy is None else 100 * accuracy

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
class SeedRun:
    """Every implementation trained from one seed (one weight draw, one batch order)."""

    seed: int
    results: dict[str, ImplementationResult]


@dataclass
class RunResult:
    """A whole run: its recipe, environment, data and, per seed, one result per implementation."""

    recipe: dict[str, object]
    environment: dict[str, object]
    data: dict[str, object]
    runs: list[SeedRun]
    interrupted: bool = False

    @property
    def results(self) -> dict[str, ImplementationResult]:
        """The first seed's results: all there is in a one-seed run."""
        return self.runs[0].results

    def names(self) -> list[str]:
        return list(self.results)

    def across_seeds(self, name: str) -> list[ImplementationResult]:
        """`name`'s result in every seed, in seed order."""
        return [run.results[name] for run in self.runs if name in run.results]

    def with_params_files(self, files: Mapping[str, str]) -> "RunResult":
        """The same run, its first seed's results naming the parameter files written from their models."""
        first = SeedRun(self.runs[0].seed, {name: replace(result, params_file=files.get(name, result.params_file))
                                            for name, result in self.runs[0].results.items()})
        return replace(self, runs=[first, *self.runs[1:]])

    def has_failures(self) -> bool:
        """True when any implementation diverged or failed in any seed (the run's verdict is bad)."""
        return any(r.status in (Status.DIVERGED, Status.FAILED) for run in self.runs for r in run.results.values())


@dataclass(frozen=True)
class Tolerance:
    """Elementwise |actual - expected| <= atol + rtol * |expected|, as numpy.allclose."""

    rtol: float
    atol: float


@dataclass(frozen=True)
class QuantityComparison:
    """One quantity (logits, a layer's output, a gradient, ...) of one implementation against the reference."""

    implementation: str
    quantity: str
    max_abs: float
    max_rel: float
    tolerance: Tolerance
    passed: bool
    problem: str = ""  # why it could not be compared: "missing", "dtype float64, expected float32", a shape
    explained: bool = False  # a built-in's known difference (its cause is in CheckResult.explanations)

    @property
    def failed(self) -> bool:
        return not self.passed and not self.explained


@dataclass(frozen=True)
class CheckResult:
    """`compare check`: every comparison, in order, and what could not be compared."""

    steps: int
    comparisons: list[QuantityComparison]
    unmatched_layers: dict[str, list[str]] = field(default_factory=dict)  # implementation -> layer names
    subject: str = ""  # what each implementation ran as, e.g. " data parallel over cpu(0),cpu(1)"
    reference: str = REFERENCE  # what it is compared against
    failures: dict[str, str] = field(default_factory=dict)  # implementation -> why its own code failed
    explanations: dict[str, str] = field(default_factory=dict)  # implementation -> cause of its known difference

    def failed(self) -> list[QuantityComparison]:
        """Rows beyond tolerance that no known difference explains."""
        return [row for row in self.comparisons if row.failed]

    @property
    def passed(self) -> bool:
        return not self.failed() and not self.failures

    def for_implementation(self, name: str) -> list[QuantityComparison]:
        return [row for row in self.comparisons if row.implementation == name]

    def implementations(self) -> list[str]:
        return list(dict.fromkeys([*(row.implementation for row in self.comparisons), *self.failures]))


@dataclass(frozen=True)
class Spread:
    """Samples/s of every repeat (in repeat order, for pairing), with median, slowest and fastest."""

    rates: tuple[float, ...]

    @classmethod
    def from_seconds(cls, seconds: list[float], samples: int) -> "Spread":
        return cls(tuple(samples / s for s in seconds))

    @property
    def median(self) -> float:
        ordered, middle = sorted(self.rates), len(self.rates) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def low(self) -> float:
        return min(self.rates)

    @property
    def high(self) -> float:
        return max(self.rates)

    @property
    def half_range_percent(self) -> float:
        """Half the min-max range as a percentage of the median: the ± the table shows."""
        return 50.0 * (self.high - self.low) / self.median


@dataclass(frozen=True)
class BenchRow:
    """Steady-state throughput of one implementation at one batch size."""

    implementation: str
    batch_size: int
    train: Spread
    inference: Spread
    other_cores: Optional[float] = None  # most other work seen while this batch size was timed
    devices: int = 1  # contexts x worker processes the batch was split over
    summed_by: str = ""  # data parallel: how the implementation sums its gradients (its own words)

    @property
    def busy(self) -> bool:
        return is_busy(self.other_cores)


@dataclass(frozen=True)
class BenchResult:
    """`compare bench`: its settings, environment and one row per implementation and batch size."""

    settings: dict[str, object]
    environment: dict[str, object]
    rows: list[BenchRow]
    failures: dict[str, str] = field(default_factory=dict)  # implementation -> why its own code failed


@dataclass(frozen=True)
class LayerTime:
    """Operator milliseconds per step attributed to one row: a layer, `loss`, `update`, or what is left over."""

    row: str
    forward_ms: float
    backward_ms: float

    @property
    def total_ms(self) -> float:
        return self.forward_ms + self.backward_ms


@dataclass(frozen=True)
class ImplementationProfile:
    """Where one implementation's training step spends its time and memory (means over the profiled steps)."""

    name: str
    status: Status
    message: Optional[str] = None
    rows: list[LayerTime] = field(default_factory=list)
    operator_ms: float = 0.0  # every operator event inside the step's phases
    step_ms: float = 0.0  # measured wall time of a (phase-synced) step
    first_call_ms: float = 0.0  # the first step on a fresh model: graph building for hybridized blocks
    peak_rss_mib: float = 0.0  # process peak RSS above the baseline before the model was built
    storage_peak_mib: float = 0.0  # MXNet storage manager's peak allocation while profiled
    trace_file: Optional[str] = None

    @property
    def remainder_ms(self) -> float:
        """Step time no operator accounts for: Python, the engine, and the syncs."""
        return self.step_ms - self.operator_ms


@dataclass(frozen=True)
class ProfileResult:
    """`compare profile`: its settings, environment and one profile per implementation."""

    settings: dict[str, object]
    environment: dict[str, object]
    profiles: list[ImplementationProfile]
