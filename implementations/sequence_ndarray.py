"""What the hand-written language models share. `SequenceNetwork` (under every `scratch`): Gluon's parameters by
canonical name (two biases per gate, gates packed), split by gate and run one time step at a time on raw NDArray,
clipped and updated by hand. `SequenceAsWritten` (under every `tutorial`): the chapter's own `get_params`, cell
function, `grad_clipping` and `sgd`, its layouts turned canonical only at the protocol's edges.
"""
from __future__ import annotations

from typing import Callable, ClassVar, Mapping, Optional

import numpy as np

from implementations.mxnet_compat import mx
from implementations.optimizers import Optimizer
from implementations.protocol import Devices
from implementations.sequence_protocol import State
from implementations.sequence_spec import OUTPUT, SequenceSpec
from implementations.update_rules import HandwrittenOptimizer

nd = mx.nd
Gates = dict  # gate name -> its (batch, num_hiddens) block of a packed pre-activation


def zeros_state(spec: SequenceSpec, batch_size: int, ctx: mx.Context, dtype: str = "float32") -> State:
    """Zeros, one (batch_size, num_hiddens) array per name in the spec's `state_names`."""
    return tuple(nd.zeros(shape, ctx=ctx, dtype=dtype) for shape in spec.state_shapes(batch_size).values())


class SequenceNetwork:
    """A language model on raw NDArray in Gluon's parameterization; a subclass gives `cell`, the chapter's equations
    for one time step from the step's input and hidden-state terms by gate. `dtype` float64 makes the twin `check`
    measures float32's rounding against (MXNet's CPU operators take float64). An update rule other than plain SGD
    is the optimization chapters' (`updater`: what keeps its state and steps; `check` gives its references
    MXNet's)."""

    updater: ClassVar[Callable[..., HandwrittenOptimizer]] = HandwrittenOptimizer

    def __init__(self, spec: SequenceSpec, devices: Devices, dtype: str = "float32") -> None:
        self.spec, self.context, self.dtype = spec, devices.context, dtype
        self.params = {name: nd.zeros(shape, ctx=self.context, dtype=dtype)
                       for name, shape in spec.parameter_shapes().items()}
        for array in self.params.values():
            array.attach_grad()
        self.update: Optional[HandwrittenOptimizer] = None  # plain SGD unless `use_optimizer` names another rule

    def use_optimizer(self, optimizer: Optimizer) -> None:
        """Update by `optimizer`'s rule from now on (the optimization chapters' own, `update_rules`), its state
        starting at zero; plain SGD keeps the chapters' `sgd`."""
        self.update = None if optimizer.plain_sgd else self.updater(optimizer, self.params)

    def optimizer_state(self) -> dict[str, nd.NDArray]:
        """The rule's state by canonical name (`rnn.h2h_weight:second_moment`); {} under plain SGD."""
        return self.update.reported(lambda name, array: array) if self.update else {}

    def cell(self, i2h: Gates, h2h: Gates, state: State) -> State:
        """The next state: from X_t W_x + b_i2h and H_{t-1} W_h + b_h2h, each split by gate."""
        raise NotImplementedError

    def begin_state(self, batch_size: int) -> State:
        return zeros_state(self.spec, batch_size, self.context, self.dtype)

    def detach(self, state: State) -> State:
        return tuple(array.detach() for array in state)

    def _by_gate(self, packed: nd.NDArray) -> Gates:
        gates = self.spec.gates
        blocks = nd.split(packed, num_outputs=len(gates), axis=1) if len(gates) > 1 else [packed]
        return dict(zip(gates, blocks))

    def forward(self, inputs: nd.NDArray, state: State) -> tuple[nd.NDArray, State]:
        spec, p, cell = self.spec, self.params, self.spec.cell
        rows = len(spec.gates) * spec.num_hiddens
        steps = nd.one_hot(inputs.T, spec.vocab_size, dtype=self.dtype)  # (num_steps, batch, vocab)
        hiddens = []
        for t in range(steps.shape[0]):  # one time step at a time, as the chapter runs it
            i2h = nd.FullyConnected(steps[t], p[f"{cell}.i2h_weight"], p[f"{cell}.i2h_bias"], num_hidden=rows)
            h2h = nd.FullyConnected(state[0], p[f"{cell}.h2h_weight"], p[f"{cell}.h2h_bias"], num_hidden=rows)
            state = self.cell(self._by_gate(i2h), self._by_gate(h2h), state)
            hiddens.append(state[0])
        outputs = nd.concat(*hiddens, dim=0)  # (num_steps * batch, num_hiddens), time-major
        logits = nd.FullyConnected(outputs, p[f"{OUTPUT}.weight"], p[f"{OUTPUT}.bias"], num_hidden=spec.vocab_size)
        return logits, state

    def clip_gradients(self, theta: float) -> None:
        """The chapters' rule, min(1, theta / norm) on every gradient, kept on the device (no sync)."""
        grads = [array.grad for array in self.params.values()]
        norm = nd.sqrt(nd.add_n(*[(grad * grad).sum() for grad in grads]))
        scale = nd.minimum(theta / norm, 1.0)  # theta / 0 is inf: no scaling
        for grad in grads:
            grad *= scale

    def step(self, batch_size: int, learning_rate: float) -> None:
        """One update by the rule `use_optimizer` gave; plain SGD as w -= lr * grad / n, with the step size rounded
        to one float32 as Gluon's sgd_update rounds it."""
        if self.update is not None:
            self.update.step(self.params, batch_size, learning_rate)
            return
        step_size = float(np.float32(learning_rate) * np.float32(1.0 / batch_size))
        for array in self.params.values():
            array -= step_size * array.grad

    def parameters(self) -> dict[str, nd.NDArray]:
        return dict(self.params)

    def gradients(self) -> dict[str, nd.NDArray]:
        return {name: array.grad for name, array in self.params.items()}

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        self.spec.check_parameters(values)
        for name, array in self.params.items():
            array[:] = np.asarray(values[name], dtype=self.dtype)


