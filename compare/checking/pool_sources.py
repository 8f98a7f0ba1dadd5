"""Which input values a pooling takes, measured: the positions of each window it reads (a slice left out, the
whole window summed), a reshape that takes pixels far apart, and — for any max pooling — where its values come
from: a max pooling copies input values, so each output's value is found in its input plane (where it occurs once),
its position read as a flat index f(i, j) of the plane, and f fitted as a * i + b * j + d with d in a small set D —
the window, whatever loops or reshapes built it, proven by taking the maximum over it, then said in rows and
columns; and another statistic of the layer's own windows (the minimum, the median, a norm, the range). Numpy only."""
import itertools
from typing import Optional

import numpy as np

from compare.checking.fits import explains

PLANES = 8  # (example, channel) planes read for the sources: enough windows, little work
MAX_WINDOW = 9  # a window of more positions than this is not a pooling anyone meant
MAX_PAIRS = 4_000_000  # outputs x inputs of one plane compared at most (32 MB in float64)


def _sources(actual: np.ndarray, given: np.ndarray) -> Optional[np.ndarray]:
    """(planes, h, w) flat indices into each input plane of where each output value occurs, -1 where it occurs
    more than once (a tie: no source); None where some output is no input value at all (not a max pooling)."""
    count, channels, height, width = given.shape
    if actual.shape[2] * actual.shape[3] * height * width > MAX_PAIRS:
        return None  # a large plane: its every output against every input would not fit in memory
    planes = [(n, c) for n in range(count) for c in range(channels)][:PLANES]
    found = np.full((len(planes), *actual.shape[2:]), -1, dtype=np.int64)
    for index, (n, c) in enumerate(planes):
        flat = given[n, c].ravel()
        hits = np.abs(actual[n, c].reshape(-1, 1) - flat.reshape(1, -1)) <= 1e-6 * max(float(np.abs(flat).max()), 1e-30)
        if not np.all(hits.any(axis=1)):
            return None
        single = hits.sum(axis=1) == 1
        found[index].reshape(-1)[single] = hits[single].argmax(axis=1)
    return found


def _common(differences: np.ndarray, count: int = 5) -> list[int]:
    values, counts = np.unique(differences, return_counts=True)
    return [int(value) for value in values[np.argsort(-counts, kind="stable")][:count]]


def _steps(found: np.ndarray) -> Optional[tuple[int, int]]:
    """The flat distance between neighbouring outputs' sources, down (a) and across (b): of the most common
    distances, the pair that leaves the fewest offsets d (the smallest window)."""
    down = (found[:, 1:, :] - found[:, :-1, :])[(found[:, 1:, :] >= 0) & (found[:, :-1, :] >= 0)]
    across = (found[:, :, 1:] - found[:, :, :-1])[(found[:, :, 1:] >= 0) & (found[:, :, :-1] >= 0)]
    if not down.size or not across.size:
        return None
    pairs = [(a, b) for a in _common(down) for b in _common(across)]
    return min(pairs, key=lambda pair: len(_window_of(found, pair)))


def _window_of(found: np.ndarray, steps: tuple[int, int]) -> list[int]:
    """The offsets d every source takes, a * i + b * j + d, from the smallest."""
    rows, columns = np.indices(found.shape[1:])
    offsets = found - (steps[0] * rows + steps[1] * columns)[None]
    offsets = offsets[found >= 0]
    if not offsets.size:
        return []
    return sorted(int(value - offsets.min()) for value in np.unique(offsets))


def _pooled_over(given: np.ndarray, window: tuple[tuple[int, int], list[int], int],
                 shape: tuple[int, ...]) -> Optional[np.ndarray]:
    """The maximum over flat offsets `window` (steps, offsets, start) of each input plane, in `shape`."""
    (down, across), offsets, start = window
    flat = given.reshape(*given.shape[:2], -1)
    rows, columns = np.indices(shape[2:])
    base = start + down * rows + across * columns
    positions = base[..., None] + np.array(offsets)  # (h, w, |D|)
    if positions.min() < 0 or positions.max() >= flat.shape[2]:
        return None
    return flat[:, :, positions].max(axis=-1)


