"""Train every implementation of a language model from the same weights on the same batches, one after another:
epoch by epoch, the chapters' loop (`train_and_predict_rnn`) written once for all of them, around the one step of
`sequence_steps`. Each epoch is timed from its first batch to the engine's last operation (`nd.waitall`); the
loss is summed on the device and read once an epoch, so no implementation waits on the loop's bookkeeping.
Predictions and the shape trace are made outside the timer."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from compare.config.sequence_run import SequenceRunConfig
from compare.data.sequence_batches import sampler
from compare.data.text import Corpus
from compare.errors import one_line
from compare.results.sequence_types import SequenceEpoch, SequenceResult, ShapeStep
from compare.results.types import Status
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from compare.training.sequence_steps import as_arrays, predict, sequence_loss, training_step
from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.registry import BuiltIn
from implementations.sequence_protocol import SequenceModel, State
from implementations.sequence_registry import build_sequence_model
from implementations.sequence_spec import SequenceSpec

EpochListener = Callable[[str, SequenceEpoch, int], None]  # (implementation, the epoch done, epochs in all)


class Stopped(Exception):
    """A user's signal during an implementation's training: its result so far (status interrupted) and the signal."""

    def __init__(self, result: SequenceResult, interrupt: Interrupt) -> None:
        super().__init__(f"{result.name}: interrupted by {interrupt.name}")
        self.result, self.interrupt = result, interrupt


@dataclass(frozen=True)
class SequenceJob:
    """What every implementation of one run shares: the config, the text, the prefixes, the spec, where it runs;
    the clock the epochs are timed by and who hears of each epoch (injected: tests count, never wait)."""

    config: SequenceRunConfig
    corpus: Corpus
    prefixes: tuple[str, ...]
    spec: SequenceSpec
    devices: Devices
    listener: EpochListener = lambda name, epoch, epochs: None
    clock: Callable[[], float] = time.perf_counter
    heldout: Optional[np.ndarray] = None  # the text's held-out indices (--holdout), evaluated when text is predicted


def batches_of(job: SequenceJob, epoch: int):  # type: ignore[no-untyped-def]
    """The epoch's batches, the same for every implementation: random sampling's order is drawn from the seed and
    the epoch alone."""
    recipe = job.config.recipe
    return sampler(recipe.sampling)(job.corpus.indices, recipe.batch_size, recipe.num_steps,
                                    np.random.default_rng([job.config.seed, epoch]))


def train_epoch(model: SequenceModel, job: SequenceJob, epoch: int) -> SequenceEpoch:
    """One epoch as the chapters train it: random sampling begins the state every batch, consecutive sampling
    once an epoch and then carries it over, detached. Timed from the engine drained to the engine drained."""
    recipe, context = job.config.recipe, job.devices.context
    state: State = model.begin_state(recipe.batch_size)
    loss_sum, characters = None, 0
    mx.nd.waitall()  # work queued before the epoch (loading weights, the shape trace) is not the epoch's
    start = job.clock()
    for X, Y in batches_of(job, epoch):
        state = model.begin_state(recipe.batch_size) if recipe.sampling == "random" else model.detach(state)
        inputs, labels = as_arrays(X, Y, context)
        loss, state = training_step(model, inputs, labels, state, recipe.learning_rate, recipe.clipping_theta)
        summed = loss * Y.size  # the batch's summed loss per character, kept on the device (in the loss's dtype)
        loss_sum = summed if loss_sum is None else loss_sum + summed
        characters += Y.size
    mx.nd.waitall()
    seconds = job.clock() - start
    mean = float(loss_sum.asscalar()) / characters
    return SequenceEpoch(epoch, math.exp(mean) if mean < 700 else math.inf, seconds, characters)


def heldout_perplexity(model: SequenceModel, job: SequenceJob) -> float:
    """Perplexity on the held-out text, read as consecutive sampling reads (rows continued, the state carried),
    forward only: up to batch_size rows, each cut into num_steps sequences."""
    steps, held = job.config.recipe.num_steps, job.heldout
    rows = max(1, min(job.config.recipe.batch_size, len(held) // (steps + 1)))
    length = len(held) // rows
    grid = held[:rows * length].reshape(rows, length)
    state, total, count = model.begin_state(rows), 0.0, 0
    for start in range(0, (length - 1) // steps * steps, steps):
        X, Y = grid[:, start:start + steps], grid[:, start + 1:start + steps + 1]
        inputs, labels = as_arrays(X, Y, job.devices.context)
        logits, state = model.forward(inputs, state)
        total += float(sequence_loss(logits, labels).asscalar()) * Y.size
        count += Y.size
    mean = total / count
    return math.exp(mean) if mean < 700 else math.inf


def shape_trace(model: SequenceModel, job: SequenceJob) -> list[ShapeStep]:
    """The shapes one batch takes through `model`, measured: its input, the logits and state after one time step,
    then after the whole sequence (no gradient recorded)."""
    X, _ = next(batches_of(job, 1))
    inputs, _ = as_arrays(X, X, job.devices.context)
    batch = job.config.recipe.batch_size
    rows = [ShapeStep("input: character indices (batch, steps)", tuple(inputs.shape))]
    for label, span in (("one step", inputs[:, :1]), ("the sequence", inputs)):
        logits, state = model.forward(span, model.begin_state(batch))
        rows.append(ShapeStep(f"logits after {label}", tuple(logits.shape)))
        rows += [ShapeStep(f"state {name} after {label}", tuple(array.shape))
                 for name, array in zip(job.spec.state_names, state)]
    return rows


def train_implementation(job: SequenceJob, builtin: BuiltIn) -> SequenceResult:
    """`builtin` trained for the recipe's epochs from the seed's weights; a non-finite perplexity ends it as
    diverged, its own exception as failed. A user's signal is `Stopped`, holding what was measured."""
    result = SequenceResult(builtin.name)
    config = job.config
    try:
        model = build_sequence_model(builtin.factory(), job.spec, job.devices, config.seed, config.recipe.optimizer)
        result.shapes = shape_trace(model, job)
        for epoch in range(1, config.recipe.epochs + 1):
            record = train_epoch(model, job, epoch)
            result.epochs.append(record)
            if not math.isfinite(record.perplexity):
                result.status = Status.DIVERGED
                job.listener(builtin.name, record, config.recipe.epochs)  # the diverged epoch is said too
                break
            if epoch % config.entry.recipe.pred_period == 0 or epoch == config.recipe.epochs:
                length = config.entry.recipe.pred_len
                result.predictions[epoch] = {prefix: predict(model, job.corpus.vocabulary, prefix, length,
                                                             job.devices.context) for prefix in job.prefixes}
                if job.heldout is not None:
                    result.heldout[epoch] = heldout_perplexity(model, job)
            job.listener(builtin.name, record, config.recipe.epochs)
    except Interrupt as interrupt:
        result.status = Status.INTERRUPTED
        raise Stopped(result, interrupt) from None
    except IMPLEMENTATION_ERRORS as error:
        result.status, result.error = Status.FAILED, one_line(error)
    return result
