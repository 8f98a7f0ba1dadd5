"""The `Model` protocol every implementation satisfies, and `Devices`: where a model lives.

A network's sizes, layer names and initial weights live in its own spec (`implementations/lenet/spec.py`).
Imports no mxnet at run time, so the CLI can read it cheaply.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping, Optional, Protocol

import numpy as np

if TYPE_CHECKING:
    from mxnet import Context
    from mxnet.kvstore import KVStore
    from mxnet.ndarray import NDArray


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
    # optional: own_loss(logits, labels) -> per-example loss (N,), used instead of the runner's fused softmax
    # cross-entropy (the softmax chapter writes its own); `own_loss_of` reads it
    # required where the spec has state (batch norm): state() -> the home replica's state by canonical name, and
    # load_state(values) to overwrite it on every replica; `state_of` reads it

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


def own_loss_of(model: object) -> "Optional[Callable[[NDArray, NDArray], NDArray]]":
    """The model's own per-example loss, if it declares one: the one place `own_loss` is read."""
    loss = getattr(model, "own_loss", None)
    return loss if callable(loss) else None


def state_of(model: object) -> "dict[str, NDArray]":
    """The model's state that is not a parameter ({} for a model without any): the one place `state` is read."""
    state = getattr(model, "state", None)
    return dict(state()) if callable(state) else {}
