"""A nineteenth held-out corpus of learner code for `check`: correct formulations and mistakes nobody tuned it to.

What it is: learner classes over the built-in hand-written models (ScratchLeNet, ScratchLeNetBN, ScratchMLP,
ScratchDropout, ScratchSoftmax, ScratchLinearRegression, the latter also on the weight-decay model), each written the
way a learner following the gluon-tutorials / d2l-zh first-edition "from scratch" chapters writes code (cnn-scratch,
mlp-scratch, softmax-regression-scratch, linear-regression-scratch, dropout-scratch, batch-norm-scratch, reg-scratch,
gd-sgd, momentum, adagrad, rmsprop, adadelta, adam). The update rules are the learner's own: the eighth corpus's
`LessonLoops` and `LESSON_RULES`, imported; an entry replaces one rule function, `step`, the states or
`grads_for_rule`. The hand-written batch norms share `_LedgerBN` (batch-norm-scratch's `batch_norm`, its training
branch cut into `statistics`, `normalise`, `scale_shift` and `track`). CORRECT holds twelve formulations that compute
the reference's numbers written another way, two per rule, over the seven models, two with weight decay (3 on the
weight-decay model, 0.01 on the dropout MLP); the dropout ones keep the operator's masks, so they compute the very
numbers. MISTAKES holds twenty-four slips a learner plausibly makes, over conv, pooling, a dense layer, the
activation, the inputs, the loss, the labels, dropout, batch norm (its statistics, its normalisation, its moving
averages), all six update rules (two each) and weight decay, chosen to differ from every earlier corpus's (their
class names and first docstring lines were read for that, by an `ast` walk), and of varied kinds: a reshape without
its transpose, a loop index without its stride, a term doubled, a mask returned for its product, an augmentation or
an experiment left on, another task's loss, a draw without its shape, numpy's `X.size` for a count, an operator's
default, a weight left off, a helper copied from another chapter, a 1-based loop, a name rebound before an in-place
update, a hyperparameter read the wrong way round, a reduction over the wrong extent, another rule's epsilon, a factor
forgotten, a loop variable leaking out of its loop, a test on the wrong property. Each mistake carries, written down
before any run of anything, where check's first difference should be (`first`, "KIND PLACE" globs) and words any one
of which a correct explanation of its cause must contain (`words`).

How it was written: blind to the tool's diagnosis. Read: README.md (its first 150 lines); an `ls` of implementations/
and tests/ (names only); in implementations/ protocol.py, registry.py, ndarray_base.py, optimizers.py,
update_rules.py, spec_base.py, and the spec.py, scratch.py and tutorial.py of lenet, lenet_bn, mlp, dropout, softmax,
linear_regression and weight_decay; compare/training/steps.py, compare/data/batches.py, compare/data/dataset.py and
`optimizers_from` in compare/config/optimizers.py; tests/heldout18_corpus.py in full (the template for form); in
tests/heldout8_corpus.py `LESSON_RULES` (with the six rule functions it names) and `LessonLoops`; in
tests/heldout_corpus.py `Entry`, `_entry`, `TWICE` and everything from `Outcome` to the end; of the other corpora
(heldout, heldout2 to heldout18, independent, learner, outside_implementations, learner_update_rules,
learner_sequence_*) only their class names and each class's first docstring line; the sources of MXNet's own
`optimizer.AdaGrad.update` and `optimizer.RMSProp.update` (considered for a correct formulation, not used). Not read:
compare/checking/ (not even its file names), docs/, compare/config/check.py, tests/test_*.py, tests/judge_cases.py,
the other corpora's bodies, the git history, the twentieth corpus written beside this one, anything under /tmp but
/tmp/h19/. No search of public pages was made. check was never run while writing it, nor the corpus harness, nor
pytest.

What a throwaway script (/tmp/h19/verify.py, not committed) checked, after the expectations were written: every class
builds as the harness's check builds it (registry.build_model with `Optimizer(rule, (), weight_decay, recipe=the
model's recipe for the rule)` and the learning rate `with_learning_rate` resolves from it and the model's recipe,
seeds 0 and 1, one CPU context) and trains 10 steps on real Fashion-MNIST (the first 640 training images, batches of
64, in stored order) or the model's synthetic data (the first 640 examples in batches of 64; all 20 examples in every
batch for weight decay), beside a built-in. Its step is training_step's with `layer_outputs` for `forward` and the
model's own objective (`objective_for(spec).of(model)`), MXNet's and numpy's seeds set alike before each model's step;
before each step the built-in is given the learner's weights, state and (from the second step; both start at zero)
reported optimizer state and step count, so that each step starts from the same point. Quantities compared in the
order layers, loss, gradients from the loss backwards (read after the step), optimizer state (per parameter, in the
rule's order of states), weights, state, by the largest absolute difference over the largest absolute value of the
built-in's (on LeNet-BN the conv biases left out), a difference above 1e-5 counting. The classes on `_LedgerBN` were
run beside the `tutorial` built-in (the chapter's own batch norm), all others beside `scratch`. Each correct
formulation agrees to float32 rounding: largest relative difference in any quantity of any of the 10 steps on seeds 0
and 1 exactly 0 for all but PowerRootAdamSoftmax, 4.5e-8 and 5.3e-9 (a power of 0.5 for the root). Each mistake
changes the numbers against its built-in, every run stayed finite, and the script's first differing quantity matched
`first` on both seeds, at the first step but for ComplementDecayMomentumLinReg (optimizer fc1.weight:momentum at the
second step, 0.45 and 0.34 relative: the first step is the chapter's) and UndecayedOldTermRMSPropDropout (optimizer
fc1.weight:square_average at the second step, 0.017 and 0.025). Relative sizes of the first differences on seeds 0
and 1: conv1 1.4 and 1.5 (Im2colReshape), pool1 1.0 and 0.94 (UnstridedWindow), gradient fc1.bias 1.0 on both
(BiasTwiceDense), relu1 8.1 and 13 (MaskOnlyRelu), flatten 0.55 and 0.15 (MixupWithoutLabels), the loss 0.70 on both
(SigmoidBCELoss) and 0.38 and 0.54 (LabelNoise), dropout1 0.96 and 0.76 (ShapelessDraw), bn1 1.9 on both
(ElementCountStats) and 43 and 75 (DefaultFixGamma), state bn1.running_mean 9.0 on both (UnweightedBatchTerm),
gradient fc1.bias 1.0 on both (RnnClipping: the clipping writes into the gradients), weights fc1.weight 0.99 and 1.1
(OneBasedLoop), optimizer conv1.weight:momentum 1.0 on both (RebindThenInPlace: still 0), conv1.weight:square_sum 36
and 15 (TensorSumSquares), weights fc1.weight 1.6 and 1.5 (AdamEpsAdaGrad) and 1.3 and 1.5 (GradientlessStep),
delta_average 295 and 260 (MagnitudeDelta) and 1.4e-3 and 2.1e-2 (LeakedChange), first_moment 8.0 on both
(SwappedWeightsFirstMoment), second_moment 999 on both (UnweightedSecondMoment), weights fc1.weight 9.1e-3 on both
(VectorTestDecay).

Two entries did not behave as their expectations said on the script's first run and were replaced (their
expectations not edited; each replacement's written before its own run, which it then matched): CachedTransposeDense
(fc1 with `W1.T` cached on the first call, expected first at W1's gradient; the copy was made under autograd's
recording, so the first difference was fc1's output at the second step), replaced by BiasTwiceDenseAdaGradMLP; and
UnsquaredChangeAdaDelta (delta fed the signed change, which went NaN within the ten steps), replaced by
MagnitudeDeltaAdaDeltaMLP. All 36 entries were then run again on the final file, with the numbers above.

Expectations written before the first run; not changed after.

First run (2026-12-08, on 99b8c90, seeds 0 and 1; the corpus committed before it, written by a helper that reported
neither its entries nor its expectations, and run together with the twentieth on the same commit, the first with the
program readings): by the fixed words above, 35 of 48 mistake checks named (73 %), 8 at the right place with a wrong
or no cause, 4 at another place, 1 refused with its cause (forward writing into gamma); 0 false alarms in 24 checks
of correct formulations. Graded by an independent judge: 42 of 48 NAMED (87 %), 4 PLACE_ONLY, 2 WRONG, none missed."""
from __future__ import annotations

