"""The optimization chapters' hand-written update rules, once for every hand-written model: each takes one
parameter, its gradient already divided by the batch (plus the weight decay's lambda * w), its state and the
step number, and updates both in place, as the chapters write them (epsilon inside the root for adagrad,
rmsprop and adadelta; outside it, after bias correction, for adam)."""
from __future__ import annotations

from typing import Callable, Optional

from implementations.mxnet_compat import mx
from implementations.optimizers import Optimizer

nd = mx.nd
State = dict[str, nd.NDArray]  # state name -> array of the parameter's shape


def _sgd(param: nd.NDArray, g: nd.NDArray, state: State, hyper: Optimizer, lr: float, t: int) -> None:
    param[:] = param - lr * g


def _momentum(param: nd.NDArray, g: nd.NDArray, state: State, hyper: Optimizer, lr: float, t: int) -> None:
    v = state["momentum"]
    v[:] = hyper["momentum"] * v + lr * g
    param[:] = param - v


def _adagrad(param: nd.NDArray, g: nd.NDArray, state: State, hyper: Optimizer, lr: float, t: int) -> None:
    s = state["square_sum"]
    s[:] = s + nd.square(g)
    param[:] = param - lr * g / nd.sqrt(s + hyper["epsilon"])


def _rmsprop(param: nd.NDArray, g: nd.NDArray, state: State, hyper: Optimizer, lr: float, t: int) -> None:
    s, gamma = state["square_average"], hyper["gamma"]
    s[:] = gamma * s + (1 - gamma) * nd.square(g)
    param[:] = param - lr * g / nd.sqrt(s + hyper["epsilon"])


def _adadelta(param: nd.NDArray, g: nd.NDArray, state: State, hyper: Optimizer, lr: float, t: int) -> None:
    s, delta, rho, eps = state["square_average"], state["delta_average"], hyper["rho"], hyper["epsilon"]
    s[:] = rho * s + (1 - rho) * nd.square(g)
    change = nd.sqrt(delta + eps) / nd.sqrt(s + eps) * g  # no learning rate: the rule has none
    delta[:] = rho * delta + (1 - rho) * nd.square(change)
    param[:] = param - change


def _adam(param: nd.NDArray, g: nd.NDArray, state: State, hyper: Optimizer, lr: float, t: int) -> None:
    v, s, beta1, beta2 = state["first_moment"], state["second_moment"], hyper["beta1"], hyper["beta2"]
    v[:] = beta1 * v + (1 - beta1) * g
    s[:] = beta2 * s + (1 - beta2) * nd.square(g)
    v_corrected = v / (1 - beta1**t)  # bias correction: both moments start at 0
    s_corrected = s / (1 - beta2**t)
    param[:] = param - lr * v_corrected / (nd.sqrt(s_corrected) + hyper["epsilon"])


UPDATES: dict[str, Callable[..., None]] = {"sgd": _sgd, "momentum": _momentum, "adagrad": _adagrad,
                                           "rmsprop": _rmsprop, "adadelta": _adadelta, "adam": _adam}


class HandwrittenOptimizer:
    """The rule's state for one replica's parameters (zeros, in the layout they are stored in) and the step count."""

    def __init__(self, optimizer: Optimizer, params: dict[str, nd.NDArray],
                 decays: Optional[Callable[[str], bool]] = None) -> None:
        """`decays`: whether weight decay reaches a parameter by the name `params` keys it by (default: by its
        canonical name, `optimizer.decays`)."""
        self.optimizer, self.update_rule = optimizer, UPDATES[optimizer.name]
        self.decays = decays or optimizer.decays
        self.states = {name: {state: nd.zeros(array.shape, ctx=array.context, dtype=array.dtype)
                              for state in optimizer.rule.state} for name, array in params.items()}
        self.steps = 0

    def step(self, params: dict[str, nd.NDArray], batch_size: int, learning_rate: float) -> None:
        """One update of every parameter from its (summed) gradient, g = grad / batch (+ lambda * w), with the
        learning rate the model's `step` was given."""
        self.steps += 1
        for name, param in params.items():
            g = param.grad / batch_size
            if self.decays(name):  # the L2 penalty lambda / 2 * ||w||^2 in the loss: its gradient
                g = g + self.optimizer.weight_decay * param
            self.update_rule(param, g, self.states[name], self.optimizer, learning_rate, self.steps)

    def reported(self, canonical: Callable[[str, nd.NDArray], nd.NDArray]) -> dict[str, nd.NDArray]:
        """The state by canonical name (`fc1.weight:momentum`), each array in the canonical layout."""
        return {f"{name}:{state}": canonical(name, array)
                for name, states in self.states.items() for state, array in states.items()}
