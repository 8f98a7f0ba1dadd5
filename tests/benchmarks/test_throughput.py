"""pytest-benchmark: forward pass and full training step per implementation x batch size x context.

Run with `pytest tests/benchmarks --benchmark-only`. Every target ends on an engine sync; warm-up rounds
(the hybridized graph is built on the first) are discarded; samples/s goes into extra_info.
COMPARE_BENCH_SLOWDOWN_SECONDS (e.g. 0.1) adds a sleep to every target, to check that a regression gate fires.
"""
import os
import time

import numpy as np
import pytest
from built_ins import create_model
from grid import available_contexts

from compare.data.batches import Batch, synthetic_batch
from compare.devices.contexts import parse_context, resolve_context
from compare.jobs.throughput import BENCH_LEARNING_RATE
from compare.training.steps import loss_function, training_step
from implementations.lenet.spec import LeNetSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.registry import implementation_names

BATCH_SIZES = (1, 64, 256)
WARMUP_ROUNDS = 3


def _slowed(target):
    """`target`, then the sleep COMPARE_BENCH_SLOWDOWN_SECONDS asks for (none by default)."""
    slowdown = float(os.environ.get("COMPARE_BENCH_SLOWDOWN_SECONDS", "0"))

    def run() -> None:
        target()
        time.sleep(slowdown)

    return run


def _rounds(batch_size: int) -> int:
    return max(20, 512 // batch_size)  # about a second of timing per target at batch 256


def _setup(name: str, batch_size: int, context: str):
    ctx = resolve_context(parse_context(context))
    model = create_model(name, LeNetSpec(), Devices((ctx,)), seed=0)
    images, labels = synthetic_batch(batch_size, ctx)
    return model, images, labels


def _record(benchmark, batch_size: int) -> None:
    benchmark.extra_info["batch_size"] = batch_size
    benchmark.extra_info["samples_per_second"] = batch_size / benchmark.stats.stats.median


@pytest.mark.parametrize("context", available_contexts())
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("name", implementation_names())
def test_forward(benchmark, name, batch_size, context):
    model, images, _ = _setup(name, batch_size, context)
    forward = _slowed(lambda: model.forward(images).wait_to_read())
    benchmark.pedantic(forward, rounds=_rounds(batch_size), iterations=1, warmup_rounds=WARMUP_ROUNDS)
    _record(benchmark, batch_size)
    logits = model.forward(images).asnumpy()
    assert logits.shape == (batch_size, 10) and np.isfinite(logits).all()


@pytest.mark.parametrize("context", available_contexts())
@pytest.mark.parametrize("batch_size", BATCH_SIZES)
@pytest.mark.parametrize("name", implementation_names())
def test_training_step(benchmark, name, batch_size, context):
    model, images, labels = _setup(name, batch_size, context)
    loss = loss_function(10)
    before = model.parameters()["fc2.weight"].asnumpy().copy()

    def synced_step() -> None:
        training_step(model, [Batch(images, labels)], batch_size, BENCH_LEARNING_RATE, loss)
        mx.nd.waitall()

    step = _slowed(synced_step)
    benchmark.pedantic(step, rounds=_rounds(batch_size), iterations=1, warmup_rounds=WARMUP_ROUNDS)
    _record(benchmark, batch_size)
    after = model.parameters()["fc2.weight"].asnumpy()
    assert np.isfinite(after).all() and not np.array_equal(after, before)  # the steps really updated
