"""Linear regression from raw NDArray operators in the canonical layout (`nd.FullyConnected`, weight (1, features)),
trained with the runner's squared loss and the shared hand-written updates; bit-identical to `gluon` under SGD."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import Layer, NDArrayNetwork

nd = mx.nd


class ScratchLinearRegression(NDArrayNetwork):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        return {"fc1": lambda x: nd.FullyConnected(x, p["fc1.weight"], p["fc1.bias"], num_hidden=1)}  # (N, 1)
