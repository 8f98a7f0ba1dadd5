"""Batch norm's classic mistakes, probed: statistics over the wrong axes or the batch's own in evaluation (on the
layer's recorded output), the moving averages moved in evaluation or averaging the wrong statistic with the wrong
weighting (on a fresh copy), and the first batch norm's statistics and divisor in training mode."""
import itertools

import numpy as np

from compare.checking.batch_norm_relations import (
    batch_norm_reference,
    batch_norm_relation,
    constants_of,
    normalization_of,
)
from compare.checking.batch_norm_statistics import batch_statistics
from compare.checking.evidence import CLOSE_ATOL, CLOSE_RTOL, Evidence, close, layer_input
from compare.checking.probe import EVALUATED, forward_in_training
from compare.results.measures import QuantityComparison
from implementations.mxnet_compat import mx
from implementations.protocol import state_of


def _normalized(x: np.ndarray, axes: tuple[int, ...], eps: float) -> np.ndarray:
    mean = x.mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)


def _affine(evidence: Evidence, layer: str, x_hat: np.ndarray) -> np.ndarray:
    """gamma * x_hat + beta with the layer's initial gamma and beta (per channel)."""
    initial = evidence.spec.initial_parameters(evidence.seed)
    return initial[f"{layer}.gamma"].reshape(1, -1, 1, 1) * x_hat + initial[f"{layer}.beta"].reshape(1, -1, 1, 1)


def batch_norm_cause(evidence: Evidence, layer: str, actual: np.ndarray, given: np.ndarray, mode: str) -> str:
    """Batch statistics where the moving averages belong (evaluation), or over axes other than (N, H, W)."""
    eps = constants_of(evidence.spec)[1]
    for axes in ((0, 2, 3), (2, 3), (0,), (1, 2, 3), (0, 1, 2, 3), (1,), (0, 2), (0, 3)):
        if close(actual, _affine(evidence, layer, _normalized(given, axes, eps))):
            wrong_axes = "" if axes == (0, 2, 3) else (f"takes its statistics over axes {axes} (per channel they "
                                                       "are over (N, H, W): axes (0, 2, 3))")
            if mode == "training":
                return f"{layer} {wrong_axes}" if wrong_axes else ""
            return (f"{layer} {wrong_axes + ' and ' if wrong_axes else ''}normalizes with the batch's own statistics "
                    "in evaluation: evaluation must use the moving averages")
    return ""


def state_cause(row: QuantityComparison, evidence: Evidence) -> str:
    """Batch norm's moving averages, probed on a fresh copy: do they move in evaluation, and how do they move
    in training: which statistic of the batch they average (the mean, the variance, its root, the unbiased
    variance, ...) and with which weighting (momentum * moving + (1 - momentum) * batch, or reversed)?"""
    name = row.quantity.split(" ", 1)[1]
    model = evidence.fresh()
    before = {key: value.asnumpy() for key, value in state_of(model).items()}
    images = mx.nd.array(evidence.images, ctx=mx.cpu())
    model.layer_outputs(images)  # evaluation (predict mode)
    after = {key: value.asnumpy() for key, value in state_of(model).items()}
    moved = [key for key in before if not np.array_equal(before[key], after.get(key))]
    if moved:
        return (f"its moving averages change in evaluation ({', '.join(moved)}): they must be updated only while "
                "training")
    momentum = getattr(evidence.spec, "momentum", None)
    layer = name.split(".")[0]
    if momentum is None or not name.endswith(("running_mean", "running_var")) or \
            f"layer {layer}" not in evidence.reference or \
            (layer != _first_batch_norm(evidence) and not forward_in_training(evidence.spec)):
        return ""  # a later batch norm's input in training differs from the reference's recorded (evaluation) one
    with mx.autograd.record():  # one training-mode pass from the initial state
        model.layer_outputs(images)
    trained = state_of(model)[name].asnumpy().astype(np.float64)
    given = layer_input(evidence, layer).astype(np.float64)
    statistics = batch_statistics(given, constants_of(evidence.spec)[1])
    due = "the batch mean" if name.endswith("running_mean") else "the batch variance"
    for (statistic, value), (weighting, (keep, new)) in itertools.product(
            statistics.items(), (("", (momentum, 1 - momentum)), ("reversed", (1 - momentum, momentum)))):
        if not np.allclose(trained, keep * before[name] + new * value, rtol=CLOSE_RTOL, atol=CLOSE_ATOL):
            continue
        if statistic == due and not weighting:  # the first move is the rule's: is the value carried to the next?
            return _carried(name, (model, images, _before(evidence, layer)), (trained, given), momentum) \
                if layer == _first_batch_norm(evidence) else ""
        reversed_words = (f"{layer}'s moving averages weigh the new batch by momentum ({momentum:g}) and the old by "
                          "1 - momentum: reversed (moving = momentum * moving + (1 - momentum) * batch)")
        if statistic == due:
            return reversed_words
        averages = f"{name} averages {statistic} where it needs {due}"
        return averages + (f"; {reversed_words}" if weighting else "")
    return ""


def _before(evidence: Evidence, layer: str) -> str:
    order = list(evidence.spec.layer_order)
    return order[order.index(layer) - 1] if order.index(layer) > 0 else ""


