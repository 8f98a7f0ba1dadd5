"""MXNet's own optimizer of a rule, as an updater for `check`'s hand-written references: what the Gluon built-ins'
`gluon.Trainer` computes, run on the reference's arrays (float32 or float64), so a built-in that updates through it
is held to the rest of the reference's computation exactly. Where MXNet's formula is the chapter's (SGD, momentum,
RMSProp; AdaGrad and AdaDelta without weight decay) it changes nothing; where it is not (Adam's bias correction
folded into the rate, AdaGrad's and AdaDelta's weight decay after the step: `registry.update_rule_difference`), it
is a correct reading of the rule of its own."""
from __future__ import annotations

from typing import Callable

from implementations.gluon_trainer import in_chapter_terms, mxnet_settings
from implementations.mxnet_compat import mx
from implementations.optimizers import Optimizer

nd = mx.nd


class MXNetUpdater:
    """`HandwrittenOptimizer`'s interface over MXNet's `mx.optimizer` of `optimizer`'s rule and its `Updater`: one
    index per parameter, weight decay by `optimizer.decays` (MXNet would otherwise choose by its own naming)."""

    def __init__(self, optimizer: Optimizer, params: dict[str, nd.NDArray]) -> None:
        self.optimizer, self.names = optimizer, list(params)
        self.mxnet = mx.optimizer.create(optimizer.rule.mxnet, learning_rate=0.0,
                                         param_idx2name=dict(enumerate(self.names)), **mxnet_settings(optimizer))
        self.mxnet.set_wd_mult({name: 1.0 if optimizer.decays(name) else 0.0 for name in self.names})
        self.updater = mx.optimizer.get_updater(self.mxnet)

    def step(self, params: dict[str, nd.NDArray], batch_size: int, learning_rate: float) -> None:
        """One update of every parameter from grad / batch_size, as `gluon.Trainer.step(batch_size)` makes it."""
        self.mxnet.rescale_grad, self.mxnet.lr = 1.0 / batch_size, learning_rate
        for index, name in enumerate(self.names):
            if index not in self.updater.states:
                self.updater.states[index] = self._zeros(index, params[name])
                self.updater.states_synced[index] = True
            self.updater(index, params[name].grad, params[name])

    def _zeros(self, index: int, weight: nd.NDArray) -> object:
        """MXNet's initial state for `weight`, in the weight's dtype: its AdaGrad and AdaDelta make float32 zeros
        whatever the weight, which a float64 reference's update would refuse."""
        state = self.mxnet.create_state(index, weight)
        if state is None:
            return None
        if isinstance(state, (tuple, list)):
            return type(state)(array.astype(weight.dtype) for array in state)
        return state.astype(weight.dtype)

    def reported(self, canonical: Callable[[str, nd.NDArray], nd.NDArray]) -> dict[str, nd.NDArray]:
        """The state by canonical name, in the chapter's terms (`gluon_trainer.in_chapter_terms`)."""
        reported: dict[str, nd.NDArray] = {}
        for index, name in enumerate(self.names):
            if index in self.updater.states:
                reported.update({key: canonical(name, array) for key, array
                                 in in_chapter_terms(self.optimizer, name, self.updater.states[index]).items()})
        return reported
