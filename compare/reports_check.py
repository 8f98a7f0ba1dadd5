"""Rich view of `compare check`: one table per implementation against scratch, and where each first differs."""
from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.results import CheckResult


def _format_diff(value: float) -> str:
    return f"{value:.2e}"


def check_table(check: CheckResult) -> Group:
    """`compare check`: one table per implementation, each quantity against the reference with its verdict."""
    tables = []
    for implementation in check.implementations():
        table = Table(title=f"{implementation}{check.subject} against {check.reference} "
                            f"(weights after {check.steps} SGD steps)")
        for column in ("quantity", "max |Δ|", "max rel Δ", "rtol/atol", "result"):
            table.add_column(column, justify="left" if column in ("quantity", "result") else "right", no_wrap=True)
        for row in check.for_implementation(implementation):
            table.add_row(
                row.quantity, _format_diff(row.max_abs), _format_diff(row.max_rel),
                f"{row.tolerance.rtol:.0e}/{row.tolerance.atol:.0e}",
                Text("pass", style="green") if row.passed else Text("FAIL", style="bold red"),
            )
        tables.append(table)
    return Group(*tables)


def check_verdict_lines(check: CheckResult) -> list[str]:
    """Where each failing implementation first differs (layer, gradient, weights), and the overall count."""
    from compare.check import first_failure

    lines = []
    for implementation in check.implementations():
        rows = check.for_implementation(implementation)
        if check.unmatched_layers.get(implementation):
            lines.append(f"{implementation}: layers only one side has (not compared): "
                         f"{', '.join(check.unmatched_layers[implementation])}")
        if all(row.passed for row in rows):
            continue
        parts = []
        for kind, what in (("layer", "first difference"), ("gradient", "first gradient difference"),
                           ("weights", f"first weights difference after {check.steps} step"
                                       f"{'' if check.steps == 1 else 's'}")):
            row, agreeing = first_failure(rows, kind)
            if row is not None:
                before = f"; {agreeing} agrees" if agreeing and kind == "layer" else ""
                parts.append(f"{what}: {row.quantity.split(' ', 1)[1]} (max |Δ| {row.max_abs:.1e}){before}")
        lines.append(f"{implementation}: " + ("; ".join(parts) or "logits or loss differ"))
    failed, total = len(check.failed()), len(check.comparisons)
    identical = sum(row.max_abs == 0 for row in check.comparisons)
    lines.append(f"{total - failed} of {total} comparisons within tolerance; {identical} of {total} bit-identical")
    return lines
