"""Rich view of `compare bench`: training steps and forward passes, ratios to scratch paired by repeat."""
from rich.console import Group
from rich.table import Table

from compare.machine_load import BUSY_CORES
from compare.reports import machine_text
from compare.results import REFERENCE, BenchResult


def bench_tables(bench: BenchResult) -> Group:
    """`compare bench`: one table for training steps, one for forward passes; ratio to scratch paired by repeat."""
    return Group(*(_bench_table(bench, kind) for kind in ("train", "inference")))


def _paired_ratio_text(spread, reference_spread) -> str:
    from compare.statistics import paired_ratio

    if reference_spread is None:
        return "—"
    interval = paired_ratio(spread.rates, reference_spread.rates)
    if interval.low is None:
        return f"{interval.mean:.2f}×"
    return f"{interval.mean:.2f}× [{interval.low:.2f}, {interval.high:.2f}]"


def _bench_table(bench: BenchResult, kind: str) -> Table:
    rows, context = bench.rows, bench.settings.get("context", "?")
    what = "training steps" if kind == "train" else "forward passes"
    table = Table(title=f"Steady-state {what} on {context}, samples/s: median ± half the min–max range",
                  caption=f"× {REFERENCE}: geometric mean of per-repeat ratios [95 % t-interval]; "
                          f"load BUSY: other work used more than {BUSY_CORES} of a core while timed")
    for column in ("batch", "implementation", "samples/s", f"× {REFERENCE}", "load"):
        table.add_column(column, justify="left" if column == "implementation" else "right", no_wrap=True)
    references = {row.batch_size: row for row in rows if row.implementation == REFERENCE}
    for index, row in enumerate(rows):
        reference = references.get(row.batch_size)
        spread = getattr(row, kind)
        last_of_size = index + 1 == len(rows) or rows[index + 1].batch_size != row.batch_size
        table.add_row(str(row.batch_size), row.implementation,
                      f"{spread.median:,.0f} ±{spread.half_range_percent:.0f}%",
                      _paired_ratio_text(spread, getattr(reference, kind) if reference else None),
                      machine_text(row.other_cores), end_section=last_of_size)
    return table
