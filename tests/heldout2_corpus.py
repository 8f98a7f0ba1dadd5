"""A second held-out corpus of learner code for `check`: fifteen mistakes and six correct formulations that
learners of the MXNet tutorial's from-scratch chapters (d2l-zh first edition / gluon-tutorials: cnn-scratch,
batch-norm-scratch, mlp-scratch, dropout-scratch, softmax-regression-scratch, linear-regression-scratch,
reg-scratch and the optimization chapters momentum, rmsprop, adadelta, adam) plausibly write.

It measures how well `check` explains mistakes nobody tuned it to. Written without reading check's diagnosis
code (`compare/checking/`) or the expectations of the other corpora; only the class names and docstrings of
`tests/independent_corpus.py` and `tests/heldout_corpus.py` were skimmed, to write different mistakes (the
harness at the bottom follows `tests/heldout_corpus.py`'s). Each mistake's `first` (where the learner's numbers
first part from the reference, in the order the computation runs: layers forward, with the training-mode
statistics rows "dropout NAME ..." / "batchnorm NAME ..." counting as the layer, logits, loss, gradients
backwards from the loss, then per update step the rule's state before the weights, then batch norm's moving
averages) and `cause_words` (lower-case alternatives, any of which a correct explanation must contain) were
written down and committed before the tool was first run on it, and were not changed after.

`first` holds "KIND PLACE" globs matched against check's first difference: "layer pool2", "loss",
"gradient conv2.bias", "optimizer *:momentum", "weights *", "state bn1.running_var", "dropout* dropout1*".

Every class takes `(spec, devices)`, most a few lines over a built-in hand-written model (layers replaced via
`layer_functions`); the update rules are the learner's own (`ChapterUpdates`, the optimization chapters' code
for a dict of parameters), never `implementations/update_rules.py`. Run:

    PYTHONPATH=. python tests/heldout2_corpus.py [--seeds 0,1]

Recorded on the first run (seeds 0 and 1; expectations committed before it, in ab8f346, and unchanged since):
18 of 30 mistake checks counted as named correctly, 9 at the right place with a wrong or no cause, 2 at another
place, 1 missed (NoRootAdaDeltaSoftmax on seed 0: "borderline", within 1.8x float32's noise allowance on the
softmax model; test_mistake_fails_with_an_explanation fails there); 0 false alarms in 12 checks of correct
formulations. Of the 18, the two of NoScaleShiftBatchNormLeNet matched "shift" only in check's "no relation to
the reference fits (not a constant factor, sign, offset, axes, shift or elementwise function of it)": read
strictly, 16 of 30.
"""
from __future__ import annotations

from heldout_corpus import _entry, main  # the shared harness, run over this corpus's own entries

from implementations.dropout.scratch import ScratchDropout
from implementations.lenet.scratch import ScratchLeNet
from implementations.lenet_bn.scratch import ScratchLeNetBN
from implementations.linear_regression.scratch import ScratchLinearRegression
from implementations.mlp.scratch import ScratchMLP
from implementations.mxnet_compat import mx
from implementations.softmax.scratch import ScratchSoftmax

nd = mx.nd
autograd = mx.autograd


# ---- the learner's update rules: the optimization chapters' functions over a dict of parameters ----------------

