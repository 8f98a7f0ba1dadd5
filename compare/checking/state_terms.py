"""An update rule's state after its first step, written as terms of that step's gradient: the smallest set of
terms (g, g^2, |g|, the parameter's total sum(g^2), a constant, weight decay's lambda * w) that reproduces the
implementation's state exactly, beside the set that reproduces the reference's. Where the two sets differ, the
state is said as the expressions fitted ("1 - 0.9 * g^2 where the rule's is 0.1 * g^2"), and what the difference
means where the coefficients show it (brackets left out, a sum over the whole array, weight decay left out of
the gradient). Measured, never matched against a list of mistakes. Float64; numpy only."""
from typing import Optional

import numpy as np

from compare.checking import recurrence_readings, state_extremes
from compare.checking.fits import explains, sparse_fit
from compare.checking.relations import Numbers
from compare.checking.term_words import CONSTANT, expression
from compare.checking.update_fitting import rule_gradients
from compare.checking.update_replay import Steps

MAX_TERMS = 3  # a first step's state is one to three terms of its gradient
EXACT = 1e-5  # what a fit may leave, relative to the largest value: float32's rounding, not a near miss
AGREE = 1e-3
GRADIENT, SQUARE, ABSOLUTE, TOTAL, DECAY = "g", "g^2", "|g|", "sum(g^2)", "lambda * w"
DECAYED_STATE = "s (decayed weights)"  # the previous state, on the parameters weight decay reaches alone
WEIGHT, WEIGHT_SQUARE = "w", "w^2"  # the parameter itself before the step: a state fed the weight, not its gradient
LOSS_SQUARE = "(g - lambda * w)^2"  # the loss's gradient alone, squared: where weight decay applies


def _terms(steps: Steps, names: list[str]) -> dict[str, np.ndarray]:
    """Each term over the parameters `names`, flattened and joined: g is the rule's gradient (the summed gradient
    over the batch, plus lambda * w where weight decay applies), sum(g^2) each parameter's total, repeated."""
    optimizer, gradients = steps.optimizer, rule_gradients(steps, 0)
    pieces: dict[str, list[np.ndarray]] = {term: [] for term in (GRADIENT, SQUARE, ABSOLUTE, TOTAL, CONSTANT, DECAY,
                                                                 LOSS_SQUARE, WEIGHT, WEIGHT_SQUARE)}
    for name in names:
        weight = steps.before[0][name].astype(np.float64).ravel()
        decayed = optimizer.weight_decay * weight if optimizer.weight_decay and optimizer.decays(name) \
            else np.zeros_like(weight)
        g = gradients[name].ravel()
        for term, value in ((GRADIENT, g), (SQUARE, g * g), (ABSOLUTE, np.abs(g)), (TOTAL, np.full_like(g, g @ g)),
                            (CONSTANT, np.ones_like(g)), (DECAY, decayed), (LOSS_SQUARE, (g - decayed) ** 2),
                            (WEIGHT, weight), (WEIGHT_SQUARE, weight * weight)):
            pieces[term].append(value)
    joined = {term: np.concatenate(values) for term, values in pieces.items()}
    if not np.any(joined[DECAY]):
        del joined[LOSS_SQUARE]  # without weight decay it is g^2 itself
    else:
        del joined[WEIGHT]  # lambda * w is w, scaled
    return {term: value for term, value in joined.items() if np.any(value)}


def fit_terms(value: np.ndarray, terms: dict[str, np.ndarray], most: int = MAX_TERMS) -> Optional[dict[str, float]]:
    """The smallest set of up to `most` terms that reproduces `value` exactly (`sparse_fit`)."""
    return sparse_fit(value, terms, most, EXACT)


def _same(first: float, second: float) -> bool:
    return abs(first - second) <= AGREE * max(abs(first), abs(second))


