"""The busy-machine guard: other work's CPU time while we measure, judged over at least a second."""
import subprocess
import sys
import time

from compare.machine_load import (BUSY_CORES, CpuSample, average_other_cores, is_busy, other_cpu_seconds,
                                  take_sample)
from compare.timing import SyncedTimer


def test_other_work_is_the_machines_cpu_time_minus_our_own():
    start, end = CpuSample(100.0, 10.0), CpuSample(103.0, 11.0)  # the machine used 3 s, we used 1 s
    assert other_cpu_seconds(start, end) == 2.0
    assert other_cpu_seconds(None, end) is None


def test_phases_are_judged_together_and_never_when_too_short():
    assert average_other_cores([0.2, 0.3], wall_seconds=2.0) == 0.25
    assert average_other_cores([0.2, 0.3], wall_seconds=0.5) is None  # 10 ms ticks: too coarse to judge
    assert average_other_cores([0.2, None], wall_seconds=2.0) is None
    assert is_busy(BUSY_CORES + 0.01) and not is_busy(BUSY_CORES) and not is_busy(None)


def _cores_while(seconds: float, hog: bool) -> float:
    process = subprocess.Popen([sys.executable, "-c", f"import time\nend = time.time() + {seconds + 1}\n"
                                "while time.time() < end: pass"]) if hog else None
    try:
        time.sleep(0.3 if hog else 0)  # let the hog start
        with SyncedTimer() as timer:
            time.sleep(seconds)  # we do nothing: whatever runs is other work
    finally:
        if process is not None:
            process.kill()
            process.wait()
    return average_other_cores([timer.other_cpu_seconds], timer.seconds)


def test_a_process_spinning_beside_us_marks_the_phase_busy():
    assert take_sample() is not None  # Linux: /proc/stat is there
    assert is_busy(_cores_while(1.5, hog=True))


def test_a_quiet_phase_is_not_marked_busy():
    assert not is_busy(_cores_while(1.5, hog=False))
