"""Rich views of `compare run`: shape traces, accuracy, throughput, seeds, notes (the environment header:
environment.py).

Builds `rich` renderables from result dataclasses; printing is the caller's choice of console.
"""
from typing import Optional

from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.measuring.precision import BF16
from compare.reporting.columns import add_name_column, name_cell
from compare.reporting.environment import busy_note, environment_panel, load_caption, machine_text
from compare.reporting.limit_tables import LimitRow, limit_table
from compare.reporting.metric_tables import format_loss, loss_table, optimizer_table, parameter_error_table
from compare.reporting.precision_tables import precision_table, unchanged_note
from compare.results.types import ImplementationResult, RunData, Status, classifies, reference_of, reference_words


def _ratio(value: Optional[float], reference: Optional[float]) -> str:
    if value is None or reference is None or reference == 0:
        return "—"
    return f"{value / reference:.2f}×"


def _status_text(result: ImplementationResult) -> Text:
    if result.status == Status.OK:
        return Text("ok", style="green")
    where = ""
    if result.stopped_at:
        step = f", step {result.stopped_at.step}" if result.stopped_at.step else ""
        where = f" at epoch {result.stopped_at.epoch}{step}"
    return Text(f"{result.status.value}{where}", style="bold red")


def shape_trace_table(results: dict[str, ImplementationResult]) -> Table:
    """One row per layer: its output shape and parameter count. When every implementation agrees (the usual
    case) one shape column stands for all; otherwise one column per implementation, rows that differ in red."""
    names = [name for name, result in results.items() if result.shape_trace]
    traces = [[(t.name, t.output_shape, t.parameter_count) for t in results[name].shape_trace] for name in names]
    shown = names[:1] if traces and all(trace == traces[0] for trace in traces) else names
    table = Table(title="Shape trace (output shape per layer, for one training batch)")
    table.add_column("layer", no_wrap=True)
    for name in shown:
        header = f"output shape ({'all ' + str(len(names)) if len(names) > 1 else name})" if shown != names else name
        table.add_column(header, overflow="fold")
    table.add_column("parameters", justify="right", no_wrap=True)
    layers = max((results[name].shape_trace for name in names), key=len, default=[])
    for index, layer in enumerate(layers):
        rows = [results[n].shape_trace[index] if index < len(results[n].shape_trace) else None for n in names]
        same = all(r is not None and (r.name, r.output_shape, r.parameter_count) ==
                   (layer.name, layer.output_shape, layer.parameter_count) for r in rows)
        cells = ["—" if r is None else "×".join(map(str, r.output_shape)) for r, n in zip(rows, names) if n in shown]
        counts = sorted({r.parameter_count for r in rows if r is not None})
        table.add_row(layer.name, *cells, " / ".join(f"{c:,}" for c in counts), style=None if same else "bold red")
    totals = sorted({sum(t.parameter_count for t in results[n].shape_trace) for n in names})
    table.add_row("total", *[""] * len(shown), " / ".join(f"{t:,}" for t in totals), style="bold")
    return table


def accuracy_table(results: dict[str, ImplementationResult], which: str = "") -> Table:
    """Per epoch, each implementation's test accuracy (Δ points to its reference) and mean training loss."""
    names = list(results)
    table = Table(title=f"Accuracy per epoch{which}: test accuracy (Δ points vs {reference_words(names)}) / mean "
                        "train loss")
    table.add_column("epoch", justify="right")
    for name in results:
        table.add_column(name, justify="right", overflow="fold")  # a long name folds, never cut
    epochs = max((len(r.epochs) for r in results.values()), default=0)
    for index in range(epochs):
        cells = [str(index + 1)]
        for name, result in results.items():
            epoch = result.epochs[index] if index < len(result.epochs) else None
            if epoch is None:
                cells.append("—")
                continue
            reference_name = reference_of(name, names)
            reference = results.get(reference_name)
            base = reference.epochs[index] if reference and index < len(reference.epochs) else None
            delta = (f" ({100 * (epoch.test_accuracy - base.test_accuracy):+.2f})" if base and name != reference_name
                     else "")
            cells.append(f"{epoch.test_accuracy:.2%}{delta}\nloss {format_loss(epoch.train_loss)}")
        table.add_row(*cells, end_section=True)
    table.add_row("status", *[_status_text(result) for result in results.values()])
    return table


