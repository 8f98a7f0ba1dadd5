"""A held-out corpus of learner code for `check`: fifteen mistakes and six correct formulations that learners of
the MXNet tutorial's from-scratch chapters (d2l-zh first edition / gluon-tutorials: softmax-regression-scratch,
mlp-scratch, dropout-scratch, cnn-scratch, batch-norm-scratch, linear-regression-scratch, reg-scratch and the
optimization chapters momentum, rmsprop, adadelta, adam) plausibly write.

It measures how well `check` explains mistakes nobody tuned it to. Written without reading check's diagnosis
code (`compare/checking/`) or the expectations of the other corpora; only the class names and docstrings of
`tests/independent_corpus.py` were skimmed, to write different mistakes. Each mistake's `first` (where the
learner's numbers first part from the reference, in the order the computation runs: layers forward, logits,
loss, gradients backwards from the loss, then per update step the rule's state before the weights, then batch
norm's moving averages) and `cause_words` (lower-case alternatives, any of which a correct explanation must
contain) were written down before the tool was first run on it, and were not changed after.

`first` holds "KIND PLACE" globs matched against check's first difference: "layer pool1", "loss",
"gradient conv1.bias", "optimizer *:momentum", "weights *", "state bn1.*", "dropout* dropout1".

Every class takes `(spec, devices)`, most a few lines over a built-in hand-written model; the update rules are
the learner's own (`LearnerRules`, the chapters' code), never `implementations/update_rules.py`. Run:

    PYTHONPATH=. python tests/heldout_corpus.py [--seeds 0,1]

Recorded on the first run (seeds 0 and 1; expectations committed before it, in 5a877cf, and unchanged since):
12 of 30 mistake checks named correctly, 14 at the right place with a wrong or no cause, 4 at another place,
none missed; 0 false alarms in 12 checks of correct formulations.
"""
from __future__ import annotations

import argparse
import fnmatch
import pathlib
from dataclasses import dataclass, field

from diagnosis_log import diagnosis_exceptions
from judge_cases import judge_cases

from compare.checking.diagnosis import NOTHING_FITS
from implementations.dropout.scratch import ScratchDropout
from implementations.lenet.scratch import ScratchLeNet
from implementations.lenet_bn.scratch import ScratchLeNetBN
from implementations.linear_regression.scratch import ScratchLinearRegression
from implementations.mlp.scratch import ScratchMLP
from implementations.mxnet_compat import mx
from implementations.softmax.scratch import ScratchSoftmax

nd = mx.nd
autograd = mx.autograd


# ---- the learner's update rules, as the optimization chapters write them -------------------------------------

