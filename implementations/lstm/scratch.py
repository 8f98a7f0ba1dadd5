"""The LSTM language model on raw NDArray, one time step at a time, in Gluon's parameterization (an i2h and an h2h
bias per gate)."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.sequence_ndarray import Gates, SequenceNetwork
from implementations.sequence_protocol import State

nd = mx.nd


class ScratchLSTM(SequenceNetwork):
    def cell(self, i2h: Gates, h2h: Gates, state: State) -> State:
        H, C = state
        I = nd.sigmoid(i2h["i"] + h2h["i"])  # input gate
        F = nd.sigmoid(i2h["f"] + h2h["f"])  # forget gate
        C_tilda = nd.tanh(i2h["c"] + h2h["c"])  # candidate memory cell
        O = nd.sigmoid(i2h["o"] + h2h["o"])  # output gate
        C = F * C + I * C_tilda
        return (O * nd.tanh(C), C)  # only H reaches the output layer
