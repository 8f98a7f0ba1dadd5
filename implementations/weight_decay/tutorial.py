"""Weight decay exactly as the reg-scratch chapter writes it: the linear-regression chapter's model and squared
loss, plus the L2 penalty lambda * ||w||^2 / 2 written into the loss (`l2_penalty`), and plain SGD. The lambda is
the optimizer's weight decay; the update itself then adds none (the penalty's gradient already carries it)."""
from __future__ import annotations

import dataclasses

from implementations.linear_regression.tutorial import TutorialLinearRegression, squared_loss
from implementations.mxnet_compat import mx
from implementations.optimizers import Optimizer

nd = mx.nd


def l2_penalty(weight: nd.NDArray) -> nd.NDArray:
    """The chapter's (w ** 2).sum() / 2."""
    return (weight**2).sum() / 2


class TutorialWeightDecay(TutorialLinearRegression):
    penalty = 0.0  # lambda: set by use_optimizer

    def use_optimizer(self, optimizer: Optimizer) -> None:
        self.penalty = optimizer.weight_decay  # into the loss, not the update
        super().use_optimizer(dataclasses.replace(optimizer, weight_decay=0.0))

    def own_loss(self, predictions: nd.NDArray, targets: nd.NDArray) -> nd.NDArray:
        """Training (recorded): the squared loss plus the penalty, what it minimises (so its train loss is above
        the others' by lambda / 2 * ||w||^2); evaluation: the squared loss alone, as the chapter measures it."""
        if not mx.autograd.is_recording():
            return squared_loss(predictions, targets)
        weight = self.replicas[predictions.context]["fc1.weight"]
        return squared_loss(predictions, targets) + self.penalty * l2_penalty(weight)
