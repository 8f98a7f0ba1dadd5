"""What the Gluon implementations of every model share: a `HybridBlock` whose children are the spec's layers,
named and run in the spec's order (`LayeredBlock`), trained with `gluon.Trainer` and MXNet's optimizer of the
rule asked for (SGD unless told) and exposing canonical parameter names and optimizer state (`GluonNetwork`);
run imperative or hybridized.

Data parallel the Gluon way: the block is initialised on every context (Gluon keeps a copy per context and
picks it by the input's context) and the Trainer's KVStore sums the gradients: `device` or `local` in one
process, the shared dist_sync store across processes.
"""
from __future__ import annotations

from types import ModuleType
from typing import Mapping

import numpy as np

from implementations.gluon_trainer import make_trainer, trainer_state
from implementations.mxnet_compat import mx
from implementations.optimizers import SGD, Optimizer
from implementations.protocol import Devices
from implementations.spec_base import NetworkSpec

nn = mx.gluon.nn


class LayeredBlock(nn.HybridBlock):
    """A network whose children are attributes named as in `layer_order`, run in that order; a subclass
    creates them inside `self.name_scope()`."""

    def __init__(self, spec: NetworkSpec) -> None:
        super().__init__()
        self.layer_order = spec.layer_order

    def layers(self) -> list[tuple[str, nn.HybridBlock]]:
        """(name, child block) in forward order."""
        return [(name, getattr(self, name)) for name in self.layer_order]

    def hybrid_forward(self, F: ModuleType, x: mx.nd.NDArray) -> mx.nd.NDArray:  # noqa: N803 (Gluon's name)
        # F is mx.nd when imperative, mx.sym when hybridized; the children handle both.
        for _, layer in self.layers():
            x = layer(x)
        return x


class GluonNetwork:
    """A `LayeredBlock` plus its Trainer, exposing canonical parameter names (`fc1.weight`, ...)."""

    data_parallel = True

    def __init__(self, spec: NetworkSpec, devices: Devices, block: LayeredBlock, hybridize: bool) -> None:
        self.spec, self.home = spec, devices.context
        self.block = block
        # Any initializer will do: the registry overwrites every value with the shared initial weights.
        self.block.initialize(mx.init.Zero(), ctx=list(devices.contexts))
        if hybridize:
            self.block.hybridize(static_alloc=True, static_shape=True)
        self.named = {name: getattr(getattr(self.block, name.split(".")[0]), name.split(".")[1])
                      for name in spec.parameter_shapes()}
        self.devices = devices
        kvstore = devices.kvstore if devices.store is None else devices.store  # the store: this model's key range
        self.gradients_summed_by = f"Trainer, KVStore {kvstore.type if devices.store else devices.kvstore}"
        self.use_optimizer(SGD)

    def use_optimizer(self, optimizer: Optimizer) -> None:
        """A new Trainer with MXNet's optimizer of `optimizer`'s rule (`gluon_trainer.make_trainer`)."""
        devices = self.devices
        self.optimizer, self.learning_rate = optimizer, None  # the Trainer's rate: set by the first `step`
        kvstore = devices.kvstore if devices.store is None else devices.store
        # update_on_kvstore=False: the Trainer sums gradients through the KVStore and updates each copy itself,
        # so the last, smaller batch is normalised by its own size (a dist store that updates refuses a
        # changed batch size), every copy keeps its own optimizer state, and the summed gradient stays visible
        # to `check`. One context: no KVStore.
        self.trainer = make_trainer(self.block, self.named, optimizer, kvstore,
                                    update_on_kvstore=False if devices.data_parallel else None)

    def optimizer_state(self) -> dict[str, mx.nd.NDArray]:
        """The home copy's optimizer state by canonical name, in the chapter's terms ({} before the first step)."""
        return trainer_state(self.trainer, self.named, self.optimizer)

    def forward(self, images: mx.nd.NDArray) -> mx.nd.NDArray:
        return self.block(images)

    def step(self, batch_size: int, learning_rate: float) -> None:
        if learning_rate != self.learning_rate:
            self.trainer.set_learning_rate(learning_rate)
            self.learning_rate = learning_rate
        self.trainer.step(batch_size)  # rescales the summed gradients by 1 / batch_size

    def parameters(self) -> dict[str, mx.nd.NDArray]:
        return {name: param.data(self.home) for name, param in self.named.items()}

    def gradients(self) -> dict[str, mx.nd.NDArray]:
        return {name: param.grad(self.home) for name, param in self.named.items()}

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        self.spec.check_parameters(values)
        for name, param in self.named.items():
            param.set_data(mx.nd.array(np.asarray(values[name], dtype=np.float32)))

    def layer_outputs(self, images: mx.nd.NDArray) -> list[tuple[str, mx.nd.NDArray]]:
        outputs, x = [], images
        for name, layer in self.block.layers():  # the children run imperatively, one by one
            x = layer(x)
            outputs.append((name, x))
        return outputs
