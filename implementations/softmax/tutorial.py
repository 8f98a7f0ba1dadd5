"""Softmax regression exactly as the softmax-regression-from-scratch chapter writes it (`ndarray_base.AsWritten`):
`nd.dot(X, W) + b` with W kept (784, 10), and its own loss — `softmax(X) = exp(X) / exp(X).sum(axis=1)`, then
`cross_entropy = -log(pick(softmax, y))` — instead of the runner's fused one. `exp` overflows once a logit
passes about 88 (float32): the loss turns inf or NaN where the fused log-sum-exp stays finite."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import AsWritten, Layer

nd = mx.nd


def softmax_as_written(logits: nd.NDArray) -> nd.NDArray:
    exp = nd.exp(logits)  # (N, 10); inf once a logit passes ~88
    return exp / exp.sum(axis=1, keepdims=True)


class TutorialSoftmax(AsWritten):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        return {
            "flatten": lambda x: x.reshape((-1, self.spec.input_size)),  # the chapter's X.reshape((-1, 784))
            "fc1": lambda x: nd.dot(x, p["fc1.weight"]) + p["fc1.bias"],  # (N, 10)
        }

    def own_loss(self, logits: nd.NDArray, labels: nd.NDArray) -> nd.NDArray:
        """The chapter's cross-entropy of its own softmax, per example (N,)."""
        return -nd.pick(nd.log(softmax_as_written(logits)), labels)
