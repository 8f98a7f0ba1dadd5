"""ReLU three ways on conv1's output (256, 20, 24, 24), float32 and bf16, ms per call (engine-synced, warmed up):
why hand-written code that calls `nd.relu` is slower in bf16 than Gluon, which calls `Activation`.

    PYTHONPATH=. python tests/benchmarks/levers/relu_bf16.py
"""
import time

from mxnet.contrib.amp import amp

from implementations.mxnet_compat import mx  # numpy's alias before mxnet loads


def milliseconds(function, array, calls=20):
    for _ in range(3):
        function(array)
    mx.nd.waitall()
    start = time.perf_counter()
    for _ in range(calls):
        function(array)
    mx.nd.waitall()
    return 1000 * (time.perf_counter() - start) / calls


def main():
    in_float32 = mx.nd.random.normal(shape=(256, 20, 24, 24))
    in_bf16 = mx.nd.amp_cast(in_float32, dtype=amp.bfloat16)
    for name, function in (("nd.relu", mx.nd.relu),
                           ("nd.Activation(act_type='relu')", lambda x: mx.nd.Activation(x, act_type="relu")),
                           ("nd.maximum(x, 0)", lambda x: mx.nd.maximum(x, 0))):
        print(f"{name:32s} float32 {milliseconds(function, in_float32):6.2f} ms   "
              f"bf16 {milliseconds(function, in_bf16):6.2f} ms")


if __name__ == "__main__":
    main()
