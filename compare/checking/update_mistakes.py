"""The update rules' classic mistakes, recognised by replaying an implementation's own steps in NumPy: from its
weights before each step and the gradient it computed there, each variant of the rule (the chapter's, and each
mistake: bias correction forgotten, state reset every step, epsilon on the wrong side of the root, the gradient
not divided by the batch, weight decay on the biases) predicts its weights after the step. The variant that
predicts every step of every parameter is what the implementation computes. Float64; no mxnet."""
import dataclasses
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from implementations.optimizers import Optimizer

FLOAT32_EPS = float(np.finfo(np.float32).eps)


@dataclass(frozen=True)
class Variant:
    """One way of writing the rule: the chapter's (no cause), MXNet's (legitimate), or a mistake with its cause."""

    name: str
    cause: str = ""
    legitimate: bool = False


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


def variants(optimizer: Optimizer) -> list[Variant]:
    """The chapter's rule first, then its legitimate alternatives and classic mistakes for this optimizer."""
    name = optimizer.name
    found = [CORRECT]
    if name == "adam":
        found += [Variant("mxnet", "it computes MXNet's Adam (bias correction folded into the learning rate, epsilon "
                                   "added to the uncorrected root), a correct formulation", legitimate=True),
                  Variant("no-correction", "it forgets Adam's bias correction: divide the first moment by "
                                           "1 - beta1^t and the second by 1 - beta2^t (both start at 0)"),
                  Variant("epsilon-inside", "it puts epsilon inside the root, sqrt(s_hat + eps); the chapter's Adam "
                                            "adds it outside, sqrt(s_hat) + eps")]
    if name in ("adagrad", "adadelta") and optimizer.weight_decay:
        found.append(Variant("mxnet", f"it applies weight decay after the adaptive step, as MXNet's {name} does "
                                      "(outside the accumulated squares), a correct formulation", legitimate=True))
    if name in ("adagrad", "rmsprop"):
        found.append(Variant("epsilon-outside", f"it adds epsilon outside the root, sqrt(s) + eps; the chapter's "
                                                f"{name} puts it inside, sqrt(s + eps)"))
    if optimizer.rule.state:
        reset = (f"its {name} state starts from zero at every step (created inside step?): the state must persist "
                 "from one step to the next")
        found += [Variant("reset", reset), Variant("reset-count", reset)]  # the step count reset with it, or kept
    found.append(Variant("undivided", "the gradient is not divided by the batch size before the update (the runner's "
                                      "loss is per example, summed by backward): g = grad / batch"))
    if optimizer.weight_decay:
        found.append(Variant("decayed-biases", "weight decay reaches the biases too; the chapter's penalty "
                                               "lambda / 2 * ||w||^2 (and the Trainer's wd here) is on the weights only"))
    return found


def _step(variant: str, optimizer: Optimizer, rate: float, t: int) -> Callable:
    """(w, g, state) -> new w for one parameter, updating `state` (a dict of arrays) in place."""
    hyper = optimizer.values

    def update(w: np.ndarray, g: np.ndarray, state: dict) -> np.ndarray:
        name = optimizer.name
        if variant in ("reset", "reset-count"):
            state.clear()
        for key in optimizer.rule.state:
            state.setdefault(key, np.zeros_like(w))
        if name == "sgd":
            return w - rate * g
        if name == "momentum":
            state["momentum"] = hyper["momentum"] * state["momentum"] + rate * g
            return w - state["momentum"]
        if name == "adagrad":
            state["square_sum"] = state["square_sum"] + g * g
            root = np.sqrt(state["square_sum"]) + hyper["epsilon"] if variant == "epsilon-outside" \
                else np.sqrt(state["square_sum"] + hyper["epsilon"])
            return w - rate * g / root
        if name == "rmsprop":
            s = state["square_average"] = hyper["gamma"] * state["square_average"] + (1 - hyper["gamma"]) * g * g
            root = np.sqrt(s) + hyper["epsilon"] if variant == "epsilon-outside" else np.sqrt(s + hyper["epsilon"])
            return w - rate * g / root
        if name == "adadelta":
            rho, eps = hyper["rho"], hyper["epsilon"]
            state["square_average"] = rho * state["square_average"] + (1 - rho) * g * g
            change = np.sqrt(state["delta_average"] + eps) / np.sqrt(state["square_average"] + eps) * g
            state["delta_average"] = rho * state["delta_average"] + (1 - rho) * change * change
            return w - change
        beta1, beta2, eps = hyper["beta1"], hyper["beta2"], hyper["epsilon"]  # adam
        v = state["first_moment"] = beta1 * state["first_moment"] + (1 - beta1) * g
        s = state["second_moment"] = beta2 * state["second_moment"] + (1 - beta2) * g * g
        if variant == "mxnet":
            return w - rate * np.sqrt(1 - beta2**t) / (1 - beta1**t) * v / (np.sqrt(s) + eps)
        if variant == "no-correction":
            return w - rate * v / (np.sqrt(s) + eps)
        v_hat, s_hat = v / (1 - beta1**t), s / (1 - beta2**t)
        root = np.sqrt(s_hat + eps) if variant == "epsilon-inside" else np.sqrt(s_hat) + eps
        return w - rate * v_hat / root

    return update


