"""An eighth held-out corpus of learner code for `check`: correct formulations and mistakes nobody tuned it to.

What it is: learner classes over the built-in hand-written models (ScratchLeNet, ScratchLeNetBN, ScratchMLP,
ScratchDropout, ScratchSoftmax, ScratchLinearRegression, the latter also on the weight-decay model), each written the
way a learner following the gluon-tutorials / d2l-zh first-edition "from scratch" chapters writes code (cnn-scratch,
mlp-scratch, softmax-regression-scratch, linear-regression-scratch, dropout-scratch, batch-norm-scratch, reg-scratch,
gd-sgd, momentum, adagrad, rmsprop, adadelta, adam). The update rules are the learner's own (`LessonLoops`: one
function per rule over parallel lists of parameters, gradients and state tuples, with the chapters' `hyperparams` dict
carrying lr and t), written here from those chapters, not imported from another corpus. CORRECT holds formulations
that compute the reference's numbers (for dropout, its distribution with independent masks) written another way,
spread over the seven models and the six rules, three with weight decay; MISTAKES holds slips a learner plausibly
makes, over layers (conv, pooling, dense, activation, flatten and the inputs), the loss, the labels, dropout, batch
norm, all six update rules and weight decay, chosen to differ from every earlier corpus's (their class names and first
docstring lines were read for that): off-by-one indices, floor and integer casts, stale or cached variables, a
generator consumed twice, a rule called in the wrong loop, in-place lines in the wrong order, a key read with a
default, positional arguments swapped, a misplaced `.detach()` and brackets in the wrong place. Each mistake carries,
written down before any run, where check's first difference should be (`first`, "KIND PLACE" globs) and words any
one of which a correct explanation of its cause must contain (`words`).

How it was written: blind to the tool's diagnosis. Read: README.md (its first 150 lines); implementations/
(protocol.py, registry.py, ndarray_base.py, optimizers.py, update_rules.py, spec_base.py, every model's spec.py and
scratch.py, the tutorial.py of lenet_bn, dropout, softmax, linear_regression and weight_decay); the list of the files
under implementations/, compare/ and tests/; compare/training/steps.py; compare/data/batches.py (in full) and
dataset.py (its first 150 lines, its function list and `load_fashion_mnist`); tests/heldout7_corpus.py in full, as the
template for form; of the other corpora (heldout, heldout2 to heldout6, independent, learner) only their class names
and each class's first docstring line (listed by an awk script and an `ast` walk; the grep of heldout_corpus.py for
class and function definitions also showed its helper functions' names), and in tests/heldout_corpus.py the
harness's `Entry`, `_entry`, `Outcome.judge` and `main` (printing that stretch also put the last six lines of
heldout_corpus.py's DoubledPenaltyWeightDecay, just above `Entry`, and its `TWICE` tuple in view; its CORRECT and
MISTAKES lists were not read). Not read: compare/checking/, docs/check.md, docs/optimizers.md, the tests of check, of
its measured causes and of the update rules' verdicts, tests/test_heldout_corpora.py, the other corpora's bodies,
the git history. check was never run while writing it, nor the corpus harness. A throwaway script (not committed)
only confirmed that every class builds as the harness builds it (registry.build_model with the model's recipe for the
rule), trains 10 finite steps on real Fashion-MNIST (batches of 64) or the model's synthetic data, that each mistake
changes the numbers against its built-in and that each correct formulation agrees with its built-in to float32
rounding, step by step from the same weights and state (for dropout: other masks, with the same keep rates, 1 / keep
scale and independence across draws, units and examples checked on large draws, and the rest of the model step by
step with the operator's masks put back; for the hand-written batch norms, also against the chapter's own
`batch_norm_as_written` on the same maps: InPlaceTrackBN computes the chapter's statistics and was followed step by step
against the `tutorial` built-in, InstanceNormAdaDeltaBN reduces as the BatchNorm operator does and was followed
against `scratch`; in both the conv biases before a batch norm, whose gradient is 0 but for rounding, were left out).
Before that script's last run one mistake was replaced (adagrad's eps typed outside the root by precedence, which
takes 0 / 0 on never-lit pixels and leaves 10 finite steps) and one made larger (the unbiased moving variance, first
corrected over N * H * W, a change of 1e-5); neither had been checked.

Expectations committed before the first run (faaebb3); not changed after.

First run (2026-12-07, on faaebb3: check as the seventh corpus left it, none of it written with this corpus in view;
seeds 0 and 1): 27 of 68 mistake checks named correctly (40 %), 33 at the right place with a wrong or no cause, 4 at
another place, 2 refused (IntegerMaskReluLeNet: its relu1 zeroes every activation below 1, so with N(0, 0.01)
weights the logits do not change when the weights do, and check refuses it as "does not use the weights it is
given": a wrong cause), 2 missed (CachedOneHotLabelsLeNet: check steps on one batch, so labels cached from the
first batch are the right ones); 0 false alarms in 30 checks of correct formulations.
"""
from __future__ import annotations

import functools
import math

from heldout_corpus import _entry, main

from implementations.dropout.scratch import ScratchDropout
from implementations.lenet.scratch import ScratchLeNet
from implementations.lenet_bn.scratch import ScratchLeNetBN
from implementations.linear_regression.scratch import ScratchLinearRegression
from implementations.mlp.scratch import ScratchMLP
from implementations.mxnet_compat import mx
from implementations.optimizers import SGD
from implementations.softmax.scratch import ScratchSoftmax

nd = mx.nd
autograd = mx.autograd


# ---- the learner's own update rules: one function per chapter --------------------------------------------------
# d2l's `train_ch7` shape: `rule(params, grads, states, hyperparams)`, the gradients already divided by the batch (plus
# reg-scratch's lambd * w on the weights), one tuple of state arrays per parameter, and the hyperparameters in one dict
# with the learning rate under 'lr' and the step count under 't'.

def sgd(params, grads, states, hyperparams):
    lr = hyperparams["lr"]
    for param, g in zip(params, grads):
        param[:] = param - lr * g


def sgd_momentum(params, grads, states, hyperparams):
    lr, mom = hyperparams["lr"], hyperparams["momentum"]
    for param, g, (v,) in zip(params, grads, states):
        v[:] = mom * v + lr * g
        param[:] = param - v


