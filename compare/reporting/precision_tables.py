"""run's table of float32 and bf16 side by side: per epoch, each implementation's test accuracy (a regression: test
loss) and mean train loss in each precision, a bf16 row against its float32 self. Rich renderables from result
dataclasses."""
from typing import Optional

from rich.table import Table

from compare.measuring.precision import BF16, BF16_SUFFIX, FLOAT32, bf16_name
from compare.reporting.metric_tables import format_loss, shown_epochs
from compare.results.types import EpochResult, ImplementationResult


def by_precision(results: dict[str, ImplementationResult]) -> dict[str, dict[str, ImplementationResult]]:
    """{precision: {implementation: result}} of a run in several precisions ({} for a run in one)."""
    grouped: dict[str, dict[str, ImplementationResult]] = {}
    for label, result in results.items():
        grouped.setdefault(result.precision, {})[label.removesuffix(BF16_SUFFIX)] = result
    return grouped if len(grouped) > 1 else {}


def _cell(epoch: EpochResult, twin: Optional[EpochResult], accuracy: bool) -> str:
    """'82.01%' (bf16: '(-0.11)' in points against float32 on a second line), then 'loss 0.4643'."""
    if accuracy and epoch.test_accuracy is not None:
        delta = (f"\n({100 * (epoch.test_accuracy - twin.test_accuracy):+.2f})"
                 if twin is not None and twin.test_accuracy is not None else "")
        return f"{epoch.test_accuracy:.2%}{delta}\nloss {format_loss(epoch.train_loss)}"
    ratio = f"\n({epoch.test_loss / twin.test_loss:.3f}×)" if twin is not None and twin.test_loss else ""
    return f"{format_loss(epoch.test_loss)}{ratio}\ntrain {format_loss(epoch.train_loss)}"


def precision_table(results: dict[str, ImplementationResult], accuracy: bool, which: str = "") -> Optional[Table]:
    """Every precision's epochs, implementations side by side (None unless a run trained in several): test
    accuracy (Δ points of bf16 against the same implementation in float32) and mean train loss; a regression's
    test loss (× float32's)."""
    grouped = by_precision(results)
    if not grouped:
        return None
    implementations = list(dict.fromkeys(name for group in grouped.values() for name in group))
    what = ("test accuracy (bf16: Δ points vs float32) / mean train loss" if accuracy
            else "mean test loss (bf16: × float32) / mean train loss")
    table = Table(title=f"float32 and bf16 side by side{which}: {what}")
    table.add_column("", no_wrap=True)
    table.add_column("epoch", justify="right")
    for name in implementations:
        table.add_column(name, justify="right", overflow="fold")
    float32 = grouped.get(FLOAT32, {})
    for precision, group in grouped.items():
        epochs = max((len(r.epochs) for r in group.values()), default=0)
        for index in shown_epochs(epochs):
            cells = []
            for name in implementations:
                result, twin = group.get(name), float32.get(name) if precision != FLOAT32 else None
                if result is None or index >= len(result.epochs):
                    cells.append("—")
                    continue
                base = twin.epochs[index] if twin is not None and index < len(twin.epochs) else None
                cells.append(_cell(result.epochs[index], base, accuracy))
            table.add_row(precision if index == 0 else "", str(index + 1), *cells, end_section=True)
        table.add_row("", "status", *[group[name].status.value if name in group else "—"
                                      for name in implementations], end_section=True)
    return table


def unchanged_note(results: dict[str, ImplementationResult]) -> Optional[str]:
    """The bf16 rows that computed exactly what their float32 selves computed, every epoch (None if none did): AMP
    converts by operator, and such an implementation calls none it runs in bf16."""
    grouped = by_precision(results)
    float32, bf16 = grouped.get(FLOAT32, {}), grouped.get(BF16, {})
    same = [bf16_name(name) for name, result in bf16.items() if name in float32 and result.epochs
            and [e.train_loss for e in result.epochs] == [e.train_loss for e in float32[name].epochs]]
    if not same:
        return None
    return (f"note: {', '.join(same)} computed exactly what float32 did: AMP puts only Convolution and "
            "FullyConnected into bf16, by name, and this code calls neither (nd.dot has no bf16 kernel and computes "
            "in float32), so it ran in float32 throughout.")
