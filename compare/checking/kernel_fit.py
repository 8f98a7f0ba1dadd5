"""A convolution's effective kernel, measured: the kernel and bias that reproduce the learner's output from the
layer's input, fitted by least squares over every window of the batch, then set against the layer's own weight —
which input channels, output filters or taps it uses, and how its kernel and bias relate to the weight's. Numpy
only, float64; it reads nothing but the arrays (no list of mistakes)."""
from dataclasses import dataclass
from typing import Optional

import numpy as np

from compare.checking.fits import explains
from compare.checking.relations import Numbers, relation, where_it_sits

SILENT = 1e-9  # an input channel whose values are all this small (relative) cannot show its kernel: not judged
MAX_VALUES = 20_000_000  # the windows matrix's size at most (160 MB in float64): larger layers fit on fewer examples


@dataclass(frozen=True)
class FittedKernel:
    """What the learner's layer computes, as a stride-1 convolution without padding: (F, C, k, k) and (F,)."""

    kernel: np.ndarray
    bias: np.ndarray
    shown: np.ndarray  # (C,) bool: input channels whose values let the fit see their kernel


def _windows(given: np.ndarray, size: int) -> np.ndarray:
    """Every size x size window of (N, C, H, W) as a row: (N * H' * W', C * size * size), H' = H - size + 1."""
    views = np.lib.stride_tricks.sliding_window_view(given, (size, size), axis=(2, 3))  # (N, C, H', W', k, k)
    return views.transpose(0, 2, 3, 1, 4, 5).reshape(-1, given.shape[1] * size * size)