# The chapters' helpers, as their d2lzh package keeps them (one-hot inputs, gradient clipping, minibatch SGD).

def to_onehot(X: nd.NDArray, size: int) -> list[nd.NDArray]:
    """(batch, num_steps) indices -> num_steps one-hot matrices (batch, size)."""
    return [nd.one_hot(x, size) for x in X.T]


def grad_clipping(params: list[nd.NDArray], theta: float, ctx: mx.Context) -> None:
    """The chapter's clipping by global norm: reads the norm back (a sync) and scales only above theta."""
    norm = nd.array([0], ctx)
    for param in params:
        norm += (param.grad ** 2).sum()
    norm = norm.sqrt().asscalar()
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


def sgd(params: list[nd.NDArray], lr: float, batch_size: int) -> None:
    """The chapters' minibatch SGD, as written."""
    for param in params:
        param[:] = param - lr * param.grad / batch_size


# (chapter's name, what it is, gate): "i2h_weight" / "h2h_weight" kept (inputs, hiddens) for nd.dot, "bias" one per
# gate, OUTPUT's "weight" kept (hiddens, vocab) and "bias"
Layout = tuple[tuple[str, str, str], ...]


class SequenceAsWritten:
    """The chapter's own code for a language model. A subclass gives the chapter's functions: `get_params(num_inputs,
    num_hiddens, num_outputs, ctx)` (its list, in `layout` order), `init_state(batch_size, num_hiddens, ctx)` and
    `cell(inputs, state, params)` (its `rnn`, `gru` or `lstm`).

    One bias per gate, as the chapters write it, where Gluon's layers keep two (i2h and h2h): loading sums them
    into it (exact: they are added before any nonlinearity), except where the h2h term is scaled by another gate
    (the GRU's candidate), whose h2h bias the chapter does not have and must be zero. Seen canonically, this model is
    Gluon's with its h2h biases frozen at zero: `parameters()` and `gradients()` report them as zeros, and the
    clipping norm does not count them."""

    layout: ClassVar[Layout] = ()
    get_params: Callable[..., list]
    init_state: Callable[..., State]
    cell: Callable[..., tuple[list, State]]

    def __init__(self, spec: SequenceSpec, devices: Devices) -> None:
        self.spec, self.context = spec, devices.context
        # the chapter's get_params draws N(0, 0.01) itself; here its arrays are overwritten by load_parameters
        self.params = self.get_params(spec.vocab_size, spec.num_hiddens, spec.vocab_size, self.context)
        self.named = dict(zip((name for name, _, _ in self.layout), self.params))
        self.update: Optional[HandwrittenOptimizer] = None  # the chapter's sgd unless `use_optimizer` names a rule

    def use_optimizer(self, optimizer: Optimizer) -> None:
        """Update by `optimizer`'s rule from now on: the optimization chapters' own (`update_rules`) over the
        chapter's arrays, weight decay on its weight matrices only; plain SGD keeps the chapter's `sgd`."""
        kinds = {name: kind for name, kind, _ in self.layout}
        self.update = None if optimizer.plain_sgd else HandwrittenOptimizer(
            optimizer, self.named, decays=lambda name: optimizer.weight_decay > 0 and kinds[name].endswith("weight"))

    def optimizer_state(self) -> dict[str, nd.NDArray]:
        """The rule's state by canonical name, packed as `parameters()` packs the chapter's arrays (the h2h biases
        it does not have: zeros); {} under plain SGD."""
        if self.update is None:
            return {}
        states = self.update.states  # chapter's name -> state name -> array
        return {f"{name}:{state}": array for state in self.update.optimizer.rule.state
                for name, array in self._canonical({own: kept[state] for own, kept in states.items()}).items()}

    def begin_state(self, batch_size: int) -> State:
        return self.init_state(batch_size, self.spec.num_hiddens, self.context)

    def detach(self, state: State) -> State:
        return tuple(array.detach() for array in state)

    def forward(self, inputs: nd.NDArray, state: State) -> tuple[nd.NDArray, State]:
        outputs, state = self.cell(to_onehot(inputs, self.spec.vocab_size), state, self.params)
        return nd.concat(*outputs, dim=0), state  # (num_steps * batch, vocab), as the chapter's training loop

    def clip_gradients(self, theta: float) -> None:
        grad_clipping(self.params, theta, self.context)

    def step(self, batch_size: int, learning_rate: float) -> None:
        if self.update is not None:
            self.update.step(self.named, batch_size, learning_rate)
        else:
            sgd(self.params, learning_rate, batch_size)

    def _canonical(self, arrays: Mapping[str, nd.NDArray]) -> dict[str, nd.NDArray]:
        spec, cell = self.spec, self.spec.cell
        by = {(kind, gate): arrays[name] for name, kind, gate in self.layout}

        def packed(kind: str, transpose: bool) -> nd.NDArray:
            blocks = [by[kind, gate].T if transpose else by[kind, gate] for gate in spec.gates]
            return blocks[0] if len(blocks) == 1 else nd.concat(*blocks, dim=0)

        bias = packed("bias", transpose=False)
        return {
            f"{cell}.i2h_weight": packed("i2h_weight", transpose=True),
            f"{cell}.h2h_weight": packed("h2h_weight", transpose=True),
            f"{cell}.i2h_bias": bias,
            f"{cell}.h2h_bias": nd.zeros_like(bias),  # the chapter has none
            f"{OUTPUT}.weight": by["weight", OUTPUT].T,
            f"{OUTPUT}.bias": by["bias", OUTPUT],
        }

    def parameters(self) -> dict[str, nd.NDArray]:
        return self._canonical(self.named)

    def gradients(self) -> dict[str, nd.NDArray]:
        return self._canonical({name: array.grad for name, array in self.named.items()})

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        spec, cell = self.spec, self.spec.cell
        spec.check_parameters(values)
        for name, kind, gate in self.layout:
            if gate == OUTPUT:
                value = np.asarray(values[f"{OUTPUT}.{kind}"])
                value = value.T if kind == "weight" else value
            elif kind == "bias":
                rows = spec.gate_rows(gate)
                i2h, h2h = np.asarray(values[f"{cell}.i2h_bias"])[rows], np.asarray(values[f"{cell}.h2h_bias"])[rows]
                if gate in spec.h2h_scaled_gates and np.any(h2h != 0):
                    raise ValueError(f"{cell}.h2h_bias: the chapter's {cell} has no bias inside its gate {gate!r}; "
                                     "it loads only zeros there")
                value = i2h if gate in spec.h2h_scaled_gates else i2h.astype(np.float32) + h2h.astype(np.float32)
            else:
                value = np.asarray(values[f"{cell}.{kind}"])[spec.gate_rows(gate)].T
            self.named[name][:] = np.asarray(value, dtype=np.float32)
