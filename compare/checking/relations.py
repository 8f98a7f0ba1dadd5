"""How one array relates to the reference's, measured: a constant factor (named when it equals a number the
computation knows: the batch, the learning rate, 2, a hyperparameter, a square root of one), the opposite sign,
an offset (the whole array, or per channel: the bias missing or added twice), an elementwise function of the
reference, transposed, permuted or flipped axes, its values rearranged (a reshape where a transpose was needed), a
shift or a crop of the spatial grid; and, where none fits, where the difference sits and how large it is. Numpy
only, float64; no mxnet, no catalogue of mistakes."""
import itertools
import math
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from compare.checking.fits import RESIDUAL_SHARE, ROUNDING, best_fit, explains
from compare.checking.placement import (
    axes_relation,
    collected_relation,
    grid_relation,
    reshaped_axes_relation,
    same_values_relation,
)

ZERO = "is zero where the reference's is not"  # a factor of 0: what reads it adds why (never moved, no gradient)


@dataclass(frozen=True)
class Numbers:
    """The numbers a factor may equal, each with its name in the learner's words ("the batch size (64)"), and
    vectors an offset may equal ("conv1.bias")."""

    scalars: tuple[tuple[str, float], ...] = ()
    vectors: dict[str, np.ndarray] = field(default_factory=dict)

    def name_of(self, factor: float, plain: bool = True) -> str:
        """The known number `factor` equals (its inverse, square root or square too), '' when none; `plain`: the
        small numbers anyone writes (2, 3, 1/2, 10) too."""
        candidates = [("2", 2.0), ("3", 3.0), ("1/2", 0.5), ("10", 10.0)] if plain else []
        for name, value in self.scalars:
            if value > 0 and value != 1:
                base, _, shown = name.partition(" (")  # "the batch size (64)" -> "the batch size squared (64^2)"
                squared = f"{base} squared ({shown.removesuffix(')')}^2)" if shown else f"{name} squared"
                candidates += [(name, value), (f"1 / {name}", 1 / value), (f"sqrt({name})", math.sqrt(value)),
                               (f"1 / sqrt({name})", 1 / math.sqrt(value)), (squared, value * value)]
            if 1e-3 <= value < 1 and not name.startswith("the learning rate"):  # a complement of epsilon is 1
                # itself, and one of the learning rate no number anyone wrote (0.25 is lr / (1 - lr) at 0.2 by chance)
                candidates += [(f"1 - {name}", 1 - value), (f"(1 - {name})^2", (1 - value) ** 2),
                               (f"1 + {name}", 1 + value), (f"sqrt(1 - {name})", math.sqrt(1 - value)),
                               (f"{name} / (1 - {name})", value / (1 - value)),
                               (f"(1 - {name}) / {name}", (1 - value) / value)]
            if value > 0 and not name.startswith("the learning rate"):  # 0.2 is no "2 x lr" at lr 0.1: a step's
                candidates.append((f"2 x {name}", 2 * value))  # factor that is lr means lr twice, and 2 lr nothing
        # (distance, place, name): rounding's 1e-16 is no distance; on a tie, the order candidates are written in
        close = sorted((max(abs(factor - value) / abs(value), 1e-9), index, name)
                       for index, (name, value) in enumerate(candidates) if abs(factor - value) <= 1e-3 * abs(value))
        if len(close) > 1 and close[0][0] < 1e-2 * close[1][0]:  # one is far closer: 9999 is rho / (1 - rho) at
            close = close[:1]  # rho 0.9999, not the learning rate squared (10,000)
        names = list(dict.fromkeys(name for _, _, name in close))
        if len(names) > 1:  # two numbers of the computation are equal here: both are said, neither is chosen
            return f"{names[0]}, or {names[1]}: equal at these values"
        return names[0] if names else ""


def softmax(x: np.ndarray) -> np.ndarray:
    """The softmax over the last axis, each row's largest value taken out first (nothing overflows)."""
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _functions() -> list[tuple[str, Callable[[np.ndarray], np.ndarray]]]:
    """Elementwise (or row-wise) functions a learner's value may be of the reference's."""
    with np.errstate(all="ignore"):
        return [("relu of", lambda x: np.maximum(x, 0)), ("the absolute value of", np.abs),
                ("the square of", np.square), ("the square root of", lambda x: np.sqrt(np.abs(x))),
                ("exp of", np.exp), ("exp(-x) of", lambda x: np.exp(-x)), ("-exp(-x) of", lambda x: -np.exp(-x)),
                ("the sigmoid of", lambda x: 1 / (1 + np.exp(-x))), ("tanh of", np.tanh),
                ("the softmax (over the last axis) of", softmax),
                ("the log-softmax (over the last axis) of", lambda x: np.log(softmax(x)))]


