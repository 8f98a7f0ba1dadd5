"""One epoch of the chapter's LeNet in PyTorch (argv: bf16 for autocast), the same bare loop as mxnet_epoch.py."""
import json
import sys
import time

import torch
from fashion_mnist import load
from torch import nn

bf16 = len(sys.argv) > 1 and sys.argv[1] == "bf16"
batch = 256
x, y = load(); X, Y = torch.from_numpy(x), torch.from_numpy(y)
torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(20, 50, 3), nn.ReLU(),
                    nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(1250, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
loss_fn = nn.CrossEntropyLoss()
steps = len(x) // batch
def step(i):
    xb, yb = X[i*batch:(i+1)*batch], Y[i*batch:(i+1)*batch]
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        l = loss_fn(net(xb), yb)
    l.backward(); opt.step(); return l
for i in range(5): step(i)
t = time.perf_counter()
for i in range(steps): l = step(i)
el = time.perf_counter() - t
print(json.dumps({"torch": torch.__version__, "bf16": bf16, "threads": torch.get_num_threads(),
                  "samples_per_s": steps * batch / el, "loss": float(l)}))
