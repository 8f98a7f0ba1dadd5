"""The `Model` protocol every implementation satisfies, and `LeNetSpec`: the network's sizes and init.

This is the only place layer sizes, the layer order, canonical parameter names and the initial weights are
defined. It imports no mxnet at run time, so the CLI can read defaults from it cheaply.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Optional, Protocol

import numpy as np

if TYPE_CHECKING:
    from mxnet import Context
    from mxnet.kvstore import KVStore
    from mxnet.ndarray import NDArray

INITS = ("normal", "xavier")
# Forward order of the layers; every implementation runs (and names) its layers in this order.
LAYER_ORDER = ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2")


@dataclass(frozen=True)
class LeNetSpec:
    """conv 20@5x5 -> ReLU -> max-pool 2 -> conv 50@3x3 -> ReLU -> max-pool 2 -> 1250 -> 128 -> ReLU -> 10."""

    image_size: int = 28  # square, one channel
    in_channels: int = 1
    conv1_channels: int = 20
    conv1_kernel: int = 5
    conv2_channels: int = 50
    conv2_kernel: int = 3
    pool_size: int = 2  # max-pool window and stride
    fc1_units: int = 128
    num_classes: int = 10
    init: str = "normal"  # "normal": N(0, weight_scale); "xavier": MXNet's default Xavier (uniform, avg, 3)
    weight_scale: float = 0.01  # standard deviation of the "normal" init (the tutorial's 0.01)

    def __post_init__(self) -> None:
        if self.init not in INITS:
            raise ValueError(f"unknown init {self.init!r}; valid: {', '.join(INITS)}")
        if not (math.isfinite(self.weight_scale) and self.weight_scale > 0):
            raise ValueError(f"weight scale must be a positive number, got {self.weight_scale}")

    @property
    def pooled2_size(self) -> int:
        """Side of the feature map after the second pool: 28 -> 24 -> 12 -> 10 -> 5."""
        side = (self.image_size - self.conv1_kernel + 1) // self.pool_size
        return (side - self.conv2_kernel + 1) // self.pool_size

    @property
    def flatten_size(self) -> int:
        """Inputs of fc1: 50 * 5 * 5 = 1250."""
        return self.conv2_channels * self.pooled2_size**2

    def activation_values(self) -> int:
        """Values one example puts through the network: the image and every layer's output (38,686 + 784)."""
        conv1_side = self.image_size - self.conv1_kernel + 1  # 24
        pool1_side = conv1_side // self.pool_size  # 12
        conv2_side = pool1_side - self.conv2_kernel + 1  # 10
        conv1 = self.conv1_channels * conv1_side**2  # conv1 and relu1
        pool1 = self.conv1_channels * pool1_side**2
        conv2 = self.conv2_channels * conv2_side**2  # conv2 and relu2
        dense = self.fc1_units * 2 + self.num_classes  # fc1, relu3, fc2
        return self.in_channels * self.image_size**2 + 2 * conv1 + pool1 + 2 * conv2 + 2 * self.flatten_size + dense

    @property
    def layer_order(self) -> tuple[str, ...]:
        """Layer names in forward order: conv1, relu1, pool1, ..., fc2."""
        return LAYER_ORDER

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        """Canonical names and Gluon's layouts: conv (out, in, kh, kw), dense (units, in_units)."""
        return {
            "conv1.weight": (self.conv1_channels, self.in_channels, self.conv1_kernel, self.conv1_kernel),
            "conv1.bias": (self.conv1_channels,),
            "conv2.weight": (self.conv2_channels, self.conv1_channels, self.conv2_kernel, self.conv2_kernel),
            "conv2.bias": (self.conv2_channels,),
            "fc1.weight": (self.fc1_units, self.flatten_size),
            "fc1.bias": (self.fc1_units,),
            "fc2.weight": (self.num_classes, self.fc1_units),
            "fc2.bias": (self.num_classes,),
        }

    def initial_parameters(self, seed: int) -> dict[str, np.ndarray]:
        """Float32 weights drawn once, in canonical order, from a generator seeded by `seed`; zero biases."""
        generator = np.random.default_rng(seed)
        values = {}
        for name, shape in self.parameter_shapes().items():
            if name.endswith(".bias"):
                values[name] = np.zeros(shape, dtype=np.float32)
            elif self.init == "normal":
                values[name] = generator.normal(0.0, self.weight_scale, size=shape).astype(np.float32)
            else:
                receptive = int(np.prod(shape[2:], dtype=np.int64))
                fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
                bound = math.sqrt(3.0 / ((fan_in + fan_out) / 2.0))
                values[name] = generator.uniform(-bound, bound, size=shape).astype(np.float32)
        return values

    def check_parameters(self, values: Mapping[str, object]) -> None:
        """Raise ValueError unless `values` has exactly the canonical names with the right shapes."""
        expected = self.parameter_shapes()
        missing = sorted(set(expected) - set(values))
        unexpected = sorted(set(values) - set(expected))
        if missing or unexpected:
            raise ValueError(f"parameter names differ: missing {missing}, unexpected {unexpected}")
        for name, shape in expected.items():
            actual = tuple(values[name].shape)  # type: ignore[attr-defined]
            if actual != shape:
                raise ValueError(f"{name}: shape {actual}, expected {shape}")


