"""The dropout MLP from raw NDArray operators in canonical layouts: `nd.Dropout` (the operator Gluon's
`nn.Dropout` runs, so the same seed draws the same mask), active only in training mode (`autograd.is_training`),
and the update rounded as Gluon rounds it: bit-identical to `gluon` given MXNet's seed."""
from __future__ import annotations

import numpy as np

from implementations.mxnet_compat import mx
from implementations.ndarray_base import Layer, NDArrayNetwork

nd = mx.nd


class ScratchDropout(NDArrayNetwork):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        spec = self.spec

        def dense(name: str, units: int) -> Layer:
            return lambda x: nd.FullyConnected(x, p[f"{name}.weight"], p[f"{name}.bias"], num_hidden=units)

        def dropout(rate: float) -> Layer:  # (N, 256); identity outside training
            if self.dtype == np.float32:
                return lambda x: nd.Dropout(x, p=rate, mode="training")
            # float64 (check's reference for float32's noise): the operator's float32 mask (its draws depend on
            # the dtype), applied in float64; x * mask is what the operator computes
            return lambda x: x * nd.Dropout(nd.ones(x.shape, ctx=x.context), p=rate, mode="training").astype(x.dtype)

        return {
            "flatten": nd.flatten,  # (N, 1, 28, 28) -> (N, 784)
            "fc1": dense("fc1", spec.hidden_units), "relu1": nd.relu, "dropout1": dropout(spec.drop1),
            "fc2": dense("fc2", spec.hidden_units), "relu2": nd.relu, "dropout2": dropout(spec.drop2),
            "fc3": dense("fc3", spec.num_classes),  # (N, 10)
        }
