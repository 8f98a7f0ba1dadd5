"""Why a language model's first differing quantity differs, measured from the numbers: the equations' neighbours
run from the same weights and start state (a gate's activation, a gate on another's weights, the cell's own
choices), the state a batch begins from, a packed gradient's gate blocks, the clipping a step's gradients show,
the update's move against the reference's, the state a batch hands on; where none fits, where the difference sits.
Numpy only."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from compare.checking.clipping import clipping_relation
from compare.checking.fits import best_fit, explains
from compare.checking.relations import Numbers, relation, where_it_sits
from compare.checking.sequence_cells import GATE_NAMES, Unrolled, neighbours, unroll
from compare.checking.sequence_probe import SequenceProbe
from compare.checking.sequence_update import rule_relation, state_relation
from compare.results.sequence_check_types import SequenceRow
from implementations.sequence_spec import SequenceSpec

Values = dict  # (quantity name, batch) -> float64 array
AGREE = 1e-3  # factors this close are one factor


@dataclass(frozen=True)
class SequenceEvidence:
    """What a diagnosis may use: the spec, the probe, the initial weights, the learner's and the float64
    reference's values."""

    spec: SequenceSpec
    probe: SequenceProbe
    initial: dict  # canonical name -> the seed's initial weights
    actual: Values
    reference: Values

    def weights_before(self, batch: int) -> dict:
        """The reference's weights entering `batch` (the initial weights for the first)."""
        if batch == 1:
            return {name: np.asarray(value, dtype=np.float64) for name, value in self.initial.items()}
        return {name: self.reference[f"weights {name}", batch - 1] for name in self.initial}

    def zeros(self) -> tuple:
        return tuple(np.zeros((self.probe.batch_size, self.spec.num_hiddens)) for _ in self.spec.state_names)

    def start_state(self, batch: int, carried: bool) -> tuple:
        """The state `batch` begins from: zeros, or the reference's state carried from the batch before."""
        if batch == 1 or not carried:
            return self.zeros()
        return tuple(self.reference[f"carried state {name}", batch - 1] for name in self.spec.state_names)

    def numbers(self) -> Numbers:
        probe = self.probe
        return Numbers(scalars=(("the batch size", float(probe.batch_size)), ("the time steps", float(probe.num_steps)),
                                ("the batch size x the time steps", float(probe.batch_size * probe.num_steps)),
                                ("the learning rate", probe.learning_rate), ("the clipping norm", probe.clipping_theta),
                                ("the vocabulary's size", float(self.spec.vocab_size)),
                                *probe.optimizer.values.items()))


def diagnose(row: SequenceRow, evidence: SequenceEvidence) -> str:
    """Words for why the row's quantity differs; '' when nothing was measured to say."""
    kind, name, batch = row.kind, row.name, row.batch
    actual, reference = evidence.actual.get((name, batch)), evidence.reference.get((name, batch))
    if row.problem:
        return "" if "shape" in row.problem or actual is None else "the values are not finite where the reference's are"
    if kind == "begun state":
        words = begun_relation(row, evidence)
    elif kind in ("state", "logits"):
        words = forward_relation(batch, evidence) or (returned_state_relation(name, evidence) if kind == "state"
                                                      else "")
    elif kind == "gradient before clipping":
        words = packed_relation(name, actual, reference, evidence.spec)
    elif kind == "gradient":
        words = clipped_relation(batch, evidence)
    elif kind == "optimizer state":
        words = rule_relation(evidence.actual, evidence.initial, evidence.probe) or state_relation(
            name, evidence.actual, evidence.reference, evidence.initial, evidence.probe, evidence.numbers())
    elif kind == "weights" and not evidence.probe.optimizer.plain_sgd:
        words = rule_relation(evidence.actual, evidence.initial, evidence.probe) or move_relation(name, batch, evidence)
    elif kind == "weights":
        words = move_relation(name, batch, evidence)
    elif kind == "carried state":
        words = carried_relation(name, batch, evidence)
    else:
        words = ""
    if words or actual is None or reference is None:
        return words
    return relation(actual, reference, evidence.numbers()) or where_it_sits(actual, reference, row.allowed, "layer")


def begun_relation(row: SequenceRow, evidence: SequenceEvidence) -> str:
    """The state a batch begins from against the reference's (zeros, or the last batch's, carried and detached)."""
    actual, reference = evidence.actual.get((row.name, row.batch)), evidence.reference.get((row.name, row.batch))
    if actual is None or reference is None or actual.shape != reference.shape:
        return ""
    carried = evidence.reference.get((row.name.replace("begun", "carried"), row.batch - 1))
    if not np.any(reference) and carried is not None and explains(actual, carried, float(np.abs(actual).max())):
        return ("the batch begins from the previous batch's final state, where random sampling begins a fresh "
                "state every batch (its sequences do not continue the last batch's)")
    if not np.any(reference):
        return ("the state a batch begins from is not zeros (the chapters' init_rnn_state): "
                + (where_it_sits(actual, reference, 0.0, "layer") or "it holds other values"))
    if not np.any(actual):
        return "the state a batch begins from is zeros where it should carry the last batch's final state"
    return "the state a batch begins from is not the last batch's final state (detach changed its values)"


