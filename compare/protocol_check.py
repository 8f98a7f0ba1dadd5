"""An implementation from outside checked against the `Model` protocol before any training: built once on a
two-example batch, so a missing method, a wrong parameter name or shape, logits of the wrong shape or dtype, a
forward that writes into its weights, or weights loaded but not used is one UsageError naming it."""
from typing import TYPE_CHECKING, Protocol, Sequence

import numpy as np

from compare.errors import ProtocolViolation, UsageError, one_line
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from implementations.optimizers import SGD, Optimizer
from implementations.protocol import (
    Devices,
    Model,
    Stateful,
    give_rule,
    missing,
    own_loss_of,
    supports_data_parallel,
    takes_optimizer,
)
from implementations.registry import Factory
from implementations.spec_base import NetworkSpec

if TYPE_CHECKING:
    import mxnet

class Candidate(Protocol):
    """What is checked: a name to say, and the factory that builds it (`loading.Implementation` is one)."""

    name: str
    factory: Factory


PROBE_BATCH = 2  # examples in the batch an implementation from outside is first built and run on


def check_protocol(implementation: Candidate, spec: NetworkSpec, ctx: "mxnet.Context",
                   data_parallel: bool = False, optimizers: Sequence[Optimizer] = (SGD,), suggest: bool = True) -> None:
    """Build it once on `ctx` and try every protocol method on a tiny batch; any misfit is a UsageError naming
    it, and so is a model that does not declare `data_parallel = True` when several devices will train it, or one
    written for plain SGD alone (no `use_optimizer`) when another update rule is asked for. With `suggest`, a
    misfit also names the registered model it passes this whole check for, if one does."""
    from implementations.mxnet_compat import mx

    name = implementation.name
    try:
        model = implementation.factory(spec, Devices((ctx,)))
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS as error:
        said = _in_words(error, spec)
        given = "" if "the spec of --model" in said else f"given the spec of --model {_model_name(spec)}"
        written_for = _written_for(implementation, spec, ctx, suggest)
        hint = f"{given}{written_for if given else written_for.removeprefix('; ')}"
        raise UsageError(f"{name}: building it raised {said}" + (f" ({hint})" if hint else "")) from error
    # Stateful is required where the spec has state (batch norm's moving averages)
    lacks = missing(model, Model) + (missing(model, Stateful) if spec.state_shapes() else [])
    if lacks:
        raise UsageError(f"{name}: not a Model, missing {', '.join(lacks)} (see the README's protocol)")
    if data_parallel and not supports_data_parallel(model):
        raise UsageError(f"{name}: trains on one device only (it does not set data_parallel = True); "
                         "run it without a --ctx list or a launcher")
    other = next((optimizer for optimizer in optimizers if not optimizer.plain_sgd), None)
    if other is not None and not takes_optimizer(model):
        raise UsageError(f"{name}: updates by plain SGD only (it has no use_optimizer(optimizer)); run it with "
                         f"--optimizer sgd and no --weight-decay, or give it use_optimizer (see docs/optimizers.md)")
    if takes_optimizer(model):
        try:
            give_rule(model, optimizers[0])
        except Interrupt:
            raise
        except IMPLEMENTATION_ERRORS as error:
            raise UsageError(f"{name}: use_optimizer({optimizers[0].name}) raised {one_line(error)}") from error
    try:
        loaded = spec.initial_parameters(seed=0)
        model.load_parameters(loaded)
        spec.check_parameters(model.parameters())
        images = mx.nd.array(np.random.default_rng(0).random(  # noise: an all-zero batch hides weights
            (PROBE_BATCH, *spec.input_shape)), ctx=ctx)
        as_loaded = {parameter: value.asnumpy() for parameter, value in model.parameters().items()}
        logits = model.forward(images)
        _check_unwritten(model, as_loaded)
        layers = model.layer_outputs(images)
        _check_logits(spec.output_name, logits, (PROBE_BATCH, spec.num_classes))
        _check_loaded(name, model, loaded, images, logits, spec)
    except ValueError as error:  # names or shapes: written for another network?
        raise UsageError(f"{name}: {error} (the spec of --model {_model_name(spec)}"
                         f"{_written_for(implementation, spec, ctx, suggest)})") from error
    except ProtocolViolation as error:
        raise UsageError(f"{name}: {error}") from error
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS as error:
        written_for = _written_for(implementation, spec, ctx, suggest)
        hint = f" ({written_for.removeprefix('; ')})" if "--model" in written_for and "?" not in written_for else ""
        raise UsageError(f"{name}: fails on a {PROBE_BATCH}-example batch: {_in_words(error, spec)}{hint}") \
            from error
    _check_own_loss(name, model, logits)
    _check_backward(name, model, images, spec)
    if not layers or not all(isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)
                             and hasattr(pair[1], "shape") for pair in layers):
        raise UsageError(f"{name}: layer_outputs must return a non-empty list of (layer name, NDArray)")
    expected = (PROBE_BATCH, spec.num_classes)
    if tuple(layers[-1][1].shape) != expected:
        raise UsageError(f"{name}: the last of layer_outputs ({layers[-1][0]}) has shape "
                         f"{tuple(layers[-1][1].shape)}, expected the {spec.output_name}' {expected}")


def _in_words(error: BaseException, spec: NetworkSpec) -> str:
    """`one_line(error)` with the spec called by its --model name, not its class ('LinearRegressionSpec' object has no
    attribute 'pool_size' -> the spec of --model linear-regression has no attribute 'pool_size')."""
    return one_line(error).replace(f"'{type(spec).__name__}' object", f"the spec of --model {_model_name(spec)}")


