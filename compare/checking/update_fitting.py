"""An update rule's decay rates fitted to the state an implementation reports (a moving average's rate from its
first step, momentum's from its second): where one differs from the rule's, the variant of the rule that uses
the fitted values, for `update_mistakes` to replay. Float64; no mxnet."""
from typing import Optional

import numpy as np

from compare.checking.clipping import round_threshold
from compare.checking.update_replay import Steps, Terms, Variant, first_step

MOVING_AVERAGES = {"rmsprop": (("square_average", "gamma", True),), "adadelta": (("square_average", "rho", True),),
                   "adam": (("first_moment", "beta1", False), ("second_moment", "beta2", True))}


def rule_gradients(steps: Steps, index: int) -> dict[str, np.ndarray]:
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
    grads = rule_gradients(steps, 0)
    for state, rate_name, squared in MOVING_AVERAGES.get(optimizer.name, ()):
        moved = _joined([reported[0].get(f"{name}:{state}") for name in grads])
        taken = _joined([g * g if squared else g for g in grads.values()])
        if moved is not None and taken is not None and taken @ taken > 0 and np.any(moved):  # zero: never written
            fits[rate_name] = 1 - float(moved @ taken) / float(taken @ taken)
    if optimizer.name == "momentum" and len(reported) > 1 and len(steps.gradients) > 1:
        first = _joined([reported[0].get(f"{name}:momentum") for name in grads])
        second = _joined([reported[1].get(f"{name}:momentum") for name in grads])
        later = _joined(list(rule_gradients(steps, 1).values()))
        if first is not None and second is not None and later is not None and first @ first > 0:
            fits["momentum"] = float((second - steps.learning_rate * later) @ first) / float(first @ first)
    fits = {key: value for key, value in fits.items()
            if np.isfinite(value) and abs(value - values[key]) > 1e-3 * max(abs(values[key]), 1e-3)}
    if not fits:
        return _epsilon_fitted(steps)
    words = ", ".join(f"{key} = {value:.4g} where the rule's {key} is {values[key]:g}" for key, value in fits.items())
    twice = [key for key, value in fits.items()  # judged on the complements: near 1 every rate is near its square
             if abs((1 - value) - (1 - values[key] ** 2)) <= 1e-3 * (1 - values[key] ** 2)]
    meaning = (f"{', '.join(twice)} squared: the average's line run twice in a step (its decay applied twice)"
               if len(twice) == len(fits) else
               "a hyperparameter written into the update by hand, or the wrong one used")
    return [Variant("fitted", f"its update uses {words} (fitted to its state after the first steps): {meaning}",
                    terms=Terms(values=tuple(fits.items())))]


def _first_step_mismatch(steps: Steps, gradients: dict[str, np.ndarray], epsilon: float) -> float:
    """How far the first step with `epsilon` is from the implementation's, as a share of its largest move."""
    predicted = first_step(Terms(values=(("epsilon", epsilon),)), steps, gradients)
    worst = 0.0
    for name, value in predicted.items():
        before, after = steps.before[0][name].astype(np.float64), steps.after[0][name].astype(np.float64)
        moved = float(np.abs(after - before).max(initial=0.0))
        with np.errstate(all="ignore"):
            gap = float(np.abs(value - after).max(initial=0.0))
        worst = max(worst, gap / max(moved, 1e-30) if np.isfinite(gap) else np.inf)
    return worst


def _epsilon_fitted(steps: Steps) -> list[Variant]:
    """The rule with its epsilon fitted to the first step (a search over decades, then within the best one), where
    one other than the rule's reproduces it: one variant naming the value (and the hyperparameter it equals)."""
    optimizer = steps.optimizer
    if "epsilon" not in optimizer.values or not steps.before:
        return []
    gradients = rule_gradients(steps, 0)
    grid = [10.0 ** (power / 4) for power in range(-48, 9)]  # 1e-12 ... 100, a quarter decade apart
    best = min(grid, key=lambda value: _first_step_mismatch(steps, gradients, value))
    low, high = np.log10(best) - 0.25, np.log10(best) + 0.25
    for _ in range(40):  # golden section on log10(epsilon)
        left, right = high - 0.618 * (high - low), low + 0.618 * (high - low)
        if _first_step_mismatch(steps, gradients, 10**left) <= _first_step_mismatch(steps, gradients, 10**right):
            high = right
        else:
            low = left
    value = float(10 ** ((low + high) / 2))
    rule = optimizer.values["epsilon"]
    mismatch = _first_step_mismatch(steps, gradients, value)
    if abs(value - rule) <= 1e-2 * rule or mismatch > 1e-3 or \
            _first_step_mismatch(steps, gradients, rule) <= max(10 * mismatch, 1e-3):
        return []  # the rule's own epsilon does about as well: the first step cannot tell epsilon
    known = {**optimizer.values, "the learning rate": steps.learning_rate}
    same = next((key for key, other in known.items()
                 if key != "epsilon" and other and abs(other - value) <= 1e-3 * abs(other)), "")
    if same:
        value = known[same]
    elif not round_threshold(value) or value > 1:  # 177.8 only keeps a ratio near 1: not a number anyone wrote
        return []
    named = f" — {same}'s value: {same} is read where epsilon is meant" if same else ""
    return [Variant("fitted", f"its update uses epsilon = {value:.4g} where the rule's epsilon is {rule:g} (fitted to "
                              f"its first step){named}", terms=Terms(values=(("epsilon", value),)))]
