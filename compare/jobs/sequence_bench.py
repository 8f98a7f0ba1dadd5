"""`bench` for a language model as a library call: every implementation from the seed's weights on the text's
first batch, a training step and a forward pass timed in interleaved rounds (the engine drained around each), as
characters per second. Prints nothing."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional, Sequence

from compare.config.sequence_bench import BENCH_ITERATIONS, SequenceBenchConfig
from compare.jobs.apply_settings import apply_mxnet_settings
from compare.jobs.sequence_run import check_outputs, read_text

if TYPE_CHECKING:
    from compare.loading import Entry
    from compare.results.sequence_bench_types import SequenceBenchData

WARMUP = 2  # untimed steps first: gluon-hybrid builds its graph, every allocator warms


def bench_sequence(config: SequenceBenchConfig, warn: Callable[[str], None],
                   entries: "Optional[Sequence[Entry]]" = None) -> "SequenceBenchData":
    import numpy as np

    from compare.data.sequence_batches import consecutive_batches
    from compare.devices.contexts import resolve_context
    from compare.errors import one_line
    from compare.jobs.sequence_check import implementations_of
    from compare.signals import IMPLEMENTATION_ERRORS, Interrupt

    check_outputs(config.json_path, config.text.path)
    corpus = read_text(config.text, (config.batch_size, config.num_steps, "consecutive")).whole
    apply_mxnet_settings(config.mxnet, (config.context,), warn)
    from compare.measuring.environment import capture_environment
    from compare.measuring.timing import time_interleaved
    from compare.results.measures import Spread
    from compare.results.sequence_bench_types import SequenceBenchData, SequenceBenchRow
    from compare.training.sequence_steps import as_arrays, training_step
    from implementations.protocol import Devices
    from implementations.sequence_registry import build_sequence_model

    implementations = implementations_of(config.entry, list(entries or config.implementations),
                                         [builtin.name for builtin in config.entry.builtins])
    devices = Devices((resolve_context(config.context),))
    spec = config.entry.spec(len(corpus.vocabulary), config.num_hiddens)
    X, Y = next(consecutive_batches(corpus.indices, config.batch_size, config.num_steps, np.random.default_rng(0)))
    inputs, labels = as_arrays(X, Y, devices.context)
    recipe, rate = config.entry.recipe, config.optimizer.learning_rate
    train, forward, failures = {}, {}, {}
    for implementation in implementations:
        try:
            model = build_sequence_model(implementation.factory, spec, devices, config.seed, config.optimizer)
        except Interrupt:
            raise
        except IMPLEMENTATION_ERRORS as error:  # a learner's model may fail to build in any way
            failures[implementation.name] = one_line(error)
            continue
        train[implementation.name] = (lambda m=model: training_step(
            m, inputs, labels, m.begin_state(config.batch_size), rate, recipe.clipping_theta))
        forward[implementation.name] = (lambda m=model: m.forward(inputs, m.begin_state(config.batch_size)))
    characters = BENCH_ITERATIONS * config.batch_size * config.num_steps
    timed_train = time_interleaved(train, WARMUP, config.repeat, BENCH_ITERATIONS)
    timed_forward = time_interleaved({name: run for name, run in forward.items() if name in timed_train.seconds},
                                     WARMUP, config.repeat, BENCH_ITERATIONS)
    failures.update(timed_train.failures, **timed_forward.failures)
    rows = [SequenceBenchRow(name, Spread.from_seconds(timed_train.seconds[name], characters),
                             Spread.from_seconds(timed_forward.seconds[name], characters))
            for name in timed_train.seconds if name in timed_forward.seconds]
    settings = {"model": config.model, "batch_size": config.batch_size, "num_steps": config.num_steps,
                "num_hiddens": config.num_hiddens, "repeat": config.repeat, "iterations": BENCH_ITERATIONS,
                "vocab_size": len(corpus.vocabulary), "seed": config.seed, "optimizer": config.optimizer.recorded()}
    return SequenceBenchData(settings, capture_environment(str(config.context)), rows, failures)
