"""Device-resident splits sliced into batches, in a per-epoch order every consumer agrees on.

Each split is copied to the context once; an epoch gathers it once into its shuffled order
(one `take` on the device) and then hands out contiguous slices, which are views, not copies.
"""
from dataclasses import dataclass
from typing import Iterator, Optional

import numpy as np

from compare.data.dataset import ArraySplit
from implementations.mxnet_compat import mx
from implementations.spec_base import NetworkSpec


def synthetic_batch(batch_size: int, ctx: "mx.Context", seed: int = 0, spec: Optional[NetworkSpec] = None) -> tuple:
    """A seeded batch of uniform noise on `ctx`: images (n, 1, 28, 28) in [0, 1) (or the spec's input shape), labels
    (n,) as float32: classes 0-9 (or the spec's), or for a regression targets in [0, 1)."""
    generator = np.random.default_rng(seed)
    shape, classes = (spec.input_shape, spec.num_classes) if spec is not None else ((1, 28, 28), 10)
    images = mx.nd.array(generator.random((batch_size, *shape), dtype=np.float32), ctx=ctx)
    targets = generator.random(batch_size) if spec is not None and spec.task == "regression" \
        else generator.integers(0, classes, size=batch_size)
    labels = mx.nd.array(targets.astype(np.float32), ctx=ctx)
    return images, labels


def epoch_permutation(seed: int, epoch: int, num_examples: int) -> np.ndarray:
    """The order of epoch `epoch`: from a generator seeded by (seed, epoch), never the global RNG."""
    generator = np.random.default_rng([seed, epoch])
    return generator.permutation(num_examples)


@dataclass(frozen=True)
class Batch:
    """Images (n, 1, 28, 28) float32 and labels (n,) float32 on the device; n is the true size."""

    images: "mx.nd.NDArray"
    labels: "mx.nd.NDArray"

    @property
    def size(self) -> int:
        return int(self.labels.shape[0])


@dataclass(frozen=True)
class DeviceSplit:
    """A split held on one context as two NDArrays."""

    images: "mx.nd.NDArray"
    labels: "mx.nd.NDArray"

    @classmethod
    def from_arrays(cls, split: ArraySplit, ctx: "mx.Context") -> "DeviceSplit":
        """Copy a numpy split to `ctx` once (labels as float32, as Gluon's losses expect)."""
        return cls(
            images=mx.nd.array(split.images, ctx=ctx, dtype=np.float32),
            labels=mx.nd.array(split.labels, ctx=ctx, dtype=np.float32),
        )

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def num_batches(self, batch_size: int) -> int:
        return -(-len(self) // batch_size)

    def batches(self, batch_size: int, order: Optional[np.ndarray] = None) -> Iterator[Batch]:
        """Batches of `batch_size` in `order` (default: stored order); the last may be smaller."""
        images, labels = self.images, self.labels
        if order is not None:
            index = mx.nd.array(order, ctx=images.context, dtype=np.int64)
            images, labels = images.take(index), labels.take(index)
        for start in range(0, len(self), batch_size):
            stop = min(start + batch_size, len(self))
            yield Batch(images=images[start:stop], labels=labels[start:stop])
