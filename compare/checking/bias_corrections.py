"""Adam's bias corrections read from a move's factor against the reference's: one moment's correction written
otherwise (beta * t, the step count one ahead or behind, stuck, none), or both taken at another step count t'
(advanced twice, one ahead, or by the batch: the examples seen where the steps are meant). Numpy."""
import numpy as np

CORRECTIONS = (  # (words, the power-like term c(beta, t) a bias correction 1 - c may be written with)
    ("beta * t (times t, not to the power t)", lambda beta, t: beta * t),
    ("beta^(t + 1) (the step count one ahead)", lambda beta, t: beta ** (t + 1)),
    ("beta^(t - 1) (the step count one behind)", lambda beta, t: beta ** (t - 1)),
    ("beta (the step count stuck at 1)", lambda beta, t: beta),
    ("0 (no correction)", lambda beta, t: 0.0),
)
MOMENTS = (("beta1", "first moment v", False), ("beta2", "second moment s", True))


def correction_relation(factor: float, t: int, optimizer: object, seen: int = 0) -> str:
    """Adam's move at step t is `factor` times the reference's: which moment's bias correction, written 1 - c(beta,
    t) in place of 1 - beta^t, or which step count for both, gives that factor (epsilon aside; `seen`: the examples
    seen by step t); '' where none does."""
    if getattr(optimizer, "name", "") != "adam":
        return ""
    values = optimizer.values
    for key, moment, rooted in MOMENTS:
        beta = values[key]
        due = 1 - beta ** t
        for words, written in CORRECTIONS:
            taken = 1 - written(beta, t)
            if taken == 0 or (rooted and taken / due < 0):
                continue  # no such correction, or the root of a negative number: not what the steps took
            predicted = np.sqrt(taken / due) if rooted else due / taken
            if np.isfinite(predicted) and abs(predicted - factor) <= 1e-3 * abs(factor):
                said = words.replace("beta", key)
                return (f"its {moment}'s bias correction divides by 1 - {said} = {taken:.4g}, where the rule's "
                        f"divides by 1 - {key}^t = {due:.4g} at t = {t}")
    return _step_count_relation(factor, t, values, seen)


STEP_COUNTS = (("2t - 1 (t advanced twice per step: 1, 3, 5, ...)", lambda t: 2 * t - 1),
               ("2t (t advanced twice per step from 2)", lambda t: 2 * t),
               ("t + 1 (one ahead)", lambda t: t + 1), ("t - 1 (one behind)", lambda t: t - 1))


def _count_factor(t: int, taken: int, values: dict[str, float]) -> float:
    """Adam's move with both bias corrections taken at t' = `taken`, against the rule's at t (epsilon aside)."""
    beta1, beta2 = values["beta1"], values["beta2"]
    return (1 - beta1 ** t) / (1 - beta1 ** taken) * np.sqrt((1 - beta2 ** taken) / (1 - beta2 ** t))


def _step_count_relation(factor: float, t: int, values: dict[str, float], seen: int = 0) -> str:
    """Both of Adam's bias corrections taken at another step count t' (a counter advanced twice, one ahead or one
    behind; or `seen`, the examples seen so far, the counter advanced by the batch): the factor
    (1 - beta1^t) / (1 - beta1^t') * sqrt((1 - beta2^t') / (1 - beta2^t)); ''."""
    for words, counted in STEP_COUNTS:
        taken = counted(t)
        if taken < 1 or taken == t:
            continue
        if abs(_count_factor(t, taken, values) - factor) <= 1e-3 * abs(factor):
            return (f"both bias corrections are taken at step count t = {taken} where the rule's t = {t}: the "
                    f"counter runs as {words}")
    if seen > t and abs(_count_factor(t, seen, values) - factor) <= 1e-3 * abs(factor):
        return (f"both bias corrections are taken at step count t = {seen}, the examples seen so far, where the "
                f"rule's t = {t}: the counter advances by the batch, not by 1")
    return ""  # t' solved from the factor alone would fit some count by chance: a factor near 1.4 has a t' near 200
