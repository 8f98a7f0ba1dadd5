"""Rich view of `compare diff`: what differs between the two files first, then every metric's change."""
from pathlib import Path

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.measuring.threads import thread_line
from compare.reporting.columns import add_name_column, name_cell
from compare.reporting.metric_tables import optimizer_text
from compare.results.comparison import DiffResult, MetricChange, StatusChange
from compare.results.params_comparison import ParamsDiffResult


def _shown(key: str, value: object) -> str:
    if key == "optimizers" and isinstance(value, list):
        return "; ".join(optimizer_text(item) for item in value)
    return thread_line(value) if key == "threads" else str(value)


def _verdict(row: "MetricChange | StatusChange") -> Text:
    styles = {"REGRESSION": "bold red", "improved": "bold", "within noise": "green", "unchanged": "green"}
    return Text(row.verdict, style=styles.get(row.verdict, "bold red" if "BUSY" in row.verdict else "yellow"))


def diff_report(result: DiffResult, old: Path, new: Path) -> Group:
    """The differences in recipe and environment (prominently, first), then the changes table and notes."""
    parts = []
    if result.differences:
        table = Table(title="The two files differ in recipe or environment: read the changes with that in mind",
                      title_style="bold yellow")
        for column in ("", "what", "old", "new"):
            table.add_column(column, overflow="fold")  # a long variable=value folds, never ends in "…"
        for difference in result.differences:
            table.add_row(difference.section, difference.key, _shown(difference.key, difference.old),
                          _shown(difference.key, difference.new))
        parts.append(table)
    else:
        parts.append(Text("Same recipe and environment in both files.", style="green"))
    table = Table(title=f"{old} → {new}")
    add_name_column(table, names=[row.implementation for row in [*result.statuses, *result.changes]])
    for column in ("metric", "old", "new", "change", "verdict"):
        table.add_column(column, justify="right" if column in ("old", "new", "change") else "left",
                         no_wrap=column == "change")
    for status in result.statuses:
        table.add_row(name_cell(status.implementation), "runs ended", status.old, status.new, "", _verdict(status))
    for change in result.changes:
        digits = 2 if "%" in change.metric else 0
        old, new = ((f"{change.old:.3g}", f"{change.new:.3g}") if change.lower_is_better  # a loss: significant digits
                    else (f"{change.old:,.{digits}f}", f"{change.new:,.{digits}f}"))
        table.add_row(name_cell(change.implementation), change.metric, old, new, f"{change.change_percent:+.1f}%",
                      _verdict(change))
    parts.append(table)
    methods = {change.method for change in result.changes}
    notes = []
    if "interval" in methods:
        notes.append("beyond the noise: the 95 % Welch interval of new − old (over seeds or repeats) excludes 0")
    if "threshold" in methods:
        notes.append(f"beyond the noise: a change of more than {result.threshold_percent:g} % (a single seed or "
                     "repeat on one side has no spread to judge by; --threshold sets it)")
    if any(not change.comparable for change in result.changes):
        metrics = " ".join(change.metric for change in result.changes)
        learned = "; accuracy does not depend on load" if "accuracy" in metrics else \
            "; the test loss does not depend on load" if "loss" in metrics else ""
        notes.append("BUSY: other work shared the machine while that side was timed: its throughput is not "
                     f"comparable and never counts as a regression{learned}")
    if any(change.verdict == "too few samples" for change in result.changes):
        notes.append(f"too few samples: the interval is wider than a {result.threshold_percent:g} % change, so a "
                     "real change of that size could hide in it; measure more seeds or repeats")
    if any(status.regression for status in result.statuses):
        notes.append("a run that ended well in the old file diverged or failed in the new one: a regression")
    if result.paired_by_rule:
        notes.append("one file trained several update rules: its rows of the other's rule are compared, "
                     + ", ".join(f"{old} with {new}" for old, new in result.paired_by_rule))
    if result.only_in_one:
        notes.append(f"in one file only (not compared): {', '.join(result.only_in_one)}")
    parts += [Text(f"note: {line}", style="yellow") for line in notes]
    return Group(*parts)


def params_diff_report(result: ParamsDiffResult, old: Path, new: Path) -> Group:
    """Every parameter and state array of the two files: how far apart, and the first that differs."""
    table = Table(title=f"{old} → {new} (model {result.model})")
    for column in ("array", "shape", "max |Δ|", "‖Δ‖/‖old‖", "differ", "verdict"):
        table.add_column(column, justify="left" if column in ("array", "verdict") else "right",
                         no_wrap=column != "verdict")
    for change in result.arrays:
        total = int(np.prod(change.shape))
        retyped = f" ({change.old_dtype} -> {change.new_dtype})" if change.old_dtype != change.new_dtype else ""
        verdict = Text("identical", style="green") if change.identical else Text(f"differs{retyped}", style="bold")
        table.add_row(change.name, "×".join(map(str, change.shape)), f"{change.max_abs:.3g}",
                      f"{change.relative:.3g}", f"{change.differing:,}/{total:,}", verdict)
    first = result.first_difference
    summary = (Text("Every array is bit-identical.", style="green") if first is None else
               Text(f"First difference, in the model's layer order: {first}"))
    return Group(table, summary)
