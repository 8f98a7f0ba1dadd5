"""Every parameter's move at one step joined into one array: where one parameter has too few values for a fit
(a linear regression's bias: a factor fits one value always), the whole model's moves are fitted at once. The
implementation's and the reference's moves, or the implementation's moves with its own Adam moments. Numpy."""
from typing import Iterator

import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.state_readings import at_step


def parameter_moves(index: int, evidence: Evidence) -> Iterator[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """(name, start, the implementation's move, the reference's move) at step `index` for every parameter both
    recorded in its own shape, float64: the start is the reference's weights after the step before (the steps
    agree up to the one that parts), or the initial weights."""
    from compare.checking.probe import after_step

    initial = evidence.spec.initial_parameters(evidence.seed)
    for name in initial:
        key = f"{after_step(index)} {name}"
        start = evidence.reference.get(f"{after_step(index - 1)} {name}") if index else initial[name]
        mine, theirs = evidence.values.get(key), evidence.reference.get(key)
        if start is None or mine is None or theirs is None or not mine.shape == theirs.shape == start.shape:
            continue
        start = start.astype(np.float64)
        yield name, start, mine.astype(np.float64) - start, theirs.astype(np.float64) - start


def joined_moves(index: int, evidence: Evidence) -> tuple[np.ndarray, np.ndarray]:
    """Every parameter's move at step `index`, the implementation's and the reference's, joined (flat)."""
    moves = [(mine.ravel(), theirs.ravel()) for _, _, mine, theirs in parameter_moves(index, evidence)]
    if not moves:
        return np.zeros(0), np.zeros(0)
    return np.concatenate([mine for mine, _ in moves]), np.concatenate([theirs for _, theirs in moves])


def every_move(index: int, evidence: Evidence) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Every parameter's move at step `index` and the implementation's own Adam moments after it, joined: one fit
    over the whole model (a linear regression's three numbers are too few one parameter at a time)."""
    own = at_step(evidence.values, index)
    moves, firsts, seconds = [], [], []
    for name, _, mine, _ in parameter_moves(index, evidence):
        first, second = own.get(f"{name}:first_moment"), own.get(f"{name}:second_moment")
        if first is None or second is None or not mine.shape == first.shape == second.shape:
            continue
        moves.append(mine.ravel())
        firsts.append(first.astype(np.float64).ravel())
        seconds.append(second.astype(np.float64).ravel())
    if not moves:
        return np.zeros(0), (np.zeros(0), np.zeros(0))
    return np.concatenate(moves), (np.concatenate(firsts), np.concatenate(seconds))
