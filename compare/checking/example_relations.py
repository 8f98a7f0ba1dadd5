"""A layer's output against the reference's one example at a time: every example scaled and shifted by numbers of
its own, a_n * x + b_n (no one scale and offset fits them all), named where a_n and b_n are each example's own
1 / std and -mean / std: a per-example standardization (each image normalized by its own statistics). Numpy."""
import numpy as np

from compare.checking.fits import explains

AGREE = 1e-3  # a fitted per-example number equals a statistic within this share of it


def per_example_affine_relation(actual: np.ndarray, reference: np.ndarray) -> str:
    """Each example n of `actual` (N, ...) as a_n * its reference + b_n, fitted per example; words where that
    reproduces it and the a_n differ between examples (one pair for all is an affine map, said elsewhere)."""
    if actual.shape != reference.shape or actual.ndim < 2 or len(actual) < 2:
        return ""
    mine, theirs = actual.reshape(len(actual), -1), reference.reshape(len(reference), -1)
    if mine.shape[1] < 8:
        return ""  # two numbers fitted per example: several values each, or any two values fit
    centred = theirs - theirs.mean(axis=1, keepdims=True)
    spread = (centred * centred).sum(axis=1)
    if np.any(spread == 0):
        return ""  # an example of one value: its scale cannot be measured
    scales = (centred * (mine - mine.mean(axis=1, keepdims=True))).sum(axis=1) / spread
    offsets = mine.mean(axis=1) - scales * theirs.mean(axis=1)
    difference = float(np.abs(mine - theirs).max(initial=0.0))
    if float(np.ptp(scales)) <= AGREE * float(np.abs(scales).max()) or \
            not explains(mine, scales[:, None] * theirs + offsets[:, None], difference):
        return ""
    deviation, mean = theirs.std(axis=1), theirs.mean(axis=1)
    standardized = np.allclose(scales * deviation, 1, rtol=AGREE) and np.allclose(offsets, -mean / deviation,
                                                                                 rtol=AGREE, atol=AGREE)
    if standardized:
        return ("is, example by example, the reference's minus that example's own mean, divided by its own standard "
                "deviation: every example standardized by its own statistics, where the reference takes "
                "the values as they are")
    return (f"is, example by example, the reference's times a number of its own ({scales.min():.3g} to "
            f"{scales.max():.3g}) plus an offset of its own: a per-example scale and shift (a normalization by each "
            "example's own numbers)")
