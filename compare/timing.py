"""Timing MXNet honestly: its engine is asynchronous, so every timed region starts and ends on `waitall()`."""
import time
from dataclasses import dataclass, field
from typing import Callable

from compare.mxnet_compat import mx


@dataclass
class SyncedTimer:
    """Context manager: drains the engine, times the block, drains again; `seconds` holds the result."""

    seconds: float = field(default=0.0, init=False)

    def __enter__(self) -> "SyncedTimer":
        mx.nd.waitall()  # work queued before the block is not ours to time
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        mx.nd.waitall()  # the block's work has only been queued until the engine finishes it
        self.seconds = time.perf_counter() - self._start


def time_repeats(run_once: Callable[[], None], warmup: int, repeats: int, iterations: int) -> list[float]:
    """Call `run_once` `warmup` times untimed, then return the synced seconds of `repeats` x `iterations` calls."""
    for _ in range(warmup):
        run_once()
    mx.nd.waitall()
    timings = []
    for _ in range(repeats):
        with SyncedTimer() as timer:
            for _ in range(iterations):
                run_once()
        timings.append(timer.seconds)
    return timings
