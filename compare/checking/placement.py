"""Where the reference's values went, measured: its axes transposed, permuted or flipped, read back in another
order (a reshape where a transpose was needed), the same values rearranged, or its spatial grid shifted, cropped or
padded. Numpy only, float64."""
import itertools

import numpy as np

from compare.checking.fits import explains

AXIS_WORDS = {4: ("example", "channel", "height (rows)", "width (columns)"), 2: ("example", "feature")}


def _swapped_words(order: tuple[int, ...]) -> str:
    """': its height (rows) and width (columns) swapped (transposed)' where `order` exchanges two axes alone."""
    moved = [axis for axis, taken in enumerate(order) if axis != taken]
    names = AXIS_WORDS.get(len(order))
    if len(moved) != 2 or names is None:
        return ""
    return f": its {names[moved[0]]} and {names[moved[1]]} swapped (transposed)"


def axes_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """Transposed, permuted or flipped axes of the reference."""
    if reference.ndim == 2 and reference.shape[0] == reference.shape[1] and explains(actual, reference.T, difference):
        return "is the reference's transposed"
    for order in itertools.permutations(range(reference.ndim)):
        if list(order) == sorted(order) or reference.transpose(order).shape != actual.shape:
            continue
        if explains(actual, reference.transpose(order), difference):
            return f"is the reference's with its axes permuted to {order}{_swapped_words(order)}"
    names = {2: "rows (height)", 3: "columns (width)"} if reference.ndim == 4 else {}
    for axis in range(reference.ndim):
        if reference.shape[axis] > 1 and explains(actual, np.flip(reference, axis), difference):
            return f"is the reference's flipped along axis {axis}" + (f", its {names[axis]}" if axis in names else "")
    return ""


def _axis_names(ndim: int) -> str:
    return {2: "NF", 3: "NTF", 4: "NCHW"}.get(ndim, "".join(chr(ord("a") + axis) for axis in range(ndim)))


def reshaped_axes_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """The reference's values in another order: its axes taken in another order and read back in its shape (a
    reshape where a transpose was needed). A pure transpose of equal shape is axes_relation's."""
    if actual.size < 4 or actual.ndim < 2:
        return ""
    names = _axis_names(reference.ndim)
    for order in itertools.permutations(range(reference.ndim)):
        moved = reference.transpose(order)
        if list(order) == sorted(order) or moved.shape == actual.shape:
            continue
        if explains(actual, np.ascontiguousarray(moved).reshape(actual.shape), difference):
            taken = ", ".join(names[axis] for axis in order)
            shape = ", ".join(names)
            return (f"holds the reference's values in another order: the reference's axes taken as ({taken}) and "
                    f"read back in the shape ({shape}), a reshape where a transpose was needed")
    return ""


def same_values_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """Where no order of axes nor shift fits: the same values rearranged, within each example or mixed across
    examples."""
    if actual.size < 4 or actual.ndim < 2 or \
            not explains(np.sort(actual.ravel()), np.sort(reference.ravel()), difference):
        return ""
    count = len(actual)
    if explains(np.sort(actual.reshape(count, -1), axis=1), np.sort(reference.reshape(count, -1), axis=1),
                difference):
        return ("holds each example's own values in another order (the same values, rearranged within each "
                "example): an axis order or a reshape differs")
    return ("holds the reference's values in another order, mixed across examples (the same values, rearranged): "
            "a reshape or an axis order differs")


