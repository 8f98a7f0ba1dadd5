"""Benchmark contexts: CPU always, every GPU mxnet sees; the header says why GPUs are not collected."""
import pytest
from grid import available_contexts

from implementations.mxnet_compat import mx


def pytest_report_header(config: pytest.Config) -> str:
    if mx.context.num_gpus() > 0:
        return f"benchmark contexts: {', '.join(available_contexts())}"
    cuda = mx.runtime.Features().is_enabled("CUDA")
    reason = "mxnet sees no GPU" if cuda else "this mxnet build has no CUDA (install e.g. mxnet-cu112)"
    return f"benchmark contexts: cpu only; gpu benchmarks not collected: {reason}"
