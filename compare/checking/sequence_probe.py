"""What `check` measures of a language model, in the order the computation runs, batch by batch: the state after
each time step (first batch) and the logits at each time step, the loss, every gradient before and after clipping,
the update rule's state (under a rule that keeps one) and the weights after the update, and the state carried into
the next batch; then whether `detach` cuts the graph. Every value comes back as a float64 numpy array under a name
(`Quantity`). One model, one context."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from compare.training.sequence_steps import as_arrays, sequence_loss
from implementations.mxnet_compat import mx
from implementations.optimizers import SGD, Optimizer
from implementations.protocol import optimizer_state_of
from implementations.sequence_protocol import SequenceModel, State
from implementations.sequence_spec import SequenceSpec

KINDS = ("begun state", "state", "logits", "loss", "gradient before clipping", "gradient", "optimizer state", "weights",
         "carried state", "detach")


@dataclass(frozen=True)
class Quantity:
    """One measured quantity: its kind (KINDS), its name ("state h at step 3", "gradient rnn.h2h_weight"), the
    batch it belongs to (1-based) and the time step where it has one (else -1)."""

    kind: str
    name: str
    batch: int
    value: np.ndarray
    time_step: int = -1

    @property
    def label(self) -> str:
        return f"{self.name} (batch {self.batch})"


@dataclass(frozen=True)
class SequenceProbe:
    """check's input: the batches (X, Y character indices, (batch, num_steps) each), how the state passes between
    them, and the update (the rule, its learning rate on the mean loss, the clipping norm)."""

    batches: tuple[tuple[np.ndarray, np.ndarray], ...]
    sampling: str
    learning_rate: float
    clipping_theta: float
    optimizer: Optimizer = SGD  # the update rule (the chapters': plain SGD)

    @property
    def batch_size(self) -> int:
        return int(self.batches[0][0].shape[0])

    @property
    def num_steps(self) -> int:
        return int(self.batches[0][0].shape[1])


def _numpy(array: mx.nd.NDArray) -> np.ndarray:
    return array.asnumpy().astype(np.float64)


def _parameter_order(spec: SequenceSpec) -> list[str]:
    """The parameters from the loss backwards: the output layer's, then the recurrent layer's."""
    names = list(spec.parameter_shapes())
    return [name for name in names if not name.startswith(spec.cell)] + [name for name in names
                                                                        if name.startswith(spec.cell)]


def state_per_step(model: SequenceModel, spec: SequenceSpec, inputs: mx.nd.NDArray, state: State) -> list[Quantity]:
    """The state after each time step of the first batch: a forward over the first t+1 steps each (no gradient).
    None where a model cannot take a shorter sequence (inputs read along the wrong axis meet a batch of another
    length): its logits at each step are compared all the same."""
    rows = []
    for step in range(inputs.shape[1]):
        try:
            _, after = model.forward(inputs[:, :step + 1], state)
            rows += [Quantity("state", f"state {name} at step {step}", 1, _numpy(array), step)
                     for name, array in zip(spec.state_names, after)]
        except (mx.base.MXNetError, ValueError, IndexError):
            return []
    return rows


def measure(model: SequenceModel, spec: SequenceSpec, probe: SequenceProbe, context: mx.Context) -> list[Quantity]:
    """Every quantity of `model` over the probe's batches, in the order the computation runs."""
    quantities: list[Quantity] = []
    batch_size, steps, order = probe.batch_size, probe.num_steps, _parameter_order(spec)
    state = model.begin_state(batch_size)
    for number, (X, Y) in enumerate(probe.batches, start=1):
        if number > 1:
            state = model.begin_state(batch_size) if probe.sampling == "random" else model.detach(state)
        inputs, labels = as_arrays(X, Y, context)
        quantities += [Quantity("begun state", f"begun state {name}", number, _numpy(array))
                       for name, array in zip(spec.state_names, state)]  # begun, or carried and detached
        per_step = state_per_step(model, spec, inputs, state) if number == 1 else []
        with mx.autograd.record():
            logits, after = model.forward(inputs, state)
            expected = (steps * batch_size, spec.vocab_size)
            if tuple(logits.shape) != expected:
                raise ValueError(f"forward returned logits of shape {tuple(logits.shape)}, expected {expected}: "
                                 "(num_steps * batch, vocab), time-major (row t * batch + b is example b at step t)")
            loss = sequence_loss(logits, labels)
        loss.backward()
        by_step = _numpy(logits).reshape(steps, batch_size, -1)
        for step in range(steps):
            quantities += [row for row in per_step if row.time_step == step]
            quantities.append(Quantity("logits", f"logits at step {step}", number, by_step[step], step))
        quantities.append(Quantity("loss", "loss", number, _numpy(loss).reshape(-1)))
        quantities += _gradients(model, order, number, "gradient before clipping", "gradient {} before clipping")
        model.clip_gradients(probe.clipping_theta)
        quantities += _gradients(model, order, number, "gradient", "gradient {}")
        model.step(1, probe.learning_rate)
        rule_state = {name: _numpy(array) for name, array in optimizer_state_of(model).items()}
        quantities += [Quantity("optimizer state", f"optimizer state {name}:{state}", number,
                                rule_state[f"{name}:{state}"])
                       for name in order for state in probe.optimizer.rule.state if f"{name}:{state}" in rule_state]
        weights = {name: _numpy(array) for name, array in model.parameters().items()}
        quantities += [Quantity("weights", f"weights {name}", number, weights[name]) for name in order]
        quantities += [Quantity("carried state", f"carried state {name}", number, _numpy(array))
                       for name, array in zip(spec.state_names, after)]
        state = after
    return quantities


