"""The built-in implementations by name, and building any implementation from the shared initial weights.

Adding a built-in is one file in this package and one line in `builtin_factories`. Implementations from
outside the package are found by `compare.selection` and built by the same `build_model`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from implementations.protocol import LeNetSpec, Model

if TYPE_CHECKING:
    import mxnet

Factory = Callable[[LeNetSpec, "mxnet.Context"], Model]  # a class taking (spec, ctx) is one too


def implementation_names() -> list[str]:
    """Built-in names, `scratch` (the reference) first; listing them imports no mxnet."""
    return ["scratch", "gluon", "gluon-hybrid", "tutorial"]


def builtin_factories() -> dict[str, Factory]:
    """Every built-in implementation by name, in `implementation_names()` order."""
    from implementations.gluon_lenet import GluonLeNet  # here, not at the top: names need no mxnet
    from implementations.scratch import ScratchLeNet
    from implementations.tutorial import TutorialLeNet

    return {
        "scratch": ScratchLeNet,
        "gluon": lambda spec, ctx: GluonLeNet(spec, ctx, hybridize=False),
        "gluon-hybrid": lambda spec, ctx: GluonLeNet(spec, ctx, hybridize=True),
        "tutorial": TutorialLeNet,
    }


def build_model(factory: Factory, spec: LeNetSpec, ctx: mxnet.Context, seed: int) -> Model:
    """`factory(spec, ctx)`, loaded with the initial weights that `seed` gives every implementation."""
    model = factory(spec, ctx)
    model.load_parameters(spec.initial_parameters(seed))
    return model


def create_model(name: str, spec: LeNetSpec, ctx: mxnet.Context, seed: int) -> Model:
    """Build the built-in implementation `name`; ValueError listing the valid names, sorted."""
    factories = builtin_factories()
    if name not in factories:
        raise ValueError(f"unknown implementation {name!r}; valid: {', '.join(sorted(factories))}")
    return build_model(factories[name], spec, ctx, seed)
