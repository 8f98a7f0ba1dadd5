"""This machine's float32 arithmetic limit as this process reaches it: the fastest of the matrix products (GEMMs)
it has — MXNet's `nd.dot` (the BLAS bundled with mxnet), `nd.FullyConnected` (oneDNN, where MXNet is built with
it) and numpy's `matmul` (numpy's own BLAS) — on two square matrices large enough that their arithmetic dominates,
each timed engine-synced under the settings in force. Every candidate's rate is kept, named.

A network's throughput times its FLOPs per example is its achieved GFLOP/s; against the limit it says how far
from the machine's arithmetic an implementation runs. A small convolution stays far below it: its matrices are
thin (LeNet's conv1 multiplies 25-long rows), so it cannot reuse what it loads as a large product does.
"""
import math
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable, Optional

GEMM_SIZE = 1024  # 2 x 1024^3 = 2.1 GFLOP per product: long enough to time at any of the candidates' rates
MIN_SECONDS = 0.5  # each candidate measured for at least this long...
MIN_CALLS = 5  # ...and at least this many products, after WARMUP_CALLS untimed
WARMUP_CALLS = 2
DOT = "nd.dot"  # MXNet's bundled BLAS: what a from-scratch layer written with nd.dot runs on
FULLY_CONNECTED = "FullyConnected (oneDNN)"  # X·Wᵀ, the same 2·n³ FLOPs; "FullyConnected" where oneDNN is absent
NUMPY_MATMUL = "numpy matmul"  # numpy's own BLAS, with as many threads as MXNet's OpenMP
FULLY_CONNECTED_BF16 = "FullyConnected bf16 (oneDNN)"  # bfloat16 in and out: shown beside, never the float32 limit
FLOPS_KEYS = ("forward_flops", "training_flops", "elementwise_ops")  # the network's part of the record


@dataclass(frozen=True)
class GemmRates:
    """GFLOP/s of every float32 GEMM measured on size x size matrices, by name; the fastest is the machine's limit.
    `lower_precision`: products in a narrower type (bfloat16), measured beside the others, never the limit."""

    size: int
    rates: dict[str, float]
    lower_precision: dict[str, float] = field(default_factory=dict)
    numpy_threads: Optional[int] = None  # the BLAS threads numpy's matmul ran with; None: numpy's own default

    def __post_init__(self) -> None:
        if not self.rates or not all(_positive(rate) for rate in self.rates.values()):
            raise ValueError(f"GEMM rates must be positive and finite, at least one: {self.rates}")

    @property
    def limit(self) -> str:
        """The name of the fastest float32 GEMM (the first measured, on a tie)."""
        return max(self.rates, key=lambda name: self.rates[name])

    @property
    def limit_gflops(self) -> float:
        return self.rates[self.limit]

    def record(self) -> dict[str, object]:
        """The JSON record: every candidate's rate, and the limit named (for a reader; `from_record` recomputes it)."""
        return {"gemm_size": self.size, "gemm_gflops": dict(self.rates), "limit": self.limit,
                "limit_gflops": self.limit_gflops, "lower_precision_gflops": dict(self.lower_precision),
                "numpy_threads": self.numpy_threads}

    @classmethod
    def from_record(cls, record: dict) -> Optional["GemmRates"]:
        """The rates a results file kept, or None where it has none. A file written before the limit was the
        fastest of several GEMMs has `dot_gflops` and `dot_size`: nd.dot is then its only candidate."""
        rates = record.get("gemm_gflops")
        if not isinstance(rates, dict):
            rates = {DOT: record.get("dot_gflops")}
        rates = {str(name): float(rate) for name, rate in rates.items() if _positive(rate)}
        lower = record.get("lower_precision_gflops")
        lower = {str(name): float(rate) for name, rate in lower.items() if _positive(rate)} if isinstance(lower, dict) else {}
        size, threads = record.get("gemm_size", record.get("dot_size")), record.get("numpy_threads")
        if not rates:
            return None
        return cls(size if isinstance(size, int) and size > 0 else GEMM_SIZE, rates, lower,
                   threads if isinstance(threads, int) else None)

    @classmethod
    def mean(cls, measured: "list[GemmRates]") -> Optional["GemmRates"]:
        """Each candidate's mean rate over several measurements (tune's rounds), or None if there are none."""
        if not measured:
            return None

        def means(tables: list[dict[str, float]]) -> dict[str, float]:
            names = dict.fromkeys(name for table in tables for name in table)
            return {name: sum(values) / len(values) for name in names
                    if (values := [table[name] for table in tables if name in table])}

        return cls(measured[0].size, means([m.rates for m in measured]), means([m.lower_precision for m in measured]),
                   measured[0].numpy_threads)


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