def adagrad(params, grads, states, hyperparams):
    lr, eps = hyperparams["lr"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s[:] = s + nd.square(g)
        param[:] = param - lr * g / nd.sqrt(s + eps)


def rmsprop(params, grads, states, hyperparams):
    lr, gamma, eps = hyperparams["lr"], hyperparams["gamma"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s[:] = gamma * s + (1 - gamma) * nd.square(g)
        param[:] = param - lr * g / nd.sqrt(s + eps)


def adadelta(params, grads, states, hyperparams):
    rho, eps = hyperparams["rho"], hyperparams["epsilon"]
    for param, g, (s, delta) in zip(params, grads, states):
        s[:] = rho * s + (1 - rho) * nd.square(g)
        g_prime = nd.sqrt(delta + eps) / nd.sqrt(s + eps) * g
        delta[:] = rho * delta + (1 - rho) * nd.square(g_prime)
        param[:] = param - g_prime


def adam(params, grads, states, hyperparams):
    lr, beta1, beta2, eps, t = (hyperparams[key] for key in ("lr", "beta1", "beta2", "epsilon", "t"))
    for param, g, (v, s) in zip(params, grads, states):
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * nd.square(g)
        v_hat = v / (1 - beta1 ** t)
        s_hat = s / (1 - beta2 ** t)
        param[:] = param - lr * v_hat / (nd.sqrt(s_hat) + eps)


LESSON_RULES = {"sgd": sgd, "momentum": sgd_momentum, "adagrad": adagrad, "rmsprop": rmsprop,
                "adadelta": adadelta, "adam": adam}


class LessonLoops:
    """The learner's training loop: the parameters as a list in `order`, one tuple of zero state arrays per parameter
    (in the order the optimizer names its states), `hyperparams` as the chapters keep it ('lr', 't' and the rule's
    values) and one call of the rule's function per step."""

    data_parallel = False  # one device: nothing to sum across replicas
    lesson_rules = LESSON_RULES  # a learner's variant replaces one function

    def __init__(self, spec, devices):
        super().__init__(spec, devices)
        self.use_optimizer(SGD)

    def use_optimizer(self, optimizer):
        self.rule_name = optimizer.name
        self.state_keys = tuple(optimizer.rule.state)
        self.hyperparams = {**optimizer.values, "lr": None, "t": 0}
        self.lambd = optimizer.weight_decay
        self.order = list(self.params)
        self.rule_states = self.make_states()

    def make_states(self):
        return [tuple(nd.zeros(self.params[name].shape, ctx=self.params[name].context) for _ in self.state_keys)
                for name in self.order]

    def optimizer_state(self):
        return {f"{name}:{key}": array for name, arrays in zip(self.order, self.rule_states)
                for key, array in zip(self.state_keys, arrays)}

    def grads_for_rule(self, batch_size):
        grads = []
        for name in self.order:
            param = self.params[name]
            g = param.grad / batch_size
            if self.lambd and name.endswith(".weight"):  # reg-scratch: the gradient of lambd / 2 * ||w||^2
                g = g + self.lambd * param
            grads.append(g)
        return grads

    def step(self, batch_size, learning_rate):
        self.hyperparams["lr"] = learning_rate
        self.hyperparams["t"] += 1
        params = [self.params[name] for name in self.order]
        self.lesson_rules[self.rule_name](params, self.grads_for_rule(batch_size), self.rule_states, self.hyperparams)


def _with(layers, **replacements):
    return {**layers, **replacements}


def _chapter_dropout(X, drop_prob):
    """dropout-scratch's `dropout(X, drop_prob)`, in training only."""
    if not autograd.is_training():
        return X
    keep_prob = 1 - drop_prob
    mask = nd.random.uniform(0, 1, X.shape, ctx=X.context) < keep_prob
    return mask * X / keep_prob


class _LessonBatchNorm(ScratchLeNetBN):
    """LeNet with the learner's batch-norm-scratch `batch_norm` for bn1 and bn2, in three methods: `batch_moments`
    (the batch's per-channel mean and variance), `standardise` and `track` (the moving averages), with `bn_eps` and
    `bn_momentum` as it passes them: an entry changes one."""

    @property
    def bn_eps(self):
        return self.spec.epsilon

    @property
    def bn_momentum(self):
        return self.spec.momentum

    def layer_functions(self, p):
        layers = super().layer_functions(p)
        for layer in self.spec.normalized:
            layers[layer] = functools.partial(self.batch_norm, p=p, layer=layer)
        return layers

    def batch_norm(self, X, p, layer):
        shape = (1, -1, 1, 1)
        gamma, beta = p[layer + ".gamma"].reshape(shape), p[layer + ".beta"].reshape(shape)
        moving_mean, moving_var = p[layer + ".running_mean"], p[layer + ".running_var"]
        if not autograd.is_training():
            X_hat = (X - moving_mean.reshape(shape)) / nd.sqrt(moving_var.reshape(shape) + self.bn_eps)
            return gamma * X_hat + beta
        mean, var = self.batch_moments(X)
        X_hat = self.standardise(X, mean, var)
        self.track(moving_mean, moving_var, mean, var, X)
        return gamma * X_hat + beta

    def batch_moments(self, X):
        mean = X.mean(axis=(0, 2, 3), keepdims=True)
        var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        return mean, var

    def standardise(self, X, mean, var):
        return (X - mean) / nd.sqrt(var + self.bn_eps)

    def track(self, moving_mean, moving_var, mean, var, X):
        momentum = self.bn_momentum
        moving_mean[:] = momentum * moving_mean + (1 - momentum) * mean.reshape((-1,)).detach()
        moving_var[:] = momentum * moving_var + (1 - momentum) * var.reshape((-1,)).detach()


def _squared_loss(y_hat, y):
    """linear-regression-scratch's squared_loss, one value per example."""
    return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).reshape((-1,))


# ---- correct formulations ----------------------------------------------------------------------------------------

def _transposed_max_pool(X):
    side_ways = X.transpose((0, 1, 3, 2))
    return nd.Pooling(side_ways, pool_type="max", kernel=(2, 2), stride=(2, 2)).transpose((0, 1, 3, 2))


class TransposedPoolSgdLeNet(LessonLoops, ScratchLeNet):
    """LeNet's max pools taken on each map transposed (`X.transpose((0, 1, 3, 2))`, pooled, transposed back): a 2x2
    window's max is the same read row by row or column by column; trained by the learner's own sgd."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), pool1=_transposed_max_pool, pool2=_transposed_max_pool)


class CentreCropConvMomentumLeNet(LessonLoops, ScratchLeNet):
    """conv1 as a "same" convolution, `pad=(2, 2)`, cropped to its centre `[:, :, 2:26, 2:26]`: exactly the valid
    convolution; trained by momentum."""

    def layer_functions(self, p):
        spec = self.spec
        k = spec.conv1_kernel
        half = k // 2

        def conv1(X):
            same = nd.Convolution(X, p["conv1.weight"], p["conv1.bias"], kernel=(k, k), pad=(half, half),
                                  num_filter=spec.conv1_channels)
            return same[:, :, half:X.shape[2] - half, half:X.shape[3] - half]

        return _with(super().layer_functions(p), conv1=conv1)


class InstanceNormAdaDeltaBN(LessonLoops, _LessonBatchNorm):
    """batch norm's standardisation by `nd.InstanceNorm` on the maps laid out as one instance, `X.transpose((1, 0, 2,
    3)).reshape((1, C, -1))` (each channel over N * H * W), unit scale and zero shift, eps passed; trained by
    adadelta."""

    def standardise(self, X, mean, var):
        n, c, h, w = X.shape
        one_instance = X.transpose((1, 0, 2, 3)).reshape((1, c, -1))
        ones = nd.ones((c,), ctx=X.context)
        normed = nd.InstanceNorm(one_instance, ones, nd.zeros_like(ones), eps=self.bn_eps)
        return normed.reshape((c, n, h, w)).transpose((1, 0, 2, 3))


class InPlaceTrackBN(_LessonBatchNorm):
    """batch-norm-scratch with the moving averages decayed in place, `moving_mean *= momentum; moving_mean += (1 -
    momentum) * mean`, and the standardisation written `(X - mean) / (var + eps) ** 0.5`; plain sgd."""

    def standardise(self, X, mean, var):
        return (X - mean) / (var + self.bn_eps) ** 0.5

    def track(self, moving_mean, moving_var, mean, var, X):
        momentum = self.bn_momentum
        moving_mean *= momentum
        moving_mean += (1 - momentum) * mean.reshape((-1,)).detach()
        moving_var *= momentum
        moving_var += (1 - momentum) * var.reshape((-1,)).detach()


def _batch_dot_dense(p, name):
    def dense(X):
        W = p[name + ".weight"]
        return nd.batch_dot(X.expand_dims(0), W.expand_dims(0), transpose_b=True)[0] + p[name + ".bias"]
    return dense


class BatchDotDenseAdaGradMLP(LessonLoops, ScratchMLP):
    """mlp-scratch's dense layers as `nd.batch_dot` over a batch of one, `batch_dot(X[None], W[None],
    transpose_b=True)[0] + b`; trained by adagrad."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), fc1=_batch_dot_dense(p, "fc1"), fc2=_batch_dot_dense(p, "fc2"))


class DetachedShiftLossRMSPropMLP(LessonLoops, ScratchMLP):
    """the MLP's own cross-entropy as log-sum-exp of the logits shifted by each row's max, the max `.detach()`ed (its
    gradient cancels anyway), minus the label's shifted logit; trained by rmsprop."""

    def own_loss(self, y_hat, y):
        z = y_hat - y_hat.max(axis=1, keepdims=True).detach()
        return nd.log(nd.exp(z).sum(axis=1)) - nd.pick(z, y)


def _multinomial_dropout(drop_prob):
    keep_prob = 1 - drop_prob

    def dropout(X):
        if not autograd.is_training():
            return X
        probs = nd.array([[drop_prob, keep_prob]], ctx=X.context)
        mask = nd.random.multinomial(probs, shape=X.shape)[0]  # 1 (kept) with probability keep_prob
        return X * mask.astype(X.dtype) / keep_prob
    return dropout


class MultinomialMaskAdamDropout(LessonLoops, ScratchDropout):
    """dropout's mask drawn by `nd.random.multinomial([[drop_prob, keep_prob]], shape=X.shape)`: each unit's category,
    1 (kept) with probability keep_prob, then `X * mask / keep_prob`; trained by adam."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), dropout1=_multinomial_dropout(self.spec.drop1),
                     dropout2=_multinomial_dropout(self.spec.drop2))


def _flat_draw_dropout(drop_prob):
    keep_prob = 1 - drop_prob

    def dropout(X):
        if not autograd.is_training():
            return X
        draws = nd.random.uniform(0, 1, shape=(X.size,), ctx=X.context)
        return X * (draws < keep_prob).reshape(X.shape) / keep_prob
    return dropout


class FlatDrawMomentumDropout(LessonLoops, ScratchDropout):
    """dropout-scratch's mask drawn as one flat vector of `X.size` uniforms, compared with keep_prob and reshaped to
    X's shape; trained by momentum."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), dropout1=_flat_draw_dropout(self.spec.drop1),
                     dropout2=_flat_draw_dropout(self.spec.drop2))


class PickTransposedSgdSoftmax(LessonLoops, ScratchSoftmax):
    """softmax regression's cross-entropy picked from the transposed log-probabilities, `-nd.pick(log_softmax(y_hat).T,
    y, axis=0)` (classes as rows); the learner's sgd."""

    def own_loss(self, y_hat, y):
        return -nd.pick(nd.log_softmax(y_hat).T, y, axis=0)


def _adam_running_powers(params, grads, states, hyperparams):
    lr, beta1, beta2, eps = (hyperparams[key] for key in ("lr", "beta1", "beta2", "epsilon"))
    hyperparams["beta1_t"] = hyperparams.get("beta1_t", 1.0) * beta1  # beta1 ** t, one product per step
    hyperparams["beta2_t"] = hyperparams.get("beta2_t", 1.0) * beta2
    for param, g, (v, s) in zip(params, grads, states):
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * nd.square(g)
        v_hat = v / (1 - hyperparams["beta1_t"])
        s_hat = s / (1 - hyperparams["beta2_t"])
        param[:] = param - lr * v_hat / (nd.sqrt(s_hat) + eps)


class RunningPowersAdamSoftmax(LessonLoops, ScratchSoftmax):
    """adam with beta1^t and beta2^t kept as running products in `hyperparams` (`beta1_t *= beta1` once per step)
    instead of powers of t."""

    lesson_rules = {**LESSON_RULES, "adam": _adam_running_powers}


class OnesColumnRMSPropLinReg(LessonLoops, ScratchLinearRegression):
    """linreg with the bias folded in by a column of ones appended to X and the bias appended to w, `dot(concat(X,
    1), concat(w, b).T)`; trained by rmsprop."""

    def layer_functions(self, p):
        def fc1(X):
            X1 = nd.concat(X, nd.ones((X.shape[0], 1), ctx=X.context), dim=1)
            theta = nd.concat(p["fc1.weight"], p["fc1.bias"].reshape((1, 1)), dim=1)
            return nd.dot(X1, theta.T)
        return {"fc1": fc1}


class ColumnWeightAdaDeltaLinReg(LessonLoops, ScratchLinearRegression):
    """linear-regression-scratch's `nd.dot(X, w) + b` with the (1, 2) weight reshaped to the chapter's (2, 1) column
    (the same two values in the same order); trained by adadelta."""

    def layer_functions(self, p):
        return {"fc1": lambda X: nd.dot(X, p["fc1.weight"].reshape((-1, 1))) + p["fc1.bias"]}


class ShrinkThenStepSgdWeightDecay(LessonLoops, ScratchLinearRegression):
    """reg-scratch's decay as a shrink of the weights, `w[:] = w * (1 - lr * lambd)`, then sgd's step on the data's
    gradient: w - lr * (g + lambd * w), rearranged."""

    def step(self, batch_size, learning_rate):
        self.hyperparams["t"] += 1
        for name in self.order:
            param = self.params[name]
            g = param.grad / batch_size
            if name.endswith(".weight"):
                param[:] = param * (1 - learning_rate * self.lambd)
            param[:] = param - learning_rate * g


class UnrolledAdaGradWeightDecay(LessonLoops, ScratchLinearRegression):
    """adagrad on the weight-decay model unrolled over reg-scratch's `w, b = params` (no loop): the penalty's gradient
    on w's line only, each accumulator updated with `+=`."""

    def step(self, batch_size, learning_rate):
        self.hyperparams["t"] += 1
        eps = self.hyperparams["epsilon"]
        states = dict(zip(self.order, self.rule_states))
        w, b = self.params["fc1.weight"], self.params["fc1.bias"]
        (s_w,), (s_b,) = states["fc1.weight"], states["fc1.bias"]
        g_w = w.grad / batch_size + self.lambd * w
        g_b = b.grad / batch_size
        s_w += g_w * g_w
        s_b += g_b * g_b
        w[:] = w - learning_rate * g_w / nd.sqrt(s_w + eps)
        b[:] = b - learning_rate * g_b / nd.sqrt(s_b + eps)


def _rmsprop_rsqrt(params, grads, states, hyperparams):
    lr, gamma, eps = hyperparams["lr"], hyperparams["gamma"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s[:] = gamma * s + (1 - gamma) * g * g
        param[:] = param - lr * g * nd.rsqrt(s + eps)


class RsqrtRMSPropWeightDecay(LessonLoops, ScratchLinearRegression):
    """rmsprop on the weight-decay model with the step as `lr * g * nd.rsqrt(s + eps)` and the squares as `g * g`,
    reg-scratch's `lambd * w` in g."""

    lesson_rules = {**LESSON_RULES, "rmsprop": _rmsprop_rsqrt}


# ---- mistakes: layers and inputs ---------------------------------------------------------------------------------

class DebugCopyKernelLeNet(ScratchLeNet):
    """conv1's kernel passed as `nd.array(W1.asnumpy())`, left from printing it: a copy outside autograd's graph, so
    conv1's weights get no gradient and never learn."""

    def layer_functions(self, p):
        spec = self.spec

        def conv1(X):
            W1 = nd.array(p["conv1.weight"].asnumpy(), ctx=X.context)
            return nd.Convolution(X, W1, p["conv1.bias"], kernel=(spec.conv1_kernel,) * 2,
                                  num_filter=spec.conv1_channels)

        return _with(super().layer_functions(p), conv1=conv1)


def _pool2d_off_by_one(X, size=2):
    rows = []
    for i in range(X.shape[2] // size):
        row = [X[:, :, i * size + 1:(i + 1) * size + 1, j * size + 1:(j + 1) * size + 1].max(axis=(2, 3))
               for j in range(X.shape[3] // size)]
        rows.append(nd.stack(*row, axis=2))
    return nd.stack(*rows, axis=2)


class OffByOnePoolLeNet(ScratchLeNet):
    """pool2 as d2l's `pool2d` loop over output rows and columns with each window started at `i * 2 + 1` (a stray + 1):
    every window one pixel down and right, the last ones cut to a single row or column."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), pool2=_pool2d_off_by_one)


class StandardizedFeaturesLinReg(ScratchLinearRegression):
    """linreg on features standardised per batch, `(X - X.mean(axis=0)) / std` (feature scaling from another course),
    where the chapter feeds X as it is."""

    def layer_functions(self, p):
        def fc1(X):
            centred = X - X.mean(axis=0, keepdims=True)
            std = nd.sqrt((centred ** 2).mean(axis=0, keepdims=True))
            return nd.FullyConnected(centred / std, p["fc1.weight"], p["fc1.bias"], num_hidden=1)
        return {"fc1": fc1}


class DenseInActivationDropout(ScratchDropout):
    """dropout-scratch's one-liner `H2 = relu(dot(H1, W2) + b2)` split into layers but kept whole in relu2's line:
    fc2 (256 x 256, so no shape error) applied a second time inside relu2."""

    def layer_functions(self, p):
        layers = super().layer_functions(p)
        fc2 = layers["fc2"]
        return _with(layers, relu2=lambda H: nd.relu(fc2(H)))


class IntegerMaskReluLeNet(ScratchLeNet):
    """relu1 as `X * (X.astype('int32') > 0)` (the cast meant for the mask put on X): every activation below 1 truncated
    to 0 before the comparison, so small positive values are zeroed too."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p),
                     relu1=lambda X: X * (X.astype("int32") > 0).astype(X.dtype))


class InvertedPixelsMLP(ScratchMLP):
    """flatten inverting the images, `1 - X.reshape((-1, 784))`, as an MNIST notebook does to get dark digits on white:
    Fashion-MNIST's black background becomes 1."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), flatten=lambda X: 1 - X.reshape((-1, self.spec.input_size)))


# ---- mistakes: the loss and the labels ---------------------------------------------------------------------------

class DetachedNormaliserLossMLP(ScratchMLP):
    """cross-entropy as log-sum-exp minus the label's logit with `.detach()` on the whole log-sum-exp where only the
    max was to be detached: the loss's value right, but its gradient is the label's -1 alone, no softmax term."""

    def own_loss(self, y_hat, y):
        m = y_hat.max(axis=1, keepdims=True)
        log_sum_exp = (nd.log(nd.exp(y_hat - m).sum(axis=1, keepdims=True)) + m).detach()
        return log_sum_exp.reshape((-1,)) - nd.pick(y_hat, y)


class HuberLossLinReg(ScratchLinearRegression):
    """linreg's loss as `nd.smooth_l1(y_hat - y, scalar=1)` (taken for the squared loss): half the square only within
    1 of the target, linear beyond it."""

    def own_loss(self, y_hat, y):
        return nd.smooth_l1(y_hat - y.reshape(y_hat.shape), scalar=1.0).reshape((-1,))


class SeparatelyShuffledLabelsSoftmax(ScratchSoftmax):
    """the labels shuffled on their own, `nd.random.shuffle(y)`, in the loss (the learner's "shuffle the batch" applied
    to y and not to X): each image scored against another example's label."""

    def own_loss(self, y_hat, y):
        return -nd.pick(nd.log_softmax(y_hat), nd.random.shuffle(y))


class CachedOneHotLabelsLeNet(ScratchLeNet):
    """cross-entropy against one-hot labels cached by batch size to save the `nd.one_hot` each step: every later batch
    of the same size is scored against the first batch's labels."""

    one_hots = None

    def own_loss(self, y_hat, y):
        if self.one_hots is None:
            self.one_hots = {}
        if y.shape[0] not in self.one_hots:
            self.one_hots[y.shape[0]] = nd.one_hot(y, self.spec.num_classes)
        return -(self.one_hots[y.shape[0]] * nd.log_softmax(y_hat)).sum(axis=1)


# ---- mistakes: dropout -------------------------------------------------------------------------------------------

def _floor_scaled_dropout(drop_prob):
    def dropout(X):
        if not autograd.is_training():
            return X
        keep_prob = 1 - drop_prob
        mask = nd.random.uniform(0, 1, X.shape, ctx=X.context) < keep_prob
        return mask * X * (1 // keep_prob)  # meant 1 / keep_prob: 1 // 0.8 is 1.0, 1 // 0.5 is 2.0
    return dropout


class FloorDivScaleDropout(ScratchDropout):
    """dropout-scratch's scale typed `X * mask * (1 // keep_prob)`: floor division, 1.0 for keep 0.8 (dropout1's kept
    units not scaled up) and 2.0 for keep 0.5."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), dropout1=_floor_scaled_dropout(self.spec.drop1),
                     dropout2=_floor_scaled_dropout(self.spec.drop2))


