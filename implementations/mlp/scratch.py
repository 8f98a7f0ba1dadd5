"""The MLP from raw NDArray operators in canonical layouts (`nd.FullyConnected`, `nd.relu`), with the
hand-written update rounded as Gluon rounds it: bit-identical to `gluon` on the CPU."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import Layer, NDArrayNetwork

nd = mx.nd


class ScratchMLP(NDArrayNetwork):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        spec = self.spec
        return {
            "flatten": nd.flatten,  # (N, 1, 28, 28) -> (N, 784)
            "fc1": lambda x: nd.FullyConnected(x, p["fc1.weight"], p["fc1.bias"], num_hidden=spec.hidden_units),
            "relu1": nd.relu,  # (N, 256)
            "fc2": lambda x: nd.FullyConnected(x, p["fc2.weight"], p["fc2.bias"], num_hidden=spec.num_classes),
        }
