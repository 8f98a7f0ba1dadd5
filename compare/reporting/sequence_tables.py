"""The tables of a language model's `run`: what trained on what, the shapes a batch takes, perplexity per epoch
side by side, characters per second, and the text each implementation predicts from the same prefixes (one row
where they agree). Text from the user's file (its name, prefixes, predictions) is shown literally. 80 columns."""
from __future__ import annotations

import unicodedata
from typing import Optional

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.reporting.columns import add_name_column
from compare.reporting.rule_words import recorded_optimizer, update_text
from compare.results.sequence_types import SequenceResult, SequenceRunData
from compare.results.types import Status

MAX_EPOCH_ROWS = 12  # the perplexity table's rows: the first epoch, evenly spaced ones, the last


def visible(text: str) -> str:
    """User text as a table shows it: control characters (an escape sequence in a file) written as \\xNN rather
    than sent to the terminal."""
    return "".join(f"\\x{ord(char):02x}" if unicodedata.category(char) == "Cc" else char for char in text)


def sequence_report(run: SequenceRunData) -> Group:
    """The whole report, in reading order."""
    held = [heldout_table(run)] if any(result.heldout for result in run.results) else []
    return Group(heading(run), shape_table(run.results), perplexity_table(run.results), *held,
                 throughput_table(run.results), predictions_table(run.results),
                 *(Text(line, style="yellow") for line in status_lines(run.results) + known_differences(run)))


def known_differences(run: SequenceRunData) -> list[str]:
    """Why a built-in's numbers may differ from the others' by design (the registry's known differences, and MXNet's
    formula of the update rule where the Gluon built-ins' optimizer computes other than the chapter's)."""
    from implementations.registry import update_rule_difference
    from implementations.sequence_registry import sequence_models

    entry = sequence_models().get(str(run.recipe.get("model")))
    trained = [builtin for builtin in (entry.builtins if entry else ()) if builtin.name in set(run.names())]
    lines = [f"{builtin.name} differs by design: {builtin.known_difference.cause}"
             for builtin in trained if builtin.known_difference]
    rule = recorded_optimizer(run.recipe.get("optimizer"))
    difference = update_rule_difference(rule) if rule is not None else None
    through_mxnet = [builtin.name for builtin in trained if builtin.mxnet_optimizer]
    if difference is not None and through_mxnet:
        lines.append(f"{' and '.join(through_mxnet)} differ{'s' if len(through_mxnet) == 1 else ''} by design: "
                     f"{difference.cause}")
    return lines


def heading(run: SequenceRunData) -> Text:
    recipe, text = run.recipe, run.text
    line = Text(f"{recipe['model']}: ", style="bold")
    line.append(visible(str(text["source"])), style="bold")  # literal: a Text span, never markup
    line.append(f"\n{text['characters']:,} characters, a vocabulary of {len(text['vocabulary'])}; "
                f"batches of {recipe['batch_size']} x {recipe['num_steps']} steps, {recipe['sampling']} sampling; "
                f"{update_text(recipe)}, gradients clipped to a norm of {recipe['clipping_theta']:g}; "
                f"{recipe['num_hiddens']:,} hidden units; {recipe['epochs']} "
                f"epoch{'s' if recipe['epochs'] != 1 else ''} "
                f"from seed {recipe['seed']}")
    return line


