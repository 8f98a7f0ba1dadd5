"""The one training step of the language models (`implementations/sequence_protocol.py`): forward over a batch
from a state, the mean softmax cross-entropy per character, backward, clipping, SGD on the mean; with perplexity and
the chapters' text predicted from a prefix. What `compare.training.sequence_runner` calls for `rnn`, `gru`, `lstm`.
"""
from __future__ import annotations

import math

import numpy as np

from compare.data.text import Vocabulary
from compare.errors import UsageError
from implementations.mxnet_compat import mx
from implementations.sequence_protocol import SequenceModel, State

nd = mx.nd


def as_arrays(X: np.ndarray, Y: np.ndarray, ctx: mx.Context) -> tuple[nd.NDArray, nd.NDArray]:
    """A sampler's (X, Y) index arrays as float32 NDArrays on `ctx`, as the chapters' `nd.array` makes them."""
    return nd.array(X, ctx=ctx, dtype=np.float32), nd.array(Y, ctx=ctx, dtype=np.float32)


def labels_of(Y: nd.NDArray) -> nd.NDArray:
    """Y (batch, num_steps) as the labels of forward's time-major rows: Y.T.reshape(-1)."""
    return Y.T.reshape((-1,))


def sequence_loss(logits: nd.NDArray, Y: nd.NDArray) -> nd.NDArray:
    """The mean softmax cross-entropy over every character of the batch: what the chapters'
    `gloss.SoftmaxCrossEntropyLoss()(outputs, y).mean()` computes (log-softmax, then -pick)."""
    return -nd.pick(nd.log_softmax(logits, axis=-1), labels_of(Y), axis=-1).mean()


def training_step(model: SequenceModel, X: nd.NDArray, Y: nd.NDArray, state: State, learning_rate: float,
                  clipping_theta: float) -> tuple[nd.NDArray, State]:
    """One step on (X, Y) from `state` (begun, or detached by the caller): the mean loss (not read back: no sync)
    and the state after the batch."""
    with mx.autograd.record():
        logits, state = model.forward(X, state)
        loss = sequence_loss(logits, Y)
    loss.backward()
    model.clip_gradients(clipping_theta)
    model.step(1, learning_rate)  # the loss is a mean already: the chapters' sgd(params, lr, 1)
    return loss, state


def perplexity(loss_sum: float, count: int) -> float:
    """exp of the mean loss per character, from the summed per-character loss over `count` characters."""
    return math.exp(loss_sum / count)


def predict(model: SequenceModel, vocabulary: Vocabulary, prefix: str, num_chars: int, ctx: mx.Context) -> str:
    """The chapters' `predict_rnn`: from a fresh state, the prefix fed one character at a time, then `num_chars`
    characters, each the most likely after the last and fed back in."""
    if not prefix:
        raise UsageError("the prefix to predict from is empty")
    prefix_indices = [int(index) for index in vocabulary.encode(prefix)]
    state, output = model.begin_state(1), prefix_indices[:1]
    for t in range(num_chars + len(prefix) - 1):
        X = nd.array([[output[-1]]], ctx=ctx)  # (1, 1): one sequence, one step
        logits, state = model.forward(X, state)
        output.append(prefix_indices[t + 1] if t < len(prefix) - 1 else int(logits.argmax(axis=1).asscalar()))
    return vocabulary.decode(output)
