"""A parameter's move as a power of the rule's move, element by element: mine = c * sign * |theirs|^p, the sign
kept, turned, or one sign for every element (the step's own sign lost, as a square loses it). The power is read
from a least-squares line of log|mine| on log|theirs| over the elements float32 resolves, then held to the whole
array by `explains`; said only for a half-whole power other than 1. Float64; numpy only."""
from typing import Optional

import numpy as np

from compare.checking.fits import explains

RESOLVED = 1e-2  # elements of the reference's move above this share of its largest read the power
SPREAD = 0.5  # log|theirs| must spread this much (a factor ~1.6) for a power to be told from a constant
OWN_SHARE = 2e-3  # what a fit may leave of the learner's largest move (float32's rounding of the weights it moves)
SIGNS = ("kept", "one sign", "turned")


def _power(mine: np.ndarray, theirs: np.ndarray) -> Optional[float]:
    """The slope of log|mine| on log|theirs| over the resolved elements, rounded to a half where it is one."""
    used = (np.abs(theirs) > RESOLVED * float(np.abs(theirs).max(initial=0.0))) & (mine != 0) & np.isfinite(mine)
    if np.count_nonzero(used) < 8:
        return None
    size = np.log(np.abs(theirs[used]))
    if float(size.std()) < SPREAD:
        return None
    slope = float(np.polyfit(size, np.log(np.abs(mine[used])), 1)[0])
    half = round(slope * 2) / 2
    return half if abs(slope - half) < 0.05 and half > 0 and half != 1 else None


def _signed(theirs: np.ndarray, pattern: str, mine: np.ndarray) -> np.ndarray:
    if pattern == "kept":
        return np.sign(theirs)
    if pattern == "turned":
        return -np.sign(theirs)
    return np.full_like(theirs, np.sign(float(mine.sum())) or 1.0)


def _words(power: float, pattern: str, sign: float) -> str:
    said = {2.0: "the square of the rule's move", 0.5: "the square root of the rule's move", 3.0: "the cube of the "
            "rule's move"}.get(power, f"the rule's move to the power {power:g}")
    if pattern == "one sign":
        way = "down" if sign < 0 else "up"
        return (f"{said} with one sign: every element moves {way} whatever the rule's direction (the step's sign is "
                "lost, as squaring loses it: the step is squared before it is applied, or a value overwritten by "
                "its square is the one applied)")
    turned = ", in the other direction (its sign turned)" if pattern == "turned" else ", its sign kept"
    return f"{said}{turned}: the step is raised to a power where the rule applies it as it is"


def move_power_relation(moves: tuple[np.ndarray, np.ndarray]) -> str:
    """`moves`: the implementation's and the reference's move of one parameter at one step. 'is c x ...' words
    where c * sign * |theirs|^p reproduces the learner's move, '' where none does."""
    mine, theirs = (np.asarray(move, dtype=np.float64).ravel() for move in moves)
    if mine.shape != theirs.shape or not np.any(theirs):
        return ""
    power = _power(mine, theirs)
    if power is None:
        return ""
    difference = float(np.abs(mine - theirs).max(initial=0.0))
    raised = np.abs(theirs) ** power
    for pattern in SIGNS:
        shape = _signed(theirs, pattern, mine) * raised
        norm = float(shape @ shape)
        factor = float(mine @ shape) / norm if norm else 0.0
        candidate = factor * shape  # held to the learner's own size too: a move far smaller than the reference's
        # leaves a residual far below the difference whatever its form
        if factor > 0 and explains(mine, candidate, difference) and \
                float(np.abs(mine - candidate).max()) <= OWN_SHARE * float(np.abs(mine).max()):
            scale = "" if abs(factor - 1) <= 1e-3 else f"{factor:.4g} x "
            sign = float(np.sign(shape[np.argmax(np.abs(shape))]))
            return (f"is {scale}{_words(power, pattern, sign)} (element by element, fitted as |mine| = c * "
                    f"|theirs|^{power:g})")
    return ""
