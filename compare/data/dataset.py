"""Finding and loading Fashion-MNIST into numpy arrays: where to look, in which order, and what to refuse.

Does not touch mxnet except for the optional Gluon download when no local copy exists.
"""
import errno
import os
import socket
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from compare.data.idx import IMAGES, LABELS, read_idx
from compare.errors import DatasetError

CLASS_NAMES = (
    "t-shirt", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle boot",
)
FILE_STEMS = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
DOWNLOAD_TIMEOUT_SECONDS = 30
HOW_TO_GET_THE_DATA = (
    "get it with `apt-get install dataset-fashion-mnist` (Debian), "
    "or put the four IDX files in a folder and pass --data-dir, "
    "or run once online so Gluon downloads them into $MXNET_HOME/datasets/fashion-mnist"
)

Downloader = Callable[[Path], None]


@dataclass(frozen=True)
class ArraySplit:
    """One split in memory: images (N, 1, 28, 28) float32 in [0, 1], labels (N,) int32."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class FashionMNIST:
    """Both splits, and the folder they were read from."""

    train: ArraySplit
    test: ArraySplit
    source: Path


def gluon_home_dir() -> Path:
    """Gluon's own place for the data set: `$MXNET_HOME/datasets/fashion-mnist` (default ~/.mxnet)."""
    home = os.environ.get("MXNET_HOME") or os.path.join("~", ".mxnet")
    return Path(home).expanduser() / "datasets" / "fashion-mnist"


def default_search_dirs() -> list[Path]:
    """Where the data is looked for when no --data-dir is given, in order."""
    return [gluon_home_dir(), DEBIAN_DIR]


def _find_file(directory: Path, stem: str) -> Optional[Path]:
    """The uncompressed file if present, else the gzipped one, else None. A name that exists but is not a
    regular file (a FIFO, a device, a folder, a symlink loop or a dangling link) is a DatasetError saying what
    it is: reading it would hang, never end, or fail without a reason."""
    for candidate in (directory / stem, directory / f"{stem}.gz"):
        what = _not_a_file(candidate)
        if what == "":
            return candidate
        if what is not None:
            raise DatasetError(f"{candidate}: is {what}, not a data file")
    return None


