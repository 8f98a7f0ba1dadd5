"""The LSTM language model exactly as the lstm chapter writes it: its `get_params` (input, forget, output gates'
and candidate cell's W_x*, W_h*, b_*, then W_hq, b_q; one bias per gate), `init_lstm_state` and `lstm`, with its
`grad_clipping` and `sgd` (`SequenceAsWritten`)."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.sequence_ndarray import Layout, SequenceAsWritten
from implementations.sequence_spec import OUTPUT

nd = mx.nd

LAYOUT: Layout = (("W_xi", "i2h_weight", "i"), ("W_hi", "h2h_weight", "i"), ("b_i", "bias", "i"),
                  ("W_xf", "i2h_weight", "f"), ("W_hf", "h2h_weight", "f"), ("b_f", "bias", "f"),
                  ("W_xo", "i2h_weight", "o"), ("W_ho", "h2h_weight", "o"), ("b_o", "bias", "o"),
                  ("W_xc", "i2h_weight", "c"), ("W_hc", "h2h_weight", "c"), ("b_c", "bias", "c"),
                  ("W_hq", "weight", OUTPUT), ("b_q", "bias", OUTPUT))


def get_params(num_inputs: int, num_hiddens: int, num_outputs: int, ctx: mx.Context) -> list:
    def _one(shape):
        return nd.zeros(shape, ctx=ctx)  # the chapter draws N(0, 0.01); the shared initial weights are loaded

    def _three():
        return (_one((num_inputs, num_hiddens)), _one((num_hiddens, num_hiddens)), nd.zeros(num_hiddens, ctx=ctx))

    W_xi, W_hi, b_i = _three()  # input gate
    W_xf, W_hf, b_f = _three()  # forget gate
    W_xo, W_ho, b_o = _three()  # output gate
    W_xc, W_hc, b_c = _three()  # candidate memory cell
    W_hq = _one((num_hiddens, num_outputs))
    b_q = nd.zeros(num_outputs, ctx=ctx)
    params = [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q]
    for param in params:
        param.attach_grad()
    return params


def init_lstm_state(batch_size: int, num_hiddens: int, ctx: mx.Context) -> tuple:
    return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx), nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx))


def lstm(inputs: list, state: tuple, params: list) -> tuple[list, tuple]:
    [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q] = params
    (H, C) = state
    outputs = []
    for X in inputs:
        I = nd.sigmoid(nd.dot(X, W_xi) + nd.dot(H, W_hi) + b_i)
        F = nd.sigmoid(nd.dot(X, W_xf) + nd.dot(H, W_hf) + b_f)
        O = nd.sigmoid(nd.dot(X, W_xo) + nd.dot(H, W_ho) + b_o)
        C_tilda = nd.tanh(nd.dot(X, W_xc) + nd.dot(H, W_hc) + b_c)
        C = F * C + I * C_tilda
        H = O * C.tanh()
        Y = nd.dot(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H, C)


class TutorialLSTM(SequenceAsWritten):
    layout = LAYOUT
    get_params, init_state, cell = staticmethod(get_params), staticmethod(init_lstm_state), staticmethod(lstm)
