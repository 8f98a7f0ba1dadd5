"""How a layer's output relates to its input, measured on the reference's own input to that layer: which function
of the input it computes (an activation), and for a pooling or a convolution, which neighbour in the layer's space
(max or average, window, stride, padding, kernel flipped, bias) reproduces it, against the one that reproduces the
reference's. Nothing is read from the layer's name but its kind (conv, pool, relu, flatten)."""
import itertools
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from compare.checking.fits import explains
from compare.checking.placement import axes_relation, grid_relation
from compare.checking.relations import Numbers, narrower_floats
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
        what = {"max": "max", "avg": "average", "sum": "sum"}[self.kind]
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
            in itertools.product(("max", "avg", "sum"), (2, 3, 1, 4), (2, 1, 3), (0, 1))]


def _crop_offsets(surplus: int) -> tuple[int, ...]:
    """Where a slice may cut a larger grid: its start, its middle or its end (a slice written [:n], centred, [-n:])."""
    return tuple(sorted({0, surplus // 2, surplus}))


def crop_fitting(actual: np.ndarray, out: np.ndarray, difference: float) -> Optional[tuple[int, int]]:
    """(top, left) of the part of the larger (N, C, H, W) grid `out` that reproduces `actual`, None where none
    does or the grids do not nest."""
    if out.ndim != 4 or actual.ndim != 4 or out.shape[:2] != actual.shape[:2]:
        return None
    (height, width), (out_height, out_width) = actual.shape[2:], out.shape[2:]
    if out_height < height or out_width < width or (out_height, out_width) == (height, width):
        return None
    for top, left in itertools.product(_crop_offsets(out_height - height), _crop_offsets(out_width - width)):
        if explains(actual, out[:, :, top:top + height, left:left + width], difference):
            return top, left
    return None


def _crop_words(grid: tuple[int, int], crop: tuple[int, int], shape: tuple[int, ...]) -> str:
    (out_height, out_width), (top, left), (height, width) = grid, crop, shape[2:]
    corner = {(0, 0): "top-left ", (out_height - height, out_width - width): "bottom-right "}.get(crop, "")
    return (f", whose {out_height}x{out_width} output is cut to its {corner}{height}x{width} (rows {top} to "
            f"{top + height - 1}, columns {left} to {left + width - 1}): a crop that makes the shape fit, not the "
            "reference's windows")


def window_relation(layer: str, actual: np.ndarray, reference: np.ndarray, compute: Callable,
                    kind: str, kernel: Optional[int] = None) -> str:
    """Which window reproduces the reference's output and which the learner's, in words ('' when no window in the
    layer's space reproduces the learner's, or the reference's own is not found). The learner's may be a larger
    output cropped to the reference's shape (a stride-1 pooling sliced to fit)."""
    difference = float(np.abs(actual - reference).max()) if actual.shape == reference.shape \
        else float(np.abs(actual).max(initial=0.0))
    ours = theirs = None
    cropped: Optional[tuple[Window, str]] = None  # a window whose larger output, cropped, fits: if none fits whole
    for window in _windows(kind, kernel):
        out = compute(window)
        if out is None:
            continue
        if ours is None and out.shape == reference.shape and explains(reference, out, 1e-30):
            ours = window
        if theirs is None and out.shape == actual.shape and explains(actual, out, difference):
            theirs = window
        elif cropped is None and (crop := crop_fitting(actual, out, difference)) is not None:
            cropped = window, _crop_words(out.shape[2:], crop, actual.shape)
        if ours is not None and theirs is not None:
            break
    crop_words = ""
    if theirs is None and cropped is not None:
        theirs, crop_words = cropped
    if theirs is None or ours is None or theirs == ours:
        return ""
    return f"{layer} computes {theirs.words()}{crop_words}, where the reference computes {ours.words()}"


INPUT_TRANSFORMS = (  # (words, transform of an (N, C, H, W) input) a learner's reshape or indexing may leave
    ("with its height and width swapped (transposed images: (N, C, W, H))", lambda x: x.transpose(0, 1, 3, 2)),
    ("upside down (its rows reversed)", lambda x: x[:, :, ::-1, :]),
    ("mirrored (its columns reversed)", lambda x: x[:, :, :, ::-1]),
    ("rotated by 180 degrees", lambda x: x[:, :, ::-1, ::-1]),
)


def input_transform_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                             compute: Callable, kind: str, kernel: Optional[int] = None) -> str:
    """The reference's own window (`compute(window, input)`) applied to the input with its spatial axes swapped or
    reversed reproduces the learner's output (`outputs`: the learner's and the reference's): the layer is right,
    its input is not."""
    actual, reference = outputs
    if given.ndim != 4 or actual.shape != reference.shape:
        return ""
    difference = float(np.abs(actual - reference).max())
    window = next((w for w in _windows(kind, kernel) if (out := compute(w, given)) is not None
                   and out.shape == reference.shape and explains(reference, out, 1e-30)), None)
    if window is None:
        return ""
    for words, transform in INPUT_TRANSFORMS:
        moved = np.ascontiguousarray(transform(given))
        if moved.shape != given.shape:
            continue
        out = compute(window, moved)
        if out is not None and out.shape == actual.shape and explains(actual, out, difference):
            return (f"{layer} computes what the reference's does ({window.words()}), but on its input {words}: "
                    "the layer is right, what it is given is not")
    return ""


KERNEL_PARTS = (  # (words, a mask over the kernel's (k, k) taps keeping those a loop's bounds reach)
    ("its last row and column", lambda k: np.pad(np.ones((k - 1, k - 1)), ((0, 1), (0, 1)))),
    ("its first row and column", lambda k: np.pad(np.ones((k - 1, k - 1)), ((1, 0), (1, 0)))),
    ("its last row", lambda k: np.pad(np.ones((k - 1, k)), ((0, 1), (0, 0)))),
    ("its last column", lambda k: np.pad(np.ones((k, k - 1)), ((0, 0), (0, 1)))),
)


def kernel_part_relation(layer: str, actual: np.ndarray, reference: np.ndarray, given: np.ndarray,
                         parameters: tuple[np.ndarray, np.ndarray]) -> str:
    """A convolution whose loops leave some of the kernel's taps out: the reference's convolution with those taps
    zeroed reproduces the learner's output (`parameters`: the layer's weight (F, C, k, k) and bias (F,))."""
    weight, bias = parameters
    if given.ndim != 4 or actual.shape != reference.shape or weight.shape[2] != weight.shape[3] or weight.shape[2] < 2:
        return ""
    size = weight.shape[2]
    window = Window("conv", size, 1, 0)
    if (full := convolved(given, weight, bias, window)) is None or full.shape != reference.shape or \
            not explains(reference, full, 1e-30):
        return ""  # the reference's own convolution is another window: leave it to window_relation
    difference = float(np.abs(actual - reference).max())
    for words, mask in KERNEL_PARTS:
        out = convolved(given, weight * mask(size), bias, window)
        if out is not None and out.shape == actual.shape and explains(actual, out, difference):
            return (f"{layer} computes the reference's {size}x{size} convolution without {words} of the kernel: "
                    "those taps are never used (a loop's range one short, range(k - 1) for range(k)?)")
    return ""


def dense_bias_relation(layer: str, actual: np.ndarray, reference: np.ndarray, given: np.ndarray,
                        bias: np.ndarray) -> str:
    """A dense layer whose output is the reference's plus u_n * b for one number u_n per example: the bias scaled
    by that example's sum of inputs, minus once (X (W + b): the bias added to every weight inside the product)."""
    if actual.ndim != 2 or actual.shape != reference.shape or bias.shape != (actual.shape[1],) or not np.any(bias):
        return ""
    residual = actual - reference
    per_example = residual @ bias / float(bias @ bias)  # (N,)
    if not explains(residual, np.outer(per_example, bias), float(np.abs(residual).max())):
        return ""
    sums = given.reshape(len(given), -1).sum(axis=1)
    if np.allclose(per_example, sums - 1, rtol=1e-3, atol=1e-3 * float(np.abs(sums).max(initial=1.0))):
        return (f"{layer}'s output is the reference's plus (each example's sum of inputs - 1) x its bias: the bias "
                "is added to every weight inside the product, X . (W + b), where the layer adds it once, X . W + b")
    if float(np.ptp(per_example)) <= 1e-3 * float(np.abs(per_example).max(initial=0.0)):
        return ""  # the same multiple for every example: a bias added again or scaled, which an offset names
    return (f"{layer}'s output is the reference's plus one multiple of its bias per example, varying from "
            f"{per_example.min():.3g} to {per_example.max():.3g}: the bias enters scaled by something of the input")


def flatten_relation(actual: np.ndarray, given: np.ndarray) -> str:
    """Flattened in another axis order (N, H, W, C) or (N, W, H, C) ... instead of (N, C, H, W)."""
    if given.ndim != 4 or actual.ndim != 2:
        return ""
    scale = float(np.abs(actual - given.reshape(len(given), -1)).max(initial=0.0)) \
        if actual.shape == (len(given), int(np.prod(given.shape[1:]))) else float(np.abs(given).max(initial=1e-30))
    features = int(np.prod(given.shape[1:]))
    if actual.shape == (len(given), features) and explains(actual, given.reshape(features, len(given)).T, scale):
        return (f"flatten reshapes to ({features}, N) and transposes: every row mixes pixels of several examples; "
                "reshape to (N, -1) instead")
    names = "NCHW"
    for order in itertools.permutations((1, 2, 3)):
        if order == (1, 2, 3):
            continue
        moved = given.transpose((0, *order)).reshape(len(given), -1)
        if np.array_equal(moved, given.reshape(len(given), -1)):
            continue  # axes of size 1 moved: the same values in the same order, no other flattening
        if explains(actual, moved, scale):
            taken = "".join(names[axis] for axis in (0, *order))
            return (f"flatten takes (N, C, H, W) in the order ({', '.join(taken)}); nd.flatten (and the dense weights "
                    "after it) expect (N, C, H, W): reshape without transposing")
    if actual.shape == (len(given), features):  # the grid itself moved before flattening (an augmentation, a crop)
        grid = actual.reshape(given.shape)
        found = grid_relation(grid, given, scale) or axes_relation(grid, given, scale)
        if found:
            turned = {"axis 3": ": its input (images or maps) is mirrored left to right before flattening",
                      "axis 2": ": its input (images or maps) is turned upside down before flattening"}
            return (f"flatten's output, read back as (N, C, H, W), {found.replace('the reference', 'its input')}"
                    + next((words for axis, words in turned.items() if f"flipped along {axis}" in found), ""))
    return ""


def rounded_operands_relation(layer: str, actual: np.ndarray, given: np.ndarray, weight: np.ndarray,
                              compute: Callable[[np.ndarray, np.ndarray], Optional[np.ndarray]]) -> str:
    """The layer's own computation (`compute(input, weight)`) on its input, its weight or both rounded to float16
    or bfloat16 reproduces its output: its operands pass through a narrower float (cast down, then back)."""
    own = compute(given, weight)
    if own is None or own.shape != actual.shape:
        return ""  # another window or stride: the window relations say it
    difference = float(np.abs(actual - own).max(initial=0.0))
    if difference == 0:
        return ""
    for (words, narrow_input), (_, narrow_weight) in zip(narrower_floats(given), narrower_floats(weight)):
        for operands, (x, w) in (("its input and its weight", (narrow_input, narrow_weight)),
                                 ("its input", (narrow_input, weight)), ("its weight", (given, narrow_weight))):
            candidate = compute(x, w)
            if candidate is not None and candidate.shape == actual.shape and explains(actual, candidate, difference):
                return (f"{layer} computes on {operands} rounded to {words}: its output is the layer's own on those "
                        "rounded values (a cast to a narrower float and back)")
    return ""


def product_factor_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], bias: np.ndarray,
                            numbers: Numbers) -> str:
    """A dense layer whose product X W^T is scaled by one number c while its bias is added as it is: (output -
    b) = c (reference - b), c fitted; words where that reproduces it and the bias is not zero (else a plain factor
    says it)."""
    actual, reference = outputs
    if actual.ndim != 2 or actual.shape != reference.shape or bias.shape != (actual.shape[1],) or not np.any(bias):
        return ""
    mine, theirs = actual - bias, reference - bias
    norm = float(theirs.ravel() @ theirs.ravel())
    factor = float(mine.ravel() @ theirs.ravel()) / norm if norm else 0.0
    difference = float(np.abs(actual - reference).max())
    whole = float(actual.ravel() @ reference.ravel()) / max(float(reference.ravel() @ reference.ravel()), 1e-300)
    if factor == 0 or abs(factor - 1) < 1e-3 or not explains(actual, factor * theirs + bias, difference) or \
            explains(actual, whole * reference, difference):
        return ""  # one factor on the whole output fits as well (a bias too small to tell): a factor says it
    named = numbers.name_of(abs(factor))
    return (f"{layer}'s product X W^T is {factor:.4g}x the reference's" + (f" ({named})" if named else "")
            + ", its bias added unscaled: the product alone is scaled (a scaled dot product), not the whole output")
