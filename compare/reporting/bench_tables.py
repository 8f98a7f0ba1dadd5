"""Rich view of `compare bench`: training steps and forward passes, ratios to scratch paired by repeat."""
from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.measuring.machine_load import BUSY_CORES, cores_word
from compare.measuring.precision import BF16_SUFFIX
from compare.reporting.columns import add_name_column
from compare.reporting.environment import load_caption, machine_text
from compare.reporting.limit_tables import LimitRow, limit_table
from compare.results.measures import BenchResult
from compare.results.types import reference_among, reference_of


def bench_tables(bench: BenchResult) -> Group:
    """`compare bench`: one table for training steps, one for forward passes; ratio to scratch paired by repeat;
    data parallel, a scaling table too."""
    single = BenchResult(bench.settings, bench.environment, [row for row in bench.rows if row.devices == 1])
    tables = [_bench_table(single, kind) for kind in ("train", "inference")]
    if any(row.devices > 1 for row in bench.rows):
        tables.append(scaling_table(bench))
    arithmetic = bench.settings.get("arithmetic")
    if isinstance(arithmetic, dict) and single.rows:
        rows = [LimitRow((str(row.batch_size), row.implementation), row.train.median, row.inference.median,
                         bf16=row.implementation.endswith(BF16_SUFFIX)) for row in single.rows]
        limit = limit_table(rows, arithmetic, ("batch", "implementation"), "same settings, same process")
        tables += [limit] if limit is not None else []
    return Group(*tables)


def scaling_table(bench: BenchResult) -> Table:
    """Data parallel against one device, per implementation: samples/s and efficiency = speed-up / devices."""
    alone = {(row.implementation, row.batch_size): row for row in bench.rows if row.devices == 1}
    spread = [row for row in bench.rows if row.devices > 1]
    devices = spread[0].devices
    table = Table(title=f"Scaling: data parallel over {devices} devices ({bench.settings.get('context', '?')}"
                        f"{_workers_text(bench)}) against {bench.settings.get('context', '?').split(',')[0]} alone, "
                        "median samples/s",
                  caption="eff. (efficiency) = (samples/s on N devices ÷ samples/s on one) ÷ N; 100 % is perfect "
                          "scaling")
    for column in ("batch", "implementation: all-reduce", "train ×1", f"train ×{devices}", "eff.",
                   "fwd ×1", f"fwd ×{devices}", "eff. "):
        if column.startswith("implementation"):  # the name and its own words on summing: wraps, never cut
            table.add_column(column, overflow="fold")
        else:
            table.add_column(column, justify="right", no_wrap=True)
    for index, row in enumerate(spread):
        one = alone.get((row.implementation, row.batch_size))
        cells = []
        for kind in ("train", "inference"):
            rate = getattr(row, kind).median
            base = getattr(one, kind).median if one else None
            cells += ["—" if base is None else f"{base:,.0f}", f"{rate:,.0f}",
                      "—" if base is None else f"{rate / base / row.devices:.0%}"]
        last_of_size = index + 1 == len(spread) or spread[index + 1].batch_size != row.batch_size
        table.add_row(str(row.batch_size), Text(f"{row.implementation}: {row.summed_by}"), *cells,
                      end_section=last_of_size)
    return table


def _workers_text(bench: BenchResult) -> str:
    parallel = bench.environment.get("data_parallel") or {}
    workers = parallel.get("workers", 1)
    return f" in each of {workers} worker processes" if workers and workers > 1 else ""


def _paired_ratio_text(spread, reference_spread) -> str:
    from compare.measuring.statistics import paired_ratio

    if reference_spread is None:
        return "—"
    interval = paired_ratio(spread.rates, reference_spread.rates)
    if interval.low is None:
        return f"{interval.mean:.2f}×"
    return f"{interval.mean:.2f}× [{interval.low:.2f}, {interval.high:.2f}]"


def _bench_table(bench: BenchResult, kind: str) -> Table:
    rows, context = bench.rows, bench.settings.get("context", "?")
    names = list(dict.fromkeys(row.implementation for row in rows))
    reference_name = reference_among(names)
    twins = any(reference_of(name, names) != reference_name for name in names)  # bf16 rows beside float32 ones
    header = "× reference" if twins else f"× {reference_name}"
    against = (f"× reference: × {reference_name}, a bf16 row × its float32 self (same repeats)" if twins
               else f"× {reference_name}")
    what = "training steps" if kind == "train" else "forward passes"
    unknown = load_caption([cores_word(row.other_cores) for row in rows])
    table = Table(title=f"Steady-state {what} on {context}, samples/s: median ± half the min–max range",
                  caption=f"{against}: geometric mean of per-repeat ratios [95 % t-interval]; "
                          f"load BUSY: other work used more than {BUSY_CORES} of a core while timed"
                          + (f"; {unknown.removeprefix('load ')}" if unknown else ""))
    for column in ("batch", "implementation", "samples/s", header, "load"):
        if column == "implementation":
            add_name_column(table)
        else:
            table.add_column(column, justify="right", no_wrap=True)
    by_size = {(row.implementation, row.batch_size): row for row in rows}
    for index, row in enumerate(rows):
        reference = by_size.get((reference_of(row.implementation, names) if twins else reference_name,
                                 row.batch_size))
        spread = getattr(row, kind)
        last_of_size = index + 1 == len(rows) or rows[index + 1].batch_size != row.batch_size
        table.add_row(str(row.batch_size), row.implementation,
                      f"{spread.median:,.0f} ±{spread.half_range_percent:.0f}%",
                      _paired_ratio_text(spread, getattr(reference, kind) if reference else None),
                      machine_text(cores_word(row.other_cores)), end_section=last_of_size)
    return table
