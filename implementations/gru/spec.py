"""`GRUSpec`: the gru chapter's language model — one-hot characters -> a gated recurrent unit -> a dense layer to
the vocabulary. Imports no mxnet."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from implementations.sequence_spec import SequenceSpec


@dataclass(frozen=True)
class GRUSpec(SequenceSpec):
    """R, Z = sigmoid(X W_x + H W_h + b) per gate; H~ = tanh(X W_xn + b_in + R * (H W_hn + b_hn));
    H = Z * H + (1 - Z) * H~: Gluon's (cuDNN's) GRU, which `scratch` computes. The chapter writes
    H~ = tanh(X W_xh + (R * H) W_hh + b_h), the reset gate before the product (`ChapterGRU`, its `tutorial`)."""

    cell: ClassVar[str] = "gru"
    gates: ClassVar[tuple[str, ...]] = ("r", "z", "n")  # reset, update, candidate: Gluon's packed order
    h2h_scaled_gates: ClassVar[tuple[str, ...]] = ("n",)  # the candidate's h2h term is scaled by the reset gate
