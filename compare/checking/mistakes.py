"""The chapters' classic mistakes, recognised from what an implementation computes. When check finds a quantity
beyond float32's noise, candidate mistakes are computed from the reference's own values (the input of the first
layer that differs, the logits, the initial weights) or probed on a fresh copy of the implementation (batch
norm's moving averages), and the one it matches is named with its cause. Nothing is inferred from names."""
from typing import Callable, Optional

import numpy as np

from compare.checking.activation_relations import NO_ACTIVATION, best_activation
from compare.checking.batch_norm_causes import batch_norm_cause, evaluation_cause, state_cause, training_cause
from compare.checking.clipping import clipping_relation
from compare.checking.dropout_statistics import evaluation_scale
from compare.checking.evidence import Evidence, close, layer_input, numbers_of
from compare.checking.fits import explains
from compare.checking.gradient_causes import gradient_cause, gradients_scaled
from compare.checking.probe import LARGE_LOGITS_LOSS, after_step, forward_in_training
from compare.checking.relations import Numbers, softmax
from compare.checking.update_mistakes import recognise_any
from compare.checking.update_relations import rule_first
from compare.checking.update_replay import CORRECT, Steps
from compare.results.measures import QuantityComparison

UNSTABLE_LOSS = ("the loss is unstable: inf/NaN at large logits where the fused softmax cross-entropy is finite "
                 "(exp overflows past ~88, and a true class ~100 below the largest logit has probability 0 in "
                 "float32, whose log is -inf: subtract each row's largest logit and take log-sum-exp, or use the "
                 "fused loss)")