def throughput_table(results: dict[str, ImplementationResult], which: str = "") -> Table:
    """Training and evaluation samples/s over all epochs with the ratio to each one's reference, time spent, load."""
    names = list(results)
    table = Table(title=f"Throughput{which}: samples/s over all epochs (× {reference_words(names)}); engine-synced, "
                        "warm-up excluded", caption=load_caption([result.load() for result in results.values()]))
    add_name_column(table, names=names)
    for column in ("train/s", "eval/s", "train s / warm-up s", "load"):
        table.add_column(column, justify="right", no_wrap=column != "train s / warm-up s")
    for name, result in results.items():
        reference = results.get(reference_of(name, names))
        train, evaluation = result.train_samples_per_second(), result.eval_samples_per_second()
        table.add_row(
            name_cell(name),
            _rate_text(train, reference.train_samples_per_second() if reference else None),
            _rate_text(evaluation, reference.eval_samples_per_second() if reference else None),
            f"{result.total_train_seconds():.1f} / {result.warmup_seconds:.2f}" if result.epochs
            else f"— / {result.warmup_seconds:.2f}",
            machine_text(result.load()),
        )
    return table


def _limit_table(results: dict[str, ImplementationResult], arithmetic: object) -> Optional[Table]:
    if not isinstance(arithmetic, dict):
        return None
    rows = [LimitRow((name_cell(name),), result.train_samples_per_second(), result.eval_samples_per_second(),
                     bf16=result.precision == BF16) for name, result in results.items()]
    return limit_table(rows, arithmetic, ("implementation",), "measured at the end of this run, same settings")


def _rate_text(value: Optional[float], reference: Optional[float]) -> str:
    """'6,649 (1.37×)', or '—' without a value."""
    if not value:
        return "—"
    return f"{value:,.0f} ({_ratio(value, reference)})"


def time_to_accuracy_table(results: dict[str, ImplementationResult], target: float) -> Table:
    """For each implementation: training time and epoch at which test accuracy first reached `target`."""
    table = Table(title=f"Time to {target:.2%} test accuracy: training seconds (evaluation excluded)")
    add_name_column(table, names=list(results))
    table.add_column("reached", justify="right")
    for name, result in results.items():
        reached = result.time_to_accuracy(target)
        table.add_row(name_cell(name), f"{reached[1]:.1f} s, epoch {reached[0]}" if reached else "not reached")
    return table


CHANCE_ACCURACY = 0.11  # ten balanced classes: 10 % is guessing
LARGE_FACTOR = 10  # a normal init ten times wider than the model's chapter recipe


def _large_init(recipe: dict) -> Optional[str]:
    """The tutorial's warning, when the run's normal init is far wider than its model's chapter recipe (0.01 for
    LeNet; the softmax chapter's own N(0, 1) is not a mistake)."""
    from implementations.registry import DEFAULT_MODEL, models

    model = models().get(str(recipe.get("model", DEFAULT_MODEL)), models()[DEFAULT_MODEL])
    if not classifies(recipe):  # no logits, no ReLUs: the warning is the classification chapters'
        return None
    scale = recipe.get("weight_scale") or 0.0
    if (recipe.get("init") == "normal" and isinstance(scale, (int, float))
            and scale >= LARGE_FACTOR * model.recipe.weight_scale):
        return (f"With --weight-scale {scale:g} the first logits are huge (see the first loss) and the first "
                "updates blow up or leave the ReLUs dead: the tutorial's warning about initialisation. "
                f"The chapter's {model.recipe.weight_scale:g} or --init xavier train normally.")
    return None


def notes(results: dict[str, ImplementationResult], recipe: dict) -> list[str]:
    """Plain-language warnings a reader should not miss, with the likely cause for this recipe."""
    lines = [line for line in [busy_note([name for name, r in results.items() if r.busy()])] if line]
    stuck = [name for name, r in results.items() if r.epochs and r.epochs[-1].test_accuracy is not None
             and r.epochs[-1].test_accuracy <= CHANCE_ACCURACY]
    if stuck:
        cause = _large_init(recipe) or ("With the N(0, 0.01) start the loss stays near 2.30 for most of the first "
                                        "full epoch; train on more examples or for more epochs.")
        lines.append(f"note: {', '.join(stuck)} ended at chance-level accuracy (~10 %): not learned (yet). {cause}")
    others = "; the others went on" if any(r.status == Status.OK for r in results.values()) else ""
    baseline = ("the larger of the first batch's loss and ln 10" if classifies(recipe)
                else "the mean loss at the initial weights over the first 1,000 examples (all of a smaller split)")
    rule = f"a batch's mean loss was not finite or over 1000× {baseline}"
    cause = f" {_large_init(recipe)}" if _large_init(recipe) and not stuck else ""
    for name, result in results.items():
        if result.status == Status.DIVERGED:
            lines.append(f"note: {name} diverged ({result.message}; {rule}) and stopped{others}.{cause}")
        elif result.status == Status.FAILED:
            lines.append(f"note: {name} failed ({result.message}) and stopped{others}; -v shows the traceback.")
    return lines


