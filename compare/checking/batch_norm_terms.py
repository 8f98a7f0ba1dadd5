"""A batch norm's output in training mode is, per channel, an affine map of its input, slope * x + offset, however
it is written. Both are measured (a least-squares line per channel) and each is fitted against the terms the
formula is made of — gamma, beta, the batch's mean and sqrt(var + eps) — so that the words say which term the
learner's slope or offset has where the chapter's has another (x not divided, only the mean divided, beta scaled).
Numpy only, float64; nothing is matched against a list of mistakes."""
from typing import Optional

import numpy as np

from compare.checking.batch_norm_relations import Normalization
from compare.checking.fits import explains, sparse_fit
from compare.checking.relations import Numbers

EXACT = 1e-3  # a term fit reproduces a per-channel slope or offset within this share of its largest magnitude


def channel_lines(actual: np.ndarray, given: np.ndarray, difference: float) -> Optional[tuple[np.ndarray, ...]]:
    """(slope, offset) per channel with actual = slope * given + offset, None where no line reproduces it."""
    axes = (0, *range(2, given.ndim))
    shape = (1, -1) + (1,) * (given.ndim - 2)
    centred = given - given.mean(axis=axes, keepdims=True)
    spread = (centred**2).sum(axis=axes)
    if np.any(spread == 0):
        return None
    slope = (centred * (actual - actual.mean(axis=axes, keepdims=True))).sum(axis=axes) / spread
    offset = actual.mean(axis=axes) - slope * given.mean(axis=axes)
    if not explains(actual, slope.reshape(shape) * given + offset.reshape(shape), difference):
        return None
    return slope, offset


def _terms(given: np.ndarray, norm: Normalization) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The per-channel terms a slope and an offset may be made of; a term equal to one named before it (gamma of
    ones: gamma * mean is mean) is left out, so each fit names one spelling."""
    axes = (0, *range(2, given.ndim))
    mean, var = given.mean(axis=axes), given.var(axis=axes)
    root = np.sqrt(var + norm.epsilon)
    gamma, beta = norm.gamma, norm.beta
    slopes = {"gamma / sqrt(var + eps)": gamma / root, "gamma": gamma, "gamma / (var + eps)": gamma / root**2,
              "gamma * sqrt(var + eps)": gamma * root, "beta / sqrt(var + eps)": beta / root, "1": np.ones_like(mean)}
    offsets = {"beta": beta, "gamma * mean / sqrt(var + eps)": gamma * mean / root, "gamma * mean": gamma * mean,
               "mean / sqrt(var + eps)": mean / root, "mean": mean, "gamma": gamma, "beta * mean / sqrt(var + eps)":
               beta * mean / root, "1": np.ones_like(mean)}

    def distinct(terms: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        kept: dict[str, np.ndarray] = {}
        for name, values in terms.items():
            if np.any(values) and not any(np.allclose(values, other, rtol=1e-9, atol=0) for other in kept.values()):
                kept[name] = values
        return kept

    return distinct(slopes), distinct(offsets)


def _said(fit: dict[str, float]) -> str:
    parts = []
    for index, (term, coefficient) in enumerate(fit.items()):
        sign = "-" if coefficient < 0 else ("+" if index else "")
        size = abs(coefficient)
        number = "" if abs(size - 1) <= 1e-3 else f"{size:.4g} * "
        parts.append(f"{sign} {number}{term}".strip())
    return " ".join(parts)


def _fit(value: np.ndarray, terms: dict[str, np.ndarray]) -> Optional[dict[str, float]]:
    if not np.any(value):
        return {}
    return sparse_fit(value, terms, 2, EXACT)


def _statistics_words(line: tuple[np.ndarray, np.ndarray], given: np.ndarray, norm: Normalization,
                      numbers: Numbers) -> str:
    """The centre and the variance the learner normalizes with, solved from its line per channel (slope = gamma /
    sqrt(v + eps), offset = beta - slope * c), against the batch's mean and variance: a constant factor of either,
    named; '' where neither is one."""
    axes = (0, *range(2, given.ndim))
    mean, var = given.mean(axis=axes), given.var(axis=axes)
    slope, offset = line
    if np.any(slope * norm.gamma <= 0):  # gamma / sqrt(...) keeps gamma's sign
        return ""
    variance = (norm.gamma / slope) ** 2 - norm.epsilon
    centre = (norm.beta - offset) / slope
    words = []
    for what, solved, batch in (("variance", variance, var), ("mean", centre, mean)):
        if not np.any(batch) or np.allclose(solved, batch, rtol=1e-3, atol=1e-3 * float(np.abs(batch).max())):
            continue
        ratio = solved / np.where(batch == 0, np.nan, batch)
        factor = float(np.nanmedian(ratio))
        if not np.all(np.abs(ratio[np.isfinite(ratio)] - factor) <= 1e-2 * abs(factor)):
            continue  # no constant multiple: the other statistic may still be one
        name = numbers.name_of(abs(factor))
        words.append(f"its {what} is {factor:.4g}x the batch's" + (f" ({name})" if name else ""))
    if not words:
        return ""
    return (" and ".join(words) + " (solved per channel from its output, slope = gamma / sqrt(var + eps)): the "
            "statistic is summed or divided over another count than the channel's values")


def terms_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                   norm: Normalization, numbers: Numbers) -> str:
    """The learner's per-channel slope and offset against the reference's, each as its terms (or the statistics
    they solve to): '' where a line does not reproduce the output, a fit is not unique, or both agree."""
    actual, reference = outputs
    if given.ndim not in (2, 4) or actual.shape != given.shape or reference.shape != given.shape:
        return ""
    difference = float(np.abs(actual - reference).max())
    mine, theirs = channel_lines(actual, given, difference), channel_lines(reference, given, difference)
    if mine is None or theirs is None:
        return ""
    slopes, offsets = _terms(given, norm)
    fits = [_fit(mine[0], slopes), _fit(mine[1], offsets), _fit(theirs[0], slopes), _fit(theirs[1], offsets)]
    if any(fit is None for fit in fits) or (fits[0] == fits[2] and fits[1] == fits[3]) or \
            any(abs(coefficient - 1) > 1e-3 for fit in fits[:2] for coefficient in (fit or {}).values()
                if set(fit or {}) == set(fits[2] or {})):
        statistics = _statistics_words(mine, given, norm, numbers)
        if statistics:
            return f"{layer} normalizes with statistics other than the batch's: {statistics}"
    if any(fit is None for fit in fits):
        return ""
    my_slope, my_offset, their_slope, their_offset = (_said(fit) or "0" for fit in fits)
    words = []
    if my_slope != their_slope:
        words.append(f"multiplies its input by {my_slope} where the reference multiplies it by {their_slope}")
    if my_offset != their_offset:
        words.append(f"adds {my_offset} where the reference adds {their_offset}")
    elif words:
        words.append("its offset is the reference's: the mean is divided, the input x is not (the division "
                     "applies to the mean alone, x - mean / s for (x - mean) / s: brackets missing)"
                     if "sqrt" in their_slope and "sqrt" not in my_slope and "mean / sqrt" in their_offset
                     else "its offset is the reference's")
    if not words:
        return ""
    return f"{layer} (per channel, slope * x + offset) " + "; ".join(words)