def _meaning(mine: dict[str, float], theirs: dict[str, float], numbers: Numbers) -> str:
    """What the difference of the two fits means, where their coefficients show it; '' where they do not."""
    if TOTAL in mine and SQUARE in theirs and SQUARE not in mine and _same(mine[TOTAL], theirs[SQUARE]):
        return ("every element holds its parameter's total sum of g^2, summed over the whole array, where the rule "
                "accumulates each element's own g^2 (per element)")
    for term in theirs:
        if term != CONSTANT and term in mine and mine.get(CONSTANT) is not None and _same(mine[CONSTANT], 1.0) \
                and _same(mine[term], theirs[term] - 1):
            named = numbers.name_of(-mine[term])
            rate = named.split(" (")[0] if named else f"{-mine[term]:.4g}"
            value = f" ({rate} = {-mine[term]:.4g})" if named else ""
            return (f"1 - {rate} * {term} where the rule has (1 - {rate}) * {term}{value}: the brackets around "
                    f"(1 - {rate}) are left out, so operator precedence leaves a lone 1")
    if DECAY in mine and DECAY not in theirs and GRADIENT in mine and GRADIENT in theirs:
        share = 1 + mine[DECAY] / mine[GRADIENT]
        if abs(share) <= AGREE:
            return ("the gradient it is given lacks weight decay's lambda * w: the decay is left out of the gradient "
                    "the rule sees (applied separately, outside the rule?)")
        return f"the gradient it is given has {share:.3g}x weight decay's lambda * w"
    if LOSS_SQUARE in mine and SQUARE in theirs and LOSS_SQUARE not in theirs and _same(mine[LOSS_SQUARE],
                                                                                          theirs[SQUARE]):
        return ("it squares the loss's gradient alone, (g - lambda * w)^2, where the rule squares the whole gradient "
                "g with weight decay's lambda * w: the state accumulates the gradient without the decay")
    for missing, present, words in ((SQUARE, WEIGHT_SQUARE, "the weights' squares w^2 where the rule has the "
                                     "gradient's g^2: the parameter taken in place of its gradient"),
                                    (GRADIENT, WEIGHT, "the weight w where the rule has the gradient g: the parameter "
                                     "taken in place of its gradient"),
                                    (SQUARE, GRADIENT, "g itself where the rule squares it: g^2 not taken"),
                                    (SQUARE, ABSOLUTE, "|g| where the rule has g^2: not squared"),
                                    (GRADIENT, SQUARE, "g^2 where the rule has g: squared where it should not be")):
        if missing in theirs and missing not in mine and present in mine and present not in theirs:
            return words
    return ""


def _rate_named(term: str, ratio: float, rate: float) -> str:
    """The learning rate folded into what the state takes: g scaled by lr (the state's weight on g lr times the
    rule's), or scaled before it is squared (on g^2, lr^2 times); '' where the ratio is neither."""
    for power, words in ((1, "the learning rate"), (2, "the learning rate squared")):
        if rate and term == (GRADIENT if power == 1 else SQUARE) and abs(ratio - rate ** power) <= 1e-3 * rate ** power:
            return (f"{words} times the rule's: the learning rate folded into the gradient"
                    f"{' before it is squared' if power == 2 else ''}, lr * g where the rule takes g "
                    f"({rate:g}{'^2' if power == 2 else ''})")
    return ""


