"""`LeNetSpec`: LeNet's sizes, layer order, canonical parameter names and shapes, and its initial weights —
the only place they are defined. Imports no mxnet, so the CLI can read defaults from it cheaply.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

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
