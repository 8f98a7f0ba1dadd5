"""A step after the first that goes wrong on its own batch, measured: the steps go through several batches, and
where every weight going into a step agrees with the reference's but that step's loss does not, the model computes
otherwise on that batch (it kept something from an earlier one). Said with the step, and where the loss is the
cross-entropy of an earlier batch's labels, with that batch. Numpy only."""
from typing import Optional

import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.probe import after_step, logits_at_step, loss_at_step

AGREE = 1e-5  # weights within float32's rounding of the reference's: the same step inputs
APART = 1e-3  # a loss that far from the reference's, relative, on the same weights and batch: computed otherwise


def _weights_agree(evidence: Evidence, index: int) -> bool:
    """Every weight and state after step `index` within float32's rounding of the reference's."""
    kind = after_step(index)
    names = [quantity for quantity in evidence.reference if quantity.startswith(f"{kind} ")]
    for quantity in names:
        mine, theirs = evidence.values.get(quantity), evidence.reference[quantity]
        if mine is None or mine.shape != theirs.shape:
            return False
        scale = float(np.abs(theirs).max(initial=0.0))
        if not np.allclose(mine, theirs, rtol=AGREE, atol=AGREE * max(scale, 1e-12)):
            return False
    return bool(names)


def _first_parting_step(evidence: Evidence) -> Optional[int]:
    """The first step after the first whose loss parts from the reference's while everything before it agrees."""
    index = 1
    while loss_at_step(index) in evidence.reference:
        mine, theirs = evidence.values.get(loss_at_step(index)), evidence.reference[loss_at_step(index)]
        if not _weights_agree(evidence, index - 1):
            return None
        if mine is not None and mine.shape == theirs.shape:
            scale = max(float(np.abs(theirs).max(initial=0.0)), 1e-12)
            if float(np.abs(mine.astype(np.float64) - theirs).max(initial=0.0)) > APART * scale:
                return index
        index += 1
    return None


def _labels_of_earlier(evidence: Evidence, index: int) -> str:
    """Which earlier step's labels the loss of step `index` takes (the cross-entropy of the reference's logits at
    those labels): '' where it is not an earlier batch's."""
    logits, actual = evidence.reference.get(logits_at_step(index)), evidence.values.get(loss_at_step(index))
    if logits is None or actual is None or evidence.spec.task != "classification" or \
            len(evidence.step_labels) <= index:
        return ""
    logits, actual = logits.astype(np.float64), actual.astype(np.float64).ravel()
    top = logits.max(axis=1, keepdims=True)
    per_class = np.log(np.exp(logits - top).sum(axis=1, keepdims=True)) + top - logits  # (N, classes)
    rows = np.arange(len(actual))
    for earlier in range(index):
        labels = evidence.step_labels[earlier].astype(np.int64)
        if len(labels) < len(actual) or np.array_equal(labels[:len(actual)], evidence.step_labels[index]):
            continue
        taken = per_class[rows, labels[:len(actual)]]
        if np.allclose(actual, taken, rtol=1e-4, atol=1e-5):
            return (f": its loss is the cross-entropy of step {earlier + 1}'s labels, not of this batch's — labels "
                    "kept from an earlier batch (cached, by batch size or once made) instead of this batch's own")
    return ""


def later_step_relation(evidence: Evidence) -> str:
    """Words where a step after the first computes another loss on its own batch from the reference's very weights
    ('' where none does)."""
    index = _first_parting_step(evidence)
    if index is None:
        return ""
    sizes = [len(labels) for labels in evidence.step_labels]
    batch = f" (a batch of {sizes[index]})" if len(sizes) > index else ""
    return (f"every quantity of the first step agrees, and every weight going into step {index + 1} agrees, but "
            f"that step's loss on its own batch{batch} differs: the model computes otherwise on a batch other than "
            "the first, something kept from an earlier batch" + _labels_of_earlier(evidence, index))
