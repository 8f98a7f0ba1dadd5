"""Writing files atomically: a temporary file in the target's folder, then `os.replace`."""
import os
import uuid
from pathlib import Path
from typing import Callable

from compare.errors import ResultsFileError, UsageError


def check_output_path(flag: str, path: Path, want_dir: bool) -> None:
    """UsageError if `path` (a file, or a folder if `want_dir`) can never be written; checked before work."""
    if want_dir and path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {path}: exists and is not a folder")
    if not want_dir and path.is_dir():
        raise UsageError(f"{flag} {path}: is a folder, expected a file path")
    folder = path if want_dir else path.parent
    while not folder.exists() and folder != folder.parent:  # the nearest folder that exists
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise UsageError(f"{flag} {path}: cannot be created ({folder} is not a writable folder)")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temporary_path)`, then move the result onto `path`; on any failure `path` is untouched.

    The temporary file is created with the process umask (as a plain open() would), not mkstemp's 0600.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot write ({error.strerror or error})") from error
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot write ({error.strerror or error})") from error
    finally:
        if temporary.exists():
            temporary.unlink()


def write_text_atomically(path: Path, text: str) -> None:
    """Atomically replace `path` with `text` (UTF-8)."""
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