def _weights_named(state: str, mine: dict[str, float], theirs: dict[str, float], numbers: Numbers,
                   rate: float = 0.0, batch: int = 0) -> str:
    """The one weight that differs between two fits of the same terms, where it equals a number of the
    computation (a hyperparameter, its complement, their squares): '' otherwise (a factor relation says it)."""
    differing = [term for term in mine if not _same(mine[term], theirs[term])]
    if len(differing) != 1:
        return ""
    term = differing[0]
    if mine[term] * theirs[term] <= 0:
        return ""  # a weight of the other sign: the sign relation says it
    if _same(mine[term], 1.0):
        corrected = next((label.split(" (")[0] for label, value in numbers.scalars  # Adam's beta: v / (1 - beta)
                          if label.startswith("beta") and _same(1 - value, theirs[term])), "")  # is g at t = 1
        return (f"{state} after the first step is {expression(mine)} where the rule's is {expression(theirs)}: "
                f"{term} enters unweighted, where the rule weighs it by {theirs[term]:.4g} (the state "
                f"{1 / theirs[term]:.3g}x the reference's)" + (
                    f", or it holds the bias-corrected value, divided by 1 - {corrected}^t (which at t = 1 is "
                    f"{term} itself)" if corrected else ""))
    ratio = abs(mine[term]) / abs(theirs[term])
    named = numbers.name_of(abs(mine[term])) or _rate_named(term, ratio, rate)
    scaled = "" if named else recurrence_readings.gradient_scale_named(term, ratio, batch)
    if scaled:
        return (f"{state} after the first step is {expression(mine)} where the rule's is {expression(theirs)}: "
                f"{scaled}")
    if not named:
        return ""
    return (f"{state} after the first step is {expression(mine)} where the rule's is {expression(theirs)}: its "
            f"weight on {term} is {named.split(' (')[0]} ({mine[term]:.4g}) where the rule's is {theirs[term]:.4g}")


def state_terms_relation(state: str, steps: Steps, reported: dict[str, np.ndarray], reference: dict[str, np.ndarray],
                         numbers: Numbers) -> str:
    """`state` ('fc1.weight:square_sum') after the first step as terms of its gradient, against the reference's;
    `reported`/`reference` hold every parameter's value of that state (canonical 'param:state' names). '' where
    both fit the same terms (a factor or a starting value differs: other relations say so) or either fails."""
    kind = state.split(":", 1)[1]
    names = [name for name in steps.before[0] if f"{name}:{kind}" in reported and f"{name}:{kind}" in reference
             and name in steps.gradients[0]]
    if state.split(":", 1)[0] not in names:
        return ""
    terms = _terms(steps, names)
    mine = fit_terms(np.concatenate([reported[f"{n}:{kind}"].astype(np.float64).ravel() for n in names]), terms)
    theirs = fit_terms(np.concatenate([reference[f"{n}:{kind}"].astype(np.float64).ravel() for n in names]), terms)
    if mine is None or theirs is None:
        return ""
    momentum = steps.optimizer.name == "momentum"  # the one rule whose state holds the learning rate (v += lr * g)
    numbers = Numbers(tuple((label, value) for label, value in numbers.scalars  # the rule's numbers, then (for
                            if label.split(" (")[0] in steps.optimizer.values  # momentum) the learning rate
                            or (momentum and label.startswith("the learning rate ("))))
    if set(mine) == set(theirs):  # the same terms: a weight differs; said here only where it is a known number
        return _weights_named(state, mine, theirs, numbers, 0.0 if momentum else steps.learning_rate,
                              steps.batch_sizes[0] if steps.batch_sizes else 0)
    if set(mine) == set(theirs) | {CONSTANT} and all(_same(mine[term], theirs[term]) for term in theirs):
        return ""  # the rule's state plus a constant: a starting value other than zero, said as such elsewhere
    meaning = _meaning(mine, theirs, numbers)
    decay = ", with weight decay's lambda * w" if DECAY in terms else ""
    return (f"{state} after the first step is {expression(mine)} where the rule's is {expression(theirs)} (g: that "
            f"step's gradient{decay}, fitted over every parameter's {kind})" + (f": {meaning}" if meaning else ""))


def aliased_relation(state: str, reported: dict[str, np.ndarray], reference: dict[str, np.ndarray]) -> str:
    """`state` holds exactly the values of another state after the step — of the same parameter, or of another
    parameter of the same shape — where the reference's two differ: one array serves as both (`a = b =
    zeros_like(w)` binds two names to one array; a zeros(shape) made once and handed to every parameter of that
    shape)."""
    parameter = state.split(":", 1)[0]
    mine = reported.get(state)
    if mine is None:
        return ""
    for other, values in sorted(reported.items(), key=lambda item: item[0].split(":", 1)[0] != parameter):
        if other == state or values.shape != mine.shape:
            continue
        theirs, their_other = reference.get(state), reference.get(other)
        if not (np.array_equal(values, mine) and np.any(mine) and theirs is not None and their_other is not None
                and not np.array_equal(theirs, their_other)):
            continue
        if other.split(":", 1)[0] == parameter:
            return (f"{state} and {other.split(':', 1)[1]} hold the very same values, where the reference's differ: "
                    "one array serves as both states (two names bound to one array, as a = b = w.zeros_like() "
                    "does), or the rule's order makes them equal (a state read before it is updated)")
        return (f"{state} and {other} hold the very same values, where the reference's differ: one array serves "
                f"both parameters (a state shared by every parameter of shape {mine.shape}, made once and handed "
                "out again: give each parameter its own array)")
    return ""


