"""The weights replaced by the rule's step, `w[:] = step` where `w[:] = w - step` belongs (a `-` lost): the
weights after the step equal the step itself. Read on the parameter that parts, or, where it starts at zero (a
bias: there a step assigned and a step added are the same), on another parameter of the same step. Numpy."""
import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.fits import explains
from compare.checking.joined_moves import parameter_moves


def _replaced_by_step(values: tuple[np.ndarray, np.ndarray, np.ndarray]) -> str:
    """The weights after the step are the rule's step itself, of either sign: '' where not, or where the weights
    start at zero or too near it for the step added to be told from it (there the two are the same)."""
    start, moved, wanted = values
    difference = float(np.abs(moved - wanted).max(initial=0.0))
    if not np.any(start) or not np.any(wanted):
        return ""
    added = explains(moved, -wanted, difference)  # the step added (a sign) fits as well: the weights are too small
    step = float(np.abs(wanted).max())  # beside the step to tell the two apart; the match is held to the step's
    if explains(start + moved, np.zeros_like(wanted), step):  # own size: weights all but zeroed are no step
        return ""
    for sign, written in ((-1, "w[:] = step"), (1, "w[:] = -step")):
        if explains(start + moved, sign * wanted, step):
            return AMBIGUOUS if added else written
    return ""


AMBIGUOUS = "either"


def assigned_relation(name: str, index: int, values: tuple[np.ndarray, np.ndarray, np.ndarray],
                      evidence: Evidence) -> str:
    """The weights replaced by the rule's step (`w[:] = step` for `w[:] -= step`), read on this parameter or, where
    it starts at zero and its move is the reference's reversed (which either slip gives), on another parameter of
    the same step that starts elsewhere."""
    written = _replaced_by_step(values)
    start, moved, wanted = values
    if not written and not np.any(start) and np.any(wanted) and \
            explains(moved, -wanted, float(np.abs(moved - wanted).max(initial=0.0))):
        written = next((said for other, *moves in parameter_moves(index, evidence)
                        if other != name and (said := _replaced_by_step(tuple(moves)))), "")
    if written == AMBIGUOUS:
        return ("is the reference's reversed: the step is added to the weights (w += step) or the weights are "
                "replaced by it (w[:] = step, a `-` lost from w[:] -= step); the weights start too near 0 beside the "
                "step to tell the two apart")
    if not written:
        return ""
    return (f"is the step itself: the weights after it hold the rule's step ({written}: the weights replaced by the "
            "step), where the rule subtracts the step from the weights (w[:] = w - step)")
