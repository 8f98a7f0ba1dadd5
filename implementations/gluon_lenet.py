"""LeNet as one Gluon `HybridBlock`, trained with `gluon.Trainer('sgd')`; run imperative or hybridized."""
from __future__ import annotations

from types import ModuleType
from typing import Mapping

import numpy as np

from compare.mxnet_compat import mx
from implementations.protocol import LayerTrace, LeNetSpec

nn = mx.gluon.nn


class LeNetBlock(nn.HybridBlock):
    """The network; children are registered in forward order and run in that order."""

    def __init__(self, spec: LeNetSpec) -> None:
        super().__init__()
        with self.name_scope():
            self.conv1 = nn.Conv2D(spec.conv1_channels, spec.conv1_kernel, in_channels=spec.in_channels)
            self.relu1 = nn.Activation("relu")
            self.pool1 = nn.MaxPool2D(pool_size=spec.pool_size, strides=spec.pool_size)
            self.conv2 = nn.Conv2D(spec.conv2_channels, spec.conv2_kernel, in_channels=spec.conv1_channels)
            self.relu2 = nn.Activation("relu")
            self.pool2 = nn.MaxPool2D(pool_size=spec.pool_size, strides=spec.pool_size)
            self.flatten = nn.Flatten()  # (N, 50, 5, 5) -> (N, 1250)
            self.fc1 = nn.Dense(spec.fc1_units, in_units=spec.flatten_size)
            self.relu3 = nn.Activation("relu")
            self.fc2 = nn.Dense(spec.num_classes, in_units=spec.fc1_units)

    def hybrid_forward(self, F: ModuleType, x: mx.nd.NDArray) -> mx.nd.NDArray:  # noqa: N803 (Gluon's name)
        # F is mx.nd when imperative, mx.sym when hybridized; the children handle both.
        # _children is Gluon's ordered registry of child blocks (attribute order = forward order).
        for layer in self._children.values():
            x = layer(x)
        return x


class GluonLeNet:
    """`LeNetBlock` plus its Trainer, exposing canonical parameter names (`conv1.weight`, ...)."""

    def __init__(self, spec: LeNetSpec, ctx: mx.Context, hybridize: bool) -> None:
        self.spec = spec
        self.block = LeNetBlock(spec)
        # Any initializer will do: the registry overwrites every value with the shared initial weights.
        self.block.initialize(mx.init.Zero(), ctx=ctx)
        if hybridize:
            self.block.hybridize(static_alloc=True, static_shape=True)
        self.named = {
            f"{layer}.{kind}": getattr(getattr(self.block, layer), kind)
            for layer in ("conv1", "conv2", "fc1", "fc2")
            for kind in ("weight", "bias")
        }
        self.learning_rate: float | None = None
        self.trainer = mx.gluon.Trainer(self.block.collect_params(), "sgd", {"learning_rate": 0.0})

    def forward(self, images: mx.nd.NDArray) -> mx.nd.NDArray:
        return self.block(images)

    def step(self, batch_size: int, learning_rate: float) -> None:
        if learning_rate != self.learning_rate:
            self.trainer.set_learning_rate(learning_rate)
            self.learning_rate = learning_rate
        self.trainer.step(batch_size)  # rescales the summed gradients by 1 / batch_size

    def parameters(self) -> dict[str, mx.nd.NDArray]:
        return {name: param.data() for name, param in self.named.items()}

    def gradients(self) -> dict[str, mx.nd.NDArray]:
        return {name: param.grad() for name, param in self.named.items()}

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        self.spec.check_parameters(values)
        for name, param in self.named.items():
            param.set_data(mx.nd.array(np.asarray(values[name], dtype=np.float32)))

    def shape_trace(self, images: mx.nd.NDArray) -> list[LayerTrace]:
        trace, x = [], images
        for name, layer in self.block._children.items():
            x = layer(x)
            count = sum(param.data().size for param in layer.collect_params().values())
            trace.append(LayerTrace(name, tuple(x.shape), count))
        return trace
