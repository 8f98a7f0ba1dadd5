"""Implementations in bf16: each built and run with AMP's bf16 operators (`Bf16Operators`), whatever it is —
hand-written NDArray code, Gluon, hybridized Gluon, a learner's own class — so every one is converted the same
way, by the operators it calls. Its parameters, gradients and update stay float32 (AMP casts them per operator);
its outputs are handed on in float32, which is exact and what AMP's float32 softmax and loss would do with them.
"""
import contextlib
import dataclasses
from collections.abc import Sequence
from typing import Callable, Mapping, Optional

import numpy as np

from compare.loading import Implementation
from compare.measuring.precision import BF16, FLOAT32, Bf16Operators, bf16_name
from implementations.mxnet_compat import mx
from implementations.protocol import (
    DataParallel,
    DescribesGradientSum,
    OwnsLoss,
    ReportsOptimizerState,
    Stateful,
    TakesOptimizer,
    declared,
)
from implementations.registry import Factory

# what a model may have besides `Model`'s members, each forwarded only where the model has it (protocol.py)
OPTIONAL_MEMBERS = frozenset(name for protocol in (Stateful, TakesOptimizer, ReportsOptimizerState, OwnsLoss,
                                                   DataParallel, DescribesGradientSum) for name in declared(protocol))


def as_float32(array: object) -> object:
    """A bfloat16 NDArray as float32 (exact; recorded, so gradients flow back through it); anything else as it is."""
    if isinstance(array, mx.nd.NDArray) and array.dtype not in (np.float32, np.float64, np.float16):
        return mx.nd.amp_cast(array, dtype="float32")
    return array


class InBf16:
    """A model run with AMP's bf16 operators: every call inside them (a no-op where the caller already is), its
    logits and layer outputs handed back in float32. The protocol's optional members are forwarded where the
    model has them, and only those."""

    def __init__(self, model: object, operators: Bf16Operators) -> None:
        self.model, self.operators = model, operators

    def forward(self, images: mx.nd.NDArray) -> mx.nd.NDArray:
        with self.operators:
            return as_float32(self.model.forward(images))  # type: ignore[attr-defined]

    def layer_outputs(self, images: mx.nd.NDArray) -> list:
        with self.operators:
            return [(name, as_float32(output)) for name, output in self.model.layer_outputs(images)]  # type: ignore[attr-defined]

    def step(self, batch_size: int, learning_rate: float) -> None:
        with self.operators:
            self.model.step(batch_size, learning_rate)  # type: ignore[attr-defined]

    def parameters(self) -> dict:
        return self.model.parameters()  # type: ignore[attr-defined]

    def gradients(self) -> dict:
        return self.model.gradients()  # type: ignore[attr-defined]

    def load_parameters(self, values: Mapping[str, np.ndarray]) -> None:
        self.model.load_parameters(values)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        if name not in OPTIONAL_MEMBERS:  # never reached for `model` and `operators`, set in __init__
            raise AttributeError(name)
        member = getattr(self.model, name)
        return _inside(member, self.operators) if callable(member) else member


def _inside(function: Callable, operators: Bf16Operators) -> Callable:
    def call(*args: object, **kwargs: object) -> object:
        with operators:
            return as_float32(function(*args, **kwargs))
    return call


def bf16_factory(factory: Factory, operators: Bf16Operators) -> Factory:
    """`factory`, its models built with the bf16 operators (AMP must be in force before a network is built: a
    hand-written layer may keep the function it was given) and run in them (`InBf16`)."""
    def build(spec: object, devices: object, **options: object) -> InBf16:
        with operators:
            return InBf16(factory(spec, devices, **options), operators)  # type: ignore[arg-type]
    return build


def in_bf16(implementation: Implementation, operators: Bf16Operators, name: str = "") -> Implementation:
    """The implementation trained and measured in bf16 (named `name`, else as it is)."""
    return dataclasses.replace(implementation, name=name or implementation.name,
                               factory=bf16_factory(implementation.factory, operators), low_precision=operators)


def each_precision(implementations: list[Implementation], precisions: Sequence[str],
                   operators: Optional[Bf16Operators]) -> list[Implementation]:
    """Every implementation in each precision, all float32 ones first: `scratch`, ..., then `scratch@bf16`, ...
    (bf16 alone: named `scratch@bf16` too, so a results file never mistakes one for float32)."""
    if BF16 not in precisions or operators is None:
        return implementations
    float32 = implementations if FLOAT32 in precisions else []
    return float32 + [in_bf16(implementation, operators, bf16_name(implementation.name))
                      for implementation in implementations]


def precision_of(implementation: Implementation) -> str:
    return FLOAT32 if implementation.low_precision is None else BF16


def operators_for(implementation: Implementation) -> object:
    """The block an implementation's work runs in: its bf16 operators, held across it, or nothing (float32)."""
    return implementation.low_precision if implementation.low_precision is not None else contextlib.nullcontext()
