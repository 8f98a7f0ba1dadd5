"""A parameter's move at the step where it parts from the reference's, against that step's gradient and the rule's
state: a plain gradient step (the move a constant times the gradient, where the rule's is not: its per-element
scaling left out), or the reference's move with one of the rule's states replaced by the gradient itself (the
state computed, then not used). Measured from the recorded steps; float64, numpy only."""
from typing import Optional

import numpy as np

from compare.checking.relations import Numbers
from compare.checking.update_fitting import rule_gradients
from compare.checking.update_replay import Steps

EXACT = 1e-4  # what a fit may leave, relative to the largest value of the move
SMALL_STATE = 5e-2  # a state below this share of its largest is left out of a ratio that divides by it (its
# float32 rounding, divided by a value near zero, would swamp the fit)


RESCALING = ("adagrad", "rmsprop", "adadelta", "adam")  # rules whose move rescales each element of the gradient


def _factor(value: np.ndarray, candidate: np.ndarray) -> Optional[float]:
    """c where value == c * candidate exactly (within EXACT of the largest value), else None."""
    norm = float(candidate.ravel() @ candidate.ravel())
    if norm == 0 or not np.all(np.isfinite(candidate)):
        return None
    factor = float(value.ravel() @ candidate.ravel()) / norm
    scale = float(np.abs(value).max(initial=0.0))
    return factor if scale > 0 and float(np.abs(value - factor * candidate).max()) <= EXACT * scale else None


def move_terms_relation(name: str, index: int, moves: tuple[np.ndarray, np.ndarray], steps: Steps,
                        states: dict[str, np.ndarray], numbers: Numbers) -> str:
    """`moves`: the implementation's and the reference's move of `name` at step `index` (0-based); `states`: the
    reference's rule state after that step ('name:state' keys). Words, or ''."""
    mine, theirs = moves
    g = rule_gradients(steps, index).get(name) if index < len(steps.gradients) else None
    if g is None or g.shape != mine.shape or steps.optimizer.name == "sgd":
        return ""
    plain, their_rate = _factor(mine, g), _factor(theirs, g)
    if plain is not None and plain < 0 and steps.optimizer.name in RESCALING:
        rate = -plain
        named = numbers.name_of(rate)
        said = "1" if abs(rate - 1) <= 1e-3 else f"{rate:.4g}" + (f", {named}" if named else "")
        reduced = _reduced_state(name, rate, steps, states)
        if reduced and (their_rate is None or abs(their_rate - plain) > 1e-3 * rate):
            return (f"is {plain:.4g} x its gradient, one rate for the whole array: {reduced}, where the rule "
                    "divides each element by its own root (per element)")
    if plain is not None and plain < 0 and their_rate is None and steps.optimizer.name in RESCALING and \
            _rescales(theirs, g):
        return (f"is {plain:.4g} x its gradient: a plain gradient step (SGD with rate {said}) — the raw gradient, "
                f"without the {steps.optimizer.name} rule's per-element rescaling that the reference's move has")
    power = _state_power(name, (mine, theirs, g), steps, states)
    if power:
        return power
    scaled = _denominator_scale(name, index, (mine, g), steps, states)
    if scaled and (_factor(mine, theirs) is None or "bias-corrected" in scaled):
        return scaled  # a plain factor on the move (eps negligible) is a step size, said by the factor relation
    for key, state in states.items():
        if not key.startswith(f"{name}:") or state.shape != mine.shape:
            continue
        if _factor(state, g) is not None:
            continue  # a state proportional to this gradient (a first step's moment): replacing it is a factor
        usable = np.abs(state) > SMALL_STATE * float(np.abs(state).max(initial=0.0))
        if usable.sum() < 0.25 * state.size:
            continue
        candidate = np.where(usable, theirs * g / np.where(usable, state, 1.0), 0.0)
        factor = _factor(np.where(usable, mine, 0.0), candidate)
        if factor is not None and abs(factor) > 0:
            kind = key.split(":", 1)[1]
            return (f"is the reference's move with its {kind} replaced by this step's gradient g (times {factor:.4g}): "
                    f"the step uses the gradient itself where the rule uses the {kind} — computed, then not used")
    return ""


def _rescales(theirs: np.ndarray, g: np.ndarray) -> bool:
    """The reference's move rescales this parameter's elements by visibly different amounts (its factors on g
    spread by a tenth): where they are all but one number (tiny gradients beside eps), a move proportional to g is
    no sign that the rescaling was left out — the rule's own move is then all but a plain step too."""
    usable = np.abs(g) > 0
    if usable.sum() < 4:
        return False
    ratios = theirs[usable] / g[usable]
    middle = float(np.median(np.abs(ratios)))
    return middle > 0 and float(np.ptp(ratios)) > 0.1 * middle


POWER_WORDS = ((0.5, "multiplies by sqrt({kind} + eps) where the rule divides by it: the root inverted (nd.rsqrt "
                      "where nd.sqrt is meant, or * typed for /)"),
               (-1.0, "divides by {kind} + eps itself where the rule divides by its square root: the root not taken"),
               (0.0, "does not depend on {kind} at all, where the rule divides by its square root: the state computed, "
                     "then not used"))


