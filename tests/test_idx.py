"""Every malformed IDX input becomes one DatasetError that names the file."""
import gzip
import struct

import numpy as np
import pytest
from idx_files import idx_bytes, write_file

from compare.data.idx import IMAGES, LABELS, read_idx
from compare.errors import DatasetError

IMAGES_3 = np.arange(3 * 28 * 28, dtype=np.int64).reshape(3, 28, 28) % 256
LABELS_3 = np.array([0, 9, 4])


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_valid_files_round_trip(tmp_path, gz):
    images = write_file(tmp_path / "images", idx_bytes(IMAGES_3, 2051), gz)
    labels = write_file(tmp_path / "labels", idx_bytes(LABELS_3, 2049), gz)
    np.testing.assert_array_equal(read_idx(images, IMAGES), IMAGES_3)
    np.testing.assert_array_equal(read_idx(labels, LABELS), LABELS_3)


def _error_for(path, kind=IMAGES) -> str:
    with pytest.raises(DatasetError) as raised:
        read_idx(path, kind)
    assert str(path) in str(raised.value)
    return str(raised.value)


def test_labels_file_given_as_images_is_caught(tmp_path):
    path = write_file(tmp_path / "swapped", idx_bytes(LABELS_3, 2049), gz=False)
    assert "magic 2049 is not 2051" in _error_for(path, IMAGES)


def test_images_file_given_as_labels_is_caught(tmp_path):
    path = write_file(tmp_path / "swapped", idx_bytes(IMAGES_3, 2051), gz=False)
    assert "magic 2051 is not 2049" in _error_for(path, LABELS)


def test_non_byte_type_is_refused(tmp_path):
    payload = bytearray(idx_bytes(IMAGES_3, 2051))
    payload[2] = 0x0D  # float32 type code
    path = write_file(tmp_path / "floats", bytes(payload), gz=False)
    assert "not an unsigned-byte IDX file" in _error_for(path)


def test_wrong_image_size_is_refused(tmp_path):
    path = write_file(tmp_path / "small", idx_bytes(np.zeros((2, 14, 14)), 2051), gz=False)
    assert "(14, 14)" in _error_for(path)


def test_truncated_payload_is_refused(tmp_path):
    path = write_file(tmp_path / "cut", idx_bytes(IMAGES_3, 2051)[:-10], gz=False)
    assert "truncated" in _error_for(path)


def test_trailing_bytes_are_refused(tmp_path):
    path = write_file(tmp_path / "long", idx_bytes(IMAGES_3, 2051) + b"\0", gz=False)
    assert "trailing bytes" in _error_for(path)


def test_header_claiming_billions_fails_without_allocating(tmp_path):
    header = struct.pack(">IIII", 2051, 4_000_000_000, 28, 28)
    path = write_file(tmp_path / "huge", header + bytes(100), gz=True)
    assert "truncated" in _error_for(path)


def test_short_header_is_refused(tmp_path):
    path = write_file(tmp_path / "tiny", b"\0\0", gz=False)
    assert "too short" in _error_for(path)


def test_label_out_of_range_is_refused(tmp_path):
    path = write_file(tmp_path / "labels", idx_bytes(np.array([1, 10]), 2049), gz=False)
    assert "label 10 outside 0..9" in _error_for(path, LABELS)


def test_gz_name_without_gzip_content_is_refused(tmp_path):
    path = tmp_path / "images.gz"
    path.write_bytes(idx_bytes(IMAGES_3, 2051))
    assert "not a gzip file" in _error_for(path)


def test_cut_off_gzip_stream_is_refused(tmp_path):
    path = tmp_path / "images.gz"
    path.write_bytes(gzip.compress(idx_bytes(IMAGES_3, 2051))[:-30])
    with pytest.raises(DatasetError, match="gzip stream cut off") as raised:
        read_idx(path, IMAGES)
    assert raised.value.__cause__ is not None


def test_bad_gzip_crc_is_refused(tmp_path):
    data = bytearray(gzip.compress(idx_bytes(IMAGES_3, 2051)))
    data[-8] ^= 0xFF  # the CRC32 field of the gzip trailer
    path = tmp_path / "images.gz"
    path.write_bytes(bytes(data))
    assert "corrupt gzip data" in _error_for(path)


def test_unreadable_path_is_a_dataset_error(tmp_path):
    assert "cannot read" in _error_for(tmp_path / "missing")
