"""What the hand-written implementations of every model share: parameters as name-keyed NDArrays, one copy
per context (`Replicas`), the hand-written updates and the protocol's plumbing. A model's module gives the
layers; `NDArrayNetwork` (under every `scratch` built-in) writes plain SGD as Gluon rounds it (bit-identical) and
every other rule as its chapter writes it (`update_rules`), `AsWritten` (under every `tutorial`) keeps the dense
weights in the tutorial's `nd.dot` layout and its SGD update exactly as the chapters write it.
"""
from __future__ import annotations

from typing import Callable, Mapping

import numpy as np

from implementations.allreduce import Replicas
from implementations.mxnet_compat import mx
from implementations.optimizers import SGD, Optimizer
from implementations.protocol import Devices
from implementations.spec_base import NetworkSpec
from implementations.update_rules import HandwrittenOptimizer

nd = mx.nd
Layer = Callable[[nd.NDArray], nd.NDArray]


def relu_as_written(x: nd.NDArray) -> nd.NDArray:
    """The MLP chapter's ReLU: maximum(x, 0), whose gradient at exactly 0 is 1 (relu's is 0)."""
    return nd.maximum(x, nd.zeros_like(x))


class NDArrayNetwork:
    """A network from raw NDArray operators in canonical layouts, with hand-written updates (plain SGD rounded as
    Gluon rounds it, every other rule as its chapter writes it); a subclass gives `layer_functions(params)`, each
    layer's function by name (the spec gives the order)."""

    data_parallel = True

    def __init__(self, spec: NetworkSpec, devices: Devices, dtype: type = np.float32) -> None:
        self.spec, self.dtype = spec, dtype  # float64 only for finite-difference tests
        self.replicas = Replicas(self.stored_shapes(spec), devices, dtype)
        self.params = self.replicas.home  # what parameters() and gradients() show
        # state that is not a parameter (batch norm's moving averages): one copy per replica, no gradient
        self.states = {ctx: {name: nd.zeros(shape, ctx=ctx, dtype=dtype) for name, shape in spec.state_shapes().items()}
                       for ctx in self.replicas}
        self.layers = {ctx: self._ordered(self.layer_functions({**params, **self.states[ctx]}))
                       for ctx, params in self.replicas.items()}  # layer_functions once per replica: closures that
        # share state between layers (a dict one layer fills for the next) share it
        self.gradients_summed_by = self.replicas.summed_by
        self.optimizer: Optimizer = SGD
        self.updates: dict[object, HandwrittenOptimizer] = {}  # per replica: its own copy of the rule's state

    def use_optimizer(self, optimizer: Optimizer) -> None:
        """Update by `optimizer`'s rule from now on, its state starting at zero on every replica (the learning rate
        is not the optimizer's: it comes with each `step`)."""
        self.optimizer = optimizer
        self.updates = {} if optimizer.plain_sgd else {ctx: HandwrittenOptimizer(optimizer, params)
                                                    for ctx, params in self.replicas.items()}

    def optimizer_state(self) -> dict[str, nd.NDArray]:
        """The home replica's optimizer state by canonical name (`fc1.weight:momentum`); {} under plain SGD."""
        home = self.updates.get(self.replicas.home_context)
        return home.reported(self.canonical) if home else {}

    def stored_shapes(self, spec: NetworkSpec) -> dict[str, tuple[int, ...]]:
        return spec.parameter_shapes()

    def layer_functions(self, params: dict[str, nd.NDArray]) -> dict[str, Layer]:
        raise NotImplementedError

    def state(self) -> dict[str, nd.NDArray]:
        return dict(self.states[self.replicas.home_context])

    def load_state(self, values: Mapping[str, np.ndarray]) -> None:
        for context, state in self.states.items():
            for name, array in state.items():  # as an NDArray: see load_parameters
                array[:] = nd.array(np.asarray(values[name], dtype=self.dtype), ctx=context, dtype=self.dtype)

    def layer_outputs(self, images: nd.NDArray) -> list[tuple[str, nd.NDArray]]:
        outputs, x = [], images
        for name, layer in self.layers[images.context]:  # the replica on the shard's context
            x = layer(x)
            outputs.append((name, x))
        return outputs

    def forward(self, images: nd.NDArray) -> nd.NDArray:
        x = images
        for _, layer in self.layers[images.context]:
            x = layer(x)
        return x

    def step(self, batch_size: int, learning_rate: float) -> None:
        """All-reduce the gradients, then update every replica with `learning_rate` by the rule `use_optimizer`
        gave (plain SGD unless told)."""
        # Plain SGD: w -= lr * grad / n, written as one float32 step size lr * (1 / n) times the gradient: that is
        # how Gluon's sgd_update rounds, so the two stay bit-identical over a whole run. (`lr * grad / n`
        # differs by ~1e-9 per step, and the first epoch's plateau amplifies that into visible drift.)
        # In place, so the arrays keep their attached gradients; `batch_size` is the batch's true size.
        self.replicas.allreduce_gradients()
        if self.updates:  # another rule: each replica updates its own state from the same summed gradient
            for ctx, params in self.replicas.items():
                self.updates[ctx].step(params, batch_size, learning_rate)
            return
        step_size = float(np.float32(learning_rate) * np.float32(1.0 / batch_size))
        for params in self.replicas.values():
            for array in params.values():
                array -= step_size * array.grad

    def _ordered(self, functions: dict[str, Layer]) -> list[tuple[str, Layer]]:
        return [(name, functions[name]) for name in self.spec.layer_order]

    def canonical(self, name: str, array: nd.NDArray) -> nd.NDArray:
        """`array` (a parameter or gradient as stored) in the canonical layout."""
        return array

    def parameters(self) -> dict[str, nd.NDArray]:
        return {name: self.canonical(name, array) for name, array in self.params.items()}

    def gradients(self) -> dict[str, nd.NDArray]:
        return {name: self.canonical(name, array.grad) for name, array in self.params.items()}

    def stored(self, name: str, value: np.ndarray) -> np.ndarray:
        """A canonical `value` in the layout this implementation stores it in."""
        return value

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        self.spec.check_parameters(values)
        for context, params in self.replicas.items():
            for name, array in params.items():
                # copied as an NDArray, not from numpy: an array MKL-DNN has turned into its own layout (a weight a
                # learner reshapes into a convolution's kernel) takes a copy, never a raw write
                value = nd.array(self.stored(name, np.asarray(values[name], dtype=self.dtype)), ctx=context,
                                 dtype=self.dtype)
                array[:] = value


