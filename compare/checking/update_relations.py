"""Why an update differs, measured: the step where a parameter's or a state's value first parts from the
reference's (float32's rounding and an epsilon-sized element aside), then at that step its move or value
against the reference's — as terms of the step's gradient and the rule's state, a plain gradient step, a
decay term, a bias correction's step count, the previous step's move carried over, a factor from a later step
on, a starting value other than zero, or a state shared by two names. Numpy, on recorded values."""
from typing import Optional

import numpy as np

from compare.checking.assigned_steps import assigned_relation
from compare.checking.bias_corrections import correction_relation, measured_corrections
from compare.checking.decay_terms import decay_term_relation, unasked_decay
from compare.checking.denominator_forms import denominator_of
from compare.checking.evidence import Evidence
from compare.checking.fits import explains
from compare.checking.joined_moves import every_move, joined_moves
from compare.checking.move_powers import move_power_relation
from compare.checking.move_resolution import apart, resolution
from compare.checking.move_terms import extra_step_relation, move_terms_relation, stale_state_relation, stepped_by_state
from compare.checking.relations import ZERO, Numbers, relation
from compare.checking.state_readings import at_step, later_recurrence, rule_states, state_terms
from compare.checking.unmoved_states import never_moves
from compare.results.measures import QuantityComparison, quantity_kind

UPDATE_KINDS = ("optimizer", "weights")


def first_parting(rows: list[QuantityComparison], evidence: Evidence) -> Optional[QuantityComparison]:
    """The first of `parting_rows`, or None."""
    parted = parting_rows(rows, evidence)
    return parted[0] if parted else None


def parting_rows(rows: list[QuantityComparison], evidence: Evidence) -> list[QuantityComparison]:
    """Of the update's rows (state and weights after the steps), those whose values part first from the
    reference's, step by step — within a step, the rule's state before the weights it moves: a quantity that
    parts only at a later step differs as a consequence. Rows judged step by step (`at_step`) part where they
    first failed. Of one step and kind, the parameters whose moves float32 resolves best come first; [] where the
    steps were not recorded."""
    steps = len(evidence.steps.before) if evidence.steps is not None else 0
    if not steps:
        return []
    ordered = sorted(rows, key=lambda row: UPDATE_KINDS.index(quantity_kind(row.quantity)))
    parted = {id(row): row.at_step or _apart_at(row, steps, evidence) for row in ordered}
    earliest = min((step for step in parted.values() if step), default=0)
    if not earliest:
        return []
    first_kind = quantity_kind(next(row for row in ordered if parted[id(row)] == earliest).quantity)
    # of the first kind that parts, the parameters whose moves float32 resolves best first
    return sorted((row for row in ordered if parted[id(row)] == earliest and quantity_kind(row.quantity) == first_kind),
                  key=lambda row: -resolution(row, earliest - 1, evidence))


def _apart_at(row: QuantityComparison, steps: int, evidence: Evidence) -> int:
    """The first step (1-based) after which the row's value is `apart` from the reference's; 0 where none is."""
    from compare.checking.probe import after_step

    for index in range(steps):
        key = f"{after_step(index)} {row.quantity.split(' ', 1)[1]}"
        mine, theirs = evidence.values.get(key), evidence.reference.get(key)
        if mine is not None and theirs is not None and mine.shape == theirs.shape and apart(mine, theirs):
            return index + 1
    return 0


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
        if apart(actual, reference) and difference > STEP_SHARE * move:
            return index
        previous = reference.astype(np.float64)
        index += 1
    return None


def _carried_over(mine: np.ndarray, theirs: np.ndarray, previous: np.ndarray, carries: bool = True) -> str:
    """The move is the reference's plus a multiple of the previous step's move: what the previous step applied is
    applied again (a gradient accumulated, never zeroed), or a part of it carried (`carries`: the rule keeps no
    velocity of its own; in momentum's, a part carried is its weight on the velocity)."""
    residual = mine - theirs
    scale = float(previous.ravel() @ previous.ravel())
    if scale == 0:
        return ""
    factor = float(residual.ravel() @ previous.ravel()) / scale
    if abs(factor) < 1e-3 or not explains(residual, factor * previous, float(np.abs(residual).max(initial=0.0))):
        return ""
    if abs(factor - 1) > 1e-2 and not carries:
        return (f"is the reference's plus {factor:.3g}x the previous step's move: the velocity carries the previous "
                f"move at {factor:.3g} more than the rule's momentum does (its weight on the velocity differs)")
    if abs(factor - 1) > 1e-2:  # a part of the last move carried: a velocity, not a gradient left over whole
        return (f"is the reference's plus {factor:.3g}x the previous step's move: the previous move is carried into "
                f"this one at {factor:.3g} (a velocity kept, as momentum's v = {factor:.3g} * v + step, in a rule "
                "that has none)")
    return (f"is the reference's plus {factor:.3g}x the previous step's move: what the previous step applied is "
            "applied again (its gradient is still there: gradients accumulate, as with grad_req='add', or are "
            "never zeroed)")


