"""The MLP as one Gluon `HybridBlock` (`MLPBlock`: Flatten, Dense, Activation, Dense), trained with
`gluon.Trainer('sgd')` through `GluonNetwork`; run imperative (`gluon`) or hybridized (`gluon-hybrid`)."""
from __future__ import annotations

from implementations.gluon_network import GluonNetwork, LayeredBlock
from implementations.mlp.spec import MLPSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices

nn = mx.gluon.nn


class MLPBlock(LayeredBlock):
    def __init__(self, spec: MLPSpec) -> None:
        super().__init__(spec)
        with self.name_scope():
            self.flatten = nn.Flatten()  # (N, 1, 28, 28) -> (N, 784)
            self.fc1 = nn.Dense(spec.hidden_units, in_units=spec.input_size)
            self.relu1 = nn.Activation("relu")
            self.fc2 = nn.Dense(spec.num_classes, in_units=spec.hidden_units)


class GluonMLP(GluonNetwork):
    def __init__(self, spec: MLPSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, MLPBlock(spec), hybridize)
