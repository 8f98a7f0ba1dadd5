"""How a layer's output relates to its input, measured on the reference's own input to that layer: which function
of the input it computes (an activation), and for a pooling or a convolution, which neighbour in the layer's space
(max or average, window, stride, padding, kernel flipped, bias) reproduces it, against the one that reproduces the
reference's. Nothing is read from the layer's name but its kind (conv, pool, relu, flatten)."""
import itertools
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from compare.checking.relations import best_fit, explains
from implementations.mxnet_compat import mx

nd = mx.nd


@dataclass(frozen=True)
class Window:
    """A pooling or convolution as the operator takes it."""

    kind: str  # "max", "avg" (pooling) or "conv"
    kernel: int
    stride: int
    pad: int
    flipped: bool = False  # conv: the kernel rotated 180 degrees (a true convolution, not a correlation)
    transposed: bool = False  # conv: the kernel's height and width swapped
    bias: int = 1  # conv: the bias added 0, 1 or 2 times

    def words(self) -> str:
        if self.kind == "conv":
            extra = (", the kernel flipped" if self.flipped else "") + \
                    (", the kernel's height and width swapped (transposed)" if self.transposed else "") + \
                    {0: ", no bias", 1: "", 2: ", the bias added twice"}[self.bias]
            return f"a {self.kernel}x{self.kernel} convolution with stride {self.stride}, padding {self.pad}{extra}"
        what = "max" if self.kind == "max" else "average"
        if self.kernel == 1 and self.stride > 1 and not self.pad:
            return (f"one value per window: a 1x1 window, stride {self.stride} — a strided slice, "
                    f"x[:, :, ::{self.stride}, ::{self.stride}], that keeps the top-left value of each window")
        return f"{what} pooling over a {self.kernel}x{self.kernel} window, stride {self.stride}, padding {self.pad}"


def pooled(given: np.ndarray, window: Window) -> Optional[np.ndarray]:
    if window.kernel > given.shape[2] + 2 * window.pad:
        return None
    return nd.Pooling(nd.array(given, dtype="float64"), kernel=(window.kernel,) * 2, stride=(window.stride,) * 2,
                      pad=(window.pad,) * 2, pool_type=window.kind).asnumpy()


def convolved(given: np.ndarray, weight: np.ndarray, bias: np.ndarray, window: Window) -> Optional[np.ndarray]:
    if weight.shape[2] > given.shape[2] + 2 * window.pad:
        return None
    kernel = weight[:, :, ::-1, ::-1] if window.flipped else weight
    kernel = kernel.transpose(0, 1, 3, 2) if window.transposed else kernel
    out = nd.Convolution(nd.array(given, dtype="float64"), nd.array(np.ascontiguousarray(kernel), dtype="float64"),
                         no_bias=True, kernel=weight.shape[2:], stride=(window.stride,) * 2, pad=(window.pad,) * 2,
                         num_filter=weight.shape[0]).asnumpy()
    return out + window.bias * bias.reshape(1, -1, 1, 1)


def _windows(kind: str, kernel: Optional[int]) -> list[Window]:
    if kind == "conv":
        return [Window("conv", kernel or 0, stride, pad, flipped, transposed, bias)
                for stride, pad, flipped, transposed, bias
                in itertools.product((1, 2), (0, 1, 2), (False, True), (False, True), (1, 0, 2))]
    return [Window(pool, size, stride, pad) for pool, size, stride, pad
            in itertools.product(("max", "avg"), (2, 3, 1, 4), (2, 1, 3), (0, 1))]


def window_relation(layer: str, actual: np.ndarray, reference: np.ndarray, compute: Callable,
                    kind: str, kernel: Optional[int] = None) -> str:
    """Which window reproduces the reference's output and which the learner's, in words ('' when no window in the
    layer's space reproduces the learner's, or the reference's own is not found)."""
    difference = float(np.abs(actual - reference).max()) if actual.shape == reference.shape \
        else float(np.abs(actual).max(initial=0.0))
    ours = theirs = None
    for window in _windows(kind, kernel):
        out = compute(window)
        if out is None:
            continue
        if ours is None and out.shape == reference.shape and explains(reference, out, 1e-30):
            ours = window
        if theirs is None and out.shape == actual.shape and explains(actual, out, difference):
            theirs = window
        if ours is not None and theirs is not None:
            break
    if theirs is None or ours is None or theirs == ours:
        return ""
    return f"{layer} computes {theirs.words()}, where the reference computes {ours.words()}"