def _model_name(spec: NetworkSpec) -> str:
    """The --model name of `spec` (its class name where no registered model has that spec)."""
    from implementations.registry import models

    return next((name for name, entry in models().items() if type(entry.spec()) is type(spec)), type(spec).__name__)


def _written_for(implementation: Candidate, spec: NetworkSpec, ctx: "mxnet.Context", suggest: bool) -> str:
    """'; it is written for --model M' where it passes the whole protocol check as another registered model M,
    else '; written for another model?' ('' without `suggest`: the check of another model asks no further)."""
    from implementations.registry import models

    if not suggest:
        return ""
    for name, entry in models().items():
        other = entry.spec()
        if type(other) is type(spec):
            continue
        try:
            check_protocol(implementation, other, ctx, suggest=False)
        except Interrupt:
            raise
        except (UsageError, *IMPLEMENTATION_ERRORS):
            continue
        return f"; it is written for --model {name}"
    return "; written for another model?"


def _check_backward(name: str, model: object, images: "mxnet.nd.NDArray", spec: NetworkSpec) -> None:
    """One recorded forward and backward on the probe: parameters that autograd does not know (no
    `attach_grad()`) are named here, in a learner's words, not by MXNet's message about `autograd.record()`."""
    from implementations.mxnet_compat import mx

    try:
        with mx.autograd.record():
            total = model.forward(images).sum()  # type: ignore[attr-defined]
        total.backward()
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS as error:
        if "AGInfo" in str(error) or "is_recording" in str(error):
            raise UsageError(f"{name}: backward finds no gradient to compute: its parameters are not attached to "
                             "autograd; call attach_grad() on each parameter array when building it") from error
        raise UsageError(f"{name}: backward fails on a {PROBE_BATCH}-example batch: {one_line(error)}") from error


def _check_own_loss(name: str, model: object, logits: "mxnet.nd.NDArray") -> None:
    """A model's own loss must give one loss per example, (N,): the runner sums it and divides by the batch."""
    own = own_loss_of(model)
    if own is None:
        return
    from implementations.mxnet_compat import mx

    labels = mx.nd.zeros((PROBE_BATCH,), ctx=logits.context)
    try:
        shape = tuple(own(logits, labels).shape)
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS as error:
        raise UsageError(f"{name}: own_loss fails on {PROBE_BATCH} examples: {one_line(error)}") from error
    if shape != (PROBE_BATCH,):
        what = ("the loss is one number for the batch where the protocol wants one per example"
                if int(np.prod(shape)) == 1 else "the protocol wants one loss per example")
        raise UsageError(f"{name}: own_loss gives shape {shape} for {PROBE_BATCH} examples; {what}, "
                         f"({PROBE_BATCH},): don't sum or average it (the runner does, and divides by the batch in "
                         "step)")


def _check_logits(outputs: str, logits: object, expected: tuple[int, int]) -> None:
    """Logits (a regression's predictions: `outputs`) must be one float32 NDArray of `expected` shape
    (ProtocolViolation naming what came instead)."""
    if not hasattr(logits, "shape") or not hasattr(logits, "asnumpy"):
        raise ProtocolViolation(f"forward returns a {type(logits).__name__}, expected an NDArray of {outputs}")
    if tuple(logits.shape) != expected:
        raise ProtocolViolation(f"forward gives {outputs} of shape {tuple(logits.shape)}, expected {expected}")
    if logits.dtype != np.float32:
        raise ProtocolViolation(f"forward gives {np.dtype(logits.dtype).name} {outputs}, expected float32 (the "
                                "loss, the shared weights and every other implementation are float32)")


def _check_unwritten(model: object, as_loaded: dict[str, np.ndarray]) -> None:
    """A forward pass must leave the weights as they were: one that writes into a parameter is named, with what
    it wrote where that is one value everywhere (nd.BatchNorm's default fix_gamma=True writes 1 into gamma)."""
    for parameter, value in model.parameters().items():  # type: ignore[attr-defined]
        after = value.asnumpy()
        if parameter in as_loaded and not np.array_equal(after, as_loaded[parameter]):
            constant = after.size and np.all(after == after.flat[0])
            wrote = f" (now {after.flat[0]:g} everywhere" + (
                "; nd.BatchNorm's default fix_gamma=True overwrites gamma with 1: pass fix_gamma=False)"
                if parameter.endswith("gamma") and after.flat[0] == 1 else ")") if constant else ""
            raise ProtocolViolation(f"forward writes into parameters()[{parameter!r}]{wrote}: a forward pass must "
                                    "leave the weights as loaded")


def _check_loaded(name: str, model: object, loaded: dict, images: "mxnet.nd.NDArray", logits: object,
                  spec: NetworkSpec) -> None:
    """The weights `load_parameters` was given are the ones `parameters()` reports and `forward` uses."""
    for parameter, value in model.parameters().items():  # type: ignore[attr-defined]
        if not np.array_equal(value.asnumpy(), loaded[parameter]):
            raise ProtocolViolation(f"after load_parameters, parameters()[{parameter!r}] holds other values: "
                                    "the shared initial weights must be the ones trained")
    # every value moved, biases too: a model whose activations all vanish (a relu that zeroes everything small)
    # still passes its output layer's bias to the logits, so it is not taken for one that ignores its weights
    moved = {parameter: value + 0.05 for parameter, value in spec.initial_parameters(seed=1).items()}
    model.load_parameters(moved)  # type: ignore[attr-defined]
    if np.array_equal(model.forward(images).asnumpy(), logits.asnumpy()):  # type: ignore[attr-defined]
        raise ProtocolViolation(f"forward gives the same {spec.output_name} after load_parameters changed every "
                                "weight: it does not use the weights it is given")
