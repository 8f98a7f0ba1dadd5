"""Softmax regression as one Gluon `HybridBlock` (`SoftmaxBlock`: Flatten, Dense(10)), trained with
`gluon.Trainer('sgd')` and the fused `SoftmaxCrossEntropyLoss` through `GluonNetwork`."""
from __future__ import annotations

from implementations.gluon_network import GluonNetwork, LayeredBlock
from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.softmax.spec import SoftmaxSpec

nn = mx.gluon.nn


class SoftmaxBlock(LayeredBlock):
    def __init__(self, spec: SoftmaxSpec) -> None:
        super().__init__(spec)
        with self.name_scope():
            self.flatten = nn.Flatten()  # (N, 1, 28, 28) -> (N, 784)
            self.fc1 = nn.Dense(spec.num_classes, in_units=spec.input_size)


class GluonSoftmax(GluonNetwork):
    def __init__(self, spec: SoftmaxSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, SoftmaxBlock(spec), hybridize)