class LearnerRules:
    """The chapters' `sgd`, `sgd_momentum`, `rmsprop`, `adadelta`, `adam` by hand: one dict of state arrays per
    parameter (the chapters' `init_*_states`), `hyperparams['t']` starting at 1 and counted once per step after
    every parameter is updated (the adam chapter's), and g = p.grad / batch_size (+ lambda * w on the weights:
    reg-scratch's penalty gradient) before the rule. A mistake overrides one rule method. Mixed in first."""

    data_parallel = False  # one device: the learner's own code sums nothing
    decay_in_update = True  # False where the learner writes the penalty into its loss instead

    def use_optimizer(self, optimizer):
        self.hyper = optimizer
        self.t = 1
        self.rule_states = {name: {state: nd.zeros(p.shape, ctx=p.context, dtype=p.dtype)
                                   for state in optimizer.rule.state} for name, p in self.params.items()}

    def optimizer_state(self):
        return {f"{name}:{state}": array for name, states in getattr(self, "rule_states", {}).items()
                for state, array in states.items()}

    def step(self, batch_size, learning_rate):
        hyper = getattr(self, "hyper", None)
        rule = getattr(self, "rule_" + (hyper.name if hyper else "sgd"))
        for name, p in self.params.items():
            g = p.grad / batch_size
            if hyper is not None and self.decay_in_update and hyper.weight_decay and name.endswith(".weight"):
                g = g + hyper.weight_decay * p
            rule(name, p, g, self.rule_states[name] if hyper else {}, learning_rate)
        self.t += 1 if hyper else 0

    def rule_sgd(self, name, p, g, s, lr):
        p[:] = p - lr * g

    def rule_momentum(self, name, p, g, s, lr):
        v = s["momentum"]
        v[:] = self.hyper["momentum"] * v + lr * g
        p[:] = p - v

    def rule_adagrad(self, name, p, g, s, lr):
        sq = s["square_sum"]
        sq[:] = sq + g.square()
        p[:] = p - lr * g / (sq + self.hyper["epsilon"]).sqrt()

    def rule_rmsprop(self, name, p, g, s, lr):
        gamma, sq = self.hyper["gamma"], s["square_average"]
        sq[:] = gamma * sq + (1 - gamma) * g.square()
        p[:] = p - lr * g / (sq + self.hyper["epsilon"]).sqrt()

    def rule_adadelta(self, name, p, g, s, lr):
        rho, eps, sq, delta = self.hyper["rho"], self.hyper["epsilon"], s["square_average"], s["delta_average"]
        sq[:] = rho * sq + (1 - rho) * g.square()
        g = ((delta + eps).sqrt() / (sq + eps).sqrt()) * g
        p[:] = p - g
        delta[:] = rho * delta + (1 - rho) * g * g

    def rule_adam(self, name, p, g, s, lr):
        beta1, beta2, eps, v, sq = (self.hyper["beta1"], self.hyper["beta2"], self.hyper["epsilon"],
                                    s["first_moment"], s["second_moment"])
        v[:] = beta1 * v + (1 - beta1) * g
        sq[:] = beta2 * sq + (1 - beta2) * g.square()
        v_bias_corr = v / (1 - beta1 ** self.t)
        s_bias_corr = sq / (1 - beta2 ** self.t)
        p[:] = p - lr * v_bias_corr / (s_bias_corr.sqrt() + eps)


def _layers(base, **makers):
    """`base` with some layers replaced: each maker takes (model, params) and returns the layer's function."""

    class Replaced(base):
        def layer_functions(self, p):
            return {**super().layer_functions(p), **{name: make(self, p) for name, make in makers.items()}}

    return Replaced


# ---- the learner's pieces --------------------------------------------------------------------------------------

def _pool_corners(x):
    """The four corners of every 2x2 window of stride 2, by strided slices."""
    return x[:, :, 0::2, 0::2], x[:, :, 0::2, 1::2], x[:, :, 1::2, 0::2], x[:, :, 1::2, 1::2]


def sliced_max_pool(x):
    """2x2 max pooling, stride 2, as the maximum of the windows' four corners."""
    a, b, c, d = _pool_corners(x)
    return nd.maximum(nd.maximum(a, b), nd.maximum(c, d))


def three_corner_max_pool(x):
    """The same, with a copy-paste slip: the top-right corner written twice, the bottom-right one never."""
    a, b, c, _ = _pool_corners(x)
    return nd.maximum(nd.maximum(a, b), nd.maximum(c, b))


def stable_softmax(y_hat):
    exp = (y_hat - y_hat.max(axis=1, keepdims=True)).exp()
    return exp / exp.sum(axis=1, keepdims=True)


def chapter_batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
    """batch-norm-scratch's function for a convolution's output: it RETURNS the new moving averages (the
    chapter's BatchNorm block assigns them back: `Y, self.moving_mean, self.moving_var = batch_norm(...)`)."""
    if not autograd.is_training():
        X_hat = (X - moving_mean) / nd.sqrt(moving_var + eps)
    else:
        mean = X.mean(axis=(0, 2, 3), keepdims=True)
        var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        X_hat = (X - mean) / nd.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    return gamma * X_hat + beta, moving_mean, moving_var


def _bn_args(p, layer, channels):
    shape = (1, channels, 1, 1)
    return (p[f"{layer}.gamma"].reshape(shape), p[f"{layer}.beta"].reshape(shape),
            p[f"{layer}.running_mean"].reshape(shape), p[f"{layer}.running_var"].reshape(shape))


