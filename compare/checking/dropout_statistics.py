"""Dropout's statistics in `check`: masks are random, so an implementation's own mask is proven by its keep
rate (a 99.9 % binomial interval) and its 1/keep scaling over many training-mode passes."""
import math

import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.probe import MASK_SEED, Probe, seed_step
from compare.results.measures import QuantityComparison, Tolerance
from implementations.mxnet_compat import mx
from implementations.protocol import Model

DROPOUT_DRAWS = 20  # training-mode passes over the probe batch for each dropout layer's statistics
Z_999 = 3.29  # two-sided 99.9 %: a right keep rate falls outside this binomial interval once in a thousand checks


def dropout_statistics(implementation: str, model: Model, probe: Probe, drop_rates: dict[str, float]
                       ) -> list[QuantityComparison]:
    """Per dropout layer, over DROPOUT_DRAWS training-mode passes: the fraction of its nonzero inputs it kept,
    against 1 - drop within a 99.9 % binomial interval, and the factor it scaled kept ones by, against
    1 / (1 - drop). Masks are random: this is as far as an implementation's own mask can be proven."""
    outputs: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {name: [] for name in drop_rates}
    with mx.autograd.train_mode():
        for draw in range(DROPOUT_DRAWS):
            seed_step(MASK_SEED + 1000 + draw)
            layers = model.layer_outputs(probe.images)
            for (_, before), (name, after) in zip(layers, layers[1:]):
                if name in outputs:
                    outputs[name].append((before.asnumpy(), after.asnumpy()))
    rows = []
    previous: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}  # the dropout layers before, their passes
    for name, drop in drop_rates.items():
        keep = 1.0 - drop
        pairs = outputs[name]
        inputs = np.concatenate([before.ravel() for before, _ in pairs]) if pairs else np.zeros(0)
        kept = np.concatenate([after.ravel() for _, after in pairs]) if pairs else np.zeros(0)
        live = inputs != 0
        if not live.any():
            rows.append(QuantityComparison(implementation, f"dropout {name} kept", math.inf, math.inf,
                                           Tolerance(0.0, 0.0), False, "missing"))
            continue
        rate = float(np.count_nonzero(kept[live]) / np.count_nonzero(live))
        half = Z_999 * math.sqrt(keep * drop / np.count_nonzero(live))
        pattern = mask_pattern(name, pairs, keep) or shared_draws(name, pairs, (previous, drop_rates))
        rows.append(QuantityComparison(implementation, f"dropout {name} kept", abs(rate - keep),
                                       abs(rate - keep) / keep, Tolerance(0.0, half), abs(rate - keep) <= half,
                                       cause=_kept_cause(name, rate, (drop, pattern), drop_rates)
                                       if abs(rate - keep) > half else ""))
        previous[name] = pairs
        rows.append(QuantityComparison(implementation, f"dropout {name} masks", float(bool(pattern)),
                                       float(bool(pattern)), Tolerance(0.0, 0.0), not pattern, cause=pattern))
        ratios = kept[live & (kept != 0)] / inputs[live & (kept != 0)]
        scale = float(ratios.mean()) if ratios.size else 0.0
        error = abs(scale - 1.0 / keep)
        rows.append(QuantityComparison(implementation, f"dropout {name} scale", error, error * keep,
                                       Tolerance(1e-5, 0.0), error <= 1e-5 / keep,
                                       cause=_scale_cause(name, scale, drop) if error > 1e-5 / keep else ""))
    return rows


def _kept_cause(layer: str, rate: float, measured: tuple[float, str], rates: dict[str, float]) -> str:
    """The share it keeps, measured, and which number it equals; or, near 1 - drop, the masks' pattern that makes
    it vary more than independent draws (`measured`: the drop rate and that pattern, '' when none; `rates`: every
    dropout layer's drop rate)."""
    drop, pattern = measured
    if rate == 1.0:
        return (f"{layer} keeps every one of its inputs (100%) while training, where it should drop {drop:.0%}: it "
                "drops nothing here (no mask applied to this layer's input)")
    if abs(rate - drop) <= 0.02:
        return (f"{layer} keeps {rate:.1%} of its inputs, the drop probability ({drop:g}), where it should keep "
                f"1 - drop = {1 - drop:.0%}: the mask's comparison is reversed (keep where uniform < 1 - drop)")
    if pattern:
        return (f"{pattern} (so the share it keeps, {rate:.1%}, strays from 1 - drop = {1 - drop:.0%} further than "
                "independent draws would)")
    keep = 1 - drop
    if 0 < keep < 1 and abs(rate - keep * keep) <= 0.02:  # two independent masks of the layer's rate, one after
        return (f"{layer} keeps {rate:.1%} of its inputs, (1 - drop)^2 = {keep * keep:.0%}, where it should keep "
                f"1 - drop = {keep:.0%}: dropout is applied twice (two masks, each keeping 1 - drop)")
    said = f"{layer} keeps a fraction of its inputs other than 1 - drop: {rate:.1%}, where 1 - drop = {1 - drop:.0%}"
    other = next((name for name, its in rates.items() if name != layer and abs(rate - (1 - its)) <= 0.02
                  and abs(its - drop) > 0.04), None)
    if other is not None:  # another layer's rate: the rates swapped, or one variable read for both
        said += (f": {other}'s keep rate, 1 - {rates[other]:g}: it uses {other}'s drop probability ({rates[other]:g}) "
                 f"instead of its own ({drop:g})")
    return said