def _power(move: np.ndarray, state: np.ndarray, g: np.ndarray) -> Optional[float]:
    """p where |move| = c * |g| * state^p on every element that measures it (an exact fit of the logarithms:
    float32's rounding, no more), else None."""
    usable = (np.abs(move) > 0) & (np.abs(g) > 0) & (state > SMALL_STATE * float(state.max(initial=0.0)))
    if usable.sum() < 8 or float(np.ptp(np.log(state[usable]))) < 0.1:
        return None  # too few values, or a state too even to tell a power from a constant (the fit leaves at most
        # 1e-3 of a logarithm, so a spread of 0.1 fixes the power to 0.01; the powers told apart are 0.5 apart)
    target = np.log(np.abs(move[usable])) - np.log(np.abs(g[usable]))
    basis = np.stack([np.log(state[usable]), np.ones(int(usable.sum()))], axis=1)
    (power, offset), *_ = np.linalg.lstsq(basis, target, rcond=None)
    return float(power) if float(np.abs(basis @ np.array([power, offset]) - target).max()) <= 1e-3 else None


def _state_power(name: str, moves: tuple[np.ndarray, np.ndarray, np.ndarray], steps: Steps,
                 states: dict[str, np.ndarray]) -> str:
    """The move as |g| times a power of the rule's squared-gradient state plus eps, against the reference's power
    (-1/2): the root inverted, not taken, or the state unused, in words; '' where the powers agree or do not fit."""
    mine, theirs, g = moves
    epsilon = steps.optimizer.values.get("epsilon", 0.0)
    for key in (f"{name}:square_average", f"{name}:square_sum", f"{name}:second_moment"):
        state = states.get(key)
        if state is None or state.shape != mine.shape:
            continue
        if key.endswith(":second_moment") and states.get(f"{name}:first_moment") is not None:
            g = states[f"{name}:first_moment"]  # Adam's move divides its first moment, not g, by the root
            epsilon = 0.0  # outside the root: negligible where the states measure the power
        shifted = state.astype(np.float64) + epsilon
        mine_power, their_power = _power(mine, shifted, g), _power(theirs, shifted, g)
        if mine_power is None or their_power is None or abs(mine_power - their_power) < 0.2:
            continue
        kind = key.split(":", 1)[1]
        said = next((words.format(kind=kind) for value, words in POWER_WORDS if abs(mine_power - value) <= 0.05),
                    f"goes as ({kind} + eps)^{mine_power:.2g} where the rule's goes as ({kind} + eps)^"
                    f"{their_power:.2g}")
        said += f" (its move goes as ({kind} + eps)^{mine_power:.2g}, the rule's as ^{their_power:.2g})"
        if _power(np.abs(g), shifted, np.ones_like(g)) is not None:  # the state is a power of |g| here: either reads
            said += (f"; or, the same on these numbers (the {kind} is a multiple of g^2 at this step), a power of "
                     "|g| in the step itself")
        return said
    return ""


REDUCTIONS = (("mean", np.mean), ("sum", np.sum), ("max", np.max))


def _reduced_state(name: str, rate: float, steps: Steps, states: dict[str, np.ndarray]) -> str:
    """The one rate of a move proportional to its gradient as lr / sqrt(r(state) + eps) for a reduction r of the
    rule's state over the whole array (its mean, sum or largest value): the words, or ''."""
    epsilon = steps.optimizer.values.get("epsilon", 0.0)
    for key, state in states.items():
        if not key.startswith(f"{name}:") or state.size < 2 or float(state.min(initial=0.0)) < 0:
            continue  # a moment that can be negative has no root to take
        for word, reduce in REDUCTIONS:
            denominator = np.sqrt(float(reduce(state)) + epsilon)
            if denominator > 0 and abs(steps.learning_rate / denominator - rate) <= 1e-3 * rate:
                kind = key.split(":", 1)[1]
                return (f"lr / sqrt({kind}.{word}() + eps) = {rate:.4g}: the {kind} reduced to one value (its "
                        f"{word} over the array) before the root")
    return ""


ROOTED = {"rmsprop": ("square_average", "gamma"), "adagrad": ("square_sum", "")}  # rule: (state, its decay rate)


