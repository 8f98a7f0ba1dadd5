"""Two results files side by side: per implementation and metric, old, new, change, and whether the change
is beyond the noise. Differences in recipe and environment come first. Data only; reports render it.

Beyond the noise: with at least two samples on both sides (seeds of a run, repeats of a bench), the 95 %
Welch interval of new - old excludes 0; otherwise the change exceeds `threshold_percent` of the old value.
"""
import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Optional

from compare.measuring.statistics import welch_difference
from compare.measuring.threads import thread_line
from compare.results.measures import BenchResult
from compare.results.types import OPTIMIZER_MARK, ImplementationResult, RunData, Status, split_name

ENVIRONMENT_KEYS = ("mxnet", "numpy", "python", "platform", "cpu", "cpu_count", "context", "gpus_visible", "threads",
                    "data_parallel")
ACCURACY = "accuracy %"  # the final test accuracy
TEST_LOSS = "test loss"  # a regression's final test loss, where it has no accuracy: lower is better
RUN_METRICS: dict[str, Callable[[ImplementationResult], Optional[float]]] = {
    ACCURACY: lambda r: r.final_accuracy_percent(),
    TEST_LOSS: lambda r: r.final_regression_loss(),
    "train /s": lambda r: r.train_samples_per_second(),
    "eval /s": lambda r: r.eval_samples_per_second(),
}


@dataclass(frozen=True)
class MetricChange:
    """One metric of one implementation (and batch size, for bench files) in both files."""

    implementation: str
    metric: str
    old: float
    new: float
    significant: bool
    method: str  # "interval" or "threshold"
    old_busy: bool
    new_busy: bool
    load_dependent: bool = True  # a throughput depends on what else ran; an accuracy does not
    undecided: bool = False  # too few samples: a change of --threshold size could hide inside the interval
    lower_is_better: bool = False  # a loss

    @property
    def change_percent(self) -> float:
        return 100.0 * (self.new - self.old) / self.old if self.old else float("inf")

    @property
    def comparable(self) -> bool:
        """False for a throughput timed while other work shared the machine (either side)."""
        return not (self.load_dependent and (self.old_busy or self.new_busy))

    @property
    def regression(self) -> bool:
        """A significant change for the worse of a comparable figure: slower, less accurate, a higher loss."""
        worse = self.new > self.old if self.lower_is_better else self.new < self.old
        return self.comparable and self.significant and worse

    @property
    def verdict(self) -> str:
        if not self.comparable:
            sides = ", ".join(side for side, busy in (("old", self.old_busy), ("new", self.new_busy)) if busy)
            return f"not comparable: BUSY ({sides})"
        if self.significant:
            return "REGRESSION" if self.regression else "improved"
        return "too few samples" if self.undecided else "within noise"


BAD_STATUSES = (Status.DIVERGED, Status.FAILED)


@dataclass(frozen=True)
class StatusChange:
    """How an implementation's runs ended in each file: seeds that diverged or failed, out of all."""

    implementation: str
    old: str  # "ok", or e.g. "diverged in 2 of 3 seeds"
    new: str
    old_bad: float  # fraction of seeds that diverged or failed
    new_bad: float

    @property
    def regression(self) -> bool:
        return self.new_bad > self.old_bad

    @property
    def verdict(self) -> str:
        if self.regression:
            return "REGRESSION"
        return "improved" if self.new_bad < self.old_bad else "unchanged"


def _status_summary(results: list[ImplementationResult]) -> tuple[str, float]:
    """('ok', 0.0), or ('diverged in 1 of 3 seeds', 0.33): the worst way its runs ended, and how often."""
    bad = [r.status for r in results if r.status in BAD_STATUSES]
    if not bad:
        interrupted = sum(r.status == Status.INTERRUPTED for r in results)
        return ("ok" if not interrupted else f"interrupted in {interrupted} of {len(results)} seeds"), 0.0
    words = "/".join(dict.fromkeys(status.value for status in bad))
    return (words if len(bad) == len(results) == 1 else f"{words} in {len(bad)} of {len(results)} seeds",
            len(bad) / len(results))


