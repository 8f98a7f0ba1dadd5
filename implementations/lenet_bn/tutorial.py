"""LeNet with batch normalization as the batch-norm-from-scratch chapter writes it: its own `batch_norm` —
per-channel mean and variance over (N, H, W) in training, the moving averages `momentum * moving + (1 -
momentum) * batch` updated in place, the moving statistics in evaluation — on the tutorial's LeNet."""
from __future__ import annotations

from implementations.lenet.tutorial import TutorialLeNet
from implementations.mxnet_compat import mx
from implementations.ndarray_base import Layer

nd = mx.nd


def batch_norm_as_written(x: nd.NDArray, p: dict, layer: str, momentum: float, eps: float) -> nd.NDArray:
    gamma, beta = p[f"{layer}.gamma"].reshape((1, -1, 1, 1)), p[f"{layer}.beta"].reshape((1, -1, 1, 1))
    moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]
    if mx.autograd.is_training():
        mean = x.mean(axis=(0, 2, 3), keepdims=True)  # (1, C, 1, 1): one statistic per channel
        var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        x_hat = (x - mean) / nd.sqrt(var + eps)
        moving_mean[:] = momentum * moving_mean + (1 - momentum) * mean.reshape((-1,)).detach()
        moving_var[:] = momentum * moving_var + (1 - momentum) * var.reshape((-1,)).detach()
    else:
        x_hat = (x - moving_mean.reshape((1, -1, 1, 1))) / nd.sqrt(moving_var.reshape((1, -1, 1, 1)) + eps)
    return gamma * x_hat + beta


class TutorialLeNetBN(TutorialLeNet):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        spec = self.spec

        def batch_norm(layer: str) -> Layer:
            return lambda x: batch_norm_as_written(x, p, layer, spec.momentum, spec.epsilon)

        return {**super().layer_functions(p), "bn1": batch_norm("bn1"), "bn2": batch_norm("bn2")}
