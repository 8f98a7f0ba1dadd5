"""Why the first quantity that differs differs: the quantity is the earliest in the order the computation runs
(layers forward, logits, loss, gradients backwards, the update, then the state); its relation to the reference is
measured on the same input — a chapter's classic mistake where one reproduces it, else a relation (a factor, a
function, an offset, axes, a window, labels), else where the difference sits and how large it is. Never empty:
a wrong cause is worse than none, but a measured description is always true."""
import dataclasses
from typing import Optional

import numpy as np

from compare.checking.batch_norm_relations import batch_norm_relation, normalization_of
from compare.checking.evidence import Evidence, layer_input, numbers_of
from compare.checking.layer_relations import (
    activation_relation,
    convolved,
    dense_bias_relation,
    flatten_relation,
    input_transform_relation,
    kernel_part_relation,
    pooled,
    reshape_pool_relation,
    window_positions_relation,
    window_relation,
)
from compare.checking.loss_relations import loss_relation
from compare.checking.mistakes import diagnose
from compare.checking.move_terms import correction_relation, decay_term_relation, move_terms_relation
from compare.checking.relations import ZERO, Numbers, explains, relation, where_it_sits
from compare.checking.state_terms import aliased_relation, state_terms_relation
from compare.results.measures import QuantityComparison, in_computation_order, quantity_kind

UPDATE_KINDS = ("optimizer", "weights")


def _first_group(failed: list[QuantityComparison], evidence: Evidence) -> list[QuantityComparison]:
    """The failing rows of the first one's kind (the update's two kinds together: its state and its weights,
    the one that parts first step by step leading)."""
    kind = quantity_kind(failed[0].quantity)
    if kind not in UPDATE_KINDS:
        return [row for row in failed if quantity_kind(row.quantity) == kind]
    group = [row for row in failed if quantity_kind(row.quantity) in UPDATE_KINDS]
    first = first_parting(group, evidence)
    return sorted(group, key=lambda row: row is not first)


def first_parting(rows: list[QuantityComparison], evidence: Evidence) -> Optional[QuantityComparison]:
    """Of the update's rows (state and weights after the steps), the one whose value parts first from the
    reference's, step by step — within a step, the rule's state before the weights it moves: a quantity that
    parts only at a later step differs as a consequence. None where the steps were not recorded."""
    from compare.checking.probe import after_step

    steps = len(evidence.steps.before) if evidence.steps is not None else 0
    ordered = sorted(rows, key=lambda row: UPDATE_KINDS.index(quantity_kind(row.quantity)))
    for index in range(steps):
        for row in ordered:
            key = f"{after_step(index)} {row.quantity.split(' ', 1)[1]}"
            mine, theirs = evidence.values.get(key), evidence.reference.get(key)
            if mine is None or theirs is None or mine.shape != theirs.shape:
                continue
            if _apart(mine, theirs):
                return row
    return None


