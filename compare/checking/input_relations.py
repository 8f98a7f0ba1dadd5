"""Whether a layer computes the right thing on the wrong input, measured: the layer's own computation (rebuilt from
its kind and its initial parameters, and proven on the reference's own input first) applied to every other value
the network has at that point — the images, each earlier layer's output, an activation of its own input — and the
one that reproduces the learner's output named. Numpy (and mxnet's operators in float64 for pooling and
convolution); nothing is matched against a list of mistakes."""
import itertools
from typing import Callable, Optional

import numpy as np

from compare.checking.batch_norm_relations import batch_norm_reference, normalization_of
from compare.checking.evidence import Evidence, layer_input
from compare.checking.fits import explains
from compare.checking.layer_relations import Window, convolved, pooled

Compute = Callable[[np.ndarray], Optional[np.ndarray]]


def _proven(compute: Compute, given: np.ndarray, reference: np.ndarray, difference: float = 1e-30) -> bool:
    """`compute` reproduces the reference's output from its input: within float32's rounding, or a hundredth of the
    learner's `difference` (the reference's own float32 batch norm is ~1e-4 off a float64 formula's)."""
    with np.errstate(all="ignore"):
        out = compute(given)
    return out is not None and out.shape == reference.shape and explains(reference, out, difference)


def _dense(weight: np.ndarray, bias: np.ndarray) -> Compute:
    def compute(x: np.ndarray) -> Optional[np.ndarray]:
        flat = x.reshape(len(x), -1)
        return flat @ weight.T + bias if flat.shape[1] == weight.shape[1] else None
    return compute


def _convolution(weight: np.ndarray, bias: np.ndarray, window: Window) -> Compute:
    def compute(x: np.ndarray) -> Optional[np.ndarray]:
        return convolved(x, weight, bias, window) if x.ndim == 4 and x.shape[1] == weight.shape[1] else None
    return compute


def _pooling(window: Window) -> Compute:
    def compute(x: np.ndarray) -> Optional[np.ndarray]:
        return pooled(x, window) if x.ndim == 4 else None
    return compute


def _windowed(kind: str, parameters: tuple[np.ndarray, ...], given: np.ndarray,
              reference: np.ndarray) -> Optional[Compute]:
    """The convolution or pooling window that reproduces the reference's output from its input, as a function."""
    if given.ndim != 4:
        return None
    if kind == "conv":
        weight, bias = parameters
        computes = [_convolution(weight, bias, Window("conv", weight.shape[2], stride, pad))
                    for stride, pad in itertools.product((1, 2), (0, 1, 2))]
    else:
        computes = [_pooling(Window(pool, size, stride, 0))
                    for pool, size, stride in itertools.product(("max", "avg"), (2, 3), (2, 1))]
    return next((compute for compute in computes if _proven(compute, given, reference)), None)


def layer_function(layer: str, evidence: Evidence, difference: float) -> Optional[Compute]:
    """The reference's computation of `layer` as a function of its input (from the layer's kind and its initial
    parameters), where one reproduces the reference's output from its own input (within a hundredth of the
    learner's `difference`); None otherwise."""
    given = layer_input(evidence, layer).astype(np.float64)
    reference = evidence.reference[f"layer {layer}"].astype(np.float64)
    initial = evidence.spec.initial_parameters(evidence.seed)
    own = tuple(initial[f"{layer}.{part}"].astype(np.float64) for part in ("weight", "bias")
                if f"{layer}.{part}" in initial)
    compute: Optional[Compute] = None
    if layer.startswith("relu"):
        compute = lambda x: np.maximum(x, 0)  # noqa: E731
    elif layer.startswith("fc") and len(own) == 2 and own[0].ndim == 2:
        compute = _dense(*own)
    elif layer.startswith("conv") and len(own) == 2:
        compute = _windowed("conv", own, given, reference)
    elif layer.startswith("pool"):
        compute = _windowed("pool", (), given, reference)
    elif layer.startswith("bn") and given.ndim in (2, 4):
        norm = normalization_of(evidence.spec, evidence.seed, layer)
        compute = lambda x: batch_norm_reference(x, norm) if x.ndim == given.ndim else None  # noqa: E731
    if compute is None or not _proven(compute, given, reference, difference):
        return None
    return compute


def _candidates(layer: str, evidence: Evidence) -> list[tuple[str, np.ndarray]]:
    """What else the layer could have been given: an activation of its own input, the images, and the output of
    every layer before it but the one that feeds it (the reference's values)."""
    order = list(evidence.spec.layer_order)
    index = order.index(layer)
    given = layer_input(evidence, layer).astype(np.float64)
    feeding = order[index - 1] if index else "the images"
    found = [(f"relu of its input ({feeding}'s output): an activation applied before it, where the reference "
              "applies none there", np.maximum(given, 0))] if np.any(given < 0) else []
    if index > 0:
        found.append(("the images themselves: the layers before it skipped", evidence.images.astype(np.float64)))
        again = _applied_again(order[index - 1], given, evidence)
        if again is not None:
            found.append((f"{feeding}'s output passed through {feeding} again: {feeding} is applied twice (written "
                          f"again inside {layer}'s line, or called on its own output)", again))
    if index == 0 or feeding == "flatten":  # the data's own features: feature scaling from another course
        found += [(f"its input {words}", value) for words, value in _rescaled_features(given)]
    for other in reversed(order[:max(index - 1, 0)]):  # the nearest first: equal values are said by the nearest
        value = evidence.reference.get(f"layer {other}")
        if value is not None:
            found.append((f"{other}'s output, where its input is {feeding}'s: it is given an earlier layer's "
                          f"values (the layers between, {', '.join(order[order.index(other) + 1:index])}, skipped)",
                          value.astype(np.float64)))
    return found


