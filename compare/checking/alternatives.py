"""Correct formulations that compute something other than scratch's operators at a few points, recognised by what
they compute: the reference rebuilt with one legitimate choice changed — ReLU as maximum(x, 0), whose gradient at
exactly 0 is 1, and max pooling written as the pooling chapter writes it (a reshape and a max), whose gradient
reaches every tied maximum of a window where nd.Pooling gives it to one — and dropout with the learner's own
masks, where it draws them otherwise than the Dropout operator. An implementation within float32's noise of such a
twin is correct, and passes with the difference named."""
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from implementations.mxnet_compat import mx
from implementations.ndarray_base import Layer, NDArrayNetwork, relu_as_written
from implementations.protocol import Devices
from implementations.spec_base import NetworkSpec

nd = mx.nd


def pooled_by_reshape(size: int) -> Layer:
    """The pooling chapter's max pooling: (N, C, H, W) -> (N, C, H/size, size, W/size, size) -> max over the
    windows; autograd sends a window's gradient to every input equal to its maximum."""
    def pool(x: nd.NDArray) -> nd.NDArray:
        n, c, h, w = x.shape
        return x.reshape((n, c, h // size, size, w // size, size)).max(axis=(3, 5))
    return pool


@dataclass(frozen=True)
class Alternative:
    """One legitimate choice: which layers it replaces (by kind) and what it replaces them with."""

    name: str
    cause: str
    kind: str  # the layers it replaces: names starting with this ("relu", "pool")
    layer: Callable[[NetworkSpec], Layer]


ALTERNATIVES = (
    Alternative("relu as maximum(x, 0)",
                "its ReLU is maximum(x, 0) (the MLP chapter's), whose gradient at exactly 0 is 1 where relu's is 0: "
                "conv outputs on Fashion-MNIST's black background are exactly 0, so bias gradients and then weights "
                "differ there", "relu", lambda spec: relu_as_written),
    Alternative("max pooling by reshape and max",
                "its max pooling is the pooling chapter's reshape and max, whose gradient reaches every tied "
                "maximum of a window where nd.Pooling gives it to one: windows of the black background tie, so the "
                "gradients before the pooling differ there", "pool",
                lambda spec: pooled_by_reshape(getattr(spec, "pool_size", 2))),
)


def alternative_factory(reference: object, choices: tuple[Alternative, ...]) -> Optional[Callable[..., NDArrayNetwork]]:
    """The reference (a hand-written `NDArrayNetwork` class) rebuilt with `choices`; None where it is not one or has no
    layer of their kinds."""
    if not (isinstance(reference, type) and issubclass(reference, NDArrayNetwork)):
        return None

    class WithAlternative(reference):  # type: ignore[misc, valid-type]
        def layer_functions(self, params: dict) -> dict:
            layers = super().layer_functions(params)
            for choice in choices:
                layers.update({name: choice.layer(self.spec) for name in layers if name.startswith(choice.kind)})
            return layers

    def build(spec: NetworkSpec, devices: Devices, **options: object) -> NDArrayNetwork:
        return WithAlternative(spec, devices, **options)

    return build


def applicable(spec: NetworkSpec) -> list[tuple[Alternative, ...]]:
    """Each alternative alone, then both together, where the network has layers of their kinds."""
    present = [choice for choice in ALTERNATIVES if any(name.startswith(choice.kind) for name in spec.layer_order)]
    combinations = [(choice,) for choice in present]
    return combinations + ([tuple(present)] if len(present) > 1 else [])


def with_masks(reference: object, masks: list[dict[str, np.ndarray]]) -> Optional[Callable[..., NDArrayNetwork]]:
    """The reference (a hand-written class) with each dropout layer applying the given masks, step by step, in
    place of its own draws: what it computes with the learner's randomness. Outside training, the identity."""
    if not (isinstance(reference, type) and issubclass(reference, NDArrayNetwork)):
        return None

    class WithMasks(reference):  # type: ignore[misc, valid-type]
        def layer_functions(self, params: dict) -> dict:
            layers = super().layer_functions(params)
            drawn = {name: iter([step[name] for step in masks]) for name in masks[0]} if masks else {}

            def applied(name: str, keep: float) -> Layer:
                def dropout(x: nd.NDArray) -> nd.NDArray:
                    if not mx.autograd.is_training():
                        return x
                    mask = next(drawn[name])  # (N, units) of this step's batch
                    return x * nd.array(mask, ctx=x.context, dtype=x.dtype) / keep
                return dropout

            rates = self.spec.drop_rates
            layers.update({name: applied(name, 1 - rates[name]) for name in drawn if name in rates})
            return layers

    def build(spec: NetworkSpec, devices: Devices, **options: object) -> NDArrayNetwork:
        return WithMasks(spec, devices, **options)

    return build