import collections
import functools

import numpy as np
from heldout8_corpus import LESSON_RULES, LessonLoops
from heldout_corpus import _entry, main

from implementations.dropout.scratch import ScratchDropout
from implementations.lenet.scratch import ScratchLeNet
from implementations.lenet_bn.scratch import ScratchLeNetBN
from implementations.linear_regression.scratch import ScratchLinearRegression
from implementations.mlp.scratch import ScratchMLP
from implementations.mxnet_compat import mx
from implementations.softmax.scratch import ScratchSoftmax

nd = mx.nd
autograd = mx.autograd


def _with(layers, **replacements):
    return {**layers, **replacements}


class _LedgerBN(ScratchLeNetBN):
    """LeNet with the learner's batch-norm-scratch `batch_norm` for bn1 and bn2, its training branch cut into
    `statistics` (the batch's per-channel mean and variance), `normalise` (the standardised maps), `scale_shift`
    (gamma and beta) and `track` (the moving averages, updated in place): an entry changes one."""

    def layer_functions(self, p):
        layers = super().layer_functions(p)
        for layer in self.spec.normalized:
            layers[layer] = functools.partial(self.batch_norm, p=p, layer=layer)
        return layers

    def batch_norm(self, X, p, layer):
        eps, momentum, shape = self.spec.epsilon, self.spec.momentum, (1, -1, 1, 1)
        gamma, beta = p[layer + ".gamma"].reshape(shape), p[layer + ".beta"].reshape(shape)
        moving_mean, moving_var = p[layer + ".running_mean"], p[layer + ".running_var"]
        if not autograd.is_training():
            X_hat = (X - moving_mean.reshape(shape)) / nd.sqrt(moving_var.reshape(shape) + eps)
            return gamma * X_hat + beta
        mean, var = self.statistics(X)
        Y = self.scale_shift(self.normalise(X, mean, var, eps), gamma, beta)
        self.track(mean, var, (moving_mean, moving_var), momentum)
        return Y

    def statistics(self, X):
        mean = X.mean(axis=(0, 2, 3), keepdims=True)
        var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        return mean, var

    def normalise(self, X, mean, var, eps):
        return (X - mean) / nd.sqrt(var + eps)

    def scale_shift(self, X_hat, gamma, beta):
        return gamma * X_hat + beta

    def track(self, mean, var, moving, momentum):
        moving_mean, moving_var = moving
        moving_mean[:] = momentum * moving_mean + (1 - momentum) * mean.reshape((-1,)).detach()
        moving_var[:] = momentum * moving_var + (1 - momentum) * var.reshape((-1,)).detach()


# ---- correct formulations ----------------------------------------------------------------------------------------

def _guarded_always_dropout(drop_prob):
    def dropout(X):
        if not autograd.is_training():  # the learner's own guard, as dropout-scratch writes it
            return X
        return nd.Dropout(X, p=drop_prob, mode="always")
    return dropout


