"""The one training loop and one evaluation loop, shared by every implementation. Prints nothing.

Progress goes to a `ProgressListener` the caller supplies; results come back as dataclasses.
"""
import math
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from compare.batches import DeviceSplit, epoch_permutation
from compare.config import RunConfig
from compare.mxnet_compat import mx
from compare.results import EpochResult, ImplementationResult, StopPoint
from compare.steps import forward_backward, loss_function, training_step
from compare.timing import SyncedTimer
from implementations.protocol import Model
from implementations.registry import create_model

SAMPLE_PREDICTIONS = 18  # test images shown in the prediction grid


class ProgressListener(Protocol):
    """Told about progress as it happens; reports implement it, the runner only calls it."""

    def implementation_started(self, name: str, epochs: int, steps_per_epoch: int) -> None: ...

    def step_done(self, name: str) -> None: ...

    def epoch_done(self, name: str, epoch: EpochResult) -> None: ...

    def implementation_done(self, result: ImplementationResult) -> None: ...


class SilentListener:
    """A listener that ignores everything."""

    def implementation_started(self, name: str, epochs: int, steps_per_epoch: int) -> None:
        pass

    def step_done(self, name: str) -> None:
        pass

    def epoch_done(self, name: str, epoch: EpochResult) -> None:
        pass

    def implementation_done(self, result: ImplementationResult) -> None:
        pass


class Diverged(Exception):
    """The training loss stopped being finite at `step`."""

    def __init__(self, step: int) -> None:
        super().__init__(f"non-finite loss at step {step}")
        self.step = step


class Interrupted(Exception):
    """Ctrl-C arrived during `step` (0: before the first step of the epoch finished)."""

    def __init__(self, step: int) -> None:
        super().__init__(f"interrupted at step {step}")
        self.step = step


@dataclass(frozen=True)
class PassTotals:
    """Sums over one pass through a split."""

    loss_sum: float
    correct: int
    examples: int
    seconds: float

    @property
    def mean_loss(self) -> float:
        return self.loss_sum / self.examples

    @property
    def accuracy(self) -> float:
        return self.correct / self.examples


def train_epoch(
    model: Model, split: DeviceSplit, order: np.ndarray, batch_size: int, learning_rate: float,
    on_step: Callable[[], None] = lambda: None,
) -> PassTotals:
    """One epoch of SGD in `order`; raises Diverged at the first non-finite batch loss, Interrupted on Ctrl-C."""
    loss = loss_function()
    loss_sum, correct, examples, step = 0.0, mx.nd.zeros((1,), ctx=split.images.context), 0, 0
    try:
        with SyncedTimer() as timer:
            for step, batch in enumerate(split.batches(batch_size, order), start=1):
                logits, losses = training_step(model, batch.images, batch.labels, learning_rate, loss)
                batch_loss = losses.sum().asscalar()  # the one sync per step: divergence is caught where it happens
                if not math.isfinite(batch_loss):
                    raise Diverged(step)
                loss_sum += batch_loss
                correct += (logits.argmax(axis=1) == batch.labels).sum()
                examples += batch.size
                on_step()
            correct_count = int(correct.asscalar())
    except KeyboardInterrupt:
        raise Interrupted(step) from None
    return PassTotals(loss_sum, correct_count, examples, timer.seconds)


def evaluate(model: Model, split: DeviceSplit, batch_size: int) -> PassTotals:
    """Mean loss and accuracy over `split` in stored order, without recording gradients."""
    loss = loss_function()
    loss_sum = mx.nd.zeros((1,), ctx=split.images.context)
    correct = mx.nd.zeros((1,), ctx=split.images.context)
    with SyncedTimer() as timer:
        for batch in split.batches(batch_size):
            logits = model.forward(batch.images)
            loss_sum += loss(logits, batch.labels).sum()
            correct += (logits.argmax(axis=1) == batch.labels).sum()
        loss_total, correct_total = float(loss_sum.asscalar()), int(correct.asscalar())
    return PassTotals(loss_total, correct_total, len(split), timer.seconds)