def returned_state_relation(name: str, evidence: SequenceEvidence) -> str:
    """A state forward returns (after step t, read by a forward over t + 1 steps) that the logits do not explain:
    the state the batch began from, or the state after an earlier step."""
    state_name, step = name.removeprefix("state ").split(" at step ")
    actual = evidence.actual.get((name, 1))
    index = evidence.spec.state_names.index(state_name)
    candidates = [("forward returns the state it was given, not the state after the sequence's last step",
                   evidence.start_state(1, False)[index])]
    candidates += [(f"forward returns the state after step {earlier}, not after the sequence's last step",
                    evidence.reference[f"state {state_name} at step {earlier}", 1]) for earlier in range(int(step))]
    if actual is None:
        return ""
    reference = evidence.reference[name, 1]
    return best_fit(actual, candidates, float(np.abs(actual - reference).max(initial=0.0)))


def _forward_values(batch: int, evidence: SequenceEvidence, source: Values) -> np.ndarray:
    """The batch's logits at each step (and the first batch's state after each step), flattened, from `source`."""
    steps = range(evidence.probe.num_steps)
    parts = [source[f"logits at step {step}", batch] for step in steps]
    if batch == 1 and _has_states(evidence):
        parts += [source[f"state {name} at step {step}", 1] for step in steps for name in evidence.spec.state_names]
    return np.concatenate([np.ravel(part) for part in parts])


def _has_states(evidence: SequenceEvidence) -> bool:
    """Whether the learner's state after each step was measured (see `sequence_probe.state_per_step`)."""
    return (f"state {evidence.spec.state_names[0]} at step 0", 1) in evidence.actual


def _unrolled_values(unrolled: Unrolled, batch: int, states: bool) -> np.ndarray:
    parts = list(unrolled.logits)
    if batch == 1 and states:
        parts += [array for state in unrolled.states for array in state]
    return np.concatenate([np.ravel(part) for part in parts])


def forward_relation(batch: int, evidence: SequenceEvidence) -> str:
    """The neighbour of the equations (or the other start state) that reproduces the batch's logits and states."""
    spec, probe = evidence.spec, evidence.probe
    try:
        actual = _forward_values(batch, evidence, evidence.actual)
        expected = _forward_values(batch, evidence, evidence.reference)
    except KeyError:  # the learner's logits have another shape: compared whole, said by shape
        return ""
    if actual.shape != expected.shape or not np.all(np.isfinite(actual)):
        return ""
    difference = float(np.abs(actual - expected).max(initial=0.0))
    X = probe.batches[batch - 1][0]
    weights = evidence.weights_before(batch)
    carried = probe.sampling == "consecutive"
    start = evidence.start_state(batch, carried)
    states = _has_states(evidence)
    candidates = [(wiring.words(spec.cell), _unrolled_values(unroll(spec, weights, X, start, wiring), batch, states))
                  for wiring in neighbours(spec, square=probe.batch_size == probe.num_steps)]
    if batch > 1:
        other = evidence.start_state(batch, not carried)
        words = ("the batch begins from a fresh (zero) state, where consecutive sampling carries the previous "
                 "batch's final state over (detached)") if carried else (
                 "the batch begins from the previous batch's final state, where random sampling begins a fresh "
                 "state every batch (its sequences do not continue the last batch's)")
        candidates.append((words, _unrolled_values(unroll(spec, weights, X, other), batch, states)))
    return fits_in_words(actual, candidates, difference)


CLEARLY_CLOSER = 1e-2  # a fit this much closer than the next is the one; else these numbers cannot tell them apart


def fits_in_words(actual: np.ndarray, candidates: list, difference: float) -> str:
    """The candidate that reproduces `actual`; where a second reproduces it nearly as closely (tanh and no
    activation at the small pre-activations of fresh weights), both, said to be indistinguishable here."""
    residuals = sorted((float(np.abs(actual - values).max(initial=0.0)), words) for words, values in candidates
                       if explains(actual, values, difference))
    if not residuals:
        return ""
    (best, words), rest = residuals[0], residuals[1:]
    if rest and best > CLEARLY_CLOSER * rest[0][0]:
        return f"{words}; or else {rest[0][1]} (these numbers cannot tell the two apart)"
    return words


