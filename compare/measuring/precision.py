"""The precision a network computes in: float32, or bf16 as MXNet's AMP runs it (`amp.init(target_dtype=
'bfloat16')`), and the switch between them. Names and parsing import no mxnet.

AMP patches MXNet's operator namespaces (`mx.nd`, `mx.sym` and their submodules) by name: Convolution and
FullyConnected get bfloat16 inputs, ReLU and pooling run in whatever they are given, the rest (softmax, the
loss, reshapes, every update rule) is cast to float32, and an operator fed float32 and bfloat16 at once (`dot`,
`broadcast_maximum`, `+`) computes in float32. Because it is by name, hand-written NDArray code gets the same
casts as Gluon for the same operators. It is process-wide and meant to be called once; `Bf16Operators` calls
it once, keeps both sets of functions and puts either in the namespaces, so float32 and bf16 models take turns
in one process, each built and run with its own.
"""
from dataclasses import dataclass, field
from typing import Optional

from compare.errors import UsageError, one_line

FLOAT32, BF16 = "float32", "bf16"
PRECISIONS = (FLOAT32, BF16)  # --precision's values, in the order a run trains them
UNIT_ROUNDOFF = {FLOAT32: 2.0**-24, BF16: 2.0**-8}  # half an ulp at 1: 24 and 8 significand bits
PRECISION_MARK = "@"  # `scratch@bf16`: an implementation trained in bf16 beside its float32 self
BF16_SUFFIX = f"{PRECISION_MARK}{BF16}"


def bf16_name(name: str) -> str:
    """'scratch' -> 'scratch@bf16': the name of an implementation's bf16 self."""
    return f"{name}{BF16_SUFFIX}"


def parse_precisions(value: object) -> Optional[tuple[str, ...]]:
    """'float32,bf16', a list of those, or None (not given) -> the precisions; anything else is a UsageError."""
    if value is None:
        return None
    if isinstance(value, str):
        parts = [part.strip().lower() for part in value.split(",")]
    elif isinstance(value, (list, tuple)) and all(isinstance(part, str) for part in value):
        parts = [part.strip().lower() for part in value]
    else:
        raise UsageError(f"--precision takes {' or '.join(PRECISIONS)} (or both, comma-separated), got {value!r}")
    unknown = [part for part in parts if part not in PRECISIONS]
    if not parts or unknown or "" in parts:
        shown = ", ".join(repr(part) for part in unknown) if unknown else repr(value)
        raise UsageError(f"--precision: unknown precision {shown}; use {' or '.join(PRECISIONS)}, or both "
                         "comma-separated (float32,bf16)")
    if len(set(parts)) != len(parts):
        raise UsageError(f"--precision repeats a precision: {','.join(parts)}")
    return tuple(parts)


def check_precision_contexts(precisions: tuple[str, ...], device_types: tuple[str, ...]) -> None:
    """bf16 runs on oneDNN's CPU kernels only: a GPU context is refused in one line."""
    if BF16 in precisions and "gpu" in device_types:
        raise UsageError("--precision bf16 runs on the CPU only: mxnet 1.9.1 computes bfloat16 with oneDNN's CPU "
                         "kernels (its GPU AMP is float16); use --ctx cpu, or float32 on a GPU")


@dataclass
class Bf16Operators:
    """MXNet's operator namespaces as AMP's bf16 patches them, and as they were: `with operators:` puts the bf16
    functions in for the block (re-entrant: inside a block it changes nothing), then the originals back. Built
    by `capture`, once per job; every bf16 model of the job is built and run through the same one."""

    modules: list = field(repr=False)  # the namespaces AMP patches
    original: list[dict] = field(repr=False)  # per module: name -> MXNet's own function
    low: list[dict] = field(repr=False)  # per module: name -> AMP's wrapper of it
    _entered: int = 0  # blocks open; the namespaces are switched by the outermost only

    @classmethod
    def capture(cls) -> "Bf16Operators":
        """Call `amp.init(target_dtype='bfloat16')`, keep what it patched, put MXNet's own functions back and
        leave AMP as it found it; then prove on a tiny batch that this build and CPU run bf16 (a UsageError in
        one line if not). Refused where the process initialised AMP itself: float32 could not be measured."""
        from mxnet import base
        from mxnet.contrib import amp
        from mxnet.contrib.amp import amp as amp_module

        from implementations.mxnet_compat import mx

        if amp_module._amp_initialized:
            raise UsageError("--precision: mxnet.contrib.amp is already initialised in this process, so float32 "
                             "and bf16 cannot be told apart; restart the kernel (or run `python -m compare`) "
                             "without amp.init")
        modules: list = []
        for root in (mx.nd, mx.sym):
            for module in [root, root.op, root._internal] + [getattr(root, prefix[1:-1])
                                                              for prefix in base._OP_NAME_PREFIX_LIST]:
                if all(module is not other for other in modules):
                    modules.append(module)
        before = [dict(vars(module)) for module in modules]
        amp.init(target_dtype="bfloat16")
        # bf16 keeps float32's exponent: no loss scaling (AMP scales SoftmaxOutput's gradient by 2^16 otherwise)
        amp_module._loss_scaler._loss_scale = amp_module._loss_scaler._next_loss_scale = 1.0
        low = [{name: value for name, value in vars(module).items() if saved.get(name) is not value}
               for module, saved in zip(modules, before)]
        original = [{name: saved[name] for name in patched} for saved, patched in zip(before, low)]
        operators = cls(modules, original, low)
        operators._put(original)
        amp_module._amp_initialized = False  # the process as it was: a learner's own amp.init still works
        operators.prove()
        return operators

    def _put(self, functions: list[dict]) -> None:
        for module, named in zip(self.modules, functions):
            module.__dict__.update(named)

    @property
    def active(self) -> bool:
        return self._entered > 0

    def __enter__(self) -> "Bf16Operators":
        if self._entered == 0:
            self._put(self.low)
        self._entered += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._entered -= 1
        if self._entered == 0:
            self._put(self.original)

    def prove(self) -> None:
        """A convolution and a dense layer in bf16 on the CPU, or a UsageError saying why not."""
        from compare.measuring.native_stderr import native_stderr_held
        from implementations.mxnet_compat import mx

        try:
            with self, native_stderr_held():  # a CPU without bfloat16 makes MXNet log its failure to fd 2
                images = mx.nd.ones((2, 1, 6, 6))
                out = mx.nd.Convolution(images, mx.nd.ones((2, 1, 3, 3)), mx.nd.zeros(2), kernel=(3, 3), num_filter=2)
                out = mx.nd.FullyConnected(out, mx.nd.ones((3, 32)), mx.nd.zeros(3), num_hidden=3)
                values = mx.nd.amp_cast(out, dtype="float32").asnumpy()
        except mx.base.MXNetError as error:
            raise UsageError(f"--precision bf16: this mxnet build or CPU cannot run bfloat16 ({one_line(error)})"
                             ) from error
        if out.dtype == values.dtype or not (values == 9.0 * 32).all():
            raise UsageError("--precision bf16: AMP left a dense layer in float32 or computed it wrongly here; "
                             "bf16 cannot be measured on this build")