def recurrence_relation(state: str, gradients: tuple[dict, dict], reported: tuple[dict, dict],
                        reference: tuple[dict, dict], decayed: frozenset = frozenset(),
                        numbers: Numbers = Numbers()) -> str:
    """`state` from its first step to its second as its previous value s and the second step's gradient g
    (s_2 = a * s_1 + b * g^2 ...), fitted for the implementation and for the reference, each with its own
    second-step gradient (`gradients`: the rule's, per parameter), over every parameter's state of that kind;
    `reported` and `reference` hold each side's states after steps 1 and 2. Words where the two recurrences
    differ; '' where either does not fit or they agree."""
    kind = state.split(":", 1)[1]
    names = [name for name in gradients[0] if name in gradients[1] and all(
        f"{name}:{kind}" in values for side in (reported, reference) for values in side)]
    if state.split(":", 1)[0] not in names:
        return ""

    others = sorted({key.split(":", 1)[1] for key in reported[1] if ":" in key} - {kind})  # the rule's other states

    def joined(side: tuple[dict, dict], rule_gradients: dict) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        previous, now = (np.concatenate([values[f"{n}:{kind}"].astype(np.float64).ravel() for n in names])
                         for values in side)
        g = np.concatenate([rule_gradients[n].astype(np.float64).ravel() for n in names])
        terms = {"s": previous, GRADIENT: g, SQUARE: g * g, CONSTANT: np.ones_like(g), "s^2": previous * previous,
                 "s * g": previous * g}  # the last two: a square taken of a sum with s in it
        if all(n in side[0] for n in names):  # the weights this step starts from: a term taken of w, or not
            # (with weight decay, on the decayed parameters alone, as the decay's own term is; and the state there)
            masks = [np.full(side[0][n].size, n in decayed or not decayed, dtype=np.float64) for n in names]
            weights = np.concatenate([side[0][n].astype(np.float64).ravel() for n in names]) * np.concatenate(masks)
            if np.any(weights):
                terms[WEIGHT] = weights
            if decayed:
                terms[DECAYED_STATE] = previous * np.concatenate(masks)
        for other in others:  # another state of the same step, as a term: a state computed from the wrong one
            if all(f"{n}:{other}" in side[1] for n in names):
                value = np.concatenate([side[1][f"{n}:{other}"].astype(np.float64).ravel() for n in names])
                terms.update({other: value, f"{other}^2": value * value})
        return now, terms

    (now, terms), their_side = joined(reported, gradients[0]), joined(reference, gradients[1])
    mine, theirs = fit_terms(now, terms, MAX_TERMS + 1), fit_terms(*their_side, MAX_TERMS + 1)  # plus s's carry
    if mine is None and theirs is not None:
        return state_extremes.larger_of_relation(now, terms, theirs)
    if mine is not None and theirs is not None and "s" in theirs and "s" not in mine:
        # s below the others' rounding is no proof that it is left out: kept where a fit with it is as exact
        refit = recurrence_readings.fit_on(now, terms, (set(mine) | set(theirs), EXACT))
        mine = refit if refit is not None and abs(refit["s"] - theirs["s"]) <= 1e-3 * abs(theirs["s"]) else mine
    if mine is None or theirs is None or (set(mine) == set(theirs) and abs(mine.get("s", 0) - theirs.get("s", 0))
                                          <= 1e-6):
        return ""  # the same terms and the same carry: a weight differs, which a factor at the first step says
    said = (f"from one step to the next it is {expression(mine)} where the rule's is {expression(theirs)} (s: its "
            "value after the step before, g: this step's gradient"
            + (f", {', '.join(others)}: that state after this step)" if others else ")"))
    used = [term.removesuffix("^2") for term in mine if term.removesuffix("^2") in others]
    if used and not any(term.removesuffix("^2") in others for term in theirs):
        said += f": it is computed from {used[0]} where the rule computes it from the gradient g"
    if WEIGHT in mine and WEIGHT not in theirs and DECAYED_STATE in mine and \
            abs(mine[DECAYED_STATE] + mine[WEIGHT]) <= 1e-3 * abs(mine[WEIGHT]):
        said += (f": on the decayed weights it carries s by {mine[DECAYED_STATE]:.4g} more and lacks the same "
                 f"multiple of w: weight decay's term is taken of the state s (its {kind}) where the rule takes it "
                 "of the weight w")
    if set(mine) == set(theirs) and theirs.get("s") and _same(mine["s"], -theirs["s"]) and \
            all(_same(mine[term], theirs[term]) for term in theirs if term != "s"):
        said += (f": the carried value enters with the opposite sign ({mine['s']:.4g} * s where the rule adds "
                 f"{theirs['s']:.4g} * s): a difference taken the other way round (previous - current), or a sign "
                 "flipped on the carried term")
    carry = mine["s"] / theirs["s"] if set(mine) == set(theirs) and theirs.get("s") else 1.0
    named = next((label for label, value in numbers.scalars if carry > 0 and not _same(carry, 1.0)
                  and abs(carry - value) <= 1e-3 * value), "")  # the number itself, not a form of it
    if named and all(_same(mine[term], theirs[term]) for term in theirs if term != "s"):
        said += (f": it carries s at {carry:.4g} of the rule's weight ({named}) with the rest of the step the "
                 "rule's" + ("" if "kept in summed" in named else
                             ": the carried value is scaled by it too (a bracket around the whole recurrence?)"))
    said += recurrence_readings.squared_sum_words(mine)
    corrections = {label: value for label, value in numbers.scalars if label.startswith("1 / (1 - ")}
    said += recurrence_readings.scaled_recurrence_words(mine, theirs, corrections)
    if abs(mine.get("s", 0.0) - 1) <= 1e-6 and abs(theirs.get("s", 0.0) - 1) > 1e-6 and SQUARE in mine:
        said += ": it accumulates a running sum of g^2 (as adagrad does), where the rule keeps a decaying average"
    return said


