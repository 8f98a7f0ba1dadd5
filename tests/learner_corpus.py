"""Learner implementations for `check`'s confusion matrix: correct formulations written the ways the chapters
write them, and the classic mistakes, per model. `CORRECT[model]` must pass on every seed and data set;
`MISTAKES[model]` maps each mistake to the words `check` must name it with.

Most are a few lines over the built-in hand-written models (what a learner's code computes is what matters to
`check`, not how the file is organised); each docstring says what the learner wrote.
"""
from outside_implementations import (
    AveragePoolScratch,
    BatchNormOverTheWrongAxes,
    DropoutLeftOnInEvaluation,
    DropoutWithoutScaling,
    HalfStepScratch,
    MaximumReluScratch,
    MissingReluScratch,
    MovingAveragesUpdatedInEvaluation,
    ReshapedDenseScratch,
    StableOwnLossSoftmax,
    UndividedGradientScratch,
    UnstableSoftmax,
)

from implementations.dropout.scratch import ScratchDropout
from implementations.lenet.scratch import ScratchLeNet
from implementations.lenet_bn.scratch import ScratchLeNetBN
from implementations.lenet_bn.tutorial import TutorialLeNetBN
from implementations.linear_regression.scratch import ScratchLinearRegression
from implementations.mlp.scratch import ScratchMLP
from implementations.mxnet_compat import mx
from implementations.ndarray_base import AsWritten, relu_as_written
from implementations.softmax.scratch import ScratchSoftmax

nd = mx.nd


def _with_relu(base: type, relu) -> type:
    class WithRelu(base):
        def layer_functions(self, params):
            layers = super().layer_functions(params)
            return {**layers, **{name: relu for name in layers if name.startswith("relu")}}
    return WithRelu


# ---- correct formulations -------------------------------------------------------------------------------

class DotSoftmax(AsWritten, ScratchSoftmax):
    """softmax-regression-scratch: W stored (784, 10), `nd.dot(X, W) + b`, the update as written; fused loss."""

    def layer_functions(self, p):
        return {"flatten": nd.flatten, "fc1": lambda x: nd.dot(x, p["fc1.weight"]) + p["fc1.bias"]}


class LogSumExpSoftmax(DotSoftmax):
    """Its own loss, stable: log-sum-exp with the row's largest logit taken out first."""

    def own_loss(self, logits, labels):
        top = logits.max(axis=1, keepdims=True)
        log_sum = nd.log(nd.exp(logits - top).sum(axis=1)) + top.reshape((-1,))
        return log_sum - nd.pick(logits, labels)


class SubtractMaxSoftmax(DotSoftmax):
    """check's own advice followed: subtract each row's largest logit, then softmax and -log(pick)."""

    def own_loss(self, logits, labels):
        shifted = logits - logits.max(axis=1, keepdims=True)
        return -nd.pick(shifted - nd.log(nd.exp(shifted).sum(axis=1, keepdims=True)), labels)


class MaximumReluMLP(ScratchMLP):
    """mlp-scratch's ReLU, `nd.maximum(X, 0)`, with FullyConnected layers."""

    def layer_functions(self, params):
        return {**super().layer_functions(params), "relu1": relu_as_written}


class ChapterBatchNormWithBatchNormOp(TutorialLeNetBN):
    """batch-norm-scratch's LeNet, but with `nd.BatchNorm` for its normalisation."""

    def layer_functions(self, p):
        spec = self.spec
        layers = super().layer_functions(p)
        for layer in ("bn1", "bn2"):
            layers[layer] = lambda x, layer=layer: nd.BatchNorm(
                x, p[f"{layer}.gamma"], p[f"{layer}.beta"], p[f"{layer}.running_mean"], p[f"{layer}.running_var"],
                eps=spec.epsilon, momentum=spec.momentum, fix_gamma=False)
        return layers


class OwnDropoutChapterWay(ScratchDropout):
    """dropout-scratch's dropout (`uniform < keep`, then `mask * X / keep`) on FullyConnected layers."""

    def layer_functions(self, params):
        layers = super().layer_functions(params)
        for name, rate in self.spec.drop_rates.items():
            layers[name] = lambda x, rate=rate: _chapter_dropout(x, rate)
        return layers