class ChapterUpdates:
    """The chapters' hand-written rules, `rule(params, grads, states, hyperparams)` as in `d2l.train_ch7`: the
    learner keeps `hyperparams` (the optimizer's values, the learning rate put in at each step, the adam
    chapter's `t` from 1, counted once per step) and one tuple-like dict of state arrays per parameter; the
    gradient is `p.grad / batch_size`, plus reg-scratch's `lambd * w` on the weights when there is weight decay.
    Mixed in first; a mistake overrides one rule."""

    data_parallel = False  # one device; nothing to sum
    rule_name = "sgd"
    opt_states: dict = {}

    def use_optimizer(self, optimizer):
        self.rule_name = optimizer.name
        self.hyperparams = dict(optimizer.values, t=1)
        self.lambd = optimizer.weight_decay
        self.opt_states = {name: {state: p.zeros_like() for state in optimizer.rule.state}
                           for name, p in self.params.items()}

    def optimizer_state(self):
        return {f"{name}:{state}": array for name, states in self.opt_states.items()
                for state, array in states.items()}

    def gradient(self, name, p, batch_size):
        g = p.grad / batch_size
        if getattr(self, "lambd", 0) and name.endswith(".weight"):
            g = g + self.lambd * p  # the gradient of lambd / 2 * ||w||^2
        return g

    def step(self, batch_size, learning_rate):
        hyperparams = getattr(self, "hyperparams", {})
        hyperparams["lr"] = learning_rate
        grads = {name: self.gradient(name, p, batch_size) for name, p in self.params.items()}
        getattr(self, self.rule_name)(self.params, grads, self.opt_states, hyperparams)
        if self.rule_name == "adam":
            hyperparams["t"] += 1

    def sgd(self, params, grads, states, hyperparams):
        for name, p in params.items():
            p[:] = p - hyperparams["lr"] * grads[name]

    def momentum(self, params, grads, states, hyperparams):
        for name, p in params.items():
            v = states[name]["momentum"]
            v[:] = hyperparams["momentum"] * v + hyperparams["lr"] * grads[name]
            p[:] -= v

    def adagrad(self, params, grads, states, hyperparams):
        eps = hyperparams["epsilon"]
        for name, p in params.items():
            s, g = states[name]["square_sum"], grads[name]
            s[:] += g.square()
            p[:] -= hyperparams["lr"] * g / (s + eps).sqrt()

    def rmsprop(self, params, grads, states, hyperparams):
        gamma, eps = hyperparams["gamma"], hyperparams["epsilon"]
        for name, p in params.items():
            s, g = states[name]["square_average"], grads[name]
            s[:] = gamma * s + (1 - gamma) * g.square()
            p[:] -= hyperparams["lr"] * g / (s + eps).sqrt()

    def adadelta(self, params, grads, states, hyperparams):
        rho, eps = hyperparams["rho"], hyperparams["epsilon"]
        for name, p in params.items():
            s, delta = states[name]["square_average"], states[name]["delta_average"]
            s[:] = rho * s + (1 - rho) * grads[name].square()
            g = ((delta + eps).sqrt() / (s + eps).sqrt()) * grads[name]
            p[:] -= g
            delta[:] = rho * delta + (1 - rho) * g * g

    def adam(self, params, grads, states, hyperparams):
        beta1, beta2, eps, t = hyperparams["beta1"], hyperparams["beta2"], hyperparams["epsilon"], hyperparams["t"]
        for name, p in params.items():
            v, s, g = states[name]["first_moment"], states[name]["second_moment"], grads[name]
            v[:] = beta1 * v + (1 - beta1) * g
            s[:] = beta2 * s + (1 - beta2) * g.square()
            v_bias_corr = v / (1 - beta1 ** t)
            s_bias_corr = s / (1 - beta2 ** t)
            p[:] -= hyperparams["lr"] * v_bias_corr / (s_bias_corr.sqrt() + eps)


def _replace_layers(base, **makers):
    """`base` with some layers replaced: each maker takes (model, params) and returns the layer's function."""

    class Replaced(base):
        def layer_functions(self, p):
            return {**super().layer_functions(p), **{name: make(self, p) for name, make in makers.items()}}

    return Replaced


def stable_softmax(y_hat):
    e = (y_hat - y_hat.max(axis=1, keepdims=True)).exp()
    return e / e.sum(axis=1, keepdims=True)


# ---- correct formulations, written other ways than the built-ins: must pass ------------------------------------

class DefaultPoolDotLeNet(_replace_layers(
        ScratchLeNet,
        relu1=lambda m, p: lambda x: nd.maximum(x, 0), relu2=lambda m, p: lambda x: nd.maximum(x, 0),
        relu3=lambda m, p: lambda x: nd.maximum(x, 0),
        pool1=lambda m, p: lambda x: nd.Pooling(data=x, kernel=(2, 2), stride=(2, 2)),
        pool2=lambda m, p: lambda x: nd.Pooling(data=x, kernel=(2, 2), stride=(2, 2)),
        flatten=lambda m, p: lambda x: x.reshape((0, -1)),
        fc1=lambda m, p: lambda x: nd.dot(x, p["fc1.weight"].T) + p["fc1.bias"],
        fc2=lambda m, p: lambda x: nd.dot(x, p["fc2.weight"].T) + p["fc2.bias"])):
    """cnn-scratch's LeNet with nd.Pooling's default pool_type (max), flatten as `reshape((0, -1))`, ReLU as
    `nd.maximum(X, 0)` with a scalar, and dense layers as `nd.dot(X, W.T) + b`."""


