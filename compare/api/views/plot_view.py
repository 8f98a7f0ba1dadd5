"""`compare.plot`'s result: the pictures drawn again from a results file, shown as the images themselves in
Jupyter and as `compare plot`'s lines in print."""
import base64
import html
from pathlib import Path

from rich.console import RenderableType
from rich.text import Text

from compare.api.views.shown import Shown


class Pictures(Shown):
    """What `compare.plot` wrote: `files` (the PNGs, in order) and `notes` (why a picture was skipped, one line
    each); in Jupyter the images, in print the notes and a `wrote PATH` line per file."""

    def __init__(self, files: list[Path], notes: list[str]) -> None:
        self.files = list(files)
        self.notes = list(notes)

    def renderable(self) -> RenderableType:
        return Text("\n".join([*self.notes, *(f"wrote {path}" for path in self.files)]))

    def _repr_html_(self) -> str:
        notes = "".join(f"<p>{html.escape(note)}</p>" for note in self.notes)
        images = "".join(f'<figure><img alt="{html.escape(path.name)}" style="max-width: 100%" '
                         f'src="data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}"/>'
                         f"<figcaption>{html.escape(str(path))}</figcaption></figure>" for path in self.files)
        return notes + images

    def __repr__(self) -> str:
        return f"<Pictures: {', '.join(path.name for path in self.files)}>"