def epoch_rows(epochs: int) -> list[int]:
    """The epochs the perplexity table shows: all up to MAX_EPOCH_ROWS, else the first, every k-th, the last."""
    if epochs <= MAX_EPOCH_ROWS:
        return list(range(1, epochs + 1))
    step = -(-epochs // (MAX_EPOCH_ROWS - 1))
    return sorted({1, *range(step, epochs, step), epochs})


def perplexity_table(results: list[SequenceResult]) -> Table:
    table = Table(title="Perplexity per epoch (training text; exp of the mean loss per character)",
                  box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("epoch", justify="right")
    for result in results:
        table.add_column(result.name, justify="right", overflow="fold")
    epochs = max((len(result.epochs) for result in results), default=0)
    for epoch in epoch_rows(epochs):
        table.add_row(str(epoch), *[_perplexity(result, epoch) for result in results])
    return table


def _perplexity(result: SequenceResult, epoch: int) -> str:
    if epoch > len(result.epochs):
        return "-"
    value = result.epochs[epoch - 1].perplexity
    return f"{value:.3f}" if value < 1e6 else f"{value:.2e}"


def heldout_table(run: SequenceRunData) -> Table:
    """Perplexity on the held-out text at each epoch text was predicted."""
    text = run.text
    table = Table(title=f"Held-out perplexity (the text's last {text['heldout_characters']:,} characters, "
                        f"{text['holdout']:.0%}; trained on the first {text['trained_characters']:,})",
                  box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("epoch", justify="right")
    for result in run.results:
        table.add_column(result.name, justify="right", overflow="fold")
    for epoch in sorted({epoch for result in run.results for epoch in result.heldout}):
        table.add_row(str(epoch), *[f"{result.heldout[epoch]:.3f}" if epoch in result.heldout else "-"
                                    for result in run.results])
    return table


def throughput_table(results: list[SequenceResult]) -> Table:
    table = Table(title="Throughput (characters per second: the median epoch, the first left out where there are "
                        "more)",
                  box=box.SIMPLE_HEAD, title_justify="left")
    add_name_column(table, names=[result.name for result in results])
    table.add_column("chars/s", justify="right")
    table.add_column("vs first", justify="right")
    table.add_column("seconds in all", justify="right")
    base: Optional[float] = None
    for result in results:
        rate = result.characters_per_second()
        base = rate if base is None else base
        ratio = f"{rate / base:.2f}x" if rate and base else "-"
        table.add_row(Text(result.name), f"{rate:,.0f}" if rate else "-", ratio,
                      f"{sum(epoch.seconds for epoch in result.epochs):.1f}")
    return table


def shape_table(results: list[SequenceResult]) -> Table:
    """One row per traced quantity: its shape where every implementation agrees, else each one's."""
    table = Table(title="Shapes of one batch (from a fresh state, no gradient)", box=box.SIMPLE_HEAD,
                  title_justify="left")
    table.add_column("quantity")
    table.add_column("shape", overflow="fold")
    traced = [result for result in results if result.shapes]
    if not traced:
        return table
    for index, step in enumerate(traced[0].shapes):
        shapes = {result.name: result.shapes[index].shape if index < len(result.shapes) else None
                  for result in traced}
        if len(set(shapes.values())) == 1:
            table.add_row(step.what, str(step.shape))
        else:
            table.add_row(step.what, Text("; ".join(f"{name} {shape}" for name, shape in shapes.items()),
                                          style="red"))
    return table


def predictions_table(results: list[SequenceResult]) -> Table:
    """After the last epoch: each prefix, then each distinct text with the implementations that predicted it."""
    epochs = sorted({epoch for result in results for epoch in result.predictions})
    table = Table(title=f"Text predicted after epoch {epochs[-1]}" if epochs else "Text predicted",
                  box=box.SIMPLE_HEAD, title_justify="left", show_lines=True)
    table.add_column("prefix", overflow="fold", max_width=18)
    add_name_column(table, "predicted by", names=[result.name for result in results])
    table.add_column("text", overflow="fold")
    if not epochs:
        return table
    final = {result.name: result.predictions.get(epochs[-1], {}) for result in results}
    prefixes = [prefix for texts in final.values() for prefix in texts]
    for prefix in dict.fromkeys(prefixes):
        by_text: dict[str, list[str]] = {}
        for name, texts in final.items():
            if prefix in texts:
                by_text.setdefault(texts[prefix], []).append(name)
        for index, (text, names) in enumerate(by_text.items()):
            table.add_row(Text(visible(prefix) if index == 0 else ""), Text(", ".join(names)), Text(visible(text)))
    return table


def status_lines(results: list[SequenceResult]) -> list[str]:
    """One line per implementation that did not end well."""
    lines = []
    for result in results:
        if result.status is Status.DIVERGED:
            lines.append(f"{result.name}: diverged at epoch {len(result.epochs)} (perplexity not finite)")
        elif result.status is Status.FAILED:
            lines.append(f"{result.name}: failed: {result.error}")
        elif result.status is Status.INTERRUPTED:
            lines.append(f"{result.name}: interrupted after {len(result.epochs)} epoch(s)")
    return lines
