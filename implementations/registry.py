"""The one registry of built-in implementations: names, factories, what `--help` lists and what `check` knows.

Adding a built-in is one file in this package and one `BuiltIn` line in `BUILT_INS`. Listing names imports
no mxnet: a factory is named by `module:attr` and imported when first asked for. Implementations from
outside the package are found by `compare.selection` and built by the same `build_model`.
"""
from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import Callable, Optional

from implementations.lenet.spec import LeNetSpec
from implementations.protocol import Devices, Model

Factory = Callable[[LeNetSpec, Devices], Model]  # a class taking (spec, devices) is one too


@dataclass(frozen=True)
class KnownDifference:
    """Where a built-in is known to differ from `scratch`, and why: `check` shows these rows as explained
    rather than failed (an outside implementation with the same difference still fails)."""

    kinds: tuple[str, ...]  # the quantity kinds that may differ: "gradient", "weights"
    cause: str  # one line


@dataclass(frozen=True)
class BuiltIn:
    """A built-in implementation: its name, where its factory lives, and what `check` should expect of it."""

    name: str
    target: str  # "module:attr" of a class or function called as (spec, devices, **options)
    options: tuple[tuple[str, object], ...] = ()
    known_difference: Optional[KnownDifference] = None

    def factory(self) -> Factory:
        """The `(spec, devices) -> Model` callable (imports its module, and so mxnet)."""
        module, _, attribute = self.target.partition(":")
        constructor = getattr(importlib.import_module(module), attribute)
        return functools.partial(constructor, **dict(self.options)) if self.options else constructor


TUTORIAL_RELU = KnownDifference(
    kinds=("gradient", "weights"),
    cause="its ReLU is maximum(x, 0), whose gradient at exactly 0 is 1 where relu's is 0; conv outputs on "
          "Fashion-MNIST's black background are exactly 0, so bias gradients and then weights differ",
)
BUILT_INS = (  # `scratch`, the reference every other one is checked against, first
    BuiltIn("scratch", "implementations.lenet.scratch:ScratchLeNet"),
    BuiltIn("gluon", "implementations.lenet.gluon:GluonLeNet", (("hybridize", False),)),
    BuiltIn("gluon-hybrid", "implementations.lenet.gluon:GluonLeNet", (("hybridize", True),)),
    BuiltIn("tutorial", "implementations.lenet.tutorial:TutorialLeNet", known_difference=TUTORIAL_RELU),
)


def builtins() -> dict[str, BuiltIn]:
    """Every built-in by name, in registry order."""
    return {builtin.name: builtin for builtin in BUILT_INS}


def implementation_names() -> list[str]:
    """Built-in names, `scratch` (the reference) first; listing them imports no mxnet."""
    return [builtin.name for builtin in BUILT_INS]


def build_model(factory: Factory, spec: LeNetSpec, devices: Devices, seed: int) -> Model:
    """`factory(spec, devices)`, loaded with the initial weights that `seed` gives every implementation."""
    model = factory(spec, devices)
    model.load_parameters(spec.initial_parameters(seed))
    return model
