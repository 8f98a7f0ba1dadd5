"""How the per-example loss relates to the reference's, measured from the reference's own logits and labels: the
labels remapped or not used (the predicted class taken instead), and the loss's neighbours — every class's
cross-entropy summed, a softmax over the batch, the label's logit without the normalization, the squared error
of the softmax against the one-hot label, a regression's absolute error or its target broadcast — else a relation
to the reference's loss. Numpy only."""
import functools
from typing import Optional

import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.fits import best_fit, explains, sparse_fit
from compare.checking.loss_forms import (
    class_losses,
    class_map,
    classification_losses,
    label_losses,
    scaled_squared_loss,
    shared_targets,
    weighted_cross_entropy,
)
from compare.checking.loss_gradients import logit_gradients, reproduces, temperature_or_targets
from compare.checking.loss_spread import SPREAD_WORDS, read_at_spread, spread_losses
from compare.checking.relations import Numbers, relation, softmax
from compare.results.measures import QuantityComparison


def loss_relation(row: QuantityComparison, evidence: Evidence, numbers: Numbers) -> str:
    """The per-example loss against the reference's: the labels remapped, a target broadcast against every
    prediction, or a relation to the reference's loss."""
    actual, reference = evidence.values.get(row.quantity), evidence.reference.get(row.quantity)
    logits = evidence.reference.get("logits")
    if actual is None or reference is None or logits is None or row.quantity != "loss":
        return ""
    actual, logits = actual.astype(np.float64).ravel(), logits.astype(np.float64)
    labels = evidence.labels.astype(np.int64).ravel() if evidence.spec.task == "classification" else None
    spread = functools.cache(lambda: spread_losses(evidence))  # its loss called on spread logits once, if at all
    if labels is not None and actual.shape == labels.shape:
        solved = logit_gradients(evidence)  # a reading must reproduce the gradient at the logits too
        found = classification_reading(actual, (logits, labels, reference.astype(np.float64).ravel()), solved,
                                       numbers)
        at_spread = read_at_spread(spread(), numbers, classification_reading)
        found = found if at_spread is None else at_spread  # a form that does not hold at spread logits is none
        if found:
            return f"the loss {found}"
    if evidence.spec.task == "regression" and actual.shape == reference.ravel().shape:
        predictions = logits.ravel()
        targets = evidence.labels.astype(np.float64).ravel()
        if explains(actual, np.abs(predictions - targets), float(np.abs(actual - reference.ravel()).max())):
            return "the loss is the absolute error |y_hat - y| (L1), not the squared loss (y_hat - y)^2 / 2"
        broadcast = ((predictions[:, None] - targets[None, :]) ** 2 / 2)
        for words, candidate in (("averaged", broadcast.mean(axis=1)), ("summed", broadcast.sum(axis=1))):
            if explains(actual, candidate, float(np.abs(actual - reference.ravel()).max())):
                return (f"the loss compares each prediction with every target, {words} over them: y_hat (N, 1) "
                        f"against y (N,) broadcasts to (N, N); reshape y to y_hat's shape")
        difference = float(np.abs(actual - reference.ravel()).max())
        if explains(actual, (predictions + targets) ** 2 / 2, difference):
            return ("the loss is (y_hat + y)^2 / 2: the difference typed as a sum (+ where the chapter's "
                    "(y_hat - y)^2 / 2 has -)")
        found = scaled_squared_loss(actual, reference.astype(np.float64).ravel(), difference) or \
            _polynomial(actual, predictions, targets, difference) or \
            _shifted_targets(actual, (predictions, targets), difference, numbers) or \
            _rounded_targets(actual, predictions, targets, difference)
        if found:
            return found
    penalty = _constant_penalty(actual, reference.astype(np.float64).ravel(), evidence, numbers)
    found = penalty or relation(actual, reference.astype(np.float64).ravel(), numbers)
    spread_losses_found = spread() if labels is not None and found else None
    if spread_losses_found is not None:  # at near-uniform logits a loss of another form looks constant, scaled or
        _, _, mine, theirs = spread_losses_found  # offset by ln 10: the relation is read where the forms part
        spread_relation = relation(mine, theirs, numbers)
        found = "" if not spread_relation else penalty or f"{spread_relation} ({SPREAD_WORDS})"
    return f"the loss {found}" if found else ""


