"""LeNet with batch normalization from raw NDArray operators: `nd.BatchNorm` (the operator Gluon's `BatchNorm`
runs) with the moving mean and variance as state, updated only in training mode; bit-identical to `gluon`."""
from __future__ import annotations

from implementations.lenet.scratch import ScratchLeNet
from implementations.mxnet_compat import mx
from implementations.ndarray_base import Layer

nd = mx.nd


class ScratchLeNetBN(ScratchLeNet):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        spec = self.spec

        def batch_norm(layer: str) -> Layer:  # batch statistics (and a moving-average update) only in training
            return lambda x: nd.BatchNorm(x, p[f"{layer}.gamma"], p[f"{layer}.beta"], p[f"{layer}.running_mean"],
                                          p[f"{layer}.running_var"], eps=spec.epsilon, momentum=spec.momentum,
                                          fix_gamma=False)

        return {**super().layer_functions(p), "bn1": batch_norm("bn1"), "bn2": batch_norm("bn2")}