# ---- correct formulations, written other ways than the built-ins: must pass ------------------------------------

class SlicedMaxPoolLeNet(_layers(ScratchLeNet, pool1=lambda m, p: sliced_max_pool, pool2=lambda m, p: sliced_max_pool)):
    """cnn-scratch's LeNet with both max pools as `maximum` of the four strided slices x[:, :, i::2, j::2]."""


class LogSumExpLossMLP(ScratchMLP):
    """mlp-scratch with its own cross-entropy as log-sum-exp minus the label's logit, the row's max taken out."""

    def own_loss(self, y_hat, y):
        m = y_hat.max(axis=1, keepdims=True)
        log_sum_exp = m.reshape((-1,)) + (y_hat - m).exp().sum(axis=1).log()
        return log_sum_exp - nd.pick(y_hat, y)


class LearningRateOutsideMomentumMLP(LearnerRules, ScratchMLP):
    """Momentum as `v = mom * v + g; p -= lr * v` (the learning rate taken out of the velocity: the same steps at
    a constant rate); it reports lr * v, the chapter's velocity."""

    def rule_momentum(self, name, p, g, s, lr):
        v = s["momentum"]
        v[:] = self.hyper["momentum"] * v + g
        p[:] = p - lr * v
        self.last_lr = lr

    def optimizer_state(self):
        lr = getattr(self, "last_lr", 1.0)
        return {key: lr * v for key, v in super().optimizer_state().items()}


class FoldedCorrectionAdamLinReg(LearnerRules, ScratchLinearRegression):
    """Adam with the bias correction folded into the step size, lr * sqrt(1 - beta2^t) / (1 - beta1^t), and
    epsilon scaled by sqrt(1 - beta2^t) to match: algebraically the chapter's rule."""

    def rule_adam(self, name, p, g, s, lr):
        beta1, beta2, eps, v, sq = (self.hyper["beta1"], self.hyper["beta2"], self.hyper["epsilon"],
                                    s["first_moment"], s["second_moment"])
        v[:] = beta1 * v + (1 - beta1) * g
        sq[:] = beta2 * sq + (1 - beta2) * g * g
        root = (1 - beta2 ** self.t) ** 0.5
        p[:] = p - (lr * root / (1 - beta1 ** self.t)) * v / (sq.sqrt() + eps * root)


def _channel_rows_batch_norm(model, p, layer):
    """Batch norm on the (C, N*H*W) matrix of the channels' values: statistics along each row; the moving
    averages shrunk and added to in place."""
    spec = model.spec
    gamma, beta = p[f"{layer}.gamma"], p[f"{layer}.beta"]
    moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]

    def norm(x):
        n, c, h, w = x.shape
        rows = x.transpose((1, 0, 2, 3)).reshape((c, -1))
        if autograd.is_training():
            mean = rows.mean(axis=1)
            var = (rows - mean.expand_dims(1)).square().mean(axis=1)
            moving_mean[:] *= spec.momentum
            moving_mean[:] += (1 - spec.momentum) * mean.detach()
            moving_var[:] *= spec.momentum
            moving_var[:] += (1 - spec.momentum) * var.detach()
        else:
            mean, var = moving_mean, moving_var
        rows_hat = (rows - mean.expand_dims(1)) / (var.expand_dims(1) + spec.epsilon).sqrt()
        out = gamma.expand_dims(1) * rows_hat + beta.expand_dims(1)
        return out.reshape((c, n, h, w)).transpose((1, 0, 2, 3))

    return norm


class ChannelRowsBatchNormLeNet(_layers(ScratchLeNetBN, bn1=lambda m, p: _channel_rows_batch_norm(m, p, "bn1"),
                                        bn2=lambda m, p: _channel_rows_batch_norm(m, p, "bn2"))):
    """batch-norm-scratch with the channels as rows of a (C, N*H*W) matrix: x.transpose((1, 0, 2, 3))."""


