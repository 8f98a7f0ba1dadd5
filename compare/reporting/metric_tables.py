"""The run tables that follow a model's metric and update rules: loss per epoch for a regression (which has no
accuracy), the learned parameters against the true ones, and one table of every optimizer side by side when a run
trains several (the optimization chapters' comparison). Rich renderables from result dataclasses."""
from typing import Optional

from rich.table import Table

from compare.reporting.columns import add_name_column, name_cell
from compare.results.types import EpochResult, ImplementationResult, reference_of, reference_words, split_name

SHOWN_EPOCHS = 10  # longer runs show a log-spaced selection of their epochs, and the last


def shown_epochs(count: int) -> list[int]:
    """Epoch indices (0-based) a table shows: all of up to SHOWN_EPOCHS, else 1, 2, 3, 5, 10, 20, 50, ... and the
    last (weight decay's 100 epochs in nine rows)."""
    if count <= SHOWN_EPOCHS:
        return list(range(count))
    marks = {1, 2, 3} | {step * 10**power for power in range(7) for step in (1, 2, 5)}
    return [epoch - 1 for epoch in sorted(mark for mark in marks | {count} if mark <= count)]


def format_loss(value: float) -> str:
    """Four decimals for ordinary losses, three significant digits for tiny and exploded ones."""
    return f"{value:.4f}" if 1e-2 <= abs(value) < 1e4 or value == 0 else f"{value:.3e}"


def optimizer_text(recorded: object) -> str:
    """A recorded optimizer as a reader writes it: 'adam (lr 0.1, beta1 0.9, beta2 0.999, epsilon 1e-08; defaults:
    adam-scratch, on this data)'."""
    if not isinstance(recorded, dict):
        return str(recorded)
    values = [f"{'lr' if key == 'learning_rate' else key.replace('_', ' ')} {value:g}"
              for key, value in recorded.items() if key != "name" and isinstance(value, (int, float))
              and not isinstance(value, bool) and not (key == "weight_decay" and value == 0)]
    source = recorded.get("defaults")
    text = ", ".join(values) + (f"; defaults: {source}" if isinstance(source, str) else "")
    return f"{recorded.get('name')}" + (f" ({text.removeprefix('; ')})" if text else "")


def timed_optimizer_text(recorded: dict) -> str:
    """bench's and profile's rule: 'adam (beta1 0.9, ...; defaults: ...), steps timed at lr 0.01' (the rate their
    steps take, not the recipe's)."""
    rate = recorded.get("learning_rate")
    rule = optimizer_text({key: value for key, value in recorded.items() if key != "learning_rate"})
    return rule + (f", steps timed at lr {rate:g}" if isinstance(rate, (int, float)) else "")


def test_metric_text(epoch: EpochResult) -> str:
    """'test accuracy 85.05%', or for a regression 'test loss 5.056e-05'."""
    if epoch.test_accuracy is None:
        return f"test loss {format_loss(epoch.test_loss)}"
    return f"test accuracy {epoch.test_accuracy:.2%}"


def loss_table(results: dict[str, ImplementationResult], status: dict, which: str = "") -> Table:
    """Per epoch, each implementation's mean test loss (× its reference's) and mean training loss."""
    names = list(results)
    table = Table(title=f"Loss per epoch{which}: mean test loss (× {reference_words(names)}) / mean train loss")
    table.add_column("epoch", justify="right")
    for name in results:
        table.add_column(name, justify="right", overflow="fold")
    for index in shown_epochs(max((len(r.epochs) for r in results.values()), default=0)):
        cells = [str(index + 1)]
        for name, result in results.items():
            if index >= len(result.epochs):
                cells.append("—")
                continue
            epoch, reference_name = result.epochs[index], reference_of(name, names)
            reference = results.get(reference_name)
            base = reference.epochs[index] if reference and index < len(reference.epochs) else None
            ratio = f" ({epoch.test_loss / base.test_loss:.3f}×)" if base and base.test_loss and name != reference_name \
                else ""
            cells.append(f"{format_loss(epoch.test_loss)}{ratio}\ntrain {format_loss(epoch.train_loss)}")
        table.add_row(*cells, end_section=True)
    table.add_row("status", *status.values())
    return table


def parameter_error_table(results: dict[str, ImplementationResult]) -> Optional[Table]:
    """Each implementation's learned parameters against the ones the data was drawn from (None when unknown)."""
    names = list(dict.fromkeys(name for result in results.values() for name in result.parameter_errors))
    if not names:
        return None
    table = Table(title="Learned against true parameters: max |learned - true| (the data's own noise is the floor)")
    add_name_column(table, names=list(results))
    for name in names:
        table.add_column(name, justify="right", no_wrap=True)
    for label, result in results.items():
        table.add_row(name_cell(label), *[f"{result.parameter_errors[n]:.2e}" if n in result.parameter_errors else "—"
                               for n in names])
    return table


def by_optimizer(results: dict[str, ImplementationResult]) -> dict[str, dict[str, ImplementationResult]]:
    """{optimizer: {implementation: result}} of a run over several optimizers ({} for a run of one)."""
    grouped: dict[str, dict[str, ImplementationResult]] = {}
    for label, result in results.items():
        implementation, optimizer = split_name(label)
        if not optimizer:
            return {}
        grouped.setdefault(optimizer, {})[implementation] = result
    return grouped if len(grouped) > 1 else {}


def optimizer_table(results: dict[str, ImplementationResult], accuracy: bool) -> Optional[Table]:
    """Every optimizer's mean training loss per epoch, implementations side by side (None unless several
    optimizers ran), and the last epoch's test accuracy or test loss."""
    grouped = by_optimizer(results)
    if not grouped:
        return None
    implementations = list(dict.fromkeys(name for group in grouped.values() for name in group))
    table = Table(title="Every optimizer: mean train loss per epoch; last, the final test "
                        + ("accuracy" if accuracy else "loss"))
    table.add_column("optimizer", no_wrap=True)
    table.add_column("epoch", justify="right")
    for name in implementations:
        table.add_column(name, justify="right", overflow="fold")
    for optimizer, group in grouped.items():
        epochs = max((len(r.epochs) for r in group.values()), default=0)
        for index in shown_epochs(epochs):
            table.add_row(optimizer if index == 0 else "", str(index + 1),
                          *[format_loss(group[n].epochs[index].train_loss) if n in group and index < len(group[n].epochs)
                            else "—" for n in implementations])
        table.add_row("", "test", *[_final(group.get(n), accuracy) for n in implementations], end_section=True)
    return table


def _final(result: Optional[ImplementationResult], accuracy: bool) -> str:
    if result is None or not result.epochs:
        return "—"
    if result.status.value != "ok":
        return result.status.value
    last = result.epochs[-1]
    return f"{last.test_accuracy:.2%}" if accuracy and last.test_accuracy is not None else format_loss(last.test_loss)
