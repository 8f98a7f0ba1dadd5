"""LeNet from raw NDArray operators, with hand-written SGD. Parameters live in one name-keyed dict per context.

Data parallel the from-scratch way: one copy of the parameters per context, forward/backward per shard,
the gradients all-reduced by hand (`implementations.allreduce`), the same update applied to every copy.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from implementations.allreduce import Replicas
from implementations.lenet.spec import LeNetSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices

nd = mx.nd


class ScratchLeNet:
    """The tutorial's network written with nd.Convolution / nd.Pooling / nd.FullyConnected."""

    data_parallel = True

    def __init__(self, spec: LeNetSpec, devices: Devices, dtype: type = np.float32) -> None:
        self.spec, self.dtype = spec, dtype  # float64 only for finite-difference tests
        self.replicas = Replicas(spec.parameter_shapes(), devices, dtype)
        self.params = self.replicas.home  # what parameters() and gradients() show
        self.layers = {ctx: [(name, self._layer_functions(params)[name]) for name in spec.layer_order]
                       for ctx, params in self.replicas.items()}
        self.gradients_summed_by = self.replicas.summed_by

    def _layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Callable[[nd.NDArray], nd.NDArray]]:
        """Each layer's function over the parameters `p`, by name; the spec gives the order."""
        spec = self.spec
        pool = dict(pool_type="max", kernel=(spec.pool_size,) * 2, stride=(spec.pool_size,) * 2)
        return {
            "conv1": lambda x: nd.Convolution(x, p["conv1.weight"], p["conv1.bias"],  # (N, 1, 28, 28) -> (N, 20, 24, 24)
                                              kernel=(spec.conv1_kernel,) * 2, num_filter=spec.conv1_channels),
            "relu1": nd.relu,
            "pool1": lambda x: nd.Pooling(x, **pool),  # -> (N, 20, 12, 12)
            "conv2": lambda x: nd.Convolution(x, p["conv2.weight"], p["conv2.bias"],  # -> (N, 50, 10, 10)
                                              kernel=(spec.conv2_kernel,) * 2, num_filter=spec.conv2_channels),
            "relu2": nd.relu,
            "pool2": lambda x: nd.Pooling(x, **pool),  # -> (N, 50, 5, 5)
            "flatten": nd.flatten,  # -> (N, 1250)
            "fc1": lambda x: nd.FullyConnected(x, p["fc1.weight"], p["fc1.bias"], num_hidden=spec.fc1_units),
            "relu3": nd.relu,  # (N, 128)
            "fc2": lambda x: nd.FullyConnected(x, p["fc2.weight"], p["fc2.bias"], num_hidden=spec.num_classes),
        }

    def forward(self, images: nd.NDArray) -> nd.NDArray:
        x = images
        for _, layer in self.layers[images.context]:  # the replica on the shard's context
            x = layer(x)
        return x

    def step(self, batch_size: int, learning_rate: float) -> None:
        # w -= lr * grad / n, written as one float32 step size lr * (1 / n) times the gradient: that is
        # how Gluon's sgd_update rounds, so the two stay bit-identical over a whole run. (`lr * grad / n`
        # differs by ~1e-9 per step, and the first epoch's plateau amplifies that into visible drift.)
        # In place, so the arrays keep their attached gradients; `batch_size` is the batch's true size.
        step_size = float(np.float32(learning_rate) * np.float32(1.0 / batch_size))
        self.replicas.allreduce_gradients()
        for params in self.replicas.values():
            for array in params.values():
                array -= step_size * array.grad

    def parameters(self) -> dict[str, nd.NDArray]:
        return dict(self.params)

    def gradients(self) -> dict[str, nd.NDArray]:
        return {name: array.grad for name, array in self.params.items()}

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        self.spec.check_parameters(values)
        for params in self.replicas.values():
            for name, array in params.items():
                array[:] = np.asarray(values[name], dtype=self.dtype)

    def layer_outputs(self, images: nd.NDArray) -> list[tuple[str, nd.NDArray]]:
        outputs, x = [], images
        for name, layer in self.layers[images.context]:
            x = layer(x)
            outputs.append((name, x))
        return outputs