class ShrinkWeightDecay(LearnerRules, ScratchLinearRegression):
    """reg-scratch's update read as its name says: `w = (1 - lr * lambda) * w - lr * grad / batch` on the
    weights (the bias plain SGD)."""

    def step(self, batch_size, learning_rate):
        wd = self.hyper.weight_decay if hasattr(self, "hyper") else 0.0
        for name, p in self.params.items():
            shrink = 1 - learning_rate * wd if name.endswith(".weight") else 1.0
            p[:] = shrink * p - learning_rate * p.grad / batch_size


# ---- mistakes: layers, losses and labels ------------------------------------------------------------------------

class PixelsRescaledSoftmax(_layers(ScratchSoftmax, flatten=lambda m, p: lambda x: x.reshape((-1, 784)) / 255)):
    """softmax regression whose flatten also divides by 255 (the chapter's ToTensor-like scaling done a second
    time on images already in [0, 1])."""


class NoLogCrossEntropySoftmax(ScratchSoftmax):
    """cross-entropy as `-pick(softmax(y_hat), y)`: the log forgotten."""

    def own_loss(self, y_hat, y):
        return -nd.pick(stable_softmax(y_hat), y)


class WholeBatchSoftmax(ScratchSoftmax):
    """the chapter's `X.exp() / X.exp().sum()` without `axis=1, keepdims=True`: one normaliser for the whole
    batch, then `-log(pick(...))`."""

    def own_loss(self, y_hat, y):
        exp = y_hat.exp()
        return -nd.pick(exp / exp.sum(), y).log()


class ReluOnLogitsMLP(_layers(ScratchMLP, fc2=lambda m, p: lambda x: nd.relu(
        nd.FullyConnected(x, p["fc2.weight"], p["fc2.bias"], num_hidden=m.spec.num_classes)))):
    """mlp-scratch with the ReLU applied after every dense layer, the output layer too: logits clipped at 0."""


class ConvBiasTwiceLeNet(_layers(ScratchLeNet, conv1=lambda m, p: lambda x: nd.Convolution(
        x, p["conv1.weight"], p["conv1.bias"], kernel=(m.spec.conv1_kernel,) * 2, num_filter=m.spec.conv1_channels)
        + p["conv1.bias"].reshape((1, -1, 1, 1)))):
    """conv1's bias added again by hand after nd.Convolution, which already adds it."""


class ThreeCornerPoolLeNet(_layers(ScratchLeNet, pool1=lambda m, p: three_corner_max_pool)):
    """pool1 as the max of strided slices, one corner pasted twice: the bottom-right value of each window unseen."""


def _no_root_batch_norm(model, p, layer):
    spec, channels = model.spec, model.spec.normalized[layer]

    def norm(x):
        gamma, beta, moving_mean, moving_var = _bn_args(p, layer, channels)
        if autograd.is_training():
            mean = x.mean(axis=(0, 2, 3), keepdims=True)
            var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
            x_hat = (x - mean) / (var + spec.epsilon)
            p[f"{layer}.running_mean"][:] = (spec.momentum * moving_mean + (1 - spec.momentum) * mean).reshape((-1,)).detach()
            p[f"{layer}.running_var"][:] = (spec.momentum * moving_var + (1 - spec.momentum) * var).reshape((-1,)).detach()
        else:
            x_hat = (x - moving_mean) / (moving_var + spec.epsilon)
        return gamma * x_hat + beta

    return norm


class NoRootBatchNormLeNet(_layers(ScratchLeNetBN, bn1=lambda m, p: _no_root_batch_norm(m, p, "bn1"),
                                   bn2=lambda m, p: _no_root_batch_norm(m, p, "bn2"))):
    """batch norm dividing by `var + eps`: the square root forgotten (divided by the variance, not the std)."""


def _discarded_averages_batch_norm(model, p, layer):
    spec, channels = model.spec, model.spec.normalized[layer]

    def norm(x):
        y, moving_mean, moving_var = chapter_batch_norm(x, *_bn_args(p, layer, channels), spec.epsilon,
                                                        spec.momentum)
        return y  # the new moving averages land in locals and are dropped: the model's stay at their start

    return norm


