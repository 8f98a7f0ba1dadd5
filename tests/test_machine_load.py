"""The busy-machine guard: other work's CPU time while we measure, judged over at least a second.

The rule is tested with injected counters and clocks, so no test depends on the machine being quiet.
"""
import subprocess
import sys
import time
from typing import Iterator, Optional

from compare.measuring.machine_load import (
                                            BUSY_CORES,
                                            CpuSample,
                                            average_other_cores,
                                            is_busy,
                                            other_cpu_seconds,
                                            take_sample,
                                            )
from compare.measuring.timing import SyncedTimer


def test_other_work_is_the_machines_cpu_time_minus_our_own():
    start, end = CpuSample(100.0, 10.0), CpuSample(103.0, 11.0)  # the machine used 3 s, we used 1 s
    assert other_cpu_seconds(start, end) == 2.0
    assert other_cpu_seconds(None, end) is None


def test_phases_are_judged_together_and_never_when_too_short():
    assert average_other_cores([0.2, 0.3], wall_seconds=2.0) == 0.25
    assert average_other_cores([0.2, 0.3], wall_seconds=0.5) is None  # 10 ms ticks: too coarse to judge
    assert average_other_cores([0.2, None], wall_seconds=2.0) is None
    assert is_busy(BUSY_CORES + 0.01) and not is_busy(BUSY_CORES) and not is_busy(None)


def _counters(*samples: Optional[CpuSample]) -> "callable":
    """A stand-in for /proc/stat and getrusage: returns the given samples in turn."""
    iterator: Iterator[Optional[CpuSample]] = iter(samples)
    return lambda: next(iterator)


def _clock(*readings: float) -> "callable":
    iterator = iter(readings)
    return lambda: next(iterator)


def _timed(start: Optional[CpuSample], end: Optional[CpuSample], wall: float) -> SyncedTimer:
    with SyncedTimer(sample=_counters(start, end), clock=_clock(10.0, 10.0 + wall)) as timer:
        pass
    return timer


def test_a_phase_where_only_we_used_the_cpu_is_quiet():
    # 2 s of wall time; the machine spent 3.9 CPU seconds, all of them ours (two busy cores)
    timer = _timed(CpuSample(50.0, 20.0), CpuSample(53.9, 23.9), wall=2.0)
    assert timer.seconds == 2.0 and timer.other_cpu_seconds == 0.0
    assert not is_busy(average_other_cores([timer.other_cpu_seconds], timer.seconds))


def test_a_phase_shared_with_other_work_is_busy():
    # 2 s of wall time; the machine spent 3 CPU seconds, we 1.5: 0.75 of a core was someone else's
    timer = _timed(CpuSample(50.0, 20.0), CpuSample(53.0, 21.5), wall=2.0)
    assert timer.other_cpu_seconds == 1.5
    assert is_busy(average_other_cores([timer.other_cpu_seconds], timer.seconds))


def test_a_little_other_work_below_the_threshold_is_still_quiet():
    timer = _timed(CpuSample(0.0, 0.0), CpuSample(1.4, 1.0), wall=2.0)  # 0.2 of a core
    assert not is_busy(average_other_cores([timer.other_cpu_seconds], timer.seconds))


def test_without_counters_nothing_is_claimed():
    timer = _timed(None, None, wall=2.0)
    assert timer.other_cpu_seconds is None
    assert average_other_cores([timer.other_cpu_seconds], timer.seconds) is None


def test_a_process_spinning_beside_us_marks_the_phase_busy():
    """The real counters: extra load can only make a phase busier, so this holds on a busy machine too. The hog
    spins until it is killed and says when it has begun, so a slow start cannot leave the phase without it."""
    assert take_sample() is not None  # Linux: /proc/stat is there
    process = subprocess.Popen([sys.executable, "-c", "print('spinning', flush=True)\nwhile True: pass"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "spinning\n"
        with SyncedTimer() as timer:
            time.sleep(1.5)  # we do nothing: whatever runs is other work (1.5 s: a phase long enough to judge)
    finally:
        process.kill()
        process.communicate(timeout=60)
    assert is_busy(average_other_cores([timer.other_cpu_seconds], timer.seconds))