def classification_reading(actual: np.ndarray, measured: tuple[np.ndarray, np.ndarray, np.ndarray],
                           solved: Optional[np.ndarray], numbers: Numbers) -> str:
    """What the per-example loss `actual` computes from the logits and labels (`measured`: the logits (N, classes),
    the labels and the reference's loss of them), '' where no reading fits; a reading must reproduce `solved`,
    the gradient at the logits, where it was solved (None: by value alone)."""
    logits, labels, reference = measured
    per_class = class_losses(logits)  # (N, classes)
    rows = np.arange(len(actual))
    difference = float(np.abs(actual - reference).max())
    predicted = per_class[rows, logits.argmax(axis=1)]
    if explains(actual, predicted, difference) and not explains(actual, per_class[rows, labels], difference):
        return ("takes the predicted class (the argmax of the logits) as each example's label: the labels are not "
                "used")
    found = _labels_relation(actual, per_class, labels)
    if found:
        return found.removeprefix("the loss ")
    constant = _constant_added(actual, reference, numbers) \
        if reproduces(solved, softmax(logits) - np.eye(logits.shape[1])[labels]) else []
    found = best_fit(actual, [*classification_losses(logits, labels, per_class), *constant], difference)
    if found.startswith("is the reference's plus "):
        return found  # the closest of all: at near-uniform logits a neighbour mimics a constant
    floored = _floored_log(actual, per_class[rows, labels], difference)  # an exact form: said first, and
    heated = temperature_or_targets(actual, (logits, per_class, labels), difference, solved)  # with any other
    return found or _clipped_logits(actual, logits, labels, difference) or \
        weighted_cross_entropy(actual, per_class[rows, labels], difference) or \
        shared_targets(actual, per_class, labels, difference) or \
        (f"{floored}; or, the same at these near-uniform logits, the loss {heated}" if floored and heated
         else floored or heated)


def _constant_added(actual: np.ndarray, reference: np.ndarray, numbers: Numbers) -> list[tuple[str, np.ndarray]]:
    """The reference's loss plus one number on every example, as a candidate beside the loss's neighbours (the
    closest fit is said: at near-uniform logits the sum over every class, or a soft-target cross-entropy, is the
    reference's plus about a constant, and the constant the other's). None where a factor of the reference fits
    as closely (a loss times the batch is, at near-uniform logits, about a constant added too), or where the
    constant is weight decay's penalty (said with its gradient, below)."""
    offset = float(np.mean(actual - reference))
    scale = float(reference @ reference)
    factor = float(actual @ reference) / scale if scale else 0.0
    added, scaled = (float(np.abs(actual - candidate).max(initial=0.0)) for candidate in
                     (reference + offset, factor * reference))
    if offset == 0 or scaled <= added or numbers.name_of(abs(offset)).startswith("the L2 penalty"):
        return []
    return [(f"is the reference's plus {offset:.4g} on every example: a constant term added to each example's loss "
             "(a term of the weights alone, or a number typed into the loss), whose gradient, if any, reaches the "
             "weights alone and not the logits", reference + offset)]


def _labels_relation(actual: np.ndarray, per_class: np.ndarray, labels: np.ndarray) -> str:
    """Which class's cross-entropy each example's loss is (per_class: (N, classes)), and how that class follows
    from the label: y - 1, y + 1, classes - 1 - y. Examples whose loss is no class's (a one-hot of -1 is all
    zeros: loss 0) are set aside when most examples fit."""
    rows = np.arange(len(actual))
    taken = np.abs(per_class - actual[:, None]).argmin(axis=1)
    fits = np.abs(per_class[rows, taken] - actual) <= 1e-4 * np.maximum(np.abs(actual), 1.0)
    if fits.mean() < 0.8 or np.array_equal(taken[fits], labels[fits]):
        return ""
    classes = per_class.shape[1]
    lost = f"; the {np.count_nonzero(~fits)} examples of no class have loss {actual[~fits].mean():.3g}" \
        if not fits.all() else ""
    for words, mapped in (("y - 1", labels - 1), ("y + 1", labels + 1), (f"{classes - 1} - y", classes - 1 - labels)):
        for edge, taken_as in (("", mapped), (f", the label past the end clipped to class {classes - 1} or 0 (as "
                                              "pick clips an index out of range)", np.clip(mapped, 0, classes - 1)),
                               (f", wrapping around past the end (mod {classes})", mapped % classes)):
            if np.array_equal(taken[fits], taken_as[fits]) and (not edge or not np.array_equal(taken_as, mapped)):
                return (f"the loss takes each example's label as {words}{edge} (labels remapped): the true class's "
                        f"loss is another class's{lost}")
    wrong = int(np.count_nonzero(taken[fits] != labels[fits]))
    mapped = class_map(taken, labels) if fits.all() else ""  # "every example of class k": only where all fit
    if mapped:
        return (f"the loss is the cross-entropy of another class than the label's for {wrong} of {len(labels)} "
                f"examples: {mapped}{lost}")
    if fits.all():
        paired = _pairing(taken, labels)
        if paired:
            return f"the loss is the cross-entropy of another class than the label's for {wrong} of {len(labels)} " \
                f"examples: {paired}"
    return (f"the loss is the cross-entropy of another class than the label's for {wrong} of {len(labels)} "
            f"examples: the labels are remapped{lost}")


