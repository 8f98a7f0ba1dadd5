"""A language model's `bench`: characters per second of a training step and a forward pass, each with its
spread over the rounds and its ratio to scratch paired round by round (95 % interval). 80 columns."""
from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.measuring.statistics import Interval
from compare.reporting.columns import add_name_column
from compare.reporting.rule_words import update_words
from compare.results.sequence_bench_types import SequenceBenchData

REFERENCE = "scratch"


def _ratio(interval: "Interval | None") -> str:
    if interval is None:
        return "-"
    if interval.low is None or interval.high is None:
        return f"{interval.mean:.2f}x"
    return f"{interval.mean:.2f}x\n[{interval.low:.2g}, {interval.high:.2g}]"


def sequence_bench_report(data: SequenceBenchData) -> Group:
    settings = data.settings
    table = Table(title=f"bench --model {settings['model']}: characters/s, batches of {settings['batch_size']} x "
                        f"{settings['num_steps']} steps, {settings['num_hiddens']} hidden units"
                        + update_words(settings.get("optimizer")),
                  caption=f"median of {settings['repeat']} rounds of {settings['iterations']} steps (± half "
                          "the range), the implementations taking turns; vs scratch: paired by round, 95 % interval",
                  box=box.SIMPLE_HEAD, title_justify="left", caption_justify="left")
    add_name_column(table, names=[row.implementation for row in data.rows])
    for column in ("train", "vs scratch", "forward", "vs scratch"):
        table.add_column(column, justify="right")
    for row in data.rows:
        table.add_row(Text(row.implementation),
                      f"{row.train.median:,.0f}\n±{row.train.half_range_percent:.0f}%",
                      _ratio(data.ratio(row.implementation, REFERENCE, "train")),
                      f"{row.forward.median:,.0f}\n±{row.forward.half_range_percent:.0f}%",
                      _ratio(data.ratio(row.implementation, REFERENCE, "forward")))
    failures = [Text(f"{name}: failed: {why}", style="yellow") for name, why in data.failures.items()]
    return Group(table, *failures)