class AbsReluRMSPropMLP(ChapterUpdates, _replace_layers(
        ScratchMLP, relu1=lambda m, p: lambda x: (x + x.abs()) / 2)):
    """mlp-scratch with ReLU as `(X + |X|) / 2`, trained by the rmsprop chapter's rule written with
    `g * nd.rsqrt(s + eps)` and `g * g`."""

    def rmsprop(self, params, grads, states, hyperparams):
        gamma, eps = hyperparams["gamma"], hyperparams["epsilon"]
        for name, p in params.items():
            s, g = states[name]["square_average"], grads[name]
            s[:] = gamma * s + (1 - gamma) * g * g
            p[:] = p - hyperparams["lr"] * g * nd.rsqrt(s + eps)


def _floor_mask_dropout(model, drop_prob):
    def dropout(X):
        if not autograd.is_training():
            return X
        keep_prob = 1 - drop_prob
        mask = nd.floor(nd.random.uniform(0, 1, X.shape, ctx=X.context) + keep_prob)  # 1 with probability keep
        return mask * X / keep_prob

    return dropout


class FloorMaskDropout(_replace_layers(ScratchDropout,
                                       dropout1=lambda m, p: _floor_mask_dropout(m, m.spec.drop1),
                                       dropout2=lambda m, p: _floor_mask_dropout(m, m.spec.drop2))):
    """dropout-scratch with the mask drawn as `floor(uniform(0, 1) + keep_prob)` (1 with probability keep_prob),
    the kept units scaled by 1 / keep_prob, in training only."""


def _rsqrt_batch_norm(model, p, layer):
    spec = model.spec

    def forward(X):
        C = X.shape[1]
        gamma, beta = p[f"{layer}.gamma"].reshape((1, C, 1, 1)), p[f"{layer}.beta"].reshape((1, C, 1, 1))
        moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]
        if autograd.is_training():
            mean = X.mean(axis=0).mean(axis=1).mean(axis=1)  # (C,): over N, then H, then W
            centered = X - mean.reshape((1, C, 1, 1))
            var = nd.square(centered).mean(axis=0).mean(axis=1).mean(axis=1)
            X_hat = centered * nd.rsqrt(var.reshape((1, C, 1, 1)) + spec.epsilon)
            moving_mean[:] = spec.momentum * moving_mean + (1 - spec.momentum) * mean.detach()
            moving_var[:] = spec.momentum * moving_var + (1 - spec.momentum) * var.detach()
        else:
            X_hat = (X - moving_mean.reshape((1, C, 1, 1))) * nd.rsqrt(moving_var.reshape((1, C, 1, 1)) + spec.epsilon)
        return X_hat * gamma + beta

    return forward


class RsqrtBatchNormLeNet(_replace_layers(ScratchLeNetBN, bn1=lambda m, p: _rsqrt_batch_norm(m, p, "bn1"),
                                          bn2=lambda m, p: _rsqrt_batch_norm(m, p, "bn2"))):
    """batch-norm-scratch with the per-channel statistics as means over one axis at a time (N, then H, then W)
    and the division as a multiplication by `nd.rsqrt(var + eps)`."""


class NegatedVelocityMomentumLinReg(ChapterUpdates, ScratchLinearRegression):
    """momentum in MXNet's sign (sgd_mom_update's): `v = mom * v - lr * g; p += v`, reporting -v as the
    chapter's velocity."""

    def momentum(self, params, grads, states, hyperparams):
        for name, p in params.items():
            v = states[name]["momentum"]
            v[:] = hyperparams["momentum"] * v - hyperparams["lr"] * grads[name]
            p[:] += v

    def optimizer_state(self):
        return {key: -array for key, array in super().optimizer_state().items()}


