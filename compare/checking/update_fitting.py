"""An update rule's decay rates fitted to the state an implementation reports (a moving average's rate from its
first step, momentum's from its second): where one differs from the rule's, the variant of the rule that uses
the fitted values, for `update_mistakes` to replay. Float64; no mxnet."""
from typing import Optional

import numpy as np

from compare.checking.update_replay import Steps, Terms, Variant

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
        return []
    words = ", ".join(f"{key} = {value:.4g} where the rule's {key} is {values[key]:g}" for key, value in fits.items())
    return [Variant("fitted", f"its update uses {words} (fitted to its state after the first steps): a hyperparameter "
                              "written into the update by hand, or the wrong one used",
                    terms=Terms(values=tuple(fits.items())))]
