"""A classification loss's reading held to its gradient: at near-uniform logits (an untrained network) losses of
different forms take nearly the same values (a soft-target cross-entropy, the cross-entropy of scaled logits, a
constant added), but their gradients at the logits differ. The implementation's gradient reaching the logits is
solved from the last layer's weight gradient (delta^T X = dW), its scale calibrated on the reference's own (whose
loss is the softmax cross-entropy, gradient softmax(z) - onehot), and a reading is kept only where its own gradient
reproduces it. Also the cross-entropy of the logits divided by a temperature T, fitted. Numpy only."""
from typing import Optional

import numpy as np

from compare.checking.evidence import Evidence, layer_input
from compare.checking.fits import explains
from compare.checking.gradient_relations import upstream_gradient
from compare.checking.loss_forms import label_losses
from compare.checking.relations import softmax

AGREE = 2e-2  # a reading's gradient matches the solved one within this share of its largest value


def logit_gradients(evidence: Evidence) -> Optional[np.ndarray]:
    """The implementation's gradient of the loss at the logits (N, classes), in the units of softmax(z) - onehot
    (the reference's solved the same way fixes the scale); None where the last layer cannot pin it."""
    layer = evidence.spec.layer_order[-1]
    key, logits = f"gradient {layer}.weight", evidence.reference.get("logits")
    mine, theirs = evidence.values.get(key), evidence.reference.get(key)
    if mine is None or theirs is None or logits is None or len(evidence.labels) != len(logits):
        return None
    given = layer_input(evidence, layer).astype(np.float64)
    solved = [upstream_gradient(gradient.astype(np.float64), given) for gradient in (mine, theirs)]
    if solved[0] is None or solved[1] is None:
        return None
    logits = logits.astype(np.float64)
    rule = softmax(logits) - np.eye(logits.shape[1])[evidence.labels.astype(np.int64)]
    scale = float(solved[1].ravel() @ rule.ravel()) / max(float(rule.ravel() @ rule.ravel()), 1e-300)
    if scale == 0 or not np.allclose(solved[1], scale * rule, atol=AGREE * float(np.abs(scale * rule).max())):
        return None
    return solved[0] / scale


def reproduces(solved: Optional[np.ndarray], expected: np.ndarray) -> bool:
    """Whether a reading's gradient at the logits, `expected`, is the solved one (True where none was solved)."""
    if solved is None:
        return True
    return bool(np.allclose(solved, expected, atol=AGREE * max(float(np.abs(expected).max()), 1e-30)))


def temperature_relation(actual: np.ndarray, reference: tuple[np.ndarray, np.ndarray], difference: float,
                         solved: Optional[np.ndarray]) -> str:
    """The loss as the cross-entropy of the logits divided by one number T (a softmax temperature), T fitted by
    a search on a log grid, then refined (`reference`: the reference's logits and the labels); '' where no T
    other than 1 reproduces it, or its gradient (softmax(z / T) - onehot) / T is not the solved one."""
    logits, labels = reference

    def loss(temperature: float) -> np.ndarray:
        return label_losses(logits / temperature, labels)

    def error(temperature: float) -> float:
        return float(np.abs(loss(temperature) - actual).max())

    grid = np.exp(np.linspace(np.log(0.05), np.log(20.0), 241))
    best = int(np.argmin([error(t) for t in grid]))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    for _ in range(40):  # golden-section refinement of the grid's best
        first, second = low + 0.382 * (high - low), low + 0.618 * (high - low)
        low, high = (low, second) if error(first) < error(second) else (first, high)
    temperature = (low + high) / 2
    gradient = (softmax(logits / temperature) - np.eye(logits.shape[1])[labels]) / temperature
    if abs(temperature - 1) < 1e-3 or not explains(actual, loss(temperature), difference) or \
            not reproduces(solved, gradient):
        return ""
    shown = f"{temperature:.4g}"
    return (f"is the cross-entropy of the logits divided by T = {shown} (a softmax temperature, softmax(z / {shown})) "
            "where the chapter's takes the logits as they are")


def target_weights_relation(actual: np.ndarray, reference: tuple[np.ndarray, np.ndarray, np.ndarray],
                            difference: float, solved: Optional[np.ndarray]) -> str:
    """The loss as a cross-entropy against other targets than the one-hot label: a * (the label's -log p) + b *
    (the sum of every class's -log p), fitted (`reference`: the logits, every class's -log p (N, classes) and the
    labels); '' where that does not reproduce it, b is 0, or its gradient (sum q) softmax(z) - q is not the
    solved one (at near-uniform logits a temperature or a leftover penalty mimics soft targets in value alone)."""
    logits, per_class, labels = reference
    rows = np.arange(len(labels))
    basis = np.stack([per_class[rows, labels], per_class.sum(axis=1)], axis=1)  # (N, 2)
    (label_weight, every_weight), *_ = np.linalg.lstsq(basis, actual, rcond=None)
    if abs(every_weight) < 1e-4 or not explains(actual, basis @ np.array([label_weight, every_weight]), difference):
        return ""
    targets = every_weight + label_weight * np.eye(logits.shape[1])[labels]  # q (N, classes)
    if not reproduces(solved, targets.sum(axis=1, keepdims=True) * softmax(logits) - targets):
        return ""
    return (f"is a cross-entropy against soft targets: {label_weight + every_weight:.3g} on the label and "
            f"{every_weight:.3g} on every other class (smoothed labels), where the one-hot label puts 1 on the label "
            "and 0 elsewhere")


def temperature_or_targets(actual: np.ndarray, reference: tuple[np.ndarray, np.ndarray, np.ndarray], difference: float,
                           solved: Optional[np.ndarray]) -> str:
    """A temperature or soft targets; both where both fit (at near-uniform logits they are one: T = 1 / (1 - eps))."""
    logits, _, labels = reference
    heated = temperature_relation(actual, (logits, labels), difference, solved)
    soft = target_weights_relation(actual, reference, difference, solved)
    return f"{heated}; or, the same at these near-uniform logits, {soft.removeprefix('is ')}" if heated and soft \
        else heated or soft