def _own_values(actual: np.ndarray, candidate: np.ndarray) -> bool:
    """The candidate reproduces the learner's own values within a hundredth of their size: a near-zero array
    "fits" any tiny multiple of the reference within a hundredth of its difference, which is the reference's size."""
    own = float(np.abs(actual).max(initial=0.0))
    return float(np.abs(actual - candidate).max(initial=0.0)) <= max(RESIDUAL_SHARE * own, 1e-300)


def factor_relation(actual: np.ndarray, reference: np.ndarray, numbers: Numbers, difference: float) -> str:
    """'is 64x the reference's (the batch size (64))', 'has the opposite sign', or ''."""
    scale = float(reference.ravel() @ reference.ravel())
    if scale == 0:
        return ""
    factor = float(actual.ravel() @ reference.ravel()) / scale
    if not explains(actual, factor * reference, difference) or abs(factor - 1) < 1e-4:
        return ""
    if abs(factor) < 1e-6 and float(np.abs(actual).max(initial=0.0)) <= \
            ROUNDING * float(np.abs(reference).max(initial=0.0)):
        return ZERO  # zero but for rounding: a tiny array of values of its own is no zero (nor never moved)
    if not _own_values(actual, factor * reference):
        return ""
    if abs(factor + 1) < 1e-3:
        return "has the opposite sign of the reference's (-1x): a sign is flipped"
    name = numbers.name_of(abs(factor))
    sign = "minus " if factor < 0 else ""
    return f"is {factor:.4g}x the reference's" + (f" ({sign}{name})" if name else ": a constant factor")


def function_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """'is relu of the reference's', or ''."""
    with np.errstate(all="ignore"):  # a function's values must be the learner's own, not merely near a tiny array
        candidates = ((words, function(reference)) for words, function in _functions())
        words = best_fit(actual, ((words, value) for words, value in candidates if _own_values(actual, value)),
                         difference)
    if not words:
        return ""
    note = ": a probability where the reference is its -log (the log left out?)" if words.endswith("exp(-x) of") else ""
    return f"is {words} the reference's{note}"


def offset_relation(actual: np.ndarray, reference: np.ndarray, numbers: Numbers, difference: float) -> str:
    """A constant added, to the whole array or per channel (axis 1); named when it is a known vector (a bias)."""
    gap = actual - reference
    if abs(float(gap.mean())) > RESIDUAL_SHARE * difference and explains(actual, reference + gap.mean(), difference):
        name = numbers.name_of(abs(float(gap.mean())))
        name = "" if "logarithm" in name else name  # a logarithm's base scales a loss; it adds nothing
        return f"is the reference's plus a constant {gap.mean():.4g}" + (f" ({name})" if name else ": an offset")
    if reference.ndim < 2 or reference.shape[1] < 2 or reference.size < 2 * reference.shape[1]:
        return ""  # one value per channel: a per-channel offset would fit anything and say nothing
    axes = tuple(axis for axis in range(reference.ndim) if axis != 1)
    per_channel = gap.mean(axis=axes)
    shape = [1] * reference.ndim
    shape[1] = -1
    if not explains(actual, reference + per_channel.reshape(shape), difference):
        return ""
    for name, vector in numbers.vectors.items():
        if vector.shape == per_channel.shape and np.any(vector):
            if np.allclose(per_channel, -vector, rtol=1e-3, atol=1e-6 * np.abs(vector).max()):
                return f"is the reference's minus {name} in every channel: {name} is left out"
            if np.allclose(per_channel, vector, rtol=1e-3, atol=1e-6 * np.abs(vector).max()):
                return f"is the reference's plus {name} again in every channel: {name} is added twice"
    return "is the reference's plus a constant per channel (axis 1): an offset"


def constant_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """One value everywhere where the reference's values vary: the same number given to every element."""
    if actual.size < 2 or float(np.ptp(reference)) <= difference * 1e-3:
        return ""
    value = float(actual.mean())
    if value == 0 or float(np.abs(actual - value).max()) > 1e-4 * abs(value):
        return ""  # all zeros: the zero relation says it (never written)
    return (f"is one value everywhere ({value:.4g}), where the reference's vary from {float(reference.min()):.4g} "
            f"to {float(reference.max()):.4g}: every element gets the same number")