def _applied_again(feeding: str, given: np.ndarray, evidence: Evidence) -> Optional[np.ndarray]:
    """The layer that feeds this one (a dense or convolution layer) applied once more to its own output, where its
    output has the shape of its input (a square dense layer, a convolution keeping its channels)."""
    if not feeding.startswith(("fc", "conv")) or f"layer {feeding}" not in evidence.values:
        return None
    compute = layer_function(feeding, evidence, 1e-30)
    if compute is None:
        return None
    with np.errstate(all="ignore"):
        out = compute(given)
    return out if out is not None and out.shape == given.shape else None


def _rescaled_features(given: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """A dense layer's input (N, features) rescaled per feature over the batch, as feature scaling from another
    course does: standardised, centred, divided by the spread, min-max scaled."""
    if given.ndim != 2 or len(given) < 2:
        return []
    mean = given.mean(axis=0, keepdims=True)
    centred = given - mean
    with np.errstate(all="ignore"):  # a column with no spread (a border pixel) stays 0 once centred, as with an eps
        spread = np.sqrt((centred ** 2).mean(axis=0, keepdims=True))
        unbiased = np.sqrt((centred ** 2).sum(axis=0, keepdims=True) / (len(given) - 1))
        low, high = given.min(axis=0, keepdims=True), given.max(axis=0, keepdims=True)
        spread, unbiased = np.where(spread > 0, spread, 1.0), np.where(unbiased > 0, unbiased, 1.0)
        high = np.where(high > low, high, low + 1.0)
        return [("standardised per feature over the batch, (x - mean) / std (zero mean and unit variance in each "
                 "column, the batch's own statistics): the model is given other features than the data's",
                 centred / spread),
                ("standardised per feature over the batch with the unbiased std, (x - mean) / std(ddof=1): the model "
                 "is given other features than the data's", centred / unbiased),
                ("centred per feature over the batch, x - mean (zero mean in each column): the model is given other "
                 "features than the data's", centred),
                ("divided by each feature's std over the batch: the model is given rescaled features", given / spread),
                ("min-max scaled per feature over the batch, (x - min) / (max - min): the model is given rescaled "
                 "features", (given - low) / (high - low))]


def wrong_input_relation(layer: str, evidence: Evidence) -> str:
    """The layer's own computation on another input reproduces the learner's output: which input, in words ('' when
    none does, or the layer's computation cannot be rebuilt)."""
    actual = evidence.values[f"layer {layer}"].astype(np.float64)
    reference = evidence.reference[f"layer {layer}"].astype(np.float64)
    if actual.shape != reference.shape:
        return ""
    difference = float(np.abs(actual - reference).max())
    compute = layer_function(layer, evidence, difference)
    if compute is None:
        return ""
    for words, candidate in _candidates(layer, evidence):
        with np.errstate(all="ignore"):
            out = compute(candidate)
        if out is not None and out.shape == actual.shape and explains(actual, out, difference):
            return f"{layer} computes what the reference's does, but on {words}"
    return ""


def other_mask_relation(layer: str, evidence: Evidence) -> str:
    """An activation that multiplies its input by a 0/1 mask (ReLU written as x * (x > 0)) whose mask is not its
    own input's sign but another layer's: the mask solved element by element (output / input where the input is
    not ~0), held to (other > 0) for each other layer of the same shape. '' where no mask, its own, or none fits."""
    actual = evidence.values[f"layer {layer}"].astype(np.float64)
    given = layer_input(evidence, layer).astype(np.float64)
    if actual.shape != given.shape:
        return ""
    informative = np.abs(given) > 1e-6 * float(np.abs(given).max(initial=0.0))
    ratio = actual[informative] / given[informative]
    mask = np.round(ratio)
    if np.count_nonzero(informative) < 64 or not np.all(np.isin(mask, (0.0, 1.0))) or not 0 < mask.mean() < 1 or \
            float(np.abs(ratio - mask).max(initial=0.0)) > 1e-4 or np.array_equal(mask, given[informative] > 0):
        return ""
    for other in evidence.spec.layer_order:
        theirs = evidence.reference.get(f"layer {other}")
        if other == layer or theirs is None or theirs.shape != actual.shape:
            continue
        if np.array_equal(mask, (theirs[informative] > 0).astype(np.float64)):
            return (f"{layer} keeps its input where {other}'s output is positive, not where its own input is: it "
                    f"multiplies by another layer's mask, ({other} > 0) where (x > 0) belongs (a variable left from "
                    "another line, a stale mask)")
    return ""
