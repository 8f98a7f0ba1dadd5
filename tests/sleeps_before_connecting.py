"""A launched worker that never connects: worker 1 spends a minute importing this module, before it joins."""
import os
import time

from implementations.lenet.scratch import ScratchLeNet

if os.environ.get("COMPARE_WORKER_INDEX") == "1":
    time.sleep(60)

LateScratch = ScratchLeNet
