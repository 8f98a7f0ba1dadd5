"""An independent corpus of learner code for `check`: what learners of the MXNet tutorial's from-scratch chapters
(softmax-regression-scratch, mlp-scratch, dropout-scratch, cnn-scratch, batch-norm-scratch,
linear-regression-scratch, reg-scratch and the optimization chapters gd-sgd, momentum, adagrad, rmsprop,
adadelta, adam) write: correct formulations written other ways than the built-ins, and mistakes.

Written without reading check's diagnosis code or the other corpora's expectations: each mistake's `first`
(where the learner's numbers first part from the reference, in the order the computation runs) and
`cause_words` (any of which a correct explanation of the relation between the two must contain) were written
down from the mistake itself, before the tool was run on it.

`first` is "KIND PLACE" with PLACE a glob: "layer pool1", "logits", "loss", "gradient fc1.bias",
"optimizer *:momentum", "weights *", "state bn1.*"; a list gives acceptable alternatives.

Every class takes `(spec, devices)`; most are a few lines over a built-in hand-written model (what the learner's
code computes is what `check` sees). The update rules are the learner's own (`ChapterRules`), never the
built-in `update_rules`. Run as a script for the confusion numbers:

    PYTHONPATH=. python tests/independent_corpus.py [--seeds 0,1,2]
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from diagnosis_log import diagnosis_exceptions

from implementations.dropout.scratch import ScratchDropout
from implementations.lenet.scratch import ScratchLeNet
from implementations.lenet_bn.tutorial import TutorialLeNetBN
from implementations.linear_regression.scratch import ScratchLinearRegression
from implementations.linear_regression.tutorial import TutorialLinearRegression
from implementations.mlp.scratch import ScratchMLP
from implementations.mxnet_compat import mx
from implementations.softmax.scratch import ScratchSoftmax
from implementations.softmax.tutorial import TutorialSoftmax

nd = mx.nd
autograd = mx.autograd


# ---- the learner's own pieces, as the chapters write them ----------------------------------------------------

class ChapterRules:
    """The optimization chapters' update rules, hand-written with the learner's own state (one dict per
    parameter, created by `use_optimizer`, the step count t starting at 1 and incremented after each step, as
    the adam chapter's `hyperparams['t']`). Mixed in before a hand-written model; a mistake overrides one rule."""

    data_parallel = False

    def use_optimizer(self, optimizer):
        self.opt = optimizer
        self.t = 1
        self.rule_state = {name: {state: nd.zeros(p.shape, ctx=p.context, dtype=p.dtype)
                                  for state in optimizer.rule.state}
                           for name, p in self.params.items()}

    def optimizer_state(self):
        if not hasattr(self, "rule_state"):
            return {}
        return {f"{name}:{state}": self.canonical(name, array)
                for name, states in self.rule_state.items() for state, array in states.items()}

    def minibatch_gradient(self, name, p, batch_size):
        g = p.grad / batch_size
        if self.opt.weight_decay and name.endswith(".weight"):  # reg-scratch: lambda / 2 * ||w||^2, weights only
            g = g + self.opt.weight_decay * p
        return g

    def step(self, batch_size, learning_rate):
        if not hasattr(self, "opt"):  # never given an optimizer: gd-sgd
            from implementations.optimizers import SGD
            self.use_optimizer(SGD)
        for name, p in self.params.items():
            g = self.minibatch_gradient(name, p, batch_size)
            getattr(self, "rule_" + self.opt.name)(p, g, self.rule_state[name], learning_rate)
        self.t += 1

    def rule_sgd(self, p, g, s, lr):
        p[:] = p - lr * g

    def rule_momentum(self, p, g, s, lr):
        v = s["momentum"]
        v[:] = self.opt["momentum"] * v + lr * g
        p[:] = p - v

    def rule_adagrad(self, p, g, s, lr):
        acc = s["square_sum"]
        acc[:] = acc + g.square()
        p[:] = p - lr * g / (acc + self.opt["epsilon"]).sqrt()

    def rule_rmsprop(self, p, g, s, lr):
        gamma, acc = self.opt["gamma"], s["square_average"]
        acc[:] = gamma * acc + (1 - gamma) * g.square()
        p[:] = p - lr * g / (acc + self.opt["epsilon"]).sqrt()

    def rule_adadelta(self, p, g, s, lr):
        rho, eps, acc, delta = self.opt["rho"], self.opt["epsilon"], s["square_average"], s["delta_average"]
        acc[:] = rho * acc + (1 - rho) * g.square()
        change = ((delta + eps).sqrt() / (acc + eps).sqrt()) * g
        p[:] = p - change
        delta[:] = rho * delta + (1 - rho) * change * change

    def rule_adam(self, p, g, s, lr):
        beta1, beta2, eps = self.opt["beta1"], self.opt["beta2"], self.opt["epsilon"]
        v, sq = s["first_moment"], s["second_moment"]
        v[:] = beta1 * v + (1 - beta1) * g
        sq[:] = beta2 * sq + (1 - beta2) * g.square()
        v_hat = v / (1 - beta1 ** self.t)
        s_hat = sq / (1 - beta2 ** self.t)
        p[:] = p - lr * v_hat / (s_hat.sqrt() + eps)


def chapter_softmax(x):
    """softmax-regression-scratch's exp over the row's sum, with the row's largest logit taken out first."""
    x_exp = (x - x.max(axis=1, keepdims=True)).exp()
    return x_exp / x_exp.sum(axis=1, keepdims=True)


def chapter_dropout(x, drop_prob):
    """dropout-scratch: keep each unit with probability 1 - p, scale the kept ones by 1 / (1 - p)."""
    if not autograd.is_training():
        return x
    keep_prob = 1 - drop_prob
    mask = nd.random.uniform(0, 1, x.shape, ctx=x.context) < keep_prob
    return mask * x / keep_prob


def chapter_batch_norm(x, gamma, beta, moving_mean, moving_var, eps, momentum):
    """batch-norm-scratch for a convolution's (N, C, H, W) output."""
    if autograd.is_training():
        mean = x.mean(axis=(0, 2, 3), keepdims=True)
        var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        x_hat = (x - mean) / nd.sqrt(var + eps)
        moving_mean[:] = momentum * moving_mean + (1.0 - momentum) * mean.reshape((-1,)).detach()
        moving_var[:] = momentum * moving_var + (1.0 - momentum) * var.reshape((-1,)).detach()
    else:
        x_hat = (x - moving_mean.reshape((1, -1, 1, 1))) / nd.sqrt(moving_var.reshape((1, -1, 1, 1)) + eps)
    return gamma.reshape((1, -1, 1, 1)) * x_hat + beta.reshape((1, -1, 1, 1))


class OwnBatchNormLeNet(TutorialLeNetBN):
    """The chapter's LeNet with a batch norm of the learner's own: `norm(x, gamma, beta, mm, mv, eps, momentum)`."""

    norm = staticmethod(chapter_batch_norm)

    def layer_functions(self, p):
        layers = super().layer_functions(p)
        spec = self.spec

        def bn(layer):
            return lambda x: self.norm(x, p[f"{layer}.gamma"], p[f"{layer}.beta"], p[f"{layer}.running_mean"],
                                       p[f"{layer}.running_var"], spec.epsilon, spec.momentum)
        return {**layers, "bn1": bn("bn1"), "bn2": bn("bn2")}


def _replace(base, **layer_makers):
    """`base` with some layers replaced: each maker takes (model, params) and returns the layer's function."""
    class Replaced(base):
        def layer_functions(self, p):
            layers = super().layer_functions(p)
            return {**layers, **{name: make(self, p) for name, make in layer_makers.items()}}
    return Replaced


# ==== correct formulations: must pass ==========================================================================

class GreaterMaskReluLeNet(_replace(ScratchLeNet, relu1=lambda m, p: lambda x: (x > 0) * x,
                                    relu2=lambda m, p: lambda x: (x > 0) * x,
                                    relu3=lambda m, p: lambda x: (x > 0) * x)):
    """cnn-scratch's LeNet with ReLU written as `(X > 0) * X`."""


class WhereReluMLP(ChapterRules, _replace(ScratchMLP, relu1=lambda m, p: lambda x: nd.where(x > 0, x, nd.zeros_like(x)))):
    """mlp-scratch with ReLU as `nd.where(X > 0, X, 0)` and the chapter's sgd(params, lr, batch_size)."""


def _reshape_max_pool(x):
    n, c, h, w = x.shape
    return x.reshape((n, c, h // 2, 2, w // 2, 2)).max(axis=(3, 5))


class ReshapeMaxPoolLeNet(_replace(ScratchLeNet, pool1=lambda m, p: _reshape_max_pool,
                                   pool2=lambda m, p: _reshape_max_pool)):
    """Max pooling 2x2 / stride 2 without nd.Pooling: reshape to (N, C, H/2, 2, W/2, 2), max over the 2s."""


class LogSoftmaxLossMLP(ScratchMLP):
    """The MLP with its own loss: `-pick(log_softmax(logits), y)`."""

    def own_loss(self, logits, labels):
        return -nd.pick(nd.log_softmax(logits, axis=1), labels)


class ChapterSoftmaxLossMLP(ScratchMLP):
    """mlp-scratch's modest logits through the chapter's softmax (max taken out) and `-log(pick(y_hat, y))`."""

    def own_loss(self, logits, labels):
        return -nd.pick(chapter_softmax(logits), labels).log()


class OneHotLogSoftmaxSoftmax(ScratchSoftmax):
    """Softmax regression (large logits) with cross-entropy as `-(one_hot(y) * log_softmax).sum(axis=1)`."""

    def own_loss(self, logits, labels):
        return -(nd.one_hot(labels, 10) * nd.log_softmax(logits, axis=1)).sum(axis=1)


def _moments_batch_norm(x, gamma, beta, mm, mv, eps, momentum):
    if not autograd.is_training():
        return chapter_batch_norm(x, gamma, beta, mm, mv, eps, momentum)
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = (x * x).mean(axis=(0, 2, 3), keepdims=True) - mean * mean  # E[x^2] - E[x]^2
    mm[:] = momentum * mm + (1 - momentum) * mean.reshape((-1,)).detach()
    mv[:] = momentum * mv + (1 - momentum) * var.reshape((-1,)).detach()
    return gamma.reshape((1, -1, 1, 1)) * (x - mean) / nd.sqrt(var + eps) + beta.reshape((1, -1, 1, 1))


class SquareMeanBatchNorm(OwnBatchNormLeNet):
    """batch-norm-scratch with the variance as E[x^2] - E[x]^2."""

    norm = staticmethod(_moments_batch_norm)


def _nd_moments_batch_norm(x, gamma, beta, mm, mv, eps, momentum):
    if not autograd.is_training():
        return chapter_batch_norm(x, gamma, beta, mm, mv, eps, momentum)
    mean, var = nd.moments(x, axes=(0, 2, 3), keepdims=True)
    mm[:] = momentum * mm + (1 - momentum) * mean.reshape((-1,)).detach()
    mv[:] = momentum * mv + (1 - momentum) * var.reshape((-1,)).detach()
    return gamma.reshape((1, -1, 1, 1)) * (x - mean) / nd.sqrt(var + eps) + beta.reshape((1, -1, 1, 1))


class NdMomentsBatchNorm(OwnBatchNormLeNet):
    """batch-norm-scratch with the statistics from `nd.moments(X, axes=(0, 2, 3))`."""

    norm = staticmethod(_nd_moments_batch_norm)


class HandMomentumMLP(ChapterRules, ScratchMLP):
    """momentum chapter: `v[:] = mom * v + lr * g; p[:] -= v`."""


class HandAdamLeNet(ChapterRules, ScratchLeNet):
    """adam chapter: moments, bias correction with t from 1, epsilon outside the root."""


class HandRMSPropSoftmax(ChapterRules, ScratchSoftmax):
    """rmsprop chapter: `s = gamma * s + (1 - gamma) * g^2; p -= lr * g / sqrt(s + eps)`."""


class HandAdaGradLinReg(ChapterRules, TutorialLinearRegression):
    """adagrad chapter on linear-regression-scratch's model (w stored (2, 1), `nd.dot(X, w) + b`)."""


class HandAdaDeltaMLP(ChapterRules, ScratchMLP):
    """adadelta chapter: no learning rate, `g' = sqrt(delta + eps) / sqrt(s + eps) * g`."""


class GreaterThanDropDropout(_replace(ScratchDropout,
                                      dropout1=lambda m, p: lambda x: _keep_greater(x, m.spec.drop1),
                                      dropout2=lambda m, p: lambda x: _keep_greater(x, m.spec.drop2))):
    """dropout-scratch's mask drawn as `uniform(0, 1) > drop_prob` (kept with probability 1 - p), scaled 1/(1-p)."""


def _keep_greater(x, drop_prob):
    if not autograd.is_training():
        return x
    mask = nd.random.uniform(0, 1, x.shape, ctx=x.context) > drop_prob
    return mask * x / (1 - drop_prob)


def _dot_t(name):
    return lambda m, p: lambda x: nd.dot(x, p[f"{name}.weight"].T) + p[f"{name}.bias"]


class DotTransposeMomentumLeNet(ChapterRules, _replace(ScratchLeNet, fc1=_dot_t("fc1"), fc2=_dot_t("fc2"))):
    """LeNet's dense layers as `nd.dot(X, W.T) + b` on Gluon's layout, trained by the momentum chapter's rule."""


class WeightDecayInUpdate(ChapterRules, ScratchLinearRegression):
    """reg-scratch's penalty as its gradient in the update: g = grad / batch + lambda * w on the weights only."""


class FlatTargetsLinReg(ScratchLinearRegression):
    """Its own squared loss: `(y_hat.reshape(-1) - y) ** 2 / 2`."""

    def own_loss(self, predictions, targets):
        return (predictions.reshape((-1,)) - targets) ** 2 / 2


# ==== mistakes: layers =========================================================================================

def _overlapping_pool(m, p):
    return lambda x: nd.Pooling(x, pool_type="max", kernel=(3, 3), stride=(2, 2), pad=(1, 1))


class OverlappingPoolLeNet(_replace(ScratchLeNet, pool1=_overlapping_pool, pool2=_overlapping_pool)):
    """Max pooling with a 3x3 window, stride 2, padded by 1 (AlexNet's overlapping pooling; same shapes)."""


def _strided_reshape_pool(x):
    n, c, h, w = x.shape
    return x.reshape((n, c, 2, h // 2, 2, w // 2)).max(axis=(2, 4))  # pairs (i, i + H/2), not (2i, 2i + 1)


class ReshapePoolWrongAxesLeNet(_replace(ScratchLeNet, pool1=lambda m, p: _strided_reshape_pool,
                                         pool2=lambda m, p: _strided_reshape_pool)):
    """Max pooling by reshape + max with the split the wrong way round: (N, C, 2, H/2, 2, W/2), max over the 2s."""


def _flipped_conv1(m, p):
    w = p["conv1.weight"]
    return lambda x: nd.Convolution(x, nd.flip(nd.flip(w, axis=2), axis=3), p["conv1.bias"],
                                    kernel=(5, 5), num_filter=20)


class FlippedKernelLeNet(_replace(ScratchLeNet, conv1=_flipped_conv1)):
    """conv1 as the textbook's true convolution: the kernel rotated by 180 degrees before nd.Convolution."""


def _transposed_conv2(m, p):
    return lambda x: nd.Convolution(x, p["conv2.weight"].transpose((0, 1, 3, 2)), p["conv2.bias"],
                                    kernel=(3, 3), num_filter=50)


class TransposedKernelLeNet(_replace(ScratchLeNet, conv2=_transposed_conv2)):
    """conv2's kernel read as (out, in, kw, kh): its spatial axes swapped."""


class ChannelsLastFlattenLeNet(_replace(ScratchLeNet, flatten=lambda m, p: lambda x: x.transpose((0, 2, 3, 1))
                                        .reshape((x.shape[0], -1)))):
    """flatten in TensorFlow's order: (N, H, W, C) before the reshape, so fc1 sees the values permuted."""


class AbsReluLeNet(_replace(ScratchLeNet, relu3=lambda m, p: nd.abs)):
    """relu3 written as `nd.abs(X)`."""


class SigmoidMLP(_replace(ScratchMLP, relu1=lambda m, p: nd.sigmoid)):
    """mlp-scratch's hidden activation written as sigmoid where the chapter has ReLU."""


class SquareFc2WithoutTransposeDropout(_replace(ScratchDropout, fc2=lambda m, p: lambda x: nd.dot(x, p["fc2.weight"])
                                                + p["fc2.bias"])):
    """fc2 (256 x 256, square, so no shape error) as `nd.dot(X, W)` on Gluon's (units, in_units) layout."""


class ReluBeforeBiasMLP(_replace(ScratchMLP,
                                 fc1=lambda m, p: lambda x: nd.dot(x, p["fc1.weight"].T),
                                 relu1=lambda m, p: lambda h: nd.relu(h) + p["fc1.bias"])):
    """`H = relu(nd.dot(X, W1)) + b1`: the bias added after the ReLU (a misplaced parenthesis)."""


class MixedFlattenMLP(_replace(ScratchMLP, flatten=lambda m, p: lambda x: x.reshape((784, -1)).T)):
    """flatten as `X.reshape((784, -1)).T` (the shape looked right): the examples' pixels mixed together."""


# ---- batch norm

def _eps_outside(x, gamma, beta, mm, mv, eps, momentum):
    if autograd.is_training():
        mean = x.mean(axis=(0, 2, 3), keepdims=True)
        var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        mm[:] = momentum * mm + (1 - momentum) * mean.reshape((-1,)).detach()
        mv[:] = momentum * mv + (1 - momentum) * var.reshape((-1,)).detach()
    else:
        mean, var = mm.reshape((1, -1, 1, 1)), mv.reshape((1, -1, 1, 1))
    x_hat = (x - mean) / (nd.sqrt(var) + eps)
    return gamma.reshape((1, -1, 1, 1)) * x_hat + beta.reshape((1, -1, 1, 1))


class EpsOutsideRootBatchNorm(OwnBatchNormLeNet):
    """batch norm dividing by `sqrt(var) + eps` instead of `sqrt(var + eps)`."""

    norm = staticmethod(_eps_outside)


def _unbiased(x, gamma, beta, mm, mv, eps, momentum):
    if not autograd.is_training():
        return chapter_batch_norm(x, gamma, beta, mm, mv, eps, momentum)
    m = x.shape[0] * x.shape[2] * x.shape[3]
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = ((x - mean) ** 2).sum(axis=(0, 2, 3), keepdims=True) / (m - 1)
    mm[:] = momentum * mm + (1 - momentum) * mean.reshape((-1,)).detach()
    mv[:] = momentum * mv + (1 - momentum) * var.reshape((-1,)).detach()
    return gamma.reshape((1, -1, 1, 1)) * (x - mean) / nd.sqrt(var + eps) + beta.reshape((1, -1, 1, 1))


class UnbiasedVarianceBatchNorm(OwnBatchNormLeNet):
    """batch norm with the sample variance, divided by m - 1 (numpy's ddof=1 habit), in training."""

    norm = staticmethod(_unbiased)


def _swapped_momentum(x, gamma, beta, mm, mv, eps, momentum):
    if not autograd.is_training():
        return chapter_batch_norm(x, gamma, beta, mm, mv, eps, momentum)
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
    mm[:] = (1 - momentum) * mm + momentum * mean.reshape((-1,)).detach()  # PyTorch's convention with the chapter's 0.9
    mv[:] = (1 - momentum) * mv + momentum * var.reshape((-1,)).detach()
    return gamma.reshape((1, -1, 1, 1)) * (x - mean) / nd.sqrt(var + eps) + beta.reshape((1, -1, 1, 1))


class SwappedMovingAverageBatchNorm(OwnBatchNormLeNet):
    """moving averages `(1 - momentum) * moving + momentum * batch`: the momentum on the wrong term."""

    norm = staticmethod(_swapped_momentum)


def _detached_stats(x, gamma, beta, mm, mv, eps, momentum):
    if not autograd.is_training():
        return chapter_batch_norm(x, gamma, beta, mm, mv, eps, momentum)
    mean = x.mean(axis=(0, 2, 3), keepdims=True).detach()
    var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True).detach()
    mm[:] = momentum * mm + (1 - momentum) * mean.reshape((-1,)).detach()
    mv[:] = momentum * mv + (1 - momentum) * var.reshape((-1,)).detach()
    return gamma.reshape((1, -1, 1, 1)) * (x - mean) / nd.sqrt(var + eps) + beta.reshape((1, -1, 1, 1))


class DetachedStatisticsBatchNorm(OwnBatchNormLeNet):
    """batch norm with the batch mean and variance detached: no gradient flows through the statistics."""

    norm = staticmethod(_detached_stats)


# ---- dropout

def _keep_with_drop_prob(x, drop_prob):
    if not autograd.is_training():
        return x
    mask = nd.random.uniform(0, 1, x.shape, ctx=x.context) < drop_prob  # `< keep_prob` in the chapter
    return mask * x / (1 - drop_prob)


class WrongComparisonDropout(_replace(ScratchDropout,
                                      dropout1=lambda m, p: lambda x: _keep_with_drop_prob(x, m.spec.drop1),
                                      dropout2=lambda m, p: lambda x: _keep_with_drop_prob(x, m.spec.drop2))):
    """dropout mask `uniform < drop_prob`: keeps units with probability p (20% at dropout1), scaled by 1/(1-p)."""


def _scaled_by_drop(x, drop_prob):
    if not autograd.is_training():
        return x
    mask = nd.random.uniform(0, 1, x.shape, ctx=x.context) < 1 - drop_prob
    return mask * x / drop_prob


class ScaledByDropProbDropout(_replace(ScratchDropout,
                                       dropout1=lambda m, p: lambda x: _scaled_by_drop(x, m.spec.drop1),
                                       dropout2=lambda m, p: lambda x: _scaled_by_drop(x, m.spec.drop2))):
    """dropout keeping 1 - p but scaling the kept units by 1/p (5x at dropout1) instead of 1/(1-p)."""


# ---- losses and labels

class SoftmaxOverBatchSoftmax(TutorialSoftmax):
    """cross-entropy as `-pick(log_softmax(y_hat, axis=0), y)`: normalised over the batch axis, not the classes."""

    def own_loss(self, logits, labels):
        return -nd.pick(nd.log_softmax(logits, axis=0), labels)


class AllClassesCrossEntropyMLP(ScratchMLP):
    """cross-entropy as `-log_softmax(y_hat).sum(axis=1)`: every class's log-probability, the label unused."""

    def own_loss(self, logits, labels):
        return -nd.log_softmax(logits, axis=1).sum(axis=1)


class ShiftedOneHotMLP(ScratchMLP):
    """cross-entropy against `one_hot(y - 1)` (labels taken as 1-based): class 0's examples get no target."""

    def own_loss(self, logits, labels):
        return -(nd.one_hot(labels - 1, 10) * nd.log_softmax(logits, axis=1)).sum(axis=1)


class NoHalfSquaredLossLinReg(TutorialLinearRegression):
    """squared_loss as `(y_hat - y.reshape(y_hat.shape)) ** 2`, without the chapter's / 2."""

    def own_loss(self, predictions, targets):
        return ((predictions - targets.reshape(predictions.shape)) ** 2).reshape((-1,))


class UnreshapedTargetsLinReg(TutorialLinearRegression):
    """squared_loss `(y_hat - y) ** 2 / 2` with y_hat (N, 1) and y (N,): it broadcasts to (N, N); then
    `.mean(axis=1)` to get one value per example."""

    def own_loss(self, predictions, targets):
        return ((predictions - targets) ** 2 / 2).mean(axis=1)


class LossOverBatchLinReg(TutorialLinearRegression):
    """the loss already divided by the batch size (`/ len(y)`), and sgd(params, lr, batch_size) divides again."""

    def own_loss(self, predictions, targets):
        return ((predictions - targets.reshape(predictions.shape)) ** 2 / 2).reshape((-1,)) / targets.shape[0]


# ==== mistakes: update rules ===================================================================================

class SignFlippedMomentumMLP(ChapterRules, ScratchMLP):
    """momentum with `v = mom * v - lr * g` (MXNet's sign) but the chapter's `p -= v`."""

    def rule_momentum(self, p, g, s, lr):
        v = s["momentum"]
        v[:] = self.opt["momentum"] * v - lr * g
        p[:] = p - v


class StaleVelocityMomentumLeNet(ChapterRules, ScratchLeNet):
    """momentum updating the weights with the previous velocity, then the velocity: `p -= v; v = mom*v + lr*g`."""

    def rule_momentum(self, p, g, s, lr):
        v = s["momentum"]
        p[:] = p - v
        v[:] = self.opt["momentum"] * v + lr * g


class LearningRateTwiceMomentumLinReg(ChapterRules, TutorialLinearRegression):
    """momentum with `v = mom * v + lr * g; p -= lr * v`: the learning rate applied twice."""

    def rule_momentum(self, p, g, s, lr):
        v = s["momentum"]
        v[:] = self.opt["momentum"] * v + lr * g
        p[:] = p - lr * v


class UndividedMomentumSoftmax(ChapterRules, ScratchSoftmax):
    """momentum from `p.grad` itself (the chapter's loss was a mean): the gradient not divided by the batch."""

    def minibatch_gradient(self, name, p, batch_size):
        return p.grad


class GradientNotSquaredAdaGradMLP(ChapterRules, ScratchMLP):
    """AdaGrad accumulating `s += g` instead of `s += g^2`."""

    def rule_adagrad(self, p, g, s, lr):
        acc = s["square_sum"]
        acc[:] = acc + g
        p[:] = p - lr * g / (acc + self.opt["epsilon"]).sqrt()


class NotAccumulatedAdaGradSoftmax(ChapterRules, ScratchSoftmax):
    """AdaGrad with `s[:] = g.square()`: the squares not accumulated over the steps."""

    def rule_adagrad(self, p, g, s, lr):
        acc = s["square_sum"]
        acc[:] = g.square()
        p[:] = p - lr * g / (acc + self.opt["epsilon"]).sqrt()


class NoRootRMSPropSoftmax(ChapterRules, ScratchSoftmax):
    """RMSProp dividing by `s + eps` without the square root."""

    def rule_rmsprop(self, p, g, s, lr):
        gamma, acc = self.opt["gamma"], s["square_average"]
        acc[:] = gamma * acc + (1 - gamma) * g.square()
        p[:] = p - lr * g / (acc + self.opt["epsilon"])


class GammaSwappedRMSPropMLP(ChapterRules, ScratchMLP):
    """RMSProp with `s = (1 - gamma) * s + gamma * g^2`: gamma on the wrong term."""

    def rule_rmsprop(self, p, g, s, lr):
        gamma, acc = self.opt["gamma"], s["square_average"]
        acc[:] = (1 - gamma) * acc + gamma * g.square()
        p[:] = p - lr * g / (acc + self.opt["epsilon"]).sqrt()


class SwappedRatioAdaDeltaMLP(ChapterRules, ScratchMLP):
    """AdaDelta with the ratio upside down: `g' = sqrt(s + eps) / sqrt(delta + eps) * g`."""

    def rule_adadelta(self, p, g, s, lr):
        rho, eps, acc, delta = self.opt["rho"], self.opt["epsilon"], s["square_average"], s["delta_average"]
        acc[:] = rho * acc + (1 - rho) * g.square()
        change = ((acc + eps).sqrt() / (delta + eps).sqrt()) * g
        p[:] = p - change
        delta[:] = rho * delta + (1 - rho) * change * change


class NoBiasCorrectionAdamMLP(ChapterRules, ScratchMLP):
    """Adam with `p -= lr * v / (sqrt(s) + eps)`: no bias correction."""

    def rule_adam(self, p, g, s, lr):
        beta1, beta2, eps = self.opt["beta1"], self.opt["beta2"], self.opt["epsilon"]
        v, sq = s["first_moment"], s["second_moment"]
        v[:] = beta1 * v + (1 - beta1) * g
        sq[:] = beta2 * sq + (1 - beta2) * g.square()
        p[:] = p - lr * v / (sq.sqrt() + eps)


class FrozenStepCountAdamLinReg(ChapterRules, TutorialLinearRegression):
    """Adam whose `hyperparams['t'] += 1` was left out: t stays 1, the bias correction of the first step always."""

    def step(self, batch_size, learning_rate):
        super().step(batch_size, learning_rate)
        self.t = 1


class DecayedBiasesWeightDecay(ChapterRules, ScratchLinearRegression):
    """reg-scratch's penalty gradient lambda * p added to every parameter, the bias too."""

    def minibatch_gradient(self, name, p, batch_size):
        return p.grad / batch_size + self.opt.weight_decay * p


class HardCodedBatchLeNet(ChapterRules, ScratchLeNet):
    """`sgd(params, lr, 256)`: the chapter's batch size written in, not the batch's."""

    def minibatch_gradient(self, name, p, batch_size):
        return p.grad / 256


# ==== the corpus with its expectations ========================================================================

@dataclass(frozen=True)
class Entry:
    cls: type
    model: str
    optimizer: str = "sgd"
    first: tuple = ()  # acceptable "KIND PLACE" (mistakes only)
    cause_words: tuple = ()
    weight_decay: float = 0.0

    @property
    def name(self) -> str:
        return self.cls.__name__

    @property
    def what(self) -> str:
        return " ".join((self.cls.__doc__ or "").split())

    @property
    def group(self) -> tuple:
        return (self.model, self.optimizer, self.weight_decay)


def ok(cls, model, optimizer="sgd", weight_decay=0.0):
    return Entry(cls, model, optimizer, weight_decay=weight_decay)


def wrong(cls, model, first, words, optimizer="sgd", weight_decay=0.0):
    first = (first,) if isinstance(first, str) else tuple(first)
    return Entry(cls, model, optimizer, first, tuple(words), weight_decay)


CORRECT = [
    ok(GreaterMaskReluLeNet, "lenet"),
    ok(WhereReluMLP, "mlp"),
    ok(ReshapeMaxPoolLeNet, "lenet"),
    ok(LogSoftmaxLossMLP, "mlp"),
    ok(OneHotLogSoftmaxSoftmax, "softmax"),
    ok(SquareMeanBatchNorm, "lenet-bn"),
    ok(NdMomentsBatchNorm, "lenet-bn"),
    ok(HandMomentumMLP, "mlp", "momentum"),
    ok(HandAdamLeNet, "lenet", "adam"),
    ok(HandRMSPropSoftmax, "softmax", "rmsprop"),
    ok(HandAdaGradLinReg, "linear-regression", "adagrad"),
    ok(HandAdaDeltaMLP, "mlp", "adadelta"),
    ok(GreaterThanDropDropout, "dropout"),
    ok(DotTransposeMomentumLeNet, "lenet", "momentum"),
    ok(WeightDecayInUpdate, "weight-decay", weight_decay=3.0),
    ok(FlatTargetsLinReg, "linear-regression"),
]

MISTAKES = [
    # layers
    wrong(OverlappingPoolLeNet, "lenet", "layer pool1", ["window", "3x3", "overlap"]),
    wrong(ReshapePoolWrongAxesLeNet, "lenet", "layer pool1", ["window", "stride", "permut", "order", "adjacent"]),
    wrong(FlippedKernelLeNet, "lenet", "layer conv1", ["flip", "rotat", "180", "revers"]),
    wrong(TransposedKernelLeNet, "lenet", "layer conv2", ["transpos", "swap"]),
    wrong(ChannelsLastFlattenLeNet, "lenet", "layer flatten", ["order", "permut", "transpos", "channel"]),
    wrong(AbsReluLeNet, "lenet", "layer relu3", ["abs", "negative"]),
    wrong(SigmoidMLP, "mlp", "layer relu1", ["sigmoid", "logistic"]),
    wrong(SquareFc2WithoutTransposeDropout, "dropout", "layer fc2", ["transpos"]),
    wrong(ReluBeforeBiasMLP, "mlp", "gradient fc1.bias", ["relu", "inactive", "negative", "mask", "switched off"]),
    wrong(MixedFlattenMLP, "mlp", "layer flatten", ["permut", "order", "mix", "reshape", "transpos"]),
    # batch norm
    wrong(EpsOutsideRootBatchNorm, "lenet-bn", "layer bn1", ["epsilon", "eps"]),
    # The issue this corpus serves (#34) asks that -log(pick(softmax(z))) be caught where the true class is ~100
    # below the largest logit (softmax there is 0 in float32, its log -inf, the fused loss finite): a mistake.
    wrong(ChapterSoftmaxLossMLP, "mlp", "loss", ["unstable", "inf"]),
    wrong(UnbiasedVarianceBatchNorm, "lenet-bn", "layer bn1",
          ["unbiased", "n-1", "n - 1", "m-1", "m - 1", "bessel", "sample variance"]),
    wrong(SwappedMovingAverageBatchNorm, "lenet-bn", "state bn1.*", ["momentum", "0.1", "swap", "1 - momentum"]),
    wrong(DetachedStatisticsBatchNorm, "lenet-bn", ["gradient conv2.weight", "gradient conv2.bias"],
          ["detach", "statistic", "through the mean", "batch mean", "stop"]),
    # stochastic layers
    wrong(WrongComparisonDropout, "dropout", "layer dropout1", ["kept", "keep", "20%", "0.2"]),
    wrong(ScaledByDropProbDropout, "dropout", "layer dropout1",
          ["0.2", "1/p", "1 / p", "factor 4", "4x", "4 times", "times 4", "drop probability", "drop rate"]),
    # losses and labels
    wrong(SoftmaxOverBatchSoftmax, "softmax", "loss",
          ["axis", "column", "over the batch", "across the batch", "across examples"]),
    wrong(AllClassesCrossEntropyMLP, "mlp", "loss",
          ["every class", "all classes", "each class", "all ten", "pick", "one-hot", "one hot", "label"]),
    wrong(ShiftedOneHotMLP, "mlp", "loss", ["label", "shift", "off by one", "off-by-one", "y - 1", "y-1"]),
    wrong(NoHalfSquaredLossLinReg, "linear-regression", "loss",
          ["factor 2", "twice", "2x", "x2", "half", "1/2", "times 2", "doubl", "2 times"]),
    wrong(UnreshapedTargetsLinReg, "linear-regression", "loss",
          ["broadcast", "reshape", "every target", "all targets", "each target", "pair", "(n, n)", "n x n", "shape"]),
    wrong(LossOverBatchLinReg, "linear-regression", "loss", ["batch", "1/n", "1/64"]),
    # update rules
    wrong(SignFlippedMomentumMLP, "mlp", "optimizer *:momentum", ["sign", "negat", "opposite", "revers"],
          optimizer="momentum"),
    wrong(StaleVelocityMomentumLeNet, "lenet", "weights *",
          ["order", "before", "previous", "late", "lag", "stale", "old"], optimizer="momentum"),
    wrong(LearningRateTwiceMomentumLinReg, "linear-regression", "weights *",
          ["learning rate", "lr"], optimizer="momentum"),
    wrong(UndividedMomentumSoftmax, "softmax", "optimizer *:momentum", ["batch"], optimizer="momentum"),
    wrong(GradientNotSquaredAdaGradMLP, "mlp", "optimizer *:square_sum",
          ["square", "g^2", "g**2", "g ** 2", "g²"], optimizer="adagrad"),
    wrong(NotAccumulatedAdaGradSoftmax, "softmax", "optimizer *:square_sum",
          ["accumulat", "sum", "previous", "running", "only the last", "current"], optimizer="adagrad"),
    wrong(NoRootRMSPropSoftmax, "softmax", "weights *", ["root", "sqrt"], optimizer="rmsprop"),
    wrong(GammaSwappedRMSPropMLP, "mlp", "optimizer *:square_average",
          ["gamma", "0.9", "0.1", "swap", "1 - gamma"], optimizer="rmsprop"),
    wrong(SwappedRatioAdaDeltaMLP, "mlp", ["optimizer *:delta_average", "weights *"],
          ["swap", "invert", "inverse", "revers", "recipro", "upside"], optimizer="adadelta"),
    wrong(NoBiasCorrectionAdamMLP, "mlp", "weights *", ["bias correction", "bias-correct"], optimizer="adam"),
    wrong(FrozenStepCountAdamLinReg, "linear-regression", "weights *",
          ["step count", "time step", "t = 1", "t=1", "counter", "increment"], optimizer="adam"),
    wrong(DecayedBiasesWeightDecay, "weight-decay", "weights *.bias", ["decay", "penalty"], weight_decay=3.0),
    wrong(HardCodedBatchLeNet, "lenet", "weights *", ["batch", "256"]),
]


# ==== judging the tool's verdicts =============================================================================

def place_matches(expected: str, quantity: str, layer: str) -> bool:
    """Whether check's first difference (quantity kind, layer/parameter) is the expected 'KIND PLACE'."""
    kind, _, place = expected.partition(" ")
    if kind in ("loss", "logits"):
        return quantity.split(" ")[0] == kind
    if kind == "layer":  # dropout's and batch norm's statistical rows measure a layer's training-mode behaviour
        kind_ok = quantity == "layer" or quantity.startswith(("dropout", "batchnorm"))
    else:
        kind_ok = quantity == kind
    return kind_ok and fnmatch.fnmatchcase(layer, place or "*")


@dataclass
class Outcome:
    entry: Entry
    seed: int
    passed: bool
    quantity: str = ""
    layer: str = ""
    explanation: str = ""
    has_cause: bool = False
    verdict: str = field(default="")
    diagnosis_raised: str = ""  # what the diagnosis of this entry raised (its verdict then falls back), if anything

    def judge(self) -> Outcome:
        if not self.entry.first:  # a correct formulation
            self.verdict = "passed" if self.passed else "false alarm"
            return self
        if self.passed:
            self.verdict = "missed"
            return self
        place = any(place_matches(first, self.quantity, self.layer) for first in self.entry.first)
        words = any(word in self.explanation.lower() for word in self.entry.cause_words)
        if place and words:
            self.verdict = "named correctly"
        elif not self.has_cause:
            self.verdict = "no cause" if place else "no cause, wrong place"
        elif place:
            self.verdict = "wrong cause"
        else:
            self.verdict = "wrong place" + ("" if words else ", wrong cause")
        return self


def check_group(entries: list[Entry], seed: int) -> dict[str, Outcome]:
    """One `compare.check` of every entry of one (model, optimizer, weight decay) on `seed`, real data."""
    import compare

    model, optimizer, weight_decay = entries[0].group
    options = {"seed": seed, "optimizer": optimizer}
    if weight_decay:
        options["weight_decay"] = weight_decay
    with diagnosis_exceptions() as raised:
        result = compare.check(model=model, implementations={e.name: e.cls for e in entries}, **options)
    records = result.to_records()
    found = {d.implementation: d for d in result.differences()}
    outcomes = {}
    for entry in entries:
        d = found.get(entry.name)
        if d is None:
            outcomes[entry.name] = Outcome(entry, seed, True).judge()
            continue
        has_cause = d.quantity == "failure" or any(
            r["cause"] for r in records if r["implementation"] == entry.name and not r["passed"])
        outcomes[entry.name] = Outcome(entry, seed, False, d.quantity, d.layer, d.explanation, bool(has_cause),
                                       diagnosis_raised="; ".join(text for text in raised
                                                                  if f"diagnosing {entry.name} failed" in text)).judge()
    return outcomes


def groups(entries: list[Entry]) -> dict[tuple, list[Entry]]:
    by_group: dict[tuple, list[Entry]] = {}
    for entry in entries:
        by_group.setdefault(entry.group, []).append(entry)
    return by_group


def summary(outcomes: list[Outcome]) -> str:
    """The confusion numbers, and one line per entry and seed that was not as expected."""
    from collections import Counter

    mistakes = [o for o in outcomes if o.entry.first]
    correct = [o for o in outcomes if not o.entry.first]
    lines = [f"correct formulations: {sum(o.passed for o in correct)} of {len(correct)} passed",
             f"mistakes: {sum(o.verdict == 'named correctly' for o in mistakes)} of {len(mistakes)} named correctly"]
    for verdict, count in sorted(Counter(o.verdict for o in outcomes).items()):
        lines.append(f"  {verdict}: {count}")
    for o in outcomes:
        if o.verdict not in ("passed", "named correctly"):
            lines.append(f"{o.entry.name} seed {o.seed}: {o.verdict}: [{o.quantity} {o.layer}] {o.explanation}")
    return "\n".join(lines)


def run_all(seeds=(0, 1, 2)) -> list[Outcome]:
    outcomes = []
    for seed in seeds:
        for members in groups(CORRECT + MISTAKES).values():
            results = check_group(members, seed)
            outcomes.extend(results[e.name] for e in members)
    return outcomes


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    print(summary(run_all(tuple(int(s) for s in args.seeds.split(",")))))
