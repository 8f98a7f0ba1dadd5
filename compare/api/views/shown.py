"""How every result of the Python API shows itself: text at 80 columns (`str`, `print`), HTML in Jupyter
(`_repr_html_`), and a matplotlib figure as an inline PNG."""
import io
from pathlib import Path
from typing import TYPE_CHECKING, Union

from rich.console import Console, RenderableType

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TEXT_WIDTH = 80  # every table reads at 80 columns
HTML_WIDTH = 100


class Shown:
    """Renders `renderable()` as text (`str`, `print`) and as HTML (Jupyter calls `_repr_html_`)."""

    def renderable(self) -> RenderableType:
        raise NotImplementedError

    def _console(self, width: int, record: bool) -> Console:
        return Console(file=io.StringIO(), width=width, color_system=None if not record else "truecolor",
                       record=record, markup=False, emoji=False, force_terminal=record, force_jupyter=False)

    def __str__(self) -> str:
        console = self._console(TEXT_WIDTH, record=False)
        console.print(self.renderable())
        return console.file.getvalue().rstrip("\n")  # type: ignore[attr-defined]

    def _repr_html_(self) -> str:
        console = self._console(HTML_WIDTH, record=True)
        console.print(self.renderable())
        return console.export_html(inline_styles=True, code_format=(
            '<pre style="font-family: Menlo, Consolas, monospace; font-size: 12px; line-height: 1.25">'
            "{code}</pre>"))


class Picture:
    """A matplotlib figure that shows itself as a PNG in Jupyter and can be saved (`save(path)`)."""

    def __init__(self, figure: "Figure") -> None:
        self.figure = figure

    def __repr__(self) -> str:
        return f"<Picture: {self.figure.get_suptitle() or 'a figure'}>"

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=90)
        return buffer.getvalue()

    def save(self, path: Union[str, Path]) -> Path:
        """The picture as a PNG file."""
        Path(path).write_bytes(self._repr_png_())
        return Path(path)


def with_interrupted_note(report: RenderableType, interrupted: bool) -> RenderableType:
    """A run's report, and under it the line saying an interrupt ended it early (what finished is kept)."""
    from rich.console import Group
    from rich.text import Text

    return Group(report, Text("interrupted: the tables hold what finished before it", style="yellow")) \
        if interrupted else report
