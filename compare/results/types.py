"""Results as data: every result type of every command, typed, with no mxnet behind them.

Runner, check and bench fill these; reports render them; `results_json` writes and reads them.
"""
import enum
from dataclasses import dataclass, field, replace
from typing import Mapping, Optional

from compare.measuring.machine_load import average_other_cores, is_busy, load_word
from compare.measuring.precision import BF16, FLOAT32, PRECISION_MARK

REFERENCE = "scratch"  # the implementation every other one is compared against


def classifies(recipe: Mapping[str, object]) -> bool:
    """Whether the recorded run's model classifies (and so measures accuracy); a regression does not. A model
    this release does not know is taken as a classification (every model before the regressions was one)."""
    from implementations.registry import models

    entry = models().get(str(recipe.get("model")))
    return entry is None or entry.spec().task == "classification"


OPTIMIZER_MARK = PRECISION_MARK  # `scratch@adam`: trained with one of several update rules (`scratch@bf16`: in bf16)


def split_name(label: str) -> tuple[str, str]:
    """'scratch@adam' -> ('scratch', 'adam'); a name without an update rule -> (name, '')."""
    implementation, _, rule = label.rpartition(OPTIMIZER_MARK)
    return (implementation, rule) if implementation else (label, "")


def reference_of(name: str, names: "list[str]") -> str:
    """What `name` is compared against: a bf16 row (`gluon@bf16`) against its float32 self where it ran; in a run
    over several update rules, scratch under the same rule (`gluon@adam` against `scratch@adam`, never
    `scratch@sgd`), else that rule's first implementation; otherwise `reference_among(names)`."""
    implementation, rule = split_name(name)
    if rule == BF16 and implementation in names:
        return implementation
    if not rule:
        return reference_among(names)
    same_rule = [other for other in names if split_name(other)[1] == rule]
    scratch = f"{REFERENCE}{OPTIMIZER_MARK}{rule}"
    return scratch if scratch in same_rule else same_rule[0]


def reference_words(names: "list[str]") -> str:
    """How a table names what its rows are compared against: 'scratch', in a run over several update rules
    'scratch (same rule)', and beside bf16 rows 'scratch; bf16: its float32 self'."""
    if any(split_name(name)[1] == BF16 and split_name(name)[0] in names for name in names):
        return f"{reference_among(names)}; bf16: its float32 self"
    if len({split_name(name)[1] for name in names}) > 1:
        return f"{split_name(reference_of(names[0], names))[0]} (same rule)"
    return reference_among(names)


def reference_among(names: "list[str]") -> str:
    """What the others are compared with: scratch where it ran, else the first implementation (tables say which)."""
    return REFERENCE if REFERENCE in names or not names else names[0]
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
    """One epoch of one implementation; losses are means per example, accuracies fractions (None for a
    regression, which has none)."""

    epoch: int
    train_examples: int
    eval_examples: int
    train_loss: float
    train_accuracy: Optional[float]
    test_loss: float
    test_accuracy: Optional[float]
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
    precision: str = FLOAT32  # what it computed in: float32, or bf16 (MXNet's AMP); files before it: float32
    epochs: list[EpochResult] = field(default_factory=list)
    warmup_seconds: float = 0.0  # first calls (graph building), excluded from every epoch figure
    stopped_at: Optional[StopPoint] = None
    message: Optional[str] = None  # why it diverged or failed, one line
    params_file: Optional[str] = None  # relative to the results file when beside it
    sample_predictions: list[int] = field(default_factory=list)  # classes of the first test images
    # a regression on data drawn from known parameters: max |learned - true| of each, e.g. {"fc1.weight": 3e-4}
    parameter_errors: dict[str, float] = field(default_factory=dict)

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

    def load(self) -> str:
        """What its load column says: quiet, BUSY, brief (timed too briefly to tell) or ? (unknown)."""
        wall = sum(e.train_seconds + e.eval_seconds for e in self.epochs)
        return load_word([e.other_cpu_seconds for e in self.epochs], wall)

    def final_accuracy(self) -> Optional[float]:
        """Test accuracy after the last epoch, if it ended well (None for a regression)."""
        return self.epochs[-1].test_accuracy if self.status == Status.OK and self.epochs else None

    def final_test_loss(self) -> Optional[float]:
        """Mean test loss after the last epoch, if it ended well."""
        return self.epochs[-1].test_loss if self.status == Status.OK and self.epochs else None

    def final_regression_loss(self) -> Optional[float]:
        """A regression's measure of how well it learned, its final mean test loss (None for a classification,
        which has its accuracy)."""
        return self.final_test_loss() if self.epochs and self.epochs[-1].test_accuracy is None else None

    def final_accuracy_percent(self) -> Optional[float]:
        accuracy = self.final_accuracy()
        return None if accuracy is None else 100 * accuracy

    def time_to_accuracy(self, target: float) -> Optional[tuple[int, float]]:
        """(epoch, cumulative training seconds) when test accuracy first reached `target`, else None."""
        elapsed = 0.0
        for epoch in self.epochs:
            elapsed += epoch.train_seconds
            if epoch.test_accuracy is not None and epoch.test_accuracy >= target:
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
class RunData:
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

    @property
    def reference(self) -> str:
        """The implementation the others are compared with (scratch where it ran)."""
        return reference_among(self.names())

    def across_seeds(self, name: str) -> list[ImplementationResult]:
        """`name`'s result in every seed, in seed order."""
        return [run.results[name] for run in self.runs if name in run.results]

    def with_params_files(self, files: Mapping[str, str]) -> "RunData":
        """The same run, its first seed's results naming the parameter files written from their models."""
        first = SeedRun(self.runs[0].seed, {name: replace(result, params_file=files.get(name, result.params_file))
                                            for name, result in self.runs[0].results.items()})
        return replace(self, runs=[first, *self.runs[1:]])

    def has_failures(self) -> bool:
        """True when any implementation diverged or failed in any seed (the run's verdict is bad)."""
        return any(r.status in (Status.DIVERGED, Status.FAILED) for run in self.runs for r in run.results.values())
