# ruff: noqa: I001 -- numpy.bool must be aliased before mxnet loads (mxnet 1.9.1 on numpy 1.26)
"""After optimize_for(backend="MKLDNN") a hybridized net computes the same forward but every gradient is zero."""
import numpy; numpy.bool = numpy.bool_
import mxnet as mx
from mxnet import autograd, gluon, nd

nn = gluon.nn
def build():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(20, 5), nn.Activation("relu"), nn.MaxPool2D(2, 2), nn.Flatten(), nn.Dense(10))
    mx.random.seed(0); net.initialize(mx.init.Xavier()); return net
x = nd.random.uniform(shape=(8, 1, 28, 28)); y = nd.array([1, 2, 3, 4, 5, 6, 7, 0])
for opt in (False, True):
    net = build(); net(x)
    net.hybridize(static_alloc=True, static_shape=True)
    if opt: net.optimize_for(x, backend="MKLDNN", static_alloc=True, static_shape=True)
    with autograd.record():
        out = net(x); l = gluon.loss.SoftmaxCrossEntropyLoss()(out, y)
    l.backward()
    grads = {k: float(p.grad().abs().sum().asscalar()) for k, p in net.collect_params().items()}
    print("optimize_for" if opt else "plain", "out", out[0, :3].asnumpy(), "grads", grads)