AXIS_REDUCTIONS = (("mean", np.mean), ("sum", np.sum), ("largest value", np.max), ("smallest value", np.min))


def axis_reduced_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """The reference's values reduced (mean, sum, largest or smallest) over one axis or two and broadcast back
    along them: every element of those axes given one value where each keeps its own (a max over a whole 4-D
    slice where one window's was meant gives every example and channel the same)."""
    for count in (1, 2):
        for axes in itertools.combinations(range(actual.ndim), count):
            if any(actual.shape[axis] < 2 for axis in axes) or (count == 2 and actual.ndim < 3):
                continue  # two axes of a matrix are all of it: one value everywhere, said by constant_relation
            for word, reduce in AXIS_REDUCTIONS:
                candidate = np.broadcast_to(reduce(reference, axis=axes, keepdims=True), reference.shape)
                if np.allclose(actual, candidate, rtol=1e-4, atol=1e-6 * float(np.abs(actual).max(initial=0.0))) \
                        and np.any(actual) and not explains(reference, candidate, difference):
                    where = f"axis {axes[0]}" if count == 1 else f"axes {axes[0]} and {axes[1]}"
                    size = int(np.prod([actual.shape[axis] for axis in axes]))
                    return (f"is the reference's {word} over {where} ({size} values), broadcast back along "
                            f"{'it' if count == 1 else 'them'}: one {word} taken over {where} where each element "
                            "keeps its own value")
    return ""


THRESHOLD_SIDE = 8  # values on each side of a threshold: fewer may fall either side of some cut by chance


def threshold_relation(actual: np.ndarray, reference: np.ndarray) -> str:
    """Two values only, split by one threshold of the reference's: its values binarised by a comparison."""
    values = np.unique(actual)
    if len(values) != 2 or len(np.unique(reference)) <= 2:
        return ""
    low, high = reference[actual == values[0]], reference[actual == values[1]]
    if min(low.size, high.size) < THRESHOLD_SIDE or float(np.ptp(low)) == 0 or float(np.ptp(high)) == 0:
        return ""  # a few values split by chance, or a side that is one value of the reference's (not a cut)
    if float(low.max()) < float(high.min()):
        cut = (float(low.max()), float(high.min()))
    elif float(high.max()) < float(low.min()):
        cut = (float(high.max()), float(low.min()))
    else:
        return ""
    return (f"takes two values only, {values[0]:g} and {values[1]:g}, split where the reference's passes a threshold "
            f"between {cut[0]:.3g} and {cut[1]:.3g}: the reference's values binarised (a comparison such as x > c "
            "kept where the values themselves were meant)")


def narrower_floats(values: np.ndarray) -> tuple[tuple[str, np.ndarray], ...]:
    """`values` rounded to float16 (half precision) and to bfloat16 (round to nearest), back in float64, each with
    its words."""
    with np.errstate(all="ignore"):
        half = values.astype(np.float16).astype(np.float64)
        bfloat16 = (values.astype(np.float32).view(np.uint32) + 0x8000 & 0xFFFF0000).view(np.float32) \
            .astype(np.float64)
    return (("float16 (half precision: 11 significant bits)", half), ("bfloat16 (8 significant bits)", bfloat16))


def rounded_relation(actual: np.ndarray, reference: np.ndarray) -> str:
    """The reference's values rounded to a narrower float: float16 (half precision) or bfloat16."""
    if np.count_nonzero(actual) < 0.5 * np.count_nonzero(reference):
        return ""  # zeros where the reference has values below float16's range: never written, not rounded
    for words, rounded in narrower_floats(reference):
        if np.array_equal(rounded, actual) or np.allclose(actual, rounded, rtol=1e-7, atol=0.0):
            return f"is the reference's rounded to {words}: its values pass through a narrower float type"
    return ""


