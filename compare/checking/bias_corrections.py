"""Adam's bias corrections read from a move's factor against the reference's: one moment's correction written
otherwise (beta * t, the step count one ahead or behind, stuck, none), or both taken at another step count t'
(advanced twice, one ahead, or by the batch: the examples seen where the steps are meant); and, where epsilon
tells the moments apart, each moment's correction fitted from the move itself (`measured_corrections`). Numpy."""
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


EXACT = 1e-3  # what the fitted move may leave of each element's own move: float32's rounding, not a near miss
FLOOR = 1e-5  # moves below this share of the largest are left out: the weights' rounding swamps them
APART = 1e-3  # the two columns' least singular value, relative to the largest, below which only their ratio is
# measured (every element's root far above epsilon makes the move c1 / c2 * m / sqrt(s): one number, a factor)


def measured_corrections(move: np.ndarray, moments: tuple[np.ndarray, np.ndarray], t: int, optimizer: object,
                         learning_rate: float) -> str:
    """Adam's move at step t as -lr * c1 * v / (c2 * sqrt(s) + eps), with c1 and c2 fitted (a line in them:
    -move * eps = lr * c1 * v + c2 * move * sqrt(s)) on the implementation's own moments `moments` (v, s after
    the step), each against the rule's 1 / (1 - beta^t) (for s, under the root): which moment's correction
    differs and how, read from the fitted number. '' where the two are not told apart (epsilon matters nowhere),
    the fit is not exact, or both are the rule's."""
    if getattr(optimizer, "name", "") != "adam":
        return ""
    values, (first, second) = optimizer.values, (np.asarray(m, dtype=np.float64).ravel() for m in moments)
    move = np.asarray(move, dtype=np.float64).ravel()
    eps, largest = values["epsilon"], float(np.abs(move).max(initial=0.0))
    used = (first != 0) & (np.abs(move) > FLOOR * largest) & (second >= 0) & np.isfinite(first) & \
        np.isfinite(second) & np.isfinite(move)
    if used.sum() < 3 or not np.isfinite(largest):  # two numbers fitted: a third value at least to hold them to
        return ""
    move, first, root = move[used], first[used], np.sqrt(second[used])
    if used.sum() < 8:
        return _shifted_moment(move, (first, root), t, (values, learning_rate))
    c2 = 1.0
    for _ in range(4):  # each row divided by its own size, |move| * (c2 * sqrt(s) + eps): every element's
        # relative error counts alike (unweighted, the moves where epsilon matters are too small to steer the fit)
        rows = 1 / (np.abs(move) * (abs(c2) * root + eps))
        design = np.stack([learning_rate * first, move * root], axis=1) * rows[:, None]
        (c1, c2), *_ = np.linalg.lstsq(design, -move * eps * rows, rcond=None)
    norms = np.linalg.norm(design, axis=0)
    if not np.all(np.isfinite(design)) or not np.all(norms > 0):
        return _shifted_moment(move, (first, root), t, (values, learning_rate))  # a column of zeros: no pair
    singular = np.linalg.svd(design / norms, compute_uv=False)
    with np.errstate(all="ignore"):
        predicted = -learning_rate * c1 * first / (c2 * root + eps)
    if singular[-1] < APART * singular[0] or not np.all(np.abs(predicted - move) <= EXACT * np.abs(move)):
        return _shifted_moment(move, (first, root), t, (values, learning_rate))
    moments_said = [_moment_words(float(c), values[key], t, (name, key, rooted)) for c, (key, name, rooted) in
                    ((c1, ("beta1", "the first moment v", False)), (c2, ("beta2", "the second moment s", True)))]
    if not any(moments_said):  # the rule's, or numbers no correction explains: a factor relation says it
        return ""
    rule = 1 / (1 - values["beta1"] ** t), 1 / np.sqrt(1 - values["beta2"] ** t)
    return (f"is -lr * c1 * v / (c2 * sqrt(s) + eps) with c1 = {c1:.4g} and c2 = {c2:.4g}, fitted, where the "
            f"rule's at t = {t} are 1 / (1 - beta1^t) = {rule[0]:.4g} and 1 / sqrt(1 - beta2^t) = {rule[1]:.4g}"
            + "".join(f"; {words}" for words in moments_said if words))


def _moment_words(measured: float, beta: float, t: int, moment: tuple[str, str, bool]) -> "str | None":
    """One moment's measured correction against the rule's 1 / (1 - beta^t) (under the root for s): None where it
    is the rule's; words where it is none, the correction's inverse (multiplied where the rule divides), taken
    outside the root, or another step count; '' where it differs otherwise (the fitted numbers say it)."""
    name, key, rooted = moment
    due = 1 / (1 - beta ** t)
    rule = np.sqrt(due) if rooted else due

    def close(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-3 * abs(b)

    if close(measured, rule):
        return None
    if close(measured, 1.0):
        return f"{name} is not bias-corrected"
    if close(measured, 1 / rule):
        return f"{name} is multiplied by (1 - {key}^t) where the rule divides by it"
    if rooted and close(measured, due):
        return f"{name}'s correction is taken outside the root (sqrt(s) divided by 1 - {key}^t)"
    if measured != 0 and 0 < 1 / measured ** (2 if rooted else 1) < 1:
        count = np.log(1 - 1 / measured ** (2 if rooted else 1)) / np.log(beta)
        if abs(count - round(count)) <= 1e-2 and round(count) != t:
            return f"{name} is corrected as at step count t = {int(round(count))}"
    return ""


def _shifted_moment(move: np.ndarray, moments: tuple[np.ndarray, np.ndarray], t: int,
                    rule: tuple[dict, float]) -> str:
    """Adam's move as -lr * (c1 * v + c0) / (sqrt(s) / sqrt(1 - beta2^t) + eps): the second moment's correction
    the rule's, the first moment scaled and shifted, fitted (a line in c1 and c0). Named where the shift is -beta1^t
    and the scale 1: `v / 1 - beta1 ** t`, the brackets left out. '' where no shift fits exactly."""
    (values, learning_rate), (first, root) = rule, moments
    if len(np.unique(first)) < 3:
        return ""  # two numbers fitted: three distinct moments at least, so that one is left to hold them
    beta1, eps = values["beta1"], values["epsilon"]
    target = -move * (root / np.sqrt(1 - values["beta2"] ** t) + eps) / learning_rate  # c1 * v + c0, each element
    design = np.stack([first, np.ones_like(first)], axis=1)
    (c1, c0), *_ = np.linalg.lstsq(design, target, rcond=None)
    scale = float(np.abs(target).max(initial=0.0))
    if abs(c0) <= 1e-3 * scale or not np.all(np.abs(design @ np.array([c1, c0]) - target) <= EXACT * np.abs(target)):
        return ""
    said = (f"is -lr * (c1 * v + c0) / (sqrt(s_hat) + eps) with c1 = {c1:.4g} and c0 = {c0:.4g}, fitted at t = {t} "
            f"(the second moment's correction the rule's), where the rule's is v / (1 - beta1^t) = "
            f"{1 / (1 - beta1 ** t):.4g} * v: the first moment is shifted, not only scaled")
    if abs(c1 - 1) <= 1e-3 and abs(c0 + beta1 ** t) <= 1e-3 * beta1 ** t:
        said += (f"; it is v - beta1^t (= v - {beta1 ** t:.4g}): v / 1 - beta1 ** t, the brackets around (1 - "
                 "beta1^t) left out, so the division by 1 comes first")
    return said
