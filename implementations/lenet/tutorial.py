"""LeNet exactly as the from-scratch tutorial writes it (`ndarray_base.AsWritten`): `nd.dot(x, W) + b` with the
dense weights kept as the tutorial keeps them, (in_units, units) = (1250, 128) and (128, 10), ReLU as
`nd.maximum(X, nd.zeros_like(X))`, and the update `param[:] = param - lr * param.grad / batch_size` as written.
Not expected to be bit-identical to `scratch`. Data parallel as the book's from-scratch chapter.
"""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import AsWritten, Layer, relu_as_written

nd = mx.nd


class TutorialLeNet(AsWritten):
    """Parameters in the tutorial's layouts, keyed by canonical names."""

    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        spec = self.spec
        pool = dict(pool_type="max", kernel=(spec.pool_size,) * 2, stride=(spec.pool_size,) * 2)
        return {
            "conv1": lambda x: nd.Convolution(data=x, weight=p["conv1.weight"], bias=p["conv1.bias"],
                                              kernel=(spec.conv1_kernel,) * 2, num_filter=spec.conv1_channels),
            "relu1": relu_as_written,  # (N, 20, 24, 24)
            "pool1": lambda x: nd.Pooling(data=x, **pool),  # (N, 20, 12, 12)
            "conv2": lambda x: nd.Convolution(data=x, weight=p["conv2.weight"], bias=p["conv2.bias"],
                                              kernel=(spec.conv2_kernel,) * 2, num_filter=spec.conv2_channels),
            "relu2": relu_as_written,  # (N, 50, 10, 10)
            "pool2": lambda x: nd.Pooling(data=x, **pool),  # (N, 50, 5, 5)
            "flatten": nd.flatten,  # (N, 1250)
            "fc1": lambda x: nd.dot(x, p["fc1.weight"]) + p["fc1.bias"],  # (N, 128)
            "relu3": relu_as_written,
            "fc2": lambda x: nd.dot(x, p["fc2.weight"]) + p["fc2.bias"],  # (N, 10)
        }
