"""Why a weight or a rule's state never moves, told from the weights' own step at the same step: an update not
written into the array (a name rebound), or a 0 written (a term of the state itself, or a value read before it is
set). Numpy, on recorded values."""
import numpy as np

from compare.checking.evidence import Evidence


def never_moves(name: str, index: int, evidence: Evidence) -> str:
    """Why a weight or a rule's state stays zero. A state computed right but never stored (a name rebound) leaves
    the weights' step of that step the rule's, as the step reads the new value under its new name; so where that
    step differs, the value written is 0 (a term of the state itself, which starts at 0, or a value read before it
    is set). Where it agrees, both remain (a state first read at the next step: adadelta's delta)."""
    from compare.checking.probe import after_step

    rebound = (": it never moves; the update is not written into it (a name rebound by `x = x - ...` leaves the "
               "array as it was: update it in place, x[:] = ...)")
    if ":" not in name:
        return rebound
    key = f"{after_step(index)} {name.split(':', 1)[0]}"
    mine, theirs = evidence.values.get(key), evidence.reference.get(key)
    if mine is None or theirs is None or mine.shape != theirs.shape:
        return rebound
    if np.allclose(mine, theirs, rtol=1e-5, atol=1e-6 * float(np.abs(theirs).max(initial=0.0))):
        return (": it never moves: nothing but 0 is stored in it. Either the update is not written into the array "
                "(a name rebound by `x = x - ...` leaves it as it was: update it in place, x[:] = ...), or the value "
                "written is 0 (a term made of the state itself, which starts at 0, or of a value read before it is "
                "set); the weights' step here is the rule's, which does not tell the two apart")
    return (": it never moves, and the weights' step differs from the rule's: the value written into it is 0 at "
            "every step (a term made of the state itself, which starts at 0, or of a value read before it is set), "
            "where the rule writes its average of the gradient's terms")
