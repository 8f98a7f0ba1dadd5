"""Readings of an update rule's state recurrence beside its fitted terms: a state's weight on g or g^2 that is a
power of the batch times the rule's (the gradient fed to it scaled by the batch); a fit on exactly the terms asked
for (a carry below a large new term's rounding is no proof it is left out); a recurrence scaled whole by one
factor (a bias correction written back into the state); and a perfect square of s and g (a bracket around
s + g). Float64; numpy only."""
from typing import Optional

import numpy as np

from compare.checking.term_words import expression

GRADIENT_SCALES = (  # the gradient the rule was fed, as a multiple of the rule's g = grad / batch
    (lambda batch: batch * batch, "the gradient fed to the rule is batch^2 = {size} times the rule's: multiplied by "
                                  "the batch size where it is divided (grad * batch for grad / batch)"),
    (lambda batch: batch, "the gradient fed to the rule is {size} times the rule's, the batch size: the summed "
                          "gradient, not divided by the batch"),
    (lambda batch: 1 / batch, "the gradient fed to the rule is 1/{size} of the rule's: divided by the batch size "
                              "twice"))


def gradient_scale_named(term: str, ratio: float, batch: int) -> str:
    """A state's weight on g or g^2 that is `ratio` times the rule's, read as the gradient it was fed scaled by a
    power of the step's batch (ratio = scale for g, scale^2 for g^2): words, '' where no such scale fits."""
    powers = {"g": 1.0, "g^2": 2.0, "|g|": 1.0}
    if term not in powers or batch < 2 or ratio <= 0:
        return ""
    scale = ratio ** (1 / powers[term])
    for size, words in GRADIENT_SCALES:
        if abs(scale - size(batch)) <= 1e-3 * size(batch):
            return words.format(size=round(size(batch)) if size(batch) >= 1 else batch)
    return ""


def fit_on(value: np.ndarray, terms: dict[str, np.ndarray], chosen: tuple[set, float]) -> Optional[dict[str, float]]:
    """A least-squares fit of `value` on exactly the terms named in `chosen` (names, and the share of value's
    largest magnitude the fit may leave), where it is that exact, else None: a sparse fit drops a term whose part
    is below its tolerance (a carried s far smaller than a new term), which is no proof the term is left out."""
    names, exact = chosen
    keys = sorted(names)
    if any(key not in terms for key in keys):
        return None
    design = np.stack([terms[key] for key in keys], axis=1)
    coefficients, *_ = np.linalg.lstsq(design, value, rcond=None)
    scale = float(np.abs(value).max(initial=0.0))
    if not scale or float(np.abs(design @ coefficients - value).max()) > exact * scale:
        return None
    return dict(zip(keys, (float(c) for c in coefficients)))


def scaled_recurrence_words(mine: dict[str, float], theirs: dict[str, float], correction: dict[str, float]) -> str:
    """Where every coefficient of the implementation's recurrence is one factor k times the rule's (the whole
    value the rule writes, scaled), words naming k; `correction`: the rule's bias corrections at this step by
    name ('1 / (1 - beta1^2)': 5.26). '' where the terms differ or no one factor fits."""
    if set(mine) != set(theirs) or not theirs or any(coefficient == 0 for coefficient in theirs.values()):
        return ""
    ratios = [mine[term] / theirs[term] for term in theirs]
    factor = ratios[0]
    if abs(factor - 1) <= 1e-3 or any(abs(ratio - factor) > 1e-3 * abs(factor) for ratio in ratios):
        return ""
    named = next((name for name, value in correction.items() if abs(factor - value) <= 1e-3 * value), "")
    if named:
        return (f": the whole recurrence is {factor:.4g}x the rule's, {named}: the bias-corrected value is written "
                "back into the state, so each step's correction divides a value already corrected")
    return f": the whole recurrence is {factor:.4g}x the rule's (one factor on the value written back into the state)"


def squared_sum_words(fit: dict[str, float]) -> str:
    """Where a recurrence fitted as a * s^2 + b * s * g + c * g^2 is a perfect square, (sqrt(a) * s + sqrt(c) * g)^2
    (b^2 = 4ac), words saying the square is taken of the sum: a bracket around s + g where the rule squares g
    alone; '' otherwise."""
    parts = ("s^2", "s * g", "g^2")
    largest = max((abs(value) for value in fit.values()), default=0.0)
    if any(term not in fit for term in parts) or fit["s^2"] <= 0 or fit["g^2"] <= 0 or \
            any(abs(value) > 1e-4 * largest for term, value in fit.items() if term not in parts):
        return ""  # a term beside the square's three, unless too small to be one (a fit's leftover)
    a, b, c = fit["s^2"], fit["s * g"], fit["g^2"]
    if abs(b * b - 4 * a * c) > 1e-3 * b * b:
        return ""
    sign, joined = ("+", "sum") if b > 0 else ("-", "difference")
    inner = expression({"s": float(np.sqrt(a)), "g": float(np.sign(b) * np.sqrt(c))})
    return (f": it is ({inner})^2, the square of the {joined} (a bracket around s {sign} g: square(s {sign} g)), "
            "where the rule adds the square of g alone to s")

