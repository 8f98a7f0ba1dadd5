"""The registry: every implementation by name, and `create_model`, which builds one from shared weights.

Adding an implementation is one file in this package and one line in `_CONSTRUCTORS`.
"""
from __future__ import annotations

from typing import Callable

from compare.mxnet_compat import mx
from implementations.gluon_lenet import GluonLeNet
from implementations.protocol import LeNetSpec, Model
from implementations.scratch import ScratchLeNet

_CONSTRUCTORS: dict[str, Callable[[LeNetSpec, mx.Context], Model]] = {
    "scratch": ScratchLeNet,
    "gluon": lambda spec, ctx: GluonLeNet(spec, ctx, hybridize=False),
    "gluon-hybrid": lambda spec, ctx: GluonLeNet(spec, ctx, hybridize=True),
}


def implementation_names() -> list[str]:
    """Registered names, `scratch` (the reference) first."""
    return list(_CONSTRUCTORS)


def create_model(name: str, spec: LeNetSpec, ctx: mx.Context, seed: int) -> Model:
    """Build implementation `name` on `ctx`, loaded with the initial weights that `seed` gives every one."""
    if name not in _CONSTRUCTORS:
        raise ValueError(f"unknown implementation {name!r}; valid: {', '.join(sorted(_CONSTRUCTORS))}")
    model = _CONSTRUCTORS[name](spec, ctx)
    model.load_parameters(spec.initial_parameters(seed))
    return model
