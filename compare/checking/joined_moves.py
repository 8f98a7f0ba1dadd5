"""Every parameter's move at one step joined into one array: where one parameter has too few values for a fit
(a linear regression's bias: a factor fits one value always), the whole model's moves are fitted at once. The
implementation's and the reference's moves, or the implementation's moves with its own Adam moments. Numpy."""
import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.state_readings import at_step


def joined_moves(index: int, evidence: Evidence) -> tuple[np.ndarray, np.ndarray]:
    """Every parameter's move at step `index`, the implementation's and the reference's, joined (flat)."""
    from compare.checking.probe import after_step

    initial, mine, theirs = evidence.spec.initial_parameters(evidence.seed), [], []
    for name in initial:
        key, start = f"{after_step(index)} {name}", (evidence.reference.get(f"{after_step(index - 1)} {name}")
                                                     if index else initial[name])
        if key in evidence.values and key in evidence.reference and start is not None and \
                evidence.values[key].shape == evidence.reference[key].shape == np.shape(start):
            mine.append((evidence.values[key].astype(np.float64) - start).ravel())
            theirs.append((evidence.reference[key].astype(np.float64) - start).ravel())
    return (np.concatenate(mine), np.concatenate(theirs)) if mine else (np.zeros(0), np.zeros(0))


def every_move(index: int, evidence: Evidence) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Every parameter's move at step `index` and the implementation's own Adam moments after it, joined: one fit
    over the whole model (a linear regression's three numbers are too few one parameter at a time)."""
    from compare.checking.probe import after_step

    own, initial = at_step(evidence.values, index), evidence.spec.initial_parameters(evidence.seed)
    moves, firsts, seconds = [], [], []
    for name in initial:
        after, before = own.get(name), (evidence.reference.get(f"{after_step(index - 1)} {name}") if index
                                         else initial[name])
        first, second = own.get(f"{name}:first_moment"), own.get(f"{name}:second_moment")
        if after is None or before is None or first is None or second is None or \
                not after.shape == np.shape(before) == first.shape == second.shape:
            continue
        moves.append((after.astype(np.float64) - before.astype(np.float64)).ravel())
        firsts.append(first.astype(np.float64).ravel())
        seconds.append(second.astype(np.float64).ravel())
    if not moves:
        return np.zeros(0), (np.zeros(0), np.zeros(0))
    return np.concatenate(moves), (np.concatenate(firsts), np.concatenate(seconds))
