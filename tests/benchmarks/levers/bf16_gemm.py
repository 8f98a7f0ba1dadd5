# ruff: noqa: I001 -- numpy.bool must be aliased before mxnet loads (mxnet 1.9.1 on numpy 1.26)
"""bf16 against float32 FullyConnected on 1024² in one process (oneDNN), and bf16 Convolution: runs, rate, error."""
import numpy; numpy.bool=numpy.bool_
import time

import mxnet as mx
from mxnet.contrib.amp.amp import bfloat16

N=1024
a=mx.nd.random.uniform(shape=(N,N)); b=mx.nd.random.uniform(shape=(N,N))
ab=mx.nd.amp_cast(a,dtype=bfloat16); bb=mx.nd.amp_cast(b,dtype=bfloat16)
c=mx.nd.FullyConnected(ab,bb,num_hidden=N,no_bias=True)
print(c.dtype)
ref=mx.nd.FullyConnected(a,b,num_hidden=N,no_bias=True)
print('rel err', (mx.nd.amp_cast(c,dtype='float32')-ref).abs().max().asscalar()/ref.abs().max().asscalar())
for name, f in (("fp32", lambda: mx.nd.FullyConnected(a,b,num_hidden=N,no_bias=True)), ("bf16", lambda: mx.nd.FullyConnected(ab,bb,num_hidden=N,no_bias=True))):
    for _ in range(3): f()
    mx.nd.waitall(); t=time.perf_counter(); n=0
    while time.perf_counter()-t<1.5: f(); mx.nd.waitall(); n+=1
    print(name, 2*N**3*n/(time.perf_counter()-t)/1e9)
# conv bf16
x=mx.nd.random.uniform(shape=(256,20,12,12)); w=mx.nd.random.uniform(shape=(50,20,3,3))
try:
    y=mx.nd.Convolution(mx.nd.amp_cast(x,dtype=bfloat16), mx.nd.amp_cast(w,dtype=bfloat16), kernel=(3,3), num_filter=50, no_bias=True)
    print('conv bf16', y.dtype, y.shape)
except Exception as e: print('conv ERR', str(e)[:300])
