"""`DropoutSpec`: the dropout chapters' network — flatten 784 -> dense 256 -> ReLU -> dropout 0.2 -> dense 256
-> ReLU -> dropout 0.5 -> dense 10 — its layer order, canonical names and shapes, and its drop rates. The only
place they are defined; imports no mxnet.
"""
from __future__ import annotations

from dataclasses import dataclass

from implementations.spec_base import NetworkSpec

LAYER_ORDER = ("flatten", "fc1", "relu1", "dropout1", "fc2", "relu2", "dropout2", "fc3")


@dataclass(frozen=True)
class DropoutSpec(NetworkSpec):
    """flatten 784 -> 256 ReLU -> dropout 0.2 -> 256 ReLU -> dropout 0.5 -> 10."""

    hidden_units: int = 256
    drop1: float = 0.2  # the probability a unit is dropped in training; kept ones are scaled by 1 / (1 - drop)
    drop2: float = 0.5

    @property
    def layer_order(self) -> tuple[str, ...]:
        return LAYER_ORDER

    @property
    def drop_rates(self) -> dict[str, float]:
        """Each dropout layer's drop probability, by layer name."""
        return {"dropout1": self.drop1, "dropout2": self.drop2}

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        return {
            "fc1.weight": (self.hidden_units, self.input_size), "fc1.bias": (self.hidden_units,),
            "fc2.weight": (self.hidden_units, self.hidden_units), "fc2.bias": (self.hidden_units,),
            "fc3.weight": (self.num_classes, self.hidden_units), "fc3.bias": (self.num_classes,),
        }

    def activation_values(self) -> int:
        """The image and its flattened copy, six hidden outputs of 256 (fc, relu, dropout twice), the logits."""
        return 2 * self.input_size + 6 * self.hidden_units + self.num_classes

    def elementwise_ops_per_example(self) -> int:
        """Two ReLUs and two dropout masks over 256 values each."""
        return 4 * self.hidden_units

    def flops_per_example(self) -> int:
        """2 x the multiply-adds of fc1, fc2 and fc3."""
        return 2 * (self.input_size * self.hidden_units + self.hidden_units**2 + self.hidden_units * self.num_classes)
