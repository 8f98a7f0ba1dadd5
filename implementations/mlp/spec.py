"""`MLPSpec`: the MLP chapters' network — flatten 784 -> dense 256 -> ReLU -> dense 10 — its layer order,
canonical parameter names and shapes. The only place they are defined; imports no mxnet.
"""
from __future__ import annotations

from dataclasses import dataclass

from implementations.spec_base import NetworkSpec

LAYER_ORDER = ("flatten", "fc1", "relu1", "fc2")


@dataclass(frozen=True)
class MLPSpec(NetworkSpec):
    """flatten 784 -> dense 256 -> ReLU -> dense 10."""

    hidden_units: int = 256

    @property
    def layer_order(self) -> tuple[str, ...]:
        return LAYER_ORDER

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        return {
            "fc1.weight": (self.hidden_units, self.input_size),
            "fc1.bias": (self.hidden_units,),
            "fc2.weight": (self.num_classes, self.hidden_units),
            "fc2.bias": (self.num_classes,),
        }

    def activation_values(self) -> int:
        """The image, its flattened copy, fc1 and relu1 (256 each), fc2 (10): 784 + 784 + 512 + 10."""
        return 2 * self.input_size + 2 * self.hidden_units + self.num_classes

    def elementwise_ops_per_example(self) -> int:
        """relu1 over 256 values."""
        return self.hidden_units

    def flops_per_example(self) -> int:
        """2 x multiply-adds of fc1 and fc2: 2 * (784 * 256 + 256 * 10) = 406,528."""
        return 2 * (self.input_size * self.hidden_units + self.hidden_units * self.num_classes)
