"""Writing output files: atomic for regular files, through symlinks, directly to devices; paths checked early."""
import os
import stat

import pytest

from compare.errors import ResultsFileError, UsageError
from compare.files import check_output_path, write_atomically, write_text_atomically


def test_failed_write_leaves_the_earlier_file_untouched_and_no_temp_file(tmp_path):
    path = tmp_path / "results.json"
    path.write_text("earlier")

    def half_then_crash(temporary):
        temporary.write_text('{"schema": 1, "resu')
        raise OSError(28, "No space left on device")

    with pytest.raises(ResultsFileError, match="No space left on device"):
        write_atomically(path, half_then_crash)
    assert path.read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_a_writers_own_error_is_a_results_file_error_too(tmp_path):
    def mxnet_like_failure(temporary):
        raise RuntimeError("MXNetError: Check failed: fo->Write\nStack trace: ...")

    with pytest.raises(ResultsFileError, match=r"cannot write \(RuntimeError: MXNetError: Check failed: fo->Write\)$"):
        write_atomically(tmp_path / "m.params", mxnet_like_failure)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_gives_a_new_file_ordinary_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        write_text_atomically(tmp_path / "r.json", "{}")
    finally:
        os.umask(umask)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644


def test_replacing_a_file_keeps_its_permission_bits(tmp_path):
    path = tmp_path / "r.json"
    path.write_text("old")
    path.chmod(0o600)
    write_text_atomically(path, "new")
    assert path.read_text() == "new" and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_symlink_is_written_through_not_replaced(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_text_atomically(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_a_character_device_is_written_to_not_replaced():
    before = os.stat("/dev/null")
    write_text_atomically("/dev/null", "{}")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_fifo_is_written_to_directly(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so opening for writing does not block
    try:
        write_text_atomically(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_name_the_file_system_can_hold_also_fits_its_temporary_name(tmp_path):
    path = tmp_path / ("r" * 250 + ".json")  # 255 bytes: legal, but not with a longer temporary name
    check_output_path("--json", path, want_dir=False)
    write_text_atomically(path, "{}")
    assert path.read_text() == "{}" and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("make_path, message", [
    (lambda tmp: tmp / ("r" * 256 + ".json"), "longer than 255 bytes"),
    (lambda tmp: tmp / "/".join(["d" * 200] * 25) / "r.json", "the path is too long"),
    (lambda tmp: tmp, "is a folder, expected a file path"),
])
def test_impossible_paths_are_refused_up_front(tmp_path, make_path, message):
    with pytest.raises(UsageError, match=message):
        check_output_path("--json", make_path(tmp_path), want_dir=False)


def test_a_writer_failing_with_an_mxnet_traceback_is_reported_by_its_cause(tmp_path):
    from compare.errors import ResultsFileError
    from compare.files import write_atomically

    def full_disk(temporary):
        raise RuntimeError('Traceback (most recent call last):\n  File "../src/io/local_filesys.cc", line 209\n'
                           "MXNetError: No space left on device")
    with pytest.raises(ResultsFileError) as caught:
        write_atomically(tmp_path / "a.params", full_disk)
    assert "No space left on device" in str(caught.value) and "Traceback" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_that_may_not_be_written_is_called_so(tmp_path, monkeypatch):
    """(Root may write anywhere, so the permission is what the check is told.)"""
    import os

    from compare import files
    from compare.errors import UsageError

    folder = tmp_path / "read-only"
    folder.mkdir()
    monkeypatch.setattr(files.os, "access", lambda path, mode: os.path.realpath(path) != str(folder))
    with pytest.raises(UsageError, match="is a folder this process may not write into"):
        files.check_output_path("--plots", folder, want_dir=True)
    with pytest.raises(UsageError, match=r"cannot be created \(.*read-only is not a writable folder\)"):
        files.check_output_path("--plots", folder / "new", want_dir=True)