def _move_terms(name: str, index: int, values: tuple[np.ndarray, np.ndarray, np.ndarray], evidence: Evidence,
                numbers: Numbers) -> str:
    """A parameter's move (`values`: its start, its move, the reference's move) as terms: of the step's gradient
    and the rule's state where the steps were recorded, of the weights for plain SGD's weight decay."""

    start, moved, wanted = values
    assigned = assigned_relation(name, index, values, evidence)
    if assigned:
        return assigned
    adam = evidence.optimizer is not None and evidence.optimizer.name == "adam"  # only Adam's moves are fitted so
    found = measured_corrections(*every_move(index, evidence), index + 1, evidence.optimizer,
                                 evidence.learning_rate) if adam else ""
    found = found or denominator_of(name, index, moved, evidence)
    if not found and evidence.steps is not None:
        found = move_terms_relation(name, index, (moved, wanted), evidence.steps, rule_states(evidence, index),
                                    numbers) or \
            extra_step_relation(name, index, (moved, wanted), evidence.steps, numbers) or \
            stale_state_relation(name, index, moved, evidence.steps,
                                 rule_states(evidence, index - 1) if index > 0 else {})
    found = found or move_power_relation((moved, wanted))
    found = found or unasked_decay(name, index, values, evidence)
    if not found and (evidence.optimizer is None or evidence.optimizer.name != "momentum"):  # p -= v is momentum
        found = stepped_by_state(name, (start, moved), at_step(evidence.values, index), evidence.learning_rate)
    if not found and index == 0:
        found = _other_gradient(name, moved, evidence)
    optimizer = evidence.optimizer
    if not found and index == 0 and optimizer is not None and optimizer.name == "sgd" and optimizer.decays(name):
        gradient = evidence.reference.get(f"gradient {name}")
        step_gradient = gradient.astype(np.float64) / len(evidence.images) if gradient is not None else None
        found = decay_term_relation(name, start, (moved, wanted), optimizer.weight_decay, evidence.learning_rate,
                                    step_gradient)
    return found


def _other_gradient(name: str, moved: np.ndarray, evidence: Evidence) -> str:
    """The first move is a multiple of another parameter's gradient (broadcast to this one's shape): that
    parameter's gradient used for this one (a variable left over from the loop before, an index off by one)."""
    if moved.size < 4:
        return ""  # a few numbers are a multiple of almost anything
    for quantity, gradient in evidence.reference.items():
        other = quantity.split(" ", 1)[-1]
        if quantity_kind(quantity) != "gradient" or other == name or not np.any(gradient):
            continue
        try:
            spread = np.broadcast_to(gradient.astype(np.float64), moved.shape)
        except ValueError:
            continue
        if gradient.size < 4 or float(np.ptp(gradient)) == 0:
            continue  # one value spread over the array: any uniform move would "fit" it
        norm = float(spread.ravel() @ spread.ravel())
        factor = float(moved.ravel() @ spread.ravel()) / norm
        if factor != 0 and explains(moved, factor * spread, float(np.abs(moved).max(initial=0.0))):
            shaped = f" (broadcast to {name}'s shape)" if gradient.shape != moved.shape else ""
            return (f"is {factor:.4g} x {other}'s gradient{shaped}: {name} moves by another "
                    f"parameter's gradient, {other}'s, where it should move by its own (a gradient left over from "
                    "the loop before, or an index off by one)")
    return ""


def rule_first(numbers: Numbers, evidence: Evidence) -> Numbers:
    """The numbers an update's factor is named by: the rule's hyperparameters first, then the ratios its bias
    corrections make (sqrt(1 - beta2) / (1 - beta1)), then the rest but the class count and a logarithm's base
    (which scale a loss, not a step): 0.01 is (1 - beta1)^2 in Adam's state before it is a learning rate."""
    hyper = dict(evidence.optimizer.values) if evidence.optimizer is not None else {}
    own = [scalar for scalar in numbers.scalars if scalar[0].split(" (")[0] in hyper]
    ratios = [(f"sqrt(1 - {a}) / (1 - {b})", np.sqrt(1 - hyper[a]) / (1 - hyper[b]))
              for a in hyper for b in hyper if a != b and 1e-3 <= hyper[a] < 1 and 1e-3 <= hyper[b] < 1]
    rest = [scalar for scalar in numbers.scalars if scalar not in own
            and not scalar[0].startswith(("the number of classes", "ln "))]
    return Numbers(tuple(ratios + own + rest), numbers.vectors)


