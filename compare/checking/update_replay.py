"""Replaying an implementation's update steps in NumPy: from its weights before each step and the gradient it
computed there, one writing of the rule (its `Terms`: the chapter's, or one term set otherwise) predicts its
weights after the step and the state it reports; the state may be kept at a named constant times the rule's (its
own bookkeeping). Float64; no mxnet."""
import dataclasses
from dataclasses import dataclass
from typing import Callable

import numpy as np

from implementations.optimizers import Optimizer

FLOAT32_EPS = float(np.finfo(np.float32).eps)


@dataclass(frozen=True)
class Terms:
    """How one writing of a rule sets each of its terms; the defaults are the chapter's. A mistake is one term
    set otherwise: fitted to the steps, it says which term is missing, doubled, swapped, squared or not rooted."""

    gradient: float = 1.0  # g = grad / batch times this: the batch (not divided), 1 / batch (divided twice)
    rate: int = 1  # how many times the learning rate multiplies the step: 0 (left out), 2 (applied twice)
    squared: bool = True  # the squares accumulated are g * g (False: g itself)
    rooted: bool = True  # the step divides by a square root (False: by the accumulation itself)
    epsilon: str = ""  # "inside" or "outside" the root where the chapter has it the other way ("": the chapter's)
    swapped: bool = False  # a moving average's weights swapped: (1 - gamma) * s + gamma * g * g
    correction: str = "both"  # adam's bias correction: "both", "none", "first" (moment only), "second" only, or
    # "plus" (both divided by 1 + beta^t)
    count: str = "t"  # adam's step count: "t" (1, 2, ...), "t+1" (counted from 1 before the first step), "1",
    # or "per-parameter" (advanced inside the loop over parameters: P parameters take t = 1 .. P at the first step)
    reset: bool = False  # the state starts from zero at every step
    keeps_count: bool = True  # with reset: whether the step count survives it
    sign: int = 1  # -1: the step is added to the weights (or the state kept with its sign flipped, then added)
    stale: bool = False  # the step uses the state before it is updated (the previous step's): momentum's
    # velocity, adagrad's sum or rmsprop's average of squares
    fresh: bool = False  # adadelta: the step's change taken with delta after this step's update, where the rule
    # takes it with delta before (the other timing of `stale`)
    dampened: bool = False  # momentum: the gradient weighted by 1 - momentum, v = m * v + (1 - m) * lr * g
    delta_of_gradient: bool = False  # adadelta: delta averages the squared gradient, not the squared step
    ratio_swapped: bool = False  # adadelta: sqrt(s + eps) / sqrt(delta + eps), the two averages swapped
    decays_biases: bool = False  # weight decay on the biases too
    decay: float = 1.0  # weight decay's term times this: -1 (its sign flipped), 2 (doubled), 0.5, 0 (left out)
    l1: bool = False  # weight decay's term lambda * sign(w), an L1 penalty's gradient, where L2's is lambda * w
    values: tuple[tuple[str, float], ...] = ()  # hyperparameters set otherwise (swapped, or fitted to the state)
    mxnet: bool = False  # MXNet's formula (Adam's correction folded in; adagrad/adadelta's decay after the step)


@dataclass(frozen=True)
class Variant:
    """One way of writing the rule: the chapter's (no cause), MXNet's (legitimate), or a mistake with its cause."""

    name: str
    cause: str = ""
    legitimate: bool = False
    terms: Terms = Terms()


@dataclass(frozen=True)
class Steps:
    """What one implementation did at each step: weights before and after and the summed gradient (canonical
    names), each step's batch size, and the rule it was asked to follow."""

    before: list[dict[str, np.ndarray]]
    after: list[dict[str, np.ndarray]]
    gradients: list[dict[str, np.ndarray]]
    batch_sizes: list[int]
    optimizer: Optimizer
    learning_rate: float
    states: list[dict[str, np.ndarray]] = dataclasses.field(default_factory=list)  # reported after each step


CORRECT = Variant("chapter")


def _root(s: np.ndarray, eps: float, terms: Terms, outside: bool) -> np.ndarray:
    """The rule's denominator: sqrt(s + eps) or sqrt(s) + eps (the chapter's side unless `terms` moves it), or the
    accumulation itself where it is not rooted."""
    if terms.epsilon:
        outside = terms.epsilon == "outside"
    if not terms.rooted:
        return s + eps
    return np.sqrt(s) + eps if outside else np.sqrt(s + eps)