class GuardedAlwaysModeDropoutSgd(LessonLoops, ScratchDropout):
    """dropout as `nd.Dropout(X, p, mode='always')` under dropout-scratch's own `if autograd.is_training()` guard.

    The learner moved from the chapter's hand-drawn mask to MXNet's operator, but kept the chapter's guard and told the
    operator to always drop ("the guard decides, not the operator"): in training the operator runs exactly as with
    its default mode, the same draws from the same generator, the kept units scaled by 1 / (1 - p); in evaluation the
    guard hands X through. The dropout MLP, the learner's sgd."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), dropout1=_guarded_always_dropout(self.spec.drop1),
                     dropout2=_guarded_always_dropout(self.spec.drop2))


class MXNetSgdUpdaterLeNetBN(LessonLoops, ScratchLeNetBN):
    """sgd through MXNet's own `mx.optimizer.SGD` driven by hand, `rescale_grad = 1 / batch_size`; LeNet-BN.

    The learner, having read the gluon chapter's Trainer, calls MXNet's updater per parameter, `updater(i,
    param.grad, param)`, setting the optimizer's learning rate and `rescale_grad` before each step: sgd_update's
    `w - lr * (rescale_grad * grad)`, the chapter's `lr * grad / batch_size`, rounding apart (no momentum, no decay
    here); batch-norm-scratch's network with the operator's batch norm."""

    def use_optimizer(self, optimizer):
        super().use_optimizer(optimizer)
        self.mxnet_sgd, self.sgd_updater = None, None
        if optimizer.plain_sgd:
            self.mxnet_sgd = mx.optimizer.SGD(learning_rate=0.1, momentum=0.0, wd=0.0)  # the rate is set each step
            self.sgd_updater = mx.optimizer.get_updater(self.mxnet_sgd)

    def step(self, batch_size, learning_rate):
        if self.sgd_updater is None:
            return super().step(batch_size, learning_rate)
        self.hyperparams["t"] += 1
        self.mxnet_sgd.set_learning_rate(learning_rate)
        self.mxnet_sgd.rescale_grad = 1.0 / batch_size
        for index, name in enumerate(self.order):
            self.sgd_updater(index, self.params[name].grad, self.params[name])


def _momentum_augmented_assignment(params, grads, states, hyperparams):
    lr, mom = hyperparams["lr"], hyperparams["momentum"]
    for param, g, (v,) in zip(params, grads, states):
        v *= mom  # NDArray's augmented operators write into the array itself, like numpy's
        v += lr * g
        param -= v


class AugmentedAssignMomentumLeNet(LessonLoops, ScratchLeNet):
    """momentum with numpy's augmented assignments, `v *= mom; v += lr * g; param -= v`; cnn-scratch's LeNet.

    The learner's numpy habit: `*=`, `+=` and `-=` on an NDArray are in place, so the velocity kept in the state list
    and the parameter are updated themselves, not rebound; the same products and sums as the chapter's `v[:] = mom *
    v + lr * g; param[:] = param - v`, in the same order."""

    lesson_rules = {**LESSON_RULES, "momentum": _momentum_augmented_assignment}


class NumpyVelocityMomentumWeightDecay(LessonLoops, ScratchLinearRegression):
    """momentum with its velocities kept as float32 numpy arrays on the host; on the weight-decay model, lambd = 3.

    The learner's numpy habit: `v = np.zeros(w.shape, dtype='float32')`, `v[:] = mom * v + lr * g.asnumpy()`, and the
    weights stepped by `param[:] = param - nd.array(v)`; the gradient with reg-scratch's `lambd * w` added (on the
    weight only) before it. float32 throughout, the same operations in the same order: the chapter's rule, rounding
    apart; the velocities are reported as NDArrays."""

    def make_states(self):
        return [tuple(np.zeros(self.params[name].shape, dtype=np.float32) for _ in self.state_keys)
                for name in self.order]

    def optimizer_state(self):
        return {f"{name}:{key}": nd.array(array, ctx=self.params[name].context)
                for name, arrays in zip(self.order, self.rule_states) for key, array in zip(self.state_keys, arrays)}

    def step(self, batch_size, learning_rate):
        if self.rule_name != "momentum":
            return super().step(batch_size, learning_rate)
        self.hyperparams["t"] += 1
        mom = self.hyperparams["momentum"]
        for name, g, (v,) in zip(self.order, self.grads_for_rule(batch_size), self.rule_states):
            v[:] = mom * v + learning_rate * g.asnumpy()
            param = self.params[name]
            param[:] = param - nd.array(v, ctx=param.context)


def _adagrad_fluent_methods(params, grads, states, hyperparams):
    lr, eps = hyperparams["lr"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s += g.square()  # in place: the state in the list itself
        param -= lr * g / (s + eps).sqrt()


class FluentMethodsAdaGradLinReg(LessonLoops, ScratchLinearRegression):
    """adagrad in NDArray's method style, `s += g.square(); param -= lr * g / (s + eps).sqrt()`; linreg.

    Written the way the later edition's code reads, methods and in-place operators, but with g the gradient divided by
    the batch as in the adagrad chapter: the sum of squares and the step are the chapter's, operator for operator;
    linear-regression-scratch's model."""

    lesson_rules = {**LESSON_RULES, "adagrad": _adagrad_fluent_methods}


class RebindListAdaGradMLP(LessonLoops, ScratchMLP):
    """adagrad with its sums of squares in a Python list, each step binding a new array, `sums[i] = sums[i] + g^2`.

    No slice assignment: the list's entry is replaced by the new sum every step, and it is the list that the step
    reads and the report shows, so nothing is lost; the step is the chapter's `lr * g / nd.sqrt(s + eps)`;
    mlp-scratch's MLP."""

    def use_optimizer(self, optimizer):
        super().use_optimizer(optimizer)
        self.sums = [nd.zeros(self.params[name].shape, ctx=self.params[name].context) for name in self.order]

    def optimizer_state(self):
        if self.rule_name != "adagrad":
            return super().optimizer_state()
        return {f"{name}:square_sum": total for name, total in zip(self.order, self.sums)}

    def step(self, batch_size, learning_rate):
        if self.rule_name != "adagrad":
            return super().step(batch_size, learning_rate)
        self.hyperparams["t"] += 1
        eps = self.hyperparams["epsilon"]
        for index, (name, g) in enumerate(zip(self.order, self.grads_for_rule(batch_size))):
            self.sums[index] = self.sums[index] + nd.square(g)
            param = self.params[name]
            param[:] = param - learning_rate * g / nd.sqrt(self.sums[index] + eps)


class _MeanSquare:
    """The learner's small helper: one parameter's running average of squared gradients and its root."""

    def __init__(self, shape, ctx, gamma):
        self.value, self.gamma = nd.zeros(shape, ctx=ctx), gamma

    def add(self, g):
        self.value[:] = self.gamma * self.value + (1 - self.gamma) * nd.square(g)

    def root(self, eps):
        return nd.sqrt(self.value + eps)


class MeanSquareObjectRMSPropLeNetBN(LessonLoops, ScratchLeNetBN):
    """rmsprop with one `_MeanSquare` object per parameter, `ms.add(g)` then `g / ms.root(eps)`; LeNet-BN.

    The learner wrapped the chapter's average in a class: `add` is the chapter's `s = gamma * s + (1 - gamma) * g^2`,
    `root` its `nd.sqrt(s + eps)`, and the step `lr * g / ms.root(eps)`; the averages are reported as square_average.
    The chapter's numbers; batch-norm-scratch's network with the operator's batch norm."""

    def use_optimizer(self, optimizer):
        super().use_optimizer(optimizer)
        gamma = optimizer.values.get("gamma", 0.0)
        self.mean_squares = [_MeanSquare(self.params[name].shape, self.params[name].context, gamma)
                             for name in self.order]

    def optimizer_state(self):
        if self.rule_name != "rmsprop":
            return super().optimizer_state()
        return {f"{name}:square_average": ms.value for name, ms in zip(self.order, self.mean_squares)}

    def step(self, batch_size, learning_rate):
        if self.rule_name != "rmsprop":
            return super().step(batch_size, learning_rate)
        self.hyperparams["t"] += 1
        eps = self.hyperparams["epsilon"]
        for name, g, mean_square in zip(self.order, self.grads_for_rule(batch_size), self.mean_squares):
            mean_square.add(g)
            param = self.params[name]
            param[:] = param - learning_rate * g / mean_square.root(eps)


class IdentityDecayRMSPropDropout(LessonLoops, ScratchDropout):
    """rmsprop with reg-scratch's decay chosen by identity, `any(param is W for W in (W1, W2, W3))`; lambd = 0.01.

    The learner knew that `param in weights` compares NDArrays element by element (and fails), so it tests identity
    against the chapter's weight matrices W1, W2, W3: exactly the weights are decayed, the biases not, `g + lambd *
    param`; the rmsprop chapter's rule on the dropout MLP, the Dropout operator's masks."""

    def grads_for_rule(self, batch_size):
        weights = (self.params["fc1.weight"], self.params["fc2.weight"], self.params["fc3.weight"])  # W1, W2, W3
        grads = []
        for name in self.order:
            param = self.params[name]
            g = param.grad / batch_size
            if self.lambd and any(param is weight for weight in weights):
                g = g + self.lambd * param
            grads.append(g)
        return grads


def _adadelta_rate_first(params, grads, states, hyperparams):
    rho, eps = hyperparams["rho"], hyperparams["epsilon"]
    for param, g, (s, delta) in zip(params, grads, states):
        s[:] = rho * s + (1 - rho) * nd.square(g)
        rate = nd.sqrt(delta + eps) / nd.sqrt(s + eps)  # "each element's own learning rate"
        delta[:] = rho * delta + (1 - rho) * nd.square(rate * g)
        param[:] = param - rate * g


class ElementRateAdaDeltaLeNet(LessonLoops, ScratchLeNet):
    """adadelta computing each element's rate first, `rate = nd.sqrt(delta + eps) / nd.sqrt(s + eps)`, then `rate * g`.

    The learner reads adadelta as adagrad with a learned per-element learning rate: the rate from the old delta, the
    change `rate * g` squared into delta's average and taken as the step. The same quantities in the same order as
    the chapter's `g'`; cnn-scratch's LeNet."""

    lesson_rules = {**LESSON_RULES, "adadelta": _adadelta_rate_first}


def _adadelta_keyword_only(params, grads, states, *, rho, epsilon, **unused):
    for param, g, (s, delta) in zip(params, grads, states):
        s[:] = rho * s + (1 - rho) * nd.square(g)
        change = nd.sqrt(delta + epsilon) / nd.sqrt(s + epsilon) * g
        delta[:] = rho * delta + (1 - rho) * nd.square(change)
        param[:] = param - change


class KeywordHyperparamsAdaDeltaSoftmax(LessonLoops, ScratchSoftmax):
    """adadelta with its hyperparameters as keyword-only arguments, called `adadelta(params, grads, states, **hp)`.

    The learner's tidy-code habit: `def adadelta(params, grads, states, *, rho, epsilon, **unused)`, the dict
    unpacked into it (its 'lr' and 't' land in `unused`); the body is the chapter's. Softmax regression."""

    def step(self, batch_size, learning_rate):
        if self.rule_name != "adadelta":
            return super().step(batch_size, learning_rate)
        self.hyperparams["t"] += 1
        params = [self.params[name] for name in self.order]
        _adadelta_keyword_only(params, self.grads_for_rule(batch_size), self.rule_states, **self.hyperparams)


def _adam_power_root(params, grads, states, hyperparams):
    lr, beta1, beta2, eps, t = (hyperparams[key] for key in ("lr", "beta1", "beta2", "epsilon", "t"))
    for param, g, (v, s) in zip(params, grads, states):
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + (1 - beta2) * g ** 2
        v_hat = v / (1 - beta1 ** t)
        s_hat = s / (1 - beta2 ** t)
        param[:] = param - lr * v_hat / (s_hat ** 0.5 + eps)  # numpy's `** 0.5` for the root


class PowerRootAdamSoftmax(LessonLoops, ScratchSoftmax):
    """adam with the squares and the root written as powers, `g ** 2` and `s_hat ** 0.5`; softmax regression.

    The learner's numpy habit, powers for `nd.square` and `nd.sqrt`: the same moments, corrections and step as the
    adam chapter's, a power of 0.5 computing the square root (to the last bit or one ulp)."""

    lesson_rules = {**LESSON_RULES, "adam": _adam_power_root}


Moments = collections.namedtuple("Moments", "first second")