def _scale_cause(layer: str, scale: float, drop: float) -> str:
    """The factor it scales kept values by, measured, and which number it equals."""
    if abs(scale - 1.0) <= 1e-4:
        return f"{layer} does not scale the values it keeps by 1 / keep while training"
    if drop and abs(scale - 1 / drop) <= 1e-3 * (1 / drop):
        return (f"{layer} scales the values it keeps by {scale:.4g} = 1 / drop (1 / {drop:g}), where it needs "
                f"1 / keep = 1 / {1 - drop:g} = {1 / (1 - drop):.4g}")
    return f"{layer} scales the values it keeps by {scale:.4g}, where it needs 1 / keep = {1 / (1 - drop):.4g}"


def _agreement(kept_a: np.ndarray, kept_b: np.ndarray, live: np.ndarray) -> float:
    """The share of values live in both where two masks agree (0 where too few are to tell: no pattern)."""
    return float(np.mean(kept_a[live] == kept_b[live])) if np.count_nonzero(live) >= 64 else 0.0


def mask_pattern(layer: str, pairs: list[tuple[np.ndarray, np.ndarray]], keep: float) -> str:
    """Whether the masks, independent per value in the chapter's dropout, are shared: one mask for every example
    of the batch, one draw per example for all its values, or the same mask at every pass ('' when none).
    Independent masks agree on a share keep^2 + drop^2 of the values; shared ones on all of them."""
    if not 0 < keep < 1:  # keeping all or none: every mask agrees with every other, shared or not
        return ""
    masks = [((before != 0).reshape(len(before), -1), (after != 0).reshape(len(after), -1)) for before, after in pairs]
    seen = sum(int(np.count_nonzero(alive)) for alive, _ in masks)
    kept_in_all = sum(int(np.count_nonzero(alive & after)) for alive, after in masks)
    if seen == 0 or kept_in_all in (0, seen):  # it keeps all or none: masks agree by that alone, not by a pattern
        return ""
    kept = kept_in_all / seen  # the share it keeps, measured: one that keeps 1% agrees with itself on 98% by chance
    chance = kept**2 + (1 - kept) ** 2
    shared = chance + 0.9 * (1 - chance)  # at keep 1/2: 0.95, where independent masks agree on 0.5 +- 0.01
    across_examples = [_agreement(kept[:-1], kept[1:], live[:-1] & live[1:]) for live, kept in masks if len(live) > 1]
    if across_examples and np.mean(across_examples) >= shared:
        return (f"{layer} draws one mask for the whole batch: every example drops the same units; draw the mask "
                "with the input's own shape, one value per example and unit")
    across_units = [_agreement(kept[:, :-1], kept[:, 1:], live[:, :-1] & live[:, 1:]) for live, kept in masks
                    if live.shape[1] > 1]
    if across_units and np.mean(across_units) >= shared:
        return (f"{layer} keeps or drops each example whole (one draw per example): draw one value per unit of "
                "every example")
    if len(masks) > 1 and masks[0][0].shape == masks[1][0].shape:
        (live_a, kept_a), (live_b, kept_b) = masks[0], masks[1]
        if _agreement(kept_a, kept_b, live_a & live_b) >= shared:
            return (f"{layer} applies the same mask at every pass: it is drawn once (when the model is built?), "
                    "where a new mask is drawn at every forward pass")
    return count_pattern(layer, masks, kept)


def count_pattern(layer: str, masks: list[tuple[np.ndarray, np.ndarray]], kept: float) -> str:
    """Whether the number of units each example keeps varies as independent draws make it vary: with each live
    unit kept with probability `kept` (measured), an example with n live units keeps a binomial count, variance
    n * kept * (1 - kept). A fixed count per example (top-k of the draws, a shuffled mask of k ones) varies far less.
    `masks`: per pass, (live, kept) as (examples, units) booleans. '' where the count varies as it should, or too few
    examples are seen to tell (the dispersion is held to 6 standard errors of its chi-square mean)."""
    live_counts = np.concatenate([alive.sum(axis=1) for alive, _ in masks])
    kept_counts = np.concatenate([(alive & after).sum(axis=1) for alive, after in masks])
    used = live_counts >= 8
    if np.count_nonzero(used) < 100 or not 0 < kept < 1:
        return ""
    spread = (kept_counts[used] - kept * live_counts[used]) ** 2
    dispersion = float(spread.mean() / (kept * (1 - kept) * live_counts[used]).mean())
    if dispersion >= 1 - 6 * math.sqrt(2 / np.count_nonzero(used)):
        return ""
    return (f"{layer} keeps too steady a number of units in every example: the count kept per example varies "
            f"{dispersion:.2f}x as much as independent draws make it vary (each unit kept with probability 1 - drop, "
            "the count binomial): the masks are not independent per unit (a fixed count kept, as the top-k of the "
            "draws or a shuffled mask of k ones keeps)")