def layer_relation(layer: str, evidence: Evidence, numbers: Numbers) -> str:
    """A layer's output against its own input and against the reference's output: a function, a window, an axis
    order, a relation to the reference's output, or another layer's output."""
    actual, reference = evidence.values[f"layer {layer}"], evidence.reference[f"layer {layer}"]
    given = layer_input(evidence, layer).astype(np.float64)
    actual64, reference64 = actual.astype(np.float64), reference.astype(np.float64)
    found = ""
    if layer.startswith("relu"):
        found = activation_relation(layer, actual64, reference64, given)
    elif layer.startswith("pool") and given.ndim == 4:
        size = getattr(evidence.spec, "pool_size", 2)
        found = window_relation(layer, actual64, reference64, lambda window: pooled(given, window), "pool") or \
            reshape_pool_relation(layer, actual64, given, size) or \
            window_positions_relation(layer, actual64, given, size)
    elif layer.startswith("conv") and given.ndim == 4:
        initial = evidence.spec.initial_parameters(evidence.seed)
        weight, bias = initial[f"{layer}.weight"].astype(np.float64), initial[f"{layer}.bias"].astype(np.float64)
        found = window_relation(layer, actual64, reference64, lambda window: convolved(given, weight, bias, window),
                                "conv", weight.shape[2]) or \
            input_transform_relation(layer, actual64, reference64, given,
                                     lambda window, x: convolved(x, weight, bias, window), "conv", weight.shape[2]) \
            or kernel_part_relation(layer, actual64, reference64, given, (weight, bias))
    elif layer.startswith("fc") and f"{layer}.bias" in evidence.spec.initial_parameters(evidence.seed):
        bias = evidence.spec.initial_parameters(evidence.seed)[f"{layer}.bias"].astype(np.float64)
        found = dense_bias_relation(layer, actual64, reference64, given, bias)
    elif layer == "flatten":
        found = flatten_relation(actual64, given)
    elif layer.startswith("bn") and given.ndim in (2, 4):
        found = batch_norm_relation(layer, actual64, reference64, given, normalization_of(evidence.spec, evidence.seed, layer))
    if found:
        return found
    found = relation(actual64, reference64, numbers)
    if found:
        return f"{layer}'s output {found}"
    for other in evidence.spec.layer_order:
        theirs = evidence.reference.get(f"layer {other}")
        if other != layer and theirs is not None and theirs.shape == actual.shape and \
                explains(actual64, theirs.astype(np.float64), float(np.abs(actual64 - reference64).max())):
            return f"{layer}'s output equals the reference's {other} output: it computes on the wrong layer's values"
    return ""


def _apart(mine: np.ndarray, theirs: np.ndarray) -> bool:
    """One step's value differs from the reference's beyond what ten steps of float32 rounding leave."""
    scale = float(np.abs(theirs).max(initial=0.0))
    return not np.allclose(mine, theirs, rtol=1e-4, atol=1e-6 * scale + 1e-30, equal_nan=False)


STEP_SHARE = 1e-3  # a step parts where it differs by this share of the reference's move there, at least


def _parting_step(name: str, evidence: Evidence) -> Optional[int]:
    """The first step (0-based) after which `name` (a parameter, or a parameter's or layer's state) differs from
    the reference's beyond float32's rounding and beyond a thousandth of the reference's move at that step (an
    element whose gradient is as small as epsilon rounds apart at no step, and is not a parting); None where the
    steps were not recorded or it never parts."""
    from compare.checking.probe import after_step

    index = 0
    previous = None
    while (key := f"{after_step(index)} {name}") in evidence.reference:
        actual, reference = evidence.values.get(key), evidence.reference[key]
        if actual is None or actual.shape != reference.shape:
            return None
        start = previous if previous is not None else np.zeros_like(reference)
        if ":" not in name and previous is None:
            initial = evidence.spec.initial_parameters(evidence.seed).get(name)
            start = initial if initial is not None and initial.shape == reference.shape else reference
        move = float(np.abs(reference.astype(np.float64) - start).max(initial=0.0))
        difference = float(np.abs(actual.astype(np.float64) - reference).max(initial=0.0))
        if _apart(actual, reference) and difference > STEP_SHARE * move:
            return index
        previous = reference.astype(np.float64)
        index += 1
    return None


def _carried_over(mine: np.ndarray, theirs: np.ndarray, previous: np.ndarray) -> str:
    """The move is the reference's plus a multiple of the previous step's move: what the previous step applied is
    applied again (a gradient accumulated, never zeroed)."""
    residual = mine - theirs
    scale = float(previous.ravel() @ previous.ravel())
    if scale == 0:
        return ""
    factor = float(residual.ravel() @ previous.ravel()) / scale
    if abs(factor) < 1e-3 or not explains(residual, factor * previous, float(np.abs(residual).max(initial=0.0))):
        return ""
    return (f"is the reference's plus {factor:.3g}x the previous step's move: what the previous step applied is "
            "applied again (its gradient is still there: gradients accumulate, as with grad_req='add', or are "
            "never zeroed)")