class NamedTupleMomentsAdamMLP(LessonLoops, ScratchMLP):
    """adam with each parameter's moments in a `namedtuple('Moments', 'first second')`, replaced by `_replace`.

    The learner's immutable-state habit: each step builds the new moments, `m = m._replace(first=beta1 * m.first + (1
    - beta1) * g, second=...)`, stores the new tuple in the list, and steps with the chapter's corrected moments;
    nothing is written in place but the parameters. mlp-scratch's MLP."""

    def use_optimizer(self, optimizer):
        super().use_optimizer(optimizer)
        self.moments = [Moments(*(nd.zeros(self.params[name].shape, ctx=self.params[name].context) for _ in "fs"))
                        for name in self.order]

    def optimizer_state(self):
        if self.rule_name != "adam":
            return super().optimizer_state()
        state = {}
        for name, moments in zip(self.order, self.moments):
            state[f"{name}:first_moment"], state[f"{name}:second_moment"] = moments.first, moments.second
        return state

    def step(self, batch_size, learning_rate):
        if self.rule_name != "adam":
            return super().step(batch_size, learning_rate)
        self.hyperparams["t"] += 1
        beta1, beta2, eps, t = (self.hyperparams[key] for key in ("beta1", "beta2", "epsilon", "t"))
        for index, (name, g) in enumerate(zip(self.order, self.grads_for_rule(batch_size))):
            moments = self.moments[index]
            moments = moments._replace(first=beta1 * moments.first + (1 - beta1) * g,
                                       second=beta2 * moments.second + (1 - beta2) * nd.square(g))
            self.moments[index] = moments
            v_hat, s_hat = moments.first / (1 - beta1 ** t), moments.second / (1 - beta2 ** t)
            param = self.params[name]
            param[:] = param - learning_rate * v_hat / (nd.sqrt(s_hat) + eps)


# ---- mistakes: layers, inputs, loss and labels -------------------------------------------------------------------

def _im2col_conv_unpermuted(X, W, b):
    batch, filters, k = X.shape[0], W.shape[0], W.shape[2]
    out = X.shape[2] - k + 1
    # one row per tap (a single input channel): (k * k, N * out * out), columns ordered (example, row, column)
    cols = nd.concat(*[X[:, :, i:i + out, j:j + out].reshape((1, -1)) for i in range(k) for j in range(k)], dim=0)
    Y = nd.dot(W.reshape((filters, -1)), cols)  # (filters, N * out * out): filter-major
    # right: Y.reshape((filters, batch, out, out)).transpose((1, 0, 2, 3)); the reshape alone deals the rows out
    return Y.reshape((batch, filters, out, out)) + b.reshape((1, -1, 1, 1))


class Im2colReshapeConvAdamLeNet(LessonLoops, ScratchLeNet):
    """conv1 as im2col and one GEMM whose (filters, N * 24 * 24) product is reshaped to (N, 20, 24, 24) untransposed.

    The learner's im2col is right (one row per tap, one column per output position of every example) and so is the
    product with `W.reshape((20, 25))`; but the result is filter-major, and `Y.reshape((N, 20, 24, 24))` deals its
    rows out as if it were example-major: each example's maps are pieces of other examples' and filters' responses.
    Right: `Y.reshape((20, N, 24, 24)).transpose((1, 0, 2, 3))`. The shapes fit; trained by adam."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p),
                     conv1=lambda X: _im2col_conv_unpermuted(X, p["conv1.weight"], p["conv1.bias"]))


def _pool_window_index_unstrided(X):
    height, width = X.shape[2] // 2, X.shape[3] // 2
    # d2l's pool2d loop with the output sized for stride 2 but each window taken at (i, j), not (2 i, 2 j):
    # Y[:, :, i, j] = X[:, :, i:i + 2, j:j + 2].max(), i.e. the stride-1 pooled map's top-left corner
    return nd.Pooling(X, pool_type="max", kernel=(2, 2), stride=(1, 1))[:, :, :height, :width]


class UnstridedWindowPoolRMSPropLeNetBN(LessonLoops, ScratchLeNetBN):
    """pool1 as d2l's `pool2d` loop sized for stride 2, `Y = zeros(h // 2, w // 2)`, but windows taken at `X[i:i + 2]`.

    The chapter's pool2d has stride 1; the learner made the output half the size for LeNet's stride 2 and forgot to
    multiply the window's index by the stride: `Y[i, j] = X[i:i + 2, j:j + 2].max()` where `X[2*i:2*i + 2, 2*j:2*j +
    2]` belongs. Each 12 x 12 map is the max over overlapping windows of the top-left 13 x 13 of the 24 x 24 map, the
    rest of the image never seen; LeNet with batch norm, rmsprop."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), pool1=_pool_window_index_unstrided)


class BiasTwiceDenseAdaGradMLP(LessonLoops, ScratchMLP):
    """fc1 moved from `nd.dot(X, W1.T) + b1` to `nd.FullyConnected(X, W1, b1, num_hidden=256) + b1`: b1 added twice.

    The learner replaced the chapter's product by MXNet's dense operator and kept the `+ b1` of the old line; the
    operator already adds the bias it is given, so fc1's output carries 2 * b1 and its bias's gradient is twice the
    chapter's (the output's gradient summed once for each addition). The biases start at 0, so the first forward pass
    is the chapter's; mlp-scratch's MLP, adagrad.

    (Replaces CachedTransposeDenseAdaGradMLP, `self.W1_T = W1.T` cached on the first call, which the verifier showed
    not to behave as expected: the copy was made under autograd's recording, so the first step's gradient did reach
    W1 and the first difference was fc1's output at the second step, not W1's gradient.)"""

    def layer_functions(self, p):
        def fc1(X):
            product = nd.FullyConnected(X, p["fc1.weight"], p["fc1.bias"], num_hidden=self.spec.hidden_units)
            return product + p["fc1.bias"]  # kept from `nd.dot(X, W1.T) + b1`: the operator added b1 already
        return _with(super().layer_functions(p), fc1=fc1)


class MaskOnlyReluMomentumLeNet(LessonLoops, ScratchLeNet):
    """relu1 written `return X > 0`: the mask of the chapter's `(X > 0) * X`, the `* X` forgotten.

    The learner built ReLU from a mask and returned the mask itself: every positive value becomes 1.0 and every
    other 0.0, a step function. The maps pool1 and conv2 see are 0/1, and a comparison has no gradient, so conv1
    learns nothing; trained by momentum."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), relu1=lambda X: X > 0)


class MixupWithoutLabelsSgdMLP(LessonLoops, ScratchMLP):
    """mixup left on in training, `lam * X + (1 - lam) * nd.flip(X, axis=0)`, without mixing the labels with it.

    The learner's augmentation from another notebook: each training batch is blended with itself reversed by a
    weight drawn `np.random.beta(1, 1)`; mixup also blends the labels by the same weight, and that line was not
    brought over: each example is trained toward its own label on an image that is partly another's. Evaluation
    sees the images unmixed; mlp-scratch's MLP, the learner's sgd."""

    def layer_functions(self, p):
        def mixed_flatten(X):
            X = nd.flatten(X)
            if autograd.is_training():
                lam = float(np.random.beta(1.0, 1.0))
                X = lam * X + (1 - lam) * nd.flip(X, axis=0)
            return X
        return _with(super().layer_functions(p), flatten=mixed_flatten)


class SigmoidBCELossRMSPropLeNet(LessonLoops, ScratchLeNet):
    """LeNet's loss as Gluon's `SigmoidBinaryCrossEntropyLoss()` against `nd.one_hot(y, 10)`, a multi-label habit.

    The learner's previous project tagged images with several labels at once and its loss came along: ten
    independent sigmoids, each class a yes/no question, the binary cross-entropy averaged over the ten. The chapter's
    softmax cross-entropy makes the classes compete for one probability; this loss does not normalise over them (and
    is about log 2 per class at the start, not log 10); trained by rmsprop."""

    binary_cross_entropy = mx.gluon.loss.SigmoidBinaryCrossEntropyLoss()

    def own_loss(self, y_hat, y):
        return self.binary_cross_entropy(y_hat, nd.one_hot(y, self.spec.num_classes))


class LabelNoiseAdaDeltaSoftmax(LessonLoops, ScratchSoftmax):
    """a label-noise experiment left on: in training 20 % of the labels are replaced by random classes in the loss.

    The learner had tested how softmax regression copes with noisy labels, `flip = uniform(0, 1) < 0.2`, `y =
    nd.where(flip, randint(0, 10), y)`, and the lines stayed above the chapter's `-pick(log_softmax(y_hat), y)`:
    about one label in five is a random class (one in ten of those the right one by chance); adadelta."""

    noise_rate = 0.2

    def own_loss(self, y_hat, y):
        if autograd.is_training():
            flip = nd.random.uniform(0, 1, shape=y.shape, ctx=y.context) < self.noise_rate
            random_labels = nd.random.randint(0, self.spec.num_classes, shape=y.shape, ctx=y.context)
            y = nd.where(flip, random_labels.astype("float32"), y)
        return -nd.pick(nd.log_softmax(y_hat), y)


def _shapeless_draw_dropout(drop_prob):
    keep_prob = 1 - drop_prob

    def dropout(X):
        if not autograd.is_training():
            return X
        mask = nd.random.uniform(0, 1, ctx=X.context) < keep_prob  # no shape given: one draw, shape (1,)
        return mask * X / keep_prob
    return dropout


class ShapelessDrawDropoutAdam(LessonLoops, ScratchDropout):
    """dropout's draw typed `nd.random.uniform(0, 1) < keep_prob` without `X.shape`: one number for the whole layer.

    The chapter draws `nd.random.uniform(0, 1, X.shape)`, one uniform per unit; without the shape MXNet draws a single
    value, and the mask broadcasts: each batch the whole layer is either kept (every unit scaled by 1 / keep_prob) or
    dropped entirely, with the layer's probability. The dropout MLP, adam."""

    def layer_functions(self, p):
        return _with(super().layer_functions(p), dropout1=_shapeless_draw_dropout(self.spec.drop1),
                     dropout2=_shapeless_draw_dropout(self.spec.drop2))


# ---- mistakes: batch norm ----------------------------------------------------------------------------------------

class ElementCountStatsMomentumBN(LessonLoops, _LedgerBN):
    """batch norm's mean and variance as sums over (N, H, W) divided by `X.size`, numpy's count of every element.

    The learner wrote the statistics as sums divided by the count and took numpy's `X.size` for it: N * C * H * W
    values where each channel's sum has N * H * W, so the mean and the variance are 20 (bn1) or 50 (bn2) times too
    small; the maps are centred on a fraction of their mean and divided by the root of a fraction of their variance.
    Right: `X.size // X.shape[1]`, or `.mean(axis=(0, 2, 3))`. Trained by momentum."""

    def statistics(self, X):
        count = X.size  # every element: C times the count of each channel's values
        mean = X.sum(axis=(0, 2, 3), keepdims=True) / count
        var = ((X - mean) ** 2).sum(axis=(0, 2, 3), keepdims=True) / count
        return mean, var


