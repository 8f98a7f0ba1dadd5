"""The implementation-name column the tables share: a long name (up to 100 characters are allowed) folds onto
more lines and is never cut, and the column stays narrow enough for the numbers beside it at 80 columns."""
from typing import Sequence

from rich.table import Table

NAME_WIDTH = 22  # characters of a name per line


def add_name_column(table: Table, header: str = "implementation", justify: str = "left",
                    names: Sequence[str] = ()) -> None:
    """The column; with the `names` it will hold, wide enough that none breaks mid-word (`name_cell`'s lines whole,
    up to NAME_WIDTH: only a longer single word folds)."""
    widest = max((len(line) for name in names for line in name_cell(name).splitlines()), default=0)
    table.add_column(header, justify=justify, overflow="fold", max_width=NAME_WIDTH,  # type: ignore[arg-type]
                     min_width=min(widest, NAME_WIDTH) or None)


def name_cell(name: str) -> str:
    """A name as its cell shows it: one trained with one of several optimizers on two lines, the rule under the
    implementation ('gluon-hybrid' / '@momentum'), so a narrow column never cuts either mid-word."""
    implementation, mark, rule = name.rpartition("@")
    return f"{implementation}\n@{rule}" if mark and implementation and len(name) > 14 else name
