"""Writing output files without ever leaving one half-written, and checking output paths before any work.

A regular file is replaced atomically (temporary file in the same folder, then `os.replace`), keeping the
permission bits of the file it replaces. A symlink is written through to its target. A target that is not
a regular file (a character device such as /dev/null, a FIFO) is written to directly: replacing it would
destroy it.
"""
import os
import stat
import tempfile
import uuid
from pathlib import Path
from typing import Callable, Sequence

from compare.errors import ResultsFileError, UsageError, one_line

DEFAULT_NAME_MAX = 255
DEFAULT_PATH_MAX = 4096
TEMPORARY_PREFIX_BYTES = 14  # ".{8 hex}.tmp-" before the (possibly shortened) target name


def _limit(folder: Path, name: str, default: int) -> int:
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError):
        return default


def _nearest_existing_folder(path: Path) -> Path:
    folder = path
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check_output_path(flag: str, path: Path, want_dir: bool) -> None:
    """UsageError if `path` (a file, or a folder if `want_dir`) can never be written; checked before work."""
    try:
        _check_lengths(flag, Path(path), want_dir)
        if not want_dir and _is_special(Path(path)):
            if not os.access(path, os.W_OK):
                raise UsageError(f"{flag} {path}: is not writable")
            return  # a device or FIFO (/dev/null, /dev/stdout): written to directly
        path = Path(os.path.realpath(path))  # through symlinks, as the write will go
        _check_lengths(flag, path, want_dir)
        if want_dir and path.exists() and not path.is_dir():
            raise UsageError(f"{flag} {path}: exists and is not a folder")
        if not want_dir and path.is_dir():
            raise UsageError(f"{flag} {path}: is a folder, expected a file path")
        folder = _nearest_existing_folder(path if want_dir else path.parent)
        if want_dir and folder == path and not os.access(folder, os.W_OK | os.X_OK):
            raise UsageError(f"{flag} {path}: is a folder this process may not write into")
        if not want_dir and path.is_file() and not os.access(path, os.W_OK):
            raise UsageError(f"{flag} {path}: exists and is not writable")
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise UsageError(f"{flag} {path}: cannot be created ({folder} is not a writable folder)")
        if not path.exists():
            _probe_creation(flag, path, folder)
    except OSError as error:
        raise UsageError(f"{flag} {path}: cannot be checked ({error.strerror or error})") from error


def _probe_creation(flag: str, path: Path, folder: Path) -> None:
    """Create and remove a file in `folder`: permission bits say yes where the file system still says no
    (/proc, a read-only mount, root on a full device), and this is asked before any work, not after it."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".compare-probe-"):
            pass
    except OSError as error:
        raise UsageError(f"{flag} {path}: cannot be created in {folder} ({error.strerror or error})") from error


def _is_special(path: Path) -> bool:
    """True for an existing target (after symlinks) that is neither a regular file nor a folder."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _check_lengths(flag: str, path: Path, want_dir: bool) -> None:
    """Names and paths the file system cannot hold, refused before anything touches them."""
    root = Path(path.anchor or ".")
    name_max = _limit(root, "PC_NAME_MAX", DEFAULT_NAME_MAX)
    too_long = [part for part in path.parts if len(os.fsencode(part)) > name_max]
    if too_long:
        raise UsageError(f"{flag}: the name {too_long[0][:40]}… is longer than {name_max} bytes")
    room = 40 if want_dir else 0  # a folder must still hold the file names written into it
    length = len(os.fsencode(str(path)))
    if length + room >= _limit(root, "PC_PATH_MAX", DEFAULT_PATH_MAX):
        raise UsageError(f"{flag}: the path is too long ({length} bytes)")


def _temporary_name(target: Path) -> Path:
    """A unique hidden name in the target's folder, never longer than the folder allows."""
    room = _limit(target.parent, "PC_NAME_MAX", DEFAULT_NAME_MAX) - TEMPORARY_PREFIX_BYTES
    name = os.fsencode(target.name)[:room].decode("utf-8", errors="ignore")
    return target.with_name(f".{uuid.uuid4().hex[:8]}.tmp-{name}")


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return one_line(error)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(p)` and put the result at `path`; on any failure an existing regular file is untouched.

    The temporary file gets the replaced file's permission bits, or the process umask's (as open() would).
    """
    try:
        existing = os.stat(path)  # follows symlinks: /dev/stdout is whatever stdout is
    except (FileNotFoundError, NotADirectoryError):
        existing = None
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot write ({error.strerror or error})") from error
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        try:
            write(Path(path))  # a device or FIFO: there is nothing to replace atomically
        except Exception as error:
            raise ResultsFileError(f"{path}: cannot write ({_reason(error)})") from error
        return
    target = Path(os.path.realpath(path))
    temporary = _temporary_name(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot write ({error.strerror or error})") from error
    try:
        write(temporary)
        if existing is not None:
            os.chmod(temporary, stat.S_IMODE(existing.st_mode))
        os.replace(temporary, target)
    except Exception as error:  # OSError, or a writer's own error (mxnet's on a full disk)
        raise ResultsFileError(f"{path}: cannot write ({_reason(error)})") from error
    finally:
        if temporary.exists():
            temporary.unlink()


STREAM_PATHS = ("/dev/", "/proc/")  # /dev/stdout, /dev/fd/N, /proc/self/fd/N: names of open streams


def writes_through(path: Path) -> bool:
    """True for a target that names an open stream rather than a file of ours: a path under /dev or /proc, or
    the very file this process's stdin, stdout or stderr is (`run --json log.txt >> log.txt`). Replacing such a
    file would throw away what the stream already holds, so it is appended to instead."""
    if str(os.path.abspath(path)).startswith(STREAM_PATHS):
        return True
    try:
        target = os.stat(path)
    except OSError:
        return False
    for descriptor in (0, 1, 2):
        try:
            stream = os.fstat(descriptor)
        except OSError:
            continue
        if (stream.st_dev, stream.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def write_text_atomically(path: Path, text: str) -> None:
    """Atomically replace `path` with `text` (UTF-8); a stream's name (see `writes_through`) is appended to."""
    if writes_through(path):
        try:
            with open(path, "a", encoding="utf-8") as stream:
                stream.write(text)
        except OSError as error:
            raise ResultsFileError(f"{path}: cannot write ({error.strerror or error})") from error
        return
    write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def same_file(first: Path, second: Path) -> bool:
    """True when the two paths name one file (through links), or one path that does not exist yet."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


def check_distinct_outputs(files: Sequence[tuple[str, Path]], folders: Sequence[tuple[str, Path]]) -> None:
    """UsageError when one output would land on another (a file overwriting a file, or a file where a folder
    goes), with the flags that asked for both: found before any work, never after. Folders may be shared."""
    seen: dict[str, str] = {os.path.realpath(path): f"{flag} (its folder)" for flag, path in folders}
    for flag, path in files:
        key = os.path.realpath(path)
        if key in seen:
            raise UsageError(f"{flag} {path}: {seen[key]} writes there too; give the outputs separate paths")
        seen[key] = f"{flag} {path}"