def _kept_share(pairs: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """The share of its live (nonzero) inputs a dropout layer kept over its passes (0 where none was live)."""
    live = sum(int(np.count_nonzero(before)) for before, _ in pairs)
    kept = sum(int(np.count_nonzero((before != 0) & (after != 0))) for before, after in pairs)
    return kept / live if live else 0.0


def shared_draws(layer: str, pairs: list[tuple[np.ndarray, np.ndarray]],
                 before: tuple[dict[str, list[tuple[np.ndarray, np.ndarray]]], dict[str, float]]) -> str:
    """Whether this layer's masks depend on an earlier dropout layer's in the same passes (`before`: the earlier
    layers' passes and every layer's drop rate): independent masks agree, where both inputs are live, on a share
    keep_a * keep_b + drop_a * drop_b (each layer's keep share measured); masks drawn from the same uniform numbers
    agree on far more."""
    earlier, _ = before
    for other, other_pairs in earlier.items():
        if len(other_pairs) != len(pairs) or other_pairs[0][1].shape != pairs[0][1].shape:
            continue
        keep_a, keep_b = _kept_share(other_pairs), _kept_share(pairs)  # measured: a layer keeping 80 % where 50 %
        # belongs agrees with another keeping 80 % on 68 % by chance alone, not on the 50 % the spec's rates give
        if not (0 < keep_a < 1 and 0 < keep_b < 1):
            continue
        agreements = [float(np.mean((mine != 0)[both] == (theirs != 0)[both]))
                      for (mine_in, mine), (theirs_in, theirs) in zip(pairs, other_pairs)
                      if np.count_nonzero(both := (mine_in != 0) & (theirs_in != 0)) >= 64]
        chance = keep_a * keep_b + (1 - keep_a) * (1 - keep_b)
        most = min(keep_a, keep_b) + min(1 - keep_a, 1 - keep_b)  # nested masks: the smaller inside the larger
        least = abs(keep_a + keep_b - 1)  # complementary masks: one keeps where the other drops
        agree = float(np.mean(agreements)) if agreements else chance
        if agree >= chance + 0.5 * (most - chance) or agree <= chance - 0.5 * (chance - least):
            return (f"{layer}'s mask is not independent of {other}'s: they agree on {agree:.0%} of the values both "
                    f"see, where independent masks agree on {chance:.0%} (from the same draws: {least:.0%} to "
                    f"{most:.0%}): the two layers reuse the same random draws")
    return ""


def training_scale(model: Model, images: mx.nd.NDArray, layer: str) -> float:
    """The factor a dropout layer scales the values it keeps by in one training-mode pass (the median of output /
    input where both are nonzero); nan where it keeps nothing or is not found."""
    with mx.autograd.train_mode():
        seed_step(MASK_SEED)
        layers = [(name, output.asnumpy()) for name, output in model.layer_outputs(images)]
    for (_, before), (name, after) in zip(layers, layers[1:]):
        if name == layer and before.shape == after.shape:
            kept = (after != 0) & (before != 0)
            return float(np.median(after[kept] / before[kept])) if kept.any() else math.nan
    return math.nan


def evaluation_scale(evidence: Evidence, layer: str, ratio: float) -> str:
    """Why a dropout layer scales in evaluation: measured in a training-mode pass of a fresh copy, its kept values
    scaled by 1 / keep twice (a division by keep after an operator that scales already), or once (the division
    written outside the training branch)."""
    keep = 1 - evidence.spec.drop_rates.get(layer, 0.0)
    scale = training_scale(evidence.fresh(), mx.nd.array(evidence.images, dtype=evidence.images.dtype), layer)
    if 0 < keep < 1 and abs(ratio * keep - 1) <= 1e-3 and abs(scale * keep * keep - 1) <= 1e-3:
        return (f"its kept values are scaled by 1 / keep twice while training ({scale:.4g} = 1 / {keep:g}^2): a "
                "division by keep applied again after an operator (nd.Dropout) that scales already, and alone in "
                "evaluation, where the operator passes values through")
    return ("scale the kept values by 1 / keep while training, and pass values through unchanged in evaluation"
            + (f" (while training it scales them by {scale:.4g}, 1 / keep as it should)"
               if 0 < keep < 1 and abs(scale * keep - 1) <= 1e-3 else ""))