def affine_relation(actual: np.ndarray, reference: np.ndarray, difference: float, forward: bool = True) -> str:
    """A scale and an offset together, a * reference + b (neither alone fits): said as (x - m) / s, the way a
    normalization with mean m and standard deviation s is written, and called one in the forward pass alone (an
    optimizer's state can be affine in the rule's by the algebra of its first step, which normalizes nothing)."""
    flat, target = reference.ravel(), actual.ravel()
    spread = float(flat.var())
    if spread == 0:
        return ""
    scale = float(((flat - flat.mean()) * (target - target.mean())).mean()) / spread
    offset = float(target.mean() - scale * flat.mean())
    if scale == 0 or abs(scale - 1) < 1e-4 or abs(offset) < 1e-12 or \
            not explains(actual, scale * reference + offset, difference) or \
            not _own_values(actual, scale * reference + offset):
        return ""
    if abs(scale + 1) < 1e-3:  # c - x: the values reversed about c / 2 (pixels inverted, 1 - x)
        return (f"is {offset:.4g} minus the reference's ({offset:.4g} - x): the values reversed, as 1 - x inverts "
                "an image's intensities")
    return (f"is {scale:.4g}x the reference's plus {offset:.4g}: an affine map, (x - {-offset / scale:.4g}) / "
            f"{1 / scale:.4g}, " + ("the form of a normalization by a mean and a scale" if forward else
                                    "a scale and an offset together"))


def relation(actual: np.ndarray, reference: np.ndarray, numbers: Numbers, forward: bool = True) -> str:
    """The first relation that reproduces `actual` from `reference`, in words ('' when none fits); `forward`: a
    quantity of the forward pass (not an update's move or state)."""
    actual, reference = actual.astype(np.float64), reference.astype(np.float64)
    if actual.shape != reference.shape:
        return grid_relation(actual, reference, 0.0)
    if not (np.all(np.isfinite(actual)) and np.all(np.isfinite(reference))):
        return ""
    difference = float(np.abs(actual - reference).max(initial=0.0))
    if difference <= ROUNDING * max(float(np.abs(reference).max(initial=0.0)), 1e-30):
        return ""  # they agree: any function near the identity (tanh of small values) would "fit"
    return (rounded_relation(actual, reference) or constant_relation(actual, reference, difference)
            or factor_relation(actual, reference, numbers, difference)
            or function_relation(actual, reference, difference)
            or offset_relation(actual, reference, numbers, difference)
            or affine_relation(actual, reference, difference, forward)
            or axis_reduced_relation(actual, reference, difference) or threshold_relation(actual, reference)
            or axes_relation(actual, reference, difference) or reshaped_axes_relation(actual, reference, difference)
            or grid_relation(actual, reference, difference) or same_values_relation(actual, reference, difference)
            or collected_relation(actual, reference, difference))


def where_it_sits(actual: np.ndarray, reference: np.ndarray, allowed: Optional[float], kind: str = "layer") -> str:
    """Where the values beyond `allowed` sit and how large they are, when no relation fits: how many, and whether
    only where the reference is negative, zero or positive, on the spatial border, in one channel, class or
    example (of a parameter: one output unit or input)."""
    if actual.shape != reference.shape:
        return f"shape {actual.shape} where the reference's is {reference.shape}"
    actual, reference = actual.astype(np.float64), reference.astype(np.float64)
    if not np.all(np.isfinite(actual)):
        bad = int(np.count_nonzero(~np.isfinite(actual)))
        return f"{bad:,} of {actual.size:,} values are inf/NaN"
    gap = np.abs(actual - reference)
    limit = allowed if allowed is not None and allowed > 0 else 1e-6 * max(float(np.abs(reference).max()), 1e-30)
    apart = gap > limit
    count = int(np.count_nonzero(apart))
    if count == 0:
        return f"differs by up to {float(gap.max()):.2e}"
    words = [f"{count:,} of {actual.size:,} values differ, by up to {float(gap.max()):.2e}"]
    for name, region in (("where the reference is exactly 0", reference == 0),
                         ("where the reference is negative", reference < 0),
                         ("where the reference is positive", reference > 0)):
        if np.all(region[apart]) and count < actual.size and np.count_nonzero(region) < actual.size:
            words.append(f"only {name}")
            break
    if actual.ndim == 4 and min(actual.shape[2:]) > 2:
        border = np.ones(actual.shape[2:], dtype=bool)
        border[1:-1, 1:-1] = False
        if np.all(border[np.nonzero(apart)[2], np.nonzero(apart)[3]]):
            words.append("only on the border of the spatial grid")
    per_example = kind in ("layer", "logits", "loss")
    axis_names = ((1, "channel" if actual.ndim == 4 else "column (class or unit)"), (0, "example")) if per_example \
        else ((1, "input channel" if actual.ndim == 4 else "input (column)"), (0, "output unit (row)"))
    for axis, what in axis_names:
        if actual.ndim > axis and actual.shape[axis] > 1:
            places = np.unique(np.nonzero(apart)[axis])
            if len(places) <= 3 and len(places) < actual.shape[axis]:
                words.append(f"only in {what} {', '.join(map(str, places))}")
    return "; ".join(words)