class NormPenaltyWeightDecay(ChapterUpdates, ScratchLinearRegression):
    """reg-scratch's penalty in the loss as `lambd / 2 * nd.norm(w) ** 2` (not `(w ** 2).sum() / 2`), the update
    plain sgd."""

    def use_optimizer(self, optimizer):
        super().use_optimizer(optimizer)
        self.penalty, self.lambd = optimizer.weight_decay, 0.0  # into the loss, not the update

    def own_loss(self, y_hat, y):
        loss = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).reshape((-1,))
        if not autograd.is_recording():
            return loss
        return loss + self.penalty / 2 * nd.norm(self.params["fc1.weight"]) ** 2


# ---- mistakes ----------------------------------------------------------------------------------------------------

class SumPoolLeNet(_replace_layers(ScratchLeNet, pool2=lambda m, p: lambda x: nd.Pooling(
        x, pool_type="sum", kernel=(2, 2), stride=(2, 2)))):
    """pool2 with `pool_type="sum"`: each 2x2 window summed where the chapter takes its maximum."""


class TanhLeNet(_replace_layers(ScratchLeNet, relu1=lambda m, p: nd.tanh)):
    """relu1 as `nd.tanh` (the original LeNet's squashing function) where cnn-scratch has ReLU."""


class ColumnFlattenLeNet(_replace_layers(ScratchLeNet, flatten=lambda m, p: lambda x: x.transpose((0, 1, 3, 2))
                                         .reshape((x.shape[0], -1)))):
    """flatten reading each channel's 5x5 map column by column: `X.transpose((0, 1, 3, 2)).reshape((N, -1))`."""


class NoBiasConvLeNet(_replace_layers(ScratchLeNet, conv2=lambda m, p: lambda x: nd.Convolution(
        x, p["conv2.weight"], kernel=(3, 3), num_filter=m.spec.conv2_channels, no_bias=True))):
    """conv2 as `nd.Convolution(..., no_bias=True)`: its bias b2 never used (it starts at 0, so the forward pass
    agrees until it would have been learned)."""


class ReshapedWeightMLP(_replace_layers(ScratchMLP, fc2=lambda m, p: lambda x: nd.dot(
        x, p["fc2.weight"].reshape((m.spec.hidden_units, m.spec.num_classes))) + p["fc2.bias"])):
    """fc2 as `nd.dot(H, W2.reshape((256, 10))) + b2` on Gluon's (10, 256) layout: reshape where a transpose
    was needed."""


class Log10CrossEntropyMLP(ScratchMLP):
    """cross-entropy as `-nd.log10(pick(softmax(y_hat), y))`: the logarithm in base 10, not the natural one."""

    def own_loss(self, y_hat, y):
        return -nd.log10(nd.pick(stable_softmax(y_hat), y))


class ScaledLabelsSoftmax(ScratchSoftmax):
    """the labels divided by 255 with the images (`transform` returning `label.astype('float32') / 255`), then
    `-pick(log_softmax(y_hat), y)`: every label picks class 0."""

    def own_loss(self, y_hat, y):
        y = y.astype("float32") / 255
        return -nd.pick(nd.log_softmax(y_hat), y)


def _no_affine_batch_norm(model, p, layer):
    spec = model.spec

    def forward(X):
        shape = (1, X.shape[1], 1, 1)
        moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]
        if not autograd.is_training():
            return (X - moving_mean.reshape(shape)) / nd.sqrt(moving_var.reshape(shape) + spec.epsilon)
        mean = X.mean(axis=(0, 2, 3), keepdims=True)
        var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        moving_mean[:] = spec.momentum * moving_mean + (1 - spec.momentum) * mean.reshape((-1,)).detach()
        moving_var[:] = spec.momentum * moving_var + (1 - spec.momentum) * var.reshape((-1,)).detach()
        return (X - mean) / nd.sqrt(var + spec.epsilon)  # `gamma * X_hat + beta` forgotten

    return forward


class NoScaleShiftBatchNormLeNet(_replace_layers(ScratchLeNetBN, bn1=lambda m, p: _no_affine_batch_norm(m, p, "bn1"),
                                                 bn2=lambda m, p: _no_affine_batch_norm(m, p, "bn2"))):
    """batch norm returning X_hat: the scale gamma and shift beta never applied."""


