"""Timing MXNet honestly: its engine is asynchronous, so every timed region starts and ends on `waitall()`."""
import time
from dataclasses import dataclass, field
from typing import Callable

from implementations.mxnet_compat import mx


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


def time_interleaved(
    targets: dict[str, Callable[[], None]], warmup: int, repeats: int, iterations: int
) -> dict[str, list[float]]:
    """Synced seconds of `iterations` calls of each target, `repeats` times, the targets taking turns.

    Every target is first called `warmup` times untimed (graph building, allocation). Taking turns
    round-robin spreads the machine's drift and noise over all targets instead of the first one measured.
    """
    for run_once in targets.values():
        for _ in range(warmup):
            run_once()
    timings: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(repeats):
        for name, run_once in targets.items():
            with SyncedTimer() as timer:
                for _ in range(iterations):
                    run_once()
            timings[name].append(timer.seconds)
    return timings
