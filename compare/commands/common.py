"""What every command shares: its flags (--impl, --ctx, --seed, --data-dir), its terminal, and its outputs.

`Terminal` holds the two consoles a command prints to; `--json -` moves the tables to stderr so stdout
carries only the JSON. Imports no mxnet: `--help` stays instant.
"""
import argparse
import codecs
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, TextIO

from rich.console import Console, RenderableType

from compare.config import KVSTORE_CHOICES, STDOUT
from compare.errors import ExitCode
from compare.files import check_output_path, write_text_atomically

# Characters the reports use, and what a terminal that cannot encode them gets instead.
ASCII_FALLBACKS = {"Δ": "d", "×": "x", "—": "-", "–": "-", "±": "+/-", "✗": "x", "≥": ">=", "≤": "<=", "…": "...",
                   "μ": "u"}
ERROR_HANDLER = "compare-ascii"


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    text = error.object[error.start:error.end]  # type: ignore[attr-defined]
    return "".join(ASCII_FALLBACKS.get(char, "?") for char in text), error.end  # type: ignore[attr-defined]


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
    encoding = getattr(stream, "encoding", None) or "ascii"
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


@dataclass
class Terminal:
    """Where a command prints: `out` for tables (stdout, or stderr with `--json -`), `err` for errors."""

    stdout: Console
    err: Console
    tables_to_stderr: bool = False

    @classmethod
    def for_process(cls) -> "Terminal":
        """Consoles on the real stdout and stderr, guarded and made safe for their encoding."""
        return cls(Console(file=GuardedStream(ascii_safe(sys.stdout))),
                   Console(file=GuardedStream(ascii_safe(sys.stderr)), stderr=True, highlight=False))

    @property
    def out(self) -> Console:
        return self.err if self.tables_to_stderr else self.stdout

    def silenced(self) -> "Terminal":
        """The same terminal without tables or progress (errors still reach stderr): a worker of rank > 0."""
        return Terminal(Console(file=io.StringIO()), self.err)

    def show(self, renderable: RenderableType) -> None:
        self.out.print(renderable)

    def error(self, text: str) -> None:
        """One line on stderr, however long (never wrapped, never markup)."""
        self.err.print(text, markup=False, highlight=False, soft_wrap=True)

    def wrote(self, path: object) -> None:
        """The `wrote PATH` line each written file gets, after the tables."""
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


def add_implementation_flags(parser: argparse.ArgumentParser, seed_default: int, names_help: str) -> None:
    """--impl, --ctx and --seed, the same for every command that builds models."""
    parser.add_argument("--impl", default="", metavar="LIST",
                        help=f"comma-separated implementations: {names_help}, or [NAME=]module.path:attr for "
                             "your own (default: every built-in)")
    parser.add_argument("--ctx", default="cpu",
                        help="cpu, gpu, gpu:N or gpu(N); a list trains data parallel, one replica per context: "
                             "cpu:0,cpu:1, gpu:0,1 (default: cpu)")
    parser.add_argument("--seed", type=int, default=seed_default,
                        help=f"seed for the initial weights and the batch order (default: {seed_default})")


def add_learning_rate_flag(parser: argparse.ArgumentParser, default: float) -> None:
    parser.add_argument("--lr", type=float, default=default, help=f"SGD learning rate (default: {default})")


def add_kvstore_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kvstore", choices=KVSTORE_CHOICES, default=None,
                        help="how Gluon sums gradients over several contexts (device, local), or dist_sync across "
                             "the worker processes of `compare launch` (default: dist_sync under launch, else device)")


def add_data_dir_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder with the four Fashion-MNIST IDX files, the only place looked at "
                             "(default: $MXNET_HOME/datasets/fashion-mnist, then /usr/share/datasets/fashion-mnist)")


def add_json_flag(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", type=Path, default=None, metavar="PATH",
                        help=f"write {what} as JSON to PATH, atomically; '-' for stdout, the tables then go to "
                             "stderr (default: none)")


def implementation_names_help() -> str:
    """Built-in and installed names, for --help (reads package metadata only)."""
    from compare.selection import installed_entry_points
    from implementations.registry import implementation_names

    installed = sorted(installed_entry_points())
    return ", ".join(implementation_names()) + (f"; installed: {', '.join(installed)}" if installed else "")


def json_goes_to_stdout(path: Optional[Path]) -> bool:
    return path == STDOUT


def prepare_json_output(path: Optional[Path], terminal: Terminal) -> None:
    """Before any work: refuse a --json path that can never be written; with `-`, send the tables to stderr."""
    if json_goes_to_stdout(path):
        terminal.tables_to_stderr = True
    elif path is not None:
        check_output_path("--json", path, want_dir=False)


def write_json_output(path: Optional[Path], text: str, terminal: Terminal) -> Optional[Path]:
    """The JSON to stdout (`-`) or atomically to `path`; returns the file written, if any."""
    if json_goes_to_stdout(path):
        terminal.write_stdout(text)
    elif path is not None:
        write_text_atomically(path, text)
        return path
    return None


def verdict_code(failed: bool) -> int:
    return int(ExitCode.FAILED if failed else ExitCode.OK)


def add_threads_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--threads", type=int, default=None, metavar="N",
                        help="MXNet's CPU threads (sets OMP_NUM_THREADS before mxnet loads; the header shows what "
                             "is in force) (default: MXNet's own, about half the cores)")