@dataclass(frozen=True)
class Devices:
    """Where a model lives: one replica of the parameters per context, and who else sums gradients with it.

    A factory is called as `factory(spec, devices)`. With one context and no `store` this is plain
    single-device training (`devices.context` is all a single-device implementation needs).
    """

    contexts: tuple["Context", ...]  # at least one; the first is the home context
    kvstore: str = "device"  # device or local: Gluon's Trainer KVStore in one process (dist_sync: `store` is used)
    # under `compare launch`: the dist_sync KVStore joining the worker processes, seen through this model's own
    # key range (keys 0, 1, 2, ...; a KVStoreBase, so a Gluon Trainer takes it as it is)
    store: Optional["KVStore"] = None

    @property
    def context(self) -> "Context":
        """The home context: `parameters()` and `gradients()` read the replica there."""
        return self.contexts[0]

    @property
    def data_parallel(self) -> bool:
        """True when gradients must be summed across contexts or processes."""
        return len(self.contexts) > 1 or self.store is not None


class Model(Protocol):
    """What the runner needs of an implementation; the runner owns recording, the loss and metrics.

    Data parallel (several contexts, or a dist_sync `store`): the runner calls `forward` once per context
    with that context's shard of the batch, and `step` once with the global batch size. An implementation
    that supports this sets the class attribute `data_parallel = True`; others are refused a device list.
    The two attributes are optional: `supports_data_parallel` and `summed_by` read them with their defaults.
    """

    data_parallel: bool  # optional, default False: it sums gradients over several contexts and workers
    gradients_summed_by: str  # optional: how, in its own words, for the bench's scaling table

    def forward(self, images: NDArray) -> NDArray:
        """Logits (N, num_classes) for images (N, 1, 28, 28) on any of the model's contexts, computed by
        the replica on the images' context; records a graph under autograd.record()."""

    def step(self, batch_size: int, learning_rate: float) -> None:
        """Sum the gradients over the contexts (and the store's workers), then one SGD update on every
        replica: w -= learning_rate * summed_grad / batch_size, `batch_size` being the global batch."""

    def parameters(self) -> dict[str, NDArray]:
        """The live parameter arrays of the home replica, keyed by canonical name."""

    def gradients(self) -> dict[str, NDArray]:
        """The home replica's gradients, keyed by canonical name: after `step`, summed over every shard."""

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        """Overwrite every parameter of every replica with `values` (canonical names, canonical shapes)."""

    def layer_outputs(self, images: NDArray) -> list[tuple[str, NDArray]]:
        """Each layer's name and output for `images`, in forward order (the last output is the logits)."""


def supports_data_parallel(model: object) -> bool:
    """The model's `data_parallel` declaration (False where it makes none): the one place it is read."""
    return getattr(model, "data_parallel", False) is True


def summed_by(model: object) -> str:
    """The model's `gradients_summed_by` words ('' where it says nothing): the one place they are read."""
    return str(getattr(model, "gradients_summed_by", ""))