def _chapter_dropout(x, drop):
    if not mx.autograd.is_training():
        return x
    keep = 1 - drop
    return (nd.random.uniform(0, 1, x.shape, ctx=x.context) < keep) * x / keep


class ChapterSquaredLoss(ScratchLinearRegression):
    """linear-regression-scratch's own squared_loss, (y_hat - y.reshape(y_hat.shape)) ** 2 / 2, flattened."""

    def own_loss(self, predictions, targets):
        return ((predictions - targets.reshape(predictions.shape)) ** 2 / 2).reshape((-1,))


CORRECT = {  # beside the built-ins (scratch, gluon, gluon-hybrid and the chapter's own code, tutorial)
    "lenet": [MaximumReluScratch],
    "softmax": [DotSoftmax, StableOwnLossSoftmax, LogSumExpSoftmax, SubtractMaxSoftmax],
    "mlp": [MaximumReluMLP],
    "dropout": [OwnDropoutChapterWay],
    "lenet-bn": [ChapterBatchNormWithBatchNormOp, _with_relu(ScratchLeNetBN, relu_as_written)],
    "linear-regression": [ChapterSquaredLoss],
    "weight-decay": [ChapterSquaredLoss],  # its update-rule mistakes are in learner_update_rules
}


# ---- classic mistakes ------------------------------------------------------------------------------------

class SoftmaxTwice(ScratchSoftmax):
    """forward returns `softmax(X W + b)` and the runner's loss applies softmax again."""

    def layer_functions(self, p):
        layers = super().layer_functions(p)
        dense = layers["fc1"]
        return {**layers, "fc1": lambda x: nd.softmax(dense(x))}


class ScalarLoss(ScratchSoftmax):
    """own_loss returns the batch's mean, not one loss per example."""

    def own_loss(self, logits, labels):
        return -nd.pick(nd.log_softmax(logits), labels).mean()


class DoubledLoss(ScratchSoftmax):
    """own_loss doubled (summed twice over the classes' one-hot): its gradients are twice as large."""

    def own_loss(self, logits, labels):
        return -2 * nd.pick(nd.log_softmax(logits), labels)


class FlattenChannelsLast(ScratchLeNet):
    """flatten after moving channels last, (N, H, W, C)."""

    def layer_functions(self, params):
        return {**super().layer_functions(params), "flatten": lambda x: nd.flatten(nd.transpose(x, (0, 2, 3, 1)))}


class BiasNotLearned(ScratchMLP):
    """The update loop skips the biases."""

    def step(self, batch_size, learning_rate):
        for name, array in self.params.items():
            if name.endswith(".weight"):
                array[:] = array - learning_rate / batch_size * array.grad


class BatchStatisticsInEvaluation(ScratchLeNetBN):
    """batch_norm normalises with the batch's statistics in evaluation too (its moving averages untouched)."""

    def layer_functions(self, p):
        spec = self.spec
        layers = super().layer_functions(p)
        for layer in ("bn1", "bn2"):
            def normalize(x, layer=layer):
                mean = x.mean(axis=(0, 2, 3), keepdims=True)
                var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
                x_hat = (x - mean) / nd.sqrt(var + spec.epsilon)
                if mx.autograd.is_training():
                    moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]
                    moving_mean[:] = spec.momentum * moving_mean + (1 - spec.momentum) * mean.reshape((-1,)).detach()
                    moving_var[:] = spec.momentum * moving_var + (1 - spec.momentum) * var.reshape((-1,)).detach()
                return p[f"{layer}.gamma"].reshape((1, -1, 1, 1)) * x_hat + p[f"{layer}.beta"].reshape((1, -1, 1, 1))
            layers[layer] = normalize
        return layers


class _ChapterBatchNorm(TutorialLeNetBN):
    """The chapter's LeNet with its batch_norm written by a subclass."""

    def layer_functions(self, p):
        spec, layers = self.spec, super().layer_functions(p)
        for layer in ("bn1", "bn2"):
            layers[layer] = lambda x, layer=layer: self.batch_norm(x, p, layer, spec.epsilon)
        return layers

    def batch_norm(self, x, p, layer, eps):
        raise NotImplementedError


