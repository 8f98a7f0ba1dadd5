"""The update rules' classic mistakes, recognised by replaying an implementation's own steps in NumPy: from its
weights before each step and the gradient it computed there, each variant of the rule (the chapter's, and each
mistake: bias correction forgotten, state reset every step, epsilon on the wrong side of the root, the gradient
not divided by the batch, weight decay on the biases) and each of the rule's terms set otherwise (missing,
doubled, swapped, not squared, not rooted, another step count) predicts its weights after the step. The variant
that predicts every step of every parameter is what the implementation computes. Float64; no mxnet."""
import dataclasses
from typing import Optional

import numpy as np

from compare.checking.formula_fit import formula_slip
from compare.checking.update_fitting import fitted
from compare.checking.update_replay import CORRECT, Steps, Terms, Variant, predicts
from implementations.optimizers import Optimizer

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
        found.append(Variant("fresh-delta", "the step's change is taken with delta_average after this step's "
                                            "update, sqrt(delta_new + eps) / sqrt(s + eps) * g, where the rule takes "
                                            "it with delta_average before (update delta after the change is "
                                            "applied, or keep the change computed before it)",
                             terms=Terms(fresh=True)))
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
                  Variant("correction-plus", "the bias correction divides by 1 + beta^t where it divides by "
                                             "1 - beta^t (the moments by 1 + beta1^t and 1 + beta2^t: a sign typed "
                                             "the other way)", terms=Terms(correction="plus")),
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


def follows(names: tuple[str, ...], steps: Steps) -> bool:
    """Whether the steps follow one of the named variants of the rule (e.g. the chapter's or MXNet's)."""
    return any(predicts(variant, steps) for variant in variants(steps.optimizer) if variant.name in names)


def recognise(steps: Steps) -> Optional[Variant]:
    """The variant of the rule the implementation's steps follow (the chapter's first), or None when none does."""
    found = next((variant for variant in variants(steps.optimizer) if predicts(variant, steps)), None)
    if found is not None and not (found is CORRECT or found.legitimate):
        # two mistakes the same at these values (momentum 0.5 makes 1 - momentum = momentum): both are said
        also = next((variant for variant in variants(steps.optimizer) if variant is not found and
                     variant.cause and not variant.legitimate and variant.terms != found.terms
                     and variant.cause != found.cause and predicts(variant, steps)), None)
        if also is not None:
            return dataclasses.replace(found, cause=f"{found.cause}; or, the same at these values, {also.cause}")
    if found is not None:  # the fits search: only where no writing of the rule replays the steps
        return found
    fits = next((variant for variant in fitted(steps) if predicts(variant, steps)), None)
    return fits if fits is not None else formula_slip(steps)  # no writing of the rule: a single change of a line


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
    """`recognise`, the penalty in the update or (with weight decay) in the loss, whichever the steps follow; a
    correct reading of either first (the penalty in the loss, the reg-scratch chapter's way, also replays as
    "weight decay left out of the update" on the raw steps: its gradient carries the penalty already)."""
    found = recognise(steps)
    if steps.optimizer.weight_decay and (found is None or not (found is CORRECT or found.legitimate)):
        in_loss = recognise(without_penalty(steps))
        if in_loss is not None and (in_loss is CORRECT or in_loss.legitimate or found is None):
            return in_loss
    return found
