"""Where a command's results go besides the tables: the JSON (`--json PATH`, or `-` for stdout with the
tables moved to stderr) and the exit code of a verdict. Imports no mxnet.
"""
import io
import os
import sys
from pathlib import Path
from typing import Optional

from compare.config.options import STDOUT
from compare.errors import ExitCode
from compare.files import check_output_path, write_text_atomically
from compare.reporting.terminal import Terminal


def json_goes_to_stdout(path: Optional[Path]) -> bool:
    return path == STDOUT


def _is_stdout(path: Path) -> bool:
    """True when `path` is where stdout goes (/dev/stdout, /proc/self/fd/1, or the file stdout is redirected to)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def prepare_json_output(path: Optional[Path], terminal: Terminal) -> None:
    """Before any work: refuse a --json path that can never be written; with `-`, or a path that is stdout itself,
    send the tables to stderr (they would interleave with, or overwrite, the JSON)."""
    if json_goes_to_stdout(path):
        terminal.keep_stdout_for_json()
    elif path is not None:
        check_output_path("--json", path, want_dir=False)
        if _is_stdout(path):
            terminal.keep_stdout_for_json()


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
