"""The learner's own loss replayed on the same input: random inside (noise drawn at every call) is said so; a
deterministic loss, and the runner's own, are not."""
import numpy as np

from compare.checking.determinism import random_loss_relation
from compare.checking.evidence import Evidence
from implementations.linear_regression.spec import LinearRegressionSpec
from implementations.mxnet_compat import mx

nd = mx.nd


class SquaredLoss:
    def own_loss(self, y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


class NoisyTargets(SquaredLoss):
    """linear-regression's data cell, `labels += nd.random.normal(scale=0.01, shape=labels.shape)`, pasted into the
    loss: fresh noise on the targets at every call."""

    def own_loss(self, y_hat, y):
        return super().own_loss(y_hat, y + nd.random.normal(scale=0.01, shape=y.shape, dtype=y.dtype))


class NumpyNoise(SquaredLoss):
    def own_loss(self, y_hat, y):
        noise = nd.array(np.random.normal(0, 0.01, y.shape), dtype=y.dtype)
        return super().own_loss(y_hat, y + noise)


def _evidence(model: type) -> Evidence:
    rng = np.random.default_rng(0)
    outputs = rng.normal(size=(16, 1)).astype(np.float32)
    return Evidence({}, {"logits": outputs}, np.zeros((16, 2), np.float32), LinearRegressionSpec(), 0,
                    lambda: model(), labels=rng.normal(size=16).astype(np.float32))


def test_noise_drawn_inside_the_loss_is_told_by_evaluating_it_twice():
    for model in (NoisyTargets, NumpyNoise):
        words = random_loss_relation(_evidence(model))
        assert "the loss is not a function of its inputs" in words and "random" in words


def test_a_deterministic_loss_and_the_runners_loss_say_nothing():
    assert random_loss_relation(_evidence(SquaredLoss)) == ""
    assert random_loss_relation(_evidence(object)) == ""  # no own_loss: the runner's, deterministic


class InPlaceLoss(SquaredLoss):
    """Deterministic, but writes into its input (`y_hat[:] = y_hat - y`): run twice on the same arrays it would
    give two results."""

    def own_loss(self, y_hat, y):
        y_hat[:] = y_hat - y.reshape(y_hat.shape)
        return y_hat ** 2 / 2


class FailingLoss(SquaredLoss):
    def own_loss(self, y_hat, y):
        raise ValueError("the learner's own bug")


def test_a_loss_that_writes_into_its_input_or_fails_is_not_called_random():
    assert random_loss_relation(_evidence(InPlaceLoss)) == ""
    assert random_loss_relation(_evidence(FailingLoss)) == ""
