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
        H_tilda = nd.tanh(i2h["n"] + self.candidate_h2h(R, H, h2h))  # candidate hidden state
        return (Z * H + (1 - Z) * H_tilda,)

    def candidate_h2h(self, R: nd.NDArray, H: nd.NDArray, h2h: Gates) -> nd.NDArray:
        """Gluon's: the reset gate after the product, R * (H W_hn + b_hn)."""
        return R * h2h["n"]


class ChapterGRU(ScratchGRU):
    """The gru chapter's equations in Gluon's parameterisation: the reset gate before the product,
    (R * H) W_hn + b_hn. `check` holds a GRU written the chapter's way to it."""

    def candidate_h2h(self, R: nd.NDArray, H: nd.NDArray, h2h: Gates) -> nd.NDArray:
        rows = self.spec.gate_rows("n")
        weight = nd.slice_axis(self.params["gru.h2h_weight"], axis=0, begin=rows.start, end=rows.stop)
        bias = nd.slice_axis(self.params["gru.h2h_bias"], axis=0, begin=rows.start, end=rows.stop)
        return nd.FullyConnected(R * H, weight, bias, num_hidden=self.spec.num_hiddens)
