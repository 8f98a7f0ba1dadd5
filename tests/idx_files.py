"""Writing small IDX files for tests (the format the loader reads), valid or deliberately broken."""
import gzip
import struct
from pathlib import Path

import numpy as np

STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    """Header (magic, one big-endian uint32 per dimension) followed by the uint8 payload."""
    return struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape) + array.astype(np.uint8).tobytes()


def write_file(path: Path, payload: bytes, gz: bool) -> Path:
    path = path.with_name(path.name + ".gz") if gz else path
    path.write_bytes(gzip.compress(payload) if gz else payload)
    return path


def make_split(num: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Images whose brightness pattern depends on the label, so a LeNet can learn them quickly."""
    generator = np.random.default_rng(seed)
    labels = np.arange(num) % 10
    generator.shuffle(labels)
    images = generator.integers(0, 60, size=(num, 28, 28))
    for index, label in enumerate(labels):
        images[index, 2 * label:2 * label + 6, :] += 190  # a bright band whose row depends on the class
    return images.astype(np.uint8), labels.astype(np.uint8)


def write_dataset(directory: Path, num_train: int = 200, num_test: int = 100, gz: bool = True) -> Path:
    """A complete, valid data set of four IDX files in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    train_images, train_labels = make_split(num_train, seed=1)
    test_images, test_labels = make_split(num_test, seed=2)
    for stem, array, magic in zip(STEMS, (train_images, train_labels, test_images, test_labels),
                                  (2051, 2049, 2051, 2049)):
        write_file(directory / stem, idx_bytes(array, magic), gz)
    return directory
