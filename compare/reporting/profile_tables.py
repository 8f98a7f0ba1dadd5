"""Rich view of `compare profile`: milliseconds per step by layer, side by side, and where the rest goes."""
from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.reporting.environment import environment_panel
from compare.results.measures import ProfileResult
from compare.results.types import Status

MAPPING_NOTE = ("operators -> layers: phases split by synced markers; operators aligned with the layers in "
                "forward order by kind (backward: loss, then reverse order); what fits no layer at its place "
                "is 'unattributed', never dropped")


def profile_report(result: ProfileResult) -> Group:
    """Environment, the per-layer table, the totals table, and notes on method and failures."""
    ok = [p for p in result.profiles if p.status == Status.OK]
    batch = result.settings.get("batch_size")
    rule = result.settings.get("optimizer")
    updated_by = f", updated by {rule}" if rule and not str(rule).startswith("sgd") else ""
    layers = Table(title=f"Operator ms per training step at batch {batch}{updated_by}: forward / backward "
                         f"(mean of {result.settings.get('steps')} profiled steps)")
    layers.add_column("row")
    for profile in ok:
        layers.add_column(profile.name, justify="right", overflow="fold")
    for index, row in enumerate(ok[0].rows if ok else []):
        cells = [f"{p.rows[index].forward_ms:.2f} / {p.rows[index].backward_ms:.2f}" for p in ok]
        layers.add_row(row.row, *cells, end_section=row.row in ("fc2", "update"))
    totals = Table(title="Where a step goes (ms) and what it holds")
    totals.add_column("", ratio=1)  # the labels wrap; the figures never do
    for profile in ok:
        totals.add_column(profile.name, justify="right", overflow="fold")
    for label, read in (("operators", lambda p: f"{p.operator_ms:.2f}"),
                        ("step, measured", lambda p: f"{p.step_ms:.2f}"),
                        ("remainder (Python, engine, syncs)", lambda p: f"{p.remainder_ms:.2f}"),
                        ("remainder share", lambda p: f"{100 * p.remainder_ms / p.step_ms:.0f} %"),
                        ("first call (graph building)", lambda p: f"{p.first_call_ms:.1f}"),
                        ("peak RSS above baseline, MiB", lambda p: f"{p.peak_rss_mib:.1f}"),
                        ("MXNet storage peak, MiB", lambda p: f"{p.storage_peak_mib:.1f}"),
                        ("rows vs operator total, % apart", lambda p: f"{100 * (p.consistency or 0):.2f}")):
        totals.add_row(label, *[read(p) for p in ok])
    notes = [f"note: {MAPPING_NOTE}.",
             "note: each implementation ran in a fresh process (MXNet's profiler is configured once per process; "
             "memory is its own): peak RSS is the process's peak above its size before the model was built; "
             "MXNet storage is its allocator's peak while profiled. Bulk execution was off and each phase synced, "
             "so every operator is its own event; steps are slower than in `bench` by those syncs."]
    notes += [f"note: {p.name} failed while profiled ({p.message}); the others are shown." for p in result.profiles
              if p.status != Status.OK]
    return Group(environment_panel(result.environment, result.settings), layers, totals,
                 *(Text(line, style="yellow") for line in notes))


