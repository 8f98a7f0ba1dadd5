"""What the character-level language models of the RNN, GRU and LSTM chapters share: one-hot characters in, one
recurrent layer of `num_hiddens` units, a dense layer back to the vocabulary; their canonical parameter names and
layouts (Gluon's, gates packed in Gluon's order), initial weights drawn once per seed. A model's own spec
(`implementations/rnn/spec.py`, ...) names its cell, its gates and its state. Imports no mxnet.

Not a `NetworkSpec`: its input is a sequence of character indices, not an image, and its size comes from the
vocabulary, which only the text knows (`compare.data.text`), so `vocab_size` is given when the spec is built.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Mapping

import numpy as np

from implementations.spec_base import check_init, check_parameter_values, draw_parameters

OUTPUT = "output"  # the dense layer from the hidden state to the vocabulary's logits


@dataclass(frozen=True)
class SequenceSpec:
    """The common part of the three specs; a subclass sets `cell`, `gates` and, for the LSTM, `state_names`."""

    vocab_size: int  # characters in the vocabulary: the one-hot inputs' width and the logits' width
    num_hiddens: int = 256
    init: str = "normal"  # the chapters draw every weight from N(0, 0.01), every bias 0
    weight_scale: float = 0.01

    cell: ClassVar[str] = ""  # "rnn", "gru" or "lstm": the recurrent layer's name in the canonical names
    gates: ClassVar[tuple[str, ...]] = ()  # the row blocks of the packed weights, in Gluon's order
    state_names: ClassVar[tuple[str, ...]] = ("h",)  # the state's arrays, each (batch, num_hiddens)
    # gates whose h2h term, bias included, is scaled by another gate before the nonlinearity (the GRU's candidate,
    # by the reset gate): there the h2h bias does not fold into one bias per gate as the chapters write it
    h2h_scaled_gates: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for name in ("vocab_size", "num_hiddens"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        check_init(self.init, self.weight_scale)

    @property
    def layer_order(self) -> tuple[str, ...]:
        """The recurrent layer, then the output layer."""
        return (self.cell, OUTPUT)

    def parameter_shapes(self) -> dict[str, tuple[int, ...]]:
        """Canonical names and Gluon's layouts: the recurrent layer's weights (gates x hiddens, inputs) with the
        gates' rows stacked in `gates` order, its two biases (i2h and h2h, as Gluon's layers keep them), and
        the output layer's dense weight (vocab, hiddens) and bias."""
        rows, hiddens, vocab = len(self.gates) * self.num_hiddens, self.num_hiddens, self.vocab_size
        return {
            f"{self.cell}.i2h_weight": (rows, vocab),
            f"{self.cell}.h2h_weight": (rows, hiddens),
            f"{self.cell}.i2h_bias": (rows,),
            f"{self.cell}.h2h_bias": (rows,),
            f"{OUTPUT}.weight": (vocab, hiddens),
            f"{OUTPUT}.bias": (vocab,),
        }

    def gate_rows(self, gate: str) -> slice:
        """The rows of the packed weights and biases that belong to `gate`."""
        index = self.gates.index(gate)
        return slice(index * self.num_hiddens, (index + 1) * self.num_hiddens)

    def state_shapes(self, batch_size: int) -> dict[str, tuple[int, ...]]:
        """Each array of the recurrent state by name: the hidden state `h` (and the LSTM's memory cell `c`)."""
        return {name: (batch_size, self.num_hiddens) for name in self.state_names}

    def parameter_count(self) -> int:
        return sum(int(np.prod(shape)) for shape in self.parameter_shapes().values())

    def initial_parameters(self, seed: int) -> dict[str, np.ndarray]:
        """Float32 weights drawn once, in canonical order, from a generator seeded by `seed`; zero biases."""
        return draw_parameters(self.parameter_shapes(), seed, self.init, self.weight_scale)

    def check_parameters(self, values: Mapping[str, object]) -> None:
        """Raise ValueError unless `values` has exactly the canonical names with the right shapes."""
        check_parameter_values(self.parameter_shapes(), values)

    def flops_per_character(self) -> int:
        """Floating-point operations of one example's forward time step (a multiply-add counts two): the
        input's and the hidden state's products with the packed weights, then the output layer. The one-hot
        input's product is counted as the dense product the chapters compute."""
        rows = len(self.gates) * self.num_hiddens
        return 2 * (rows * self.vocab_size + rows * self.num_hiddens + self.vocab_size * self.num_hiddens)
