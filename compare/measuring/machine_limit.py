"""This machine's arithmetic limit as MXNet reaches it: the float32 matrix product `nd.dot` of two square
matrices, large enough that its arithmetic dominates, timed engine-synced under the settings in force.

A network's throughput times its FLOPs per example is its achieved GFLOP/s; against this rate it says how
far from the machine's limit an implementation runs. A small convolution stays far below it: its matrices
are thin (LeNet's conv1 multiplies 25-long rows), so it cannot reuse what it loads as a large product does.
"""
from dataclasses import dataclass

DOT_SIZE = 1024  # 2 x 1024^3 = 2.1 GFLOP per product: ~10-20 ms on one core, long enough to time
MIN_SECONDS = 0.5  # measured for at least this long...
MIN_CALLS = 5  # ...and at least this many products, after WARMUP_CALLS untimed
WARMUP_CALLS = 2


@dataclass(frozen=True)
class DotRate:
    """GFLOP/s of `nd.dot` on size x size float32 matrices, over `calls` products in `seconds`."""

    size: int
    calls: int
    seconds: float

    @property
    def gflops(self) -> float:
        return 2 * self.size**3 * self.calls / self.seconds / 1e9


def measure_dot(ctx: object, size: int = DOT_SIZE) -> DotRate:
    """Time nd.dot on `ctx` until MIN_SECONDS and MIN_CALLS are both reached (a few seconds at most)."""
    from compare.measuring.timing import SyncedTimer  # loads mxnet: only where a rate is measured
    from implementations.mxnet_compat import mx

    left = mx.nd.random.uniform(shape=(size, size), ctx=ctx)
    right = mx.nd.random.uniform(shape=(size, size), ctx=ctx)
    for _ in range(WARMUP_CALLS):
        mx.nd.dot(left, right)
    calls, seconds = 0, 0.0
    while calls < MIN_CALLS or seconds < MIN_SECONDS:
        with SyncedTimer() as timer:
            mx.nd.dot(left, right)
        calls, seconds = calls + 1, seconds + timer.seconds
    return DotRate(size, calls, seconds)


def achieved(rate: float, flops_per_example: float, dot_gflops: float) -> tuple[float, float]:
    """(GFLOP/s, fraction of the nd.dot rate) of `rate` samples/s at `flops_per_example`."""
    gflops = rate * flops_per_example / 1e9
    return gflops, gflops / dot_gflops if dot_gflops > 0 else float("nan")


def arithmetic_record(spec: object, dot: DotRate) -> dict[str, object]:
    """What a results file keeps to turn samples/s into GFLOP/s and a fraction of the machine's limit."""
    return {"forward_flops": spec.flops_per_example(), "training_flops": spec.training_flops_per_example(),
            "elementwise_ops": spec.elementwise_ops_per_example(), "dot_size": dot.size,
            "dot_gflops": dot.gflops}