def _std_average_batch_norm(model, p, layer):
    spec = model.spec

    def forward(X):
        shape = (1, X.shape[1], 1, 1)
        gamma, beta = p[f"{layer}.gamma"].reshape(shape), p[f"{layer}.beta"].reshape(shape)
        moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]
        if not autograd.is_training():
            X_hat = (X - moving_mean.reshape(shape)) / nd.sqrt(moving_var.reshape(shape) + spec.epsilon)
        else:
            mean = X.mean(axis=(0, 2, 3), keepdims=True)
            var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
            std = nd.sqrt(var + spec.epsilon)
            X_hat = (X - mean) / std
            moving_mean[:] = spec.momentum * moving_mean + (1 - spec.momentum) * mean.reshape((-1,)).detach()
            moving_var[:] = spec.momentum * moving_var + (1 - spec.momentum) * std.reshape((-1,)).detach()  # std, not var
        return gamma * X_hat + beta

    return forward


class StdMovingAverageBatchNormLeNet(_replace_layers(ScratchLeNetBN, bn1=lambda m, p: _std_average_batch_norm(m, p, "bn1"),
                                                     bn2=lambda m, p: _std_average_batch_norm(m, p, "bn2"))):
    """batch norm averaging the batch's standard deviation sqrt(var + eps) into moving_var (the variable it had
    just divided by), not the variance."""


def _keep_scaled_dropout(model, drop_prob):
    def dropout(X):
        if not autograd.is_training():
            return X
        keep_prob = 1 - drop_prob
        mask = nd.random.uniform(0, 1, X.shape, ctx=X.context) < keep_prob
        return mask * X * keep_prob  # classic dropout's test-time scaling, done in training

    return dropout


class KeepScaledDropout(_replace_layers(ScratchDropout,
                                        dropout1=lambda m, p: _keep_scaled_dropout(m, m.spec.drop1),
                                        dropout2=lambda m, p: _keep_scaled_dropout(m, m.spec.drop2))):
    """dropout keeping units with probability keep_prob but multiplying them by keep_prob instead of dividing."""


class NoLearningRateMomentumLinReg(ChapterUpdates, ScratchLinearRegression):
    """momentum with `v = mom * v + g; p -= v`: the learning rate left out."""

    def momentum(self, params, grads, states, hyperparams):
        for name, p in params.items():
            v = states[name]["momentum"]
            v[:] = hyperparams["momentum"] * v + grads[name]
            p[:] -= v


class UnweightedSquaresRMSPropMLP(ChapterUpdates, ScratchMLP):
    """rmsprop with `s = gamma * s + g^2`: the (1 - gamma) weight on the new square left out."""

    def rmsprop(self, params, grads, states, hyperparams):
        gamma, eps = hyperparams["gamma"], hyperparams["epsilon"]
        for name, p in params.items():
            s, g = states[name]["square_average"], grads[name]
            s[:] = gamma * s + g.square()
            p[:] -= hyperparams["lr"] * g / (s + eps).sqrt()


class NoRootAdaDeltaSoftmax(ChapterUpdates, ScratchSoftmax):
    """adadelta rescaling by `(delta + eps) / (s + eps)`: the square roots of the ratio forgotten."""

    def adadelta(self, params, grads, states, hyperparams):
        rho, eps = hyperparams["rho"], hyperparams["epsilon"]
        for name, p in params.items():
            s, delta = states[name]["square_average"], states[name]["delta_average"]
            s[:] = rho * s + (1 - rho) * grads[name].square()
            g = ((delta + eps) / (s + eps)) * grads[name]
            p[:] -= g
            delta[:] = rho * delta + (1 - rho) * g * g


class SwappedBetasAdamLinReg(ChapterUpdates, ScratchLinearRegression):
    """adam with its decay rates written the wrong way round, `beta1, beta2 = 0.999, 0.9` (bias correction
    included, with the same swapped rates)."""

    def adam(self, params, grads, states, hyperparams):
        hyperparams = dict(hyperparams, beta1=hyperparams["beta2"], beta2=hyperparams["beta1"])
        super().adam(params, grads, states, hyperparams)


