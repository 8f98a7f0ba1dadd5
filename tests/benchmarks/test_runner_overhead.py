"""pytest-benchmark: the runner's training epoch against a bare loop of the same steps, in one run.

The runner reads the loss every step (the divergence rule) and counts correct predictions; under MXNet's
synchronous engine (`MXNET_ENGINE_TYPE=NaiveEngine`) every call is paid in full, so this is where its cost
would show. Both loops run the same synthetic batches, alternating, ROUNDS times each; the benchmark times
the runner's epoch, and extra_info holds both rates and their ratio (runner / bare). It measures, it never
asserts a time. Run it under the settings to compare, e.g.
`OMP_NUM_THREADS=2 OMP_PROC_BIND=true MXNET_ENGINE_TYPE=NaiveEngine pytest tests/benchmarks -k runner
--benchmark-only`.
"""
import time

import numpy as np
import pytest

from compare.config.options import Options
from compare.config.run import RunConfig
from compare.data.batches import DeviceSplit, epoch_permutation
from compare.data.dataset import ArraySplit
from compare.devices.topology import Topology
from compare.reporting.progress import SilentListener
from compare.training.divergence import DivergenceRule
from compare.training.runner import Epoch, TrainingJob, train_epoch
from compare.training.steps import loss_function, training_step
from implementations.mxnet_compat import mx
from implementations.registry import build_model, builtins

EXAMPLES = 256 * 24  # 24 steps at batch 256: long enough to time, short enough to alternate often
ROUNDS = 5


def _job() -> TrainingJob:
    generator = np.random.default_rng(0)
    images = generator.random((EXAMPLES, 1, 28, 28), dtype=np.float32)
    split = ArraySplit(images, generator.integers(0, 10, size=EXAMPLES).astype(np.int32))
    topology = Topology((mx.cpu(),))
    train = DeviceSplit.from_arrays(split, topology.home)
    config = RunConfig.resolve("lenet", (), Options("run", {"epochs": 1, "batch_size": 256, "learning_rate": 0.01}))
    return TrainingJob(config, topology, train, train, SilentListener(), loss_function(10))


def _bare_epoch(job: TrainingJob, model, order: np.ndarray) -> float:
    """The same steps with nothing around them: no per-step read, no counting; one sync at the end."""
    loss = job.loss.of(model)
    start = time.perf_counter()
    for batch in job.train.batches(job.config.batch_size, order):
        training_step(model, [batch], batch.size, job.config.workload.learning_rate, loss)
    mx.nd.waitall()
    return time.perf_counter() - start


def _runner_epoch(job: TrainingJob, model, epoch: Epoch) -> float:
    start = time.perf_counter()
    train_epoch(job, model, epoch, DivergenceRule(1e9), lambda: None, job.config.workload.learning_rate)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", ["scratch", "gluon-hybrid"])
def test_runner_against_a_bare_loop(benchmark, name):
    job = _job()
    model = build_model(builtins()[name].factory(), job.config.spec(), job.topology.devices(), 0)
    epoch = Epoch(0, 1, epoch_permutation(0, 1, EXAMPLES))
    _bare_epoch(job, model, epoch.order), _runner_epoch(job, model, epoch)  # warm-up: graphs, allocation
    bare, runner = [], []

    def alternate() -> None:
        bare.append(_bare_epoch(job, model, epoch.order))
        runner.append(_runner_epoch(job, model, epoch))

    benchmark.pedantic(alternate, rounds=ROUNDS, iterations=1)
    bare_rate, runner_rate = EXAMPLES / float(np.median(bare)), EXAMPLES / float(np.median(runner))
    benchmark.extra_info.update({"bare_samples_per_second": bare_rate, "runner_samples_per_second": runner_rate,
                                 "runner_over_bare": runner_rate / bare_rate})
    assert len(bare) == len(runner) == ROUNDS  # both loops ran every round: the ratio is of one sequence
