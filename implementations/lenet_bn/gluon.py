"""LeNet with batch normalization as one Gluon `HybridBlock` (`nn.BatchNorm` after each convolution), trained
through `GluonNetwork`; the moving mean and variance are Gluon's running statistics, exposed as state."""
from __future__ import annotations

from typing import Mapping

import numpy as np

from implementations.gluon_network import GluonNetwork
from implementations.lenet.gluon import LeNetBlock
from implementations.lenet_bn.spec import LeNetBNSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices

nn = mx.gluon.nn


class LeNetBNBlock(LeNetBlock):
    def __init__(self, spec: LeNetBNSpec) -> None:
        super().__init__(spec)
        with self.name_scope():
            self.bn1 = nn.BatchNorm(momentum=spec.momentum, epsilon=spec.epsilon, in_channels=spec.conv1_channels)
            self.bn2 = nn.BatchNorm(momentum=spec.momentum, epsilon=spec.epsilon, in_channels=spec.conv2_channels)


class GluonLeNetBN(GluonNetwork):
    def __init__(self, spec: LeNetBNSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, LeNetBNBlock(spec), hybridize)
        self.named_state = {name: getattr(getattr(self.block, name.split(".")[0]), name.split(".")[1])
                            for name in spec.state_shapes()}

    def state(self) -> dict[str, mx.nd.NDArray]:
        return {name: param.data(self.home) for name, param in self.named_state.items()}

    def load_state(self, values: Mapping[str, np.ndarray]) -> None:
        for name, param in self.named_state.items():
            param.set_data(mx.nd.array(np.asarray(values[name], dtype=np.float32)))