def fit_kernel(given: np.ndarray, actual: np.ndarray, size: int, difference: float) -> Optional[FittedKernel]:
    """The stride-1, unpadded convolution of `given` (N, C, H, W) that reproduces `actual` (N, F, H', W'), None
    where the output has another shape or no such convolution reproduces it (the layer is not one)."""
    count, channels, height, width = given.shape
    filters = actual.shape[1]
    if actual.ndim != 4 or actual.shape != (count, filters, height - size + 1, width - size + 1):
        return None
    per_example = (height - size + 1) * (width - size + 1) * (channels * size * size + 1)
    keep = max(1, min(count, MAX_VALUES // max(per_example, 1)))  # a large layer: fitted on its first examples
    given, actual, count = given[:keep], actual[:keep], keep
    rows = _windows(given, size)
    rows = np.concatenate([rows, np.ones((len(rows), 1))], axis=1)  # the bias's column
    if rows.shape[0] < 2 * rows.shape[1]:
        return None  # too few windows to pin every tap
    targets = actual.transpose(0, 2, 3, 1).reshape(-1, filters)  # (N * H' * W', F)
    solution, *_ = np.linalg.lstsq(rows, targets, rcond=None)  # (C * k * k + 1, F)
    fitted = (rows @ solution).reshape(count, height - size + 1, width - size + 1, filters).transpose(0, 3, 1, 2)
    if not explains(actual, fitted, difference):
        return None
    scale = float(np.abs(given).max(initial=0.0))
    shown = np.abs(given).max(axis=(0, 2, 3)) > SILENT * max(scale, 1e-30)
    kernel = solution[:-1].T.reshape(filters, channels, size, size)
    return FittedKernel(kernel, solution[-1], shown)


FITTED = 1e-3  # a fitted kernel's value matches within this share of the weight's largest (float32 outputs, fitted)


def _same(fitted: np.ndarray, weight: np.ndarray, scale: float = 0.0) -> bool:
    """Equal within FITTED of the larger of `weight`'s largest value and `scale` (a zero bias has no scale)."""
    scale = max(float(np.abs(weight).max(initial=0.0)), scale, 1e-30)
    return float(np.abs(fitted - weight).max(initial=0.0)) <= FITTED * scale


def _zero(fitted: np.ndarray, weight: np.ndarray, scale: float = 0.0) -> bool:
    return _same(fitted, np.zeros_like(fitted), max(float(np.abs(weight).max(initial=0.0)), scale))


def _listed(indices: list[int], total: int, what: str) -> str:
    if len(indices) == 1:
        place = {0: " (the first)", total - 1: " (the last)"}.get(indices[0], "")
        return f"{what} {indices[0]} of {total}{place}"
    return f"{what}s {', '.join(map(str, indices))} of {total}"


def _parts_used(fitted: FittedKernel, weight: np.ndarray) -> str:
    """Where the fitted kernel is the weight on some input channels (or filters, or taps) and zero on the rest."""
    channels, filters = weight.shape[1], weight.shape[0]
    shown = [c for c in range(channels) if fitted.shown[c]]
    same = [c for c in shown if _same(fitted.kernel[:, c], weight[:, c])]
    zero = [c for c in shown if _zero(fitted.kernel[:, c], weight[:, c])]
    if same and zero and len(same) + len(zero) == len(shown):
        return (f"uses only {_listed(same, channels, 'input channel')}: its kernel on the other input channels is "
                f"zero, so the sum over the input channels keeps {'one term' if len(same) == 1 else 'some terms'} "
                "(a loop that assigns where it should add, or a slice of the channels)")
    same_filters = [f for f in range(filters) if _same(fitted.kernel[f][fitted.shown], weight[f][fitted.shown])]
    zero_filters = [f for f in range(filters) if _zero(fitted.kernel[f][fitted.shown], weight[f][fitted.shown])]
    if same_filters and zero_filters and len(same_filters) + len(zero_filters) == filters:
        return f"computes only {_listed(same_filters, filters, 'output filter')}: the others are zero"
    taps = [(row, column) for row in range(weight.shape[2]) for column in range(weight.shape[3])]
    kept = [tap for tap in taps if _same(fitted.kernel[:, fitted.shown][..., tap[0], tap[1]],
                                         weight[:, fitted.shown][..., tap[0], tap[1]])]
    left = [tap for tap in taps if _zero(fitted.kernel[:, fitted.shown][..., tap[0], tap[1]],
                                         weight[:, fitted.shown][..., tap[0], tap[1]])]
    if kept and left and len(kept) + len(left) == len(taps):
        if len(kept) < len(left):  # name what it keeps, and the line they share
            line = next((f": only the kernel's {what} {min(value)}" for what, value in
                         (("column", {tap[1] for tap in kept}), ("row", {tap[0] for tap in kept}))
                         if len(value) == 1), "")
            return (f"uses only {len(kept)} of the kernel's {len(taps)} taps, (row, column) "
                    f"{', '.join(map(str, kept))}{line}: a loop over the kernel's window adds only part of it (a "
                    "line of the loop's body outside the inner loop?)")
        return (f"uses {len(kept)} of the kernel's {len(taps)} taps, leaving out (row, column) "
                f"{', '.join(map(str, left))}: a loop over the kernel's window misses part of it")
    return ""


def _bias_words(fitted: FittedKernel, parameters: tuple[np.ndarray, np.ndarray], numbers: Numbers) -> str:
    weight, bias = parameters
    scale = float(np.abs(weight).max(initial=0.0))  # a zero bias is measured against the kernel's scale
    if _same(fitted.bias, bias, scale):
        return ""
    if _zero(fitted.bias, bias, scale):
        return "adds no bias"
    found = relation(fitted.bias, bias, numbers) if np.any(bias) else ""
    if found:
        return f"adds a bias that {found}"
    return (f"adds a bias of {fitted.bias.min():.3g} to {fitted.bias.max():.3g} where its own is {bias.min():.3g} "
            f"to {bias.max():.3g}")


def kernel_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                    parameters: tuple[np.ndarray, np.ndarray], numbers: Numbers) -> str:
    """How the convolution the learner's layer computes (its kernel fitted to its output, `outputs`: the learner's
    and the reference's) relates to the layer's weight and bias (`parameters`), in words; '' where no convolution
    reproduces the output, or its kernel and bias are the layer's own."""
    actual, reference = outputs
    weight = parameters[0]
    if given.ndim != 4 or weight.ndim != 4 or weight.shape[2] != weight.shape[3] or actual.shape != reference.shape:
        return ""
    fitted = fit_kernel(given, actual, weight.shape[2], float(np.abs(actual - reference).max()))
    if fitted is None or fitted.kernel.shape != weight.shape:
        return ""
    shown = fitted.shown
    kernel_same = _same(fitted.kernel[:, shown], weight[:, shown])
    bias_words = _bias_words(fitted, parameters, numbers)
    if kernel_same:
        return f"{layer} convolves with its own kernel but {bias_words}" if bias_words else ""
    words = _parts_used(fitted, weight) or _taps_moved(fitted, weight)
    if not words:
        found = relation(fitted.kernel[:, shown], weight[:, shown], numbers)
        allowed = FITTED * float(np.abs(weight).max(initial=1e-30))
        where = where_it_sits(fitted.kernel[:, shown], weight[:, shown], allowed, "parameter")
        words = f"has a kernel that {found}" if found else f"has another kernel than its weight: {where}"
    extra = f", and {bias_words}" if bias_words else ""
    return (f"{layer} computes a convolution (its kernel fitted to its output over the batch's windows) that "
            f"{words}{extra}")


def _tap_index(indices: np.ndarray, row: np.ndarray, column: np.ndarray, last: int) -> str:
    """One tap index of the weight, over the kernel's (row, column) positions, as an expression of i (the row)
    and j (the column): 'i', 'j', '4 - i', '4 - j' or a constant; '' where none."""
    for words, value in (("i", row), ("j", column), (f"{last} - i", last - row), (f"{last} - j", last - column)):
        if np.array_equal(indices, value):
            return words
    return str(int(indices.flat[0])) if np.all(indices == indices.flat[0]) else ""


def _taps_moved(fitted: FittedKernel, weight: np.ndarray) -> str:
    """Every tap (i, j) of the fitted kernel holds one tap of the weight, over every filter and input channel, but
    not its own: said as the weight's tap it holds, an expression of i and j ((i, i): the row index typed for the
    column's)."""
    size = weight.shape[2]
    shown_weight, shown_kernel = weight[:, fitted.shown], fitted.kernel[:, fitted.shown]
    source = np.full((size, size, 2), -1)
    for i, j in np.ndindex(size, size):
        match = next(((a, b) for a, b in np.ndindex(size, size)
                      if _same(shown_kernel[..., i, j], shown_weight[..., a, b], float(np.abs(weight).max()))), None)
        if match is None:
            return ""
        source[i, j] = match
    row, column = np.indices((size, size))
    if np.array_equal(source[..., 0], row) and np.array_equal(source[..., 1], column):
        return ""
    first, second = (_tap_index(source[..., axis], row, column, size - 1) for axis in (0, 1))
    if not (first and second):
        return ""
    return (f"holds, at every tap (i, j) of its kernel, the weight's tap ({first}, {second}) (i: the tap's row, j: "
            "its column): the weight is indexed with the wrong expression where the taps are read")


def _shown(values: np.ndarray) -> str:
    """A few values at 3 significant digits (a zero that is rounding shown as 0)."""
    scale = float(np.abs(values).max(initial=0.0))
    cleaned = np.where(np.abs(values) <= 1e-6 * scale, 0.0, values)
    return np.array2string(cleaned, formatter={"float_kind": lambda value: f"{value:.3g}"}, separator=", ")


def dense_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                   parameters: tuple[np.ndarray, np.ndarray], numbers: Numbers) -> str:
    """A dense layer with fewer inputs than the batch has examples: its weights and bias fitted to its output by
    least squares, against the layer's own (`parameters`: weight (units, inputs), bias (units,)): the same values
    in another place (a column of ones joined on the other side), or a relation of either; '' where no linear map
    reproduces the output, or it is the layer's own."""
    actual, reference = outputs
    weight, bias = parameters
    inputs = given.reshape(len(given), -1)
    if actual.ndim != 2 or weight.ndim != 2 or inputs.shape[1] != weight.shape[1] or \
            len(inputs) < 2 * (inputs.shape[1] + 1):
        return ""
    rows = np.concatenate([inputs, np.ones((len(inputs), 1))], axis=1)
    solution, *_ = np.linalg.lstsq(rows, actual, rcond=None)  # (inputs + 1, units)
    if not explains(actual, rows @ solution, float(np.abs(actual - reference).max())):
        return ""
    fitted = np.concatenate([solution[:-1].T, solution[-1:].T], axis=1)  # (units, inputs + 1): [W | b]
    own = np.concatenate([weight, bias.reshape(-1, 1)], axis=1)
    if _same(fitted, own):
        return ""
    said = f"(fitted to its output: weight {_shown(fitted[:, :-1])}, bias {_shown(fitted[:, -1])})"
    if explains(np.sort(fitted.ravel()), np.sort(own.ravel()), float(np.abs(fitted - own).max())):
        return (f"{layer} uses its own weights and bias in other places {said}, where the layer's are weight "
                f"{_shown(weight)}, bias {_shown(bias)}: the values are matched to the "
                "wrong inputs (a column of ones joined on the other side from its weight, or a shifted index)")
    found = relation(fitted, own, numbers)
    return f"{layer}'s weights and bias {said} {found}" if found else ""


