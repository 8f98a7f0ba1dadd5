"""`LSTMSpec`: the lstm chapter's language model — one-hot characters -> a long short-term memory layer -> a dense
layer to the vocabulary. Imports no mxnet."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from implementations.sequence_spec import SequenceSpec


@dataclass(frozen=True)
class LSTMSpec(SequenceSpec):
    """I, F, O = sigmoid(X W_x + H W_h + b) per gate; C~ = tanh(X W_xc + H W_hc + b_c); C = F * C + I * C~;
    H = O * tanh(C). The state is (H, C); only H reaches the output layer."""

    cell: ClassVar[str] = "lstm"
    gates: ClassVar[tuple[str, ...]] = ("i", "f", "c", "o")  # input, forget, candidate cell, output: Gluon's order
    state_names: ClassVar[tuple[str, ...]] = ("h", "c")  # hidden state, memory cell