class TwiceDroppedDropout(ScratchDropout):
    """dropout1 applied twice, `dropout(dropout(H1, drop_prob1), drop_prob1)` (once in the net, once left in the layer
    helper): units kept with probability 0.64 and scaled by 1 / 0.64."""

    def layer_functions(self, p):
        drop = self.spec.drop1
        return _with(super().layer_functions(p),
                     dropout1=lambda H: nd.Dropout(nd.Dropout(H, p=drop, mode="training"), p=drop, mode="training"))


class StaleKeepProbDropout(ScratchDropout):
    """the learner's `dropout(X, drop_prob)` reading a `keep_prob = 1 - drop_prob1` computed once above the net, its
    own argument unused: dropout2 keeps 80% and scales by 1 / 0.8 like dropout1."""

    def layer_functions(self, p):
        spec = self.spec
        keep_prob = 1 - spec.drop1

        def dropout(X, drop_prob):
            if not autograd.is_training():
                return X
            mask = nd.random.uniform(0, 1, X.shape, ctx=X.context) < keep_prob
            return mask * X / keep_prob

        return _with(super().layer_functions(p), dropout1=lambda X: dropout(X, spec.drop1),
                     dropout2=lambda X: dropout(X, spec.drop2))


class UnassignedDropout(ScratchDropout):
    """dropout-scratch's net with `dropout(H1, drop_prob1)` on a line of its own, its result never assigned: fc2 takes
    the undropped relu1 output."""

    H1 = None

    def layer_functions(self, p):
        layers = super().layer_functions(p)
        relu1, fc2 = layers["relu1"], layers["fc2"]

        def kept_relu1(X):
            self.H1 = relu1(X)
            return self.H1

        return _with(layers, relu1=kept_relu1, fc2=lambda H: fc2(self.H1))


