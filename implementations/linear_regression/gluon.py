"""Linear regression as one Gluon `HybridBlock` (`nn.Dense(1)`), trained with `gluon.Trainer` through
`GluonNetwork` and the runner's squared loss (Gluon's `L2Loss`)."""
from __future__ import annotations

from implementations.gluon_network import GluonNetwork, LayeredBlock
from implementations.linear_regression.spec import LinearRegressionSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices

nn = mx.gluon.nn


class LinearRegressionBlock(LayeredBlock):
    def __init__(self, spec: LinearRegressionSpec) -> None:
        super().__init__(spec)
        with self.name_scope():
            self.fc1 = nn.Dense(1, in_units=spec.features)  # (N, features) -> (N, 1)


class GluonLinearRegression(GluonNetwork):
    def __init__(self, spec: LinearRegressionSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, LinearRegressionBlock(spec), hybridize)
