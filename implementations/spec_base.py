"""What every model's spec shares: its task and input (classification of (N, in_channels, image_size,
image_size) Fashion-MNIST images into num_classes, unless a spec says otherwise), how its weights are drawn (once
per seed, in canonical order, zero biases) and the check on a parameter dict. A model's own spec
(`implementations/<model>/spec.py`) adds its sizes, layer order and parameter shapes. Imports no mxnet.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Optional

import numpy as np

INITS = ("normal", "xavier")


@dataclass(frozen=True)
class NetworkSpec:
    """The common part of a model's spec; subclasses define `layer_order`, `parameter_shapes`,
    `activation_values` and `flops_per_example`."""

    image_size: int = 28  # square
    in_channels: int = 1
    num_classes: int = 10
    init: str = "normal"  # "normal": N(0, weight_scale); "xavier": MXNet's default Xavier (uniform, avg, 3)
    weight_scale: float = 0.01  # standard deviation of the "normal" init
    normal_biases: bool = False  # biases drawn like the weights (the softmax chapter's b ~ N(0, 1)), else zero

    def __post_init__(self) -> None:
        check_init(self.init, self.weight_scale)

    @property
    def task(self) -> str:
        """'classification' (outputs are logits over num_classes; accuracy is measured) or 'regression' (one
        output per example, squared loss; no accuracy)."""
        return "classification"

    @property
    def input_shape(self) -> tuple[int, ...]:
        """One example's shape: (1, 28, 28) for Fashion-MNIST's images."""
        return (self.in_channels, self.image_size, self.image_size)

    @property
    def output_name(self) -> str:
        """What forward's outputs are called, in messages and check's rows: logits, or a regression's predictions."""
        return "logits" if self.task == "classification" else "predictions"

    @property
    def outputs(self) -> int:
        """Values forward returns per example: the class scores (logits), or the one prediction of a regression."""
        return self.num_classes

    def synthetic_data(self, seed: int) -> "Optional[tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]]":
        """((train inputs, targets), (test inputs, targets)) a spec draws itself from `seed`; None: Fashion-MNIST."""
        return None

    def training_examples(self) -> Optional[int]:
        """How many training examples a spec that draws its own data draws (None: Fashion-MNIST's, read from files)."""
        return None

    def true_parameters(self) -> dict[str, np.ndarray]:
        """The parameters the data was generated with, where it was (regression on synthetic data); else {}."""
        return {}

    @property
    def input_size(self) -> int:
        """Values in one image: 1 * 28 * 28 = 784 (what a dense first layer takes, flattened)."""
        return self.in_channels * self.image_size**2

    @property
    def layer_order(self) -> tuple[str, ...]:
        """Layer names in forward order; every implementation runs (and names) its layers in this order."""
        raise NotImplementedError

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        """Canonical names and Gluon's layouts: conv (out, in, kh, kw), dense (units, in_units)."""
        raise NotImplementedError

    def activation_values(self) -> int:
        """Values one example puts through the network: the image and every layer's output."""
        raise NotImplementedError

    def flops_per_example(self) -> int:
        """Floating-point operations of one example's forward pass through the convolutions and dense layers
        (a multiply-add counts two); pooling and activations are not counted."""
        raise NotImplementedError

    def first_layer_flops(self) -> int:
        """The first layer's share of `flops_per_example`; a dense first layer's by default, 2 x its weights."""
        first = next(name for name in self.parameter_shapes() if name.endswith(".weight"))
        return 2 * int(np.prod(self.parameter_shapes()[first]))

    def training_flops_per_example(self) -> int:
        """One example's training step through the convolutions and dense layers: the forward pass, then the
        weight gradient (as many multiply-adds as the forward) and the input gradient (as many again, but none
        for the first layer, whose input is the image): 3 x forward - the first layer's."""
        return 3 * self.flops_per_example() - self.first_layer_flops()

    def elementwise_ops_per_example(self) -> int:
        """Pooling and activation operations of one forward pass (a max over a window counts each value it
        reads, a ReLU one per value), counted apart from the FLOPs; none by default."""
        return 0

    @property
    def drop_rates(self) -> dict[str, float]:
        """Each dropout layer's drop probability, by layer name (none in most networks)."""
        return {}

    def state_shapes(self) -> dict[str, tuple[int, ...]]:
        """State that is not a parameter (batch norm's moving mean and variance), by canonical name."""
        return {}

    def initial_state(self) -> dict[str, np.ndarray]:
        """The state every implementation starts from: zeros (the batch-norm chapter's moving averages)."""
        return {name: np.zeros(shape, dtype=np.float32) for name, shape in self.state_shapes().items()}

    def parameter_count(self) -> int:
        return sum(int(np.prod(shape)) for shape in self.parameter_shapes().values())

    def initial_parameters(self, seed: int) -> dict[str, np.ndarray]:
        """Float32 weights drawn once, in canonical order, from a generator seeded by `seed`; zero biases unless
        the spec draws them too."""
        return draw_parameters(self.parameter_shapes(), seed, self.init, self.weight_scale, self.normal_biases)

    def check_parameters(self, values: Mapping[str, object]) -> None:
        """Raise ValueError unless `values` has exactly the canonical names with the right shapes."""
        check_parameter_values(self.parameter_shapes(), values)


def check_init(init: str, weight_scale: float) -> None:
    """Raise ValueError for an unknown init or a weight scale that is not a positive number."""
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; valid: {', '.join(INITS)}")
    if not (math.isfinite(weight_scale) and weight_scale > 0):
        raise ValueError(f"weight scale must be a positive number, got {weight_scale}")


def draw_parameters(shapes: Mapping[str, tuple[int, ...]], seed: int, init: str = "normal",
                    weight_scale: float = 0.01, normal_biases: bool = False) -> dict[str, np.ndarray]:
    """Float32 values for `shapes`, drawn in their order from a generator seeded by `seed`: weights from N(0,
    weight_scale) or MXNet's default Xavier (uniform, avg, 3), biases (names ending in `bias`) zero unless
    `normal_biases` draws them like the weights."""
    generator = np.random.default_rng(seed)
    values = {}
    for name, shape in shapes.items():
        if name.endswith("bias") and not (normal_biases and init == "normal"):
            values[name] = np.zeros(shape, dtype=np.float32)
        elif init == "normal":
            values[name] = generator.normal(0.0, weight_scale, size=shape).astype(np.float32)
        else:
            receptive = int(np.prod(shape[2:], dtype=np.int64))
            fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
            bound = math.sqrt(3.0 / ((fan_in + fan_out) / 2.0))
            values[name] = generator.uniform(-bound, bound, size=shape).astype(np.float32)
    return values


def check_parameter_values(expected: Mapping[str, tuple[int, ...]], values: Mapping[str, object]) -> None:
    """Raise ValueError unless `values` has exactly the names of `expected`, each with its shape."""
    missing = sorted(set(expected) - set(values))
    unexpected = sorted(set(values) - set(expected))
    if missing or unexpected:
        raise ValueError(f"parameter names differ: missing {missing}, unexpected {unexpected}")
    for name, shape in expected.items():
        actual = tuple(values[name].shape)  # type: ignore[attr-defined]
        if actual != shape:
            raise ValueError(f"{name}: shape {actual}, expected {shape}")
