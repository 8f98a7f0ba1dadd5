"""The update rules' classic mistakes, recognised by replaying an implementation's own steps in NumPy: from its
weights before each step and the gradient it computed there, each variant of the rule (the chapter's, and each
mistake: bias correction forgotten, state reset every step, epsilon on the wrong side of the root, the gradient
not divided by the batch, weight decay on the biases) and each of the rule's terms set otherwise (missing,
doubled, swapped, not squared, not rooted, another step count) predicts its weights after the step. The variant
that predicts every step of every parameter is what the implementation computes. Float64; no mxnet."""
import dataclasses
from dataclasses import dataclass
from typing import Callable, Optional

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
    correction: str = "both"  # adam's bias correction: "both", "none", "first" (moment only), "second" only
    count: str = "t"  # adam's step count: "t" (1, 2, ...), "t+1" (counted from 1 before the first step), "1",
    # or "per-parameter" (advanced inside the loop over parameters: P parameters take t = 1 .. P at the first step)
    reset: bool = False  # the state starts from zero at every step
    keeps_count: bool = True  # with reset: whether the step count survives it
    sign: int = 1  # -1: the step is added to the weights (or the state kept with its sign flipped, then added)
    stale: bool = False  # the step uses the state before it is updated (the previous step's): momentum's
    # velocity, adagrad's sum or rmsprop's average of squares
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
ROOTED = ("adagrad", "rmsprop", "adadelta", "adam")
AVERAGED = {"rmsprop": "gamma", "adadelta": "rho", "adam": "beta2"}  # the rule's moving average of squares


def _term_variants(optimizer: Optimizer) -> list[Variant]:
    """Each term of the rule set otherwise, one at a time, with what that means in words."""
    name, rule = optimizer.name, optimizer.rule
    found = [] if name == "adadelta" else [  # adadelta takes no learning rate
        Variant("lr-twice", "the learning rate is applied twice (lr * lr * step)", terms=Terms(rate=2))]
    found += [Variant("sign", f"the {name} step has the opposite sign: it is added to the weights, not subtracted "
                              "(w += step; or its state is kept negated)",
                      terms=Terms(sign=-1)),
              Variant("divided-twice", "the gradient is divided by the batch size twice (g = grad / batch / batch)",
                      terms=Terms(gradient=-1.0))]
    if name not in ("sgd", "adadelta"):
        found.append(Variant("no-rate", f"the learning rate is left out of the {name} step", terms=Terms(rate=0)))
    if name in ROOTED:
        squares = "the squared gradients' moving average" if name in AVERAGED else "the sum of squared gradients"
        found += [Variant("not-squared", f"{squares} takes g where it needs g * g (the gradient is not squared)",
                          terms=Terms(squared=False)),
                  Variant("not-rooted", f"the step divides by {squares} itself, not by its square root",
                          terms=Terms(rooted=False))]
    if name in ("adagrad", "rmsprop"):
        squares = "the sum of squared gradients" if name == "adagrad" else "the squared gradients' moving average"
        found.append(Variant("stale", f"the step divides by {squares} as it was before this step's g * g is added "
                                      "(the previous step's, zero at the first): add first, then divide",
                             terms=Terms(stale=True)))
    if name in AVERAGED:
        rate = AVERAGED[name]
        words = (f"the moving average's weights are swapped: (1 - {rate}) * s + {rate} * g^2 where the chapter has "
                 f"{rate} * s + (1 - {rate}) * g^2")
        found.append(Variant("swapped", words, terms=Terms(swapped=True)))
    if name == "momentum":
        found += [Variant("swapped", "the velocity's weights are swapped: (1 - momentum) * v + momentum * lr * g",
                          terms=Terms(swapped=True)),
                  Variant("stale", "the weights move by the velocity before it is updated (the previous step's: "
                                   "nothing at the first step); update v first, then w -= v", terms=Terms(stale=True)),
                  Variant("dampened", "the velocity weighs the gradient by 1 - momentum, as a moving average does: "
                                      "v = momentum * v + (1 - momentum) * lr * g, where the chapter adds lr * g "
                                      "whole", terms=Terms(dampened=True))]
    if name == "adadelta":
        found.append(Variant("delta-of-gradient", "delta_average averages the squared gradient g * g where it needs "
                                                  "the squared step (the rescaled gradient g')",
                             terms=Terms(delta_of_gradient=True)))
        found.append(Variant("ratio-swapped", "the step's ratio is upside down: sqrt(s + eps) / sqrt(delta + eps) "
                                              "where the chapter has sqrt(delta + eps) / sqrt(s + eps)",
                             terms=Terms(ratio_swapped=True)))
    found += _hyperparameter_variants(optimizer)
    if name == "adam":
        found += [Variant("count-per-parameter", "the step count t advances once per parameter (inside the loop over "
                                                 "the parameters), not once per step: each parameter's bias "
                                                 "correction uses another t", terms=Terms(count="per-parameter"))]
        found += [Variant("first-correction-only", "only the first moment is bias-corrected; the second moment "
                                                   "needs dividing by 1 - beta2^t too",
                          terms=Terms(correction="first")),
                  Variant("second-correction-only", "only the second moment is bias-corrected; the first moment "
                                                    "needs dividing by 1 - beta1^t too",
                          terms=Terms(correction="second")),
                  Variant("count-ahead", "the step count t is one ahead in the bias correction (t + 1 at the first "
                                         "step, where the chapter has t = 1)", terms=Terms(count="t+1")),
                  Variant("count-stuck", "the step count never advances: the bias correction uses t = 1 at every "
                                         "step", terms=Terms(count="1"))]
    return found if rule.state or name == "sgd" else []


