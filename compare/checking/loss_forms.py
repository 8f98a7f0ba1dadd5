"""Forms of a loss read off whole: the softmax cross-entropy's neighbours (every class summed, a softmax over the
batch, a binary cross-entropy, ...), the labels mapped class by class (a batch's every example of a class read as
one other class), and the chapter's squared loss rescaled and shifted (a Gaussian's negative log-likelihood).
Numpy only."""
import numpy as np

from compare.checking.fits import explains

MAPPED_CLASSES = 4  # at most this many classes read as another are listed one by one


def class_losses(logits: np.ndarray) -> np.ndarray:
    """Every class's cross-entropy -log softmax(z), (N, classes), each row's largest logit taken out first."""
    top = logits.max(axis=1, keepdims=True)
    return np.log(np.exp(logits - top).sum(axis=1, keepdims=True)) + top - logits


def label_losses(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The softmax cross-entropy of each example's label (N,): the reference's loss."""
    return class_losses(logits)[np.arange(len(labels)), labels]


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


def classification_losses(logits: np.ndarray, labels: np.ndarray, per_class: np.ndarray):
    """(words, per-example loss) of what a learner may compute in place of the softmax cross-entropy, from the
    logits (N, classes) and labels: the loss's neighbours, each computed here from the reference's logits."""
    rows = np.arange(len(labels))
    column_top = logits.max(axis=0, keepdims=True)  # a softmax over the batch: each class's column normalised
    over_batch = np.log(np.exp(logits - column_top).sum(axis=0, keepdims=True)) + column_top - logits
    probabilities = np.exp(-per_class)  # softmax over the classes
    one_hot = np.eye(logits.shape[1])[labels]
    squares = ((probabilities - one_hot) ** 2).sum(axis=1)
    yield ("sums the cross-entropy over every class, not only the label's: pick the label's log-probability",
           per_class.sum(axis=1))
    yield ("averages the cross-entropy over every class, not only the label's: pick the label's log-probability",
           per_class.mean(axis=1))
    yield "takes its softmax over the batch (axis 0), not over the classes (axis 1)", over_batch[rows, labels]
    yield ("takes its softmax over the whole batch at once (no axis): sum over axis 1 only",
           np.log(np.exp(logits - logits.max()).sum()) + logits.max() - logits[rows, labels])
    yield ("is minus the label's logit: the softmax's normalization (the log-sum-exp over the classes) is left out",
           -logits[rows, labels])
    log_sum_exp = per_class[rows, labels] + logits[rows, labels]
    yield ("is the log-sum-exp plus the label's logit: the label's term has its sign flipped (added where the "
           "cross-entropy subtracts it), so training pushes the label's logit down", log_sum_exp + logits[rows, labels])
    with np.errstate(over="ignore"):
        binary = np.logaddexp(0, logits) - one_hot * logits  # -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]
    for how, reduce in (("averaged over the classes", np.mean), ("summed over the classes", np.sum)):
        yield (f"is a binary cross-entropy of the sigmoid of each logit against the one-hot label ({how}): every "
               "class judged on its own, where the softmax cross-entropy normalizes the classes together",
               reduce(binary, axis=1))
    for how, factor in (("summed over the classes", 1.0), ("halved", 0.5), ("averaged over the classes",
                                                                            1 / logits.shape[1])):
        yield (f"is the squared error between the softmax and the one-hot label ({how}), not the cross-entropy",
               factor * squares)


def weighted_cross_entropy(actual: np.ndarray, label_losses: np.ndarray, difference: float) -> str:
    """Each example's cross-entropy -log p weighted by a power of (1 - p) or of p, the power fitted over the
    examples (log of the weight against log(1 - p)); words where one power reproduces the loss, '' otherwise.
    `label_losses`: each example's -log p, p the label's softmax probability."""
    if not np.all(np.isfinite(actual)) or not np.all(np.isfinite(label_losses)):
        return ""
    p = np.exp(-label_losses)
    used = (label_losses > 1e-6) & (actual > 0) & (p < 1 - 1e-6)
    if np.count_nonzero(used) < 8:
        return ""
    weights = np.log(actual[used] / label_losses[used])
    for name, base in (("1 - p", 1 - p), ("p", p)):
        size = np.log(base[used])
        if float(size.std()) < 1e-3:
            continue  # every example at one p: a power is not told from a factor
        power = float(size @ weights / (size @ size))
        if abs(power) < 1e-3 or not explains(actual, base**power * label_losses, difference):
            continue
        return (f"is each example's cross-entropy weighted by ({name})^{power:.3g}, p the label's probability (a "
                "focal-style weight), where the chapter's is -log p unweighted")
    return ""


def shared_targets(actual: np.ndarray, per_class: np.ndarray, labels: np.ndarray, difference: float) -> str:
    """The loss as one cross-entropy against the same target distribution q for every example, sum_k q_k *
    (-log p_k), q fitted by least squares over the examples; words where it reproduces the loss and q is the batch's
    label frequencies (every example scored against every label of the batch: take where pick belongs), '' for any
    other q (near-uniform logits make the classes' columns all but collinear: a q of any sign fits a scaled loss).
    `per_class`: every class's -log p (N, classes)."""
    count, classes = per_class.shape
    if classes < 2 or count < 2 * classes or not np.all(np.isfinite(actual)) or not np.all(np.isfinite(per_class)):
        return ""
    weights, *_ = np.linalg.lstsq(per_class, actual, rcond=None)
    if not explains(actual, per_class @ weights, difference) or float(np.sort(np.abs(weights))[-2]) < 1e-3:
        return ""
    frequencies = np.bincount(labels, minlength=classes)[:classes] / len(labels)
    if not np.allclose(weights, frequencies, atol=1e-3):
        return ""  # other targets: at near-uniform logits the classes' columns are all but one, and any q "fits"
    return ("is each example's cross-entropy against the batch's label frequencies (every example scored against "
            "every label of the batch and averaged, as take(log_p, y, axis=1).mean(axis=1) does: pick(log_p, y) "
            "takes each example's own label)")
