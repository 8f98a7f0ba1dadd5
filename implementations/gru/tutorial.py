"""The GRU language model exactly as the gru chapter writes it: its `get_params` (update, reset and candidate
gates' W_x*, W_h*, b_*, then W_hq, b_q; one bias per gate), `init_gru_state` and `gru`, with its `grad_clipping`
and `sgd` (`SequenceAsWritten`). Its candidate multiplies the reset gate in before the product, (R * H) W_hh, as
the chapter's equations and code write it; Gluon's `rnn.GRU` (cuDNN's formulation) multiplies it in after,
R * (H W_hh + b_hh): another function from the second time step on (a known difference of the pair)."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.sequence_ndarray import Layout, SequenceAsWritten
from implementations.sequence_spec import OUTPUT

nd = mx.nd

LAYOUT: Layout = (("W_xz", "i2h_weight", "z"), ("W_hz", "h2h_weight", "z"), ("b_z", "bias", "z"),
                  ("W_xr", "i2h_weight", "r"), ("W_hr", "h2h_weight", "r"), ("b_r", "bias", "r"),
                  ("W_xh", "i2h_weight", "n"), ("W_hh", "h2h_weight", "n"), ("b_h", "bias", "n"),
                  ("W_hq", "weight", OUTPUT), ("b_q", "bias", OUTPUT))


def get_params(num_inputs: int, num_hiddens: int, num_outputs: int, ctx: mx.Context) -> list:
    def _one(shape):
        return nd.zeros(shape, ctx=ctx)  # the chapter draws N(0, 0.01); the shared initial weights are loaded

    def _three():
        return (_one((num_inputs, num_hiddens)), _one((num_hiddens, num_hiddens)), nd.zeros(num_hiddens, ctx=ctx))

    W_xz, W_hz, b_z = _three()  # update gate
    W_xr, W_hr, b_r = _three()  # reset gate
    W_xh, W_hh, b_h = _three()  # candidate hidden state
    W_hq = _one((num_hiddens, num_outputs))
    b_q = nd.zeros(num_outputs, ctx=ctx)
    params = [W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q]
    for param in params:
        param.attach_grad()
    return params


def init_gru_state(batch_size: int, num_hiddens: int, ctx: mx.Context) -> tuple:
    return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx),)


def gru(inputs: list, state: tuple, params: list) -> tuple[list, tuple]:
    W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        Z = nd.sigmoid(nd.dot(X, W_xz) + nd.dot(H, W_hz) + b_z)
        R = nd.sigmoid(nd.dot(X, W_xr) + nd.dot(H, W_hr) + b_r)
        H_tilda = nd.tanh(nd.dot(X, W_xh) + nd.dot(R * H, W_hh) + b_h)
        H = Z * H + (1 - Z) * H_tilda
        Y = nd.dot(H, W_hq) + b_q
        outputs.append(Y)
    return outputs, (H,)


class TutorialGRU(SequenceAsWritten):
    layout = LAYOUT
    get_params, init_state, cell = staticmethod(get_params), staticmethod(init_gru_state), staticmethod(gru)