class SubtractedPenaltyWeightDecay(ChapterUpdates, ScratchLinearRegression):
    """reg-scratch's penalty gradient subtracted: `g = grad / batch - lambd * w` (a sign slip)."""

    def gradient(self, name, p, batch_size):
        g = p.grad / batch_size
        if self.lambd and name.endswith(".weight"):
            g = g - self.lambd * p
        return g


# ---- the corpus ---------------------------------------------------------------------------------------------


CORRECT = [
    _entry(DefaultPoolDotLeNet, "lenet"),
    _entry(AbsReluRMSPropMLP, "mlp", optimizer="rmsprop"),
    _entry(FloorMaskDropout, "dropout"),
    _entry(RsqrtBatchNormLeNet, "lenet-bn"),
    _entry(NegatedVelocityMomentumLinReg, "linear-regression", optimizer="momentum"),
    _entry(NormPenaltyWeightDecay, "weight-decay", weight_decay=3.0),
]

# Expectations: written before the first run of check on this corpus, and not changed after it.
MISTAKES = [
    _entry(SumPoolLeNet, "lenet", ["layer pool2"],
           ["sum", "4 x", "4x", "four times", "factor 4"]),
    _entry(TanhLeNet, "lenet", ["layer relu1"],
           ["tanh", "hyperbolic"]),
    _entry(ColumnFlattenLeNet, "lenet", ["layer flatten"],
           ["transpos", "swap", "permut", "height and width", "h and w", "rows and columns", "column-major",
            "column by column", "flatten order"]),
    _entry(NoBiasConvLeNet, "lenet", ["gradient conv2.bias"],
           ["zero", "not used", "unused", "not learned", "missing", "left out", "never", "no bias", "no_bias",
            "without"]),
    _entry(ReshapedWeightMLP, "mlp", ["layer fc2"],
           ["reshape", "transpos", "layout", "permut", "scrambl"]),
    _entry(Log10CrossEntropyMLP, "mlp", ["loss"],
           ["log10", "ln(10)", "ln 10", "0.434", "base 10", "base-10", "2.303", "natural log"]),
    _entry(ScaledLabelsSoftmax, "softmax", ["loss"],
           ["label", "class 0", "remap"]),
    _entry(NoScaleShiftBatchNormLeNet, "lenet-bn", ["layer bn1", "batchnorm bn1*"],
           ["gamma", "beta", "scale", "shift", "affine"]),
    _entry(StdMovingAverageBatchNormLeNet, "lenet-bn", ["state bn1.running_var", "state bn2.running_var"],
           ["sqrt", "root", "standard deviation", "std"]),
    _entry(KeepScaledDropout, "dropout", ["dropout* dropout1*"],
           ["0.8", "0.64", "1.25", "multipl", "keep prob", "keep_prob", "instead of divid", "not divid"]),
    _entry(NoLearningRateMomentumLinReg, "linear-regression", ["optimizer *:momentum"],
           ["learning rate", "lr", "50 x", "50x", "x 50", "factor 50", "factor of 50"], optimizer="momentum"),
    _entry(UnweightedSquaresRMSPropMLP, "mlp", ["optimizer *:square_average"],
           ["1 - gamma", "1-gamma", "10 x", "10x", "factor 10", "factor of 10"], optimizer="rmsprop"),
    _entry(NoRootAdaDeltaSoftmax, "softmax", ["optimizer *:delta_average", "weights *"],
           ["root", "sqrt"], optimizer="adadelta"),
    _entry(SwappedBetasAdamLinReg, "linear-regression", ["optimizer *:first_moment", "optimizer *:second_moment"],
           ["swap", "beta1 and beta2", "beta2 and beta1", "exchang", "interchang", "the wrong way round"],
           optimizer="adam"),
    _entry(SubtractedPenaltyWeightDecay, "weight-decay", ["weights fc1.weight"],
           ["sign", "opposite", "negat", "reverse", "-lambda", "- lambda"], weight_decay=3.0),
]

ENTRIES = CORRECT + MISTAKES


if __name__ == "__main__":
    main(ENTRIES, __doc__)
