"""The one definition of a training step (record, loss, backward, update), used by run, check and bench."""
from implementations.mxnet_compat import mx
from implementations.protocol import Model


def loss_function() -> mx.gluon.loss.Loss:
    """Softmax cross-entropy per example, the same for every implementation (the runner owns the loss)."""
    return mx.gluon.loss.SoftmaxCrossEntropyLoss()


def forward_backward(model: Model, images: mx.nd.NDArray, labels: mx.nd.NDArray,
                     loss: mx.gluon.loss.Loss) -> tuple[mx.nd.NDArray, mx.nd.NDArray]:
    """Logits (n, 10) and per-example loss (n,), with gradients of the summed loss written."""
    with mx.autograd.record():
        logits = model.forward(images)
        losses = loss(logits, labels)
    losses.backward()  # backward of a vector sums it: gradients are of the batch's summed loss
    return logits, losses


def training_step(model: Model, images: mx.nd.NDArray, labels: mx.nd.NDArray, learning_rate: float,
                  loss: mx.gluon.loss.Loss) -> tuple[mx.nd.NDArray, mx.nd.NDArray]:
    """forward_backward, then one SGD update normalised by the batch's true size."""
    logits, losses = forward_backward(model, images, labels, loss)
    model.step(int(labels.shape[0]), learning_rate)
    return logits, losses