def _step(terms: Terms, optimizer: Optimizer, rate: float, t: int) -> Callable:
    """(w, g, state) -> new w for one parameter, updating `state` (a dict of arrays) in place."""
    hyper = {**optimizer.values, **dict(terms.values)}
    rate = rate ** terms.rate if terms.rate != 1 else rate

    def weights(old: float) -> tuple[float, float]:
        """A moving average's (old, new) weights, swapped where the terms say so."""
        return (1 - old, old) if terms.swapped else (old, 1 - old)

    def update(w: np.ndarray, g: np.ndarray, state: dict) -> np.ndarray:
        name = optimizer.name
        if terms.reset:
            state.clear()
        for key in optimizer.rule.state:
            state.setdefault(key, np.zeros_like(w))
        square = g * g if terms.squared else g
        if name == "sgd":
            return w - terms.sign * rate * g
        if name == "momentum":
            keep, new = weights(hyper["momentum"])
            previous = state["momentum"]
            weight = new if terms.swapped else 1 - hyper["momentum"] if terms.dampened else 1.0
            state["momentum"] = keep * previous + weight * rate * g
            return w - terms.sign * (previous if terms.stale else state["momentum"])
        if name == "adagrad":
            previous = state["square_sum"]
            state["square_sum"] = previous + square
            divisor = previous if terms.stale else state["square_sum"]
            return w - terms.sign * rate * g / _root(divisor, hyper["epsilon"], terms, False)
        if name == "rmsprop":
            keep, new = weights(hyper["gamma"])
            previous = state["square_average"]
            s = state["square_average"] = keep * previous + new * square
            return w - terms.sign * rate * g / _root(previous if terms.stale else s, hyper["epsilon"], terms, False)
        if name == "adadelta":
            eps = hyper["epsilon"]
            keep, new = weights(hyper["rho"])
            state["square_average"] = keep * state["square_average"] + new * square
            top, bottom = state["delta_average"], state["square_average"]
            if terms.ratio_swapped:
                top, bottom = bottom, top
            change = _root(top, eps, Terms(rooted=terms.rooted), False) / _root(bottom, eps, terms, False) * g
            moved = g if terms.delta_of_gradient else change
            state["delta_average"] = keep * state["delta_average"] + new * moved * moved
            if terms.fresh:
                change = _root(state["delta_average"], eps, Terms(rooted=terms.rooted), False) / \
                    _root(bottom, eps, terms, False) * g
            return w - terms.sign * change
        beta1, beta2, eps = hyper["beta1"], hyper["beta2"], hyper["epsilon"]  # adam
        keep, new = weights(beta2)
        v = state["first_moment"] = beta1 * state["first_moment"] + (1 - beta1) * g
        s = state["second_moment"] = keep * state["second_moment"] + new * square
        if terms.mxnet:
            return w - rate * np.sqrt(1 - beta2**t) / (1 - beta1**t) * v / (np.sqrt(s) + eps)
        count = {"t": t, "t+1": t + 1, "1": 1, "per-parameter": t}[terms.count]  # per-parameter: t counted outside
        sign = 1 if terms.correction == "plus" else -1  # "plus": 1 + beta^t, the correction's sign flipped
        v_hat = v / (1 + sign * beta1**count) if terms.correction in ("both", "first", "plus") else v
        s_hat = s / (1 + sign * beta2**count) if terms.correction in ("both", "second", "plus") else s
        return w - terms.sign * rate * v_hat / _root(s_hat, eps, terms, True)

    return update


