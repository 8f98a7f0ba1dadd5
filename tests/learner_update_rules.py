"""Learner implementations of the update rules for `check`'s verdicts, written the way the optimization chapters
write them (the state made once beside the parameters, `t` counted by hand, `p[:] -= ...`), over the chapters'
own models: correct formulations, and the classic mistakes with the words `check` must name each with.

Each is the chapter's `nd.dot` model (`TutorialMLP`, `TutorialLinearRegression`) with the learner's own
`use_optimizer`, `step` and `optimizer_state`; the docstring says what the learner wrote."""
import dataclasses

from implementations.linear_regression.tutorial import TutorialLinearRegression
from implementations.mlp.tutorial import TutorialMLP
from implementations.mxnet_compat import mx
from implementations.weight_decay.tutorial import l2_penalty

nd = mx.nd


class LearnerRule:
    """The learner's state: one tuple of arrays per parameter, made once; `t` counts the steps."""

    state_names: tuple = ()

    def use_optimizer(self, optimizer):
        self.hyper, self.t = optimizer, 0
        self.rule_state = {name: tuple(nd.zeros(p.shape, ctx=p.context, dtype=p.dtype) for _ in self.state_names)
                           for name, p in self.params.items()}

    def optimizer_state(self):
        return {f"{name}:{state}": self.canonical(name, array) for name, arrays in self.rule_state.items()
                for state, array in zip(self.state_names, arrays)}

    def step(self, batch_size, learning_rate):
        self.t += 1
        for name, p in self.params.items():
            self.update(p, p.grad / batch_size, self.rule_state[name], learning_rate)


class ChapterAdam(LearnerRule):
    """adam-scratch: v and s bias-corrected by 1 - beta^t, epsilon outside the root."""

    state_names = ("first_moment", "second_moment")

    def update(self, p, g, state, lr):
        v, s = state
        beta1, beta2, eps = self.hyper["beta1"], self.hyper["beta2"], self.hyper["epsilon"]
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * g.square()
        v_bias_corr = v / (1 - beta1 ** self.t)
        s_bias_corr = s / (1 - beta2 ** self.t)
        p[:] -= lr * v_bias_corr / (s_bias_corr.sqrt() + eps)


class EfficientAdam(ChapterAdam):
    """Adam as the paper's efficient version (and MXNet) writes it: the correction folded into the step size."""

    def update(self, p, g, state, lr):
        v, s = state
        beta1, beta2, eps = self.hyper["beta1"], self.hyper["beta2"], self.hyper["epsilon"]
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * g.square()
        p[:] -= lr * (1 - beta2 ** self.t) ** 0.5 / (1 - beta1 ** self.t) * v / (s.sqrt() + eps)


class AdamWithoutBiasCorrection(ChapterAdam):
    """Mistake: v / (sqrt(s) + eps), the moments used as they are."""

    def update(self, p, g, state, lr):
        v, s = state
        beta1, beta2, eps = self.hyper["beta1"], self.hyper["beta2"], self.hyper["epsilon"]
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * g.square()
        p[:] -= lr * v / (s.sqrt() + eps)


class AdamStateResetEveryStep(ChapterAdam):
    """Mistake: the moments made afresh inside step (and t with them)."""

    def step(self, batch_size, learning_rate):
        self.use_optimizer(self.hyper)
        super().step(batch_size, learning_rate)


class AdamEpsilonInsideTheRoot(ChapterAdam):
    """Mistake: sqrt(s_hat + eps)."""

    def update(self, p, g, state, lr):
        v, s = state
        beta1, beta2, eps = self.hyper["beta1"], self.hyper["beta2"], self.hyper["epsilon"]
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * g.square()
        p[:] -= lr * (v / (1 - beta1 ** self.t)) / (nd.sqrt(s / (1 - beta2 ** self.t) + eps))


class AdamStepWithTheGradient(ChapterAdam):
    """Mistake: both moments kept, but the step takes g where the chapter has v_bias_corr."""

    def update(self, p, g, state, lr):
        v, s = state
        beta1, beta2, eps = self.hyper["beta1"], self.hyper["beta2"], self.hyper["epsilon"]
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * g.square()
        s_bias_corr = s / (1 - beta2 ** self.t)
        p[:] -= lr * g / (s_bias_corr.sqrt() + eps)


class ChapterMomentum(LearnerRule):
    """momentum-scratch: v = mom * v + lr * g; p -= v."""

    state_names = ("momentum",)

    def update(self, p, g, state, lr):
        (v,) = state
        v[:] = self.hyper["momentum"] * v + lr * g
        p[:] -= v


class MomentumUndivided(ChapterMomentum):
    """Mistake: the velocity built from p.grad, not p.grad / batch_size."""

    def step(self, batch_size, learning_rate):
        self.t += 1
        for name, p in self.params.items():
            self.update(p, p.grad, self.rule_state[name], learning_rate)


class ChapterAdagrad(LearnerRule):
    """adagrad-scratch: s += g^2; p -= lr * g / sqrt(s + eps)."""

    state_names = ("square_sum",)

    def update(self, p, g, state, lr):
        (s,) = state
        s[:] += g.square()
        p[:] -= lr * g / (s + self.hyper["epsilon"]).sqrt()