def run_report(run: RunData, target_accuracy: Optional[float] = None) -> Group:
    """The whole `compare run` report, in reading order; with several seeds, the first seed's tables and then
    the summary across seeds."""
    from compare.reporting.seeds_tables import endings_table
    from compare.results.aggregates import summarize_run

    first = f" (seed {run.runs[0].seed} of {len(run.runs)})" if len(run.runs) > 1 else ""
    endings = [table for table in [endings_table(run)] if table is not None]
    seeds = [seeds_table(summarize_run(run, target_accuracy), len(run.runs))] if len(run.runs) > 1 else []
    busy = sorted({name for seed_run in run.runs[1:] for name, r in seed_run.results.items() if r.busy()})
    arithmetic = run.environment.get("arithmetic")  # the FLOPs and the GEMMs' rates, where the run measured them
    optimizers = optimizer_table(run.results, classifies(run.recipe))  # several optimizers: one table of them all, not one column each
    status = {name: _status_text(result) for name, result in run.results.items()}
    precisions = precision_table(run.results, classifies(run.recipe), first)  # float32 and bf16: one table of both
    per_epoch = optimizers or precisions or (accuracy_table(run.results, first) if classifies(run.recipe)
                                             else loss_table(run.results, status, first))
    return Group(
        environment_panel(run.environment, run.recipe, run.data),
        shape_trace_table(run.results),
        per_epoch,
        *[table for table in [parameter_error_table(run.results)] if table is not None],
        throughput_table(run.results, first),
        *[table for table in [_limit_table(run.results, arithmetic)] if table is not None],
        *([time_to_accuracy_table(run.results, target_accuracy)] if target_accuracy is not None else []),
        *seeds,
        *endings,
        *(Text(line, style="yellow") for line in notes(run.results, run.recipe)),
        *[Text(line, style="yellow") for line in [unchanged_note(run.results)] if line],
        *([Text(busy_note([f"{name} (a later seed)" for name in busy]), style="yellow")] if busy else []),
    )


def _interval_text(interval, unit: str) -> str:
    """'58.38 ± 1.84' and, on a second line, '[53.80, 62.95]' (one sample: the value alone)."""
    if unit == "loss":  # a regression's test loss spans orders of magnitude: significant digits
        if interval.low is None:
            return f"{interval.mean:.3g}"
        return f"{interval.mean:.3g} ± {interval.sd:.2g}\n[{interval.low:.3g}, {interval.high:.3g}]"
    digits = 2 if unit == "%" else 0 if unit == "/s" else 1
    if interval.low is None:
        return f"{interval.mean:,.{digits}f}"
    return (f"{interval.mean:,.{digits}f} ± {interval.sd:,.{digits}f}\n"
            f"[{interval.low:,.{digits}f}, {interval.high:,.{digits}f}]")


METRIC_LABELS = {"%": "accuracy %", "/s": "train /s", "s": "to target s", "loss": "test loss"}


def seeds_table(summaries: dict, seeds: int) -> Table:
    """Across seeds: mean ± sd and 95 % interval per metric, and the difference to scratch paired by seed;
    each implementation a heading row, its metrics below (narrow enough for an 80-column terminal)."""
    reference = reference_words(list(summaries))
    table = Table(title=f"Across {seeds} seeds: mean ± sd [95 % t-interval]; Δ vs {reference} paired by seed")
    add_name_column(table, "metric", names=list(summaries))  # each implementation's name heads its rows
    delta_header = f"Δ vs {reference.removesuffix(' (same rule)')}"  # the title says which rule
    for column in ("value", delta_header, "verdict"):
        table.add_column(column, justify="right" if column in ("value", delta_header) else "left",
                         no_wrap=column in ("value", delta_header))
    for name, rows in summaries.items():
        table.add_row(Text(name_cell(name), style="bold"), "", "", "")
        for index, row in enumerate(rows):
            unit = {"%": "points", "loss": ""}.get(row.unit, row.unit)
            value = _interval_text(row.interval, row.unit) + (f"\n({row.seeds_with_value} seeds)"
                                                              if row.seeds_with_value < seeds else "")
            delta = "—" if row.paired is None else f"{_interval_text(row.paired, row.unit)} {unit}"
            style = "green" if row.verdict == "no detectable difference" else None
            table.add_row(f"  {METRIC_LABELS.get(row.unit, row.metric)}", value, delta, Text(row.verdict, style=style),
                          end_section=index == len(rows) - 1)
    return table
