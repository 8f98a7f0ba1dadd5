"""The language models' equations in float64 numpy, with their neighbours: each gate's activation swapped, a gate
computed with another gate's weights, the GRU's update gate the other way round, the LSTM's input or forget gate
left out or the cell's tanh, no recurrence within the sequence, the inputs transposed, the logits read from the
memory cell. `check` runs each neighbour from the same weights and start state and names the one that reproduces
what the learner's model computed. Numpy only; no mxnet."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

import numpy as np

from implementations.sequence_spec import OUTPUT, SequenceSpec


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": _sigmoid, "tanh": np.tanh, "no activation": lambda x: x, "relu": lambda x: np.maximum(x, 0)}
EQUATIONS = {"rnn": {"h": "tanh"}, "gru": {"r": "sigmoid", "z": "sigmoid", "n": "tanh"},
             "lstm": {"i": "sigmoid", "f": "sigmoid", "c": "tanh", "o": "sigmoid"}}
GATE_NAMES = {"rnn": {"h": "hidden state"},
              "gru": {"r": "reset gate", "z": "update gate", "n": "candidate hidden state"},
              "lstm": {"i": "input gate", "f": "forget gate", "c": "candidate memory cell", "o": "output gate"}}
# the cell's own choices a neighbour may make, with their words
OPTIONS = {
    "update gate swapped": "the update gate weighs the other way: H = (1 - Z) * H + Z * H~ where the equations keep "
                           "Z * H + (1 - Z) * H~",
    "reset before the product": "the reset gate multiplies H before the product, (R * H) W_hh (the gru chapter's "
                                "way; Gluon's GRU multiplies after, R * (H W_hh + b))",
    "no input gate": "the input gate is left out: C = F * C + C~",
    "no forget gate": "the forget gate is left out: C = C + I * C~",
    "no tanh on the cell": "tanh of the memory cell is left out: H = O * C where the equations take O * tanh(C)",
    "no recurrence": "the hidden state does not reach the next time step (H W_hh left out, or H not carried): every "
                     "step computes as if from the state the batch began with",
    "inputs transposed": "the one-hot inputs are taken along the wrong axis: step t reads row t of X (an example) "
                         "where the chapters read column t (X.T[t])",
    "logits from the memory cell": "the output layer reads the memory cell C where the equations read H",
}
CELL_OPTIONS = {"rnn": ("no recurrence", "inputs transposed"),
                "gru": ("update gate swapped", "reset before the product", "no recurrence", "inputs transposed"),
                "lstm": ("no input gate", "no forget gate", "no tanh on the cell", "no recurrence", "inputs transposed",
                         "logits from the memory cell")}


@dataclass(frozen=True)
class Wiring:
    """One way of computing a time step: each gate's activation, the gate whose rows each gate uses, and the cell's
    own choices (OPTIONS)."""

    activations: dict = field(default_factory=dict)  # gate -> ACTIVATIONS name; missing: the equations'
    sources: dict = field(default_factory=dict)  # gate -> the gate whose weights and biases it uses
    options: frozenset = frozenset()

    def activation(self, cell: str, gate: str) -> Callable[[np.ndarray], np.ndarray]:
        return ACTIVATIONS[self.activations.get(gate, EQUATIONS[cell][gate])]

    def words(self, cell: str) -> str:
        """What this wiring does otherwise than the equations, in the learner's words: a change from the chapter's
        own equations (the GRU's reset gate before the product) is said as such, not the chapter's way itself."""
        base = CHAPTER_BASES.get(cell, frozenset())
        if base and base <= self.options and self != Wiring(options=base):
            chapter = Wiring(self.activations, self.sources, self.options - base).words(cell)
            return f"{chapter} (in the {cell} chapter's own equations)"
        names = GATE_NAMES[cell]
        parts = [f"the {names[gate]} ({gate}) applies {name} where the equations apply {EQUATIONS[cell][gate]}"
                 for gate, name in self.activations.items()]
        parts += [f"the {names[gate]} ({gate}) is computed with the {names[source]}'s weights and bias"
                  for gate, source in self.sources.items()]
        parts += [OPTIONS[option] for option in sorted(self.options)]
        return "; ".join(parts)


CHAPTER_BASES = {"gru": frozenset({"reset before the product"})}  # a chapter's own equations, where not Gluon's


def neighbours(spec: SequenceSpec, square: bool) -> Iterator[Wiring]:
    """Every wiring one change away from the equations, and from the chapter's own where they differ (the GRU's
    reset gate before the product); `square`: batch == num_steps, so transposed inputs keep their shape and can
    be tried."""
    cell, gates = spec.cell, spec.gates
    chapter = CHAPTER_BASES.get(cell)
    for base in [frozenset(), *([chapter] if chapter else [])]:
        for gate in gates:
            for name in ACTIVATIONS:
                if name != EQUATIONS[cell][gate]:
                    yield Wiring(activations={gate: name}, options=base)
        for gate in gates:
            for source in gates:
                if source != gate:
                    yield Wiring(sources={gate: source}, options=base)
        for option in CELL_OPTIONS[cell]:
            if (option != "inputs transposed" or square) and option not in base:
                yield Wiring(options=base | {option})


def _blocks(spec: SequenceSpec, packed: np.ndarray, wiring: Wiring) -> dict[str, np.ndarray]:
    """A packed pre-activation (batch, gates x hiddens) split by gate, each gate reading its source's rows."""
    return {gate: packed[:, spec.gate_rows(wiring.sources.get(gate, gate))] for gate in spec.gates}


