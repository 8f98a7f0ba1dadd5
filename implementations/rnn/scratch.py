"""The RNN language model on raw NDArray, one time step at a time, in Gluon's parameterization (an i2h and an h2h
bias): H_t = tanh(X_t W_xh + b_ih + H_{t-1} W_hh + b_hh)."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.sequence_ndarray import Gates, SequenceNetwork
from implementations.sequence_protocol import State

nd = mx.nd


class ScratchRNN(SequenceNetwork):
    def cell(self, i2h: Gates, h2h: Gates, state: State) -> State:
        return (nd.tanh(i2h["h"] + h2h["h"]),)  # (batch, num_hiddens)