def _carried(name: str, probe: tuple, first: tuple[np.ndarray, np.ndarray], momentum: float) -> str:
    """A moving average whose first move is the rule's, followed by a second training pass on half the batch with
    its pixels inverted, 1 - x (`probe`: the model after the first pass, the images and the layer before the batch
    norm, whose output there is the statistic's source; `first`: the average after the first pass and the layer's
    input then): its value fitted as a * previous + b * the second batch's statistic, where the rule's is momentum *
    previous + (1 - momentum) * statistic. The inverted pixels move the channels' statistics apart from the first
    batch's (a half batch alike would leave them all but parallel, and the carry unmeasurable). Words where the carry
    differs (nothing carried: a fresh zero each pass)."""
    model, images, source = probe
    trained, given = first
    half = len(given) // 2
    if half < 2 or not source:
        return ""
    with mx.autograd.record():
        outputs = dict(model.layer_outputs(1 - images[:half]))
    second = state_of(model)[name].asnumpy().astype(np.float64)
    if source not in outputs:
        return ""
    inputs = outputs[source].asnumpy().astype(np.float64)
    axes = (0, 2, 3) if inputs.ndim == 4 else (0,)
    statistic = inputs.mean(axis=axes) if name.endswith("running_mean") else inputs.var(axis=axes)
    basis = np.stack([trained.ravel(), statistic.ravel()], axis=1)
    if len(statistic) < 4 or np.linalg.cond(basis) > 1e4:  # float32 rounding (1e-7) x 1e4: 1e-3 on the carry
        return ""  # the two columns all but parallel (the channels' means moving together): no carry to tell
    (carry, weight), *_ = np.linalg.lstsq(basis, second.ravel(), rcond=None)
    scale = float(np.abs(second).max(initial=0.0))
    if float(np.abs(basis @ np.array([carry, weight]) - second.ravel()).max()) > 1e-3 * scale or \
            abs(carry - momentum) <= 1e-2 * momentum:
        return ""
    dropped = abs(carry) <= 1e-2 * momentum
    said = f"{name} after a second training pass is {0 if dropped else carry:.3g} * its previous value + " \
           f"{weight:.3g} * the batch's statistic, where the rule's is {momentum:g} * previous + {1 - momentum:g} * " \
           "statistic"
    if dropped:
        return (f"{said}: it does not carry its previous value, so it holds (1 - momentum) x the last batch's "
                "statistic alone (the moving average started afresh from zero at every pass: zeros made inside "
                "the function, or the average assigned to a new array that is never kept)")
    return f"{said}: it carries its previous value by {carry:.3g} where the rule's momentum is {momentum:g}"


def _first_batch_norm(evidence: Evidence) -> str:
    return next((name for name in evidence.spec.layer_order if name.startswith("bn")), "")


def training_cause(evidence: Evidence) -> str:
    """Evaluation agrees but training does not: batch norm's statistics over the wrong axes, probed in training."""
    model = evidence.fresh()
    with mx.autograd.record():
        outputs = dict(model.layer_outputs(mx.nd.array(evidence.images, ctx=mx.cpu())))
    for layer in [name for name in evidence.spec.layer_order if name.startswith("bn") and name in outputs]:
        given = layer_input(evidence, layer)
        cause = batch_norm_cause(evidence, layer, outputs[layer].asnumpy(), given, "training") \
            if given.ndim == 4 else ""
        if not cause and given.ndim in (2, 4) and \
                (layer == _first_batch_norm(evidence) or forward_in_training(evidence.spec)):
            # its statistics, divisor and affine in training mode: where the layers were recorded in training
            # mode every batch norm; else the first only, whose input is the same in both modes
            norm = normalization_of(evidence.spec, evidence.seed, layer)
            given = given.astype(np.float64)
            trained = outputs[layer].asnumpy().astype(np.float64)
            expected = batch_norm_reference(given, norm)
            if not np.allclose(trained, expected, rtol=CLOSE_RTOL, atol=CLOSE_ATOL):
                cause = batch_norm_relation(layer, trained, expected, given, norm)
                cause = f"{cause} (in training)" if cause else ""
        if cause:
            return cause
    return ""


def evaluation_cause(evidence: Evidence, layer: str) -> str:
    """Batch norm's output in evaluation differs where everything training computes agrees: which statistics and
    divisor it normalizes with there (the batch's own, where the moving averages belong), on the reference's
    evaluation-mode input to it."""
    order = list(evidence.spec.layer_order)
    index = order.index(layer) if layer in order else -1
    given = evidence.images if index == 0 else evidence.reference.get(f"{EVALUATED} {order[index - 1]}")
    actual, reference = evidence.values.get(f"evaluation {layer}"), evidence.reference.get(f"evaluation {layer}")
    if index < 0 or given is None or actual is None or reference is None or actual.shape != reference.shape:
        return ""
    cause = batch_norm_cause(evidence, layer, actual, given, "evaluation") if given.ndim == 4 else ""
    if not cause and given.ndim in (2, 4):
        found = batch_norm_relation(layer, actual.astype(np.float64), reference.astype(np.float64),
                                    given.astype(np.float64), normalization_of(evidence.spec, evidence.seed, layer))
        cause = f"{found} (in evaluation)" if found else ""
    return cause