def _state_terms(name: str, evidence: Evidence, numbers: Numbers) -> str:
    """The rule's state after the first step as terms of the step's gradient, the implementation's against the
    reference's (where the steps were recorded)."""
    from compare.checking.probe import after_step

    if evidence.steps is None:
        return ""
    prefix = f"{after_step(0)} "
    reported = {key.removeprefix(prefix): value for key, value in evidence.values.items() if key.startswith(prefix)}
    reference = {key.removeprefix(prefix): value for key, value in evidence.reference.items()
                 if key.startswith(prefix)}
    return aliased_relation(name, reported, reference) or \
        state_terms_relation(name, evidence.steps, reported, reference, numbers)


def _move_terms(name: str, index: int, values: tuple[np.ndarray, np.ndarray, np.ndarray], evidence: Evidence,
                numbers: Numbers) -> str:
    """A parameter's move (`values`: its start, its move, the reference's move) as terms: of the step's gradient
    and the rule's state where the steps were recorded, of the weights for plain SGD's weight decay."""
    from compare.checking.probe import after_step

    start, moved, wanted = values
    found = ""
    if evidence.steps is not None:
        prefix = f"{after_step(index)} "
        states = {key.removeprefix(prefix): value.astype(np.float64) for key, value in evidence.reference.items()
                  if key.startswith(prefix) and ":" in key}
        found = move_terms_relation(name, index, (moved, wanted), evidence.steps, states, numbers)
    optimizer = evidence.optimizer
    if not found and index == 0 and optimizer is not None and optimizer.name == "sgd" and optimizer.decays(name):
        found = decay_term_relation(name, start, (moved, wanted), optimizer.weight_decay, evidence.learning_rate)
    return found


def _update_relation(row: QuantityComparison, evidence: Evidence, numbers: Numbers) -> str:
    """A parameter's move at the first step where it parts from the reference's (its start the same in both)
    against the reference's move there (a factor, the sign, the previous step's move carried over), or its
    state's value there (a starting value other than zero)."""
    from compare.checking.probe import after_step

    name = row.quantity.split(" ", 1)[1]
    index = _parting_step(name, evidence)
    index = 0 if index is None else index
    key = f"{after_step(index)} {name}"
    actual, reference = evidence.values.get(key), evidence.reference.get(key)
    if actual is None or reference is None or actual.shape != reference.shape:
        return ""
    kind = quantity_kind(row.quantity)
    when = "the first step" if index == 0 else f"step {index + 1} (the steps before it agree)"
    if index > 0:
        start = evidence.reference.get(f"{after_step(index - 1)} {name}")
    else:
        start = evidence.spec.initial_state().get(name) if kind == "state" else \
            evidence.spec.initial_parameters(evidence.seed).get(name) if ":" not in name else None
    start = np.zeros_like(reference) if start is None else start.astype(np.float64)
    moved, wanted = actual.astype(np.float64) - start, reference.astype(np.float64) - start
    if ":" in name:  # the rule's state: its value, not its move (it may decay toward zero)
        moved, wanted = actual.astype(np.float64), reference.astype(np.float64)
    found = _state_terms(name, evidence, numbers) if ":" in name and index == 0 else ""
    if found:
        return found
    if kind == "weights" and ":" not in name:
        found = _move_terms(name, index, (start, moved, wanted), evidence, numbers)
    found = found or relation(moved, wanted, numbers)
    if ":" in name and index == 0 and found.startswith("is the reference's plus a constant "):
        offset = float(np.mean(moved - wanted))
        found = (f"is the reference's plus {offset:.4g} everywhere: the state starts from {offset:.4g}, not 0 (an "
                 "initial value other than zero)")
    if not found and index > 0 and ":" not in name:
        before = evidence.reference.get(f"{after_step(index - 2)} {name}") if index > 1 else \
            evidence.spec.initial_parameters(evidence.seed).get(name)
        if before is not None:
            found = _carried_over(moved, wanted, start - before.astype(np.float64))
    if index > 0 and kind == "weights" and found.startswith("is ") and "x the reference's" in found:
        factor = float(moved.ravel() @ wanted.ravel()) / max(float(wanted.ravel() @ wanted.ravel()), 1e-300)
        correction = correction_relation(factor, index + 1, evidence.optimizer) if evidence.optimizer else ""
        found += (": the step size changes at a later step — a learning rate decayed or scheduled inside the steps"
                  if evidence.optimizer is None or evidence.optimizer.name == "sgd" else f": {correction}"
                  if correction else
                  ": a term that depends on the step count t (the bias correction's power of t?) differs from t = "
                  f"{index + 1} on")
    what = f"{name} after {when}" if ":" in name else f"the move of {name} at {when}" \
        if kind == "weights" else f"{name}'s update at {when}"
    if found.startswith(ZERO):
        found += (": it never moves; the update is not written into it (a name rebound by `x = x - ...` leaves the "
                  "array as it was: update it in place, x[:] = ...)")
    return f"{what} {found}" if found else ""