def _status_change(name: str, old: list[ImplementationResult], new: list[ImplementationResult]) -> Optional[StatusChange]:
    """A row when either file has a run of `name` that did not end well (None when both are all ok)."""
    (old_text, old_bad), (new_text, new_bad) = _status_summary(old), _status_summary(new)
    if old_text == new_text == "ok":
        return None
    return StatusChange(name, old_text, new_text, old_bad, new_bad)


@dataclass(frozen=True)
class Difference:
    """A recipe or environment entry whose value differs between the files."""

    section: str
    key: str
    old: object
    new: object


@dataclass(frozen=True)
class DiffResult:
    kind: str
    threshold_percent: float
    differences: list[Difference]
    changes: list[MetricChange]
    only_in_one: list[str]  # implementations present in one file only
    statuses: list[StatusChange] = field(default_factory=list)  # runs that did not end well, in either file
    # a run of one update rule against the same rule's rows of a run over several: (plain name, its name there)
    paired_by_rule: list[tuple[str, str]] = field(default_factory=list)

    def regressions(self) -> list["MetricChange | StatusChange"]:
        return [row for row in [*self.statuses, *self.changes] if row.regression]


def _differences(section: str, old: dict, new: dict, keys: Optional[tuple] = None) -> list[Difference]:
    keys = keys or tuple(dict.fromkeys([*old, *new]))
    return [Difference(section, key, old.get(key), new.get(key)) for key in keys
            if _comparable(key, old.get(key)) != _comparable(key, new.get(key))]


def _comparable(key: str, value: object) -> object:
    """Thread records compare by what they say (pools in any order), everything else as it is."""
    return thread_line(value) if key == "threads" else value


def _change(name: str, metric: str, samples: tuple[list[float], list[float]], threshold: float,
            busy: tuple[bool, bool], load_dependent: bool = True) -> MetricChange:
    """`samples` and `busy`: (old, new)."""
    old, new = samples
    old_mean, new_mean = sum(old) / len(old), sum(new) / len(new)
    if len(old) >= 2 and len(new) >= 2:
        interval = welch_difference(new, old)
        significant = interval.low is not None and not interval.contains(0.0)
        # the interval is wider than the change --threshold names: a real change that size could sit inside it
        half_width = 0.0 if interval.high is None else (interval.high - interval.low) / 2
        undecided = not significant and old_mean != 0 and half_width > abs(old_mean) * threshold / 100
        return MetricChange(name, metric, old_mean, new_mean, significant, "interval", *busy, load_dependent,
                            undecided)
    significant = old_mean != 0 and abs(new_mean - old_mean) / abs(old_mean) * 100 > threshold
    return MetricChange(name, metric, old_mean, new_mean, significant, "threshold", *busy, load_dependent)


def _rules(run: RunData) -> list[dict]:
    """The update rules a run recorded, in its order (a file from before them: plain SGD)."""
    recorded = run.recipe.get("optimizers")
    return [rule for rule in recorded if isinstance(rule, dict)] if isinstance(recorded, list) and recorded \
        else [{"name": "sgd", "weight_decay": 0.0}]


def _same_rule_label(single: RunData, several: RunData) -> Optional[str]:
    """The label (`sgd`, `sgd wd=3`) under which a run over several update rules holds the one rule of `single`,
    matched by name and weight decay; None where it holds no such rows."""
    (rule,) = _rules(single)
    labels = list(dict.fromkeys(split_name(name)[1] for name in several.names()))
    for label, other in zip(labels, _rules(several)):
        if (other.get("name"), other.get("weight_decay", 0.0)) == (rule.get("name"), rule.get("weight_decay", 0.0)):
            return label
    return None