class DefaultFixGammaBNAdaGrad(LessonLoops, ScratchLeNetBN):
    """batch norm as `nd.BatchNorm(X, gamma, beta, moving_mean, moving_var, eps=eps, momentum=m)`: fix_gamma not set.

    The learner swapped the hand-written batch norm for MXNet's operator and passed everything but `fix_gamma=False`:
    the operator's default, fix_gamma=True, holds the scale at 1 and ignores the learned gamma (the chapter's starts
    at N(0, 0.01)), so every normalised map leaves the layer 1 / |gamma| times larger, with its sign; adagrad."""

    def layer_functions(self, p):
        spec = self.spec

        def batch_norm(layer):
            return lambda X: nd.BatchNorm(X, p[layer + ".gamma"], p[layer + ".beta"], p[layer + ".running_mean"],
                                          p[layer + ".running_var"], eps=spec.epsilon, momentum=spec.momentum)
        return _with(super().layer_functions(p), bn1=batch_norm("bn1"), bn2=batch_norm("bn2"))


class UnweightedBatchTermMovingSgdBN(LessonLoops, _LedgerBN):
    """batch norm's moving averages typed `momentum * moving + mean`: the new statistic's `(1 - momentum)` left off.

    The learner wrote the moving averages the way it writes momentum's velocity, `moving_mean[:] = momentum *
    moving_mean + mean` (and the variance alike): each batch adds its whole statistic to nine tenths of the old
    average, so the averages grow toward ten times the statistics (the first batch's is 1.0 of it where the chapter's
    is 0.1). Training is the chapter's; evaluation normalises by the inflated averages; the learner's sgd."""

    def track(self, mean, var, moving, momentum):
        moving_mean, moving_var = moving
        moving_mean[:] = momentum * moving_mean + mean.reshape((-1,)).detach()
        moving_var[:] = momentum * moving_var + var.reshape((-1,)).detach()


# ---- mistakes: the update rules ----------------------------------------------------------------------------------

def _clip_by_global_norm(params, theta):
    norm = nd.zeros((1,), ctx=params[0].context)
    for param in params:
        norm += (param.grad ** 2).sum()
    norm = norm.sqrt().asscalar()
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


class RnnClippingSgdSoftmax(LessonLoops, ScratchSoftmax):
    """sgd with rnn-scratch's `grad_clipping(params, theta=0.01)` called before it, copied from the language model.

    The learner kept the recurrent chapter's training helper, which clips the summed gradients to a global norm of
    `clipping_theta = 1e-2` before `sgd(params, lr, batch_size)`. Softmax regression's summed gradients have a norm
    far above 0.01, so every gradient is scaled down to it and the steps shrink by that factor; no clipping belongs
    here."""

    def step(self, batch_size, learning_rate):
        if self.rule_name != "sgd":
            return super().step(batch_size, learning_rate)
        self.hyperparams["lr"] = learning_rate
        self.hyperparams["t"] += 1
        params = [self.params[name] for name in self.order]
        _clip_by_global_norm(params, theta=1e-2)
        LESSON_RULES["sgd"](params, self.grads_for_rule(batch_size), self.rule_states, self.hyperparams)


def _sgd_one_based_loop(params, grads, states, hyperparams):
    lr = hyperparams["lr"]
    for i in range(1, len(params)):  # MATLAB's 1-based habit: index 0 is never visited
        params[i][:] = params[i] - lr * grads[i]


class OneBasedLoopSgdLinReg(LessonLoops, ScratchLinearRegression):
    """sgd over `for i in range(1, len(params))`, an index loop begun at 1: params[0], the weight w, never steps.

    The learner came from MATLAB, whose arrays count from 1, and wrote the update as an index loop: `range(1,
    len(params))` visits b alone, so the weight keeps its initial N(0, 0.01) values while the bias fits the targets
    by itself; linear-regression-scratch's model."""

    lesson_rules = {**LESSON_RULES, "sgd": _sgd_one_based_loop}


def _momentum_rebind_then_in_place(params, grads, states, hyperparams):
    lr, mom = hyperparams["lr"], hyperparams["momentum"]
    for param, g, (v,) in zip(params, grads, states):
        v = mom * v  # a new array: the name no longer refers to the state in the list
        v += lr * g  # in place, but on that new array
        param[:] = param - v


class RebindThenInPlaceMomentumLeNet(LessonLoops, ScratchLeNet):
    """momentum written `v = mom * v` then `v += lr * g`: the first line rebinds v, so the kept velocity stays 0.

    The learner mixed the two idioms: `v = mom * v` makes a new array and binds the loop's name to it, and the
    in-place `+=` then updates that new array, not the state in the list. The stored velocity is never written: every
    step starts from v = 0 and takes `lr * g`, plain sgd, while the state reads 0; cnn-scratch's LeNet."""

    lesson_rules = {**LESSON_RULES, "momentum": _momentum_rebind_then_in_place}


