"""Batch norm's statistics in `check`, measured where they are large enough to see: on a batch of two examples a
per-channel statistic has few values (2 x H x W; for a dense layer, 2), so a variance divided by m - 1 instead of
m moves the moving variance by m / (m - 1) — far beyond float32's noise — where on the check's batch it hides in
it. Only the first batch-norm layer is probed: its input does not depend on any batch statistics before it."""
from typing import Optional

import numpy as np

from compare.checking.batch_norm_relations import constants_of
from compare.checking.probe import MASK_SEED, seed_step
from compare.measuring.precision import FLOAT32, UNIT_ROUNDOFF
from compare.results.measures import QuantityComparison, Tolerance
from implementations.mxnet_compat import mx
from implementations.protocol import Model, state_of

PROBE_EXAMPLES = 2  # m = 2 x H x W values per channel (a conv layer) or 2 (a dense layer)
RTOL = 1e-4  # float32's rounding of a two-example variance is ~1e-6; m / (m - 1) - 1 is at least ~1e-3 here


def batch_statistics(given: np.ndarray, eps: float) -> dict[str, np.ndarray]:
    """The per-channel statistics a batch norm's moving averages may take of its input (N, C, ...), by name."""
    axes = (0, *range(2, given.ndim))
    count = given.size // given.shape[1]
    variance = given.var(axis=axes)
    return {"the batch mean": given.mean(axis=axes), "the batch variance": variance,
            "the unbiased batch variance (divided by m - 1)": variance * count / max(count - 1, 1),
            "the batch standard deviation (the root of the variance)": np.sqrt(variance),
            "the root of the variance plus epsilon": np.sqrt(variance + eps),
            "the batch variance plus epsilon": variance + eps,
            "the mean of the squares, E[x^2] (not centred: the variance plus the squared mean)":
                (given * given).mean(axis=axes),
            "the square of the batch mean": given.mean(axis=axes) ** 2}


def batch_norm_statistics(implementation: str, model: Model, images: mx.nd.NDArray, layer_input: np.ndarray,
                          spec: object, unit: float = UNIT_ROUNDOFF[FLOAT32]) -> Optional[QuantityComparison]:
    """The moving variance of the spec's first batch-norm layer after one training-mode pass over the check's first
    two `images`, against (1 - momentum) times the biased variance per channel (the batch-norm chapter's, and
    MXNet's) of `layer_input`, that layer's input on the check's batch (`spec` gives the layer's momentum and
    epsilon), within RTOL or, in a coarser precision (unit roundoff `unit`: bf16's), 16 of its ulps. None where
    the model keeps no such state."""
    layer = next(name for name in spec.layer_order if name.startswith("bn"))  # type: ignore[attr-defined]
    rtol = max(RTOL, 32 * unit)  # bf16: its batch norm computes in bf16, ~2^-8 relative; float32: RTOL
    name = f"{layer}.running_var"
    momentum, eps = constants_of(spec)
    before = {key: value.asnumpy() for key, value in state_of(model).items()}
    if name not in before:
        return None
    seed_step(MASK_SEED)
    with mx.autograd.record():
        logits = model.layer_outputs(images[:PROBE_EXAMPLES])[-1][1]
    logits.backward()  # MXNet's BatchNorm operator moves its running statistics in its backward pass
    moved = state_of(model)[name].asnumpy().astype(np.float64) - momentum * before[name]
    given = layer_input[:PROBE_EXAMPLES].astype(np.float64)
    axes = (0, 2, 3) if given.ndim == 4 else (0,)
    count = given.size // given.shape[1]
    biased = given.var(axis=axes)
    # the variance it computed, under either weighting of the moving average (a reversed weighting is the state
    # rows' to name: here only the batch's variance is judged)
    implied = min((moved / weight for weight in (1 - momentum, momentum)),
                  key=lambda variance: float(np.abs(variance - biased).max(initial=0.0)))
    gap = np.abs(implied - biased)
    passed = bool(np.all(gap <= rtol * np.abs(biased) + 1e-12))
    ratio = float(implied.ravel() @ biased.ravel() / max(biased.ravel() @ biased.ravel(), 1e-300))
    cause = ""
    if not passed and abs(ratio - count / (count - 1)) <= 1e-2 * (count / (count - 1) - 1):
        cause = (f"{layer}'s variance is divided by m - 1 (unbiased, m = {count} values per channel here), where the "
                 "batch-norm chapter divides by m: its moving variance moves by m / (m - 1) times the chapter's")
    elif not passed and not np.any(moved):
        cause = (f"{layer}'s moving variance never moves from its initial value in training: the moving averages "
                 "are not stored (update them in place, or keep what the function returns)")
    elif not passed and (weight := _fitted_weight(before[name].astype(np.float64), moved + momentum * before[name],
                                                  biased)) is not None and not np.any(before[name]):
        cause = _first_move_from_zero(layer, weight / (1 - momentum), momentum, len(given))
    elif not passed and (weight := _fitted_weight(before[name].astype(np.float64), moved + momentum * before[name],
                                                  biased)) is not None:
        cause = (f"{layer}'s moving variance takes the batch variance outright on its first move (set from the first "
                 "batch rather than averaged into the moving average: moving = momentum * moving + (1 - momentum) * "
                 "batch)" if abs(weight - 1) < 1e-3 else
                 f"{layer}'s moving variance weighs the batch's variance by {weight:.3g} (a momentum of "
                 f"{1 - weight:.3g}) where the spec's momentum {momentum:g} weighs it by {1 - momentum:.3g}")
    elif not passed:
        statistics = batch_statistics(given, eps)
        after = state_of(model)[name].asnumpy().astype(np.float64)
        statistic = _averaged_statistic((before[name].astype(np.float64), after), statistics, momentum)
        statistic = "" if statistic == "the batch variance" else statistic  # the right one, just past the tolerance
        mean_name = f"{layer}.running_mean"
        if statistic.startswith("the batch mean") and mean_name in before:
            moves = (before[mean_name].astype(np.float64), state_of(model)[mean_name].asnumpy().astype(np.float64))
            if _averaged_statistic(moves, {"variance": statistics["the batch variance"]}, momentum):
                statistic += (" and its moving mean the batch variance: the moving mean and variance are swapped, "
                              "each averages the other's statistic")
        needs = "" if "swapped" in statistic else " where it needs the batch variance"
        decayed = _decays_the_mean(layer, (before, after), model, (momentum, biased))
        cause = (decayed or (f"{layer}'s moving variance averages {statistic}{needs}" if statistic
                             else _implied_variance(layer, implied, biased, ratio))) + \
            f" (on a {PROBE_EXAMPLES}-example batch, read from its moving variance's first move)"
    return QuantityComparison(implementation, f"batchnorm {layer} variance", float(gap.max(initial=0.0)),
                              float(np.max(gap / np.maximum(np.abs(biased), 1e-30))), Tolerance(rtol, 0.0),
                              passed, cause=cause)