ACTIVATIONS = (
    ("passes its input through unchanged (no activation)", lambda x: x),
    ("computes relu(x)", lambda x: np.maximum(x, 0)),
    ("computes abs(x)", np.abs),
    ("computes the sigmoid of its input", lambda x: 1 / (1 + np.exp(-x))),
    ("computes tanh of its input", np.tanh),
    ("computes softplus, log(1 + exp(x))", lambda x: np.logaddexp(0, x)),
    ("computes x * (x > 0) with its input's sign flipped, relu(-x)", lambda x: np.maximum(-x, 0)),
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


def flatten_relation(actual: np.ndarray, given: np.ndarray) -> str:
    """Flattened in another axis order (N, H, W, C) or (N, W, H, C) ... instead of (N, C, H, W)."""
    if given.ndim != 4 or actual.ndim != 2:
        return ""
    scale = float(np.abs(given).max(initial=1e-30))
    features = int(np.prod(given.shape[1:]))
    if actual.shape == (len(given), features) and explains(actual, given.reshape(features, len(given)).T, scale):
        return (f"flatten reshapes to ({features}, N) and transposes: every row mixes pixels of several examples; "
                "reshape to (N, -1) instead")
    names = "NCHW"
    for order in itertools.permutations((1, 2, 3)):
        if order == (1, 2, 3):
            continue
        if explains(actual, given.transpose((0, *order)).reshape(len(given), -1), scale):
            taken = "".join(names[axis] for axis in (0, *order))
            return (f"flatten takes (N, C, H, W) in the order ({', '.join(taken)}); nd.flatten (and the dense weights "
                    "after it) expect (N, C, H, W): reshape without transposing")
    return ""


def reshape_pool_relation(layer: str, actual: np.ndarray, given: np.ndarray, size: int) -> str:
    """Max pooling written by reshape with the axes in the wrong order: (N, C, size, H/size, size, W/size), whose
    max takes pixels H/size apart, where windows need (N, C, H/size, size, W/size, size)."""
    n, c, h, w = given.shape
    if h % size or w % size or actual.shape != (n, c, h // size, w // size):
        return ""
    strided = given.reshape(n, c, size, h // size, size, w // size).max(axis=(2, 4))
    if explains(actual, strided, float(np.abs(actual).max(initial=1e-30))):
        return (f"{layer} takes the maximum of pixels {h // size} apart, not of {size}x{size} windows: its reshape "
                f"orders the axes (N, C, {size}, H/{size}, {size}, W/{size}) where windows need (N, C, H/{size}, "
                f"{size}, W/{size}, {size})")
    return ""


def window_positions_relation(layer: str, actual: np.ndarray, given: np.ndarray, size: int) -> str:
    """Pooling over only some of each size x size window's positions (a slice left out), or summing the whole
    window: the positions whose maximum, mean or sum reproduces the learner's output, named by row and column."""
    n, c, h, w = given.shape
    if size * size > 9 or h % size or w % size or actual.shape != (n, c, h // size, w // size):
        return ""
    planes = {(row, column): given[:, :, row::size, column::size] for row in range(size) for column in range(size)}
    difference = float(np.abs(actual).max(initial=1e-30))
    for count in range(size * size, 0, -1):
        for taken in itertools.combinations(sorted(planes), count):
            stacked = np.stack([planes[position] for position in taken])
            for how, reduce in (("maximum", np.max), ("mean", np.mean), ("sum", np.sum)):
                if count == size * size and how != "sum":
                    continue  # the whole window's max or mean: a window of the layer's space, found before
                if not explains(actual, reduce(stacked, axis=0), difference):
                    continue
                if count == size * size:
                    return (f"{layer} sums each {size}x{size} window: {count}x the average, where the reference "
                            "takes the maximum")
                left = [position for position in planes if position not in taken]
                return (f"{layer} takes the {how} over {count} of the {size * size} positions of each "
                        f"{size}x{size} window (row, column {', '.join(map(str, taken))}), leaving out "
                        f"{', '.join(map(str, left))}: its slices miss part of the window")
    return ""


NORMALIZERS = (  # how a batch norm may divide the centred input, by its variance v and epsilon e
    ("sqrt(var + eps)", lambda v, e: np.sqrt(v + e)), ("var + eps, without the square root", lambda v, e: v + e),
    ("sqrt(var) + eps", lambda v, e: np.sqrt(v) + e), ("sqrt(var), without eps", lambda v, e: np.sqrt(v)),
    ("nothing (centred only)", lambda v, e: np.ones_like(v)))


@dataclass(frozen=True)
class Normalization:
    """What a batch-norm layer is given beside its input: its initial gamma and beta and its moving averages
    (per channel), and its epsilon."""

    gamma: np.ndarray
    beta: np.ndarray
    moving_mean: np.ndarray
    moving_var: np.ndarray
    epsilon: float
    momentum: float = 0.9  # the moving averages' weight on their old value


def normalization_of(spec: object, seed: int, layer: str) -> Normalization:
    """A batch-norm layer's initial gamma, beta and moving averages, and its epsilon, from the spec."""
    initial, state = spec.initial_parameters(seed), spec.initial_state()
    return Normalization(*(values[f"{layer}.{name}"].astype(np.float64) for values, name in (
        (initial, "gamma"), (initial, "beta"), (state, "running_mean"), (state, "running_var"))),
        epsilon=getattr(spec, "epsilon", 1e-5), momentum=getattr(spec, "momentum", 0.9))


def batch_norm_reference(given: np.ndarray, norm: Normalization) -> np.ndarray:
    """The chapter's batch norm in training mode: the batch's mean and biased variance per channel."""
    axes = (0, *range(2, given.ndim))
    shape = (1, -1) + (1,) * (given.ndim - 2)
    x_hat = (given - given.mean(axis=axes, keepdims=True)) / np.sqrt(given.var(axis=axes, keepdims=True) + norm.epsilon)
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
                mean, (given**2).mean(axis=axes)))
    affines = (("gamma * x_hat + beta", norm.gamma, norm.beta),
               ("beta * x_hat + gamma (gamma and beta swapped)", norm.beta, norm.gamma))

    def normalized(source, normalizer, affine, epsilon=norm.epsilon):
        _, centre, var = source
        divisor = normalizer[1](var.astype(np.float64), epsilon).reshape(shape)
        return affine[1].reshape(shape) * (given - centre.reshape(shape)) / divisor + affine[2].reshape(shape)

    difference = float(np.abs(actual - reference).max())
    with np.errstate(all="ignore"):
        triples = [(source, normalizer, affine) for source in sources for normalizer in NORMALIZERS
                   for affine in affines]
        mine = best_fit(actual, ((triple, normalized(*triple)) for triple in triples), difference)
        theirs = best_fit(reference, ((triple, normalized(*triple)) for triple in triples), 1e-30)
        if theirs and not mine:
            return _epsilon_relation(layer, actual, theirs, normalized, norm.epsilon)
    if not mine or not theirs or mine is theirs:
        return ""
    words = [f"{verb} {part[0]} where the reference {their_verb} {their_part[0]}"
             for part, their_part, verb, their_verb in zip(mine, theirs, ("normalizes with", "divides by", "computes"),
                                                           ("uses", "divides by", "computes"))
             if part is not their_part]
    return f"{layer} " + " and ".join(words)


def _epsilon_relation(layer: str, actual: np.ndarray, theirs: tuple, normalized: Callable, epsilon: float) -> str:
    """The reference's own statistics and divisor with another epsilon, fitted to the learner's output: "adds
    epsilon 0.001 where the reference adds 1e-05" ('' where no epsilon reproduces it)."""
    source, normalizer, affine = theirs
    if normalizer is not NORMALIZERS[0]:  # the fit reads epsilon off sqrt(var + eps)
        return ""
    gamma, beta = affine[1], affine[2]
    shape = (1, -1) + (1,) * (actual.ndim - 2)
    unit = normalized(source, ("1", lambda v, e: np.ones_like(v)), ("x", np.ones_like(gamma), np.zeros_like(beta)))
    scaled = (actual - beta.reshape(shape)) / gamma.reshape(shape)  # = (x - mean) / divisor, per channel
    axes = (0, *range(2, actual.ndim))
    divisor = (unit * unit).sum(axis=axes) / np.maximum((unit * scaled).sum(axis=axes), 1e-300)
    fitted = float(np.median(divisor**2 - source[2]))
    if not np.isfinite(fitted) or fitted <= 0 or abs(fitted - epsilon) <= 1e-3 * epsilon:
        return ""
    if explains(actual, normalized(source, normalizer, affine, fitted), float(np.abs(actual).max(initial=1e-30))):
        return f"{layer} adds epsilon = {fitted:.3g} to the variance where the reference adds {epsilon:g}"
    return ""