def _hyperparameter_variants(optimizer: Optimizer) -> list[Variant]:
    """Two of the rule's hyperparameters swapped; weight decay's term with its sign flipped, doubled, halved or
    left out."""
    values = optimizer.values
    found = [Variant(f"swapped-{a}-{b}", f"{a} and {b} are swapped: the update uses {a} = {values[b]:g} and "
                                         f"{b} = {values[a]:g}", terms=Terms(values=((a, values[b]), (b, values[a]))))
             for index, a in enumerate(values) for b in list(values)[index + 1:] if values[a] != values[b]]
    if optimizer.weight_decay:
        lam = f"lambda = {optimizer.weight_decay:g}"
        found += [Variant("decay-sign", f"weight decay has the wrong sign: the update subtracts lambda * w from the "
                                        f"gradient (or adds it to the weights), so the weights grow ({lam})",
                          terms=Terms(decay=-1.0)),
                  Variant("decay-doubled", f"weight decay's term is doubled, 2 * lambda * w ({lam}): the gradient of "
                                           "lambda * ||w||^2 without the 1/2, or the penalty both in the loss and in "
                                           "the update", terms=Terms(decay=2.0)),
                  Variant("decay-halved", f"weight decay's term is halved, lambda / 2 * w ({lam}): the gradient of "
                                          "lambda / 2 * ||w||^2 is lambda * w", terms=Terms(decay=0.5)),
                  Variant("decay-missing", f"weight decay is left out of the update ({lam})", terms=Terms(decay=0.0)),
                  Variant("decay-l1", f"weight decay is an L1 penalty: the update adds lambda * sign(w) ({lam}), the "
                                      "gradient of lambda * |w|, where the chapter's L2 penalty lambda / 2 * ||w||^2 "
                                      "adds lambda * w", terms=Terms(l1=True))]
    return found


