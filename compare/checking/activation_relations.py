"""What function of its input an activation layer computes, measured against the reference's ReLU: another
elementwise function (abs, sigmoid, tanh, softplus, GELU, SiLU, ELU, min(x, 0), a softmax over the features), a
clip, a leaky slope, or a cut at a threshold above 0. Numpy only."""
import math

import numpy as np

from compare.checking.fits import best_fit, explains


def _softmax_over_features(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _erf(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[np.float64])(x)


ACTIVATIONS = (
    ("passes its input through unchanged (no activation)", lambda x: x),
    ("computes relu(x)", lambda x: np.maximum(x, 0)),
    ("computes abs(x)", np.abs),
    ("computes the sigmoid of its input", lambda x: 1 / (1 + np.exp(-x))),
    ("computes tanh of its input", np.tanh),
    ("computes softplus, log(1 + exp(x))", lambda x: np.logaddexp(0, x)),
    ("computes GELU, x * Phi(x) (the Gaussian error linear unit), a smooth ReLU that is not zero below 0",
     lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2)))),
    ("computes GELU's tanh approximation, 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), a smooth ReLU",
     lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))),
    ("computes SiLU (swish), x * sigmoid(x), a smooth ReLU that is not zero below 0",
     lambda x: x / (1 + np.exp(-x))),
    ("computes ELU, exp(x) - 1 below 0, where ReLU gives 0", lambda x: np.where(x > 0, x, np.expm1(x))),
    ("computes x * (x > 0) with its input's sign flipped, relu(-x)", lambda x: np.maximum(-x, 0)),
    ("computes min(x, 0): it keeps the negative part, where ReLU keeps the positive one, max(x, 0)",
     lambda x: np.minimum(x, 0)),
    ("computes the softmax of its input over its features (axis 1): a normalization into probabilities, not an "
     "elementwise activation", lambda x: _softmax_over_features(x)),
)


NO_ACTIVATION = ACTIVATIONS[0][0]


def best_activation(actual: np.ndarray, given: np.ndarray, difference: float) -> str:
    """The words of the activation that reproduces `actual` from `given` most closely ('' when none does)."""
    with np.errstate(all="ignore"):
        return best_fit(actual, ((words, f(given)) for words, f in ACTIVATIONS), difference)


def activation_relation(layer: str, actual: np.ndarray, reference: np.ndarray, given: np.ndarray) -> str:
    """Which function of its input the layer computes, against the reference's (relu), a clip or a leaky slope."""
    if actual.shape != given.shape:
        return ""
    difference = float(np.abs(actual - reference).max())
    with np.errstate(all="ignore"):
        mine, theirs = best_activation(actual, given, difference), best_activation(reference, given, 1e-30)
        if not mine:
            mine = threshold_words(actual, given, difference)
        if not mine:
            top = float(actual.max())
            if top < float(given.max()) and explains(actual, np.clip(given, 0, top), difference):
                mine = f"clips its input to [0, {top:.4g}]"
            negative = given < 0
            if not mine and np.any(negative) and np.all(np.isfinite(actual)):
                slope = float(np.median(actual[negative] / given[negative]))
                if 0 < abs(slope) < 1 and explains(actual, np.where(negative, slope * given, given), difference):
                    mine = f"computes a leaky ReLU, {slope:.3g} * x below 0"
    if not mine or mine == theirs:
        return ""
    return f"{layer} {mine}" + (f", where the reference {theirs}" if theirs else "")


def threshold_words(actual: np.ndarray, given: np.ndarray, difference: float) -> str:
    """The layer passes x where x is at least some t > 0 and gives 0 below it (ReLU's t is 0): the range t lies in,
    measured, and where it holds 1 what that means; '' where that is not what it computes."""
    positive = given > 0
    kept = actual != 0
    cut = positive & ~kept
    if not np.any(cut) or np.any(kept & ~positive):
        return ""
    lower = float(given[cut].max())
    upper = float(given[kept].min()) if np.any(kept) else np.inf
    if lower >= upper or not explains(actual, np.where(given > lower, given, 0.0), difference):
        return ""
    if np.isinf(upper):  # nothing kept: the threshold is only bounded below, and zeros fit many causes
        below = ", all below 1" if lower < 1 else ""
        return (f"gives 0 for every value: its {np.count_nonzero(cut):,} positive inputs are zeroed too (the largest "
                f"{lower:.3g}{below}): a cut at a threshold above them all (a mask on values truncated to integers, "
                "or compared with 1 instead of 0), or an output never written or multiplied by 0")
    said = (f"zeroes every positive value below a threshold between {lower:.3g} and {upper:.3g} and passes the "
            "rest, where ReLU's threshold is 0")
    if lower < 1 <= upper:
        said += (": every positive value below 1 is cut, as a mask computed on values truncated to integers "
                 "(astype('int32') rounds 0 < x < 1 to 0) or compared with 1 instead of 0 does")
    return said