class DiscardedMovingAveragesLeNet(_layers(ScratchLeNetBN, bn1=lambda m, p: _discarded_averages_batch_norm(m, p, "bn1"),
                                           bn2=lambda m, p: _discarded_averages_batch_norm(m, p, "bn2"))):
    """the chapter's functional batch_norm, whose returned moving averages are never stored back."""


class SwappedRatesDropout(_layers(ScratchDropout,
                                  dropout1=lambda m, p: lambda x: nd.Dropout(x, p=m.spec.drop2, mode="training"),
                                  dropout2=lambda m, p: lambda x: nd.Dropout(x, p=m.spec.drop1, mode="training"))):
    """dropout-scratch's drop_prob1 and drop_prob2 swapped: 0.5 after the first hidden layer, 0.2 after the second."""


# ---- mistakes: update rules and weight decay --------------------------------------------------------------------

class MovingAverageMomentumMLP(LearnerRules, ScratchMLP):
    """momentum read as the chapter's exponentially weighted moving average: `v = mom * v + (1 - mom) * lr * g;
    p -= v` (the 1 / (1 - mom) of the chapter's `(1 - mom) * (lr * g / (1 - mom))` dropped)."""

    def rule_momentum(self, name, p, g, s, lr):
        mom, v = self.hyper["momentum"], s["momentum"]
        v[:] = mom * v + (1 - mom) * lr * g
        p[:] = p - v


class HardCodedGammaRMSPropMLP(LearnerRules, ScratchMLP):
    """rmsprop with the chapter's demo `gamma = 0.9` written into the function, whatever gamma is asked for."""

    def rule_rmsprop(self, name, p, g, s, lr):
        gamma, sq = 0.9, s["square_average"]
        sq[:] = gamma * sq + (1 - gamma) * g.square()
        p[:] = p - lr * g / (sq + self.hyper["epsilon"]).sqrt()


class GradientSquaresDeltaAdaDeltaMLP(LearnerRules, ScratchMLP):
    """adadelta whose delta averages the squared raw gradient (the s line pasted): `delta = rho * delta +
    (1 - rho) * p.grad^2`, not the squared rescaled step g'."""

    def rule_adadelta(self, name, p, g, s, lr):
        rho, eps, sq, delta = self.hyper["rho"], self.hyper["epsilon"], s["square_average"], s["delta_average"]
        sq[:] = rho * sq + (1 - rho) * g.square()
        change = ((delta + eps).sqrt() / (sq + eps).sqrt()) * g
        p[:] = p - change
        delta[:] = rho * delta + (1 - rho) * g.square()


class LearningRateAdaDeltaMLP(LearnerRules, ScratchMLP):
    """adadelta stepping `p -= lr * g'`: a learning rate the rule does not have (the model's 0.5 here)."""

    def rule_adadelta(self, name, p, g, s, lr):
        rho, eps, sq, delta = self.hyper["rho"], self.hyper["epsilon"], s["square_average"], s["delta_average"]
        sq[:] = rho * sq + (1 - rho) * g.square()
        g = ((delta + eps).sqrt() / (sq + eps).sqrt()) * g
        p[:] = p - lr * g
        delta[:] = rho * delta + (1 - rho) * g * g


class PerParameterStepAdamLinReg(LearnerRules, ScratchLinearRegression):
    """adam with `hyperparams['t'] += 1` indented into the parameter loop: t counts parameters, not steps (the
    weight's first step uses t = 1, the bias's t = 2, the next step t = 3 and 4, ...)."""

    def rule_adam(self, name, p, g, s, lr):
        super().rule_adam(name, p, g, s, lr)
        self.t += 1

    def step(self, batch_size, learning_rate):
        super().step(batch_size, learning_rate)
        self.t -= 1  # the loop's increments are the only ones


