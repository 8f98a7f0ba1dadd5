"""Writing files atomically: a temporary file in the target's folder, then `os.replace`."""
import os
import tempfile
from pathlib import Path
from typing import Callable

from compare.errors import ResultsFileError


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temporary_path)`, then move the result onto `path`; on any failure `path` is untouched."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(descriptor)
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot write ({error.strerror or error})") from error
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot write ({error.strerror or error})") from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_text_atomically(path: Path, text: str) -> None:
    """Atomically replace `path` with `text` (UTF-8)."""
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
