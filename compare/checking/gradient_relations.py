"""Why a dense layer's gradient differs while everything forward agrees, measured: the gradient that reached the
layer's output (delta, (N, units)) is solved from its weight's gradient and its input (grad W = delta^T X, W of
(units, inputs)), for the learner and the reference, and the two are set side by side — a relation, the few values
the learner's takes (a 0/1 mask), or where they part by the sign of the layer's output (an activation's backward).
Numpy only, float64."""
from typing import Optional

import numpy as np

from compare.checking.fits import ROUNDING, explains
from compare.checking.relations import Numbers, relation, where_it_sits


def upstream_gradient(gradient: np.ndarray, given: np.ndarray) -> Optional[np.ndarray]:
    """delta (N, units) with delta^T X = `gradient` (units, inputs) for X = `given` (N, inputs); None where X
    cannot pin it (more examples than inputs, or examples that are not independent) or none reproduces it."""
    inputs = given.reshape(len(given), -1)
    if gradient.ndim != 2 or inputs.shape[1] != gradient.shape[1] or len(inputs) > inputs.shape[1]:
        return None
    if np.linalg.matrix_rank(inputs) < len(inputs):
        return None
    delta, *_ = np.linalg.lstsq(inputs.T, gradient.T, rcond=None)  # (N, units)
    if not explains(gradient.T, inputs.T @ delta, 0.0):
        return None
    return delta


def _few_values(delta: np.ndarray) -> list[float]:
    """The distinct values of `delta` where it takes at most three (a mask's), else []."""
    scale = float(np.abs(delta).max(initial=0.0))
    if scale == 0:
        return []
    rounded = np.round(delta / scale, 5) * scale
    values = np.unique(rounded)
    return [float(v) + 0.0 for v in values] if len(values) <= 3 else []  # + 0.0: no -0


def _by_sign(delta: np.ndarray, reference: np.ndarray, output: np.ndarray) -> str:
    """Where `delta` agrees with the reference's: only where the layer's `output` is positive, or only where it
    is not ('' when neither)."""
    allowed = 1e-3 * float(np.abs(reference).max(initial=1e-30))
    apart = np.abs(delta - reference) > allowed
    positive = output > 0
    if not np.any(apart):
        return ""
    if not np.any(apart & positive):
        return ("agrees wherever the layer's output is positive and differs only where it is 0 or below: what the "
                "activation after it passes back there is not the reference's (its backward's mask)")
    if not np.any(apart & ~positive):
        return ("agrees wherever the layer's output is 0 or below and differs only where it is positive: what the "
                "activation after it passes back there is not the reference's (its backward's slope)")
    return ""


def loss_gradient_parts(delta: np.ndarray, logits: np.ndarray, labels: np.ndarray) -> str:
    """The gradient reaching the logits (N, classes) as a * softmax(logits) + b * one_hot(labels): the softmax
    cross-entropy's is p - y, its two parts from the log-sum-exp (p) and from the label's logit (-y). Words where
    one part is missing; '' where the fit fails or both are there."""
    top = logits.max(axis=1, keepdims=True)
    probabilities = np.exp(logits - top)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    one_hot = np.eye(logits.shape[1])[labels.astype(np.int64)]
    basis = np.stack([probabilities.ravel(), one_hot.ravel()], axis=1)
    (softmax_weight, label_weight), *_ = np.linalg.lstsq(basis, delta.ravel(), rcond=None)
    if not explains(delta, (basis @ np.array([softmax_weight, label_weight])).reshape(delta.shape), 0.0):
        return ""
    size = max(abs(softmax_weight), abs(label_weight))
    if size == 0:
        return ""
    if abs(softmax_weight) <= 1e-3 * size:
        return (f"is {label_weight:.4g} at each example's label and 0 at every other class: only the label's logit "
                "passes a gradient back, the softmax's part (the log-sum-exp, the normaliser) passes none: it is "
                "detached, or computed outside autograd.record(), so the loss is treated as a constant there")
    if abs(label_weight) <= 1e-3 * size:
        return (f"is {softmax_weight:.4g} x the softmax and nothing at the label: the label's logit passes no "
                "gradient back (picked from a detached copy, or computed outside autograd.record())")
    return ""


def upstream_relation(parameter: str, gradients: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                      output: np.ndarray, numbers: Numbers) -> str:
    """How the gradient reaching the output of `parameter`'s dense layer relates to the reference's, in words
    (`gradients`: the learner's and the reference's gradient of the layer's weight; `given`, `output`: the layer's
    input and output, which agree); '' where it cannot be solved or nothing is found."""
    layer = parameter.rsplit(".", 1)[0]
    mine, theirs = (upstream_gradient(gradient, given) for gradient in gradients)
    if mine is None or theirs is None or mine.shape != output.shape:
        return ""
    said = f"the gradient reaching {layer}'s output (solved from {layer}.weight's gradient and {layer}'s input)"
    found = relation(mine, theirs, numbers)
    if found:
        return f"{said} {found}"
    values = _few_values(mine)
    if values and len(_few_values(theirs)) != len(values):
        listed = ", ".join(f"{value:.4g}" for value in values)
        return (f"{said} takes only the values {listed}, where the reference's carries the loss's gradient: a mask "
                "(a comparison's 0/1 result) is passed back instead of the incoming gradient times it")
    by_sign = _by_sign(mine, theirs, output)
    if by_sign:
        return f"{said} {by_sign}"
    allowed = max(ROUNDING, 1e-3) * float(np.abs(theirs).max(initial=1e-30))
    return f"{said}: {where_it_sits(mine, theirs, allowed, 'layer')}"