def _implied_variance(layer: str, implied: np.ndarray, biased: np.ndarray, ratio: float) -> str:
    """The batch variance a moving variance's first move implies, against the biased one: one factor where every
    channel's ratio is that factor, else the channels' range (no factor is claimed that some channel contradicts)."""
    ratios = implied / np.where(biased == 0, np.nan, biased)
    ratios = ratios[np.isfinite(ratios)]
    if ratios.size and float(ratios.max() - ratios.min()) <= 1e-2 * abs(ratio):
        return f"{layer}'s batch variance is {ratio:.6g}x the biased variance per channel"
    spread = f" (from {ratios.min():.3g}x to {ratios.max():.3g}x it per channel)" if ratios.size else ""
    return (f"{layer}'s moving variance moves to a value no factor of the batch's biased variance explains{spread}, "
            "nor any other statistic of the batch tried (its mean, standard deviation, unbiased variance, mean of "
            "the squares): what the moving variance is fed differs")


def _decays_the_mean(layer: str, moved: tuple[dict[str, np.ndarray], np.ndarray], model: Model,
                     batch: tuple[float, np.ndarray]) -> str:
    """The moving variance's new value is momentum times the moving mean (after its own move, or before it) plus
    (1 - momentum) times the batch variance: the moving mean's line copied for the variance and half edited, its
    own previous value replaced by the mean; ''. `moved`: the state before the pass and the variance after it;
    `batch`: the momentum and the batch's biased variance."""
    before, after = moved
    momentum, variance = batch
    mean_name = f"{layer}.running_mean"
    if mean_name not in before:
        return ""
    mean = state_of(model)[mean_name].asnumpy().astype(np.float64)  # after its own move (from zero, the spec's)
    if np.any(mean) and np.allclose(after, momentum * mean + (1 - momentum) * variance, rtol=10 * RTOL, atol=1e-12):
        return (f"{layer}'s moving variance decays the moving mean, momentum * moving_mean + (1 - momentum) * var, "
                "where it decays its own previous value: the moving mean's line copied for the variance and half "
                "edited")
    return ""


def _first_move_from_zero(layer: str, factor: float, momentum: float, examples: int) -> str:
    """A moving variance that starts at zero moves first by its weight times the batch's variance: a weight
    `factor` times (1 - momentum) reads as another momentum or as the variance scaled by `factor`, the same on this
    move; named by the number it equals where it is one (n / (n - 1) for n examples: unbiased over the examples)."""
    if abs(factor - examples / (examples - 1)) <= 1e-3 * factor:
        return (f"{layer}'s moving variance moves by {factor:.4g}x the chapter's first move, n / (n - 1) for the "
                f"batch's n = {examples} examples: its variance is divided by the examples minus 1 (unbiased over "
                "the batch alone), where the batch-norm chapter divides by every value per channel, biased")
    return (f"{layer}'s moving variance moves by {factor:.4g}x the chapter's first move (from zero): a weight of "
            f"{factor * (1 - momentum):.3g} on the batch's variance (a momentum of {1 - factor * (1 - momentum):.3g}"
            f", where the spec's is {momentum:g}), or a batch variance {factor:.4g}x the biased one; the two are the "
            "same on this move")


def _fitted_weight(before: np.ndarray, after: np.ndarray, variance: np.ndarray) -> Optional[float]:
    """The one weight w with after = (1 - w) * before + w * variance in every channel, where one fits (None where
    none does, or it is 0)."""
    step, target = variance - before, after - before
    scale = float(step.ravel() @ step.ravel())
    if scale == 0:
        return None
    weight = float(target.ravel() @ step.ravel()) / scale
    if abs(weight) < 1e-6 or not np.allclose(target, weight * step, rtol=1e-3, atol=1e-9):
        return None
    return weight


def _averaged_statistic(moves: tuple[np.ndarray, np.ndarray], statistics: dict[str, np.ndarray],
                        momentum: float) -> str:
    """Which of the batch's statistics a moving average's first move, (before, after), averages under either
    weighting of the moving average ('' when none): a standard deviation where the variance belongs, say."""
    before, after = moves
    for weight in (1 - momentum, momentum):
        implied = (after - (1 - weight) * before) / weight
        found = next((words for words, value in statistics.items()
                      if np.allclose(implied, value, rtol=10 * RTOL, atol=1e-12)), "")
        if found:
            return found + ("" if weight == 1 - momentum else ", with the moving average's weights reversed")
    return ""
