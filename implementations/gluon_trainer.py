"""How every Gluon built-in updates: a `gluon.Trainer` with MXNet's optimizer of the rule asked for, weight decay as
its `wd` kept off the biases, and the rule's state read back in the chapters' terms. What `GluonNetwork` (the image
models) and `GluonSequenceNetwork` (the language models) share.
"""
from __future__ import annotations

from typing import Mapping, Optional

from implementations.mxnet_compat import mx
from implementations.optimizers import Optimizer


def mxnet_settings(optimizer: Optimizer) -> dict[str, float]:
    """The keywords MXNet's optimizer of `optimizer`'s rule takes (its names for our hyperparameters), with `wd`
    where there is weight decay; the learning rate is not among them (it comes with each step)."""
    keys = dict(optimizer.rule.mxnet_keys)
    settings = {keys.get(key, key): value for key, value in optimizer.values.items()}
    if optimizer.weight_decay:
        settings["wd"] = optimizer.weight_decay
    return settings


def make_trainer(block: mx.gluon.Block, named: Mapping[str, mx.gluon.Parameter], optimizer: Optimizer,
                 kvstore: object = "device", update_on_kvstore: Optional[bool] = None) -> mx.gluon.Trainer:
    """A Trainer over `block`'s parameters updating by `optimizer`'s rule; weight decay reaches only those of the
    parameters `named` (canonical name -> Parameter) that `optimizer.decays` (wd_mult 0 on the rest), as the
    weight-decay chapter keeps its penalty to the weights. Its learning rate is 0 until the first step sets one."""
    if optimizer.weight_decay:
        for name, param in named.items():
            param.wd_mult = 1.0 if optimizer.decays(name) else 0.0
    settings = {"learning_rate": 0.0, **mxnet_settings(optimizer)}
    return mx.gluon.Trainer(block.collect_params(), optimizer.rule.mxnet, settings, kvstore=kvstore,
                            update_on_kvstore=update_on_kvstore)


def in_chapter_terms(optimizer: Optimizer, name: str, arrays: object) -> dict[str, mx.nd.NDArray]:
    """One parameter's state as MXNet's optimizer keeps it (an array or a tuple) by canonical name
    (`fc1.weight:momentum`), in the chapter's terms: MXNet keeps momentum's velocity negated (w += v), so it is
    reported as the chapter's v (w -= v). {} where MXNet keeps none for this setting."""
    arrays = arrays if isinstance(arrays, (tuple, list)) else (arrays,)
    if any(array is None for array in arrays):
        return {}
    return {f"{name}:{state}": -array if optimizer.name == "momentum" else array
            for state, array in zip(optimizer.rule.state, arrays)}


def trainer_state(trainer: mx.gluon.Trainer, named: Mapping[str, mx.gluon.Parameter],
                  optimizer: Optimizer) -> dict[str, mx.nd.NDArray]:
    """The home context's optimizer state by canonical name, in the chapter's terms; {} before the first step and
    under plain SGD."""
    if not trainer._updaters or not optimizer.rule.state:  # noqa: SLF001 (MXNet keeps it here)
        return {}
    states = trainer._updaters[0].states  # noqa: SLF001 (the home context's updater)
    reported: dict[str, mx.nd.NDArray] = {}
    for name, param in named.items():
        index = trainer._param2idx[param.name]  # noqa: SLF001
        if index not in states:
            return {}
        one = in_chapter_terms(optimizer, name, states[index])
        if not one:
            return {}
        reported.update(one)
    return reported
