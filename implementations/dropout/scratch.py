"""The dropout MLP from raw NDArray operators in canonical layouts: `nd.Dropout` (the operator Gluon's
`nn.Dropout` runs, so the same seed draws the same mask), active only in training mode (`autograd.is_training`),
and the update rounded as Gluon rounds it: bit-identical to `gluon` given MXNet's seed."""
from __future__ import annotations

from implementations.handwritten import Layer, Scratch
from implementations.mxnet_compat import mx

nd = mx.nd


class ScratchDropout(Scratch):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        spec = self.spec

        def dense(name: str, units: int) -> Layer:
            return lambda x: nd.FullyConnected(x, p[f"{name}.weight"], p[f"{name}.bias"], num_hidden=units)

        def dropout(rate: float) -> Layer:  # (N, 256); identity outside training
            return lambda x: nd.Dropout(x, p=rate, mode="training")

        return {
            "flatten": nd.flatten,  # (N, 1, 28, 28) -> (N, 784)
            "fc1": dense("fc1", spec.hidden_units), "relu1": nd.relu, "dropout1": dropout(spec.drop1),
            "fc2": dense("fc2", spec.hidden_units), "relu2": nd.relu, "dropout2": dropout(spec.drop2),
            "fc3": dense("fc3", spec.num_classes),  # (N, 10)
        }
