"""The built-in implementations by name, and building any implementation from the shared initial weights.

Adding a built-in is one file in this package and one line in `builtin_factories`. Implementations from
outside the package are found by `compare.selection` and built by the same `build_model`.
"""
from __future__ import annotations

from typing import Callable

from implementations.protocol import Devices, LeNetSpec, Model

Factory = Callable[[LeNetSpec, Devices], Model]  # a class taking (spec, devices) is one too


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
        "gluon": lambda spec, devices: GluonLeNet(spec, devices, hybridize=False),
        "gluon-hybrid": lambda spec, devices: GluonLeNet(spec, devices, hybridize=True),
        "tutorial": TutorialLeNet,
    }


def build_model(factory: Factory, spec: LeNetSpec, devices: Devices, seed: int) -> Model:
    """`factory(spec, devices)`, loaded with the initial weights that `seed` gives every implementation."""
    model = factory(spec, devices)
    model.load_parameters(spec.initial_parameters(seed))
    return model


def create_model(name: str, spec: LeNetSpec, devices: Devices, seed: int) -> Model:
    """Build the built-in implementation `name`; ValueError listing the valid names, sorted."""
    factories = builtin_factories()
    if name not in factories:
        raise ValueError(f"unknown implementation {name!r}; valid: {', '.join(sorted(factories))}")
    return build_model(factories[name], spec, devices, seed)
