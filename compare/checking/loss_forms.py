"""Two forms of a loss read off whole: the labels mapped class by class (a batch's every example of a class read
as one other class), and the chapter's squared loss rescaled and shifted (a Gaussian's negative log-likelihood).
Numpy only."""
import numpy as np

from compare.checking.fits import explains

MAPPED_CLASSES = 4  # at most this many classes read as another are listed one by one


def class_map(taken: np.ndarray, labels: np.ndarray) -> str:
    """Where every example of a class is read as one other class, the same for the whole batch: which classes, and
    whether they are swapped in pairs (a hand-typed list of class names with two entries exchanged); ''."""
    mapping: dict[int, int] = {}
    for label, read in zip(labels.astype(int).tolist(), taken.astype(int).tolist()):
        if mapping.setdefault(label, read) != read:
            return ""  # one class read as two: no mapping of classes
    moved = {label: read for label, read in sorted(mapping.items()) if label != read}
    if not moved or len(moved) > MAPPED_CLASSES:
        return ""
    said = ", ".join(f"class {label} as {read}" for label, read in moved.items())
    swapped = all(moved.get(read) == label for label, read in moved.items())
    return (f"every example of {said} (labels remapped class by class" +
            (": the classes swapped in pairs, as a list of class names with two entries exchanged would)" if swapped
             else ")"))


def scaled_squared_loss(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """The chapter's squared loss times a and plus b (both fitted, a other than 1 and b other than 0): named as a
    Gaussian's negative log-likelihood where b is log(sigma sqrt(2 pi)) for sigma = 1 / sqrt(a); ''."""
    spread = float(reference.var())
    if spread == 0:
        return ""
    scale = float(((reference - reference.mean()) * (actual - actual.mean())).mean()) / spread
    offset = float(actual.mean() - scale * reference.mean())
    candidate = scale * reference + offset  # an offset below a millionth of the loss (or of 1) is rounding
    if scale <= 0 or abs(scale - 1) < 1e-4 or abs(offset) <= 1e-6 * max(float(np.abs(actual).max(initial=0.0)), 1.0) or \
            not explains(actual, candidate, difference) or \
            float(np.abs(actual - candidate).max()) > 1e-4 * float(np.abs(actual).max(initial=0.0)):
        return ""
    sigma = 1 / np.sqrt(scale)
    gaussian = abs(offset - np.log(sigma * np.sqrt(2 * np.pi))) <= 1e-3 * max(abs(offset), 1.0)
    return (f"the loss is {scale:.4g}x the chapter's squared loss plus {offset:.4g}" +
            (f": a Gaussian negative log-likelihood with sigma = {sigma:.3g}, (y_hat - y)^2 / (2 sigma^2) + "
             f"log(sigma sqrt(2 pi)), where the chapter's loss is (y_hat - y)^2 / 2 (sigma 1, no constant)"
             if gaussian else ": the squared loss rescaled and shifted by a constant"))
