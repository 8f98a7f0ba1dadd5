"""Where epsilon sits in a rescaling rule's denominator, measured: the denominator solved per element from the
implementation's move, d = -lr * numerator / move (the numerator g, or Adam's bias-corrected first moment), set
against the forms epsilon can take with the rule's state q (Adam's bias-corrected second moment): sqrt(q) + eps,
sqrt(q + eps), max(sqrt(q), eps), sqrt(max(q, eps)) and sqrt(q) alone. Said where one other than the rule's
reproduces every element. Numpy only."""
from types import MappingProxyType

import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.state_readings import at_step
from compare.checking.update_fitting import rule_gradients

FORMS = (("sqrt(q) + eps", lambda q, eps: np.sqrt(q) + eps), ("sqrt(q + eps)", lambda q, eps: np.sqrt(q + eps)),
         ("max(sqrt(q), eps)", lambda q, eps: np.maximum(np.sqrt(q), eps)),
         ("sqrt(max(q, eps))", lambda q, eps: np.sqrt(np.maximum(q, eps))), ("sqrt(q)", lambda q, eps: np.sqrt(q)))
RULES = MappingProxyType({"adam": "sqrt(q) + eps", "rmsprop": "sqrt(q + eps)",  # the chapters' forms
                          "adagrad": "sqrt(q + eps)"})
EXACT = 1e-3


def denominator_relation(move: np.ndarray, numerator: np.ndarray, state: np.ndarray, rule: tuple) -> str:
    """`rule`: (name, learning rate, epsilon). The form epsilon takes in the denominator that reproduces the move on
    every element (the forms told apart where some q is near epsilon); '' where only the rule's does, or none."""
    name, learning_rate, eps = rule
    if name not in RULES:
        return ""
    used = (move != 0) & (numerator != 0) & (state >= 0)
    if used.sum() < 8:
        return ""
    solved = -learning_rate * numerator[used] / move[used]  # d per element
    fits = [words for words, form in FORMS
            if np.allclose(solved, form(state[used], eps), rtol=EXACT, atol=0)]
    if not fits or RULES[name] in fits:
        return ""
    return (f"divides by {fits[0]} where the rule divides by {RULES[name]} (q: its squared-gradient state"
            f"{', bias-corrected' if name == 'adam' else ''}; the denominator solved per element from the move, "
            f"-lr * {'v_hat' if name == 'adam' else 'g'} / move): "
            + ("epsilon left out" if fits[0] == "sqrt(q)" else "epsilon placed otherwise"))


def denominator_of(name: str, index: int, moved: np.ndarray, evidence: Evidence) -> str:
    """Where epsilon sits in the rule's denominator, solved from the move with the implementation's own state."""
    optimizer, own = evidence.optimizer, at_step(evidence.values, index)
    if optimizer is None or evidence.steps is None or index >= len(evidence.steps.gradients):
        return ""
    values, t = optimizer.values, index + 1
    if optimizer.name == "adam" and f"{name}:first_moment" in own and f"{name}:second_moment" in own:
        numerator = own[f"{name}:first_moment"].astype(np.float64) / (1 - values["beta1"] ** t)
        state = own[f"{name}:second_moment"].astype(np.float64) / (1 - values["beta2"] ** t)
    else:
        key = f"{name}:{'square_average' if optimizer.name == 'rmsprop' else 'square_sum'}"
        gradient = rule_gradients(evidence.steps, index).get(name)
        if key not in own or gradient is None:
            return ""
        numerator, state = gradient, own[key].astype(np.float64)
    if numerator.shape != moved.shape or state.shape != moved.shape:
        return ""
    return denominator_relation(moved.ravel(), numerator.ravel(), state.ravel(),
                                (optimizer.name, evidence.learning_rate, values.get("epsilon", 0.0)))
