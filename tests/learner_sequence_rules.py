"""Learner code for the language models under the optimization chapters' rules: the rnn-scratch chapter's RNN
(`TutorialRNN`: its get_params, rnn, grad_clipping) updated by the learner's own rule, written as the momentum,
adagrad, rmsprop, adadelta and adam chapters write theirs (`sgd_momentum(params, states, hyperparams)`, ...: state
tuples per parameter, a hyperparams dict) and called where the chapter calls `sgd`, after the clipping. CORRECT
passes `check --model rnn --optimizer RULE` on every seed; each of MISTAKES changes one thing of its chapter's rule
and must be named by its cause. `CORRECT[rule]` and `MISTAKES[rule]` (class, words the cause must contain) are what
tests/test_sequence_rules.py runs."""
import math

from implementations.mxnet_compat import mx
from implementations.rnn.tutorial import TutorialRNN

nd = mx.nd


class ChapterRuleRNN(TutorialRNN):
    """The rnn-scratch chapter's RNN whose update is the learner's `rule(params, states, hyperparams)` over the
    chapter's parameter list, with the chapter's init_*_states (zeros like each parameter)."""

    state_count = 1

    def use_optimizer(self, optimizer):
        self.hyperparams = dict(optimizer.values, t=0)
        self.state_names = optimizer.rule.state
        self.states = [tuple(nd.zeros(param.shape) for _ in range(self.state_count)) for param in self.params]

    def optimizer_state(self):
        """The learner's state tuples reported by the protocol's names, packed as `parameters()` packs the arrays."""
        names = [name for name, _, _ in self.layout]
        return {f"{canonical}:{state}": array for index, state in enumerate(self.state_names)
                for canonical, array in self._canonical({name: kept[index] for name, kept
                                                         in zip(names, self.states)}).items()}

    def step(self, batch_size, learning_rate):
        self.hyperparams["lr"] = learning_rate
        self.hyperparams["t"] += 1
        self.rule(self.params, self.states, self.hyperparams)


def sgd_momentum(params, states, hyperparams):
    for p, (v,) in zip(params, states):
        v[:] = hyperparams["momentum"] * v + hyperparams["lr"] * p.grad
        p[:] -= v


def adagrad(params, states, hyperparams):
    eps = hyperparams["epsilon"]
    for p, (s,) in zip(params, states):
        s[:] += p.grad.square()
        p[:] -= hyperparams["lr"] * p.grad / (s + eps).sqrt()


def rmsprop(params, states, hyperparams):
    gamma, eps = hyperparams["gamma"], hyperparams["epsilon"]
    for p, (s,) in zip(params, states):
        s[:] = gamma * s + (1 - gamma) * p.grad.square()
        p[:] -= hyperparams["lr"] * p.grad / (s + eps).sqrt()


def adadelta(params, states, hyperparams):
    rho, eps = hyperparams["rho"], hyperparams["epsilon"]
    for p, (s, delta) in zip(params, states):
        s[:] = rho * s + (1 - rho) * p.grad.square()
        g = ((delta + eps).sqrt() / (s + eps).sqrt()) * p.grad
        delta[:] = rho * delta + (1 - rho) * g * g
        p[:] -= g


def adam(params, states, hyperparams):
    beta1, beta2, eps = hyperparams["beta1"], hyperparams["beta2"], hyperparams["epsilon"]
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad
        s[:] = beta2 * s + (1 - beta2) * p.grad.square()
        v_bias_corr = v / (1 - beta1 ** hyperparams["t"])
        s_bias_corr = s / (1 - beta2 ** hyperparams["t"])
        p[:] -= hyperparams["lr"] * v_bias_corr / (s_bias_corr.sqrt() + eps)


