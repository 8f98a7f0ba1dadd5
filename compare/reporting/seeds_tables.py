"""Rich views of a run across its seeds: how each implementation's runs ended, seed by seed (where one diverged
or failed, and at which step), beside the ones that trained."""
from typing import Optional

from rich.table import Table
from rich.text import Text

from compare.reporting.columns import add_name_column, name_cell
from compare.results.types import RunData, Status


def endings_table(run: RunData) -> Optional[Table]:
    """Per implementation: in how many seeds it ended well, and where each other run stopped (None when every
    run of every implementation ended well, or there is one seed)."""
    if len(run.runs) < 2:
        return None
    stopped = {name: [(seed_run.seed, seed_run.results[name]) for seed_run in run.runs
                      if name in seed_run.results and seed_run.results[name].status != Status.OK]
               for name in run.names()}
    if not any(stopped.values()):
        return None
    table = Table(title=f"How the runs ended, over {len(run.runs)} seeds")
    add_name_column(table, names=run.names())
    table.add_column("ended well", justify="right", no_wrap=True)
    table.add_column("stopped (seed: where)")
    for name, runs in stopped.items():
        total = len(run.across_seeds(name))
        where = "; ".join(f"{seed}: {result.status.value} at epoch {result.stopped_at.epoch}, step "
                          f"{result.stopped_at.step}" if result.stopped_at else f"{seed}: {result.status.value}"
                          for seed, result in runs)
        style = None if not runs else "bold red"
        table.add_row(name_cell(name), f"{total - len(runs)} of {total}", Text(where or "—", style=style))
    return table
