"""`RNNSpec`: the rnn-scratch chapter's language model — one-hot characters -> a tanh recurrent layer -> a dense
layer to the vocabulary. Imports no mxnet."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from implementations.sequence_spec import SequenceSpec


@dataclass(frozen=True)
class RNNSpec(SequenceSpec):
    """H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h), logits = H_t W_hq + b_q."""

    cell: ClassVar[str] = "rnn"
    gates: ClassVar[tuple[str, ...]] = ("h",)  # one block: the hidden state's pre-activation
