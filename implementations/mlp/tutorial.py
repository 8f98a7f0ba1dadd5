"""The MLP exactly as the MLP-from-scratch chapter writes it (`ndarray_base.AsWritten`): `nd.dot(x, W) + b` with
fc1's weight kept (784, 256) and fc2's (256, 10), ReLU as `nd.maximum(X, 0)`, and the update as written. Not
bit-identical to `scratch` (another GEMM, another rounding of the step; ReLU's gradient at exactly 0)."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import AsWritten, Layer, relu_as_written

nd = mx.nd


class TutorialMLP(AsWritten):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        return {
            "flatten": lambda x: x.reshape((-1, self.spec.input_size)),  # the chapter's X.reshape((-1, 784))
            "fc1": lambda x: nd.dot(x, p["fc1.weight"]) + p["fc1.bias"],  # (N, 256)
            "relu1": relu_as_written,
            "fc2": lambda x: nd.dot(x, p["fc2.weight"]) + p["fc2.bias"],  # (N, 10)
        }
