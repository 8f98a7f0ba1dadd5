"""Everything the framework may call on an implementation, declared: `Model`, which every implementation
satisfies, and the small optional protocols beside it, each with the one function that reads it; and
`Devices`: where a model lives.

A network's sizes, layer names and initial weights live in its own spec (`implementations/lenet/spec.py`).
Imports no mxnet at run time, so the CLI can read it cheaply.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping, Optional, Protocol, cast

import numpy as np

if TYPE_CHECKING:
    from mxnet import Context
    from mxnet.kvstore import KVStore
    from mxnet.ndarray import NDArray

    from implementations.optimizers import Optimizer


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
    """What the runner needs of every implementation; the runner owns recording, the loss and metrics.

    The update: `step` updates by the rule `use_optimizer` gave (`TakesOptimizer`; plain SGD for a model without
    it), with the learning rate `step` receives. That argument is the learning rate's one channel: it comes with
    every step, and the `Optimizer` that `use_optimizer` receives names the rule (its name, hyperparameters and
    weight decay) with its learning rate withheld (None).

    Data parallel (several contexts, or a dist_sync `store`): the runner calls `forward` once per context with
    that context's shard of the batch, and `step` once with the global batch size. An implementation that
    supports this says so (`DataParallel`); others are refused a device list.
    """

    def forward(self, images: NDArray) -> NDArray:
        """Logits (N, num_classes) for images (N, 1, 28, 28) on any of the model's contexts, computed by
        the replica on the images' context; records a graph under autograd.record()."""

    def step(self, batch_size: int, learning_rate: float) -> None:
        """Sum the gradients over the contexts (and the store's workers), then one update of every replica by
        the rule given to `use_optimizer`, from the gradient summed_grad / batch_size (`batch_size` being the
        global batch) and `learning_rate`: under plain SGD, w -= learning_rate * summed_grad / batch_size."""

    def parameters(self) -> dict[str, NDArray]:
        """The live parameter arrays of the home replica, keyed by canonical name."""

    def gradients(self) -> dict[str, NDArray]:
        """The home replica's gradients, keyed by canonical name: after `step`, summed over every shard."""

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        """Overwrite every parameter of every replica with `values` (canonical names, canonical shapes)."""

    def layer_outputs(self, images: NDArray) -> list[tuple[str, NDArray]]:
        """Each layer's name and output for `images`, in forward order (the last output is the logits)."""


class Stateful(Protocol):
    """Required where the spec has state (batch norm's moving averages): state that is not a parameter but is
    part of the model like one. It starts where the spec starts it, is saved beside the weights in parameter
    files, and `check` loads it back to replay a step; it is compared as `state`."""

    def state(self) -> dict[str, NDArray]:
        """The home replica's state by canonical name (`bn1.running_mean`)."""

    def load_state(self, values: Mapping[str, np.ndarray]) -> None:
        """Overwrite the state of every replica with `values` (canonical names and shapes)."""


class TakesOptimizer(Protocol):
    """Optional: a model that updates by any of the rules. One without it updates by plain SGD and is refused
    another rule (or a weight decay) in one line."""

    def use_optimizer(self, optimizer: Optimizer) -> None:
        """Update by `optimizer`'s rule from now on (its name, hyperparameters and weight decay), its state
        starting at zero; called before the initial weights are loaded. `optimizer.learning_rate` is None: the
        learning rate comes with each `step`."""


class ReportsOptimizerState(Protocol):
    """Optional, beside `use_optimizer`: the rule's state, which `check` compares by name as `optimizer` (without
    it, the weights alone tell whether the update is right).

    Kept apart from `Stateful.state()`: that state is the model's own and goes both ways (`load_state` sets it,
    parameter files save it); the rule's state belongs to the update `use_optimizer` chose, starts at zero with
    it, and is only ever read, never loaded or saved."""

    def optimizer_state(self) -> dict[str, NDArray]:
        """The home replica's rule state by canonical name (`fc1.weight:momentum`), each array in the canonical
        layout and the chapter's terms; {} under plain SGD, and may be {} before the first step."""


class OwnsLoss(Protocol):
    """Optional: a model that trains with its own loss instead of the runner's fused softmax cross-entropy (or,
    for a regression, squared loss): the softmax chapter writes its own."""

    def own_loss(self, outputs: NDArray, targets: NDArray) -> NDArray:
        """The per-example loss (N,) of `forward`'s outputs (the logits contract still holds) against the batch's
        labels or targets; the runner sums it and `step` divides by the batch."""


class DataParallel(Protocol):
    """Optional: a model that sums its gradients over several contexts and workers in `step` says so."""

    data_parallel: bool  # True, or it trains on one device only (the default where it says nothing)


class DescribesGradientSum(Protocol):
    """Optional: how a data-parallel model sums its gradients, in its own words, for the bench's scaling table."""

    gradients_summed_by: str  # e.g. "by hand + KVStore push/pull" ('' where it says nothing)


def declared(protocol: type) -> tuple[str, ...]:
    """The members `protocol` declares: its attributes, then its methods, each in the order written."""
    attributes = tuple(vars(protocol).get("__annotations__", {}))
    return attributes + tuple(name for name, value in vars(protocol).items()
                              if callable(value) and not name.startswith("_"))


def missing(model: object, protocol: type) -> list[str]:
    """The members of `protocol` that `model` lacks, in declaration order. A method must be callable (one set to
    None is missing), an attribute present. Explicit rather than `isinstance` on a `runtime_checkable`
    protocol, which asks whether a name exists rather than whether it can be called, by rules that change
    between Python versions, and cannot say which member is missing."""
    attributes = vars(protocol).get("__annotations__", {})
    return [name for name in declared(protocol)
            if not (hasattr(model, name) if name in attributes else callable(getattr(model, name, None)))]


def provides(model: object, protocol: type) -> bool:
    """Whether `model` has every member of `protocol`."""
    return not missing(model, protocol)


# The readers: each optional member is read here and nowhere else, with its default where a model lacks it.

def supports_data_parallel(model: object) -> bool:
    """The model's `data_parallel` declaration (False where it makes none)."""
    return provides(model, DataParallel) and cast(DataParallel, model).data_parallel is True


def summed_by(model: object) -> str:
    """The model's `gradients_summed_by` words ('' where it says nothing)."""
    if not provides(model, DescribesGradientSum):
        return ""
    return str(cast(DescribesGradientSum, model).gradients_summed_by)


def own_loss_of(model: object) -> Optional[Callable[[NDArray, NDArray], NDArray]]:
    """The model's own per-example loss, if it declares one."""
    return cast(OwnsLoss, model).own_loss if provides(model, OwnsLoss) else None


def state_of(model: object) -> dict[str, NDArray]:
    """The model's state that is not a parameter ({} for a model without any)."""
    return dict(cast(Stateful, model).state()) if provides(model, Stateful) else {}


def takes_optimizer(model: object) -> bool:
    """Whether the model can update by any of the rules (`use_optimizer`), not by plain SGD alone."""
    return provides(model, TakesOptimizer)


def give_rule(model: object, optimizer: Optimizer) -> None:
    """`model.use_optimizer` with `optimizer`'s rule, its learning rate withheld: the one place it is called, so
    the learning rate reaches an update through `step` alone."""
    cast(TakesOptimizer, model).use_optimizer(dataclasses.replace(optimizer, learning_rate=None))


def optimizer_state_of(model: object) -> dict[str, NDArray]:
    """The model's optimizer state by canonical name ({} where it reports none)."""
    if not provides(model, ReportsOptimizerState):
        return {}
    return dict(cast(ReportsOptimizerState, model).optimizer_state())
