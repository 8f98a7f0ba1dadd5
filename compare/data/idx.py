"""Reading and validating IDX files (the MNIST/Fashion-MNIST format), gzipped or not. Pure numpy.

Every problem raises `DatasetError` naming the file, with the underlying exception chained.
"""
import gzip
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from compare.errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"
UNSIGNED_BYTE = 0x08
READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class IdxKind:
    """What an IDX file must hold: its magic number and the shape of one item."""

    name: str
    magic: int
    item_shape: tuple[int, ...]


IMAGES = IdxKind("images", magic=2051, item_shape=(28, 28))
LABELS = IdxKind("labels", magic=2049, item_shape=())


def _open(path: Path) -> BinaryIO:
    """Open `path` for reading, decompressing when it starts with the gzip magic."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    if path.suffix == ".gz" and not gzipped:
        raise DatasetError(f"{path}: named .gz but is not a gzip file")
    return gzip.open(path, "rb") if gzipped else open(path, "rb")


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    """Read up to `size` bytes in chunks, so a header claiming billions of items allocates nothing big."""
    chunks = bytearray()
    while len(chunks) < size:
        chunk = stream.read(min(READ_CHUNK, size - len(chunks)))
        if not chunk:
            break
        chunks += chunk
    return bytes(chunks)


def _parse(path: Path, stream: BinaryIO, kind: IdxKind) -> np.ndarray:
    header = _read_exactly(stream, 4)
    if len(header) < 4:
        raise DatasetError(f"{path}: too short for an IDX header ({len(header)} bytes)")
    magic = struct.unpack(">I", header)[0]
    zeros, type_byte, ndim = header[0:2], header[2], header[3]
    if zeros != b"\0\0" or type_byte != UNSIGNED_BYTE:
        raise DatasetError(f"{path}: not an unsigned-byte IDX file (magic 0x{magic:08x})")
    if magic != kind.magic:
        raise DatasetError(
            f"{path}: magic {magic} is not {kind.magic} ({kind.name}); is this the right file?"
        )
    dims_bytes = _read_exactly(stream, 4 * ndim)
    if len(dims_bytes) < 4 * ndim:
        raise DatasetError(f"{path}: header cut off while reading {ndim} dimensions")
    dims = struct.unpack(f">{ndim}I", dims_bytes)
    if tuple(dims[1:]) != kind.item_shape:
        raise DatasetError(f"{path}: items are {tuple(dims[1:])}, expected {kind.item_shape}")
    expected = int(np.prod(dims, dtype=np.int64))
    payload = _read_exactly(stream, expected)
    if len(payload) < expected:
        raise DatasetError(
            f"{path}: truncated: header promises {expected} bytes of data, file holds {len(payload)}"
        )
    if stream.read(1):
        raise DatasetError(f"{path}: trailing bytes after the {expected} bytes the header promises")
    return np.frombuffer(payload, dtype=np.uint8).reshape(dims)


def read_idx(path: Path, kind: IdxKind) -> np.ndarray:
    """Return the uint8 array stored in the IDX file at `path`, checked against `kind`."""
    try:
        with _open(path) as stream:
            array = _parse(path, stream, kind)
    except DatasetError:
        raise
    except gzip.BadGzipFile as error:
        raise DatasetError(f"{path}: corrupt gzip data ({error})") from error
    except EOFError as error:
        raise DatasetError(f"{path}: gzip stream cut off ({error})") from error
    except zlib.error as error:
        raise DatasetError(f"{path}: corrupt gzip data ({error})") from error
    except OSError as error:
        raise DatasetError(f"{path}: cannot read ({error.strerror or error})") from error
    if kind is LABELS and array.size and int(array.max()) > 9:
        raise DatasetError(f"{path}: label {int(array.max())} outside 0..9")
    return array
