"""The dropout MLP as the dropout-from-scratch chapter writes it (`ndarray_base.AsWritten`): `nd.dot` layouts,
ReLU as `maximum(X, 0)`, and its own dropout — `mask = nd.random.uniform(0, 1, X.shape) < keep`, then
`mask * X / keep`, applied only while `autograd.is_training()` — with the update as written. Its masks are
drawn another way than the Dropout operator's, so its training steps differ from Gluon's by design."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.ndarray_base import AsWritten, Layer, relu_as_written

nd = mx.nd


def dropout_as_written(x: nd.NDArray, drop: float) -> nd.NDArray:
    if not mx.autograd.is_training():
        return x
    keep = 1 - drop
    mask = nd.random.uniform(0, 1, x.shape, ctx=x.context) < keep
    # the chapter's float32 mask; in check's float64 twin the same draws, cast (a no-op in float32)
    return mask.astype(x.dtype) * x / keep


class TutorialDropout(AsWritten):
    def layer_functions(self, p: dict[str, nd.NDArray]) -> dict[str, Layer]:
        spec = self.spec
        return {
            "flatten": lambda x: x.reshape((-1, spec.input_size)),
            "fc1": lambda x: nd.dot(x, p["fc1.weight"]) + p["fc1.bias"],
            "relu1": relu_as_written,
            "dropout1": lambda x: dropout_as_written(x, spec.drop1),
            "fc2": lambda x: nd.dot(x, p["fc2.weight"]) + p["fc2.bias"],
            "relu2": relu_as_written,
            "dropout2": lambda x: dropout_as_written(x, spec.drop2),
            "fc3": lambda x: nd.dot(x, p["fc3.weight"]) + p["fc3.bias"],
        }
