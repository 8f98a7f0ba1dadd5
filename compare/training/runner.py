"""The one training loop and one evaluation loop, shared by every implementation (seeds.py trains each in turn,
seed by seed). Prints nothing.

Progress goes to a `ProgressListener` the caller supplies; results come back as dataclasses. An exception
raised by one implementation's code marks it `failed` and the others still train.
"""
from dataclasses import dataclass
from typing import Callable, Optional, Protocol

import numpy as np

from compare.config.run import RunConfig
from compare.data.batches import Batch, DeviceSplit, epoch_permutation
from compare.devices.topology import Topology
from compare.loading import Implementation
from compare.measuring.timing import SyncedTimer
from compare.results.types import EpochResult, ImplementationResult, Status, StopPoint
from compare.signals import Interrupt
from compare.training.divergence import Diverged, DivergenceRule
from compare.training.steps import Objective, forward_backward, training_step
from implementations.mxnet_compat import mx
from implementations.optimizers import Optimizer
from implementations.protocol import Model


class ProgressListener(Protocol):
    """Told about progress as it happens; reports implement it, the runner only calls it."""

    def implementation_started(self, name: str, epochs: int, steps_per_epoch: int) -> None: ...

    def step_done(self, name: str) -> None: ...

    def epoch_done(self, name: str, epoch: EpochResult) -> None: ...

    def implementation_done(self, result: ImplementationResult) -> None: ...


class Interrupted(Exception):
    """Ctrl-C (or SIGTERM) arrived during `step` (0: before the first step of the epoch finished)."""

    def __init__(self, step: int, interrupt: Interrupt) -> None:
        super().__init__(f"interrupted at step {step}")
        self.step = step
        self.interrupt = interrupt


@dataclass(frozen=True)
class PassTotals:
    """Sums over one pass through a split, and how busy the machine was meanwhile."""

    loss_sum: float
    correct: Optional[int]  # None for a regression: nothing to count
    examples: int
    seconds: float
    other_cpu_seconds: Optional[float] = None

    @property
    def mean_loss(self) -> float:
        return self.loss_sum / self.examples

    @property
    def accuracy(self) -> Optional[float]:
        return None if self.correct is None else self.correct / self.examples


def _summed_on(home: "mx.Context", per_shard: list) -> "mx.nd.NDArray":
    """The sum of every shard's array, as a (1,) array on the home context (no sync)."""
    parts = [values.sum().as_in_context(home) for values in per_shard]
    return parts[0] if len(parts) == 1 else mx.nd.add_n(*parts)


def _correct(logits: list, shards: list[Batch], home: "mx.Context") -> "mx.nd.NDArray":
    """Correct predictions over the shards, as a (1,) array on the home context."""
    hits = [shard_logits.argmax(axis=1) == shard.labels for shard_logits, shard in zip(logits, shards)]
    return _summed_on(home, hits)


@dataclass(frozen=True)
class TrainingJob:
    """What every implementation of a run is trained on, and where: the run's config, the topology (contexts,
    workers, how batches are split), both splits on the home context, who hears of progress, and the loss."""

    config: RunConfig
    topology: Topology
    train: DeviceSplit
    test: DeviceSplit
    listener: ProgressListener
    loss: Objective


@dataclass(frozen=True)
class Epoch:
    """Epoch `number` of the run from `seed`: its batch order, and the seed of MXNet's generator at each step
    of a model with dropout (so every implementation that draws its masks with MXNet's Dropout operator draws
    the same ones)."""

    seed: int
    number: int
    order: np.ndarray

    def random_seed(self, step: int) -> int:
        return (self.seed * 1_000_003 + self.number * 10_007 + step) % 2**31


def train_epoch(job: TrainingJob, model: Model, epoch: Epoch, rule: DivergenceRule,
                on_step: Callable[[], None], learning_rate: float) -> PassTotals:
    """One epoch of SGD in the epoch's order; raises Diverged at the first diverged batch, Interrupted on Ctrl-C.

    Each global batch is split by the topology; the batch loss is summed over the workers every step (so every
    worker takes the same divergence decision at the same step), the correct count once at the end.
    """
    home, topology, loss = job.topology.home, job.topology, job.loss.of(model)
    classifies = job.loss.task == "classification"
    reseed = bool(job.config.spec().drop_rates)  # seeding costs ~1 ms: only where masks are drawn
    loss_sum, correct, examples, step = 0.0, mx.nd.zeros((1,), ctx=home), 0, 0
    try:
        with SyncedTimer() as timer:
            for step, batch in enumerate(job.train.batches(job.config.batch_size, epoch.order), start=1):
                shards = topology.split(batch)
                if reseed:
                    mx.random.seed(epoch.random_seed(step))
                logits, losses = training_step(model, shards, batch.size, learning_rate, loss)
                # the one sync per step: divergence is caught where it happens
                batch_loss = float(topology.sum([_summed_on(home, losses).asscalar()])[0])
                if rule.diverged(batch_loss / batch.size):
                    raise Diverged(step, batch_loss / batch.size)
                loss_sum += batch_loss
                if classifies:  # a regression has nothing to count: no array made per step
                    correct += _correct(logits, shards, home)
                examples += batch.size
                on_step()
            correct_count = int(topology.sum([correct.asscalar()])[0])
    except Interrupt as interrupt:  # the user's signal; an implementation's own KeyboardInterrupt is its failure
        raise Interrupted(step, interrupt) from None
    return PassTotals(loss_sum, correct_count if classifies else None, examples, timer.seconds,
                      timer.other_cpu_seconds)