def _agrees(predicted: np.ndarray, actual: np.ndarray, before: np.ndarray) -> bool:
    """The prediction within float32's rounding of the weights and a thousandth of the step they took."""
    allowed = 8 * FLOAT32_EPS * (np.abs(actual) + np.abs(before)) + 1e-3 * np.abs(actual - before).max(initial=0.0)
    return bool(np.all(np.abs(predicted - actual) <= allowed + 1e-12))


def predicts(variant: Variant, steps: Steps) -> bool:
    """Whether `variant` of the rule, replayed from the implementation's own weights and gradients, gives its
    weights after every step."""
    optimizer, states = steps.optimizer, {name: {} for name in steps.before[0]}  # type: ignore[var-annotated]
    for index, (before, after, gradients, batch) in enumerate(
            zip(steps.before, steps.after, steps.gradients, steps.batch_sizes)):
        update = _step(variant.name, optimizer, steps.learning_rate, 1 if variant.name == "reset-count" else index + 1)
        for name, weight in before.items():
            if name not in after or name not in gradients:
                return False
            w = weight.astype(np.float64)
            g = gradients[name].astype(np.float64) / (1 if variant.name == "undivided" else batch)
            decay = optimizer.weight_decay if optimizer.decays(name) or variant.name == "decayed-biases" else 0.0
            after_step = variant.name == "mxnet" and optimizer.name in ("adagrad", "adadelta")
            predicted = update(w, g if after_step else g + decay * w, states[name])
            if after_step:  # MXNet: w -= lr * (step + wd * w) (adagrad), w -= step + wd * w (adadelta)
                predicted = predicted - (steps.learning_rate if optimizer.name == "adagrad" else 1.0) * decay * w
            if not _agrees(predicted, after[name].astype(np.float64), w):
                return False
            reported = steps.states[index] if index < len(steps.states) else {}
            for key, value in states[name].items():  # the state it reports, where it reports it
                mine = reported.get(f"{name}:{key}")
                if mine is not None and not _state_agrees(value, mine.astype(np.float64)):
                    return False
    return True


def _state_agrees(predicted: np.ndarray, actual: np.ndarray) -> bool:
    """A state array within a thousandth of its own scale (its rounding differs by far less; a wrong decay rate
    or a missing correction by far more)."""
    scale = max(float(np.abs(predicted).max(initial=0.0)), float(np.abs(actual).max(initial=0.0)))
    return predicted.shape == actual.shape and bool(np.all(np.abs(predicted - actual) <= 1e-3 * scale + 1e-30))


def follows(names: tuple[str, ...], steps: Steps) -> bool:
    """Whether the steps follow one of the named variants of the rule (e.g. the chapter's or MXNet's)."""
    return any(predicts(variant, steps) for variant in variants(steps.optimizer) if variant.name in names)


def recognise(steps: Steps) -> Optional[Variant]:
    """The variant of the rule the implementation's steps follow (the chapter's first), or None when none does."""
    return next((variant for variant in variants(steps.optimizer) if predicts(variant, steps)), None)


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
