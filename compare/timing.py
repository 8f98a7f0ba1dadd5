"""Timing MXNet honestly: its engine is asynchronous, so every timed region starts and ends on `waitall()`."""
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from compare.machine_load import CpuSample, average_other_cores, other_cpu_seconds, take_sample
from implementations.mxnet_compat import mx


@dataclass
class SyncedTimer:
    """Context manager: drains the engine, times the block, drains again; `seconds` holds the result.

    `other_cpu_seconds` is the CPU time other work used meanwhile (None where that cannot be known).
    `sample` and `clock` are the machine's CPU counters and the wall clock; tests inject their own.
    """

    sample: Callable[[], Optional[CpuSample]] = take_sample
    clock: Callable[[], float] = time.perf_counter
    seconds: float = field(default=0.0, init=False)
    other_cpu_seconds: Optional[float] = field(default=None, init=False)

    def __enter__(self) -> "SyncedTimer":
        mx.nd.waitall()  # work queued before the block is not ours to time
        self._load = self.sample()
        self._start = self.clock()
        return self

    def __exit__(self, *exc_info: object) -> None:
        mx.nd.waitall()  # the block's work has only been queued until the engine finishes it
        self.seconds = self.clock() - self._start
        self.other_cpu_seconds = other_cpu_seconds(self._load, self.sample())


@dataclass
class Timings:
    """Seconds of each repeat per target, and the CPU seconds other work used in each timed repeat."""

    seconds: dict[str, list[float]]
    other_cpu_seconds: list[Optional[float]]

    def other_cores(self) -> Optional[float]:
        """Cores other work kept busy on average while anything here was timed."""
        return average_other_cores(self.other_cpu_seconds, sum(sum(s) for s in self.seconds.values()))


def time_interleaved(
    targets: dict[str, Callable[[], None]], warmup: int, repeats: int, iterations: int,
    before_each: Callable[[], None] = lambda: None,
) -> Timings:
    """Synced seconds of `iterations` calls of each target, `repeats` times, the targets taking turns.

    Every target is first called `warmup` times untimed (graph building, allocation). Taking turns
    round-robin spreads the machine's drift and noise over all targets instead of the first one measured.
    `before_each` runs untimed before every timed block (the workers' barrier, when there are several).
    """
    for run_once in targets.values():
        for _ in range(warmup):
            run_once()
    timings = Timings({name: [] for name in targets}, [])
    for _ in range(repeats):
        for name, run_once in targets.items():
            before_each()
            with SyncedTimer() as timer:
                for _ in range(iterations):
                    run_once()
            timings.seconds[name].append(timer.seconds)
            timings.other_cpu_seconds.append(timer.other_cpu_seconds)
    return timings