class LogitsDropout(ScratchDropout):
    """the second dropout moved after the output layer, `dropout(dot(H2, W3) + b3, drop_prob2)`: the logits dropped and
    doubled, the second hidden layer undropped."""

    def layer_functions(self, p):
        layers = super().layer_functions(p)
        fc3, drop = layers["fc3"], self.spec.drop2
        return _with(layers, dropout2=lambda H: H, fc3=lambda H: _chapter_dropout(fc3(H), drop))


# ---- mistakes: batch norm ----------------------------------------------------------------------------------------

class SwappedArgumentsBN(_LessonBatchNorm):
    """d2l's `batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum)` called positionally with `(...,
    0.9, 1e-5)`: eps 0.9 under the root, moving averages with momentum 1e-5."""

    @property
    def bn_eps(self):
        return self.spec.momentum

    @property
    def bn_momentum(self):
        return self.spec.epsilon


class UnbiasedMovingVarBN(_LessonBatchNorm):
    """batch norm's moving variance fed an "unbiased" variance, `var * batch_size / (batch_size - 1)` (Bessel's
    correction with the batch's examples taken for the sample), while the batch is normalised by the biased one."""

    def track(self, moving_mean, moving_var, mean, var, X):
        batch_size = X.shape[0]
        super().track(moving_mean, moving_var, mean, var * batch_size / (batch_size - 1), X)