def variants(optimizer: Optimizer) -> list[Variant]:
    """The chapter's rule first, then its legitimate alternatives and the mistakes: the classic ones (with the
    words learners know them by), then each of the rule's terms set otherwise."""
    name = optimizer.name
    found = [CORRECT]
    if name == "adam":
        found += [Variant("mxnet", "it computes MXNet's Adam (bias correction folded into the learning rate, epsilon "
                                   "added to the uncorrected root), a correct formulation", legitimate=True,
                          terms=Terms(mxnet=True)),
                  Variant("no-correction", "it forgets Adam's bias correction: divide the first moment by "
                                           "1 - beta1^t and the second by 1 - beta2^t (both start at 0)",
                          terms=Terms(correction="none")),
                  Variant("epsilon-inside", "it puts epsilon inside the root, sqrt(s_hat + eps); the chapter's Adam "
                                            "adds it outside, sqrt(s_hat) + eps", terms=Terms(epsilon="inside"))]
    if name in ("adagrad", "adadelta") and optimizer.weight_decay:
        found.append(Variant("mxnet", f"it applies weight decay after the adaptive step, as MXNet's {name} does "
                                      "(outside the accumulated squares), a correct formulation", legitimate=True,
                             terms=Terms(mxnet=True)))
    if name in ("adagrad", "rmsprop"):
        found.append(Variant("epsilon-outside", f"it adds epsilon outside the root, sqrt(s) + eps; the chapter's "
                                                f"{name} puts it inside, sqrt(s + eps)",
                             terms=Terms(epsilon="outside")))
    if optimizer.rule.state:
        reset = (f"its {name} state starts from zero at every step (reset: created inside step?): the state must "
                 "persist from one step to the next")
        found += [Variant("reset", reset, terms=Terms(reset=True)),
                  Variant("reset-count", reset, terms=Terms(reset=True, keeps_count=False))]
    found.append(Variant("undivided", "the gradient is not divided by the batch size before the update (the runner's "
                                      "loss is per example, summed by backward): g = grad / batch",
                         terms=Terms(gradient=0.0)))
    if optimizer.weight_decay:
        found.append(Variant("decayed-biases", "weight decay reaches the biases too; the chapter's penalty "
                                               "lambda / 2 * ||w||^2 (and the Trainer's wd here) is on the weights "
                                               "only",
                             terms=Terms(decays_biases=True)))
    return found + _term_variants(optimizer)


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
            return w - terms.sign * change
        beta1, beta2, eps = hyper["beta1"], hyper["beta2"], hyper["epsilon"]  # adam
        keep, new = weights(beta2)
        v = state["first_moment"] = beta1 * state["first_moment"] + (1 - beta1) * g
        s = state["second_moment"] = keep * state["second_moment"] + new * square
        if terms.mxnet:
            return w - rate * np.sqrt(1 - beta2**t) / (1 - beta1**t) * v / (np.sqrt(s) + eps)
        count = {"t": t, "t+1": t + 1, "1": 1}.get(terms.count, t)
        v_hat = v / (1 - beta1**count) if terms.correction in ("both", "first") else v
        s_hat = s / (1 - beta2**count) if terms.correction in ("both", "second") else s
        return w - terms.sign * rate * v_hat / _root(s_hat, eps, terms, True)

    return update


def _agrees(predicted: np.ndarray, actual: np.ndarray, before: np.ndarray) -> bool:
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
            if not _agrees(predicted, after[name].astype(np.float64), w):
                return False
            reported = steps.states[index] if index < len(steps.states) else {}
            for key, value in states[name].items():  # the state it reports, where it reports it: the same, or
                mine = reported.get(f"{name}:{key}")  # kept times a constant (its own bookkeeping: v negated)
                if mine is not None and not _state_agrees(state_factor(value, mine) * value, mine.astype(np.float64)):
                    return False
    return True


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


def _state_agrees(predicted: np.ndarray, actual: np.ndarray) -> bool:
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


def follows(names: tuple[str, ...], steps: Steps) -> bool:
    """Whether the steps follow one of the named variants of the rule (e.g. the chapter's or MXNet's)."""
    return any(predicts(variant, steps) for variant in variants(steps.optimizer) if variant.name in names)


def recognise(steps: Steps) -> Optional[Variant]:
    """The variant of the rule the implementation's steps follow (the chapter's first), or None when none does."""
    return next((variant for variant in variants(steps.optimizer) + fitted(steps) if predicts(variant, steps)), None)


MOVING_AVERAGES = {"rmsprop": (("square_average", "gamma", True),), "adadelta": (("square_average", "rho", True),),
                   "adam": (("first_moment", "beta1", False), ("second_moment", "beta2", True))}


def _gradients(steps: Steps, index: int) -> dict[str, np.ndarray]:
    """The rule's gradient at step `index`: the summed gradient over the batch, plus weight decay's term."""
    optimizer, batch = steps.optimizer, steps.batch_sizes[index]
    return {name: g.astype(np.float64) / batch + (optimizer.weight_decay * steps.before[index][name]
                                                  if optimizer.decays(name) else 0.0)
            for name, g in steps.gradients[index].items()}


