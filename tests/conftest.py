"""Shared fixtures: a small synthetic Fashion-MNIST on disk; benchmarks collected only when asked for."""
from pathlib import Path

import pytest
from idx_files import write_dataset  # tests/ is on sys.path: pytest puts a rootless conftest's folder there


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool:
    """tests/benchmarks runs only under --benchmark-only, so the default test run stays fast."""
    if collection_path.name == "benchmarks" and collection_path.is_dir():
        return not config.getoption("benchmark_only", default=False)
    return False


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 training and 100 test examples, gzipped, in the four standard file names."""
    return write_dataset(tmp_path_factory.mktemp("fashion"))
