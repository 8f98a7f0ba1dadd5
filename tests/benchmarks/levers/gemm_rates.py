"""GEMM rates in this process under its environment: nd.dot, FullyConnected fp32/bf16, numpy matmul."""
import json
import os
import time

import numpy

numpy.bool = numpy.bool_
import mxnet as mx
from threadpoolctl import threadpool_limits

N = 1024
def timed(fn, sync, min_s=1.0, min_calls=5):
    for _ in range(2): fn()
    sync()
    calls, t0 = 0, time.perf_counter()
    while True:
        fn(); calls += 1
        sync()
        el = time.perf_counter() - t0
        if calls >= min_calls and el >= min_s: break
    return 2 * N**3 * calls / el / 1e9

a = mx.nd.random.uniform(shape=(N, N)); b = mx.nd.random.uniform(shape=(N, N))
out = {}
out["nd.dot"] = timed(lambda: mx.nd.dot(a, b), mx.nd.waitall)
out["FullyConnected"] = timed(lambda: mx.nd.FullyConnected(a, b, num_hidden=N, no_bias=True), mx.nd.waitall)
try:
    ab, bb = a.astype("bfloat16"), b.astype("bfloat16")
    out["FullyConnected bf16"] = timed(lambda: mx.nd.FullyConnected(ab, bb, num_hidden=N, no_bias=True), mx.nd.waitall)
except Exception as e:
    out["FullyConnected bf16"] = f"error: {str(e).splitlines()[0][:200]}"
an, bn = a.asnumpy(), b.asnumpy()
threads = int(os.environ.get("OMP_NUM_THREADS", os.cpu_count()))
with threadpool_limits(threads):
    out["numpy matmul"] = timed(lambda: an @ bn, lambda: None)
ref = an.astype(numpy.float64) @ bn.astype(numpy.float64)
got = mx.nd.dot(a, b).asnumpy()
out["nd.dot max rel err"] = float(numpy.abs(got - ref).max() / numpy.abs(ref).max())
out["env"] = {k: v for k, v in os.environ.items() if k.startswith(("OMP", "MXNET", "OPENBLAS", "KMP"))}
print(json.dumps(out))