def _relation_of(row: QuantityComparison, evidence: Evidence, numbers: Numbers) -> str:
    kind, name = quantity_kind(row.quantity), row.quantity.split(" ", 1)[-1]
    if kind == "layer" and name in evidence.spec.layer_order:
        return layer_relation(name, evidence, numbers)
    if kind == "loss":
        return loss_relation(row, evidence, numbers)
    if kind in UPDATE_KINDS or kind == "state":
        return _update_relation(row, evidence, numbers)
    actual, reference = evidence.values.get(row.quantity), evidence.reference.get(row.quantity)
    if actual is None or reference is None:
        return ""
    found = relation(actual.astype(np.float64), reference.astype(np.float64), numbers)
    if kind == "gradient" and found.startswith(ZERO):
        found += (f": {name} takes no part in the loss that is differentiated (not used in forward, or used through "
                  "a detached copy or a value computed outside autograd.record())")
    return f"{row.quantity} {found}" if found else ""


def measured(row: QuantityComparison, evidence: Evidence) -> str:
    """What was measured where no relation fits: where the difference sits and its size."""
    actual, reference = evidence.values.get(row.quantity), evidence.reference.get(row.quantity)
    if row.problem:
        return f"{row.quantity}: {row.problem}; no relation to the reference was measured"
    if actual is None or reference is None:
        return f"{row.quantity} differs by up to {row.max_abs:.2e}; no relation to the reference fits"
    where = where_it_sits(actual, reference, row.allowed, quantity_kind(row.quantity))
    return f"{row.quantity}: {where}; no relation to the reference fits (not a constant factor, sign, offset, " \
           "axes, shift or elementwise function of it)"


def first_cause(rows: list[QuantityComparison], evidence: Evidence) -> tuple[Optional[QuantityComparison], str]:
    """The first failing row in the order the computation runs (or the one of its kind a classic mistake names)
    and why it differs, in words; (None, '') when nothing fails."""
    failed = in_computation_order([row for row in rows if row.failed], evidence.spec.layer_order)
    if not failed:
        return None, ""
    if failed[0].cause:  # measured with its cause already (dropout's and batch norm's statistics)
        return failed[0], failed[0].cause
    named = next((row for row in failed if row.cause and quantity_kind(row.quantity) in UPDATE_KINDS), None)
    if named is not None:  # a correct-formulation check named the update already (penalty on biases, neither formula)
        return named, named.cause
    group = _first_group(failed, evidence)
    first, numbers = group[0], numbers_of(evidence)
    row, cause = diagnose([first], evidence, tuple(group))  # the first row: a classic mistake, then a relation
    if row is not None and cause:
        return row, cause
    cause = _relation_of(first, evidence, numbers)
    if cause:
        return first, cause
    row, cause = diagnose(group, evidence)  # then the others of its kind (one parameter's update, the probe)
    if row is not None and cause:
        return row, cause
    return first, measured(first, evidence)


def with_first_cause(rows: list[QuantityComparison], evidence: Evidence) -> list[QuantityComparison]:
    """The rows with the first difference's cause on its row."""
    row, cause = first_cause(rows, evidence)
    if row is None:
        return rows
    return [dataclasses.replace(r, cause=cause) if r is row else r for r in rows]
