"""What is read off a model besides its training: each layer's output shape and parameters, its predictions, and
its learned parameters against the ones the data was drawn from. Prints nothing."""
import numpy as np

from compare.results.types import LayerTrace
from implementations.mxnet_compat import mx
from implementations.protocol import Model


def shape_trace(model: Model, images: "mx.nd.NDArray") -> list[LayerTrace]:
    """Each layer's output shape (from `layer_outputs`) and parameter count (from `parameters`, by prefix)."""
    counts: dict[str, int] = {}
    for name, array in model.parameters().items():
        layer = name.split(".")[0]
        counts[layer] = counts.get(layer, 0) + int(array.size)
    return [LayerTrace(name, tuple(output.shape), counts.get(name, 0)) for name, output in model.layer_outputs(images)]


def parameter_errors(model: Model, truth: dict[str, np.ndarray]) -> dict[str, float]:
    """max |learned - true| of each parameter the data was generated with ({} where it was not)."""
    if not truth:
        return {}
    learned = model.parameters()
    return {name: float(np.abs(learned[name].asnumpy().astype(np.float64) - value).max())
            for name, value in truth.items()}


def predict(model: Model, images: "mx.nd.NDArray") -> list[int]:
    """Predicted class of each image."""
    return [int(c) for c in model.forward(images).argmax(axis=1).asnumpy()]
