"""Weight decay's term in a parameter's move, measured: under plain SGD with weight decay, the term the learner's
first step adds for it, fitted by its fewest terms of the weights and the step's gradient (a penalty's value, an
L1 sign, lambda * g, a constant, the shrink after the step); and, where the rule decays no weight of a parameter, a
move that shrinks the weights anyway (a decay by default in a helper). Float64; numpy only."""
from typing import Optional

import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.fits import sparse_fit

EXACT = 1e-4  # what a fit may leave, relative to the largest value of the term


def decay_term_relation(name: str, start: np.ndarray, moves: tuple[np.ndarray, np.ndarray], decay: float,
                        learning_rate: float, gradient: Optional[np.ndarray] = None) -> str:
    """Plain SGD with weight decay: the term the learner's first step adds for the decay, T = lambda * w -
    (mine - theirs) / lr, fitted by its fewest terms of the weights w (w, w^2, sign(w), a constant) and of the
    step's gradient g (the loss's, divided by the batch), where the rule's is lambda * w. Words where T is
    something else, ''."""
    mine, theirs = moves
    if not decay or not learning_rate or start.shape != mine.shape:
        return ""
    w = start.astype(np.float64)
    term = decay * w - (mine - theirs) / learning_rate
    if float(np.abs(term).max(initial=0.0)) <= EXACT * float(np.abs(decay * w).max(initial=0.0)):
        return (f"adds nothing for weight decay where the rule adds lambda * w = {decay:g} * w (fitted from the "
                "first step: its move is the loss's gradient step alone): no weight decay is applied to it (the "
                "decay's condition never true, or lambda never reaching the update)")
    terms = {"w": w, "w^2": w * w, "sign(w)": np.sign(w), "1": np.ones_like(w)}
    if gradient is not None and gradient.shape == w.shape:
        terms["g"] = gradient.astype(np.float64)
    # each move keeps float32's rounding of the weights it moves, divided by lr in the term: held to that too
    rounding = 4 * float(np.finfo(np.float32).eps) * float(np.abs(w).max(initial=0.0)) / learning_rate
    share = rounding / max(float(np.abs(term).max(initial=0.0)), 1e-300)
    if share > 5e-2:  # (4 ulps of the largest weight: the rounding the moves really show is a few times less)
        return ""  # the term is within float32's rounding of the weights: no fit of it is resolved
    fit = sparse_fit(term, terms, 2, max(EXACT, share))
    if fit is None or (set(fit) == {"w"} and abs(fit["w"] - decay) <= 1e-3 * decay):
        return ""
    written = " + ".join(f"{value:.4g} * {key}" if key != "1" else f"{value:.4g}"
                         for key, value in fit.items()).replace("+ -", "- ")
    meaning = {"w^2": f": the penalty's value, lambda / 2 * w^2 = {decay / 2:g} * w^2, where its gradient belongs",
               "sign(w)": ": an L1 penalty's gradient, lambda * sign(w), where L2's is lambda * w",
               "g": ": weight decay's term multiplies the gradient (lambda * g) where it multiplies the weight "
                    "(lambda * w)",
               "1": ": a constant, the same for every weight: the decay's term is taken of something fixed (a "
                    "constant or another array), not of the weights w"}
    key = next(iter(fit)) if len(fit) == 1 else ""
    extra = meaning.get(key, "") if key != "w^2" or abs(fit[key] - decay / 2) <= 1e-3 * decay else ""
    if set(fit) == {"w", "g"} and abs(fit["w"] - decay) <= 1e-3 * decay and \
            abs(fit["g"] + learning_rate * decay) <= 1e-3 * learning_rate * decay:
        extra = (f": the shrink applied after the gradient step, (w - lr * g) * (1 - lr * lambda), which decays the "
                 f"stepped weights and adds lr^2 * lambda * g (lr * lambda = {learning_rate * decay:.4g}) where the "
                 "rule decays the weights before it")
    return (f"adds {written} for weight decay where the rule adds lambda * w = {decay:g} * w (fitted from the "
            f"first step: lambda * w - (its move - the reference's) / lr){extra}")


def shrink_relation(name: str, start: np.ndarray, moves: tuple[np.ndarray, np.ndarray], learning_rate: float) -> str:
    """The move is the reference's plus c * w (the weights it starts from), c < 0, where the rule decays no weight
    of this parameter: a weight decay applied, lambda = -c / lr. Held to float32's rounding of the weights."""
    mine, theirs = moves
    w = start.astype(np.float64)
    extra = mine - theirs
    norm = float(w.ravel() @ w.ravel())
    if not learning_rate or w.shape != mine.shape or w.size < 4 or norm == 0:
        return ""
    factor = float(extra.ravel() @ w.ravel()) / norm
    rounding = 4 * float(np.finfo(np.float32).eps) * float(np.abs(w).max(initial=0.0))
    if factor >= 0 or float(np.abs(extra - factor * w).max()) > max(1e-2 * float(np.abs(extra).max()), rounding):
        return ""
    return (f"is the reference's plus {factor:.4g} * w (w: the weights it starts from): the weights shrink by "
            f"{-factor:.3g} of themselves at the step, a weight decay with lambda = {-factor / learning_rate:.4g} "
            f"(lr * lambda * w) where the rule decays no weight of {name}")


def unasked_decay(name: str, index: int, values: tuple[np.ndarray, np.ndarray, np.ndarray], evidence: Evidence) -> str:
    """`shrink_relation` at step `index` (0-based) where the rule decays no weight of `name` (`values`: the start
    both sides share, the implementation's move and the reference's), measured from the implementation's own
    weights before the step (one step's shrink, not the steps' before it too)."""
    from compare.checking.probe import after_step

    if evidence.optimizer is not None and evidence.optimizer.decays(name):
        return ""
    start, moved, wanted = values
    own = evidence.values.get(f"{after_step(index - 1)} {name}") if index > 0 else None
    own = start if own is None or own.shape != start.shape else own.astype(np.float64)
    return shrink_relation(name, own, (start + moved - own, wanted), evidence.learning_rate)
