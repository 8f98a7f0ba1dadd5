"""What the Gluon language models share: `SequenceBlock`, a `HybridBlock` of one `gluon.rnn` layer (RNN, GRU or
LSTM) and a `Dense` output over one-hot characters, as the chapters' `RNNModel` builds it; and
`GluonSequenceNetwork`, which trains it with a `gluon.Trainer` (MXNet's optimizer of the rule asked for: SGD
unless told), clips with `gluon.utils.clip_global_norm`
and exposes canonical parameter names. Run imperative or hybridized; one context.
"""
from __future__ import annotations

from types import ModuleType
from typing import Callable, Mapping

import numpy as np

from implementations.gluon_trainer import make_trainer, trainer_state
from implementations.mxnet_compat import mx
from implementations.optimizers import SGD, Optimizer
from implementations.protocol import Devices
from implementations.sequence_ndarray import zeros_state
from implementations.sequence_protocol import State
from implementations.sequence_spec import OUTPUT, SequenceSpec

nn, rnn = mx.gluon.nn, mx.gluon.rnn


class SequenceBlock(nn.HybridBlock):
    """One-hot characters -> the recurrent layer `layer()` makes -> Dense to the vocabulary. The state goes in
    and out as (batch, num_hiddens) arrays (the chapters' layout); the layer's own is (1, batch, num_hiddens)."""

    def __init__(self, spec: SequenceSpec, layer: Callable[[], rnn.HybridRecurrentCell]) -> None:
        super().__init__()
        self.vocab_size, self.num_hiddens = spec.vocab_size, spec.num_hiddens
        with self.name_scope():
            self.rnn = layer()
            self.output = nn.Dense(spec.vocab_size, in_units=spec.num_hiddens)

    def hybrid_forward(self, F: ModuleType, inputs: mx.nd.NDArray, *state: mx.nd.NDArray) -> tuple:  # noqa: N803
        X = F.one_hot(F.transpose(inputs), self.vocab_size)  # (num_steps, batch, vocab): the layer's TNC layout
        Y, state = self.rnn(X, [F.expand_dims(array, axis=0) for array in state])  # Y (num_steps, batch, hiddens)
        logits = self.output(F.reshape(Y, (-1, self.num_hiddens)))  # (num_steps * batch, vocab), time-major
        return (logits, *[F.squeeze(array, axis=0) for array in state])


class GluonSequenceNetwork:
    """A `SequenceBlock` and its Trainer, exposing canonical names: `rnn.i2h_weight` is the layer's
    `l0_i2h_weight`, `output.weight` the Dense layer's `weight`."""

    def __init__(self, spec: SequenceSpec, devices: Devices, layer: Callable[[], rnn.HybridRecurrentCell],
                 hybridize: bool) -> None:
        self.spec, self.context = spec, devices.context
        self.block = SequenceBlock(spec, layer)
        # Any initializer will do: build_sequence_model overwrites every value with the shared initial weights.
        self.block.initialize(mx.init.Zero(), ctx=self.context)
        if hybridize:
            self.block.hybridize(static_alloc=True, static_shape=True)
        recurrent, cell = self.block.rnn, spec.cell
        self.named = {f"{cell}.{kind}": getattr(recurrent, f"l0_{kind}")
                      for kind in ("i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias")}
        self.named.update({f"{OUTPUT}.weight": self.block.output.weight, f"{OUTPUT}.bias": self.block.output.bias})
        self.use_optimizer(SGD)

    def use_optimizer(self, optimizer: Optimizer) -> None:
        """A new Trainer with MXNet's optimizer of `optimizer`'s rule (`gluon_trainer.make_trainer`): its learning
        rate set by the first `step`, as GluonNetwork's."""
        self.optimizer, self.learning_rate = optimizer, None
        self.trainer = make_trainer(self.block, self.named, optimizer)

    def optimizer_state(self) -> dict[str, mx.nd.NDArray]:
        """The rule's state by canonical name, in the chapters' terms ({} before the first step)."""
        return trainer_state(self.trainer, self.named, self.optimizer)

    def begin_state(self, batch_size: int) -> State:
        return zeros_state(self.spec, batch_size, self.context)

    def detach(self, state: State) -> State:
        return tuple(array.detach() for array in state)

    def forward(self, inputs: mx.nd.NDArray, state: State) -> tuple[mx.nd.NDArray, State]:
        logits, *state = self.block(inputs, *state)
        return logits, tuple(state)

    def clip_gradients(self, theta: float) -> None:
        """Gluon's own: scale = theta / (norm + 1e-8), applied where below 1 (no sync without the finite check)."""
        grads = [param.grad(self.context) for param in self.named.values()]
        mx.gluon.utils.clip_global_norm(grads, theta, check_isfinite=False)

    def step(self, batch_size: int, learning_rate: float) -> None:
        if learning_rate != self.learning_rate:
            self.trainer.set_learning_rate(learning_rate)
            self.learning_rate = learning_rate
        self.trainer.step(batch_size)  # rescales the gradients by 1 / batch_size

    def parameters(self) -> dict[str, mx.nd.NDArray]:
        return {name: param.data(self.context) for name, param in self.named.items()}

    def gradients(self) -> dict[str, mx.nd.NDArray]:
        return {name: param.grad(self.context) for name, param in self.named.items()}

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        self.spec.check_parameters(values)
        for name, param in self.named.items():
            param.set_data(mx.nd.array(np.asarray(values[name], dtype=np.float32)))
