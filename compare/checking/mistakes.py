"""The chapters' classic mistakes, recognised from what an implementation computes. When check finds a quantity
beyond float32's noise, candidate mistakes are computed from the reference's own values (the input of the first
layer that differs, the logits, the initial weights) or probed on a fresh copy of the implementation (batch
norm's moving averages), and the one it matches is named with its cause. Nothing is inferred from names."""
import itertools
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from compare.checking.batch_norm_relations import (
    batch_norm_reference,
    batch_norm_relation,
    constants_of,
    normalization_of,
)
from compare.checking.batch_norm_statistics import batch_statistics
from compare.checking.layer_relations import NO_ACTIVATION, best_activation
from compare.checking.probe import LARGE_LOGITS_LOSS, after_step
from compare.checking.relations import Numbers
from compare.checking.update_mistakes import recognise_any
from compare.checking.update_replay import CORRECT, Steps
from compare.results.measures import QuantityComparison
from implementations.mxnet_compat import mx
from implementations.optimizers import Optimizer
from implementations.protocol import Model, state_of
from implementations.spec_base import NetworkSpec

CLOSE_RTOL, CLOSE_ATOL = 1e-4, 1e-5  # a candidate matches at float32 precision (mistakes differ by far more)
UNSTABLE_LOSS = ("the loss is unstable: inf/NaN at large logits where the fused softmax cross-entropy is finite "
                 "(exp overflows past ~88, and a true class ~100 below the largest logit has probability 0 in "
                 "float32, whose log is -inf: subtract each row's largest logit and take log-sum-exp, or use the "
                 "fused loss)")


@dataclass(frozen=True)
class Evidence:
    """What a diagnosis may use: the implementation's measured values, the reference's (float32), the checked
    images, the spec and seed, and a way to build a fresh copy of the implementation (weights loaded)."""

    values: dict[str, np.ndarray]
    reference: dict[str, np.ndarray]
    images: np.ndarray
    spec: NetworkSpec
    seed: int
    fresh: Callable[[], Model]
    steps: Optional[Steps] = None  # each step's weights and gradients, where recorded (an update rule other than SGD)
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the checked batch's labels (N,)
    learning_rate: float = 0.0  # the steps' learning rate
    optimizer: Optional[Optimizer] = None  # the steps' update rule and its hyperparameters


def numbers_of(evidence: Evidence) -> Numbers:
    """The numbers of this computation a factor may equal: the batch, the learning rate, the rule's
    hyperparameters, the classes, and the initial biases an offset may equal."""
    scalars = [(f"the batch size ({len(evidence.images)})", float(len(evidence.images))),
               ("ln 10: a base-10 logarithm", float(np.log(10))), ("ln 2: a base-2 logarithm", float(np.log(2)))]
    if evidence.learning_rate:
        scalars.append((f"the learning rate ({evidence.learning_rate:g})", float(evidence.learning_rate)))
    if evidence.optimizer is not None:
        scalars += [(f"{key} ({value:g})", float(value)) for key, value in evidence.optimizer.values.items()]
    if evidence.optimizer is not None and evidence.optimizer.weight_decay:
        initial = evidence.spec.initial_parameters(evidence.seed)
        penalty = evidence.optimizer.weight_decay / 2 * sum(float(np.sum(value.astype(np.float64) ** 2))
                                                            for name, value in initial.items()
                                                            if evidence.optimizer.decays(name))
        scalars.append((f"the L2 penalty lambda / 2 * ||w||^2 ({penalty:.4g})", penalty))
    if evidence.spec.task == "classification":
        scalars.append((f"the number of classes ({evidence.spec.num_classes})", float(evidence.spec.num_classes)))
    for layer in (name for name in evidence.spec.layer_order if name.startswith("bn")):
        shape = layer_input(evidence, layer).shape  # (N, C, H, W) or (N, C): the statistics' count m per channel
        count = int(np.prod(shape)) // shape[1]
        scalars.append((f"m / (m - 1) with m = {count} values per channel of {layer}: the unbiased variance",
                        count / (count - 1)))
    initial = evidence.spec.initial_parameters(evidence.seed)
    vectors = {name: value for name, value in initial.items() if name.endswith(".bias")}
    return Numbers(tuple(scalars), vectors)