class MovingAveragesUpdatedAlways(_ChapterBatchNorm):
    """The moving averages are updated outside `if autograd.is_training()`: in evaluation too."""

    def batch_norm(self, x, p, layer, eps):
        momentum = self.spec.momentum
        moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]
        mean = x.mean(axis=(0, 2, 3), keepdims=True)
        var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        if mx.autograd.is_training():
            x_hat = (x - mean) / nd.sqrt(var + eps)
        else:
            x_hat = (x - moving_mean.reshape((1, -1, 1, 1))) / nd.sqrt(moving_var.reshape((1, -1, 1, 1)) + eps)
        moving_mean[:] = momentum * moving_mean + (1 - momentum) * mean.reshape((-1,)).detach()
        moving_var[:] = momentum * moving_var + (1 - momentum) * var.reshape((-1,)).detach()
        return p[f"{layer}.gamma"].reshape((1, -1, 1, 1)) * x_hat + p[f"{layer}.beta"].reshape((1, -1, 1, 1))


class MomentumReversed(_ChapterBatchNorm):
    """moving = (1 - momentum) * moving + momentum * batch: the weights the wrong way round."""

    def batch_norm(self, x, p, layer, eps):
        momentum = self.spec.momentum
        moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]
        if mx.autograd.is_training():
            mean = x.mean(axis=(0, 2, 3), keepdims=True)
            var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
            x_hat = (x - mean) / nd.sqrt(var + eps)
            moving_mean[:] = (1 - momentum) * moving_mean + momentum * mean.reshape((-1,)).detach()
            moving_var[:] = (1 - momentum) * moving_var + momentum * var.reshape((-1,)).detach()
        else:
            x_hat = (x - moving_mean.reshape((1, -1, 1, 1))) / nd.sqrt(moving_var.reshape((1, -1, 1, 1)) + eps)
        return p[f"{layer}.gamma"].reshape((1, -1, 1, 1)) * x_hat + p[f"{layer}.beta"].reshape((1, -1, 1, 1))


class DropoutUnscaledInTraining(ScratchDropout):
    """dropout-scratch's mask applied in training without dividing by keep (evaluation passes values through)."""

    def layer_functions(self, params):
        layers = super().layer_functions(params)
        for name, rate in self.spec.drop_rates.items():
            layers[name] = lambda x, rate=rate: (
                (nd.random.uniform(0, 1, x.shape, ctx=x.context) < 1 - rate) * x if mx.autograd.is_training() else x)
        return layers


class DropoutRescaledAfterTheOperator(ScratchDropout):
    """`nd.Dropout(x, p=rate) / (1 - rate)`: the operator scales kept values by 1 / keep already (and passes
    values through in evaluation), so they are scaled twice while training and once in evaluation."""

    def layer_functions(self, params):
        layers = super().layer_functions(params)
        for name, rate in self.spec.drop_rates.items():
            layers[name] = lambda x, rate=rate: nd.Dropout(x, p=rate) / (1 - rate)
        return layers


