"""Across seeds: per implementation, each metric's mean, sd and 95 % interval, and its difference to the
reference implementation paired by seed, with a plain verdict. Data only; reports render it.
"""
from dataclasses import dataclass
from typing import Callable, Optional

from compare.measuring.statistics import Interval, paired_difference, summarize, verdict
from compare.results.types import ImplementationResult, RunData, reference_of

# metric name -> (unit, how to read it off one seed's result; None where it has no value)
METRICS: dict[str, tuple[str, Callable[[ImplementationResult, Optional[float]], Optional[float]]]] = {
    "final test accuracy": ("%", lambda r, target: r.final_accuracy_percent()),
    "final test loss": ("loss", lambda r, target: r.final_regression_loss()),  # a regression's, in its place
    "train samples/s": ("/s", lambda r, target: r.train_samples_per_second()),
    "time to target": ("s", lambda r, target: None if target is None or r.time_to_accuracy(target) is None
                       else r.time_to_accuracy(target)[1]),
}


@dataclass(frozen=True)
class MetricSummary:
    """One metric of one implementation across seeds; `paired` is its difference to the reference."""

    metric: str
    unit: str
    interval: Interval
    seeds_with_value: int
    paired: Optional[Interval]
    verdict: str


def _values(results: list[ImplementationResult], read, target) -> dict[int, float]:
    return {index: value for index, r in enumerate(results) if (value := read(r, target)) is not None}


def summarize_run(run: RunData, target: Optional[float]) -> dict[str, list[MetricSummary]]:
    """Per implementation, a summary of every metric that has a value in at least one seed, and its difference to
    its reference (scratch; in a run over several update rules, scratch under the same rule)."""
    summaries: dict[str, list[MetricSummary]] = {}
    for name in run.names():
        reference_name = reference_of(name, run.names())
        reference = run.across_seeds(reference_name)
        rows = []
        for metric, (unit, read) in METRICS.items():
            values = _values(run.across_seeds(name), read, target)
            if not values:
                continue
            paired, words = None, "reference" if name == reference_name else "no reference value"
            if name != reference_name and reference:
                base = _values(reference, read, target)
                common = [seed for seed in values if seed in base]
                if common:
                    paired = paired_difference([values[s] for s in common], [base[s] for s in common])
                    words = verdict(paired)
            rows.append(MetricSummary(metric, unit, summarize(list(values.values())), len(values), paired, words))
        summaries[name] = rows
    return summaries