def _gradients(model: SequenceModel, order: list[str], number: int, kind: str, pattern: str) -> list[Quantity]:
    gradients = {name: _numpy(array) for name, array in model.gradients().items()}
    return [Quantity(kind, pattern.format(name), number, gradients[name]) for name in order]


def gradient_through_detach(model: SequenceModel, probe: SequenceProbe, context: mx.Context) -> float:
    """The summed |gradient| that reaches the parameters from the state `detach` returns, taken right after a
    recorded forward (while its graph is alive): 0 where detach cuts the graph, as the chapters need so that no
    gradient flows back across batches. Leaves the model's gradients as they were found."""
    X, _ = probe.batches[0]
    inputs, _ = as_arrays(X, X, context)
    with mx.autograd.record():
        _, state = model.forward(inputs, model.begin_state(probe.batch_size))
        cut = model.detach(state)
        total = sum(array.sum() for array in cut)
    try:
        total.backward()
    except mx.base.MXNetError:  # "not in a computational graph": nothing reaches any parameter
        return 0.0
    return float(sum(np.abs(array.asnumpy()).sum() for array in model.gradients().values()))


def change_under_a_loose_clip(model: SequenceModel, probe: SequenceProbe, context: mx.Context) -> float:
    """How far `clip_gradients(theta)` moves the gradients (the largest change over the largest gradient) when theta
    is ten times their global norm: 0 for the chapters' clipping, which only ever scales down. The default probe's
    norm is always above the recipe's theta, so this is the one place a clipping that also scales up shows."""
    X, Y = probe.batches[0]
    inputs, labels = as_arrays(X, Y, context)
    with mx.autograd.record():
        logits, _ = model.forward(inputs, model.begin_state(probe.batch_size))
        loss = sequence_loss(logits, labels)
    loss.backward()
    before = {name: _numpy(array) for name, array in model.gradients().items()}
    norm = float(np.sqrt(sum(float(np.vdot(value, value)) for value in before.values())))
    if norm == 0:
        return 0.0
    model.clip_gradients(10 * norm)
    after = {name: _numpy(array) for name, array in model.gradients().items()}
    largest = max(float(np.abs(value).max(initial=0.0)) for value in before.values())
    return max(float(np.abs(after[name] - before[name]).max(initial=0.0)) for name in before) / largest