def _step(spec: SequenceSpec, wiring: Wiring, i2h: dict, h2h: dict, state: tuple,
          reset_first: Callable[[np.ndarray], np.ndarray]) -> tuple:
    """One time step; `reset_first(R * H)` is the GRU candidate's h2h term with the reset gate before the product."""
    cell, act = spec.cell, (lambda gate, value: wiring.activation(spec.cell, gate)(value))
    if cell == "rnn":
        return (act("h", i2h["h"] + h2h["h"]),)
    if cell == "gru":
        (H,) = state
        R, Z = act("r", i2h["r"] + h2h["r"]), act("z", i2h["z"] + h2h["z"])
        inside = reset_first(R * H) if "reset before the product" in wiring.options else R * h2h["n"]
        candidate = act("n", i2h["n"] + inside)
        if "update gate swapped" in wiring.options:
            return ((1 - Z) * H + Z * candidate,)
        return (Z * H + (1 - Z) * candidate,)
    H, C = state
    I, F = act("i", i2h["i"] + h2h["i"]), act("f", i2h["f"] + h2h["f"])
    candidate, O = act("c", i2h["c"] + h2h["c"]), act("o", i2h["o"] + h2h["o"])
    C = (C if "no forget gate" in wiring.options else F * C) + \
        (candidate if "no input gate" in wiring.options else I * candidate)
    return (O * (C if "no tanh on the cell" in wiring.options else np.tanh(C)), C)


@dataclass(frozen=True)
class Unrolled:
    """A batch run through one wiring: the state after each time step, the logits at each (batch, vocab)."""

    states: list[tuple]
    logits: list[np.ndarray]


def unroll(spec: SequenceSpec, params: dict[str, np.ndarray], X: np.ndarray, state: tuple,
           wiring: Optional[Wiring] = None) -> Unrolled:
    """The batch X (batch, num_steps) of character indices from `state`, by `wiring` (None: the equations), in
    float64 from the canonical `params`."""
    wiring = wiring or Wiring()
    cell = spec.cell
    weights = {name: np.asarray(value, dtype=np.float64) for name, value in params.items()}
    eye = np.eye(spec.vocab_size)
    columns = X if "inputs transposed" in wiring.options else X.T  # (num_steps, batch) either way when square
    begun = tuple(np.asarray(array, dtype=np.float64) for array in state)
    current, states, logits = begun, [], []
    rows = spec.gate_rows(spec.gates[-1])  # the GRU's candidate (n): the last block

    def reset_first(scaled: np.ndarray) -> np.ndarray:
        return scaled @ weights[f"{cell}.h2h_weight"][rows].T + weights[f"{cell}.h2h_bias"][rows]

    for indices in columns:
        inputs = eye[np.asarray(indices, dtype=np.int64)]  # (batch, vocab)
        previous = begun if "no recurrence" in wiring.options else current
        i2h = inputs @ weights[f"{cell}.i2h_weight"].T + weights[f"{cell}.i2h_bias"]
        h2h = previous[0] @ weights[f"{cell}.h2h_weight"].T + weights[f"{cell}.h2h_bias"]
        current = _step(spec, wiring, _blocks(spec, i2h, wiring), _blocks(spec, h2h, wiring), previous, reset_first)
        read = current[1] if "logits from the memory cell" in wiring.options else current[0]
        states.append(current)
        logits.append(read @ weights[f"{OUTPUT}.weight"].T + weights[f"{OUTPUT}.bias"])
    return Unrolled(states, logits)