def swapped_relation(state: str, reported: dict[str, np.ndarray], reference: dict[str, np.ndarray]) -> str:
    """`state` holds what the reference's other state of the same parameter holds after the step, and that one
    holds `state`'s: the two are swapped (kept in one order, reported or used in the other)."""
    parameter, kind = state.split(":", 1)
    mine, theirs = reported.get(state), reference.get(state)
    if mine is None or theirs is None:
        return ""
    for other, their_other in reference.items():
        if other == state or other.split(":", 1)[0] != parameter or their_other.shape != mine.shape:
            continue
        my_other = reported.get(other)
        scale = max(float(np.abs(theirs).max(initial=0.0)), float(np.abs(their_other).max(initial=0.0)), 1e-300)
        if my_other is None or np.allclose(theirs, their_other, rtol=1e-5, atol=1e-6 * scale):
            continue  # the reference's two are the same: a swap cannot show
        difference = float(np.abs(mine.astype(np.float64) - theirs).max(initial=0.0))
        if explains(mine.astype(np.float64), their_other.astype(np.float64), difference) and \
                explains(my_other.astype(np.float64), theirs.astype(np.float64), difference):
            return (f"{state} holds what the rule's {other.split(':', 1)[1]} holds, and {other.split(':', 1)[1]} "
                    f"holds its {kind}: the two states are swapped (kept in one order, named in the other)")
    return ""