def adam_operator(params, states, hyperparams):
    """Correct, MXNet's way: the fused `nd.adam_update`, the bias correction folded into its rate."""
    beta1, beta2, t = hyperparams["beta1"], hyperparams["beta2"], hyperparams["t"]
    rate = hyperparams["lr"] * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    for p, (v, s) in zip(params, states):
        nd.adam_update(p, p.grad, v, s, out=p, lr=rate, beta1=beta1, beta2=beta2, epsilon=hyperparams["epsilon"])


def _rule(function, count=1):
    return type(f"{function.__name__.title().replace('_', '')}RNN", (ChapterRuleRNN,),
                {"rule": staticmethod(function), "state_count": count})


# ---- mistakes: each one change to its chapter's rule ----------------------------------------------------------------

def adam_uncorrected(params, states, hyperparams):
    beta1, beta2, eps = hyperparams["beta1"], hyperparams["beta2"], hyperparams["epsilon"]
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad
        s[:] = beta2 * s + (1 - beta2) * p.grad.square()
        p[:] -= hyperparams["lr"] * v / (s.sqrt() + eps)  # no bias correction


def rmsprop_unrooted(params, states, hyperparams):
    gamma, eps = hyperparams["gamma"], hyperparams["epsilon"]
    for p, (s,) in zip(params, states):
        s[:] = gamma * s + (1 - gamma) * p.grad.square()
        p[:] -= hyperparams["lr"] * p.grad / (s + eps)  # the root left out


def adagrad_unsquared(params, states, hyperparams):
    eps = hyperparams["epsilon"]
    for p, (s,) in zip(params, states):
        s[:] += p.grad.abs()  # |g| accumulated, not g squared
        p[:] -= hyperparams["lr"] * p.grad / (s + eps).sqrt()


def momentum_averaged(params, states, hyperparams):
    mom = hyperparams["momentum"]
    for p, (v,) in zip(params, states):
        v[:] = mom * v + (1 - mom) * hyperparams["lr"] * p.grad  # a moving average, as Adam's first moment
        p[:] -= v


def adadelta_gamma_for_rho(params, states, hyperparams):
    rho, eps = hyperparams["rho"], hyperparams["epsilon"]
    for p, (s, delta) in zip(params, states):
        s[:] = rho * s + (1 - rho) * p.grad.square()
        g = ((delta + eps).sqrt() / (s + eps).sqrt()) * p.grad
        delta[:] = rho * delta + rho * g * g  # rho where 1 - rho belongs
        p[:] -= g


CORRECT = {
    "momentum": [_rule(sgd_momentum)],
    "adagrad": [_rule(adagrad)],
    "rmsprop": [_rule(rmsprop)],
    "adadelta": [_rule(adadelta, 2)],
    "adam": [_rule(adam, 2), _rule(adam_operator, 2)],
}
MISTAKES = {
    "adam": [(_rule(adam_uncorrected, 2), "correction")],
    "rmsprop": [(_rule(rmsprop_unrooted, 1), "root")],
    "adagrad": [(_rule(adagrad_unsquared, 1), "square")],
    "momentum": [(_rule(momentum_averaged, 1), "1 - momentum")],
    "adadelta": [(_rule(adadelta_gamma_for_rho, 2), "rho")],
}


# ---- correct updates, state reported in the learner's own form; a step that ignores the rule ------------------------

def momentum_unscaled(params, states, hyperparams):
    """Correct at a constant rate: v = m * v + g, w -= lr * v (the later edition's form); v is not the chapter's."""
    for p, (v,) in zip(params, states):
        v[:] = hyperparams["momentum"] * v + p.grad
        p[:] -= hyperparams["lr"] * v


class OwnSgdStepRNN(ChapterRuleRNN):
    """Takes the rule (use_optimizer) and then steps by the chapter's sgd all the same."""

    def step(self, batch_size, learning_rate):
        for param in self.params:
            param[:] = param - learning_rate * param.grad / batch_size


CORRECT["momentum"].append(_rule(momentum_unscaled))
MISTAKES["adam"].append((type("OwnSgdStepRNN", (OwnSgdStepRNN,), {"state_count": 2}), "ignores the rule"))
