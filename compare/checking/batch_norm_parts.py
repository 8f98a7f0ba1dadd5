"""Batch norm in training mode against statistics it could have taken otherwise, measured: the batch split into
contiguous parts each normalized by its own mean and variance (a batch pushed through the net in halves), or one
part's statistics used for the whole batch; and the divisor as a power of var + eps other than its square root
(the root taken twice: the fourth root), fitted over the channels. Numpy only, float64."""
import numpy as np

from compare.checking.batch_norm_relations import Normalization, batch_norm_reference
from compare.checking.batch_norm_terms import channel_lines
from compare.checking.fits import explains


def split_batch_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                         norm: Normalization) -> str:
    """The batch cut into 2, 4 or 8 contiguous parts, each normalized by its own statistics, or every part by the
    first part's: words where one reproduces the output (`outputs`: the learner's and the reference's)."""
    actual, reference = outputs
    count = len(given)
    difference = float(np.abs(actual - reference).max(initial=0.0))
    for parts in (2, 4, 8):
        if count % parts or count // parts < 2:
            continue
        size = count // parts
        pieces = [given[start:start + size] for start in range(0, count, size)]
        own = np.concatenate([batch_norm_reference(piece, norm) for piece in pieces])
        if explains(actual, own, difference):
            return (f"{layer} normalizes each of {parts} parts of the batch ({size} examples each, in order) with "
                    "that part's own mean and variance, where batch norm takes the whole batch's: the batch is "
                    "split (pushed through the net in parts) before the batch norm")
        first = batch_norm_reference(given, norm, pieces[0])
        if explains(actual, first, difference):
            return (f"{layer} normalizes the whole batch with the mean and variance of its first {size} examples "
                    "(a slice of the batch), where batch norm takes every example's")
    return ""


def divisor_power_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                           norm: Normalization) -> str:
    """The per-channel line's slope as gamma / (var + eps)^p with the batch's mean as its centre: p fitted over
    the channels (log of the divisor against log(var + eps)); words where p is not 1/2 and the fit is exact."""
    actual, reference = outputs
    difference = float(np.abs(actual - reference).max(initial=0.0))
    line = channel_lines(actual, given, difference)
    if line is None or given.shape[1] < 3:
        return ""
    axes = (0, *range(2, given.ndim))
    slope, _ = line
    shifted = given.var(axis=axes) + norm.epsilon
    divisor = norm.gamma / np.where(slope == 0, np.nan, slope)
    if not np.all(np.isfinite(divisor)) or not np.all(divisor > 0) or float(np.ptp(np.log(shifted))) < 0.1:
        return ""  # a divisor of the wrong sign, or variances too alike to tell a power from a constant
    power = float(np.polyfit(np.log(shifted), np.log(divisor), 1)[0])
    power = round(power * 4) / 4 if abs(power * 4 - round(power * 4)) < 0.02 else power  # a power someone writes
    shape = (1, -1) + (1,) * (given.ndim - 2)
    candidate = norm.gamma.reshape(shape) * (given - given.mean(axis=axes, keepdims=True)) / \
        (shifted ** power).reshape(shape) + norm.beta.reshape(shape)
    if abs(power - 0.5) < 0.05 or not explains(actual, candidate, difference):
        return ""  # the chapter's root, or no power of var + eps, centred on the batch's mean, reproduces it
    named = {0.25: ": the root taken twice, sqrt(sqrt(var + eps))", 1.0: ": the root not taken",
             0.0: ": not divided at all"}
    words = next((said for value, said in named.items() if abs(power - value) < 0.01), "")
    return (f"{layer} divides the centred input by (var + eps)^{power:.3g} where the chapter divides by its square "
            f"root, (var + eps)^0.5 (fitted over the channels){words}")