def paired_names(old: RunData, new: RunData) -> list[tuple[str, str]]:
    """The implementations the two runs have in common, as (name in old, name in new): the same names, or — a run of
    one update rule against a run over several — `scratch` against `scratch@sgd`, the same rule's rows."""
    common = [(name, name) for name in old.names() if name in new.names()]
    if common:
        return common
    for single, several, flip in ((old, new, False), (new, old, True)):
        if len(_rules(single)) == 1 and len(_rules(several)) > 1:
            label = _same_rule_label(single, several)
            pairs = [(name, f"{name}{OPTIMIZER_MARK}{label}") for name in single.names()
                     if label is not None and f"{name}{OPTIMIZER_MARK}{label}" in several.names()]
            return [(b, a) for a, b in pairs] if flip else pairs
    return []


def diff_runs(old: RunData, new: RunData, threshold: float) -> DiffResult:
    """Every metric of every implementation both runs have (`paired_names`), across their seeds, and how their runs
    ended."""
    changes, statuses = [], []
    pairs = paired_names(old, new)
    for old_name, name in pairs:
        old_runs, new_runs = old.across_seeds(old_name), new.across_seeds(name)
        status = _status_change(name, old_runs, new_runs)
        if status is not None:
            statuses.append(status)
        busy = (any(r.busy() for r in old_runs), any(r.busy() for r in new_runs))
        for metric, read in RUN_METRICS.items():
            old_values = [v for r in old_runs if (v := read(r)) is not None]
            new_values = [v for r in new_runs if (v := read(r)) is not None]
            if old_values and new_values:
                changes.append(_change(name, metric, (old_values, new_values), threshold, busy,
                                       load_dependent=metric not in (ACCURACY, TEST_LOSS)))
                if metric == TEST_LOSS:
                    changes[-1] = dataclasses.replace(changes[-1], lower_is_better=True)
    paired = {name for pair in pairs for name in pair}
    only = sorted((set(old.names()) ^ set(new.names())) - paired)
    differences = (_differences("recipe", old.recipe, new.recipe)
                   + _differences("environment", old.environment, new.environment, ENVIRONMENT_KEYS))
    by_rule = [pair for pair in pairs if pair[0] != pair[1]]
    return DiffResult("run", threshold, differences, changes, only, statuses, by_rule)


def _on(devices: int) -> str:
    return "" if devices == 1 else f", {devices} devices"


def diff_benches(old: BenchResult, new: BenchResult, threshold: float) -> DiffResult:
    """Training and inference samples/s of every implementation and batch size both files have."""
    new_rows = {(row.implementation, row.batch_size, row.devices): row for row in new.rows}
    changes = []
    for row in old.rows:
        other = new_rows.get((row.implementation, row.batch_size, row.devices))
        if other is None:
            continue
        for kind in ("train", "inference"):
            label = "train" if kind == "train" else "forward"
            changes.append(_change(row.implementation, f"{label} /s, batch {row.batch_size}{_on(row.devices)}",
                                   (list(getattr(row, kind).rates), list(getattr(other, kind).rates)), threshold,
                                   (row.busy, other.busy)))
    keys_old = {(r.implementation, r.batch_size, r.devices) for r in old.rows}
    only = sorted({f"{name}, batch {size}{_on(devices)}" for name, size, devices in keys_old ^ set(new_rows)})
    # rows present in one file only are shown as such; the arithmetic record is measured, not a setting
    ignored = ("implementations", "batch_sizes", "devices", "arithmetic")
    settings_old = {k: v for k, v in old.settings.items() if k not in ignored}
    settings_new = {k: v for k, v in new.settings.items() if k not in ignored}
    differences = (_differences("settings", settings_old, settings_new)
                   + _differences("environment", old.environment, new.environment, ENVIRONMENT_KEYS))
    return DiffResult("bench", threshold, differences, changes, only)
