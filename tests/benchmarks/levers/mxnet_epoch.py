# ruff: noqa: I001 -- numpy.bool must be aliased before mxnet loads (mxnet 1.9.1 on numpy 1.26)
"""One epoch of the chapter's LeNet, gluon-hybrid, bare loop. argv: options comma list."""
import json, os, sys, time
import numpy; numpy.bool = numpy.bool_
import mxnet as mx
from fashion_mnist import load
from mxnet import autograd, gluon, nd

opts = set(sys.argv[1].split(",")) if len(sys.argv) > 1 and sys.argv[1] else set()
batch = int(os.environ.get("BATCH", 256))
x, y = load()
X, Y = nd.array(x), nd.array(y.astype(numpy.float32))
nn = gluon.nn
net = nn.HybridSequential()
net.add(nn.Conv2D(20, 5), nn.Activation("relu"), nn.MaxPool2D(2, 2), nn.Conv2D(50, 3), nn.Activation("relu"),
        nn.MaxPool2D(2, 2), nn.Flatten(), nn.Dense(128), nn.Activation("relu"), nn.Dense(10))
mx.random.seed(0)
net.initialize(mx.init.Xavier())
if "bf16" in opts:
    from mxnet.contrib import amp
    amp.init(target_dtype="bfloat16")
net(X[:batch])
if "nostatic" in opts:
    net.hybridize()
else:
    net.hybridize(static_alloc=True, static_shape=True)
if "bf16conv" in opts:
    from mxnet.contrib import amp
    amp.init(target_dtype="bfloat16")
    net(X[:batch])
    net = amp.convert_hybrid_block(net, target_dtype="bfloat16", ctx=mx.cpu())
    net.hybridize(static_alloc=True, static_shape=True)
if "optimize_for" in opts:
    net.optimize_for(X[:batch], backend="MKLDNN", static_alloc=True, static_shape=True)
loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
if "bf16" in opts:
    amp.init_trainer(trainer)
steps = len(x) // batch
def step(i):
    xb, yb = X[i*batch:(i+1)*batch], Y[i*batch:(i+1)*batch]
    with autograd.record():
        l = loss_fn(net(xb), yb)
    l.backward()
    trainer.step(batch)
    return l
for i in range(5): step(i)
nd.waitall()
t = time.perf_counter()
for i in range(steps): l = step(i)
nd.waitall()
el = time.perf_counter() - t
print(json.dumps({"opts": sorted(opts), "batch": batch, "samples_per_s": steps * batch / el,
                  "loss": float(l.mean().asscalar())}))