class DoubledPenaltyWeightDecay(ScratchLinearRegression):
    """reg-scratch's penalty written into the loss as `lambda * (w ** 2).sum()`, without the chapter's `/ 2`."""

    data_parallel = False
    penalty = 0.0

    def use_optimizer(self, optimizer):
        self.penalty = optimizer.weight_decay  # into the loss; the update stays plain SGD

    def optimizer_state(self):
        return {}

    def step(self, batch_size, learning_rate):
        for p in self.params.values():
            p[:] = p - learning_rate * p.grad / batch_size

    def own_loss(self, y_hat, y):
        loss = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).reshape((-1,))
        if not autograd.is_recording():
            return loss
        return loss + self.penalty * (self.params["fc1.weight"] ** 2).sum()


# ---- the corpus ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One learner class, where it is checked, and (for a mistake) what check should say."""

    name: str
    factory: type
    model: str
    what: str
    first: tuple[str, ...] = ()  # "KIND PLACE" globs; empty: a correct formulation that must pass
    cause_words: tuple[str, ...] = ()
    optimizer: str = "sgd"
    optimizer_params: tuple[tuple[str, float], ...] = ()
    weight_decay: float = 0.0

    @property
    def group(self) -> tuple:
        return (self.model, self.optimizer, self.optimizer_params, self.weight_decay)


def _entry(factory, model, first=(), words=(), **options) -> Entry:
    return Entry(factory.__name__, factory, model, (factory.__doc__ or "").split("\n")[0].strip(),
                 tuple(first), tuple(words), **options)


TWICE = ("twice", "double", "2x", "factor 2", "factor of 2", "two times", "2 times")

CORRECT = [
    _entry(SlicedMaxPoolLeNet, "lenet"),
    _entry(LogSumExpLossMLP, "mlp"),
    _entry(LearningRateOutsideMomentumMLP, "mlp", optimizer="momentum", optimizer_params=(("momentum", 0.9),)),
    _entry(FoldedCorrectionAdamLinReg, "linear-regression", optimizer="adam"),
    _entry(ChannelRowsBatchNormLeNet, "lenet-bn"),
    _entry(ShrinkWeightDecay, "weight-decay", weight_decay=3.0),
]

MISTAKES = [
    _entry(PixelsRescaledSoftmax, "softmax", ["layer flatten"], ["255", "0.0039", "factor", "scale"]),
    _entry(NoLogCrossEntropySoftmax, "softmax", ["loss"],
           ["logarithm", "log(", " log ", "-log", "log of", "log-prob", "the log", "exp("]),
    _entry(WholeBatchSoftmax, "softmax", ["loss"],
           ["axis", "whole batch", "entire batch", "all examples", "every example", "across the batch",
            "over the batch", "batch's"]),
    _entry(ReluOnLogitsMLP, "mlp", ["layer fc2"], ["relu", "max(0", "maximum(", "clipped", "negative"]),
    _entry(ConvBiasTwiceLeNet, "lenet", ["gradient conv1.bias"], TWICE),
    _entry(ThreeCornerPoolLeNet, "lenet", ["layer pool1"], ["window", "corner", "three", "3 of 4", "3 of the 4"]),
    _entry(NoRootBatchNormLeNet, "lenet-bn", ["layer bn1"], ["sqrt", "root", "standard deviation"]),
    _entry(DiscardedMovingAveragesLeNet, "lenet-bn", ["state bn1.*", "batchnorm* bn1"],
           ["never", "not updated", "unchanged", "stays", "stay at", "zero", "in place", "discard", "not stored",
            "not written", "not kept"]),
    _entry(SwappedRatesDropout, "dropout", ["layer dropout1", "dropout* dropout1"],
           ["0.5", "50%", "50 %", "half", "rate", "probability", "80%"]),
    _entry(MovingAverageMomentumMLP, "mlp", ["optimizer *:momentum"],
           ["1 - momentum", "1-momentum", "(1 - m", "0.1", "moving average", "damp"],
           optimizer="momentum", optimizer_params=(("momentum", 0.9),)),
    _entry(HardCodedGammaRMSPropMLP, "mlp", ["optimizer *:square_average"],
           ["0.9", "gamma", "10x", "factor 10", "hyperparameter"],
           optimizer="rmsprop", optimizer_params=(("gamma", 0.99),)),
    _entry(GradientSquaresDeltaAdaDeltaMLP, "mlp", ["optimizer *:delta_average"],
           ["change", "rescaled", "g'", "delta x", "δx", "squared step", "the step's"], optimizer="adadelta"),
    _entry(LearningRateAdaDeltaMLP, "mlp", ["weights *"], ["learning rate", "0.5", "half", "lr "],
           optimizer="adadelta"),
    _entry(PerParameterStepAdamLinReg, "linear-regression", ["weights *"],
           ["step count", "step number", "time step", "timestep", "bias correction", "t =", "t="], optimizer="adam"),
    _entry(DoubledPenaltyWeightDecay, "weight-decay", ["loss", "gradient fc1.weight", "weights fc1.weight"],
           TWICE + ("/ 2", "2 *", "2λ", "2 lambda", "half"), weight_decay=3.0),
]

