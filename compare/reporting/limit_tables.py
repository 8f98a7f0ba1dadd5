"""The one table that sets throughput against the machine's arithmetic limit, for bench, run and tune: each
training and forward rate as achieved GFLOP/s and as a share of the limit — the fastest float32 GEMM measured under
the same settings; for a row computed in bfloat16, the fastest bfloat16 GEMM, where one was measured — with every
GEMM's rate under it, and nd.dot's where a layer written with it pays for its BLAS."""
from dataclasses import dataclass
from typing import Optional

from rich.table import Table

from compare.measuring.machine_limit import DOT, GemmRates, achieved
from compare.reporting.columns import add_name_column

SLOW_DOT_SHARE = 0.8  # nd.dot below this share of the limit: the caption says what that costs a from-scratch layer


@dataclass(frozen=True)
class LimitRow:
    """One table row: its leading cells (batch, implementation, ...) and its two rates in samples/s."""

    cells: tuple[str, ...]
    train_rate: Optional[float]
    forward_rate: Optional[float]
    bf16: bool = False  # computed in bfloat16: held against the bfloat16 GEMM, not the float32 limit


def limit_title(gemms: GemmRates, settings_text: str) -> str:
    """'Against this machine's arithmetic limit (same settings); the limit: FullyConnected (oneDNN) at ...'."""
    fastest = f", the fastest of {len(gemms.rates)} GEMMs" if len(gemms.rates) > 1 else ""
    return (f"Against this machine's arithmetic limit ({settings_text}); the limit: {gemms.limit} at "
            f"{gemms.limit_gflops:,.1f} GFLOP/s on {gemms.size}² float32{fastest}")


def gemm_lines(gemms: GemmRates) -> list[str]:
    """Every GEMM's rate (where there were several), the bfloat16 ones beside, and what a slow nd.dot costs."""
    def listed(rates: dict[str, float]) -> str:
        return ", ".join(f"{_named(gemms, name)} {rate:,.1f}" for name, rate in
                         sorted(rates.items(), key=lambda item: -item[1]))

    lines = [f"GEMMs measured (GFLOP/s): {listed(gemms.rates)}"] if len(gemms.rates) > 1 else []
    if gemms.lower_precision:
        lines.append(f"beside them, in bfloat16 (not float32, never the limit): {listed(gemms.lower_precision)}")
    dot = gemms.rates.get(DOT)
    if dot is not None and gemms.limit != DOT and dot < SLOW_DOT_SHARE * gemms.limit_gflops:
        lines.append(f"nd.dot (MXNet's bundled BLAS) ran at {dot:,.1f} GFLOP/s, {dot / gemms.limit_gflops:.0%} of the "
                     "limit: a from-scratch layer written with nd.dot pays for its BLAS")
    return lines


def _named(gemms: GemmRates, name: str) -> str:
    threads = gemms.numpy_threads
    return f"{name} ({threads} thread{'s' if threads != 1 else ''})" if name.startswith("numpy") and threads else name


def limit_table(rows: list[LimitRow], arithmetic: dict, leading: tuple[str, ...], settings_text: str
                ) -> Optional[Table]:
    """`leading` names the rows' leading columns; `settings_text` says under which settings the GEMMs ran. None
    where `arithmetic` holds no rate."""
    gemms = GemmRates.from_record(arithmetic)
    if gemms is None:
        return None
    training, forward = (float(arithmetic.get(key) or 0) for key in ("training_flops", "forward_flops"))
    flops = (f"FLOPs per example (convolutions and dense layers): training {training:,.0f}, forward {forward:,.0f}; "
             f"pooling and activations ({int(arithmetic.get('elementwise_ops') or 0):,} operations) not counted")
    bf16_limit = max(gemms.lower_precision.values(), default=None)
    lower = ([f"rows in bf16: against the fastest bfloat16 GEMM, {bf16_limit:,.1f} GFLOP/s"] if bf16_limit else
             ["rows in bf16: against the float32 limit (no bfloat16 GEMM was measured)"]) \
        if any(row.bf16 for row in rows) else []
    table = Table(title=limit_title(gemms, settings_text), caption="\n".join([*gemm_lines(gemms), *lower, flops]))
    for column in leading:
        if column == "implementation":
            add_name_column(table)
        else:
            table.add_column(column, justify="right", no_wrap=True)
    for column in ("train GFLOP/s", "of limit", "fwd GFLOP/s", "of limit "):
        table.add_column(column, justify="right", no_wrap=True)
    for row in rows:
        cells: list[str] = []
        limit = bf16_limit if row.bf16 and bf16_limit else gemms.limit_gflops
        for rate, flops_per_example in ((row.train_rate, training), (row.forward_rate, forward)):
            gflops, share = achieved(rate, flops_per_example, limit) if rate else (None, None)
            cells += ["—", "—"] if gflops is None else [f"{gflops:,.1f}", f"{share:.0%}"]
        table.add_row(*row.cells, *cells)
    return table