COUNTS_STEPS = ("adam",)  # rules with a term in the step count t (Adam's bias correction); in the others' moves
# the whole move scaled at a later step is the learning rate changed


def _changed_step(evidence: Evidence) -> str:
    """What scales a whole move at a later step, in the rule's words: AdaDelta has no learning rate to decay."""
    if evidence.optimizer is not None and evidence.optimizer.name == "adadelta":
        return "a factor applied to the rescaled gradient inside the steps (AdaDelta has no learning rate)"
    return "a learning rate decayed or scheduled inside the steps"


def update_relation(row: QuantityComparison, evidence: Evidence, numbers: Numbers) -> str:
    """A parameter's move at the first step where it parts from the reference's (its start the same in both)
    against the reference's move there (a factor, the sign, the previous step's move carried over), or its
    state's value there (a starting value other than zero)."""
    from compare.checking.probe import after_step

    numbers = rule_first(numbers, evidence)
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
    found = state_terms(name, evidence, numbers) if ":" in name and index == 0 else \
        later_recurrence(name, index, evidence) if ":" in name else ""
    if found:
        return found
    if kind == "weights" and ":" not in name:
        found = _move_terms(name, index, (start, moved, wanted), evidence, numbers)
    if not found and kind == "weights" and ":" not in name and moved.size < 3:  # a factor fits one value always
        joined = joined_moves(index, evidence)
        found = relation(*joined, numbers, forward=False) if joined[0].size >= 3 else ""
        found = f"{found} (fitted over every parameter's move: {name} alone has too few values)" if found else ""
    alone = "" if found else relation(moved, wanted, numbers, forward=False)
    found = found or (alone if moved.size >= 3 or alone.startswith(ZERO) or (  # a fit must leave a number over:
        moved.size == 2 and "x the reference's" in alone and " plus " not in alone) else "")  # one factor, 2 values
    if found.startswith(ZERO) and ":" in name and np.any(actual):  # a state never written is exactly its zeros;
        found = ""  # one of values a millionth of the reference's was written, by another formula: said elsewhere
    if ":" in name and index == 0 and found.startswith("is the reference's plus a constant "):
        offset = float(np.mean(moved - wanted))
        found = (f"is the reference's plus {offset:.4g} everywhere: the state starts from {offset:.4g}, not 0 (an "
                 "initial value other than zero)")
    if not found and index > 0 and ":" not in name:
        before = evidence.reference.get(f"{after_step(index - 2)} {name}") if index > 1 else \
            evidence.spec.initial_parameters(evidence.seed).get(name)
        if before is not None:
            found = _carried_over(moved, wanted, start - before.astype(np.float64),
                                  evidence.optimizer is None or evidence.optimizer.name != "momentum")
    factored = kind == "weights" and found.startswith("is ") and "x the reference's" in found
    factor = float(moved.ravel() @ wanted.ravel()) / max(float(wanted.ravel() @ wanted.ravel()), 1e-300)
    seen = sum(evidence.steps.batch_sizes[:index + 1]) if evidence.steps is not None else 0
    correction = correction_relation(factor, index + 1, evidence.optimizer, seen) \
        if factored and evidence.optimizer is not None else ""
    if index == 0 and "the examples seen" in correction and found.endswith(": a constant factor"):  # Adam's first
        # step: only a count of the examples seen, not one step ahead (2t and t + 1 tie at t = 1, and sqrt(1 + beta2)
        # is all but sqrt(2): a factor of any cause would be named)
        found = f"{found.removesuffix(': a constant factor')}: {correction}"
    if index > 0 and factored:
        found += (f": the step size changes at a later step — {_changed_step(evidence)}"
                  if evidence.optimizer is None or evidence.optimizer.name not in COUNTS_STEPS else f": {correction}"
                  if correction else
                  ": a term that depends on the step count t (the bias correction's power of t?) differs from t = "
                  f"{index + 1} on")
    what = f"{name} after {when}" if ":" in name else f"the move of {name} at {when}" \
        if kind == "weights" else f"{name}'s update at {when}"
    if found.startswith(ZERO):
        found += never_moves(name, index, evidence)
    return f"{what} {found}" if found else ""

