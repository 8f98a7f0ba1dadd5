"""A language model's `check`: one row per implementation (its verdict and the first difference), then each
implementation's explanation in full, one line each (never empty where it failed). 80 columns; user text literal."""
from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from compare.reporting.columns import add_name_column
from compare.reporting.rule_words import update_words
from compare.results.sequence_check_types import SequenceCheckData, SequenceVerdict


def sequence_check_table(data: SequenceCheckData) -> Table:
    recipe = data.recipe
    table = Table(title=f"check --model {recipe['model']}: against {recipe['reference']} over {recipe['steps']} "
                        f"batch(es) of {recipe['batch_size']} x {recipe['num_steps']} steps ({recipe['sampling']} "
                        f"sampling){update_words(recipe.get('optimizer'))}", box=box.SIMPLE_HEAD, title_justify="left",
                  caption=f"every quantity held to {data.held_to}", caption_justify="left")
    add_name_column(table, names=[verdict.name for verdict in data.verdicts])
    table.add_column("verdict")
    table.add_column("first difference", overflow="fold")
    for verdict in data.verdicts:
        table.add_row(Text(verdict.name), _verdict_text(verdict), Text(_first(verdict)))
    return table


def _verdict_text(verdict: SequenceVerdict) -> Text:
    if verdict.passed:
        return Text("pass" + (" (known)" if verdict.accepted else ""), style="green")
    return Text("FAIL", style="bold red")


def _first(verdict: SequenceVerdict) -> str:
    if verdict.error:
        return "its code raised an exception"
    return verdict.first.label if verdict.first else "none"


def sequence_check_lines(data: SequenceCheckData) -> list[str]:
    """Each implementation's explanation (with the correct alternative it was held to, where one was)."""
    return [verdict.explanation() for verdict in data.verdicts]