def _moving_var_pasted(x, p, layer, momentum, eps):
    """The batch-norm chapter's batch_norm with its moving-variance line pasted from the moving-mean line above it
    and half edited: `moving_var[:] = momentum * moving_mean + (1 - momentum) * var`."""
    gamma, beta = p[f"{layer}.gamma"].reshape((1, -1, 1, 1)), p[f"{layer}.beta"].reshape((1, -1, 1, 1))
    moving_mean, moving_var = p[f"{layer}.running_mean"], p[f"{layer}.running_var"]
    if not mx.autograd.is_training():
        x_hat = (x - moving_mean.reshape((1, -1, 1, 1))) / nd.sqrt(moving_var.reshape((1, -1, 1, 1)) + eps)
        return gamma * x_hat + beta
    mean = x.mean(axis=(0, 2, 3), keepdims=True)
    var = ((x - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
    moving_mean[:] = momentum * moving_mean + (1 - momentum) * mean.reshape((-1,)).detach()
    moving_var[:] = momentum * moving_mean + (1 - momentum) * var.reshape((-1,)).detach()
    return gamma * (x - mean) / nd.sqrt(var + eps) + beta


class MovingVarianceDecaysTheMean(TutorialLeNetBN):
    def layer_functions(self, p):
        spec = self.spec
        return {**super().layer_functions(p),
                **{name: (lambda x, name=name: _moving_var_pasted(x, p, name, spec.momentum, spec.epsilon))
                   for name in ("bn1", "bn2")}}


class GradientAscent(ScratchLeNet):
    """The update adds every gradient: `w = w + lr * grad / n`."""

    def step(self, batch_size, learning_rate):
        for array in self.params.values():
            array[:] = array + learning_rate / batch_size * array.grad


class BiasAscends(ScratchSoftmax):
    """The update adds the bias's gradient instead of subtracting it."""

    def step(self, batch_size, learning_rate):
        for name, array in self.params.items():
            sign = 1 if name.endswith(".bias") else -1
            array[:] = array + sign * learning_rate / batch_size * array.grad


class SquaredLossWithoutTheHalf(ScratchLinearRegression):
    """(y_hat - y) ** 2 without the chapter's / 2: its gradients are twice as large."""

    def own_loss(self, predictions, targets):
        return ((predictions - targets.reshape(predictions.shape)) ** 2).reshape((-1,))


class UndividedLinearRegression(ScratchLinearRegression):
    """The chapter's sgd(params, lr, batch_size) without the / batch_size."""

    def step(self, batch_size, learning_rate):
        for array in self.params.values():
            array -= learning_rate * array.grad


REFUSED = {  # mistakes the protocol check refuses before any step, with the words of its one line
    "softmax": {ScalarLoss: "the loss is one number for the batch where the protocol wants one per example"},
}
MISTAKES = {  # implementation -> words its verdict must contain (the layer or state, and the cause)
    "lenet": {
        MissingReluScratch: "passes negative values through: the ReLU is missing",
        AveragePoolScratch: "pool1 averages each 2x2 window",
        FlattenChannelsLast: "flatten takes (N, H, W, C) order",
        ReshapedDenseScratch: "fc1 uses its weight reshaped",
        UndividedGradientScratch: "the gradient is not divided by the batch",
        HalfStepScratch: "the first update is 0.5x the reference's",
        GradientAscent: "every first update goes the wrong way",
    },
    "softmax": {
        UnstableSoftmax: "the loss is unstable",
        SoftmaxTwice: "softmax applied in forward",
        DoubledLoss: "the loss is 2x the softmax cross-entropy",
        BiasAscends: "fc1.bias's first update goes the wrong way",
    },
    "mlp": {
        BiasNotLearned: "fc1.bias never changes",
    },
    "dropout": {
        DropoutWithoutScaling: "dropout1 multiplies by 0.8 in evaluation",
        DropoutLeftOnInEvaluation: "dropout1 drops values in evaluation",
        DropoutUnscaledInTraining: "does not scale the values it keeps by 1 / keep while training",
        DropoutRescaledAfterTheOperator: "its kept values are scaled by 1 / keep twice while training",
    },
    "linear-regression": {
        SquaredLossWithoutTheHalf: "the loss is 2x the squared loss",
        UndividedLinearRegression: "the gradient is not divided by the batch",
    },
    "weight-decay": {},
    "lenet-bn": {
        BatchNormOverTheWrongAxes: "bn1 takes its statistics over axes (2, 3)",
        MovingAveragesUpdatedInEvaluation: "bn1 normalizes with the batch's own statistics in evaluation",
        MovingVarianceDecaysTheMean: "bn1's moving variance decays the moving mean",
        BatchStatisticsInEvaluation: "bn1 normalizes with the batch's own statistics in evaluation",
        MovingAveragesUpdatedAlways: "its moving averages change in evaluation",
        MomentumReversed: "moving averages weigh the new batch by momentum",
    },
}