def elementwise_dense_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                               parameters: tuple[np.ndarray, np.ndarray]) -> str:
    """A dense layer whose every output unit j is its own input j times one number a_j (plus b_j), fitted per
    unit over the batch (`outputs`: the learner's and the reference's, (N, units); `given`: the layer's input, of
    as many features): an elementwise product where the layer needs a matrix product, with a_j named where it is
    the weight's column sums, row sums or diagonal (a broadcast product summed over the wrong axis). ''."""
    actual, reference = outputs
    weight, bias = parameters
    inputs = given.reshape(len(given), -1)
    if actual.ndim != 2 or inputs.shape != actual.shape or len(inputs) < 8 or weight.ndim != 2:
        return ""
    centred_in, centred_out = inputs - inputs.mean(axis=0), actual - actual.mean(axis=0)
    spread = (centred_in * centred_in).sum(axis=0)
    varies = spread > 0  # a unit whose input never varies (a dead ReLU's) tells no factor: its output must not vary
    if varies.sum() < 8:
        return ""
    factors = np.where(varies, (centred_in * centred_out).sum(axis=0) / np.where(varies, spread, 1.0), 0.0)
    offsets = actual.mean(axis=0) - factors * inputs.mean(axis=0)
    if not explains(actual, inputs * factors + offsets, float(np.abs(actual - reference).max())):
        return ""
    sums = {"the column sums of the weight, W.sum(axis=0)": weight.sum(axis=0),
            "the row sums of the weight, W.sum(axis=1)": weight.sum(axis=1), "the weight's diagonal": np.diag(weight)}
    named = next((words for words, value in sums.items() if value.shape == factors.shape and
                  np.allclose(factors[varies], value[varies], rtol=1e-3,
                              atol=1e-6 * float(np.abs(value).max(initial=1.0)))), "")
    said = (f"{named}: a broadcast product summed over the wrong axis, or an elementwise product, where the layer "
            "sums each unit's inputs times its row of weights (H @ W.T)" if named else
            "one number per unit: an elementwise product where the layer needs a matrix product (H @ W.T)")
    return (f"{layer}'s every output unit is its own input unit times a factor (plus an offset), fitted per unit "
            f"over the batch; the factors are {said}")
