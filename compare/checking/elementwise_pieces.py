"""A layer's output as an elementwise function of its input, measured in pieces: a line a * x + b fitted where the
input is positive and another where it is not (what an activation computes, however it is typed: x + (x > 0),
a leaky slope, a shift), said beside the reference's own pieces; and the input rounded to whole numbers (a cast
to an integer type on the way). Numpy only, float64."""
from typing import Optional

import numpy as np

from compare.checking.fits import explains

ROUNDINGS = (("truncated toward zero (a cast to an integer type such as uint8 or int32)", np.trunc),
             ("floored", np.floor), ("rounded to the nearest whole number", np.round), ("rounded up (ceil)", np.ceil))


def _line(x: np.ndarray, y: np.ndarray) -> Optional[tuple[float, float]]:
    """(a, b) of the least-squares line y = a * x + b, None where x has too few distinct values to fix it."""
    if x.size < 8 or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return None
    if float(np.ptp(x)) == 0:
        return (0.0, float(y.mean())) if float(np.ptp(y)) == 0 else None
    slope, offset = np.polyfit(x, y, 1)
    return float(slope), float(offset)


def _piece(line: tuple[float, float]) -> str:
    slope, offset = (0.0 if abs(value) < 1e-6 else value for value in line)
    if slope == 0:
        return f"{offset:.4g}"
    body = "x" if abs(slope - 1) < 1e-6 else f"{slope:.4g} * x"
    return body if offset == 0 else f"{body} {'+' if offset > 0 else '-'} {abs(offset):.4g}"


def _pieces(output: np.ndarray, given: np.ndarray, difference: float) -> Optional[tuple[str, str]]:
    """The output's lines over the positive and the non-positive inputs, in words, where the two reproduce it."""
    positive = given > 0
    if positive.all() or not positive.any():
        return None
    lines = [_line(given[part], output[part]) for part in (positive, ~positive)]
    if lines[0] is None or lines[1] is None:
        return None
    candidate = np.where(positive, lines[0][0] * given + lines[0][1], lines[1][0] * given + lines[1][1])
    if not explains(output, candidate, difference):
        return None
    return _piece(lines[0]), _piece(lines[1])


def pieces_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray) -> str:
    """Words where the learner's output is piecewise linear in its input (split at 0) with other pieces than the
    reference's; '' otherwise (another shape, no such pieces, or the same)."""
    actual, reference = outputs
    if actual.shape != given.shape or reference.shape != given.shape:
        return ""
    difference = float(np.abs(actual - reference).max(initial=0.0))
    mine, theirs = _pieces(actual, given, difference), _pieces(reference, given, difference)
    if mine is None or theirs is None or mine == theirs:
        return ""
    return (f"{layer} computes {mine[0]} where its input x > 0 and {mine[1]} where x <= 0, where the reference "
            f"computes {theirs[0]} and {theirs[1]} (fitted piece by piece on the layer's input)")


def rounding_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray) -> str:
    """Words where the learner's output is the reference's computation on its input rounded to whole numbers,
    for a layer that passes values on (the reference's output is its input, reshaped); '' otherwise."""
    actual, reference = outputs
    if reference.size != given.size or not np.array_equal(reference.ravel(), given.ravel()) or \
            np.array_equal(np.round(given), given):
        return ""
    difference = float(np.abs(actual - reference).max(initial=0.0))
    for words, rounding in ROUNDINGS:
        rounded = rounding(given).reshape(actual.shape) if actual.size == given.size else None
        if rounded is None or float(np.ptp(rounded)) == 0 or np.count_nonzero(rounded) < 8:
            continue  # small values round to all zeros: an output of zeros is no proof of a rounding
        if explains(actual, rounded, difference):
            return (f"{layer} passes on its input {words}: every value loses its fraction, where the layer "
                    "passes them on as they are")
    return ""
