"""The memory estimate made before training: a batch that cannot fit is refused with the sizes involved."""
import pytest

from compare.errors import UsageError
from compare.measuring.memory import MemoryNeed, available_bytes, check_fits
from implementations.lenet.spec import LeNetSpec


def test_lenet_puts_the_image_and_every_layer_output_through_memory():
    # 784 + conv1/relu1 2 x 20x24x24 + pool1 20x12x12 + conv2/relu2 2 x 50x10x10 + pool2/flatten 2 x 1250 + 128 + 128 + 10
    assert LeNetSpec().activation_values() == 784 + 2 * 11520 + 2880 + 2 * 5000 + 2 * 1250 + 266


def test_a_batch_beyond_what_is_available_is_refused_with_both_sizes():
    need = MemoryNeed(100_000, 39_470)  # about 44 GiB with three copies
    with pytest.raises(UsageError, match=r"--batch-size 100,000: a training step needs about 44\.1 GiB, 8\.0 GiB"):
        check_fits(need, "--batch-size", available=8 * 2**30)
    check_fits(need, "--batch-size", available=64 * 2**30)  # fits
    check_fits(need, "--batch-size", available=None)  # unknown: nothing claimed


def test_available_memory_is_read_from_meminfo(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24000000 kB\nMemAvailable:   1000 kB\n")
    assert available_bytes(meminfo) == 1000 * 1024
    assert available_bytes(tmp_path / "missing") is None
