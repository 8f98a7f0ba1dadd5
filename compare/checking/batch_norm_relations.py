"""How a batch-norm layer's output relates to its input, measured: which statistics it normalizes with (the
moving averages, or updated first, the batch's, an unbiased or uncentred variance), which divisor (the square
root of var + eps, or not), gamma and beta in their places or swapped, and epsilon fitted where only it differs.
Nothing is read from the layer but its kind; the reference's own output is found the same way. Numpy only."""
import math
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from compare.checking.clipping import round_threshold
from compare.checking.fits import best_fit, explains

DEFAULT_MOMENTUM, DEFAULT_EPSILON = 0.9, 1e-5  # the batch-norm chapter's, where a spec does not say


def constants_of(spec: object) -> tuple[float, float]:
    """A spec's batch-norm (momentum, epsilon), the chapter's where it keeps none."""
    return getattr(spec, "momentum", DEFAULT_MOMENTUM), getattr(spec, "epsilon", DEFAULT_EPSILON)


NORMALIZERS = (  # how a batch norm may divide the centred input, by its variance v and epsilon e
    ("sqrt(var + eps)", lambda v, e: np.sqrt(v + e)), ("var + eps, without the square root", lambda v, e: v + e),
    ("sqrt(var) + eps", lambda v, e: np.sqrt(v) + e), ("sqrt(var), without eps", lambda v, e: np.sqrt(v)),
    ("nothing (centred only)", lambda v, e: np.ones_like(v)),
    ("1 / sqrt(var + eps): it multiplies by the root (the root inverted, sqrt where rsqrt is meant, or * for /)",
     lambda v, e: 1 / np.sqrt(v + e)))


@dataclass(frozen=True)
class Normalization:
    """What a batch-norm layer is given beside its input: its initial gamma and beta and its moving averages
    (per channel), and its epsilon."""

    gamma: np.ndarray
    beta: np.ndarray
    moving_mean: np.ndarray
    moving_var: np.ndarray
    epsilon: float
    momentum: float  # the moving averages' weight on their old value


def normalization_of(spec: object, seed: int, layer: str) -> Normalization:
    """A batch-norm layer's initial gamma, beta and moving averages, and its epsilon, from the spec."""
    initial, state = spec.initial_parameters(seed), spec.initial_state()
    momentum, epsilon = constants_of(spec)
    return Normalization(*(values[f"{layer}.{name}"].astype(np.float64) for values, name in (
        (initial, "gamma"), (initial, "beta"), (state, "running_mean"), (state, "running_var"))),
        epsilon=epsilon, momentum=momentum)


def batch_norm_reference(given: np.ndarray, norm: Normalization, statistics: Optional[np.ndarray] = None
                         ) -> np.ndarray:
    """The chapter's batch norm in training mode: the batch's mean and biased variance per channel (those of
    `statistics`, another batch of the same channels, where given)."""
    axes = (0, *range(2, given.ndim))
    shape = (1, -1) + (1,) * (given.ndim - 2)
    source = given if statistics is None else statistics
    x_hat = (given - source.mean(axis=axes, keepdims=True)) / np.sqrt(source.var(axis=axes, keepdims=True)
                                                                       + norm.epsilon)
    return norm.gamma.reshape(shape) * x_hat + norm.beta.reshape(shape)