def gemm_gflops(product: Callable[[], object], size: int) -> float:
    """GFLOP/s of `product` (one size x size GEMM a call): WARMUP_CALLS untimed, then engine-synced calls until
    MIN_SECONDS and MIN_CALLS are both reached."""
    from compare.measuring.timing import SyncedTimer  # loads mxnet: only where a rate is measured

    for _ in range(WARMUP_CALLS):
        product()
    calls, seconds = 0, 0.0
    while calls < MIN_CALLS or seconds < MIN_SECONDS:
        with SyncedTimer() as timer:
            product()
        calls, seconds = calls + 1, seconds + timer.seconds
    return 2 * size**3 * calls / seconds / 1e9


def measure_gemms(ctx: object, size: int = GEMM_SIZE) -> GemmRates:
    """Every GEMM this process has on `ctx`, one after the other (a few seconds): nd.dot and FullyConnected on any
    context; on a CPU, numpy's matmul too, with MXNet's OpenMP thread count, and bfloat16 FullyConnected where
    oneDNN runs it."""
    from compare.measuring.threads import openmp_threads
    from implementations.mxnet_compat import mx

    left = mx.nd.random.uniform(shape=(size, size), ctx=ctx)
    right = mx.nd.random.uniform(shape=(size, size), ctx=ctx)
    on_cpu = getattr(ctx, "device_type", "cpu") == "cpu"
    onednn = on_cpu and mx.runtime.Features().is_enabled("MKLDNN")
    fully_connected = FULLY_CONNECTED if onednn else "FullyConnected"
    rates = {DOT: gemm_gflops(lambda: mx.nd.dot(left, right), size),
             fully_connected: gemm_gflops(lambda: mx.nd.FullyConnected(left, right, num_hidden=size, no_bias=True),
                                          size)}
    threads = openmp_threads() if on_cpu else None
    if on_cpu:
        rates[NUMPY_MATMUL] = numpy_gflops(left.asnumpy(), right.asnumpy(), threads)
    lower = {FULLY_CONNECTED_BF16: bf16} if onednn and (bf16 := bf16_gflops(left, right)) else {}
    return GemmRates(size, rates, lower, threads)


def numpy_gflops(left: object, right: object, threads: Optional[int]) -> float:
    """numpy's matmul of two float32 arrays, its BLAS held to `threads` threads (None: as numpy has it)."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads, user_api="blas") if threads else nullcontext():
        return gemm_gflops(lambda: np.matmul(left, right), left.shape[0])


def bf16_gflops(left: object, right: object) -> Optional[float]:
    """FullyConnected in bfloat16 (inputs cast once, untimed), or None where this build or CPU cannot run it."""
    import numpy as np

    from compare.measuring.native_stderr import native_stderr_held
    from implementations.mxnet_compat import mx

    bfloat16 = np.dtype([("bfloat16", np.uint16)])  # mxnet 1.9.1's bfloat16 (its amp's); the string is refused
    try:
        with native_stderr_held():  # a CPU without bfloat16 makes MXNet log its failure to fd 2
            left16, right16 = (mx.nd.amp_cast(array, dtype=bfloat16) for array in (left, right))
            mx.nd.FullyConnected(left16, right16, num_hidden=right.shape[0], no_bias=True).wait_to_read()
    except (mx.base.MXNetError, TypeError):
        return None
    return gemm_gflops(lambda: mx.nd.FullyConnected(left16, right16, num_hidden=right.shape[0], no_bias=True),
                       left.shape[0])


def achieved(rate: float, flops_per_example: float, limit_gflops: float) -> tuple[float, float]:
    """(GFLOP/s, fraction of the limit) of `rate` samples/s at `flops_per_example`."""
    gflops = rate * flops_per_example / 1e9
    return gflops, gflops / limit_gflops if limit_gflops > 0 else float("nan")


def arithmetic_record(spec: object, gemms: GemmRates) -> dict[str, object]:
    """What a results file keeps to turn samples/s into GFLOP/s and a fraction of the machine's limit."""
    return {"forward_flops": spec.flops_per_example(), "training_flops": spec.training_flops_per_example(),
            "elementwise_ops": spec.elementwise_ops_per_example(), **gemms.record()}
