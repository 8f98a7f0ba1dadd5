"""Parts of a parameter that take no part in the forward pass, read from its gradient: a run of rows, columns,
channels or taps whose gradient is exactly zero where the reference's is not (a weight slice used twice in place
of another, a loop that stops short, a channel never read). Measured from the first step's gradients; numpy."""
from types import MappingProxyType

import numpy as np

from compare.checking.evidence import Evidence

AXES = MappingProxyType({2: ("output units (rows)", "inputs (columns)"),  # a parameter's axes, by its rank
                         4: ("output channels", "input channels", "kernel rows", "kernel columns")})


def zero_run(mine: np.ndarray, theirs: np.ndarray) -> tuple[int, int, int, int]:
    """(axis, start, stop, count): the run of whole slices along one axis where `mine` is exactly zero that holds
    the most slices (`count`) where `theirs` is not (slices zero in both agree, and may sit inside it), short of
    the whole axis; (-1, 0, 0, 0) where there is none."""
    best, most = (-1, 0, 0), 0
    if mine.shape != theirs.shape:
        return (*best, most)
    for axis in range(mine.ndim):
        others = tuple(a for a in range(mine.ndim) if a != axis)
        silent, telling = np.all(mine == 0, axis=others), np.any(theirs != 0, axis=others)
        if silent.all() or not (silent & telling).any():
            continue
        edges = np.flatnonzero(np.diff(np.concatenate([[0], silent.astype(np.int8), [0]])))
        for start, stop in zip(edges[::2], edges[1::2]):
            count = int(np.count_nonzero(telling[start:stop]))
            if count > most:
                best, most = (axis, int(start), int(stop)), count
    return (*best, most)


def unused_relation(layer: str, evidence: Evidence) -> str:
    """The layer's weight whose gradient is exactly zero over a run of slices on one axis where the reference's
    is not: those weights are never used in the layer's output. '' where none is."""
    name = f"gradient {layer}.weight"
    mine, theirs = evidence.values.get(name), evidence.reference.get(name)
    if mine is None or theirs is None or mine.ndim not in AXES:
        return ""
    axis, start, stop, count = zero_run(mine, theirs)
    if count < max(2, 0.05 * mine.shape[axis]):  # a unit or two at 0: ReLUs dead on this batch, not weights unread
        return ""
    return (f"{layer}.weight's gradient is exactly 0 in {AXES[mine.ndim][axis]} {start}-{stop - 1} (of "
            f"{mine.shape[axis]}), where the reference's is not: those weights get no gradient, so they take no "
            f"part in {layer}'s output (never read: another slice used in their place, or a loop or slice that "
            "stops short) or every unit they feed is inactive on this batch")
