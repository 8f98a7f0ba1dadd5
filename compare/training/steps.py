"""The one definition of a training step (record, loss, backward, update), used by run, check and bench.

A step takes the batch as shards, one per context (a single shard on one device): the runner owns the
split, so every implementation sees the same pieces.
"""
from typing import Callable, Optional, Sequence

import numpy as np

from compare.data.batches import Batch
from compare.errors import ProtocolViolation
from implementations.mxnet_compat import mx
from implementations.protocol import Model, own_loss_of
from implementations.spec_base import NetworkSpec


class Objective:
    """Softmax cross-entropy per example, the same for every implementation (the runner owns the loss), and
    the logits contract it needs: one float32 (n, num_classes) array per shard of n images, on every batch
    (softmax cross-entropy would silently clip labels beyond a narrower logits array)."""

    def __init__(self, num_classes: int, dtype: type = np.float32,
                 loss: Optional[Callable[[mx.nd.NDArray, mx.nd.NDArray], mx.nd.NDArray]] = None,
                 task: str = "classification") -> None:
        self.num_classes, self.task = num_classes, task  # regression: num_classes is the 1 output per example
        self.dtype = np.dtype(dtype)  # float64 only where a test checks gradients by finite differences
        # squared loss (y_hat - y)^2 / 2 per example for a regression, as the linear-regression chapter writes it
        self.loss = loss or (mx.gluon.loss.L2Loss() if task == "regression" else mx.gluon.loss.SoftmaxCrossEntropyLoss())

    def __call__(self, logits: mx.nd.NDArray, labels: mx.nd.NDArray) -> mx.nd.NDArray:
        self.check(logits, int(labels.shape[0]))
        return self.loss(logits, labels)

    def in_dtype(self, dtype: type) -> "Objective":
        """The same objective (the runner's: never a model's own) checking outputs of `dtype`."""
        return Objective(self.num_classes, dtype, task=self.task)

    def of(self, model: Model) -> "Objective":
        """The objective `model` is trained with: its own loss where it declares one (the softmax chapter's
        hand-written cross-entropy), else this one; the logits contract holds either way."""
        own = own_loss_of(model)
        return self if own is None else Objective(self.num_classes, self.dtype, own, self.task)

    def check(self, logits: object, examples: int) -> None:
        """ProtocolViolation unless `logits` is an (examples, num_classes) float32 NDArray (shapes are known
        without waiting for the engine, so this costs no sync)."""
        shape = tuple(getattr(logits, "shape", ()))
        outputs, inputs = ("logits", "images") if self.task == "classification" else ("predictions", "examples")
        if not hasattr(logits, "asnumpy"):
            raise ProtocolViolation(f"forward returned a {type(logits).__name__}, expected an NDArray of {outputs}")
        if shape != (examples, self.num_classes):
            raise ProtocolViolation(f"forward gave {outputs} of shape {shape} for {examples} {inputs}, "
                                    f"expected {(examples, self.num_classes)}")
        if np.dtype(logits.dtype) != self.dtype:  # type: ignore[attr-defined]
            raise ProtocolViolation(f"forward gave {np.dtype(logits.dtype).name} {outputs}, "  # type: ignore[attr-defined]
                                    f"expected {self.dtype.name}")


def objective_for(spec: NetworkSpec) -> Objective:
    """The objective `spec`'s model is trained with: its outputs, its task (classification or regression)."""
    return Objective(spec.num_classes, task=spec.task)


def loss_function(num_classes: int, dtype: type = np.float32, task: str = "classification") -> Objective:
    """The one objective every implementation is trained and measured with: softmax cross-entropy, or for a
    regression the squared loss."""
    return Objective(num_classes, dtype, task=task)


def forward_backward(model: Model, shards: Sequence[Batch],
                     loss: Objective) -> tuple[list[mx.nd.NDArray], list[mx.nd.NDArray]]:
    """Per shard: logits (n, 10) and per-example loss (n,); gradients of the summed loss written per replica."""
    with mx.autograd.record():
        logits = [model.forward(shard.images) for shard in shards]
        losses = [loss(shard_logits, shard.labels) for shard_logits, shard in zip(logits, shards)]
    mx.autograd.backward(losses)  # backward of a vector sums it: gradients are of each shard's summed loss
    return logits, losses


def training_step(model: Model, shards: Sequence[Batch], batch_size: int, learning_rate: float,
                  loss: Objective) -> tuple[list[mx.nd.NDArray], list[mx.nd.NDArray]]:
    """forward_backward, then one SGD update normalised by the global batch's true size."""
    logits, losses = forward_backward(model, shards, loss)
    model.step(batch_size, learning_rate)
    return logits, losses
