"""The one definition of a training step (record, loss, backward, update), used by run, check and bench.

A step takes the batch as shards, one per context (a single shard on one device): the runner owns the
split, so every implementation sees the same pieces.
"""
from typing import Sequence

from compare.batches import Batch
from implementations.mxnet_compat import mx
from implementations.protocol import Model


def loss_function() -> mx.gluon.loss.Loss:
    """Softmax cross-entropy per example, the same for every implementation (the runner owns the loss)."""
    return mx.gluon.loss.SoftmaxCrossEntropyLoss()


def forward_backward(model: Model, shards: Sequence[Batch],
                     loss: mx.gluon.loss.Loss) -> tuple[list[mx.nd.NDArray], list[mx.nd.NDArray]]:
    """Per shard: logits (n, 10) and per-example loss (n,); gradients of the summed loss written per replica."""
    with mx.autograd.record():
        logits = [model.forward(shard.images) for shard in shards]
        losses = [loss(shard_logits, shard.labels) for shard_logits, shard in zip(logits, shards)]
    mx.autograd.backward(losses)  # backward of a vector sums it: gradients are of each shard's summed loss
    return logits, losses


def training_step(model: Model, shards: Sequence[Batch], batch_size: int, learning_rate: float,
                  loss: mx.gluon.loss.Loss) -> tuple[list[mx.nd.NDArray], list[mx.nd.NDArray]]:
    """forward_backward, then one SGD update normalised by the global batch's true size."""
    logits, losses = forward_backward(model, shards, loss)
    model.step(batch_size, learning_rate)
    return logits, losses
