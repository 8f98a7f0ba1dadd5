"""Softmax regression from raw NDArray operators in canonical layouts (`nd.FullyConnected`), trained with the
runner's fused softmax cross-entropy and the update rounded as Gluon rounds it: bit-identical to `gluon`."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import Layer, NDArrayNetwork

nd = mx.nd


class ScratchSoftmax(NDArrayNetwork):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        return {
            "flatten": nd.flatten,  # (N, 1, 28, 28) -> (N, 784)
            "fc1": lambda x: nd.FullyConnected(x, p["fc1.weight"], p["fc1.bias"], num_hidden=self.spec.num_classes),
        }
