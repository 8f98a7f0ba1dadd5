"""A launched worker that never connects: worker 1 sleeps in its import of this module until the launcher stops it
(the sleep's length only bounds a process the launcher failed to stop)."""
import os
import time

from implementations.lenet.scratch import ScratchLeNet

if os.environ.get("COMPARE_WORKER_INDEX") == "1":
    time.sleep(600)

LateScratch = ScratchLeNet
