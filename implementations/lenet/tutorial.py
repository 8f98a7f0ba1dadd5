"""LeNet exactly as the from-scratch tutorial writes it: `nd.dot(x, W) + b`, its weight layouts, its update.

Dense weights are kept as the tutorial keeps them, (in_units, units) = (1250, 128) and (128, 10), and
converted to and from the canonical (units, in_units) layout only at the protocol's edges. ReLU is the
tutorial's `nd.maximum(X, nd.zeros_like(X))`; the update is its `param[:] = param - lr * param.grad`, with
the gradient divided by the batch size as written. Not expected to be bit-identical to `scratch`.
Data parallel as the book's from-scratch chapter: a parameter copy per context, gradients all-reduced by hand.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from implementations.allreduce import Replicas
from implementations.lenet.spec import LeNetSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices

nd = mx.nd
DENSE = ("fc1.weight", "fc2.weight")  # stored transposed: (in_units, units)


def relu(x: nd.NDArray) -> nd.NDArray:
    return nd.maximum(x, nd.zeros_like(x))


class TutorialLeNet:
    """Parameters in the tutorial's layouts, keyed by canonical names; the network is one function."""

    data_parallel = True

    def __init__(self, spec: LeNetSpec, devices: Devices) -> None:
        self.spec = spec
        shapes = {name: shape[::-1] if name in DENSE else shape for name, shape in spec.parameter_shapes().items()}
        self.replicas = Replicas(shapes, devices)
        self.params = self.replicas.home
        self.gradients_summed_by = self.replicas.summed_by

    def layer_outputs(self, images: nd.NDArray) -> list[tuple[str, nd.NDArray]]:
        p, spec = self.replicas[images.context], self.spec
        pool = dict(pool_type="max", kernel=(spec.pool_size,) * 2, stride=(spec.pool_size,) * 2)
        outputs = []
        h1_conv = nd.Convolution(data=images, weight=p["conv1.weight"], bias=p["conv1.bias"],
                                 kernel=(spec.conv1_kernel,) * 2, num_filter=spec.conv1_channels)
        outputs.append(("conv1", h1_conv))  # (N, 20, 24, 24)
        outputs.append(("relu1", relu(h1_conv)))
        outputs.append(("pool1", nd.Pooling(data=outputs[-1][1], **pool)))  # (N, 20, 12, 12)
        h2_conv = nd.Convolution(data=outputs[-1][1], weight=p["conv2.weight"], bias=p["conv2.bias"],
                                 kernel=(spec.conv2_kernel,) * 2, num_filter=spec.conv2_channels)
        outputs.append(("conv2", h2_conv))  # (N, 50, 10, 10)
        outputs.append(("relu2", relu(h2_conv)))
        outputs.append(("pool2", nd.Pooling(data=outputs[-1][1], **pool)))  # (N, 50, 5, 5)
        outputs.append(("flatten", nd.flatten(outputs[-1][1])))  # (N, 1250)
        outputs.append(("fc1", nd.dot(outputs[-1][1], p["fc1.weight"]) + p["fc1.bias"]))  # (N, 128)
        outputs.append(("relu3", relu(outputs[-1][1])))
        outputs.append(("fc2", nd.dot(outputs[-1][1], p["fc2.weight"]) + p["fc2.bias"]))  # (N, 10)
        return outputs

    def forward(self, images: nd.NDArray) -> nd.NDArray:
        return self.layer_outputs(images)[-1][1]

    def step(self, batch_size: int, learning_rate: float) -> None:
        self.replicas.allreduce_gradients()
        for params in self.replicas.values():
            for param in params.values():
                param[:] = param - learning_rate * param.grad / batch_size

    def _canonical(self, name: str, array: nd.NDArray) -> nd.NDArray:
        return array.T if name in DENSE else array

    def parameters(self) -> dict[str, nd.NDArray]:
        """Canonical layouts; the dense weights are transposed copies."""
        return {name: self._canonical(name, array) for name, array in self.params.items()}

    def gradients(self) -> dict[str, nd.NDArray]:
        return {name: self._canonical(name, array.grad) for name, array in self.params.items()}

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        self.spec.check_parameters(values)
        for params in self.replicas.values():
            for name, array in params.items():
                value = np.asarray(values[name], dtype=np.float32)
                array[:] = value.T if name in DENSE else value
