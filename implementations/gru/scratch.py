"""The GRU language model on raw NDArray, one time step at a time, in Gluon's parameterization (an i2h and an h2h
bias per gate; the candidate's h2h term, bias included, scaled by the reset gate, as the chapter's code and Gluon
both compute it)."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.sequence_ndarray import Gates, SequenceNetwork
from implementations.sequence_protocol import State

nd = mx.nd


class ScratchGRU(SequenceNetwork):
    def cell(self, i2h: Gates, h2h: Gates, state: State) -> State:
        (H,) = state
        R = nd.sigmoid(i2h["r"] + h2h["r"])  # reset gate
        Z = nd.sigmoid(i2h["z"] + h2h["z"])  # update gate
        H_tilda = nd.tanh(i2h["n"] + R * h2h["n"])  # candidate hidden state
        return (Z * H + (1 - Z) * H_tilda,)