class DetachedNormalisedBN(_LessonBatchNorm):
    """batch norm's `X_hat = ((X - mean) / nd.sqrt(var + eps)).detach()` (the detach meant for the moving averages):
    gamma and beta still learn, but no gradient reaches the convolutions."""

    def standardise(self, X, mean, var):
        return super().standardise(X, mean, var).detach()


# ---- mistakes: the update rules ----------------------------------------------------------------------------------

class UndividedBiasesSgdLeNet(LessonLoops, ScratchLeNet):
    """cnn-scratch's update unrolled one line per parameter, `/ batch_size` left off the four bias lines: the biases
    step by the batch's summed gradient."""

    def grads_for_rule(self, batch_size):
        return [self.params[name].grad if name.endswith(".bias") else self.params[name].grad / batch_size
                for name in self.order]


def _sgd_rescale_by_batch(model):
    def rule(params, grads, states, hyperparams):
        for param in params:
            nd.sgd_update(param, param.grad, lr=hyperparams["lr"], rescale_grad=model.batch_size, out=param)
    return rule


class RescaleGradSgdMLP(LessonLoops, ScratchMLP):
    """sgd through MXNet's `nd.sgd_update(p, p.grad, lr=lr, rescale_grad=batch_size, out=p)`: rescale_grad multiplies
    the gradient, so it is batch_size times the sum where 1 / batch_size was meant."""

    batch_size = None

    def step(self, batch_size, learning_rate):
        self.batch_size = batch_size
        self.hyperparams["lr"] = learning_rate
        self.hyperparams["t"] += 1
        params = [self.params[name] for name in self.order]
        _sgd_rescale_by_batch(self)(params, None, self.rule_states, self.hyperparams)


class ExhaustedGeneratorMomentumDropout(LessonLoops, ScratchDropout):
    """momentum fed the gradients as a generator, `grads = (p.grad / batch_size for p in params)`, first consumed by a
    gradient-norm print: the rule's zip is empty, nothing is updated and the velocities stay 0."""

    grad_norm = None

    def step(self, batch_size, learning_rate):
        self.hyperparams["lr"] = learning_rate
        self.hyperparams["t"] += 1
        params = [self.params[name] for name in self.order]
        grads = (param.grad / batch_size for param in params)
        self.grad_norm = math.sqrt(sum(float((g * g).sum().asscalar()) for g in grads))  # for the log
        sgd_momentum(params, grads, self.rule_states, self.hyperparams)


class BracketedBatchMomentumLeNet(LessonLoops, ScratchLeNet):
    """momentum with the division by the batch bracketed around the whole velocity, `v[:] = (mom * v + lr * p.grad) /
    batch_size`: the carried velocity divided by the batch at every step too."""

    def step(self, batch_size, learning_rate):
        self.hyperparams["t"] += 1
        mom = self.hyperparams["momentum"]
        for name, (v,) in zip(self.order, self.rule_states):
            param = self.params[name]
            v[:] = (mom * v + learning_rate * param.grad) / batch_size
            param[:] = param - v


def _adagrad_sqrt_t_decay(params, grads, states, hyperparams):
    lr, eps, t = hyperparams["lr"], hyperparams["epsilon"], hyperparams["t"]
    lr_t = lr / math.sqrt(t)  # the chapter's "effective learning rate decays like 1 / sqrt(t)", written in as well
    for param, g, (s,) in zip(params, grads, states):
        s[:] = s + nd.square(g)
        param[:] = param - lr_t * g / nd.sqrt(s + eps)


