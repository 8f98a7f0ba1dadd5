"""Where a command prints: `Terminal` (tables and progress to `out`, one-line errors to `err`), on streams
that never raise into the job, that print user text literally, and that fall back to ASCII when the
terminal cannot encode the reports' characters.
"""
import codecs
import io
import os
import sys
from dataclasses import dataclass, field
from typing import Optional, TextIO

from rich.console import Console, RenderableType

# Characters the reports use, and what a terminal that cannot encode them gets instead.
ASCII_FALLBACKS = {"Δ": "d", "×": "x", "—": "-", "–": "-", "−": "-", "±": "+/-", "✗": "x", "≥": ">=", "≤": "<=",
                   "…": "...", "μ": "u", "→": "->", "·": ".", "÷": "/", "√": "sqrt", "‖": "|", "²": "^2", "γ": "gamma",
                   "β": "beta", "ε": "eps", "≈": "~"}
ERROR_HANDLER = "compare-ascii"


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    """The encoder's stand-ins, for text that reaches the stream without passing `AsciiConsole.render_str`
    (rich's own `…` where a cell is cut, styled Text): one character each, so columns stay aligned."""
    text = error.object[error.start:error.end]  # type: ignore[attr-defined]
    stand_ins = "".join(ASCII_FALLBACKS.get(char, "?")[:1] for char in text)
    return stand_ins, error.end  # type: ignore[attr-defined]


class GuardedStream(io.TextIOBase):
    """A text stream that never raises into the job: a closed pipe or a full device stops the output only.

    A broken pipe (`… | head -1`) silently drops the rest; any other OSError is kept in `failure`.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self.closed_pipe = False
        self.failure: Optional[OSError] = None

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return self.stream.isatty() and not self.closed_pipe

    def fileno(self) -> int:
        return self.stream.fileno()

    def write(self, text: str) -> int:
        if self.closed_pipe or self.failure is not None:
            return len(text)
        try:
            self.stream.write(text)
            self.stream.flush()
        except BrokenPipeError:
            self._silence()
        except OSError as error:
            self.failure = error
        return len(text)

    def flush(self) -> None:
        pass  # every write flushes

    def _silence(self) -> None:
        """Point the real stdout at /dev/null, so Python's own flush at exit does not complain either."""
        self.closed_pipe = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, io.UnsupportedOperation):
            pass


def _encodable(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None)
    if encoding is None:  # a StringIO holds text, not bytes
        return True
    try:
        "".join(ASCII_FALLBACKS).encode(encoding)
        return True
    except (UnicodeError, LookupError):
        return False


def ascii_safe(stream: TextIO) -> TextIO:
    """`stream`, or a re-encoding wrapper of it whose unencodable characters get ASCII stand-ins."""
    buffer = getattr(stream, "buffer", None)
    if _encodable(stream) or buffer is None:
        return stream
    try:
        codecs.lookup_error(ERROR_HANDLER)
    except LookupError:
        codecs.register_error(ERROR_HANDLER, _ascii_fallback)
    return io.TextIOWrapper(buffer, encoding=stream.encoding, errors=ERROR_HANDLER, line_buffering=True)


def to_ascii(text: str) -> str:
    """`text` with the reports' characters replaced by their ASCII stand-ins (others by `?`)."""
    return "".join(char if char.isascii() else ASCII_FALLBACKS.get(char, "?") for char in text)


class AsciiConsole(Console):
    """A console for a terminal that cannot encode the reports' characters: text is made ASCII before rich
    lays it out, so a stand-in longer than its character (`±` -> `+/-`) still lines the table up."""

    def render_str(self, text: str, **options: object):  # type: ignore[override]
        return super().render_str(to_ascii(text), **options)  # type: ignore[arg-type]


def literal_console(file: TextIO, **options: object) -> Console:
    """A console that prints text as it is: no markup, no emoji codes (names and messages come from users:
    `[bold]x[/]` or `nosuchmod:X:` must print as typed); ASCII where the stream cannot encode the reports."""
    kind = Console if _encodable(file) else AsciiConsole
    return kind(file=file, markup=False, emoji=False, **options)  # type: ignore[arg-type]


@dataclass
class Terminal:
    """Where a command prints: `out` for tables (stdout, or stderr with `--json -`), `err` for errors."""

    stdout: Console
    err: Console
    tables_to_stderr: bool = False
    displaced: Optional[TextIO] = field(default=None, repr=False)  # sys.stdout while `--json -` holds it
    shown: bool = False  # a table or a `wrote` line reached the user: what was measured is kept

    def keep_stdout_for_json(self) -> None:
        """`--json -`: stdout carries the JSON alone; the tables, and whatever an implementation prints, go to
        stderr (so `| jq` never sees a stray line) until `restore_stdout`."""
        self.tables_to_stderr = True
        if self.displaced is None:
            self.displaced, sys.stdout = sys.stdout, sys.stderr

    def restore_stdout(self) -> None:
        if self.displaced is not None:
            sys.stdout, self.displaced = self.displaced, None

    @classmethod
    def for_process(cls) -> "Terminal":
        """Consoles on the real stdout and stderr, guarded and made safe for their encoding."""
        return cls(literal_console(GuardedStream(ascii_safe(sys.stdout))),
                   literal_console(GuardedStream(ascii_safe(sys.stderr)), stderr=True, highlight=False))

    @classmethod
    def on(cls, console: Console) -> "Terminal":
        """Tables to (a literal copy of) `console`, errors to the real stderr: how tests run a command."""
        return cls(literal_console(console.file, width=console.width), cls.for_process().err)

    @property
    def out(self) -> Console:
        return self.err if self.tables_to_stderr else self.stdout

    def silenced(self) -> "Terminal":
        """The same terminal without tables or progress (errors still reach stderr): a worker of rank > 0."""
        return Terminal(literal_console(io.StringIO()), self.err)

    def show(self, renderable: RenderableType) -> None:
        self.shown = True
        self.out.print(renderable)

    def error(self, text: str) -> None:
        """One line on stderr, however long (never wrapped, never markup)."""
        self.err.print(text, markup=False, highlight=False, soft_wrap=True)

    def warning(self, text: str) -> None:
        """`warning: text`, one line on stderr: something the user asked for is done, but should be known."""
        self.error(f"warning: {text}")

    def wrote(self, path: object) -> None:
        """The `wrote PATH` line each written file gets, after the tables."""
        self.shown = True
        self.out.print(f"wrote {path}", markup=False, highlight=False)

    def write_stdout(self, text: str) -> None:
        """Raw text (the JSON of `--json -`) on stdout, without rich's markup or wrapping."""
        self.stdout.file.write(text)
        self.stdout.file.flush()

    def output_failure(self) -> Optional[str]:
        """Why stdout could not be written (not a closed pipe, which is the reader's choice), if it could not."""
        stream = self.stdout.file
        failure = getattr(stream, "failure", None)
        return None if failure is None else (failure.strerror or str(failure))