class ChapterRMSProp(LearnerRule):
    """rmsprop-scratch: s = gamma * s + (1 - gamma) * g^2; p -= lr * g / sqrt(s + eps)."""

    state_names = ("square_average",)

    def update(self, p, g, state, lr):
        (s,) = state
        gamma = self.hyper["gamma"]
        s[:] = gamma * s + (1 - gamma) * g.square()
        p[:] -= lr * g / (s + self.hyper["epsilon"]).sqrt()


class RMSPropStateResetEveryStep(ChapterRMSProp):
    """Mistake: s made afresh inside step."""

    def step(self, batch_size, learning_rate):
        self.use_optimizer(self.hyper)
        super().step(batch_size, learning_rate)


class RMSPropDecayingTheRate(ChapterRMSProp):
    """Mistake: gamma taken as a learning-rate decay too, `lr *= gamma` after every step."""

    def step(self, batch_size, learning_rate):
        super().step(batch_size, learning_rate * self.hyper["gamma"] ** self.t)  # t: the steps taken before this one


class ChapterAdadelta(LearnerRule):
    """adadelta-scratch: s and delta, no learning rate."""

    state_names = ("square_average", "delta_average")

    def update(self, p, g, state, lr):
        s, delta = state
        rho, eps = self.hyper["rho"], self.hyper["epsilon"]
        s[:] = rho * s + (1 - rho) * g.square()
        g_prime = ((delta + eps).sqrt() / (s + eps).sqrt()) * g
        p[:] -= g_prime
        delta[:] = rho * delta + (1 - rho) * g_prime * g_prime


class PenaltyInTheLoss:
    """reg-scratch: loss + lambd * l2_penalty(w), then the plain SGD of the chapters (no decay in the update)."""

    def use_optimizer(self, optimizer):
        self.lambd = optimizer.weight_decay

    def own_loss(self, predictions, targets):
        squared = ((predictions - targets.reshape(predictions.shape)) ** 2 / 2).reshape((-1,))
        return squared + self.lambd * l2_penalty(self.params["fc1.weight"])


class PenaltyOnTheBiasToo(PenaltyInTheLoss):
    """Mistake: l2_penalty over every parameter, the bias included."""

    def own_loss(self, predictions, targets):
        return super().own_loss(predictions, targets) + self.lambd * l2_penalty(self.params["fc1.bias"])


class DecayConditionNeverTrue:
    """Mistake: reg's decay added under `if name == 'w':`, which never matches these parameters' names: no weight
    is decayed (the same steps as the penalty written into the loss, but for gradients that carry no penalty)."""

    def use_optimizer(self, optimizer):
        super().use_optimizer(dataclasses.replace(optimizer, weight_decay=0.0))


def _on(model: type, rule: type) -> type:
    return type(rule.__name__, (rule, model), {"__doc__": rule.__doc__})


CORRECT = {  # (model, optimizer) -> the learner's correct formulations, beside the built-ins
    ("mlp", "adam"): [_on(TutorialMLP, ChapterAdam), _on(TutorialMLP, EfficientAdam)],
    ("mlp", "momentum"): [_on(TutorialMLP, ChapterMomentum)],
    ("linear-regression", "adagrad"): [_on(TutorialLinearRegression, ChapterAdagrad)],
    ("linear-regression", "rmsprop"): [_on(TutorialLinearRegression, ChapterRMSProp)],
    ("linear-regression", "adadelta"): [_on(TutorialLinearRegression, ChapterAdadelta)],
    ("weight-decay", "sgd"): [_on(TutorialLinearRegression, PenaltyInTheLoss)],
}
MISTAKES = {  # (model, optimizer) -> {mistake: words its verdict must contain (the parameter or state, the cause)}
    ("mlp", "adam"): {
        _on(TutorialMLP, AdamWithoutBiasCorrection): "forgets Adam's bias correction",
        _on(TutorialMLP, AdamStateResetEveryStep): "adam state starts from zero at every step",
        _on(TutorialMLP, AdamEpsilonInsideTheRoot): "puts epsilon inside the root",
        _on(TutorialMLP, AdamStepWithTheGradient): "g read where the chapter reads v_hat",
    },
    ("mlp", "momentum"): {_on(TutorialMLP, MomentumUndivided): "the gradient is not divided by the batch size"},
    ("linear-regression", "rmsprop"): {
        _on(TutorialLinearRegression, RMSPropStateResetEveryStep): "rmsprop state starts from zero at every step",
        _on(TutorialLinearRegression, RMSPropDecayingTheRate): "a learning rate decayed or scheduled inside the steps"},
    ("weight-decay", "sgd"): {_on(TutorialLinearRegression, PenaltyOnTheBiasToo): "weight decay reaches the biases",
                              _on(TutorialLinearRegression, DecayConditionNeverTrue): "no weight decay is applied"},
}
WEIGHT_DECAY = {"weight-decay": 3.0}  # the reg chapter's lambda