class SqrtTimeDecayAdaGradMLP(LessonLoops, ScratchMLP):
    """adagrad with the chapter's remark that its rate decays like 1 / sqrt(t) written in too, `lr / math.sqrt(t)`,
    on top of the division by the accumulated squares that already does it: right at the first step only."""

    lesson_rules = {**LESSON_RULES, "adagrad": _adagrad_sqrt_t_decay}


class NestedLoopAdaGradLeNet(LessonLoops, ScratchLeNet):
    """adagrad called inside the learner's `for param in params:` loop (kept from the per-parameter sgd), so the whole
    rule runs once per parameter, eight times a step: eight squares accumulated, eight steps taken."""

    def step(self, batch_size, learning_rate):
        self.hyperparams["lr"] = learning_rate
        self.hyperparams["t"] += 1
        params = [self.params[name] for name in self.order]
        grads = self.grads_for_rule(batch_size)
        for _ in params:
            adagrad(params, grads, self.rule_states, self.hyperparams)


def _rmsprop_scalar_rms(params, grads, states, hyperparams):
    lr, gamma, eps = hyperparams["lr"], hyperparams["gamma"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s[:] = gamma * s + (1 - gamma) * nd.square(g)
        param[:] = param - lr * g / nd.sqrt(s.mean() + eps)  # "root mean square": one mean per parameter


class ScalarRmsRMSPropLeNet(LessonLoops, ScratchLeNet):
    """rmsprop's step dividing by `nd.sqrt(s.mean() + eps)`, the name "root mean square" taken literally: one mean of
    the averaged squares per parameter array, not one root per element."""

    lesson_rules = {**LESSON_RULES, "rmsprop": _rmsprop_scalar_rms}


def _rmsprop_reordered_in_place(params, grads, states, hyperparams):
    lr, gamma, eps = hyperparams["lr"], hyperparams["gamma"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s += (1 - gamma) * g * g
        s *= gamma  # meant before the +=
        param[:] = param - lr * g / nd.sqrt(s + eps)


class ReorderedInPlaceRMSPropSoftmax(LessonLoops, ScratchSoftmax):
    """rmsprop's average in two in-place lines in the wrong order, `s += (1 - gamma) * g * g; s *= gamma`: the new
    square decayed by gamma as well."""

    lesson_rules = {**LESSON_RULES, "rmsprop": _rmsprop_reordered_in_place}


def _adadelta_gamma_key(params, grads, states, hyperparams):
    rho, eps = hyperparams.get("gamma", 0.9), hyperparams["epsilon"]  # the rmsprop line's key, with a default
    for param, g, (s, delta) in zip(params, grads, states):
        s[:] = rho * s + (1 - rho) * nd.square(g)
        g_prime = nd.sqrt(delta + eps) / nd.sqrt(s + eps) * g
        delta[:] = rho * delta + (1 - rho) * nd.square(g_prime)
        param[:] = param - g_prime


class GammaKeyAdaDeltaMLP(LessonLoops, ScratchMLP):
    """adadelta written from the rmsprop function, its decay read `hyperparams.get('gamma', 0.9)`: adadelta's dict has
    'rho', so rho is the default 0.9 instead of 0.9999."""

    lesson_rules = {**LESSON_RULES, "adadelta": _adadelta_gamma_key}


def _adadelta_times_root(params, grads, states, hyperparams):
    rho, eps = hyperparams["rho"], hyperparams["epsilon"]
    for param, g, (s, delta) in zip(params, grads, states):
        s[:] = rho * s + (1 - rho) * nd.square(g)
        g_prime = nd.sqrt(delta + eps) * nd.sqrt(s + eps) * g  # `*` typed for `/`
        delta[:] = rho * delta + (1 - rho) * nd.square(g_prime)
        param[:] = param - g_prime


class TimesRootAdaDeltaSoftmax(LessonLoops, ScratchSoftmax):
    """adadelta's rescaled gradient typed `nd.sqrt(delta + eps) * nd.sqrt(s + eps) * g`: multiplied by the gradients'
    root where it divides by it."""

    lesson_rules = {**LESSON_RULES, "adadelta": _adadelta_times_root}


def _adam_unrooted_correction(params, grads, states, hyperparams):
    lr, beta1, beta2, eps, t = (hyperparams[key] for key in ("lr", "beta1", "beta2", "epsilon", "t"))
    for param, g, (v, s) in zip(params, grads, states):
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * nd.square(g)
        v_hat = v / (1 - beta1 ** t)
        param[:] = param - lr * v_hat / (nd.sqrt(s) / (1 - beta2 ** t) + eps)


class UnrootedCorrectionAdamLeNetBN(LessonLoops, ScratchLeNetBN):
    """adam's second-moment correction moved out of the root, `nd.sqrt(s) / (1 - beta2 ** t)` for `nd.sqrt(s / (1 -
    beta2 ** t))`: the denominator divided by 1 - beta2^t where its square root belongs."""

    lesson_rules = {**LESSON_RULES, "adam": _adam_unrooted_correction}


def _adam_plus_corrections(params, grads, states, hyperparams):
    lr, beta1, beta2, eps, t = (hyperparams[key] for key in ("lr", "beta1", "beta2", "epsilon", "t"))
    for param, g, (v, s) in zip(params, grads, states):
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * nd.square(g)
        v_hat = v / (1 + beta1 ** t)  # + typed for -
        s_hat = s / (1 + beta2 ** t)
        param[:] = param - lr * v_hat / (nd.sqrt(s_hat) + eps)


class PlusCorrectionAdamLinReg(LessonLoops, ScratchLinearRegression):
    """adam's bias corrections typed `1 + beta1 ** t` and `1 + beta2 ** t`: the moments divided by about 1.9 and 2 at
    first instead of 0.1 and 0.001."""

    lesson_rules = {**LESSON_RULES, "adam": _adam_plus_corrections}


# ---- mistakes: weight decay --------------------------------------------------------------------------------------

class PerExampleLambdaWeightDecay(LessonLoops, ScratchLinearRegression):
    """reg-scratch's penalty gradient with another course's `lambda / m` convention, `lambd / n_train * w` over the 20
    training examples: the decay twenty times weaker."""

    def grads_for_rule(self, batch_size):
        n_train = self.spec.train_examples
        grads = []
        for name in self.order:
            param = self.params[name]
            g = param.grad / batch_size
            if name.endswith(".weight"):
                g = g + self.lambd / n_train * param
            grads.append(g)
        return grads


class VelocityTypoDecayMomentumWeightDecay(LessonLoops, ScratchLinearRegression):
    """momentum with reg-scratch's penalty gradient typed `g + lambd * v` (the velocity, a key away from w): no decay at
    the first step (v is 0), the velocity decayed after."""

    def step(self, batch_size, learning_rate):
        self.hyperparams["t"] += 1
        mom = self.hyperparams["momentum"]
        for name, (v,) in zip(self.order, self.rule_states):
            param = self.params[name]
            g = param.grad / batch_size
            if name.endswith(".weight"):
                g = g + self.lambd * v  # meant lambd * param
            v[:] = mom * v + learning_rate * g
            param[:] = param - v


class PreviousIndexDecayAdaGradWeightDecay(LessonLoops, ScratchLinearRegression):
    """the penalty gradient added as `lambd * params[i - 1]` (an index counted from 1): for w, i = 0, so `params[-1]`,
    the bias, broadcast over the 200 weights."""

    def grads_for_rule(self, batch_size):
        params = [self.params[name] for name in self.order]
        grads = []
        for i, name in enumerate(self.order):
            g = params[i].grad / batch_size
            if name.endswith(".weight"):
                g = g + self.lambd * params[i - 1]
            grads.append(g)
        return grads


class SummedWeightsDecayRMSPropWeightDecay(LessonLoops, ScratchLinearRegression):
    """reg-scratch's penalty gradient written `lambd * w.sum()` (the penalty's sum kept in its derivative): every
    weight decayed by lambda times the sum of all 200."""

    def grads_for_rule(self, batch_size):
        grads = []
        for name in self.order:
            param = self.params[name]
            g = param.grad / batch_size
            if name.endswith(".weight"):
                g = g + self.lambd * param.sum()
            grads.append(g)
        return grads


# ---- the corpus --------------------------------------------------------------------------------------------------

EPSILON = ("epsilon", "eps")
STAYS_ZERO = ("stays at 0", "stays at zero", "stays 0", "stays zero", "stay at 0", "stay at zero", "stay zero",
              "remains 0", "remains zero", "remain zero", "still 0", "still zero", "all zero", "all zeros",
              "is zero", "are zero", "never updated", "not updated", "never written", "not written")
NO_GRADIENT = ("no gradient", "zero gradient", "gradient is zero", "gradients are zero", "gradient of zero",
               "gradient is 0", "gradients are 0", "never learn", "not learn", "frozen", "not updated",
               "never updated", "detach", "outside the graph", "not recorded", "cut", "blocked", "does not flow",
               "doesn't flow", "no longer flows", "disconnected")

CORRECT = [
    _entry(TransposedPoolSgdLeNet, "lenet"),
    _entry(CentreCropConvMomentumLeNet, "lenet", optimizer="momentum"),
    _entry(InstanceNormAdaDeltaBN, "lenet-bn", optimizer="adadelta"),
    _entry(InPlaceTrackBN, "lenet-bn"),
    _entry(BatchDotDenseAdaGradMLP, "mlp", optimizer="adagrad"),
    _entry(DetachedShiftLossRMSPropMLP, "mlp", optimizer="rmsprop"),
    _entry(MultinomialMaskAdamDropout, "dropout", optimizer="adam"),
    _entry(FlatDrawMomentumDropout, "dropout", optimizer="momentum"),
    _entry(PickTransposedSgdSoftmax, "softmax"),
    _entry(RunningPowersAdamSoftmax, "softmax", optimizer="adam"),
    _entry(OnesColumnRMSPropLinReg, "linear-regression", optimizer="rmsprop"),
    _entry(ColumnWeightAdaDeltaLinReg, "linear-regression", optimizer="adadelta"),
    _entry(ShrinkThenStepSgdWeightDecay, "weight-decay", weight_decay=3.0),
    _entry(UnrolledAdaGradWeightDecay, "weight-decay", optimizer="adagrad", weight_decay=3.0),
    _entry(RsqrtRMSPropWeightDecay, "weight-decay", optimizer="rmsprop", weight_decay=3.0),
]

MISTAKES = [
    # conv
    _entry(DebugCopyKernelLeNet, "lenet", ["gradient conv1.weight"],
           ["copy", "copied", "asnumpy", "numpy", "nd.array", *NO_GRADIENT]),
    # pooling
    _entry(OffByOnePoolLeNet, "lenet", ["layer pool2"],
           ["off by one", "off-by-one", "+ 1", "+1", "by one pixel", "one pixel", "shifted", "offset", "misaligned",
            "window start", "starts at 1", "start at 1", "odd rows", "odd positions", "cut", "truncated"]),
    # dense and inputs
    _entry(StandardizedFeaturesLinReg, "linear-regression", ["layer fc1", "predictions*", "logits"],
           ["standardi", "normali", "feature scaling", "rescal", "centred", "centered", "z-score", "std",
            "standard deviation", "unit variance", "zero mean", "per batch", "batch statistics"]),
    _entry(DenseInActivationDropout, "dropout", ["layer relu2"],
           ["twice", "applied again", "second time", "double", "two times", "fc2 again", "already applied",
            "repeated", "fc2's output", "output of fc2", "dense layer inside", "again"]),
    # activation
    _entry(IntegerMaskReluLeNet, "lenet", ["layer relu1"],
           ["int", "integer", "astype", "truncat", "cast", "below 1", "less than 1", "smaller than 1", "under 1",
            "rounded", "rounds", "floor", "fraction"]),
    # flatten
    _entry(InvertedPixelsMLP, "mlp", ["layer flatten"],
           ["invert", "1 - x", "1 -", "negat", "complement", "white", "background", "reversed intensit",
            "flipped intensit", "intensities reversed"]),
    # the loss
    _entry(DetachedNormaliserLossMLP, "mlp", ["gradient *", "loss"],
           ["detach", "log-sum-exp", "logsumexp", "log sum exp", "normaliser", "normalizer", "normalising",
            "normalizing", "softmax term", "softmax part", "no gradient", "stop", "constant", "only the label",
            "one-hot", "label's logit"]),
    _entry(HuberLossLinReg, "linear-regression", ["loss"],
           ["huber", "smooth", "l1", "absolute", "linear", "abs", "beyond 1", "larger than 1", "greater than 1",
            "above 1", "clipped", "capped"]),
    # the labels
    _entry(SeparatelyShuffledLabelsSoftmax, "softmax", ["loss"],
           ["shuffl", "permut", "mismatch", "misalign", "wrong label", "other example", "another example",
            "separately", "paired", "pairing", "order of the labels", "labels' order"]),
    _entry(CachedOneHotLabelsLeNet, "lenet", ["loss"],
           ["cache", "cached", "memo", "first batch", "stale", "reused", "re-used", "reuse", "previous batch",
            "same labels", "old labels", "earlier batch", "keyed"]),
    # dropout
    _entry(FloorDivScaleDropout, "dropout", ["dropout* dropout1*", "layer dropout1"],
           ["//", "floor", "integer division", "1.25", "not scaled", "unscaled", "scale of 1", "scaled by 1",
            "no rescal", "not rescal", "without rescal", "without scaling", "1 / keep", "1/keep", "1/0.8",
            "1 / 0.8"]),
    _entry(TwiceDroppedDropout, "dropout", ["dropout* dropout1*", "layer dropout1"],
           ["twice", "two masks", "double", "0.64", "64%", "64 %", "0.36", "36%", "36 %", "applied again",
            "two dropout", "1.5625", "1.56", "squared"]),
    _entry(StaleKeepProbDropout, "dropout", ["dropout* dropout2*", "layer dropout2"],
           ["0.2", "0.8", "80%", "80 %", "20%", "20 %", "keep", "drop1", "dropout1's", "first layer's", "stale",
            "same rate", "unused", "ignored", "instead of 0.5"]),
    _entry(UnassignedDropout, "dropout", ["layer fc2", "dropout* dropout1*"],
           ["not assigned", "never assigned", "discarded", "unused", "thrown away", "ignored", "undropped",
            "not dropped", "without dropout", "relu1", "before dropout", "skips dropout", "bypass", "no effect",
            "has no effect"]),
    _entry(LogitsDropout, "dropout", ["dropout* dropout2*", "layer dropout2", "layer fc3", "logits"],
           ["logits", "output layer", "fc3", "after fc3", "last layer", "moved", "wrong place", "misplaced",
            "final layer", "after the output"]),
    # batch norm
    _entry(SwappedArgumentsBN, "lenet-bn", ["layer bn1"],
           ["swapped", "swap", "argument order", "order of the arguments", "positional", "the other way",
            "eps = 0.9", "eps=0.9", "eps 0.9", "eps of 0.9", "epsilon 0.9", "epsilon of 0.9", "epsilon = 0.9",
            "0.9"]),
    _entry(UnbiasedMovingVarBN, "lenet-bn", ["state bn*.running_var"],
           ["unbiased", "n - 1", "n-1", "n / (n - 1)", "batch_size - 1", "batch size - 1", "batch_size / (",
            "bessel", "sample variance", "ddof", "corrected variance", "63", "255", "1.0039", "1.016"]),
    _entry(DetachedNormalisedBN, "lenet-bn", ["gradient conv*"], [*NO_GRADIENT]),
    # sgd
    _entry(UndividedBiasesSgdLeNet, "lenet", ["weights *.bias"],
           ["batch size", "batch_size", "not divided", "undivided", "without dividing", "without the division",
            "/ batch", "divided by the batch", "times the batch", "256", "summed gradient", "sum of the gradient",
            "not averaged"]),
    _entry(RescaleGradSgdMLP, "mlp", ["weights *"],
           ["rescale_grad", "rescale", "batch size squared", "batch_size²", "batch size²", "batch_size ** 2",
            "multiplied by the batch", "times the batch", "instead of dividing", "instead of divided", "1 / batch",
            "1/batch", "inverse"]),
    # momentum
    _entry(ExhaustedGeneratorMomentumDropout, "dropout", ["optimizer *:momentum", "weights *"],
           ["generator", "exhausted", "consumed", "empty", "no update", "unchanged", "did not move", "didn't move",
            "never moved", "not moved", *STAYS_ZERO],
           optimizer="momentum"),
    _entry(BracketedBatchMomentumLeNet, "lenet", ["optimizer *:momentum"],
           ["bracket", "parenthes", "precedence", "whole velocity", "velocity divided", "divided by the batch",
            "decay divided", "mom / batch", "momentum / batch", "momentum divided", "carried velocity", "256"],
           optimizer="momentum"),
    # adagrad
    _entry(SqrtTimeDecayAdaGradMLP, "mlp", ["weights *"],
           ["sqrt(t)", "√t", "1 / sqrt", "1/sqrt", "sqrt(2)", "√2", "0.707", "extra decay", "decayed twice",
            "twice", "schedule", "step count", "decays the learning rate", "learning rate decay", "lr_t"],
           optimizer="adagrad"),
    _entry(NestedLoopAdaGradLeNet, "lenet", ["optimizer *:square_sum"],
           ["8 times", "eight times", "8x", "8 ×", "eight", "repeated", "nested", "once per parameter",
            "inside the loop", "inner loop", "for each parameter", "len(params)", "number of parameters",
            "several updates", "multiple updates", "several times", "multiple times"],
           optimizer="adagrad"),
    # rmsprop
    _entry(ScalarRmsRMSPropLeNet, "lenet", ["weights *"],
           ["mean", "scalar", "averaged over", "average over", "whole parameter", "whole array", "per element",
            "per-element", "element-wise", "elementwise", "one value", "single value", "one number", "s.mean"],
           optimizer="rmsprop"),
    _entry(ReorderedInPlaceRMSPropSoftmax, "softmax", ["optimizer *:square_average"],
           ["order", "*=", "in place", "in-place", "after adding", "after the add", "multiplied after",
            "decays the new", "decayed twice", "new square decayed", "gamma * (1 - gamma)", "0.09", "swapped lines"],
           optimizer="rmsprop"),
    # adadelta
    _entry(GammaKeyAdaDeltaMLP, "mlp", ["optimizer *:square_average"],
           ["rho", "0.9", "gamma", "wrong key", "key", "default", "get("],
           optimizer="adadelta"),
    _entry(TimesRootAdaDeltaSoftmax, "softmax", ["optimizer *:delta_average"],
           ["multipl", "instead of divid", "* instead of /", "product", "times the root", "times sqrt", "inverted",
            "upside", "reciprocal"],
           optimizer="adadelta"),
    # adam
    _entry(UnrootedCorrectionAdamLeNetBN, "lenet-bn", ["weights *"],
           ["root", "sqrt", "not under", "outside the root", "outside the square root", "1 - beta2", "1 - β2",
            "31.6", "31.62", "0.0316"],
           optimizer="adam"),
    _entry(PlusCorrectionAdamLinReg, "linear-regression", ["weights *"],
           ["1 + beta", "1 + β", "plus", "sign", "+ instead of -", "1.9", "1.999"],
           optimizer="adam"),
    # weight decay
    _entry(PerExampleLambdaWeightDecay, "weight-decay", ["weights fc1.weight"],
           ["20", "number of examples", "number of training examples", "training examples", "divided by n", "/ n",
            "λ/m", "λ / m", "lambda / m", "lambd / n", "0.15", "weaker", "twentieth", "1/20", "per example"],
           weight_decay=3.0),
    _entry(VelocityTypoDecayMomentumWeightDecay, "weight-decay", ["optimizer fc1.weight:momentum"],
           ["velocity", "v instead of w", "typo", "lambd * v", "λv", "λ * v", "λ·v", "wrong variable",
            "instead of the weight", "not the weight", "no decay"],
           optimizer="momentum", weight_decay=3.0),
    _entry(PreviousIndexDecayAdaGradWeightDecay, "weight-decay", ["optimizer fc1.weight:square_sum"],
           ["bias", "i - 1", "index", "off by one", "off-by-one", "wrong parameter", "previous parameter",
            "other parameter", "b instead of w", "λb", "lambd * b", "params[-1]"],
           optimizer="adagrad", weight_decay=3.0),
    _entry(SummedWeightsDecayRMSPropWeightDecay, "weight-decay", ["optimizer fc1.weight:square_average"],
           ["sum", "summed", "total", "every weight", "all weights", "all 200", "same for every", "scalar",
            "w.sum", "Σw", "one value"],
           optimizer="rmsprop", weight_decay=3.0),
]

ENTRIES = CORRECT + MISTAKES


if __name__ == "__main__":
    main(ENTRIES, __doc__)