def batch_norm_relation(layer: str, actual: np.ndarray, reference: np.ndarray, given: np.ndarray,
                        norm: Normalization) -> str:
    """Which statistics (the moving averages, the batch's, the batch's unbiased variance) and which divisor
    reproduce the learner's output, against the reference's: '' when none does or they are the same."""
    axes = (0, *range(2, given.ndim))
    shape = (1, -1) + (1,) * (given.ndim - 2)
    count = given.size // given.shape[1]
    mean = given.mean(axis=axes)
    keep = norm.momentum
    sources = (("the moving averages", norm.moving_mean, norm.moving_var),
               ("the moving averages, updated with this batch first", keep * norm.moving_mean + (1 - keep) * mean,
                keep * norm.moving_var + (1 - keep) * given.var(axis=axes)),
               ("the batch's statistics", mean, given.var(axis=axes)),
               ("the batch's mean and unbiased variance (divided by m - 1)", mean,
                given.var(axis=axes) * count / max(count - 1, 1)),
               ("the batch's mean and an uncentred variance, E[x^2] (the mean not subtracted before squaring)",
                mean, (given**2).mean(axis=axes)),
               (f"the batch's mean and a variance summed over the m = {count} values per channel (not averaged)",
                mean, given.var(axis=axes) * count),
               ("the batch's mean and a variance centred on the mean of every channel together (x - X.mean(), the "
                "mean over all axes, where each channel's own mean belongs)", mean,
                ((given - given.mean()) ** 2).mean(axis=axes)),
               ("one mean and variance over every channel together (X.mean() and X.var() over all axes, where batch "
                "norm keeps one per channel)", np.full_like(mean, given.mean()), np.full_like(mean, given.var())))
    affines = (("gamma * x_hat + beta", norm.gamma, norm.beta),
               ("beta * x_hat + gamma (gamma and beta swapped)", norm.beta, norm.gamma),
               ("gamma * (x_hat + beta) (the shift added before the scale: beta scaled by gamma)", norm.gamma,
                norm.gamma * norm.beta),
               ("x_hat + beta (gamma left out)", np.ones_like(norm.gamma), norm.beta),
               ("gamma * x_hat (beta left out)", norm.gamma, np.zeros_like(norm.beta)))

    def normalized(source, normalizer, affine, epsilon=norm.epsilon):
        _, centre, var = source
        divisor = normalizer[1](var.astype(np.float64), epsilon).reshape(shape)
        return affine[1].reshape(shape) * (given - centre.reshape(shape)) / divisor + affine[2].reshape(shape)

    difference = float(np.abs(actual - reference).max())
    with np.errstate(all="ignore"):
        triples = [(source, normalizer, affine) for source in sources for normalizer in NORMALIZERS
                   for affine in affines]
        mine = best_fit(actual, ((triple, normalized(*triple)) for triple in triples), difference)
        # the reference's float32 batch statistics over a black background are ~1e-5 off float64's relative to its
        # output: held to the same share of the difference as the learner's (the closest fit is the one named)
        theirs = best_fit(reference, ((triple, normalized(*triple)) for triple in triples), difference)
        if theirs and not mine:
            return _epsilon_relation(layer, (actual, difference), theirs, normalized, norm)[0]
        if mine and theirs and mine[1] is not theirs[1]:  # another divisor; another epsilon may fit far closer
            # (sqrt(var + 0.9) of a small variance is ~0.95: "divides by nothing" explains it, and is wrong)
            fitted, residual = _epsilon_relation(layer, (actual, difference), theirs, normalized, norm)
            if fitted and residual < 0.1 * float(np.abs(actual - normalized(*mine)).max(initial=0.0)):
                return fitted
    if not mine or not theirs or mine is theirs:
        return ""
    words = [f"{verb} {part[0]} where the reference {their_verb} {their_part[0]}"
             for part, their_part, verb, their_verb in zip(mine, theirs, ("normalizes with", "divides by", "computes"),
                                                           ("uses", "divides by", "computes"))
             if part is not their_part]
    return f"{layer} " + " and ".join(words)


def _epsilon_relation(layer: str, measured: tuple[np.ndarray, float], theirs: tuple, normalized: Callable,
                      norm: "Normalization") -> tuple[str, float]:
    """The reference's own statistics and divisor with another epsilon, fitted to the learner's output: "adds
    epsilon 0.001 where the reference adds 1e-05" ('' where no epsilon reproduces it), and how far that fit is
    from the learner's output. `measured`: the learner's output and how far it is from the reference's (what a
    fitted epsilon must explain)."""
    (actual, difference), (source, normalizer, affine) = measured, theirs
    epsilon = norm.epsilon
    if normalizer is not NORMALIZERS[0]:  # the fit reads epsilon off sqrt(var + eps)
        return "", math.inf
    gamma, beta = affine[1], affine[2]
    shape = (1, -1) + (1,) * (actual.ndim - 2)
    unit = normalized(source, ("1", lambda v, e: np.ones_like(v)), ("x", np.ones_like(gamma), np.zeros_like(beta)))
    scaled = (actual - beta.reshape(shape)) / gamma.reshape(shape)  # = (x - mean) / divisor, per channel
    axes = (0, *range(2, actual.ndim))
    divisor = (unit * unit).sum(axis=axes) / np.maximum((unit * scaled).sum(axis=axes), 1e-300)
    fitted = float(np.median(divisor**2 - source[2]))
    momentum = np.isfinite(fitted) and abs(fitted - norm.momentum) <= 1e-2 * norm.momentum
    if not np.isfinite(fitted) or fitted <= 0 or abs(fitted - epsilon) <= 1e-3 * epsilon or \
            (fitted > float(np.median(source[2])) and not momentum and not round_threshold(fitted)):
        return "", math.inf  # an "epsilon" above the variance it guards makes every divisor one number: no epsilon,
        # but where it is a number a person writes (1e-3) or one the layer was given in epsilon's place (momentum)
    candidate = normalized(source, normalizer, affine, fitted)
    if explains(actual, candidate, difference):
        swapped = (f": {fitted:.3g} is the momentum's value (epsilon and momentum swapped, as positional arguments "
                   "given in another order?)") if momentum else ""
        return (f"{layer} adds epsilon = {fitted:.3g} to the variance where the reference adds {epsilon:g}{swapped}",
                float(np.abs(actual - candidate).max(initial=0.0)))
    return "", math.inf