def _not_a_file(path: Path) -> Optional[str]:
    """'' for a regular file (through links), None where nothing is there, else what is there instead."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop"
        if error.errno == errno.ENOENT:
            return "a symbolic link to nothing"
        raise
    for test, what in ((stat.S_ISREG, ""), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "not a regular file"


def _find_files(directory: Path) -> dict[str, Optional[Path]]:
    """Each of the four files in `directory`, or None where it is missing."""
    return {key: _find_file(directory, stem) for key, stem in FILE_STEMS.items()}


def _complete_set(directory: Path) -> Optional[dict[str, Path]]:
    files = _find_files(directory)
    return files if all(files.values()) else None  # type: ignore[return-value]


def gluon_download(directory: Path, deadline_seconds: float = DOWNLOAD_TIMEOUT_SECONDS) -> None:
    """Let Gluon download Fashion-MNIST into `directory`; give up after `deadline_seconds` in all.

    Gluon retries each file five times, so a socket timeout alone would not bound the wait: the download
    runs in a daemon thread that is abandoned at the deadline.
    """
    from implementations.mxnet_compat import mx

    failures: list[BaseException] = []

    def fetch() -> None:
        try:
            for train in (True, False):
                mx.gluon.data.vision.FashionMNIST(root=str(directory), train=train)
        except Exception as error:  # reported by the caller, with the places it looked
            failures.append(error)

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(max(1.0, deadline_seconds / 5))  # each of Gluon's attempts
    try:
        worker = threading.Thread(target=fetch, name="fashion-mnist-download", daemon=True)
        worker.start()
        worker.join(deadline_seconds)
    finally:
        socket.setdefaulttimeout(previous)
    if worker.is_alive():
        raise TimeoutError(f"no complete download within {deadline_seconds:g} s")
    if failures:
        raise failures[0]


def locate_files(
    data_dir: Optional[Path],
    search_dirs: Optional[Sequence[Path]] = None,
    download: Optional[Downloader] = gluon_download,
) -> dict[str, Path]:
    """Paths of the four files: only in `data_dir` if given, else the first complete search dir.

    A place that cannot even be looked at (permissions, a name too long) is a DatasetError naming it.
    """
    try:
        return _locate_files(data_dir, search_dirs, download)
    except OSError as error:
        place = error.filename or data_dir or "the data folders"
        raise DatasetError(f"{place}: cannot look for Fashion-MNIST there ({error.strerror or error})") from error


def _locate_files(
    data_dir: Optional[Path],
    search_dirs: Optional[Sequence[Path]],
    download: Optional[Downloader],
) -> dict[str, Path]:
    if data_dir is not None:
        if not data_dir.is_dir():
            raise DatasetError(f"{data_dir}: --data-dir is not a folder")
        files = _find_files(data_dir)
        missing = [FILE_STEMS[key] for key, path in files.items() if path is None]
        if missing:
            raise DatasetError(f"{data_dir}: missing {', '.join(missing)} (plain or .gz)")
        return files  # type: ignore[return-value]
    dirs = list(default_search_dirs() if search_dirs is None else search_dirs)
    for directory in dirs:
        files = _complete_set(directory)
        if files:
            return files
    download_note = "no download tried"
    if download is not None:
        target = gluon_home_dir()
        try:
            download(target)
        except Exception as error:  # any failure of the download is reported, not raised raw
            first_line = str(error).splitlines()[0] if str(error) else ""
            download_note = f"download into {target} failed: {type(error).__name__}: {first_line}"
        else:
            files = _complete_set(target)
            if files:
                return files
            download_note = f"download into {target} left the files incomplete"
    looked = ", ".join(str(d) for d in dirs)
    raise DatasetError(f"Fashion-MNIST not found (looked in {looked}; {download_note}); {HOW_TO_GET_THE_DATA}")


def _read_split(images_path: Path, labels_path: Path, limit: Optional[int]) -> ArraySplit:
    images = read_idx(images_path, IMAGES)
    labels = read_idx(labels_path, LABELS)
    if len(images) == 0:
        raise DatasetError(f"{images_path}: declares 0 examples; a split needs at least one")
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_path}: {len(images)} images but {labels_path} has {len(labels)} labels"
        )
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    # (N, 28, 28) uint8 -> (N, 1, 28, 28) float32 in [0, 1]
    scaled = images.astype(np.float32)[:, None, :, :] / np.float32(255.0)
    return ArraySplit(images=scaled, labels=labels.astype(np.int32))


def load_split(
    which: str,
    data_dir: Optional[Path] = None,
    limit: Optional[int] = None,
    search_dirs: Optional[Sequence[Path]] = None,
    download: Optional[Downloader] = gluon_download,
) -> ArraySplit:
    """Only the "train" or the "test" split (the other file pair is located, not read)."""
    files = locate_files(data_dir, search_dirs, download)
    return _read_split(files[f"{which}_images"], files[f"{which}_labels"], limit)


def load_fashion_mnist(
    data_dir: Optional[Path] = None,
    train_limit: Optional[int] = None,
    test_limit: Optional[int] = None,
    search_dirs: Optional[Sequence[Path]] = None,
    download: Optional[Downloader] = gluon_download,
) -> FashionMNIST:
    """Find, read and validate Fashion-MNIST; the training split can be cut to its first `train_limit`."""
    files = locate_files(data_dir, search_dirs, download)
    return FashionMNIST(
        train=_read_split(files["train_images"], files["train_labels"], train_limit),
        test=_read_split(files["test_images"], files["test_labels"], test_limit),
        source=files["train_images"].parent,
    )