def _denominator_scale(name: str, index: int, values: tuple[np.ndarray, np.ndarray], steps: Steps,
                       states: dict[str, np.ndarray]) -> str:
    """The move is -lr * g / sqrt(k * s + eps) for one constant k other than 1 (`values`: the move and g; s the
    rule's state after the step): the state scaled inside the root, named where k is a bias correction."""
    rule = ROOTED.get(steps.optimizer.name)
    state = states.get(f"{name}:{rule[0]}") if rule else None
    move, g = values
    if state is None or state.shape != move.shape:
        return ""
    usable = (np.abs(move) > 0) & (state > SMALL_STATE * float(state.max(initial=0.0)))
    if usable.sum() < max(16, 0.05 * state.size):  # k is one number: a twentieth of the values measure it well
        return ""
    epsilon = steps.optimizer.values["epsilon"]
    with np.errstate(all="ignore"):
        k = ((steps.learning_rate * g[usable] / move[usable]) ** 2 - epsilon) / state[usable]
    middle = float(np.median(k))
    if not np.isfinite(middle) or abs(middle - 1) <= 1e-2 or np.abs(k - middle).max() > 1e-2 * abs(middle):
        return ""
    t = index + 1
    rate = steps.optimizer.values.get(rule[1]) if rule[1] else None
    corrected = rate is not None and abs(middle - 1 / (1 - rate ** t)) <= 1e-2 * middle
    by_count = t > 1 and abs(middle - 1 / t) <= 1e-2 * middle  # at t = 1 dividing by t changes nothing
    return (f"divides by sqrt({middle:.4g} * {rule[0]} + eps) where the rule divides by sqrt({rule[0]} + eps)"
            + (f": the state bias-corrected by 1 - {rule[1]}^t (t = {t}), as Adam corrects its moments; the "
               f"chapter's {steps.optimizer.name} has no such correction" if corrected else "")
            + (f": {middle:.4g} = 1 / t at t = {t}, the {rule[0]} divided by the step count (a mean of the squares "
               f"over the steps, where the rule keeps their {'sum' if rule[0] == 'square_sum' else 'average'})"
               if by_count and not corrected else ""))


def stepped_by_state(name: str, moves: tuple[np.ndarray, np.ndarray], own: dict[str, np.ndarray],
                     learning_rate: float) -> str:
    """The move is minus one of the learner's own rule states after the step (or lr times it): the parameter
    stepped by a state array where the rule steps it by the update computed from it (`moves`: where it started
    and its move; `own`: the learner's values after the step, 'name:state' keys); ''. A move far smaller than
    the weight keeps few digits in float32: it is held to a few of the weight's ulps."""
    start, moved = moves
    scale = float(np.abs(moved).max(initial=0.0))
    if scale == 0 or moved.size < 4:
        return ""
    tolerance = max(EXACT * scale, 4 * float(np.finfo(np.float32).eps) * float(np.abs(start).max(initial=0.0)))
    for key, state in own.items():
        if not key.startswith(f"{name}:") or state.shape != moved.shape or not np.any(state):
            continue
        for words, factor in (("", 1.0), ("the learning rate times ", learning_rate)):
            if factor and float(np.abs(moved + factor * state.astype(np.float64)).max()) <= tolerance:
                kind = key.split(":", 1)[1]
                return (f"is minus {words}its own {kind} after the step: the parameter is stepped by the {kind} "
                        f"state itself (the wrong variable: param - {kind} where the rule subtracts the update "
                        "computed from it)")
    return ""


def stale_state_relation(name: str, index: int, mine: np.ndarray, steps: Steps,
                         earlier: dict[str, np.ndarray]) -> str:
    """The move at step `index` (> 0) is -lr * g / sqrt(s + eps) with s the rule's state from the step before
    (`earlier`: the reference's states after step index - 1), where the rule divides by this step's: a rate
    computed once and reused, or the state read before it is updated."""
    rule = ROOTED.get(steps.optimizer.name)
    state = earlier.get(f"{name}:{rule[0]}") if rule and index > 0 else None
    g = rule_gradients(steps, index).get(name) if index < len(steps.gradients) else None
    if state is None or g is None or state.shape != mine.shape or not np.any(state):
        return ""
    candidate = -steps.learning_rate * g / np.sqrt(state + steps.optimizer.values["epsilon"])
    if _factor(mine, candidate) is None or abs(_factor(mine, candidate) - 1) > 1e-3:
        return ""
    return (f"is -lr * g / sqrt({rule[0]} + eps) with the {rule[0]} of the step before (step {index}), where the "
            f"rule divides by this step's: the per-element rate is computed once and reused, or the {rule[0]} is "
            "read before it is updated")


def extra_step_relation(name: str, index: int, moves: tuple[np.ndarray, np.ndarray], steps: Steps,
                        numbers: Numbers) -> str:
    """The move is the reference's plus c * g (this step's gradient): a plain gradient step taken on top of the
    rule's (an SGD call left in beside it), c named where it is the learning rate."""
    mine, theirs = moves
    g = rule_gradients(steps, index).get(name) if index < len(steps.gradients) else None
    if g is None or g.shape != mine.shape or mine.size < 3:
        return ""
    factor = _factor(mine - theirs, g)
    if factor is None or factor >= 0 or _factor(mine, g) is not None:
        return ""  # a step along +g goes uphill; a move that is all one multiple of g is a plain step, said so
    rate = -factor
    named = "the learning rate" if abs(rate - steps.learning_rate) <= 1e-3 * rate else numbers.name_of(rate)
    return (f"is the reference's move plus {factor:.4g} x its gradient" + (f" ({named})" if named else "")
            + ": a plain gradient step taken on top of the rule's (an SGD update left in beside it)")
