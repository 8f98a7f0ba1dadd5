"""`LinearRegressionSpec`: the linear-regression chapters' model — one dense layer, features -> 1 — and their
synthetic data: inputs from N(0, 1), targets X w + b plus N(0, noise) noise, drawn from the seed. The only place its
sizes, names and true parameters are defined; imports no mxnet.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from implementations.spec_base import NetworkSpec

LAYER_ORDER = ("fc1",)
DATA_STREAM = 20_180_102  # the data's own generator stream, apart from the weights' (seeded by the seed alone)


@dataclass(frozen=True)
class LinearRegressionSpec(NetworkSpec):
    """dense features -> 1 on the chapter's data: 1,000 training examples of 2 features, true w = [2, -3.4],
    b = 4.2, noise N(0, 0.01); the test split is 1,000 more from the same distribution."""

    num_classes: int = 1  # one output per example
    features: int = 2
    train_examples: int = 1000
    test_examples: int = 1000
    true_weight: tuple[float, ...] = (2.0, -3.4)
    true_bias: float = 4.2
    noise: float = 0.01  # standard deviation of the targets' noise
    data_name: str = "the linear-regression chapter's synthetic data"

    @property
    def task(self) -> str:
        return "regression"

    @property
    def input_shape(self) -> tuple[int, ...]:
        return (self.features,)

    @property
    def input_size(self) -> int:
        return self.features

    @property
    def layer_order(self) -> tuple[str, ...]:
        return LAYER_ORDER

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        return {"fc1.weight": (1, self.features), "fc1.bias": (1,)}

    def activation_values(self) -> int:
        """The inputs and the prediction: features + 1."""
        return self.features + 1

    def flops_per_example(self) -> int:
        """2 x the multiply-adds of one dense layer: 2 * features."""
        return 2 * self.features

    def training_examples(self) -> int:
        return self.train_examples

    def true_parameters(self) -> dict[str, np.ndarray]:
        weight = np.full(self.features, self.true_weight[0]) if len(self.true_weight) == 1 else self.true_weight
        return {"fc1.weight": np.asarray(weight, dtype=np.float32).reshape(1, self.features),
                "fc1.bias": np.asarray([self.true_bias], dtype=np.float32)}

    def synthetic_data(self, seed: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
        """Inputs (N, features) from N(0, 1) and targets (N,) = X w + b + N(0, noise), float32, from `seed`."""
        generator = np.random.default_rng([DATA_STREAM, seed])
        truth = self.true_parameters()
        total = self.train_examples + self.test_examples
        inputs = generator.normal(0.0, 1.0, size=(total, self.features)).astype(np.float32)
        targets = inputs.astype(np.float64) @ truth["fc1.weight"][0].astype(np.float64) + float(truth["fc1.bias"][0])
        targets = (targets + generator.normal(0.0, self.noise, size=total)).astype(np.float32)
        split = self.train_examples
        return (inputs[:split], targets[:split]), (inputs[split:], targets[split:])