def _pooled(x: np.ndarray, size: int, how: Callable) -> np.ndarray:
    n, c, h, w = x.shape
    return how(x[:, :, :h - h % size, :w - w % size].reshape(n, c, h // size, size, w // size, size), axis=(3, 5))


def _dense_cause(evidence: Evidence, layer: str, actual: np.ndarray, given: np.ndarray) -> str:
    initial = evidence.spec.initial_parameters(evidence.seed)
    weight, bias = initial.get(f"{layer}.weight"), initial.get(f"{layer}.bias")
    if weight is None or bias is None or weight.ndim != 2:
        return ""
    x = given.reshape(len(given), -1)
    if x.shape[1] == weight.shape[1] and close(actual, x @ weight.reshape(weight.shape[1], weight.shape[0]) + bias):
        return (f"{layer} uses its weight reshaped to (in, out) where nd.dot needs it transposed: the canonical "
                "(out, in) weight must be .T, not .reshape")
    if x.shape[1] == weight.shape[1] and close(actual, x @ weight.T) and not close(x @ weight.T + bias, x @ weight.T):
        return f"{layer} adds no bias"  # (with a bias of zeros, or one too small to show, that cannot be told)
    return ""


def layer_cause(evidence: Evidence, layer: str) -> str:
    """Why `layer`'s output differs although its input agrees, where a classic mistake explains it."""
    actual, given = evidence.values[f"layer {layer}"], layer_input(evidence, layer)
    spec = evidence.spec
    own = evidence.reference[f"layer {layer}"]
    if own.ndim == 2 and close(actual, softmax(own)):
        return (f"{layer} returns probabilities (softmax applied in forward) and the loss applies softmax again: "
                "forward must return the raw scores")
    if layer.startswith("fc"):
        return _dense_cause(evidence, layer, actual, given)
    if layer.startswith("relu") and close(actual, given) and \
            best_activation(actual, given, float(np.abs(actual - own).max())) == NO_ACTIVATION:  # not tanh of small x
        return f"{layer} passes negative values through: the ReLU is missing"
    if layer.startswith("pool") and given.ndim == 4:
        size = getattr(spec, "pool_size", 2)
        if close(actual, _pooled(given, size, np.mean)):
            return f"{layer} averages each {size}x{size} window where the chapter takes the maximum (max pooling)"
    if layer == "flatten" and given.ndim == 4 and close(actual, given.transpose(0, 2, 3, 1).reshape(len(given), -1)):
        return ("flatten takes (N, H, W, C) order; nd.flatten (and the dense weights after it) expect (N, C, H, W): "
                "reshape without transposing")
    if layer.startswith("dropout") and np.count_nonzero((actual == 0) & (given != 0)):
        return f"{layer} drops values in evaluation: dropout must act only while training (autograd.is_training())"
    if layer.startswith("dropout") and actual.shape == given.shape and np.any(given):
        ratio = float(actual.ravel() @ given.ravel() / (given.ravel() @ given.ravel()))
        if close(actual, ratio * given):
            return f"{layer} multiplies by {ratio:.3g} in evaluation: " + evaluation_scale(evidence, layer, ratio)
    if layer.startswith("bn") and given.ndim == 4:
        return batch_norm_cause(evidence, layer, actual, given,
                                "training" if forward_in_training(spec) else "evaluation")
    return ""


def logits_cause(evidence: Evidence) -> str:
    """The logits are the reference's softmax: softmax applied in forward, and again by the loss."""
    actual, reference = evidence.values.get("logits"), evidence.reference.get("logits")
    if actual is None or reference is None or actual.shape != reference.shape:
        return ""
    if close(actual, softmax(reference)):
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
        if np.allclose(ratio, ratio.flat[0], rtol=1e-3) and abs(ratio.flat[0] - 1) > 1e-3 and \
                gradients_scaled(evidence, float(ratio.flat[0])):
            what = "squared loss (y_hat - y)^2 / 2" if evidence.spec.task == "regression" else "softmax cross-entropy"
            name = numbers_of(evidence).name_of(float(ratio.flat[0]))
            return (f"the loss is {ratio.flat[0]:.3g}x the {what}{f' ({name})' if name else ''}: its gradients are "
                    "scaled by that too")
    return ""


LR_FORMS = ("the learning rate squared", "sqrt(the learning rate", "1 / sqrt(the learning rate")


def _step_factor_named(numbers: Numbers, factor: float) -> str:
    """The known number a whole step's factor equals, but never the learning rate's square or root: a step scaled
    by lr means lr applied twice, by lr^2 or sqrt(lr) nothing anyone writes (0.25 at lr 0.5 is 64 / 256)."""
    named = numbers.name_of(factor)
    if not any(form in named for form in LR_FORMS):
        return named
    return Numbers(tuple(scalar for scalar in numbers.scalars if not scalar[0].startswith("the learning rate")),
                   numbers.vectors).name_of(factor)


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
            return name, _unmoved(name, evidence, start)
        moved, wanted = (actual - start).ravel(), (reference - start).ravel()
        if not np.any(wanted):
            continue
        factor = float(moved @ wanted / (wanted @ wanted))
        residual = float(np.linalg.norm(moved - factor * wanted))  # what one factor leaves unexplained
        if residual > 1e-2 * max(float(np.linalg.norm(moved)), float(np.linalg.norm(wanted))) or \
                (abs(factor - 1) > 1e-3 and residual > 0.1 * abs(factor - 1) * float(np.linalg.norm(wanted))):
            return name, ""  # not a factor at all (or not one that explains how far it is off): something else
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
        named = _step_factor_named(rule_first(numbers_of(evidence), evidence), abs(float(values[0])))
        clipping = "" if named else clipping_relation(factors, _step_gradients(evidence))
        if clipping:
            return "", f"the first update is {values[0]:.3g}x the reference's: {clipping}"
        if abs(values[0] - 1) > 1e-3 and named:
            return "", f"the first update is {values[0]:.3g}x the reference's, {named}: the step is scaled by it"
        if abs(values[0] - 1) > 1e-3:
            return "", (f"the first update is {values[0]:.3g}x the reference's: the step is scaled (learning rate, "
                        "or the batch)")
        return "", ""
    clipping = clipping_relation(factors, _step_gradients(evidence))
    if clipping:
        return next(name for name, factor in factors.items() if abs(factor - 1) > 1e-3), \
            f"the first updates are smaller than the reference's: {clipping}"
    odd = {name: factor for name, factor in factors.items() if abs(factor - 1) > 1e-2}
    shared = list(odd.values())[0] if odd else 1.0
    if len(odd) > 1 and not np.allclose(list(odd.values()), shared, rtol=1e-2):
        return "", ""  # several parameters' updates differ, each by its own factor: not one parameter's slip
    if len(odd) > 1 and shared < 0:
        return next(iter(odd)), (f"the first updates of {', '.join(odd)} go the wrong way ({shared:.3g}x the "
                                 "reference's) while the others' agree: their gradients are added, not subtracted")
    if len(odd) > 1:  # a group (the biases, say) off by one factor, the rest agreeing
        named = rule_first(numbers_of(evidence), evidence).name_of(abs(shared))
        listed = ", ".join(odd)
        return next(iter(odd)), (f"the first updates of {listed} are {shared:.3g}x the reference's"
                                 + (f" ({named})" if named else "") + " while the others' agree")
    name, factor = next(iter(odd.items())) if odd else ("", 1.0)
    if factor < 0:
        return name, f"{name}'s first update goes the wrong way ({factor:.3g}x): its gradient is added, not subtracted"
    known = rule_first(numbers_of(evidence), evidence).name_of(abs(factor)) if name else ""
    return name, (f"{name}'s first update is {factor:.3g}x the reference's" + (f" ({known})" if known else "")
                  + " while the others' agree")


def _unmoved(name: str, evidence: Evidence, start: np.ndarray) -> str:
    """A parameter the first step leaves as it was: left out of the update, or (where it moves at the second step
    by what the first step's gradient asks) one step late."""
    second = evidence.values.get(f"{after_step(1)} {name}")
    gradient = evidence.reference.get(f"gradient {name}")
    if second is None or np.array_equal(second, start):
        if _none_moves(evidence):
            return (f"{name} never changes, nor does any other parameter: the first two steps move them by 0 (a "
                    "step size that is 0: lr // batch_size floors to 0 for a rate below the batch, or a rate of 0), "
                    "or the update never writes them (a name rebound, an out= into another array), is never "
                    "called, or no gradient reaches them")
        return f"{name} never changes: it is left out of the update (never updated)"
    moved = second.astype(np.float64) - start
    if gradient is not None and evidence.learning_rate and (evidence.optimizer is None or
                                                            evidence.optimizer.name == "sgd"):
        asked = -evidence.learning_rate * gradient.astype(np.float64) / len(evidence.images)
        if explains(moved, asked, float(np.abs(moved).max(initial=0.0))):
            return (f"{name} does not move at the first step, and at the second it moves by what the first step's "
                    "gradient asks: each step applies the gradient of the step before (one step late: the update "
                    "runs before backward)")
    return f"{name} does not move at the first step but moves after it: the first update is lost"


def _none_moves(evidence: Evidence) -> bool:
    """Every parameter is where it started after the first two steps (each recorded)."""
    initial = evidence.spec.initial_parameters(evidence.seed)
    for name, start in initial.items():
        for index in (0, 1):
            value = evidence.values.get(f"{after_step(index)} {name}")
            if value is None or not np.array_equal(value, start):
                return False
    return True


def _step_gradients(evidence: Evidence) -> dict[str, np.ndarray]:
    """The first step's gradient per parameter as the rule takes it: the reference's, divided by the batch."""
    batch = len(evidence.images)
    return {key.split(" ", 1)[1]: value.astype(np.float64) / batch for key, value in evidence.reference.items()
            if key.startswith("gradient ")}


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


def diagnose(rows: list[QuantityComparison], evidence: Evidence, others: tuple[QuantityComparison, ...] = ()
             ) -> tuple[Optional[QuantityComparison], str]:
    """The row a classic mistake explains first, and the mistake in words ((None, '') when none matches): each
    kind of failing quantity is asked in turn, in the order a learner would look, until one names a cause.
    `others`: failing rows of the same kind a cause may name instead (one parameter's update among several)."""
    failed = [row for row in rows if row.failed]
    for row, explain in _candidates(failed, evidence, [row for row in others if row.failed]):
        cause = explain()
        if cause:
            return row, cause
    return None, ""


def _candidates(failed: list[QuantityComparison], evidence: Evidence, others: list[QuantityComparison]):
    """(row, () -> cause) for each kind of failing quantity, first layer first; causes are computed lazily."""
    by_kind = {kind: [row for row in failed if row.quantity.split(" ")[0] == kind]
               for kind in ("layer", "logits", "loss", "gradient", "weights", "optimizer", "state", "dropout",
                            "evaluation")}
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
        target = next((r for r in by_kind["weights"] + others if r.quantity == f"weights {parameter}"), row)
        yield target, lambda cause=cause: cause
    for row in by_kind["state"][:1]:
        yield row, lambda row=row: state_cause(row, evidence)
    for row in by_kind["evaluation"][:1]:  # training agrees: batch norm in evaluation, at the initial state
        yield row, lambda row=row: evaluation_cause(evidence, row.quantity.split(" ", 1)[1])
