"""The one table that sets throughput against the machine's arithmetic limit, for bench, run and tune: each
training and forward rate as achieved GFLOP/s and as a share of nd.dot's rate measured under the same settings."""
from dataclasses import dataclass
from typing import Optional

from rich.table import Table

from compare.measuring.machine_limit import achieved
from compare.reporting.columns import add_name_column


@dataclass(frozen=True)
class LimitRow:
    """One table row: its leading cells (batch, implementation, ...) and its two rates in samples/s."""

    cells: tuple[str, ...]
    train_rate: Optional[float]
    forward_rate: Optional[float]


def limit_table(rows: list[LimitRow], arithmetic: dict, leading: tuple[str, ...], settings_text: str) -> Table:
    """`leading` names the rows' leading columns; `settings_text` says under which settings nd.dot ran."""
    dot = float(arithmetic.get("dot_gflops") or 0)
    training, forward = (float(arithmetic.get(key) or 0) for key in ("training_flops", "forward_flops"))
    size = arithmetic.get("dot_size") or 1024
    table = Table(title=f"Against this machine's arithmetic limit ({settings_text}): nd.dot ran at {dot:,.1f} GFLOP/s "
                        f"on {size}² float32",
                  caption=f"FLOPs per example (convolutions and dense layers): training {training:,.0f}, forward "
                          f"{forward:,.0f}; pooling and activations "
                          f"({int(arithmetic.get('elementwise_ops') or 0):,} operations) not counted")
    for column in leading:
        if column == "implementation":
            add_name_column(table)
        else:
            table.add_column(column, justify="right", no_wrap=True)
    for column in ("train GFLOP/s", "of dot", "fwd GFLOP/s", "of dot "):
        table.add_column(column, justify="right", no_wrap=True)
    for row in rows:
        cells: list[str] = []
        for rate, flops in ((row.train_rate, training), (row.forward_rate, forward)):
            gflops, share = achieved(rate, flops, dot) if rate else (None, None)
            cells += ["—", "—"] if gflops is None else [f"{gflops:,.1f}", f"{share:.0%}"]
        table.add_row(*row.cells, *cells)
    return table
