"""Finding Fashion-MNIST in the documented order, refusing incomplete copies, and loading it right."""
import os
import re
from pathlib import Path

import numpy as np
import pytest
from idx_files import STEMS, idx_bytes, write_dataset, write_file

from compare.data.dataset import CLASS_NAMES, DEBIAN_DIR, gluon_home_dir, load_fashion_mnist, locate_files
from compare.errors import DatasetError


def _never_download(directory: Path) -> None:
    raise AssertionError("no download expected")


def test_explicit_dir_is_used_and_loaded_as_nchw_float(synthetic_dir):
    data = load_fashion_mnist(synthetic_dir, download=_never_download)
    assert data.train.images.shape == (200, 1, 28, 28) and data.train.images.dtype == np.float32
    assert data.test.images.shape == (100, 1, 28, 28)
    assert 0.0 <= data.train.images.min() and data.train.images.max() <= 1.0
    assert data.train.labels.dtype == np.int32 and set(data.train.labels) <= set(range(10))
    assert data.source == synthetic_dir


def test_train_limit_takes_the_first_examples_and_keeps_the_full_test_set(synthetic_dir):
    full = load_fashion_mnist(synthetic_dir, download=_never_download)
    limited = load_fashion_mnist(synthetic_dir, train_limit=37, download=_never_download)
    assert len(limited.train) == 37 and len(limited.test) == 100
    np.testing.assert_array_equal(limited.train.images, full.train.images[:37])


def test_uncompressed_files_are_found_too(tmp_path):
    write_dataset(tmp_path, gz=False)
    assert all(path.suffix != ".gz" for path in locate_files(tmp_path, download=_never_download).values())


def test_explicit_dir_with_a_missing_file_is_an_error_not_a_fallback(tmp_path, synthetic_dir, monkeypatch):
    partial = write_dataset(tmp_path / "partial")
    (partial / f"{STEMS[3]}.gz").unlink()
    monkeypatch.setenv("MXNET_HOME", str(synthetic_dir.parent))  # a complete copy exists elsewhere
    with pytest.raises(DatasetError, match=f"{partial}: missing t10k-labels-idx1-ubyte"):
        locate_files(partial, download=_never_download)


def test_explicit_dir_that_does_not_exist_is_named(tmp_path):
    with pytest.raises(DatasetError, match="is not a folder"):
        locate_files(tmp_path / "nowhere", download=_never_download)