def _momentum_complement_decay(params, grads, states, hyperparams):
    lr, mom = hyperparams["lr"], hyperparams["momentum"]
    for param, g, (v,) in zip(params, grads, states):
        v[:] = (1 - mom) * v + lr * g  # "mom is how much of the new gradient": the old velocity's weight is mom
        param[:] = param - v


class ComplementDecayMomentumLinReg(LessonLoops, ScratchLinearRegression):
    """momentum's velocity decayed by `(1 - mom)`, `v = (1 - mom) * v + lr * g`, the momentum read as a mixing weight.

    The learner read momentum 0.9 like an average's weight on the new value and kept 1 - 0.9 = 0.1 of the old
    velocity: the first step agrees (v = lr * g), then each velocity keeps a tenth of the last where the chapter
    keeps nine tenths, next to plain sgd; on the linear-regression chapter's data, momentum 0.9."""

    lesson_rules = {**LESSON_RULES, "momentum": _momentum_complement_decay}


def _adagrad_tensor_sum(params, grads, states, hyperparams):
    lr, eps = hyperparams["lr"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s[:] = s + nd.square(g).sum()  # "the sum of squared gradients": summed over the tensor, then broadcast
        param[:] = param - lr * g / nd.sqrt(s + eps)


class TensorSumSquaresAdaGradLeNetBN(LessonLoops, ScratchLeNetBN):
    """adagrad's accumulator fed `nd.square(g).sum()`: the squares summed over the whole tensor, one number broadcast.

    "Accumulate the sum of squared gradients", read as a sum over the elements: each step adds the tensor's squared
    norm to every element of s, so every element of a parameter divides by the same root, that of the whole layer's
    accumulated norm, where the chapter keeps one sum per element; LeNet with batch norm."""

    lesson_rules = {**LESSON_RULES, "adagrad": _adagrad_tensor_sum}


def _adagrad_adam_eps(params, grads, states, hyperparams):
    lr, eps = hyperparams["lr"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s[:] = s + nd.square(g)
        param[:] = param - lr * g / (nd.sqrt(s) + eps)  # adam's placement; the adagrad chapter's is sqrt(s + eps)


class AdamEpsAdaGradDropout(LessonLoops, ScratchDropout):
    """adagrad dividing by `nd.sqrt(s) + eps`, epsilon outside the root as the adam chapter places it.

    The learner wrote adam first and carried its denominator back to adagrad: the sum of squares is the chapter's,
    but the step divides by sqrt(s) + 1e-6 where the chapter's is sqrt(s + 1e-6). Where the summed squares are small
    next to eps (the dropout MLP's gradients, about 1e-3 and below) the chapter's root is near sqrt(eps) = 1e-3 and
    this one near |g|: far larger steps; the Dropout operator's masks."""

    lesson_rules = {**LESSON_RULES, "adagrad": _adagrad_adam_eps}


def _rmsprop_gradientless_step(params, grads, states, hyperparams):
    lr, gamma, eps = hyperparams["lr"], hyperparams["gamma"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s[:] = gamma * s + (1 - gamma) * nd.square(g)
        param[:] = param - lr / nd.sqrt(s + eps)  # the per-element rate alone: `* g` belongs


class GradientlessStepRMSPropLinReg(LessonLoops, ScratchLinearRegression):
    """rmsprop's step typed `param - lr / nd.sqrt(s + eps)`: the per-element learning rate, the gradient left off.

    The learner thinks of rmsprop as "a learning rate per element, lr / sqrt(s + eps)", wrote that rate into the
    update and forgot to multiply it by g: every parameter moves down by a positive amount each step, whatever the
    gradient's sign; the average of squares is the chapter's. Linear-regression-scratch's model."""

    lesson_rules = {**LESSON_RULES, "rmsprop": _rmsprop_gradientless_step}


def _rmsprop_undecayed_old_term(params, grads, states, hyperparams):
    lr, gamma, eps = hyperparams["lr"], hyperparams["gamma"], hyperparams["epsilon"]
    for param, g, (s,) in zip(params, grads, states):
        s[:] = s + (1 - gamma) * nd.square(g)  # gamma * s belongs: the old average is never decayed
        param[:] = param - lr * g / nd.sqrt(s + eps)


class UndecayedOldTermRMSPropDropout(LessonLoops, ScratchDropout):
    """rmsprop's average typed `s + (1 - gamma) * g^2`: the new square weighted, the old average's `gamma *` left off.

    Without the decay the average becomes adagrad's growing sum (scaled by 0.1): the first step agrees, and from the
    second s is larger than the chapter's by gamma's missing share, and keeps growing, so the steps keep shrinking
    where rmsprop's settle; the dropout MLP, its masks the operator's."""

    lesson_rules = {**LESSON_RULES, "rmsprop": _rmsprop_undecayed_old_term}


def _adadelta_magnitude_delta(params, grads, states, hyperparams):
    rho, eps = hyperparams["rho"], hyperparams["epsilon"]
    for param, g, (s, delta) in zip(params, grads, states):
        s[:] = rho * s + (1 - rho) * nd.square(g)
        change = nd.sqrt(delta + eps) / nd.sqrt(s + eps) * g
        delta[:] = rho * delta + (1 - rho) * nd.abs(change)  # nd.square(change) belongs
        param[:] = param - change


class MagnitudeDeltaAdaDeltaMLP(LessonLoops, ScratchMLP):
    """adadelta's second average fed `nd.abs(change)`: the updates' average magnitude, where E[dx^2] belongs.

    The learner remembered adadelta's numerator as "the typical size of recent updates" and averaged their absolute
    values: the change is about g at first (about 1e-3 and below on the MLP), so delta gains |g| where the chapter's
    gains g^2, hundreds of times more, and the later numerators sqrt(delta + eps) grow with it; the average of
    squared gradients is the chapter's; mlp-scratch's MLP.

    (Replaces UnsquaredChangeAdaDeltaMLP, delta fed the signed change, which the verifier showed not to behave as
    expected: delta went negative below -eps and the root made NaN within the ten steps.)"""

    lesson_rules = {**LESSON_RULES, "adadelta": _adadelta_magnitude_delta}


def _adadelta_leaked_change(params, grads, states, hyperparams):
    rho, eps = hyperparams["rho"], hyperparams["epsilon"]
    for param, g, (s, delta) in zip(params, grads, states):
        s[:] = rho * s + (1 - rho) * nd.square(g)
        change = nd.sqrt(delta + eps) / nd.sqrt(s + eps) * g
        param[:] = param - change
    for s, delta in states:  # "then every delta": `change` is still the last parameter's, broadcast where it fits
        delta[:] = rho * delta + (1 - rho) * nd.square(change)


class LeakedChangeAdaDeltaLinReg(LessonLoops, ScratchLinearRegression):
    """adadelta's delta updates moved to a second loop after the steps, which reads `change` left from the first.

    The learner split the rule into "step every parameter", then "update every delta"; the second loop has no change
    of its own, and Python's loop variable outlives the first loop: every delta is fed the last parameter's change,
    the bias's (1,), which broadcasts over the weight's (1, 2). The bias's own delta is right, the weight's tracks the
    bias's changes; linear-regression-scratch's model."""

    lesson_rules = {**LESSON_RULES, "adadelta": _adadelta_leaked_change}


def _adam_swapped_first_weights(params, grads, states, hyperparams):
    lr, beta1, beta2, eps, t = (hyperparams[key] for key in ("lr", "beta1", "beta2", "epsilon", "t"))
    for param, g, (v, s) in zip(params, grads, states):
        v[:] = (1 - beta1) * v + beta1 * g  # beta1 * v + (1 - beta1) * g belongs
        s[:] = beta2 * s + (1 - beta2) * nd.square(g)
        v_hat = v / (1 - beta1 ** t)
        s_hat = s / (1 - beta2 ** t)
        param[:] = param - lr * v_hat / (nd.sqrt(s_hat) + eps)


class SwappedWeightsFirstMomentAdamSoftmax(LessonLoops, ScratchSoftmax):
    """adam's first moment typed `(1 - beta1) * v + beta1 * g`: beta1 on the new gradient, the old moment kept 0.1.

    The learner's notes wrote the average as "beta of the new value", and so the first moment weighs the new gradient
    0.9 and keeps a tenth of the old: after the chapter's correction by 1 - beta1^t it is 9 g at the first step where
    the chapter's is g, and later it barely remembers the past; the second moment is the chapter's. Softmax
    regression."""

    lesson_rules = {**LESSON_RULES, "adam": _adam_swapped_first_weights}


def _adam_unweighted_second(params, grads, states, hyperparams):
    lr, beta1, beta2, eps, t = (hyperparams[key] for key in ("lr", "beta1", "beta2", "epsilon", "t"))
    for param, g, (v, s) in zip(params, grads, states):
        v[:] = beta1 * v + (1 - beta1) * g
        s[:] = beta2 * s + nd.square(g)  # (1 - beta2) * nd.square(g) belongs
        v_hat = v / (1 - beta1 ** t)
        s_hat = s / (1 - beta2 ** t)
        param[:] = param - lr * v_hat / (nd.sqrt(s_hat) + eps)


class UnweightedSecondMomentAdamMLP(LessonLoops, ScratchMLP):
    """adam's second moment typed `beta2 * s + nd.square(g)`: the `(1 - beta2)` weight on the new square left off.

    The moment is a thousand times the chapter's (g^2 where it has 0.001 g^2 at the first step), the correction by
    1 - beta2^t is the chapter's, so the root in the step is about sqrt(1000) = 32 times too large and the steps
    32 times too small; the first moment is the chapter's; mlp-scratch's MLP."""

    lesson_rules = {**LESSON_RULES, "adam": _adam_unweighted_second}


# ---- mistakes: weight decay --------------------------------------------------------------------------------------

class VectorTestDecaySgdWeightDecay(LessonLoops, ScratchLinearRegression):
    """reg-scratch's penalty gradient added where `param.ndim == 1`: the learner's weight was a vector, this one is not.

    The learner's first version kept w flat, `(num_inputs,)`, and chose what to decay by `param.ndim == 1` ("the
    vector is w, the bias a scalar"). Here w is (1, 200), two-dimensional, and b is (1,): the test picks the bias,
    which is decayed by `lambd * b`, and leaves the weights undecayed; the learner's sgd, lambd = 3."""

    def grads_for_rule(self, batch_size):
        grads = []
        for name in self.order:
            param = self.params[name]
            g = param.grad / batch_size
            if self.lambd and param.ndim == 1:  # meant: the weight vector
                g = g + self.lambd * param
            grads.append(g)
        return grads


# ---- the corpus --------------------------------------------------------------------------------------------------

CORRECT = [
    _entry(GuardedAlwaysModeDropoutSgd, "dropout"),
    _entry(MXNetSgdUpdaterLeNetBN, "lenet-bn"),
    _entry(AugmentedAssignMomentumLeNet, "lenet", optimizer="momentum"),
    _entry(NumpyVelocityMomentumWeightDecay, "weight-decay", optimizer="momentum", weight_decay=3.0),
    _entry(FluentMethodsAdaGradLinReg, "linear-regression", optimizer="adagrad"),
    _entry(RebindListAdaGradMLP, "mlp", optimizer="adagrad"),
    _entry(MeanSquareObjectRMSPropLeNetBN, "lenet-bn", optimizer="rmsprop"),
    _entry(IdentityDecayRMSPropDropout, "dropout", optimizer="rmsprop", weight_decay=0.01),
    _entry(ElementRateAdaDeltaLeNet, "lenet", optimizer="adadelta"),
    _entry(KeywordHyperparamsAdaDeltaSoftmax, "softmax", optimizer="adadelta"),
    _entry(PowerRootAdamSoftmax, "softmax", optimizer="adam"),
    _entry(NamedTupleMomentsAdamMLP, "mlp", optimizer="adam"),
]

MISTAKES = [
    # conv
    _entry(Im2colReshapeConvAdamLeNet, "lenet", ["layer conv1"],
           ["reshape", "reshaped", "transpose", "transposed", "without transposing", "not transposed", "filter-major",
            "filter major", "channel-major", "channel major", "example-major", "example major", "im2col", "layout",
            "order", "ordered", "permut", "scrambl", "shuffled", "mixed", "interleav", "other examples",
            "another example", "wrong example", "(20, n", "(filters, n", "axes", "swapped"],
           optimizer="adam"),
    # pooling
    _entry(UnstridedWindowPoolRMSPropLeNetBN, "lenet-bn", ["layer pool1"],
           ["stride", "strided", "2 * i", "2*i", "2i", "i * 2", "i*2", "index", "overlap", "overlapping",
            "top-left", "top left", "corner", "13 x 13", "13x13", "half of the", "quarter", "part of the image",
            "rest of the image", "never seen", "not covered", "window", "windows", "offset", "shifted",
            "stride 1", "stride of 1", "step of 1"],
           optimizer="rmsprop"),
    # dense
    _entry(BiasTwiceDenseAdaGradMLP, "mlp", ["gradient fc1.bias"],
           ["twice", "double", "doubled", "2x", "two times", "2 times", "factor 2", "factor of 2", "added twice",
            "bias twice", "+ b1", "+ b", "already adds", "already includes", "already added", "extra bias",
            "bias added again", "again", "duplicate", "duplicated", "2 * b", "2 b", "2b", "2 *"],
           optimizer="adagrad"),
    # activation
    _entry(MaskOnlyReluMomentumLeNet, "lenet", ["layer relu1"],
           ["mask", "x > 0", "x>0", "(x > 0)", "* x", "*x", "times x", "times the input", "step function",
            "heaviside", "indicator", "0 or 1", "0/1", "ones and zeros", "zeros and ones", "binary", "1.0",
            "forgot", "missing", "comparison", "boolean", "no gradient", "zero gradient", "not multiplied"],
           optimizer="momentum"),
    # the inputs
    _entry(MixupWithoutLabelsSgdMLP, "mlp", ["layer flatten"],
           ["mixup", "mix-up", "mix up", "mixed", "mixing", "mixes", "blend", "blended", "flip", "flipped",
            "reversed", "other image", "another image", "other example", "another example", "interpolat",
            "convex combination", "weighted sum", "beta", "lam", "augment", "labels not", "labels are not",
            "without the labels", "combination of two", "two images"]),
    # the loss
    _entry(SigmoidBCELossRMSPropLeNet, "lenet", ["loss"],
           ["sigmoid", "binary cross-entropy", "binary cross entropy", "bce", "binarycrossentropy", "logistic",
            "multi-label", "multilabel", "multi label", "independent", "one-vs-rest", "one vs rest", "per class",
            "each class", "not normalised", "not normalized", "no softmax", "instead of softmax",
            "instead of the softmax", "rather than softmax", "log 2", "log(2)", "0.693", "averaged over the classes",
            "mean over the classes", "wrong loss"],
           optimizer="rmsprop"),
    # the labels
    _entry(LabelNoiseAdaDeltaSoftmax, "softmax", ["loss"],
           ["noise", "noisy", "random label", "random class", "random labels", "random classes", "randint",
            "replaced", "replace", "flipped", "flip", "corrupt", "20 %", "20%", "0.2", "fifth", "wrong labels",
            "labels are wrong", "labels changed", "labels differ", "some labels", "relabel", "randomly"],
           optimizer="adadelta"),
    # dropout
    _entry(ShapelessDrawDropoutAdam, "dropout", ["dropout* dropout1*", "layer dropout1"],
           ["shape", "single draw", "one draw", "a single value", "one value", "one number", "single number",
            "scalar", "whole layer", "entire layer", "all units", "every unit", "all or nothing", "all-or-nothing",
            "broadcast", "same mask", "shared", "(1,)", "per layer", "not per unit", "instead of per unit",
            "not independent", "correlated", "all kept", "all dropped", "none dropped"],
           optimizer="adam"),
    # batch norm: the statistics, the normalisation, the moving averages
    _entry(ElementCountStatsMomentumBN, "lenet-bn", ["layer bn1"],
           ["x.size", ".size", "count", "divisor", "every element", "all elements", "number of elements",
            "n * c * h * w", "n*c*h*w", "20 times", "50 times", "too small", "1/20", "1 / 20", "1/50", "1 / 50",
            "denominator", "mean is wrong", "wrong mean", "wrong variance", "number of channels"],
           optimizer="momentum"),
    _entry(DefaultFixGammaBNAdaGrad, "lenet-bn", ["layer bn1"],
           ["fix_gamma", "fix gamma", "fixed gamma", "gamma fixed", "gamma is fixed", "gamma held", "gamma of 1",
            "gamma = 1", "gamma=1", "gamma to 1", "gamma at 1", "gamma set to 1", "scale of 1", "scale is 1",
            "scale fixed", "ignores gamma", "ignored gamma", "gamma ignored", "gamma is ignored", "gamma not used",
            "without gamma", "no scale", "unscaled", "default", "1 / |gamma|", "1/|gamma|"],
           optimizer="adagrad"),
    _entry(UnweightedBatchTermMovingSgdBN, "lenet-bn", ["state bn*.running_*"],
           ["1 - momentum", "(1 - momentum)", "1-momentum", "(1-momentum)", "0.1", "unweighted", "not weighted",
            "whole statistic", "full statistic", "ten times", "10 times", "10x", "grow", "grows", "inflated",
            "too large", "missing factor", "left off", "forgot", "dropped", "coefficient"]),
    # sgd
    _entry(RnnClippingSgdSoftmax, "softmax", ["gradient *", "weights *"],
           ["clip", "clipped", "clipping", "grad_clipping", "global norm", "norm", "theta", "0.01", "1e-2",
            "rescaled", "scaled down", "shrunk", "shrink", "smaller", "rnn", "recurrent", "language model"]),
    _entry(OneBasedLoopSgdLinReg, "linear-regression", ["weights fc1.weight"],
           ["range(1", "1-based", "one-based", "1 based", "one based", "index 0", "first parameter",
            "params[0]", "skipped", "skips", "never updated", "not updated", "never steps", "never moves",
            "frozen", "unchanged", "stays", "matlab", "off by one", "off-by-one", "weight is not", "weight never",
            "only the bias", "bias alone", "left out", "missed"]),
    # momentum
    _entry(RebindThenInPlaceMomentumLeNet, "lenet", ["optimizer *:momentum"],
           ["rebind", "rebound", "rebinds", "new array", "reassign", "alias", "in place", "in-place", "not stored",
            "never stored", "never written", "not written", "not saved", "not updated", "never updated",
            "stays 0", "stays zero", "stay 0", "stay zero", "remains 0", "remains zero", "always zero",
            "always 0", "zero velocity", "velocity is zero", "[:]", "slice", "local", "lost", "plain sgd"],
           optimizer="momentum"),
    _entry(ComplementDecayMomentumLinReg, "linear-regression", ["optimizer *:momentum"],
           ["1 - mom", "(1 - mom)", "1-mom", "1 - momentum", "(1 - momentum)", "1-momentum", "0.1", "a tenth",
            "one tenth", "complement", "swapped", "reversed", "wrong weight", "decay", "decays", "decayed",
            "forgets", "too little", "too small", "mixing weight", "instead of mom", "instead of 0.9",
            "rather than 0.9"],
           optimizer="momentum"),
    # adagrad
    _entry(TensorSumSquaresAdaGradLeNetBN, "lenet-bn", ["optimizer *:square_sum"],
           [".sum()", "sum()", "summed over", "sum over", "whole tensor", "entire tensor", "all elements",
            "every element", "norm", "one number", "single number", "scalar", "broadcast", "per tensor",
            "per-tensor", "per layer", "per-layer", "not per element", "instead of per element",
            "not element-wise", "not elementwise", "reduced", "reduction", "same for every"],
           optimizer="adagrad"),
    _entry(AdamEpsAdaGradDropout, "dropout", ["weights *"],
           ["sqrt(s) + eps", "sqrt(s)+eps", "outside the root", "outside the square root", "outside the sqrt",
            "not inside", "instead of inside", "rather than inside", "added after", "after the root", "adam",
            "epsilon placement", "eps placement", "placed", "placement", "moved", "under the root", "inside the root",
            "sqrt(s + eps)"],
           optimizer="adagrad"),
    # rmsprop
    _entry(GradientlessStepRMSPropLinReg, "linear-regression", ["weights *"],
           ["* g", "*g", "times g", "times the gradient", "without g", "without the gradient", "gradient missing",
            "missing gradient", "gradient left", "gradient forgotten", "forgot", "no gradient", "not multiplied",
            "learning rate alone", "rate alone", "sign", "always down", "always decreas", "same direction",
            "lr / sqrt", "lr/sqrt", "per-element rate", "per-element learning rate", "missing"],
           optimizer="rmsprop"),
    _entry(UndecayedOldTermRMSPropDropout, "dropout", ["optimizer *:square_average"],
           ["gamma * s", "gamma*s", "gamma", "decay", "decayed", "undecayed", "not decayed", "never decayed",
            "no decay", "forgot", "missing", "left off", "dropped", "accumulat", "sum", "adagrad", "grows", "growing",
            "keeps growing", "too large", "larger", "old average", "previous average"],
           optimizer="rmsprop"),
    # adadelta
    _entry(MagnitudeDeltaAdaDeltaMLP, "mlp", ["optimizer *:delta_average"],
           ["abs", "absolute", "|change|", "|dx|", "magnitude", "not squared", "unsquared", "without squaring",
            "instead of the square", "instead of its square", "rather than the square", "e[|dx|]", "e[dx^2]",
            "e[dx²]", "l1", "square of the change", "squared change", "change squared"],
           optimizer="adadelta"),
    _entry(LeakedChangeAdaDeltaLinReg, "linear-regression", ["optimizer fc1.weight:delta_average"],
           ["loop variable", "leaked", "leak", "last parameter", "bias's change", "bias change", "change of the bias",
            "bias's", "the bias", "other parameter", "another parameter", "wrong parameter", "second loop",
            "outside the loop", "after the loop", "stale", "left over", "leftover", "broadcast", "reused",
            "same change", "every delta", "shared"],
           optimizer="adadelta"),
    # adam
    _entry(SwappedWeightsFirstMomentAdamSoftmax, "softmax", ["optimizer *:first_moment"],
           ["swapped", "swap", "reversed", "wrong way", "the other way", "1 - beta1", "(1 - beta1)", "1-beta1",
            "beta1 * g", "beta1*g", "0.9 g", "0.9g", "0.9 on", "0.1 of", "a tenth", "9 times", "nine times", "9x",
            "9 g", "9g", "weights exchanged", "coefficients", "interchanged"],
           optimizer="adam"),
    _entry(UnweightedSecondMomentAdamMLP, "mlp", ["optimizer *:second_moment"],
           ["1 - beta2", "(1 - beta2)", "1-beta2", "(1-beta2)", "0.001", "1000", "thousand", "unweighted",
            "not weighted", "missing", "left off", "forgot", "dropped", "too large", "32", "31.6", "sqrt(1000)",
            "smaller steps", "coefficient"],
           optimizer="adam"),
    # weight decay
    _entry(VectorTestDecaySgdWeightDecay, "weight-decay", ["weights fc1.*", "gradient fc1.*"],
           ["ndim", "dimension", "1-d", "1d", "one-dimensional", "vector", "bias", "biases", "the bias is decayed",
            "decays the bias", "bias decayed", "weights not decayed", "weight not decayed", "undecayed", "no decay",
            "not decayed", "without decay", "wrong parameter", "instead of the weight", "instead of the weights",
            "rather than the weight", "swapped", "shape"],
           weight_decay=3.0),
]

ENTRIES = CORRECT + MISTAKES


if __name__ == "__main__":
    main(ENTRIES, __doc__)
