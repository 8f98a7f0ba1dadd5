"""A batch norm's output against the reference's, per channel, measured two ways. As a line of the reference's own
output, mine = a * theirs + b, with a and b read as the layer's gamma and beta (the scale and shift applied to
an output that already has them). And as the variance its per-channel slope solves to, against the two parts the
batch's variance is made of over (N, H, W): the variance of each map's mean (between the examples' maps) and the
mean of each map's own variance (inside the maps). Numpy only, float64."""
from typing import Optional

import numpy as np

from compare.checking.batch_norm_relations import Normalization
from compare.checking.batch_norm_terms import channel_lines
from compare.checking.fits import explains

CLOSE = 1e-3  # a fitted per-channel number equals a term within this share of the term's largest magnitude


def _named(values: np.ndarray, terms: dict[str, np.ndarray], floor: float = 0.0) -> str:
    """The first term `values` equals per channel, '' where none does: within CLOSE of the larger of the two's
    largest magnitude, or of `floor` (the scale a 0 is told at: the layer's output's)."""
    for name, term in terms.items():  # held to the values' own scale: a 0 is named only where they all are ~0
        scale = max(float(np.abs(values).max(initial=0.0)), float(np.abs(term).max(initial=0.0)), floor)
        if scale and np.allclose(values, term, rtol=CLOSE, atol=CLOSE * scale):
            return name
    return ""


def reapplied_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], norm: Normalization) -> str:
    """The learner's output, per channel, as a * the reference's output + b with a and b the layer's own gamma,
    beta, 1 or 0: words where a line reproduces it and its terms are named, '' otherwise."""
    actual, reference = outputs
    if actual.shape != reference.shape or actual.ndim not in (2, 4):
        return ""
    difference = float(np.abs(actual - reference).max(initial=0.0))
    line = channel_lines(actual, reference, difference)
    if line is None:
        return ""
    slope, offset = line
    scale = _named(slope, {"gamma": norm.gamma, "1": np.ones_like(slope), "1 / gamma": 1 / norm.gamma})
    shift = _named(offset, {"beta": norm.beta, "0": np.zeros_like(offset), "gamma * beta": norm.gamma * norm.beta},
                   1e-3 * float(np.abs(reference).max(initial=0.0)))  # a 0 told at a thousandth of the output
    if not scale or not shift or (scale, shift) == ("1", "0"):
        return ""
    said = (f"{scale} * (the reference's output)" if scale != "1" else "the reference's output") + \
        ("" if shift == "0" else f" + {shift}")
    twice = {("gamma", "beta"): "gamma and beta applied twice: gamma * (gamma * x_hat + beta) + beta (the scale and "
                                "shift applied to an output that already has them)",
             ("gamma", "0"): "scaled by gamma twice (gamma applied to an output that already has it)",
             ("1", "beta"): "beta added twice (the shift added to an output that already has it)"}
    reason = twice.get((scale, shift), "the scale and shift applied in another way on top of the chapter's")
    return f"{layer}'s output is, per channel, {said}: {reason}"


def _centred_divisor(outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                     norm: Normalization) -> Optional[np.ndarray]:
    """The per-channel divisor d the learner's line solves to (slope = gamma / d, offset = beta - slope * c), where
    its centre c is the batch's mean over (N, H, W) and d is positive; None otherwise (a 2-D input has no maps)."""
    actual, reference = outputs
    if given.ndim != 4 or actual.shape != given.shape:
        return None
    line = channel_lines(actual, given, float(np.abs(actual - reference).max(initial=0.0)))
    if line is None or np.any(line[0] == 0):
        return None
    slope, offset = line
    divisor, centre = norm.gamma / slope, (norm.beta - offset) / slope
    if _named(centre, {"mean": given.mean(axis=(0, 2, 3))}) != "mean" or np.any(divisor <= 0):
        return None
    return divisor


def variance_parts_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                            norm: Normalization) -> str:
    """The variance the learner's per-channel line solves to (slope = gamma / sqrt(v + eps)) and the centre (offset
    = beta - slope * c), against the batch's mean and the two parts of its variance over (N, H, W): words where the
    centre is the mean and the variance one part, '' otherwise (a 2-D input has no maps to split)."""
    actual, reference = outputs
    divisor = _centred_divisor(outputs, given, norm)
    if divisor is None:
        return ""
    variance, mean = divisor**2 - norm.epsilon, given.mean(axis=(0, 2, 3))
    parts = {"the variance of each map's mean (every example's map averaged over H and W first, then the variance "
             "over the examples): the spread inside each map is left out, so the variance is too small":
             given.mean(axis=(2, 3)).var(axis=0),
             "the mean of each map's own variance (over H and W, then averaged over the examples): the spread "
             "between the examples' maps is left out": given.var(axis=(2, 3)).mean(axis=0)}
    named = _named(variance, parts)
    if not named or _named(variance, {"var": given.var(axis=(0, 2, 3))}):
        return ""
    shape = (1, -1, 1, 1)
    candidate = norm.gamma.reshape(shape) * (given - mean.reshape(shape)) / \
        np.sqrt(parts[named].reshape(shape) + norm.epsilon) + norm.beta.reshape(shape)
    if not explains(actual, candidate, float(np.abs(actual - reference).max(initial=0.0))):
        return ""
    return (f"{layer} normalizes with the batch's mean but, for its variance, {named} (solved per channel from its "
            "output, slope = gamma / sqrt(var + eps); the chapter's variance is over every value of the channel, "
            "axes (0, 2, 3))")


def divisor_statistic_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                               norm: Normalization) -> str:
    """The divisor the learner's per-channel line solves to (slope = gamma / d, the centre the batch's mean) against
    other spreads of the channel than sqrt(var + eps): its mean absolute deviation, its largest deviation, its
    range (each with and without eps). Words where one is the divisor in every channel, '' otherwise."""
    divisor = _centred_divisor(outputs, given, norm)
    if divisor is None:
        return ""
    axes = (0, 2, 3)
    mean = given.mean(axis=axes)
    deviation = np.abs(given - mean.reshape(1, -1, 1, 1))
    spreads = {"the mean absolute deviation, mean |x - mean|": deviation.mean(axis=axes),
               "the largest deviation, max |x - mean|": deviation.max(axis=axes),
               "the range, max - min": given.max(axis=axes) - given.min(axis=axes)}
    named = _named(divisor, spreads)
    with_eps = _named(divisor, {f"{name} + eps": value + norm.epsilon for name, value in spreads.items()})
    if not named and not with_eps:
        return ""
    named = with_eps if not named else named if not with_eps else f"{named} (with or without eps: not told apart)"
    return (f"{layer} divides the centred input by {named} (solved per channel from its output, slope = gamma / "
            "divisor), where batch norm divides by the standard deviation, sqrt(var + eps)")
