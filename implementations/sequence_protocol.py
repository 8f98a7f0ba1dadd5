"""What the framework may call on a character-level language model (`rnn`, `gru`, `lstm`): `SequenceModel`, kept
apart from the image models' `Model` (`implementations/protocol.py`), which it does not change.

The runner owns the loop, the loss and the metrics, as for the image models; one training step is (the chapters'
`train_and_predict_rnn`, one batch):

    state = model.begin_state(batch_size)      # random sampling: every batch; consecutive: once per epoch,
    state = model.detach(state)                #   then the last batch's final state, detached, every batch
    with autograd.record():
        logits, state = model.forward(X, state)                  # X (batch, num_steps) character indices
        loss = softmax_cross_entropy(logits, Y.T.reshape(-1)).mean()
    loss.backward()
    model.clip_gradients(theta)                 # global norm over every parameter, as the chapters clip
    model.step(1, learning_rate)                # the loss is already a mean: the chapters' sgd(params, lr, 1)

`compare/training/sequence_steps.py` writes that step once. Perplexity is exp of the mean loss per character.
One context only: no data parallel. The update is plain SGD unless the model takes another rule: the image
models' optional `TakesOptimizer` and `ReportsOptimizerState` (`implementations/protocol.py`) hold here as they are,
and every built-in has them (the chapters train these models with SGD alone; the other rules and weight decay are
the optimization chapters'). Imports no mxnet at run time.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Protocol

import numpy as np

if TYPE_CHECKING:
    from mxnet.ndarray import NDArray

METHODS = ("begin_state", "detach", "forward", "clip_gradients", "step", "parameters", "gradients", "load_parameters")
State = tuple  # of NDArrays, each (batch, num_hiddens): (H,), or the LSTM's (H, C); the spec's `state_names`


class SequenceModel(Protocol):
    """A language model over one-hot characters, built as `factory(spec, devices)` on `devices.context`."""

    def begin_state(self, batch_size: int) -> State:
        """The state a sequence starts from: zeros, one (batch_size, num_hiddens) array per `state_names`."""

    def detach(self, state: State) -> State:
        """`state` cut from the graph that computed it, so the next batch's backward stops there. (The chapters
        write `for s in state: s.detach()`, discarding detach's result: harmless in MXNet 1.9.1 only because a
        backward without retain_graph frees the batch's graph; it matters where two batches share one record.)"""

    def forward(self, inputs: NDArray, state: State) -> tuple[NDArray, State]:
        """Logits (num_steps * batch, vocab_size) float32 for inputs (batch, num_steps) of character indices
        (float32, as `nd.array` makes them), rows time-major (row t * batch + b is example b at step t: the order
        of Y.T.reshape(-1)); and the state after the last step. Records a graph under autograd.record()."""

    def clip_gradients(self, theta: float) -> None:
        """Scale every gradient by min(1, theta / g), g the global L2 norm of all the gradients together."""

    def step(self, batch_size: int, learning_rate: float) -> None:
        """One update of every parameter by the rule `use_optimizer` gave, from grad / batch_size and
        `learning_rate`; plain SGD (a model without `use_optimizer`): w -= learning_rate * grad / batch_size."""

    def parameters(self) -> dict[str, NDArray]:
        """The live parameter arrays, keyed by canonical name, in the canonical layouts."""

    def gradients(self) -> dict[str, NDArray]:
        """The gradients, keyed and laid out as `parameters()`."""

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        """Overwrite every parameter with `values` (canonical names, canonical shapes)."""


def missing_methods(factory: object) -> list[str]:
    """The protocol's methods a class lacks (or has but cannot call); a factory function is known only once built."""
    if not isinstance(factory, type):
        return []
    return [name for name in METHODS if not callable(getattr(factory, name, None))]