def _pairing(taken: np.ndarray, labels: np.ndarray) -> str:
    """How the classes the loss takes (one per example) are the batch's own labels in another order: moved by a
    fixed number of places, or any other order with each class as often as the batch has it; '' where they are
    not the batch's labels."""
    for shift in range(1, len(labels)):
        if np.array_equal(taken, np.roll(labels, shift)):
            places = f"{shift} place(s) before it" if shift <= len(labels) // 2 else \
                f"{len(labels) - shift} place(s) after it"
            return (f"each example is paired with the label of the example {places}: the labels are misaligned "
                    "with the images (moved by an index)")
    if np.array_equal(np.sort(taken), np.sort(labels)):
        return ("they are this batch's own labels in another order (each class as often as in the batch): the labels "
                "are shuffled apart from the images (a permutation of their own, not the images'), so the pairing "
                "of example and label is lost")
    return ""


POLYNOMIAL_EXACT = 1e-5  # a fit leaves float32's rounding of the loss, no more


def _polynomial(actual: np.ndarray, predictions: np.ndarray, targets: np.ndarray, difference: float) -> str:
    """The per-example loss as a polynomial of degree 2 in y_hat and y with simple coefficients (quarters: what
    misplaced brackets or powers leave), fitted, against the chapter's (y_hat - y)^2 / 2 = 0.5 y_hat^2 - y_hat y +
    0.5 y^2 ('' where none reproduces it; a constant fitted from the data, such as a mean over the batch, is none).
    The fewest terms that reproduce it (`sparse_fit`): a term of tiny predictions cannot blur the others."""
    terms = {"y_hat^2": predictions**2, "y_hat y": predictions * targets, "y^2": targets**2, "y_hat": predictions,
             "y": targets, "1": np.ones_like(predictions)}
    fit = sparse_fit(actual, terms, 4, POLYNOMIAL_EXACT)
    if fit is None:
        return ""
    chapter = (predictions - targets) ** 2 / 2
    if "1" in fit and explains(actual, chapter + float(np.mean(actual - chapter)), difference):
        return ""  # the chapter's loss plus a constant: a large constant hides a term (y^2 / 2) within its rounding
    simple = {name: round(value * 4) / 4 for name, value in fit.items()}  # brackets or powers leave quarters
    if any(abs(value - simple[name]) > 1e-3 * max(abs(value), 1) or not simple[name] for name, value in fit.items()):
        return ""
    coefficients = np.array([simple.get(name, 0.0) for name in terms])
    basis = np.stack(list(terms.values()), axis=1)
    if not explains(actual, basis @ coefficients, difference) or \
            np.allclose(coefficients[:5], [0.5, -1.0, 0.5, 0, 0], atol=1e-4):
        return ""  # the chapter's, or it plus a constant: an offset, which the relation to the reference names
    written = " + ".join(f"{value:.3g} {name}" if name != "1" else f"{value:.3g}"
                         for name, value in zip(terms, coefficients) if value).replace("+ -", "- ")
    linear = not any(name in simple for name in ("y_hat^2", "y_hat y", "y^2"))
    return (f"the loss is {written} per example, where the chapter's (y_hat - y)^2 / 2 is 0.5 y_hat^2 - y_hat y + "
            "0.5 y^2: the terms differ (brackets or a power misplaced?)"
            + ("; it has no term of degree 2: the difference is not squared" if linear else ""))