def evaluate(job: TrainingJob, model: Model) -> PassTotals:
    """Mean loss and accuracy over the test split in stored order, without recording gradients (each worker
    evaluates its pieces of every batch; the totals are summed over the workers)."""
    home, topology, loss = job.topology.home, job.topology, job.loss.of(model)
    classifies = job.loss.task == "classification"
    loss_sum = mx.nd.zeros((1,), ctx=home)
    correct = mx.nd.zeros((1,), ctx=home)
    with SyncedTimer() as timer:
        for batch in job.test.batches(job.config.batch_size):
            shards = topology.split(batch)
            logits = [model.forward(shard.images) for shard in shards]
            losses = [loss(shard_logits, shard.labels) for shard_logits, shard in zip(logits, shards)]
            loss_sum += _summed_on(home, losses)
            if classifies:
                correct += _correct(logits, shards, home)
        loss_total, correct_total = topology.sum([loss_sum.asscalar(), correct.asscalar()])
    return PassTotals(float(loss_total), int(correct_total) if classifies else None, len(job.test), timer.seconds,
                      timer.other_cpu_seconds)


def warm_up(job: TrainingJob, model: Model) -> tuple[float, float]:
    """Run the first calls (graph building for hybridized blocks) without updating.

    Returns their seconds and the first batch's mean loss at the initial weights (the divergence baseline;
    with several workers, that of this worker's pieces).
    """
    shards = job.topology.split(next(job.train.batches(job.config.batch_size)))
    with SyncedTimer() as timer:
        for shard in shards:
            model.forward(shard.images)
        # gradients are written but never applied: the weights stay the shared initial ones
        _, losses = forward_backward(model, shards, job.loss.of(model))
        first_loss = _summed_on(job.topology.home, losses).asscalar() / sum(shard.size for shard in shards)
    if job.loss.task == "regression":  # no ln(classes) floor: the baseline from many examples, not one batch's few
        first_loss = regression_baseline(job, model)
    return timer.seconds, float(first_loss)


BASELINE_EXAMPLES = 1000  # a regression's divergence baseline: the mean loss at the initial weights over these


def regression_baseline(job: TrainingJob, model: Model) -> float:
    """Mean loss at the initial weights over the first BASELINE_EXAMPLES training examples (all of a smaller
    split), on the home context: a batch of one example can have a loss a hundred times below the typical."""
    batch = next(job.train.batches(min(len(job.train), BASELINE_EXAMPLES)))
    losses = job.loss.of(model)(model.forward(batch.images), batch.labels)
    return float(losses.mean().asscalar())


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
        other_cpu_seconds=None if None in (train.other_cpu_seconds, test.other_cpu_seconds)
        else train.other_cpu_seconds + test.other_cpu_seconds,
    )


def optimizer_of(job: TrainingJob, implementation: Implementation) -> Optimizer:
    """The implementation's own update rule (run over several optimizers), else the run's."""
    return implementation.optimizer or job.config.workload.optimizer


def train_implementation(job: TrainingJob, model: Model, result: ImplementationResult, seed: int, label: str,
                         learning_rate: float) -> None:
    """Train `model` for the recipe's epochs, filling `result` as epochs finish (so an interrupt keeps them).

    A diverged model ends with status `diverged`; Ctrl-C inside an epoch propagates as Interrupted.
    """
    result.warmup_seconds, first_loss = warm_up(job, model)
    # every worker must apply the same limit: the baseline is the first loss averaged over the workers
    first_loss = float(job.topology.sum([first_loss])[0]) / job.topology.workers
    rule = DivergenceRule.from_first_loss(first_loss, job.loss.num_classes)
    job.listener.implementation_started(label, job.config.epochs, job.train.num_batches(job.config.batch_size))
    for epoch in range(1, job.config.epochs + 1):
        plan = Epoch(seed, epoch, epoch_permutation(seed, epoch, len(job.train)))
        try:
            train_totals = train_epoch(job, model, plan, rule, lambda: job.listener.step_done(label), learning_rate)
        except Diverged as diverged:
            result.status, result.stopped_at = Status.DIVERGED, StopPoint(epoch, diverged.step)
            result.message = f"{diverged} (limit {rule.limit:.3g})"
            return
        result.epochs.append(_epoch_result(epoch, train_totals, evaluate(job, model)))
        job.listener.epoch_done(label, result.epochs[-1])
