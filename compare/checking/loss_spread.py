"""The implementation's loss read again at spread logits. check's batch meets an untrained network, whose logits
are near-uniform: there many losses agree in value (a temperature, soft targets, -log(p + c), a constant added),
and a reading fitted there may name a neighbour. The implementation's own loss function, called on the
reference's logits spread to a range of about +-6 (the same labels), tells them apart; a reading found there is
said in its place. Numpy, but for the one call of the implementation's loss."""
from typing import Callable, Optional

import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.loss_forms import label_losses
from compare.checking.relations import Numbers
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt

SPREAD = 6.0  # the spread logits' largest distance from each row's mean: probabilities from ~1e-5 to ~1, no overflow
Reading = Callable[[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray], Optional[np.ndarray], Numbers], str]


def spread_logits(logits: np.ndarray) -> Optional[np.ndarray]:
    """The logits centred per row and scaled so the largest magnitude is SPREAD (the classes' order kept); None where
    every row is constant."""
    centred = logits - logits.mean(axis=1, keepdims=True)
    largest = float(np.abs(centred).max(initial=0.0))
    return None if largest == 0 else centred * (SPREAD / largest)


SPREAD_WORDS = "its loss called on the reference's logits spread apart, where its form and the chapter's part"


def spread_reading(evidence: Evidence, numbers: Numbers, reading: Reading) -> Optional[str]:
    """`reading` of the implementation's loss at the spread logits (by value: no gradient is solved there), '' where
    it differs from the cross-entropy there and nothing reads it (a reading at the batch's own logits is then a
    neighbour's likeness, not its form); None where its loss cannot be called on other logits or agrees there."""
    return read_at_spread(spread_losses(evidence), numbers, reading)


def read_at_spread(found: Optional[tuple[np.ndarray, ...]], numbers: Numbers, reading: Reading) -> Optional[str]:
    """`reading` of the losses `spread_losses` found (None where it found none)."""
    if found is None:
        return None
    spread, labels, actual, reference = found
    return reading(actual, (spread, labels, reference), None, numbers)


def spread_losses(evidence: Evidence) -> Optional[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """(the spread logits, the labels, the implementation's loss of them, the cross-entropy of them); None where its
    loss cannot be called on other logits or agrees with the cross-entropy there."""
    logits = evidence.reference.get("logits")
    if evidence.loss_at is None or logits is None or len(evidence.labels) != len(logits):
        return None
    spread = spread_logits(logits.astype(np.float64))
    if spread is None:
        return None
    labels = evidence.labels.astype(np.int64).ravel()
    try:
        actual = np.asarray(evidence.loss_at(spread.astype(np.float32)), dtype=np.float64).ravel()
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS:  # a loss that will not take other logits: the reading at the batch's stands
        return None
    reference = label_losses(spread, labels)
    if actual.shape != reference.shape or not np.all(np.isfinite(actual)) or \
            np.allclose(actual, reference, rtol=1e-4, atol=1e-5):
        return None
    return spread, labels, actual, reference
