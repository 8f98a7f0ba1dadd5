"""The dropout MLP as one Gluon `HybridBlock` (Dense, Activation, Dropout), trained through `GluonNetwork`;
`nn.Dropout` is active only in training mode (inside `autograd.record()`)."""
from __future__ import annotations

from implementations.dropout.spec import DropoutSpec
from implementations.gluon_network import GluonNetwork, LayeredBlock
from implementations.mxnet_compat import mx
from implementations.protocol import Devices

nn = mx.gluon.nn


class DropoutBlock(LayeredBlock):
    def __init__(self, spec: DropoutSpec) -> None:
        super().__init__(spec)
        with self.name_scope():
            self.flatten = nn.Flatten()
            self.fc1 = nn.Dense(spec.hidden_units, in_units=spec.input_size)
            self.relu1 = nn.Activation("relu")
            self.dropout1 = nn.Dropout(spec.drop1)
            self.fc2 = nn.Dense(spec.hidden_units, in_units=spec.hidden_units)
            self.relu2 = nn.Activation("relu")
            self.dropout2 = nn.Dropout(spec.drop2)
            self.fc3 = nn.Dense(spec.num_classes, in_units=spec.hidden_units)


class GluonDropout(GluonNetwork):
    def __init__(self, spec: DropoutSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, DropoutBlock(spec), hybridize)