def warm_up(model: Model, split: DeviceSplit, batch_size: int) -> float:
    """Run the first calls (graph building for hybridized blocks) without updating; return their seconds."""
    batch = next(split.batches(batch_size))
    with SyncedTimer() as timer:
        model.forward(batch.images)
        # gradients are written but never applied: the weights stay the shared initial ones
        forward_backward(model, batch.images, batch.labels, loss_function())
    return timer.seconds


def _epoch_result(epoch: int, train: PassTotals, test: PassTotals) -> EpochResult:
    return EpochResult(
        epoch=epoch,
        train_examples=train.examples,
        eval_examples=test.examples,
        train_loss=train.mean_loss,
        train_accuracy=train.accuracy,
        test_loss=test.mean_loss,
        test_accuracy=test.accuracy,
        train_seconds=train.seconds,
        train_samples_per_second=train.examples / train.seconds,
        eval_seconds=test.seconds,
        eval_samples_per_second=test.examples / test.seconds,
    )


def predict(model: Model, images: "mx.nd.NDArray") -> list[int]:
    """Predicted class of each image."""
    return [int(c) for c in model.forward(images).argmax(axis=1).asnumpy()]


def train_implementation(
    model: Model, result: ImplementationResult, config: RunConfig,
    train: DeviceSplit, test: DeviceSplit, listener: ProgressListener,
) -> None:
    """Train `model` for `config.epochs`, filling `result` as epochs finish (so an interrupt keeps them).

    A diverged model ends with status `diverged`; Ctrl-C inside an epoch propagates as Interrupted.
    """
    result.warmup_seconds = warm_up(model, train, config.batch_size)
    listener.implementation_started(result.name, config.epochs, train.num_batches(config.batch_size))
    for epoch in range(1, config.epochs + 1):
        order = epoch_permutation(config.seed, epoch, len(train))
        try:
            train_totals = train_epoch(
                model, train, order, config.batch_size, config.learning_rate,
                on_step=lambda: listener.step_done(result.name),
            )
        except Diverged as diverged:
            result.status, result.stopped_at = "diverged", StopPoint(epoch, diverged.step)
            return
        result.epochs.append(_epoch_result(epoch, train_totals, evaluate(model, test, config.batch_size)))
        listener.epoch_done(result.name, result.epochs[-1])


@dataclass
class Comparison:
    """What `run_comparison` hands back: results per implementation, the trained models, and Ctrl-C."""

    results: dict[str, ImplementationResult]
    models: dict[str, Model]
    interrupted: bool = False


def run_comparison(
    config: RunConfig, names: list[str], ctx: "mx.Context",
    train: DeviceSplit, test: DeviceSplit, listener: ProgressListener,
) -> Comparison:
    """Train each implementation in turn from the same weights and batch order.

    After Ctrl-C the implementation in progress and those not yet started are marked `interrupted`,
    and what was measured so far is returned.
    """
    spec = config.spec()
    comparison = Comparison({name: ImplementationResult(name=name) for name in names}, {})
    probe = next(train.batches(config.batch_size)).images
    for index, name in enumerate(names):
        result = comparison.results[name]
        try:
            model = create_model(name, spec, ctx, config.seed)
            result.shape_trace = model.shape_trace(probe)
            train_implementation(model, result, config, train, test, listener)
            if result.status == "ok":  # a diverged model's predictions mean nothing
                result.sample_predictions = predict(model, test.images[:SAMPLE_PREDICTIONS])
            comparison.models[name] = model
        except (Interrupted, KeyboardInterrupt) as stop:
            step = stop.step if isinstance(stop, Interrupted) else 0  # 0: during warm-up or evaluation
            result.status, result.stopped_at = "interrupted", StopPoint(len(result.epochs) + 1, step)
            for later in names[index + 1:]:
                comparison.results[later].status = "interrupted"
            comparison.interrupted = True
            listener.implementation_done(result)
            return comparison
        listener.implementation_done(result)
    return comparison
