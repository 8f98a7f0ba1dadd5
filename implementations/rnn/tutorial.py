"""The RNN language model exactly as the rnn-scratch chapter writes it: its `get_params` (W_xh, W_hh, b_h, W_hq,
b_q, dense weights (in, out) for `nd.dot`, one bias), `init_rnn_state` and `rnn`, with its `grad_clipping` and
`sgd` (`SequenceAsWritten`)."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.sequence_ndarray import Layout, SequenceAsWritten
from implementations.sequence_spec import OUTPUT

nd = mx.nd

LAYOUT: Layout = (("W_xh", "i2h_weight", "h"), ("W_hh", "h2h_weight", "h"), ("b_h", "bias", "h"),
                  ("W_hq", "weight", OUTPUT), ("b_q", "bias", OUTPUT))


def get_params(num_inputs: int, num_hiddens: int, num_outputs: int, ctx: mx.Context) -> list:
    def _one(shape):
        return nd.zeros(shape, ctx=ctx)  # the chapter draws N(0, 0.01); the shared initial weights are loaded

    W_xh = _one((num_inputs, num_hiddens))
    W_hh = _one((num_hiddens, num_hiddens))
    b_h = nd.zeros(num_hiddens, ctx=ctx)
    W_hq = _one((num_hiddens, num_outputs))
    b_q = nd.zeros(num_outputs, ctx=ctx)
    params = [W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.attach_grad()
    return params


def init_rnn_state(batch_size: int, num_hiddens: int, ctx: mx.Context) -> tuple:
    return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx),)


def rnn(inputs: list, state: tuple, params: list) -> tuple[list, tuple]:
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:  # num_steps matrices (batch, vocab)
        H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
        Y = nd.dot(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)


class TutorialRNN(SequenceAsWritten):
    layout = LAYOUT
    get_params, init_state, cell = staticmethod(get_params), staticmethod(init_rnn_state), staticmethod(rnn)
