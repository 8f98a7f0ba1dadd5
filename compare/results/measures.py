"""Results of the measuring commands as data — `check` (comparisons), `bench` (rates), `profile` (per-layer
times) — with no mxnet behind them. A run's results are in `types`.
"""
from dataclasses import dataclass, field
from typing import Optional

from compare.measuring.machine_load import is_busy
from compare.results.types import REFERENCE, Status


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
    max_abs: float  # against the reference as run (float32): 0 is bit-identical
    max_rel: float
    tolerance: Optional[Tolerance]  # a fixed tolerance (data parallel, dropout statistics); None: float32's noise
    passed: bool
    problem: str = ""  # why it could not be compared: "missing", "dtype float64, expected float32", a shape
    explained: bool = False  # a known, legitimate difference (its cause is in CheckData.explanations)
    error: Optional[float] = None  # max |actual - the reference in float64|, where judged by float32's noise
    allowed: Optional[float] = None  # what that error was held to (NOISE_FACTOR x the float32 reference's own)
    noise: Optional[float] = None  # the float32 reference's own max |float32 - float64|
    cause: str = ""  # a classic mistake recognised in this quantity, in words
    follows: str = ""  # explained because it follows from a known difference in an earlier kind ("gradient")
    at_step: int = 0  # a trajectory judged where it first failed: after this step (1-based); 0: after the last

    @property
    def failed(self) -> bool:
        return not self.passed and not self.explained


def quantity_kind(quantity: str) -> str:
    """'gradient fc1.weight' -> 'gradient'."""
    return quantity.split(" ")[0]


# The order the computation runs: each layer forward, dropout's training-mode statistics, the logits, the loss,
# batch norm's batch variance (a probe of the training-mode forward, after what the logits already show), the
# gradients (from the loss backwards), the update (the rule's state, then the weights), then the state
# the steps leave (batch norm's moving averages), then what only evaluation computes. A quantity can only differ because of one before it.
COMPUTATION_ORDER = ("layer", "dropout", "logits", "predictions", "loss", "batchnorm", "gradient", "optimizer",
                     "weights", "state", "evaluation")  # predictions: a regression's outputs, where a classification's
# logits are; evaluation: batch norm's output in evaluation (predict mode) at the initial weights and state, which
# training never reads: judged once everything training computes agrees


TRAJECTORY_KINDS = ("optimizer", "weights", "state")  # what every step moves: recorded and judged after each step,
# where rounding compounds over the steps


def following_kinds(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds computed after the earliest of `kinds`: what a difference there carries on into."""
    ranks = [COMPUTATION_ORDER.index(kind) for kind in kinds if kind in COMPUTATION_ORDER]
    return COMPUTATION_ORDER[min(ranks) + 1:] if ranks else ()


def in_computation_order(rows: list[QuantityComparison], layer_order: tuple[str, ...] = ()
                         ) -> list[QuantityComparison]:
    """The rows in the order the computation runs: layers forward, gradients backwards (the last layer's
    parameters first, by `layer_order` where given, else the reverse of the rows' order), everything else as
    listed."""
    def rank(item: tuple[int, QuantityComparison]) -> tuple[int, int, int]:
        index, row = item
        kind = quantity_kind(row.quantity)
        place = COMPUTATION_ORDER.index(kind) if kind in COMPUTATION_ORDER else len(COMPUTATION_ORDER)
        if kind != "gradient":
            return place, 0, index
        layer = row.quantity.split(" ", 1)[-1].split(".")[0]
        return place, -layer_order.index(layer) if layer in layer_order else 0, -index if not layer_order else index
    return [row for _, row in sorted(enumerate(rows), key=rank)]


def first_failure(rows: list[QuantityComparison], kind: str) -> tuple[Optional[QuantityComparison], str]:
    """The first failing row of `kind` and the name of the last one before it that passed ('' if none);
    (None, '') when every row of `kind` passes."""
    agreeing = ""
    for row in rows:
        if quantity_kind(row.quantity) != kind:
            continue
        if row.failed:
            return row, agreeing
        agreeing = row.quantity.split(" ", 1)[1]
    return None, ""


@dataclass(frozen=True)
class CheckData:
    """`compare check`: every comparison, in order, and what could not be compared."""

    steps: int
    comparisons: list[QuantityComparison]
    unmatched_layers: dict[str, list[str]] = field(default_factory=dict)  # implementation -> layer names
    subject: str = ""  # what each implementation ran as, e.g. " data parallel over cpu(0),cpu(1)"
    reference: str = REFERENCE  # what it is compared against
    failures: dict[str, str] = field(default_factory=dict)  # implementation -> why its own code failed
    explanations: dict[str, str] = field(default_factory=dict)  # implementation -> cause of its known difference
    held_to: str = ""  # the precision rows judged by float32's noise were held to, in words
    update_rule: str = "SGD"  # the steps' optimizer, as the tables name it

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
    interrupted: bool = False  # Ctrl-C or SIGTERM ended it: the rows are what was measured before


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

    @property
    def consistency(self) -> Optional[float]:
        """Relative gap between the rows' sum and the operator total (0 when every event is attributed)."""
        if self.operator_ms <= 0:
            return None
        return abs(sum(row.total_ms for row in self.rows) - self.operator_ms) / self.operator_ms


@dataclass(frozen=True)
class ProfileResult:
    """`compare profile`: its settings, environment and one profile per implementation."""

    settings: dict[str, object]
    environment: dict[str, object]
    profiles: list[ImplementationProfile]
    interrupted: bool = False  # Ctrl-C or SIGTERM ended it: the profiles are those finished before
