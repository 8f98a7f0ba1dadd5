"""LeNet as one Gluon `HybridBlock` (`LeNetBlock`), trained with `gluon.Trainer('sgd')` through
`GluonNetwork`; run imperative (`gluon`) or hybridized (`gluon-hybrid`).
"""
from __future__ import annotations

from implementations.gluon_network import GluonNetwork, LayeredBlock
from implementations.lenet.spec import LeNetSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices

nn = mx.gluon.nn


class LeNetBlock(LayeredBlock):
    """The network; each layer is a child attribute named as in `spec.layer_order`, run in that order."""

    def __init__(self, spec: LeNetSpec) -> None:
        super().__init__(spec)
        pool = dict(pool_size=spec.pool_size, strides=spec.pool_size)
        with self.name_scope():
            self.conv1 = nn.Conv2D(spec.conv1_channels, spec.conv1_kernel, in_channels=spec.in_channels)
            self.relu1 = nn.Activation("relu")
            self.pool1 = nn.MaxPool2D(**pool)
            self.conv2 = nn.Conv2D(spec.conv2_channels, spec.conv2_kernel, in_channels=spec.conv1_channels)
            self.relu2 = nn.Activation("relu")
            self.pool2 = nn.MaxPool2D(**pool)
            self.flatten = nn.Flatten()  # (N, 50, 5, 5) -> (N, 1250)
            self.fc1 = nn.Dense(spec.fc1_units, in_units=spec.flatten_size)
            self.relu3 = nn.Activation("relu")
            self.fc2 = nn.Dense(spec.num_classes, in_units=spec.fc1_units)


class GluonLeNet(GluonNetwork):
    """`LeNetBlock` plus its Trainer."""

    def __init__(self, spec: LeNetSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, LeNetBlock(spec), hybridize)
