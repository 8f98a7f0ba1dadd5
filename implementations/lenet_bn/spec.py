"""`LeNetBNSpec`: LeNet with batch normalization after each convolution, before its ReLU — its layer order,
parameters (with each normalization's scale `gamma` and shift `beta`) and its state that is not a parameter
(the moving mean and variance, which start at 0 as in the chapter). Imports no mxnet.
"""
from __future__ import annotations

from dataclasses import dataclass

from implementations.lenet.spec import LeNetSpec

LAYER_ORDER = ("conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2")


@dataclass(frozen=True)
class LeNetBNSpec(LeNetSpec):
    """conv 20@5x5 -> BN -> ReLU -> max-pool -> conv 50@3x3 -> BN -> ReLU -> max-pool -> 1250 -> 128 -> ReLU -> 10."""

    momentum: float = 0.9  # moving = momentum * moving + (1 - momentum) * batch statistic
    epsilon: float = 1e-5

    @property
    def layer_order(self) -> tuple[str, ...]:
        return LAYER_ORDER

    @property
    def normalized(self) -> dict[str, int]:
        """Each batch-norm layer and its channels."""
        return {"bn1": self.conv1_channels, "bn2": self.conv2_channels}

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        """LeNet's, with each normalization's gamma and beta (drawn like weights: the chapter's N(0, 0.01))."""
        shapes = super().parameter_shapes()
        for layer, channels in self.normalized.items():
            shapes[f"{layer}.gamma"], shapes[f"{layer}.beta"] = (channels,), (channels,)
        return shapes

    def state_shapes(self) -> dict[str, tuple[int, ...]]:
        return {f"{layer}.{name}": (channels,) for layer, channels in self.normalized.items()
                for name in ("running_mean", "running_var")}

    def activation_values(self) -> int:
        """LeNet's, with the two normalized conv outputs."""
        conv1_side = self.image_size - self.conv1_kernel + 1
        conv2_side = conv1_side // self.pool_size - self.conv2_kernel + 1
        return super().activation_values() + self.conv1_channels * conv1_side**2 + self.conv2_channels * conv2_side**2
