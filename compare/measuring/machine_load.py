"""Was the machine quiet while we measured? CPU time the whole machine spent minus what this job spent.

Linux: /proc/stat (all CPUs) against getrusage of this process (all its threads), plus, under
`compare launch`, the CPU time of the launch's other processes (workers, servers, scheduler:
/proc/PID/stat). Steal time (the
hypervisor running other guests on our cores) is left out: on a 2-vCPU VM it rises with our own load
(0.1-0.3 cores while MXNet keeps both busy, measured), so counting it would mark quiet machines busy.
Where /proc/stat is missing, nothing is claimed (None).
"""
import os
import resource
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from compare.devices.launch_markers import sibling_pids

PROC_STAT = Path("/proc/stat")
BUSY_CORES = 0.25  # other work above a quarter of one core, on average over the timed phases, marks them busy
MIN_JUDGED_SECONDS = 1.0  # /proc/stat counts in 10 ms ticks: shorter totals are not judged
BUSY_FIELDS = (0, 1, 2, 5, 6)  # user, nice, system, irq, softirq (not idle, iowait, steal)


@dataclass(frozen=True)
class CpuSample:
    machine_seconds: float  # CPU seconds every CPU of the machine spent busy, since boot
    own_seconds: float  # CPU seconds this process (all threads) spent


def take_sample() -> Optional[CpuSample]:
    try:
        fields = PROC_STAT.read_text().splitlines()[0].split()[1:]
        ticks = sum(int(fields[index]) for index in BUSY_FIELDS if index < len(fields))
    except (OSError, IndexError, ValueError):
        return None
    usage = resource.getrusage(resource.RUSAGE_SELF)
    clock = os.sysconf("SC_CLK_TCK")
    return CpuSample(ticks / clock, usage.ru_utime + usage.ru_stime + _siblings_ticks() / clock)


def _siblings_ticks() -> int:
    """User + system ticks of the launch's other processes (0 outside a launch; an ended one counts 0)."""
    total = 0
    for pid in sibling_pids():
        try:
            # the command name (field 2) may hold spaces: the fields after its closing parenthesis are fixed
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the line)
        except (OSError, IndexError, ValueError):
            continue
    return total


def other_cpu_seconds(start: Optional[CpuSample], end: Optional[CpuSample]) -> Optional[float]:
    """CPU seconds other work used between two samples (None when unknown)."""
    if start is None or end is None:
        return None
    return max(0.0, (end.machine_seconds - start.machine_seconds) - (end.own_seconds - start.own_seconds))


def average_other_cores(other_seconds: list[Optional[float]], wall_seconds: float) -> Optional[float]:
    """Cores other work kept busy on average over timed phases; None if unknown or too short to judge."""
    if wall_seconds < MIN_JUDGED_SECONDS or not other_seconds or any(s is None for s in other_seconds):
        return None
    return sum(other_seconds) / wall_seconds  # type: ignore[arg-type]


def is_busy(cores: Optional[float]) -> bool:
    return cores is not None and cores > BUSY_CORES


QUIET, BUSY, BRIEF, UNKNOWN = "quiet", "BUSY", "brief", "?"  # what a table's load column says


def load_word(other_seconds: list[Optional[float]], wall_seconds: float) -> str:
    """quiet or BUSY; brief where the timed phases were too short to judge; ? where the counters are unknown."""
    if wall_seconds < MIN_JUDGED_SECONDS and other_seconds and all(s is not None for s in other_seconds):
        return BRIEF
    return cores_word(average_other_cores(other_seconds, wall_seconds))


def cores_word(cores: Optional[float]) -> str:
    """quiet or BUSY for a judged average of other work's cores; ? where there is none."""
    return UNKNOWN if cores is None else BUSY if is_busy(cores) else QUIET