def packed_relation(name: str, actual, reference, spec: SequenceSpec) -> str:  # type: ignore[no-untyped-def]
    """A packed recurrent parameter's gradient read block by gate: each learner's block the reference's own, none,
    another gate's, or two gates' together. Words where that explains every block and one is not its own."""
    if actual is None or reference is None or actual.shape != reference.shape or not name.startswith(
            f"gradient {spec.cell}.") or len(spec.gates) < 2:
        return ""
    blocks = {gate: (actual[spec.gate_rows(gate)], reference[spec.gate_rows(gate)]) for gate in spec.gates}
    difference = float(np.abs(actual - reference).max(initial=0.0))
    names, said = GATE_NAMES[spec.cell], []
    for gate, (mine, _) in blocks.items():
        candidates = [("own", blocks[gate][1]), ("no gradient", np.zeros_like(mine))]
        candidates += [(f"the {names[other]}'s gradient", blocks[other][1]) for other in spec.gates if other != gate]
        candidates += [(f"both its own gradient and the {names[other]}'s", blocks[gate][1] + blocks[other][1])
                       for other in spec.gates if other != gate]
        fit = best_fit(mine, candidates, difference)
        if not fit:
            return ""
        if fit != "own":
            said.append(f"the {names[gate]}'s rows get {fit}")
    if not said:
        return ""
    return "; ".join(said) + " — one gate's weights or bias wired into another gate's place"


def clipped_relation(batch: int, evidence: SequenceEvidence) -> str:
    """The learner's clipped gradients against the reference's unclipped ones (which agreed): not clipped, clipped to
    another global norm, or clipped per parameter."""
    order = [name for name in evidence.initial]
    raw = {name: evidence.reference.get((f"gradient {name} before clipping", batch)) for name in order}
    mine = {name: evidence.actual.get((f"gradient {name}", batch)) for name in order}
    if any(value is None for value in [*raw.values(), *mine.values()]):
        return ""
    factors = {}
    for name in order:
        norm = float(np.vdot(raw[name], raw[name]))
        if norm > 0:
            factors[name] = float(np.vdot(mine[name], raw[name])) / norm
    total = math.sqrt(sum(float(np.vdot(value, value)) for value in raw.values()))
    theta = evidence.probe.clipping_theta
    values = list(factors.values())
    if not values:
        return ""
    if np.allclose(values, 1.0, rtol=0, atol=AGREE):
        return (f"the gradients are not clipped: their global norm is {total:.4g}, which the chapters rescale to "
                f"theta = {theta:g} (every gradient times {theta / total:.3g})") if total > theta else ""
    if np.allclose(values, values[0], rtol=AGREE) and values[0] > 1 + AGREE:
        return (f"every gradient is scaled up by {values[0]:.4g}, to a global norm of {values[0] * total:.4g}, where "
                f"their norm ({total:.4g}) is below theta = {theta:g}: clipping must only scale down, "
                "min(1, theta / norm)")
    if np.allclose(values, values[0], rtol=AGREE):
        return (f"every gradient is scaled by one factor, {values[0]:.4g}: clipped to a global norm of "
                f"{values[0] * total:.4g} where the recipe's theta is {theta:g} (global norm {total:.4g})")
    per_parameter = clipping_relation(factors, raw, reference_clips=True)
    if per_parameter:
        return per_parameter
    spread = ", ".join(f"{name} x{factor:.3g}" for name, factor in factors.items())
    return f"each gradient is scaled by its own factor ({spread}), not by one factor for all"


def move_relation(name: str, batch: int, evidence: SequenceEvidence) -> str:
    """A parameter's move in the update against the reference's (its gradients agreed): a factor named when it is
    a number of the step (the learning rate, the batch size, ...)."""
    parameter = name.removeprefix("weights ")
    before = evidence.weights_before(batch).get(parameter)
    actual, reference = evidence.actual.get((name, batch)), evidence.reference.get((name, batch))
    if before is None or actual is None or reference is None or actual.shape != reference.shape:
        return ""
    words = relation(actual - before, reference - before, evidence.numbers())
    return f"the update of {parameter} {words}" if words else ""


def carried_relation(name: str, batch: int, evidence: SequenceEvidence) -> str:
    """The state a batch hands on against the states the reference went through: the begun state, or the state
    after an earlier time step (first batch: every step's state is measured)."""
    actual = evidence.actual.get((name, batch))
    if actual is None:
        return ""
    state_name = name.removeprefix("carried state ")
    reference = evidence.reference.get((name, batch))
    difference = float(np.abs(actual - reference).max(initial=0.0)) if reference is not None \
        and reference.shape == actual.shape else 1.0
    candidates = [("the state the batch began from (the one given to forward), not the state after its last step",
                   evidence.start_state(batch, evidence.probe.sampling == "consecutive")[
                       evidence.spec.state_names.index(state_name)])]
    if batch == 1:
        last = evidence.probe.num_steps - 1
        candidates += [(f"the state after time step {step}, not after the last step ({last})",
                        evidence.reference[f"state {state_name} at step {step}", 1]) for step in range(last)]
    return best_fit(actual, candidates, difference)


DETACH_WORDS = ("the state `detach` returns is still attached to the graph that computed it: a backward from it "
                "reaches the parameters (|gradient| summed {:.3g}), so the next batch's gradients would flow back "
                "into this one. In MXNet 1.9.1 a backward frees its graph, which hides this in training; detach "
                "must return `state.detach()` (the chapters' `s.detach()` discards that result)")