def test_search_order_prefers_mxnet_home_over_debian(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    assert gluon_home_dir() == tmp_path / "datasets" / "fashion-mnist"
    first, second = write_dataset(tmp_path / "first"), write_dataset(tmp_path / "second")
    files = locate_files(None, search_dirs=[first, second], download=_never_download)
    assert files["train_images"].parent == first


def test_incomplete_first_dir_falls_through_to_the_next(tmp_path):
    first, second = write_dataset(tmp_path / "first"), write_dataset(tmp_path / "second")
    (first / f"{STEMS[0]}.gz").unlink()
    files = locate_files(None, search_dirs=[first, second], download=_never_download)
    assert files["train_images"].parent == second


def test_nothing_found_and_download_failing_names_every_place_and_the_remedies(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_HOME", str(tmp_path / "home"))
    tried = []

    def offline(directory: Path) -> None:
        tried.append(directory)
        raise OSError("network unreachable")

    places = [tmp_path / "a", tmp_path / "b"]
    with pytest.raises(DatasetError) as raised:
        locate_files(None, search_dirs=places, download=offline)
    message = str(raised.value)
    assert tried == [tmp_path / "home" / "datasets" / "fashion-mnist"]
    assert all(str(place) in message for place in places)
    assert "network unreachable" in message and "apt-get install dataset-fashion-mnist" in message
    assert "--data-dir" in message and "\n" not in message


def test_successful_download_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("MXNET_HOME", str(tmp_path / "home"))
    files = locate_files(None, search_dirs=[tmp_path / "empty"], download=lambda directory: write_dataset(directory))
    assert files["test_labels"].parent == tmp_path / "home" / "datasets" / "fashion-mnist"


def test_image_and_label_counts_must_agree(tmp_path):
    write_dataset(tmp_path)
    write_file(tmp_path / STEMS[1], idx_bytes(np.zeros(199), 2049), gz=True)
    with pytest.raises(DatasetError, match="200 images but .* has 199 labels"):
        load_fashion_mnist(tmp_path, download=_never_download)


def test_swapped_files_are_caught_at_load(tmp_path):
    write_dataset(tmp_path)
    images, labels = tmp_path / f"{STEMS[2]}.gz", tmp_path / f"{STEMS[3]}.gz"
    images_bytes = images.read_bytes()
    images.write_bytes(labels.read_bytes())
    labels.write_bytes(images_bytes)
    with pytest.raises(DatasetError, match=str(images)):
        load_fashion_mnist(tmp_path, download=_never_download)


def test_ten_class_names():
    assert len(CLASS_NAMES) == 10 and CLASS_NAMES[0] == "t-shirt" and CLASS_NAMES[9] == "ankle boot"


@pytest.mark.slow
def test_real_fashion_mnist_from_the_debian_package():
    data = load_fashion_mnist(DEBIAN_DIR, download=_never_download)
    assert len(data.train) == 60_000 and len(data.test) == 10_000
    assert np.bincount(data.train.labels, minlength=10).tolist() == [6_000] * 10
    assert np.bincount(data.test.labels, minlength=10).tolist() == [1_000] * 10
    assert 0.0 == data.train.images.min() and data.train.images.max() == 1.0


def test_gluon_download_gives_up_at_its_deadline_while_the_download_still_hangs(tmp_path, monkeypatch):
    """Gluon retries each file, so only the deadline bounds the wait: raised while the download is still blocked,
    not once it ends (here it would end only when the test lets it)."""
    import socket
    import threading

    from compare.data import dataset
    from implementations.mxnet_compat import mx

    release, calls, finished = threading.Event(), [], []

    def hangs(root, train):
        calls.append(train)
        release.wait(timeout=120)  # a bound on the abandoned thread, not a time the test expects
        finished.append(train)

    monkeypatch.setattr(mx.gluon.data.vision, "FashionMNIST", hangs)
    before = socket.getdefaulttimeout()
    try:
        with pytest.raises(TimeoutError, match="no complete download within 0.3 s"):
            dataset.gluon_download(tmp_path, deadline_seconds=0.3)
        assert finished == [] and calls in ([], [True])  # it gave up with the first file still downloading
    finally:
        release.set()
    assert socket.getdefaulttimeout() == before  # Gluon's per-attempt socket timeout is not left behind


def test_gluon_download_failure_is_passed_on(tmp_path, monkeypatch):
    from compare.data import dataset
    from implementations.mxnet_compat import mx

    def offline(root, train):
        raise ConnectionError("name resolution failed")

    monkeypatch.setattr(mx.gluon.data.vision, "FashionMNIST", offline)
    with pytest.raises(ConnectionError, match="name resolution failed"):
        dataset.gluon_download(tmp_path, deadline_seconds=5)


def test_load_split_reads_only_the_split_asked_for(tmp_path):
    """`plot` needs only the test images: a broken training file must not matter (it is not even read)."""
    from compare.data.dataset import load_split
    write_dataset(tmp_path)
    (tmp_path / f"{STEMS[0]}.gz").write_bytes(b"not gzip at all")
    test = load_split("test", tmp_path, download=_never_download)
    assert test.images.shape == (100, 1, 28, 28)
    with pytest.raises(DatasetError, match=STEMS[0]):
        load_split("train", tmp_path, download=_never_download)


@pytest.mark.parametrize("make, what", [
    (lambda path: os.mkfifo(path), "is a FIFO (named pipe), not a data file"),
    (lambda path: os.symlink("/dev/zero", path), "is a character device, not a data file"),
    (lambda path: path.mkdir(), "is a folder, not a data file"),
    (lambda path: os.symlink(path, path), "is a symbolic link loop, not a data file"),
    (lambda path: os.symlink(path.parent / "nowhere", path), "is a symbolic link to nothing, not a data file"),
])
def test_a_data_file_that_is_not_a_file_says_what_it_is(tmp_path, make, what):
    folder = write_dataset(tmp_path / "data")
    target = folder / "train-labels-idx1-ubyte"
    (folder / "train-labels-idx1-ubyte.gz").rename(tmp_path / "moved.gz")
    make(target)
    with pytest.raises(DatasetError, match=re.escape(f"{target}: {what}")):
        load_fashion_mnist(folder, download=None)