def grid_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """A shift of the spatial grid (same shape), or a crop or a pad of it (another height and width)."""
    if actual.ndim != 4 or reference.ndim != 4 or actual.shape[:2] != reference.shape[:2]:
        return ""
    (height, width), (ref_height, ref_width) = actual.shape[2:], reference.shape[2:]
    if (height, width) == (ref_height, ref_width):
        for dy, dx in itertools.product(range(-2, 3), repeat=2):
            if (dy, dx) == (0, 0) or height <= 4 or width <= 4:
                continue
            mine = actual[:, :, max(dy, 0):height + min(dy, 0), max(dx, 0):width + min(dx, 0)]
            theirs = reference[:, :, max(-dy, 0):height + min(-dy, 0), max(-dx, 0):width + min(-dx, 0)]
            if explains(mine, theirs, difference) and not explains(actual, reference, difference):
                return f"is the reference's spatial grid shifted by {dy} rows and {dx} columns"
        return ""
    small, large, cropped = (actual, reference, True) if height <= ref_height and width <= ref_width \
        else (reference, actual, False)
    if small.shape[2] > large.shape[2] or small.shape[3] > large.shape[3]:
        return ""
    for top, left in itertools.product(range(large.shape[2] - small.shape[2] + 1),
                                       range(large.shape[3] - small.shape[3] + 1)):
        window = large[:, :, top:top + small.shape[2], left:left + small.shape[3]]
        if explains(small, window, max(float(np.abs(small).max(initial=0.0)), 1e-30)):
            what = "a crop of" if cropped else "padded around"
            return (f"is {what} the reference's {ref_height}x{ref_width} grid ({height}x{width}, offset {top} rows, "
                    f"{left} columns): the padding or the window differs")
    return ""


def _spans(indices: list[int]) -> str:
    """[32, 33, ..., 63] -> '32 to 63'; a few scattered ones listed."""
    if indices == list(range(indices[0], indices[-1] + 1)) and len(indices) > 2:
        return f"{indices[0]} to {indices[-1]}"
    return ", ".join(map(str, indices[:6])) + (", ..." if len(indices) > 6 else "")


def examples_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """Each example's values (axis 0) are the reference's values of some example of the batch, and some of another
    example than its own: the batch sliced or indexed from the wrong place. '' otherwise."""
    count = len(actual)
    if actual.shape != reference.shape or actual.ndim < 2 or count < 4 or actual[0].size < 4:
        return ""  # a row of one value matches the nearest of N numbers by chance
    mine, theirs = actual.reshape(count, -1), reference.reshape(count, -1)
    sources = []
    for index, row in enumerate(mine):
        gaps = np.abs(theirs - row).max(axis=1)  # against every example of the reference
        matching = [other for other in np.argsort(gaps)[:2] if explains(row, theirs[other], difference)]
        if not matching:
            return ""
        if index in matching or all(np.array_equal(theirs[other], theirs[index]) for other in matching):
            sources.append(index)  # its own values (or a tie with a row equal to its own)
        elif len(matching) == 2 and not np.array_equal(theirs[matching[0]], theirs[matching[1]]):
            return ""  # two different examples fit: no one source
        else:
            sources.append(int(matching[0]))
    moved = [index for index, source in enumerate(sources) if source != index]
    if not moved:
        return ""
    if len(set(sources)) == 1:
        return (f"holds, for every example, the reference's values of example {sources[0]}: one example's output "
                "for the whole batch (an index fixed where it should follow the examples)")
    taken = [sources[index] for index in moved]
    return (f"holds, for examples {_spans(moved)}, the reference's values of examples {_spans(taken)} (and its own "
            "for the rest): each example's output is another example's of the batch — the batch sliced or indexed "
            "from the wrong place (a slice's start or end, or an index, off)")


def collected_relation(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """Every element but one is zero, and that one holds the sum of all the reference's: one element used in
    place of each (b[0:1] where b[i:i+1] is meant), so its gradient collects every element's. '' otherwise."""
    if actual.size < 4:
        return ""
    flat, total = actual.ravel(), float(reference.sum())
    if abs(total) < 0.1 * float(np.abs(reference).sum()):
        return ""  # a sum that cancels (softmax's gradient sums to 0 over the classes): any tiny array "holds" it
    index = int(np.argmax(np.abs(flat)))
    collected = np.zeros_like(flat)
    collected[index] = total
    if not explains(flat, collected, difference):
        return ""
    return (f"is zero but at element {index}, which holds the sum of every element of the reference's "
            f"({total:.4g}): one element stands for all of them (an index fixed where it should "
            "follow the loop), so it collects every element's share")
