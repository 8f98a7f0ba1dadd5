"""A parameter's move at the step where it parts from the reference's, against that step's gradient and the rule's
state: a plain gradient step (the move a constant times the gradient, where the rule's is not: its per-element
scaling left out), or the reference's move with one of the rule's states replaced by the gradient itself (the
state computed, then not used). Measured from the recorded steps; float64, numpy only."""
from typing import Optional

import numpy as np

from compare.checking.relations import Numbers
from compare.checking.update_fitting import rule_gradients
from compare.checking.update_replay import Steps

EXACT = 1e-4  # what a fit may leave, relative to the largest value of the move
SMALL_STATE = 5e-2  # a state below this share of its largest is left out of a ratio that divides by it (its
# float32 rounding, divided by a value near zero, would swamp the fit)


def _factor(value: np.ndarray, candidate: np.ndarray) -> Optional[float]:
    """c where value == c * candidate exactly (within EXACT of the largest value), else None."""
    norm = float(candidate.ravel() @ candidate.ravel())
    if norm == 0 or not np.all(np.isfinite(candidate)):
        return None
    factor = float(value.ravel() @ candidate.ravel()) / norm
    scale = float(np.abs(value).max(initial=0.0))
    return factor if scale > 0 and float(np.abs(value - factor * candidate).max()) <= EXACT * scale else None


def move_terms_relation(name: str, index: int, moves: tuple[np.ndarray, np.ndarray], steps: Steps,
                        states: dict[str, np.ndarray], numbers: Numbers) -> str:
    """`moves`: the implementation's and the reference's move of `name` at step `index` (0-based); `states`: the
    reference's rule state after that step ('name:state' keys). Words, or ''."""
    mine, theirs = moves
    g = rule_gradients(steps, index).get(name) if index < len(steps.gradients) else None
    if g is None or g.shape != mine.shape or steps.optimizer.name == "sgd":
        return ""
    plain = _factor(mine, g)
    if plain is not None and plain < 0 and _factor(theirs, g) is None:
        rate = -plain
        named = numbers.name_of(rate)
        said = "1" if abs(rate - 1) <= 1e-3 else f"{rate:.4g}" + (f", {named}" if named else "")
        return (f"is {plain:.4g} x its gradient: a plain gradient step (SGD with rate {said}) — the raw gradient, "
                f"without the {steps.optimizer.name} rule's per-element rescaling that the reference's move has")
    for key, state in states.items():
        if not key.startswith(f"{name}:") or state.shape != mine.shape:
            continue
        if _factor(state, g) is not None:
            continue  # a state proportional to this gradient (a first step's moment): replacing it is a factor
        usable = np.abs(state) > SMALL_STATE * float(np.abs(state).max(initial=0.0))
        if usable.sum() < 0.25 * state.size:
            continue
        candidate = np.where(usable, theirs * g / np.where(usable, state, 1.0), 0.0)
        factor = _factor(np.where(usable, mine, 0.0), candidate)
        if factor is not None and abs(factor) > 0:
            kind = key.split(":", 1)[1]
            return (f"is the reference's move with its {kind} replaced by this step's gradient g (times {factor:.4g}): "
                    f"the step uses the gradient itself where the rule uses the {kind} — computed, then not used")
    return ""
