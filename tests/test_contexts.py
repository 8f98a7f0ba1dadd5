"""`--ctx` parsing and the GPU plumbing, testable on a CPU-only machine."""
import pytest

from compare.devices.contexts import ContextSpec, parse_context, resolve_context
from compare.errors import UsageError
from implementations.mxnet_compat import mx


@pytest.mark.parametrize("text, expected", [
    ("cpu", ContextSpec("cpu", 0)),
    ("gpu", ContextSpec("gpu", 0)),
    ("gpu:1", ContextSpec("gpu", 1)),
    ("gpu(2)", ContextSpec("gpu", 2)),
    (" GPU(3) ", ContextSpec("gpu", 3)),
])
def test_context_spellings(text, expected):
    assert parse_context(text) == expected


@pytest.mark.parametrize("text", ["tpu", "gpu:", "gpu(1", "gpu:-1", "cuda:0", ""])
def test_unknown_context_is_a_usage_error(text):
    with pytest.raises(UsageError, match="unknown context"):
        parse_context(text)


def test_cpu_resolves_to_mxnet_cpu():
    assert resolve_context(ContextSpec("cpu")) == mx.cpu()


def test_gpu_without_cuda_names_the_cuda_builds():
    with pytest.raises(UsageError, match=r"gpu\(0\) asked for, but this mxnet 1.9.1 build has no CUDA.*mxnet-cu112"):
        resolve_context(ContextSpec("gpu"), num_gpus=lambda: 0, cuda_enabled=lambda: False)


def test_gpu_index_beyond_the_visible_gpus_is_refused():
    with pytest.raises(UsageError, match=r"gpu\(2\) asked for, but mxnet sees 2 GPU"):
        resolve_context(ContextSpec("gpu", 2), num_gpus=lambda: 2, cuda_enabled=lambda: True)


def test_visible_gpu_resolves_to_mxnet_gpu():
    assert resolve_context(ContextSpec("gpu", 1), num_gpus=lambda: 2, cuda_enabled=lambda: True) == mx.gpu(1)