def _close(actual: np.ndarray, candidate: np.ndarray) -> bool:
    return actual.shape == candidate.shape and bool(np.allclose(actual, candidate, rtol=CLOSE_RTOL, atol=CLOSE_ATOL))


def layer_input(evidence: Evidence, layer: str) -> np.ndarray:
    """What `layer` was given: the reference's output of the layer before it (the images for the first)."""
    order = list(evidence.spec.layer_order)
    index = order.index(layer)
    return evidence.images if index == 0 else evidence.reference[f"layer {order[index - 1]}"]


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _pooled(x: np.ndarray, size: int, how: Callable) -> np.ndarray:
    n, c, h, w = x.shape
    return how(x[:, :, :h - h % size, :w - w % size].reshape(n, c, h // size, size, w // size, size), axis=(3, 5))


def _normalized(x: np.ndarray, axes: tuple[int, ...], eps: float) -> np.ndarray:
    mean = x.mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)


def _affine(evidence: Evidence, layer: str, x_hat: np.ndarray) -> np.ndarray:
    """gamma * x_hat + beta with the layer's initial gamma and beta (per channel)."""
    initial = evidence.spec.initial_parameters(evidence.seed)
    return initial[f"{layer}.gamma"].reshape(1, -1, 1, 1) * x_hat + initial[f"{layer}.beta"].reshape(1, -1, 1, 1)


def _batch_norm_cause(evidence: Evidence, layer: str, actual: np.ndarray, given: np.ndarray, mode: str) -> str:
    """Batch statistics where the moving averages belong (evaluation), or over axes other than (N, H, W)."""
    eps = constants_of(evidence.spec)[1]
    for axes in ((0, 2, 3), (2, 3), (0,), (1, 2, 3), (0, 1, 2, 3), (1,)):
        if _close(actual, _affine(evidence, layer, _normalized(given, axes, eps))):
            wrong_axes = "" if axes == (0, 2, 3) else (f"takes its statistics over axes {axes} (per channel they "
                                                       "are over (N, H, W): axes (0, 2, 3))")
            if mode == "training":
                return f"{layer} {wrong_axes}" if wrong_axes else ""
            return (f"{layer} {wrong_axes + ' and ' if wrong_axes else ''}normalizes with the batch's own statistics "
                    "in evaluation: evaluation must use the moving averages")
    return ""


def _dense_cause(evidence: Evidence, layer: str, actual: np.ndarray, given: np.ndarray) -> str:
    initial = evidence.spec.initial_parameters(evidence.seed)
    weight, bias = initial.get(f"{layer}.weight"), initial.get(f"{layer}.bias")
    if weight is None or bias is None or weight.ndim != 2:
        return ""
    x = given.reshape(len(given), -1)
    if x.shape[1] == weight.shape[1] and _close(actual, x @ weight.reshape(weight.shape[1], weight.shape[0]) + bias):
        return (f"{layer} uses its weight reshaped to (in, out) where nd.dot needs it transposed: the canonical "
                "(out, in) weight must be .T, not .reshape")
    if x.shape[1] == weight.shape[1] and _close(actual, x @ weight.T):
        return f"{layer} adds no bias"
    return ""


def layer_cause(evidence: Evidence, layer: str) -> str:
    """Why `layer`'s output differs although its input agrees, where a classic mistake explains it."""
    actual, given = evidence.values[f"layer {layer}"], layer_input(evidence, layer)
    spec = evidence.spec
    own = evidence.reference[f"layer {layer}"]
    if own.ndim == 2 and _close(actual, _softmax(own)):
        return (f"{layer} returns probabilities (softmax applied in forward) and the loss applies softmax again: "
                "forward must return the raw scores")
    if layer.startswith("fc"):
        return _dense_cause(evidence, layer, actual, given)
    if layer.startswith("relu") and _close(actual, given) and \
            best_activation(actual, given, float(np.abs(actual - own).max())) == NO_ACTIVATION:  # not tanh of small x
        return f"{layer} passes negative values through: the ReLU is missing"
    if layer.startswith("pool") and given.ndim == 4:
        size = getattr(spec, "pool_size", 2)
        if _close(actual, _pooled(given, size, np.mean)):
            return f"{layer} averages each {size}x{size} window where the chapter takes the maximum (max pooling)"
    if layer == "flatten" and given.ndim == 4 and _close(actual, given.transpose(0, 2, 3, 1).reshape(len(given), -1)):
        return ("flatten takes (N, H, W, C) order; nd.flatten (and the dense weights after it) expect (N, C, H, W): "
                "reshape without transposing")
    if layer.startswith("dropout") and np.count_nonzero((actual == 0) & (given != 0)):
        return f"{layer} drops values in evaluation: dropout must act only while training (autograd.is_training())"
    if layer.startswith("dropout") and actual.shape == given.shape and np.any(given):
        ratio = float(actual.ravel() @ given.ravel() / (given.ravel() @ given.ravel()))
        if _close(actual, ratio * given):
            return (f"{layer} multiplies by {ratio:.3g} in evaluation: scale the kept values by 1 / keep while "
                    "training, and pass values through unchanged in evaluation")
    if layer.startswith("bn") and given.ndim == 4:
        return _batch_norm_cause(evidence, layer, actual, given, "evaluation")
    return ""


def logits_cause(evidence: Evidence) -> str:
    """The logits are the reference's softmax: softmax applied in forward, and again by the loss."""
    actual, reference = evidence.values.get("logits"), evidence.reference.get("logits")
    if actual is None or reference is None or actual.shape != reference.shape:
        return ""
    if _close(actual, _softmax(reference)):
        return ("the network returns probabilities (softmax applied in forward) and the loss applies softmax again: "
                "forward must return the raw scores")
    return ""


def loss_cause(row: QuantityComparison, evidence: Evidence) -> str:
    """An unstable loss (inf/NaN at large logits), one loss for the batch, or a loss at another scale."""
    actual, reference = evidence.values.get(row.quantity), evidence.reference.get(row.quantity)
    if row.quantity == LARGE_LOGITS_LOSS and row.problem.startswith("inf/NaN"):
        return UNSTABLE_LOSS
    if actual is None or reference is None:
        return ""
    if actual.shape != reference.shape and actual.size == 1:
        return (f"the loss is one number for the batch; the protocol wants one per example, shape "
                f"{reference.shape}: don't sum or average it (the runner does, and divides by the batch in step)")
    if actual.shape == reference.shape and np.all(reference != 0):
        ratio = actual / reference
        if np.allclose(ratio, ratio.flat[0], rtol=1e-3) and abs(ratio.flat[0] - 1) > 1e-3:
            what = "squared loss (y_hat - y)^2 / 2" if evidence.spec.task == "regression" else "softmax cross-entropy"
            name = numbers_of(evidence).name_of(float(ratio.flat[0]))
            return (f"the loss is {ratio.flat[0]:.3g}x the {what}{f' ({name})' if name else ''}: its gradients are "
                    "scaled by that too")
    return ""


def gradient_cause(row: QuantityComparison, evidence: Evidence) -> str:
    """A parameter with no gradient, or every gradient at the same wrong scale."""
    name = row.quantity.split(" ", 1)[1]
    actual, reference = evidence.values.get(row.quantity), evidence.reference.get(row.quantity)
    if actual is None or reference is None or actual.shape != reference.shape:
        return ""
    if not np.any(actual) and np.any(reference):
        return f"{name} gets no gradient: it is not part of the recorded computation (attach_grad, or not used)"
    ratios = [evidence.values[q].ravel() @ evidence.reference[q].ravel() / max(evidence.reference[q].ravel() @
              evidence.reference[q].ravel(), 1e-300) for q in evidence.reference if q.startswith("gradient ")
              and q in evidence.values and evidence.values[q].shape == evidence.reference[q].shape]
    if ratios and np.allclose(ratios, ratios[0], rtol=1e-2) and abs(ratios[0] - 1) > 1e-2:
        return f"every gradient is {ratios[0]:.3g}x the reference's: the loss is scaled"
    return ""


def weights_cause(evidence: Evidence) -> tuple[str, str]:
    """Gradients agree but weights do not: the update, read from the first step (one batch, one size) of every
    parameter. A parameter left unchanged, every parameter moved by the same wrong factor, or the parameters
    whose own factor is off; ('', '') when no factor fits."""
    initial = evidence.spec.initial_parameters(evidence.seed)
    factors = {}
    for name, start in initial.items():
        key = f"{after_step(0)} {name}"
        actual, reference = evidence.values.get(key), evidence.reference.get(key)
        if actual is None or reference is None or actual.shape != reference.shape:
            return "", ""
        if not (np.isfinite(actual).all() and np.isfinite(reference).all()):
            return (name, f"{name} is inf/NaN after the first update") if np.isfinite(reference).all() else ("", "")
        if np.array_equal(actual, start) and not np.array_equal(reference, start):
            return name, f"{name} never changes: the update leaves it out"
        moved, wanted = (actual - start).ravel(), (reference - start).ravel()
        if not np.any(wanted):
            continue
        factor = float(moved @ wanted / (wanted @ wanted))
        residual = float(np.linalg.norm(moved - factor * wanted))  # what one factor leaves unexplained
        if residual > 1e-2 * max(float(np.linalg.norm(moved)), float(np.linalg.norm(wanted))):
            return name, ""  # not a factor at all: something else is wrong with its update
        factors[name] = factor
    if not factors:
        return "", ""
    values = np.array(list(factors.values()))
    batch = len(evidence.images)
    if np.allclose(values, values[0], rtol=1e-2):
        if abs(values[0] - batch) < 0.01 * batch:
            return "", (f"the first update is {values[0]:.3g}x the reference's, the batch size: the gradient is not "
                        "divided by the batch (the runner's loss is per example, summed by backward)")
        if values[0] < 0:
            return "", (f"every first update goes the wrong way ({values[0]:.3g}x the reference's): the gradient is "
                        "added, not subtracted (w -= lr * grad / batch)")
        if abs(values[0] - 1) > 1e-3:
            return "", (f"the first update is {values[0]:.3g}x the reference's: the step is scaled (learning rate, "
                        "or the batch)")
        return "", ""
    odd = {name: factor for name, factor in factors.items() if abs(factor - 1) > 1e-2}
    name, factor = next(iter(odd.items())) if odd else ("", 1.0)
    if factor < 0:
        return name, f"{name}'s first update goes the wrong way ({factor:.3g}x): its gradient is added, not subtracted"
    return name, f"{name}'s first update is {factor:.3g}x the reference's while the others' agree"


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
            f"layer {layer}" not in evidence.reference or layer != _first_batch_norm(evidence):
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
        if statistic == due and not weighting:
            return ""
        reversed_words = (f"{layer}'s moving averages weigh the new batch by momentum ({momentum:g}) and the old by "
                          "1 - momentum: reversed (moving = momentum * moving + (1 - momentum) * batch)")
        if statistic == due:
            return reversed_words
        averages = f"{name} averages {statistic} where it needs {due}"
        return averages + (f"; {reversed_words}" if weighting else "")
    return ""


def _first_batch_norm(evidence: Evidence) -> str:
    return next((name for name in evidence.spec.layer_order if name.startswith("bn")), "")


def training_cause(evidence: Evidence) -> str:
    """Evaluation agrees but training does not: batch norm's statistics over the wrong axes, probed in training."""
    model = evidence.fresh()
    with mx.autograd.record():
        outputs = dict(model.layer_outputs(mx.nd.array(evidence.images, ctx=mx.cpu())))
    for layer in [name for name in evidence.spec.layer_order if name.startswith("bn") and name in outputs]:
        given = layer_input(evidence, layer)
        cause = _batch_norm_cause(evidence, layer, outputs[layer].asnumpy(), given, "training") \
            if given.ndim == 4 else ""
        if not cause and given.ndim in (2, 4) and layer == _first_batch_norm(evidence):
            # its statistics, divisor and affine in training mode: the first batch norm only, whose input is the
            # same in both modes (a later one's is computed through the earlier one's batch statistics)
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


def _update_candidate(rows: list[QuantityComparison], steps: Steps):
    """(row, () -> cause) for the update rule's mistake its steps follow, on the first state or weights row that
    differs, or for weight decay on the biases, the first bias's row."""
    variant = recognise_any(steps)
    if variant is None or variant is CORRECT or variant.legitimate:
        return
    target = rows[0]
    if variant.name == "decayed-biases":
        target = next((row for row in rows if not steps.optimizer.decays(row.quantity.split(" ", 1)[1].split(":")[0])),
                      target)
    yield target, lambda: variant.cause


def diagnose(rows: list[QuantityComparison], evidence: Evidence) -> tuple[Optional[QuantityComparison], str]:
    """The row a classic mistake explains first, and the mistake in words ((None, '') when none matches): each
    kind of failing quantity is asked in turn, in the order a learner would look, until one names a cause."""
    failed = [row for row in rows if row.failed]
    for row, explain in _candidates(failed, evidence):
        cause = explain()
        if cause:
            return row, cause
    return None, ""


def _candidates(failed: list[QuantityComparison], evidence: Evidence):
    """(row, () -> cause) for each kind of failing quantity, first layer first; causes are computed lazily."""
    by_kind = {kind: [row for row in failed if row.quantity.split(" ")[0] == kind]
               for kind in ("layer", "logits", "loss", "gradient", "weights", "optimizer", "state", "dropout")}
    for row in by_kind["layer"][:1]:
        layer = row.quantity.split(" ", 1)[1]
        if layer in evidence.spec.layer_order:
            yield row, lambda layer=layer: layer_cause(evidence, layer)
    for row in [r for r in failed if r.quantity == "loss"][:1]:  # the loss itself before the large-logit probe
        yield row, lambda row=row: loss_cause(row, evidence)
    for row in [r for r in failed if r.quantity == LARGE_LOGITS_LOSS]:
        yield row, lambda row=row: loss_cause(row, evidence)
    for row in by_kind["dropout"][:1]:  # statistics of training mode: before the logits they change
        layer, what = row.quantity.split(" ")[1], row.quantity.rsplit(" ", 1)[-1]
        yield row, lambda layer=layer, what=what: {
            "scale": f"{layer} does not scale the values it keeps by 1 / keep while training",
            "kept": f"{layer} keeps a fraction of its inputs other than 1 - drop"}.get(what, "")
    for row in by_kind["logits"][:1]:
        yield row, lambda: logits_cause(evidence) or (training_cause(evidence) if evidence.spec.state_shapes() else "")
    for row in by_kind["loss"][:1]:
        yield row, lambda row=row: loss_cause(row, evidence)
    for row in by_kind["gradient"][:1]:
        yield row, lambda row=row: gradient_cause(row, evidence)
    if evidence.steps is not None and (by_kind["optimizer"] or by_kind["weights"]):  # replayed, variant by variant
        yield from _update_candidate([row for row in failed if row.quantity.split(" ")[0] in ("optimizer", "weights")],
                                     evidence.steps)
    for row in by_kind["weights"][:1] if failed[0].quantity.startswith("weights ") else []:  # weights part first
        parameter, cause = weights_cause(evidence)
        target = next((r for r in by_kind["weights"] if r.quantity == f"weights {parameter}"), row)
        yield target, lambda cause=cause: cause
    for row in by_kind["state"][:1]:
        yield row, lambda row=row: state_cause(row, evidence)
