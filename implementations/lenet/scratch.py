"""LeNet from raw NDArray operators, with hand-written updates (`ndarray_base.NDArrayNetwork`): canonical layouts, the
update rounded as Gluon rounds it, so it is bit-identical to `gluon` on the CPU.

Data parallel the from-scratch way: one copy of the parameters per context, forward/backward per shard,
the gradients all-reduced by hand (`implementations.allreduce`), the same update applied to every copy.
"""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import Layer, NDArrayNetwork

nd = mx.nd


class ScratchLeNet(NDArrayNetwork):
    """The tutorial's network written with nd.Convolution / nd.Pooling / nd.FullyConnected."""

    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
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