ENTRIES = CORRECT + MISTAKES


# ---- running the tool -------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    entry: Entry
    seed: int
    passed: bool
    quantity: str = ""  # check's first difference: its kind ...
    layer: str = ""  # ... and place
    explanation: str = ""
    first_failed: str = ""  # the first failed row in computation order (for the record)
    diagnosis_raised: str = ""  # what the diagnosis of this entry raised (its verdict then falls back), if anything
    verdict: str = field(default="")

    def __post_init__(self) -> None:
        self.verdict = self.judge()

    @property
    def where(self) -> str:
        return f"{self.quantity} {self.layer}".strip()

    @property
    def spellings(self) -> tuple[str, ...]:
        """The place as `where` says it ('dropout masks dropout1') and as check's row names it ('dropout dropout1
        masks'): one place, two spellings; a glob may be written for either."""
        kind, _, rest = self.quantity.partition(" ")
        return (self.where, " ".join(part for part in (kind, self.layer, rest) if part))

    def judge(self) -> str:
        if not self.entry.first:
            return "passed" if self.passed else "false alarm"
        if self.passed:
            return "missed"
        if self.quantity == "failure":
            return "crashed"
        if self.quantity == "refused":  # check refused it in one line: a failure with its reason, at no place
            return "refused"
        if not any(fnmatch.fnmatchcase(place.lower(), pattern.lower()) for pattern in self.entry.first
                   for place in self.spellings):
            return "wrong place"
        # what check lists as *not* fitting names no cause: its words (offset, sign, axes, shift) must not count
        text = self.explanation.lower().replace(NOTHING_FITS.lower(), "")
        if any(word.lower() in text for word in self.entry.cause_words):
            return "named correctly"
        return "right place, wrong or no cause"


def groups(entries: list[Entry]) -> dict[tuple, list[Entry]]:
    found: dict[tuple, list[Entry]] = {}
    for entry in entries:
        found.setdefault(entry.group, []).append(entry)
    return found


def check_group(entries: list[Entry], seed: int) -> dict[str, Outcome]:
    """One `compare.check` of every entry of one (model, optimizer, parameters, weight decay) on `seed`; where
    check refuses the group in one line (an entry breaks the protocol), each entry alone, the refused one recorded
    as crashed with check's line."""
    from compare.errors import UsageError

    try:
        return _check_together(entries, seed)
    except UsageError:
        if len(entries) == 1:
            raise
    outcomes = {}
    for entry in entries:
        try:
            outcomes.update(_check_together([entry], seed))
        except UsageError as refusal:
            outcomes[entry.name] = Outcome(entry, seed, False, quantity="refused", explanation=str(refusal))
    return outcomes


