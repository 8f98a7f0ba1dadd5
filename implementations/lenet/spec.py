"""`LeNetSpec`: LeNet's sizes, layer order, canonical parameter names and shapes, and its initial weights —
the only place they are defined. Imports no mxnet, so the CLI can read defaults from it cheaply.
"""
from __future__ import annotations

from dataclasses import dataclass

from implementations.spec_base import NetworkSpec

# Forward order of the layers; every implementation runs (and names) its layers in this order.
LAYER_ORDER = ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2")


@dataclass(frozen=True)
class LeNetSpec(NetworkSpec):
    """conv 20@5x5 -> ReLU -> max-pool 2 -> conv 50@3x3 -> ReLU -> max-pool 2 -> 1250 -> 128 -> ReLU -> 10."""

    conv1_channels: int = 20
    conv1_kernel: int = 5
    conv2_channels: int = 50
    conv2_kernel: int = 3
    pool_size: int = 2  # max-pool window and stride
    fc1_units: int = 128

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

    def flops_per_example(self) -> int:
        """2 x multiply-adds of conv1, conv2, fc1 and fc2: 576,000 + 1,800,000 + 320,000 + 2,560."""
        conv1_side = self.image_size - self.conv1_kernel + 1
        conv2_side = conv1_side // self.pool_size - self.conv2_kernel + 1
        conv1 = self.conv1_channels * conv1_side**2 * self.in_channels * self.conv1_kernel**2
        conv2 = self.conv2_channels * conv2_side**2 * self.conv1_channels * self.conv2_kernel**2
        return 2 * (conv1 + conv2 + self.flatten_size * self.fc1_units + self.fc1_units * self.num_classes)

    def first_layer_flops(self) -> int:
        """conv1's: 2 * 20 * 24 * 24 * 1 * 5 * 5 = 576,000."""
        conv1_side = self.image_size - self.conv1_kernel + 1
        return 2 * self.conv1_channels * conv1_side**2 * self.in_channels * self.conv1_kernel**2

    def elementwise_ops_per_example(self) -> int:
        """relu1 and pool1 read 20 x 24 x 24 values each, relu2 and pool2 50 x 10 x 10, relu3 128: 33,168."""
        conv1_side = self.image_size - self.conv1_kernel + 1
        conv2_side = conv1_side // self.pool_size - self.conv2_kernel + 1
        return 2 * (self.conv1_channels * conv1_side**2 + self.conv2_channels * conv2_side**2) + self.fc1_units

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