class AsWritten(NDArrayNetwork):
    """The chapters' own formulation: dense weights stored (in_units, units) for `nd.dot(x, W) + b` (turned
    into the canonical layout only at the protocol's edges), and plain SGD `param[:] = param - lr * param.grad /
    batch_size` exactly as written (every other rule is the chapters' code every hand-written model shares). Not
    expected to be bit-identical to `scratch`."""

    def stored_shapes(self, spec: NetworkSpec) -> dict[str, tuple[int, ...]]:
        return {name: shape[::-1] if self._dense(name, shape) else shape
                for name, shape in spec.parameter_shapes().items()}

    @staticmethod
    def _dense(name: str, shape: tuple[int, ...]) -> bool:
        return name.endswith(".weight") and len(shape) == 2

    def _ordered(self, functions: dict[str, Layer]) -> list[tuple[str, Layer]]:
        return [(name, functions[name]) for name in self.spec.layer_order]

    def canonical(self, name: str, array: nd.NDArray) -> nd.NDArray:
        return array.T if self._dense(name, tuple(array.shape)) else array

    def stored(self, name: str, value: np.ndarray) -> np.ndarray:
        return value.T if self._dense(name, value.shape) else value

    def step(self, batch_size: int, learning_rate: float) -> None:
        if self.updates:  # another rule: the chapter's own code for it is the one every hand-written model shares
            super().step(batch_size, learning_rate)
            return
        self.replicas.allreduce_gradients()
        for params in self.replicas.values():
            for param in params.values():
                param[:] = param - learning_rate * param.grad / batch_size
