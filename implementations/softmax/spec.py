"""`SoftmaxSpec`: the softmax-regression chapters' network — flatten 784 -> dense 10 — with the chapter's start,
weights and biases both drawn from N(0, 1). The only place its sizes and names are defined; imports no mxnet.
"""
from __future__ import annotations

from dataclasses import dataclass

from implementations.spec_base import NetworkSpec

LAYER_ORDER = ("flatten", "fc1")


@dataclass(frozen=True)
class SoftmaxSpec(NetworkSpec):
    """flatten 784 -> dense 10 (the logits; the softmax is in the loss)."""

    weight_scale: float = 1.0
    normal_biases: bool = True

    @property
    def layer_order(self) -> tuple[str, ...]:
        return LAYER_ORDER

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        return {"fc1.weight": (self.num_classes, self.input_size), "fc1.bias": (self.num_classes,)}

    def activation_values(self) -> int:
        """The image, its flattened copy, the logits: 784 + 784 + 10."""
        return 2 * self.input_size + self.num_classes

    def flops_per_example(self) -> int:
        """2 x the multiply-adds of one dense layer: 2 * 784 * 10 = 15,680."""
        return 2 * self.input_size * self.num_classes