def first_step(terms: Terms, steps: Steps, gradients: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each parameter's weights after the first step as `terms` write the rule, from zero state (`gradients`: the
    rule's, per parameter)."""
    update = _step(terms, steps.optimizer, steps.learning_rate, 1)
    return {name: update(weight.astype(np.float64), gradients[name], {}) for name, weight in steps.before[0].items()
            if name in gradients}


def weights_agree(predicted: np.ndarray, actual: np.ndarray, before: np.ndarray) -> bool:
    """The prediction within float32's rounding of the weights and a thousandth of the step they took (inf/NaN
    where the implementation's weights are inf/NaN too: a rule that takes a root of a negative sum)."""
    finite, predicted_finite = np.isfinite(actual), np.isfinite(predicted)
    if np.count_nonzero(finite != predicted_finite) > 1e-3 * finite.size:  # float64 may round a root's argument
        return False                                                          # to the other side of 0, rarely
    both = finite & predicted_finite
    predicted, actual, before = predicted[both], actual[both], before[both]
    allowed = 8 * FLOAT32_EPS * (np.abs(actual) + np.abs(before)) + 1e-3 * np.abs(actual - before).max(initial=0.0)
    return bool(np.all(np.abs(predicted - actual) <= allowed + 1e-12))


def predicts(variant: Variant, steps: Steps) -> bool:
    """Whether `variant` of the rule, replayed from the implementation's own weights and gradients, gives its
    weights after every step."""
    with np.errstate(all="ignore"):  # a mistaken rule may take the root of a negative sum, as the learner's did
        return _replays(variant.terms, steps)


def _replays(terms: Terms, steps: Steps) -> bool:
    optimizer, states = steps.optimizer, {name: {} for name in steps.before[0]}  # type: ignore[var-annotated]
    for index, (before, after, gradients, batch) in enumerate(
            zip(steps.before, steps.after, steps.gradients, steps.batch_sizes)):
        divisor = {1.0: batch, 0.0: 1, -1.0: batch * batch}[terms.gradient]
        for position, (name, weight) in enumerate(before.items()):
            t = 1 if not terms.keeps_count else \
                index * len(before) + position + 1 if terms.count == "per-parameter" else index + 1
            update = _step(terms, optimizer, steps.learning_rate, t)
            if name not in after or name not in gradients:
                return False
            w = weight.astype(np.float64)
            g = gradients[name].astype(np.float64) / divisor
            decay = terms.decay * optimizer.weight_decay if optimizer.decays(name) or terms.decays_biases else 0.0
            after_step = terms.mxnet and optimizer.name in ("adagrad", "adadelta")
            penalty = decay * (np.sign(w) if terms.l1 else w)  # the penalty's gradient
            predicted = update(w, g if after_step else g + penalty, states[name])
            if after_step:  # MXNet: w -= lr * (step + wd * w) (adagrad), w -= step + wd * w (adadelta)
                predicted = predicted - (steps.learning_rate if optimizer.name == "adagrad" else 1.0) * penalty
            if not weights_agree(predicted, after[name].astype(np.float64), w):
                return False
            reported = steps.states[index] if index < len(steps.states) else {}
            for key, value in states[name].items():  # the state it reports, where it reports it: the same, or
                mine = reported.get(f"{name}:{key}")  # kept at a named constant (its own bookkeeping: v negated)
                if mine is not None and not any(state_agrees(factor * value, mine.astype(np.float64))
                                                for factor in kept_factors(steps.learning_rate, optimizer.name)):
                    return False
    return True


def kept_factors(learning_rate: float, rule: str) -> tuple[float, ...]:
    """The constants a state may be kept at against the rule's, as its own bookkeeping: 1, negated, or, for a
    velocity the step is taken from whole (momentum), with the learning rate taken into or out of it (v = m * v + g;
    w -= lr * v). No other rule's state holds the learning rate in any chapter: an Adam first moment 0.01x the rule's
    is a mistake in it, not the rate folded in. Any other factor is a different state."""
    if rule != "momentum":
        return (1.0, -1.0)
    return (1.0, -1.0, learning_rate, -learning_rate, 1 / learning_rate, -1 / learning_rate)


def state_factor(predicted: np.ndarray, reported: np.ndarray) -> float:
    """The constant the implementation keeps its state at, against the rule's (1: the same; -1: negated, as in
    v = m * v - lr * g, w += v), fitted by least squares; 1 where there is nothing to fit."""
    predicted, reported = np.asarray(predicted, dtype=np.float64).ravel(), np.asarray(reported, np.float64).ravel()
    scale = float(predicted @ predicted) if predicted.shape == reported.shape else 0.0
    if scale == 0 or not np.isfinite(scale):
        return 1.0
    factor = float(predicted @ reported) / scale
    return factor if np.isfinite(factor) and factor != 0 else 1.0


def state_factors(steps: Steps) -> dict[str, float]:
    """Per state (`momentum`, `square_average`, ...), the constant the implementation keeps it at against the
    chapter's rule replayed from its own steps, where it is not 1."""
    factors: dict[str, list[float]] = {}
    states = {name: {} for name in steps.before[0]}  # type: ignore[var-annotated]
    with np.errstate(all="ignore"):
        for index, (before, gradients, batch) in enumerate(zip(steps.before, steps.gradients, steps.batch_sizes)):
            update = _step(Terms(), steps.optimizer, steps.learning_rate, index + 1)
            reported = steps.states[index] if index < len(steps.states) else {}
            for name, weight in before.items():
                w = weight.astype(np.float64)
                decay = steps.optimizer.weight_decay if steps.optimizer.decays(name) else 0.0
                update(w, gradients[name].astype(np.float64) / batch + decay * w, states[name])
                for key, value in states[name].items():
                    if f"{name}:{key}" in reported:
                        factors.setdefault(key, []).append(state_factor(value, reported[f"{name}:{key}"]))
    return {key: float(np.median(values)) for key, values in factors.items()
            if abs(float(np.median(values)) - 1) > 1e-3}


def state_agrees(predicted: np.ndarray, actual: np.ndarray) -> bool:
    """A state array within a thousandth of its own scale (its rounding differs by far less; a wrong decay rate
    or a missing correction by far more); inf/NaN where the implementation's state is inf/NaN too."""
    if predicted.shape != actual.shape:
        return False
    finite = np.isfinite(actual)
    if not np.array_equal(finite, np.isfinite(predicted)):
        return False
    predicted, actual = predicted[finite], actual[finite]
    scale = max(float(np.abs(predicted).max(initial=0.0)), float(np.abs(actual).max(initial=0.0)))
    return bool(np.all(np.abs(predicted - actual) <= 1e-3 * scale + 1e-30))