def _shifted_targets(actual: np.ndarray, compared: tuple[np.ndarray, np.ndarray], difference: float,
                     numbers: Numbers) -> str:
    """The squared loss against targets moved by one constant c, (y_hat - (y - c))^2 / 2 (`compared`: the
    predictions and the targets): c solved from the first example (either root) and held to every one, then named
    where it is a statistic of the batch or a number of the computation (the L2 penalty: added to every prediction
    inside the square, where the chapter adds it to the loss)."""
    predictions, targets = compared
    for root in (np.sqrt(2 * max(float(actual[0]), 0.0)), -np.sqrt(2 * max(float(actual[0]), 0.0))):
        shift = root - (predictions[0] - targets[0])
        if abs(shift) < 1e-12 or not explains(actual, (predictions - targets + shift) ** 2 / 2, difference):
            continue
        centred = abs(targets.mean() - shift) <= 1e-4 * max(abs(targets.mean()), 1e-12)
        named = numbers.name_of(abs(shift)) if not centred else ""
        said = f"{shift:.4g}" + (", the batch's mean target: the targets are centred" if centred else "") + (
            f", {'minus ' if shift < 0 else ''}{named}" if named else "")
        if named.startswith("the L2 penalty lambda / 2 * ||w||^2 (") and shift > 0:
            return (f"the loss is the squared loss against every target moved by the same constant, (y_hat - (y - "
                    f"c))^2 / 2 with c = {said}: the penalty is added to every prediction inside the square, (y_hat "
                    "+ penalty - y)^2 / 2, where the chapter adds it to the loss, (y_hat - y)^2 / 2 + penalty")
        return (f"the loss is the squared loss against every target moved by the same constant, (y_hat - (y - c))^2 "
                f"/ 2 with c = {said}; the chapter's compares y_hat with y itself")
    return ""


def _floored_log(actual: np.ndarray, reference: np.ndarray, difference: float) -> str:
    """-log(p + c) for one constant c (a guard against log 0): c read where p is smallest, held to every example."""
    worst = int(np.argmax(reference))
    floor = float(np.exp(-actual[worst]) - np.exp(-reference[worst]))
    if not floor > 0 or not explains(actual, -np.log(np.exp(-reference) + floor), difference):
        return ""
    return (f"is -log(p + c) with c = {floor:.3g} added to the label's probability inside the log (a guard against "
            f"log 0): it caps the loss at -log c = {-np.log(floor):.3g}, where the fused loss keeps growing")


ROUNDINGS = (("truncated toward zero (astype(int))", np.trunc), ("rounded to the nearest integer", np.round),
             ("floored", np.floor))


def _rounded_targets(actual: np.ndarray, predictions: np.ndarray, targets: np.ndarray, difference: float) -> str:
    """The squared loss against the targets made whole numbers (a cast to an integer type)."""
    for words, rounding in ROUNDINGS:
        whole = rounding(targets)
        if not np.array_equal(whole, targets) and explains(actual, (predictions - whole) ** 2 / 2, difference):
            return (f"the loss compares y_hat with the targets {words}: the targets lost their fractions (an integer "
                    "dtype on the way), where the chapter's are real numbers")
    return ""


def _clipped_logits(actual: np.ndarray, logits: np.ndarray, labels: np.ndarray, difference: float) -> str:
    """The cross-entropy of logits clipped to [-c, c] for a round c: the loss stops growing where a logit passes."""
    for bound in (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0):
        if float(np.abs(logits).max()) <= bound:
            break  # nothing clipped at this bound or any larger one
        loss = label_losses(np.clip(logits, -bound, bound), labels)
        if explains(actual, loss, difference):
            return (f"is the cross-entropy of the logits clipped to [-{bound:g}, {bound:g}]: beyond the bound a logit "
                    "stops counting, so the loss saturates where the reference's keeps growing")
    return ""


def _constant_penalty(actual: np.ndarray, reference: np.ndarray, evidence: Evidence, numbers: Numbers) -> str:
    """The loss is the reference's plus the L2 penalty as one constant, and the gradients are the reference's:
    the penalty was added as a number, so it never reaches the weights."""
    penalty = next((value for label, value in numbers.scalars
                    if label.startswith("the L2 penalty lambda / 2 * ||w||^2 (")), None)
    offset = float(np.mean(actual - reference))
    if penalty is None or abs(offset - penalty) > 1e-3 * penalty or \
            not explains(actual, reference + offset, float(np.abs(actual - reference).max())) or \
            not _penalty_has_no_gradient(evidence):
        return ""
    return (f"is the reference's plus the L2 penalty lambda / 2 * ||w||^2 ({penalty:.4g}) on every example, but the "
            "gradients are the reference's, without the penalty's lambda * w: the penalty was added as a number "
            "(asscalar(), a Python float) or outside autograd.record(), so it never reaches the weights")


def _penalty_has_no_gradient(evidence: Evidence) -> bool:
    """Every decayed weight's gradient equals the reference's, which carries no penalty (the decay is the rule's)."""
    optimizer = evidence.optimizer
    decayed = [key for key in evidence.reference if key.startswith("gradient ") and optimizer is not None
               and optimizer.decays(key.split(" ", 1)[1])]
    return bool(decayed) and all(
        key in evidence.values and evidence.values[key].shape == evidence.reference[key].shape and
        np.allclose(evidence.values[key], evidence.reference[key], rtol=1e-4, atol=1e-6) for key in decayed)