def _joined(arrays: list[Optional[np.ndarray]]) -> Optional[np.ndarray]:
    if not arrays or any(a is None for a in arrays):
        return None
    return np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])


def fitted(steps: Steps) -> list[Variant]:
    """The rule with its decay rates fitted to the state the implementation reports (a moving average's rate from
    its first step, s_1 = (1 - rate) * q_1; momentum's from its second, v_2 = m * v_1 + lr * g_2), where a rate
    differs from the rule's: one variant naming the values, or none."""
    optimizer, reported = steps.optimizer, steps.states
    values, fits = optimizer.values, {}
    if not reported:
        return []
    grads = _gradients(steps, 0)
    for state, rate_name, squared in MOVING_AVERAGES.get(optimizer.name, ()):
        moved = _joined([reported[0].get(f"{name}:{state}") for name in grads])
        taken = _joined([g * g if squared else g for g in grads.values()])
        if moved is not None and taken is not None and taken @ taken > 0:
            fits[rate_name] = 1 - float(moved @ taken) / float(taken @ taken)
    if optimizer.name == "momentum" and len(reported) > 1 and len(steps.gradients) > 1:
        first = _joined([reported[0].get(f"{name}:momentum") for name in grads])
        second = _joined([reported[1].get(f"{name}:momentum") for name in grads])
        later = _joined(list(_gradients(steps, 1).values()))
        if first is not None and second is not None and later is not None and first @ first > 0:
            fits["momentum"] = float((second - steps.learning_rate * later) @ first) / float(first @ first)
    fits = {key: value for key, value in fits.items()
            if np.isfinite(value) and abs(value - values[key]) > 1e-3 * max(abs(values[key]), 1e-3)}
    if not fits:
        return []
    words = ", ".join(f"{key} = {value:.4g} where the rule's {key} is {values[key]:g}" for key, value in fits.items())
    return [Variant("fitted", f"its update uses {words} (fitted to its state after the first steps): a hyperparameter "
                              "written into the update by hand, or the wrong one used",
                    terms=Terms(values=tuple(fits.items())))]


def steps_from(values: dict[str, np.ndarray], initial: dict[str, np.ndarray], batch_sizes: list[int],
               optimizer: Optimizer, learning_rate: float) -> Optional[Steps]:
    """An implementation's steps from what `check` recorded of it (None where a step's gradient or weights were
    not recorded: data parallel, or plain SGD)."""
    from compare.checking.probe import after_step, gradient_at_step

    before, after, gradients, states = [], [], [], []
    weights = dict(initial)
    for index in range(len(batch_sizes)):
        grads = {name: values.get(f"{gradient_at_step(index)} {name}") for name in initial}
        later = {name: values.get(f"{after_step(index)} {name}") for name in initial}
        if any(value is None for value in (*grads.values(), *later.values())):
            return None
        before.append(weights)
        gradients.append(grads)  # type: ignore[arg-type]
        after.append(later)  # type: ignore[arg-type]
        prefix = f"{after_step(index)} "
        states.append({key[len(prefix):]: value for key, value in values.items()
                       if key.startswith(prefix) and ":" in key})  # the optimizer state after the step
        weights = later  # type: ignore[assignment]
    return Steps(before, after, gradients, batch_sizes, optimizer, learning_rate, states)


def without_penalty(steps: Steps) -> Steps:
    """The steps with the L2 penalty's gradient (batch * lambda * w on each weight) taken out of the recorded
    gradients: what an implementation that writes the penalty into its loss (reg-scratch's way) fed its rule."""
    optimizer = steps.optimizer
    gradients = [{name: g - batch * optimizer.weight_decay * before[name] if optimizer.decays(name) else g
                  for name, g in grads.items()}
                 for grads, before, batch in zip(steps.gradients, steps.before, steps.batch_sizes)]
    return Steps(steps.before, steps.after, gradients, steps.batch_sizes, optimizer, steps.learning_rate,
                 steps.states)


def recognise_any(steps: Steps) -> Optional[Variant]:
    """`recognise`, the penalty in the update or (with weight decay) in the loss, whichever the steps follow."""
    found = recognise(steps)
    if found is None and steps.optimizer.weight_decay:
        found = recognise(without_penalty(steps))
    return found