def _check_together(entries: list[Entry], seed: int) -> dict[str, Outcome]:
    import compare
    from compare.results.measures import in_computation_order

    first = entries[0]
    options: dict = {"seed": seed}
    if first.optimizer != "sgd":
        options["optimizer"] = first.optimizer
    if first.optimizer_params:
        options["optimizer_params"] = dict(first.optimizer_params)
    if first.weight_decay:
        options["weight_decay"] = first.weight_decay
    with diagnosis_exceptions() as raised:
        result = compare.check(model=first.model, implementations={e.name: e.factory for e in entries}, **options)
    differences = {d.implementation: d for d in result.differences()}
    outcomes = {}
    for entry in entries:
        rows = result.data.for_implementation(entry.name)
        failed = [row for row in rows if row.failed]
        passed = not failed and entry.name not in result.data.failures
        difference = differences.get(entry.name)
        ordered = in_computation_order(failed) if failed else []
        outcomes[entry.name] = Outcome(
            entry, seed, passed,
            quantity=difference.quantity if difference else "", layer=difference.layer if difference else "",
            explanation=difference.explanation if difference else "",
            first_failed=ordered[0].quantity if ordered else "",
            diagnosis_raised="; ".join(text for text in raised if f"diagnosing {entry.name} failed" in text))
    return outcomes


def run_entries(entries: list[Entry], seeds: tuple[int, ...] = (0, 1)) -> list[Outcome]:
    """Every entry of a corpus checked on every seed, one `compare.check` per group."""
    outcomes = []
    for seed in seeds:
        for group in groups(entries).values():
            verdicts = check_group(group, seed)
            outcomes += [verdicts[entry.name] for entry in group]
    return outcomes


def summarize(outcomes: list[Outcome], entries: list[Entry]) -> str:
    """Each outcome (what was expected and what check said, where it did not pass) and the totals."""
    mistakes = [o for o in outcomes if o.entry.first]
    correct = [o for o in outcomes if not o.entry.first]
    counts: dict[str, int] = {}
    for o in mistakes:
        counts[o.verdict] = counts.get(o.verdict, 0) + 1
    lines = []
    for o in sorted(outcomes, key=lambda o: (entries.index(o.entry), o.seed)):
        opt = o.entry.optimizer + "".join(f",{k}={v:g}" for k, v in o.entry.optimizer_params)
        opt += f",wd={o.entry.weight_decay:g}" if o.entry.weight_decay else ""
        lines.append(f"[seed {o.seed}] {o.entry.name} ({o.entry.model}/{opt}): {o.verdict}"
                     + (f"\n    expected {list(o.entry.first)} words {list(o.entry.cause_words)}" if o.entry.first else "")
                     + (f"\n    got [{o.where}] first failed row [{o.first_failed}]\n    {o.explanation}"
                        if not o.passed else "")
                     + (f"\n    its diagnosis raised: {o.diagnosis_raised}" if o.diagnosis_raised else ""))
    named = counts.get("named correctly", 0)
    false_alarms = sum(o.verdict == "false alarm" for o in correct)
    lines.append(f"mistakes: {named} of {len(mistakes)} named correctly; "
                 + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    lines.append(f"correct formulations: {false_alarms} false alarms of {len(correct)}")
    return "\n".join(lines)


def run(seeds: tuple[int, ...] = (0, 1)) -> list[Outcome]:
    return run_entries(ENTRIES, seeds)


def summary(outcomes: list[Outcome]) -> str:
    return summarize(outcomes, ENTRIES)


def main(entries: list[Entry], description: str) -> None:
    """The command line of a corpus module: `--seeds 0,1`, then every verdict and the totals."""
    parser = argparse.ArgumentParser(description=description.split("\n")[0])
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--judge", type=pathlib.Path, help="also write the mistakes' verdicts here, for a judge")
    arguments = parser.parse_args()
    if arguments.judge is not None and arguments.judge.exists():
        parser.error(f"{arguments.judge} exists: it is not overwritten")
    outcomes = run_entries(entries, tuple(int(s) for s in arguments.seeds.split(",")))
    print(summarize(outcomes, entries))
    if arguments.judge is not None:
        arguments.judge.write_text(judge_cases(outcomes))


if __name__ == "__main__":
    main(ENTRIES, __doc__)
