"""Linear regression exactly as the linear-regression-scratch chapter writes it (`ndarray_base.AsWritten`):
`nd.dot(X, w) + b` with w kept (features, 1), and its own `squared_loss`, (y_hat - y)^2 / 2 (flattened to one
value per example, as the protocol asks)."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import AsWritten, Layer

nd = mx.nd


def squared_loss(predictions: nd.NDArray, targets: nd.NDArray) -> nd.NDArray:
    """The chapter's (y_hat - y.reshape(y_hat.shape)) ** 2 / 2, per example (N,)."""
    return ((predictions - targets.reshape(predictions.shape)) ** 2 / 2).reshape((-1,))


class TutorialLinearRegression(AsWritten):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        return {"fc1": lambda x: nd.dot(x, p["fc1.weight"]) + p["fc1.bias"]}  # (N, features) . (features, 1)

    def own_loss(self, predictions: nd.NDArray, targets: nd.NDArray) -> nd.NDArray:
        return squared_loss(predictions, targets)
