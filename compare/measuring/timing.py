"""Timing MXNet honestly: its engine is asynchronous, so every timed region starts and ends on `waitall()`."""
import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable, ContextManager, Mapping, Optional

from compare.errors import one_line
from compare.measuring.machine_load import CpuSample, other_cpu_seconds, take_sample
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from implementations.mxnet_compat import mx

LOG = logging.getLogger(__name__)


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
    """Seconds of each repeat per target, the CPU seconds other work used in each timed repeat, and the targets
    that raised (name -> one-line reason; they were dropped from then on)."""

    seconds: dict[str, list[float]]
    other_cpu_seconds: list[Optional[float]]
    failures: dict[str, str] = field(default_factory=dict)


def time_interleaved(
    targets: dict[str, Callable[[], None]], warmup: int, repeats: int, iterations: int,
    before_each: Callable[[], None] = lambda: None, around: Optional[Mapping[str, ContextManager]] = None,
) -> Timings:
    """Synced seconds of `iterations` calls of each target, `repeats` times, the targets taking turns.

    Every target is first called `warmup` times untimed (graph building, allocation). Taking turns
    round-robin spreads the machine's drift and noise over all targets instead of the first one measured.
    `before_each` runs untimed before every timed block (the workers' barrier, when there are several);
    `around[name]`, where given, is entered before a target's warm-up and each of its timed blocks, outside the
    timer (bf16's operators, switched in once per block rather than once per call).
    A target whose own code raises is recorded in `failures` and measured no further; the others go on.
    """
    timings = Timings({name: [] for name in targets}, [])
    running = dict(targets)

    def attempt(name: str, block: Callable[[], None]) -> bool:
        try:
            block()
            return True
        except Interrupt:
            raise
        except IMPLEMENTATION_ERRORS as error:
            LOG.debug("%s failed", name, exc_info=True)
            timings.failures[name] = one_line(error)
            del running[name], timings.seconds[name]
            return False

    scopes = dict(around or {})
    for name, run_once in list(running.items()):
        with scopes.get(name, nullcontext()):
            attempt(name, lambda: [run_once() for _ in range(warmup)])
    for _ in range(repeats):
        for name, run_once in list(running.items()):
            before_each()
            timer = SyncedTimer()
            with scopes.get(name, nullcontext()):
                timed = attempt(name, lambda: _timed(timer, run_once, iterations))
            if timed:
                timings.seconds[name].append(timer.seconds)
                timings.other_cpu_seconds.append(timer.other_cpu_seconds)
    return timings


def _timed(timer: SyncedTimer, run_once: Callable[[], None], iterations: int) -> None:
    with timer:
        for _ in range(iterations):
            run_once()