def _said(offsets: list[int], width: int) -> str:
    cells = sorted({(offset // width, offset % width) for offset in offsets})
    rows = sorted({row for row, _ in cells})
    columns = sorted({column for _, column in cells})
    if len(cells) == len(rows) * len(columns) and rows == list(range(rows[0], rows[0] + len(rows))) and \
            columns == list(range(columns[0], columns[0] + len(columns))):
        return f"a {len(rows)}x{len(columns)} block ({len(rows)} row{'s' if len(rows) > 1 else ''} by " \
               f"{len(columns)} column{'s' if len(columns) > 1 else ''})"
    return "the positions (row, column) " + ", ".join(map(str, cells))


def source_relation(layer: str, actual: np.ndarray, reference: np.ndarray, given: np.ndarray) -> str:
    """The window the learner's max pooling takes each maximum over, measured from where its values come from,
    against the reference's: '' where its values are not copies of its input, or the window found is the
    reference's or does not reproduce the output."""
    if given.ndim != 4 or actual.ndim != 4 or actual.shape[:2] != given.shape[:2] or actual.shape != reference.shape:
        return ""
    width = given.shape[3]
    windows = []
    for output in (actual, reference):
        found = _sources(output, given)
        steps = _steps(found) if found is not None else None
        offsets = _window_of(found, steps) if steps is not None else []
        if not offsets or len(offsets) > MAX_WINDOW:
            return ""
        rows, columns = np.indices(found.shape[1:])
        start = int((found - (steps[0] * rows + steps[1] * columns)[None])[found >= 0].min())
        window = (steps, offsets, start)
        pooled = _pooled_over(given, window, output.shape)
        if pooled is None or not explains(output, pooled, float(np.abs(actual - reference).max())):
            return ""
        windows.append(window)
    (mine, theirs) = windows
    if mine == theirs:
        return ""
    (down, across), offsets, _ = mine
    (their_down, their_across), their_offsets, _ = theirs
    return (f"{layer} takes each maximum over {_said(offsets, width)} of its input, output (i, j) reading from flat "
            f"position {down} * i + {across} * j of each {given.shape[2]}x{width} plane, where the reference's "
            f"window is {_said(their_offsets, width)} at {their_down} * i + {their_across} * j: the values grouped "
            "into windows are not the reference's (a reshape or slice that groups other positions)")


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
                    return f"{layer} sums each {size}x{size} window ({count}x its average)"
                left = [position for position in planes if position not in taken]
                return (f"{layer} takes the {how} over {count} of the {size * size} positions of each "
                        f"{size}x{size} window (row, column {', '.join(map(str, taken))}), leaving out "
                        f"{', '.join(map(str, left))}: its slices miss part of the window")
    return ""


def _blocks(given: np.ndarray, size: int) -> np.ndarray:
    """(N, C, H // size, size, W // size, size): every size x size window of a pooling with stride `size`."""
    count, channels, height, width = given.shape
    return given[:, :, :height - height % size, :width - width % size].reshape(
        count, channels, height // size, size, width // size, size)


def stray_sources_relation(layer: str, actual: np.ndarray, given: np.ndarray, size: int) -> str:
    """A max pooling whose outputs are each window's maximum but for some taken from outside their window, all
    from one input column (or row) at one offset in the window's rows (or columns): proven by taking the maximum of
    the window and that value. A strided slice typed with one colon lost (1:2 for 1::2) reads a single column, and
    nd.maximum broadcasts it over the others."""
    count, channels, height, width = given.shape
    if actual.ndim != 4 or actual.shape != (count, channels, height // size, width // size):
        return ""
    found = _sources(actual, given)
    if found is None:
        return ""
    rows, columns = np.indices(actual.shape[2:])
    source_rows, source_columns = np.divmod(found, width)
    known = found >= 0
    stray = known & ((source_rows // size != rows[None]) | (source_columns // size != columns[None]))
    if not stray.any():
        return ""
    blocks = _blocks(given, size)
    for axis, (fixed, along, words) in enumerate(((source_columns, source_rows - size * rows[None], "column"),
                                                  (source_rows, source_columns - size * columns[None], "row"))):
        places, offsets = np.unique(fixed[stray]), np.unique(along[stray])
        if len(places) != 1 or len(offsets) != 1 or not 0 <= offsets[0] < size:
            continue
        place, offset = int(places[0]), int(offsets[0])
        read = given[:, :, offset::size, place:place + 1] if axis == 0 else given[:, :, place:place + 1, offset::size]
        read = read[:, :, :blocks.shape[2], :blocks.shape[4]]
        for left in itertools.product(range(size), repeat=2):  # the window's value the stray one stands for
            kept = np.ones((size, size), dtype=bool)
            kept[left] = False
            others = np.where(kept[None, None, None, :, None, :], blocks, -np.inf).max(axis=(3, 5))
            if not explains(actual, np.maximum(others, read), float(np.abs(actual - blocks.max(axis=(3, 5))).max())):
                continue
            other, meant = ("row", left[1]) if words == "column" else ("column", left[0])
            return (f"{layer} takes the maximum of each {size}x{size} window's values but its {left} one, and in its "
                    f"place the value in input {words} {place} at the window's {other} offset {offset}, the same "
                    f"{words} for every window: a strided slice reads a single {words} ({place}:{place + 1} where "
                    f"{meant}::{size} steps through them) and the maximum broadcasts it over the others")
    return ""


def smooth_max_relation(layer: str, actual: np.ndarray, given: np.ndarray, size: int) -> str:
    """A pooling that takes log(sum(exp(beta * x))) / beta over each size x size window (a smooth maximum), beta
    fitted on a log grid; words where one reproduces the output (max pooling is its limit as beta grows)."""
    count, channels, height, width = given.shape
    if actual.shape != (count, channels, height // size, width // size):
        return ""
    blocks = _blocks(given, size)
    top = blocks.max(axis=(3, 5))
    difference = float(np.abs(actual - top).max(initial=0.0))

    def smooth(beta: float) -> np.ndarray:  # shifted by each window's maximum: no overflow at any beta
        return top + np.log(np.exp(beta * (blocks - top[:, :, :, None, :, None])).sum(axis=(3, 5))) / beta

    betas = np.exp(np.linspace(np.log(0.1), np.log(1000.0), 121))
    errors = [float(np.abs(smooth(beta) - actual).max()) for beta in betas]
    beta = float(betas[int(np.argmin(errors))])
    for candidate in (round(beta), round(beta, 1)):  # a sharpness someone writes, where one fits
        if candidate > 0 and explains(actual, smooth(candidate), difference):
            beta = float(candidate)
            break
    if difference == 0 or not explains(actual, smooth(beta), difference):
        return ""
    return (f"{layer} takes a smooth maximum of each {size}x{size} window, log(sum(exp(beta * x))) / beta with beta = "
            f"{beta:.4g}: above the window's maximum by up to log({size * size}) / beta, where max pooling takes the "
            "maximum itself")


WINDOW_STATISTICS = (  # what else a pooling may take of each window, by what a learner types in max's place
    ("minimum", lambda blocks: blocks.min(axis=(3, 5)), "min where max belongs; -max(-x) is the minimum too"),
    ("median", lambda blocks: np.median(blocks.transpose(0, 1, 2, 4, 3, 5).reshape(
        *blocks.shape[:3], blocks.shape[4], -1), axis=-1), "the median where the maximum belongs"),
    ("root of the sum of squares (an L2 pooling)", lambda blocks: np.sqrt((blocks**2).sum(axis=(3, 5))),
     "a norm of the window where its maximum belongs"),
    ("largest minus smallest value (the window's range)",
     lambda blocks: blocks.max(axis=(3, 5)) - blocks.min(axis=(3, 5)), "the window's spread where its maximum "
     "belongs"))


def window_statistic_relation(layer: str, actual: np.ndarray, given: np.ndarray, size: int) -> str:
    """A pooling over the layer's own size x size windows that takes another statistic of each window than its
    maximum (the minimum, the median, a norm, the range): words where one reproduces the output."""
    count, channels, height, width = given.shape
    if actual.shape != (count, channels, height // size, width // size):
        return ""
    blocks = _blocks(given, size)
    difference = float(np.abs(actual - blocks.max(axis=(3, 5))).max(initial=0.0))
    for what, statistic, why in WINDOW_STATISTICS:
        if difference and explains(actual, statistic(blocks), difference):
            return f"{layer} takes the {what} of each {size}x{size} window where max pooling takes the maximum ({why})"
    return ""
