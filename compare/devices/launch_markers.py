"""How a worker started by `compare launch` reports to it: files in the launch's private directory.

`connecting-N` when worker N starts to connect (MXNet then waits for every process), `joined-N` (holding
the KVStore rank) once it is connected; `finished-N` once its command has
returned an exit code by itself, so the launcher can tell an ordinary end from a crash. Imports no mxnet.
"""
import os
from pathlib import Path
from typing import Mapping

from compare.startup_signals import LAUNCH_DIR  # noqa: F401  (set by `compare launch` for every process it starts)

WORKER_INDEX = "COMPARE_WORKER_INDEX"  # the launcher's number for the worker (not its KVStore rank)
CONNECTING_PREFIX, JOINED_PREFIX, FINISHED_PREFIX = "connecting-", "joined-", "finished-"
PIDS_FILE = "pids"  # every process of the launch, one per line: its CPU time is the job's, not other work's


def launched(environ: Mapping[str, str] = os.environ) -> bool:
    """True in a process that `compare launch` started."""
    return bool(environ.get(LAUNCH_DIR))


def _marker(prefix: str, environ: Mapping[str, str]) -> "Path | None":
    launch_dir = environ.get(LAUNCH_DIR)
    if not launch_dir or not Path(launch_dir).is_dir():
        return None
    return Path(launch_dir) / f"{prefix}{environ.get(WORKER_INDEX, '0')}"


def report_connecting(environ: Mapping[str, str] = os.environ) -> None:
    """This worker is about to create its KVStore (which blocks until every process of the launch is there)."""
    marker = _marker(CONNECTING_PREFIX, environ)
    if marker is not None:
        marker.touch()


def report_joined(rank: int, environ: Mapping[str, str] = os.environ) -> None:
    """This worker is connected to the scheduler, as KVStore rank `rank` (written atomically)."""
    marker = _marker(JOINED_PREFIX, environ)
    if marker is not None:
        partial = marker.with_name(marker.name + ".partial")
        partial.write_text(str(rank))
        partial.replace(marker)


def report_finished(environ: Mapping[str, str] = os.environ) -> None:
    """This worker's command ended by itself, whatever its exit code."""
    marker = _marker(FINISHED_PREFIX, environ)
    if marker is not None:
        marker.touch()


def write_pids(launch_dir: Path, pids: list[int]) -> None:
    """Written by the launcher once every process has started."""
    partial = launch_dir / f"{PIDS_FILE}.partial"
    partial.write_text("".join(f"{pid}\n" for pid in pids))
    partial.replace(launch_dir / PIDS_FILE)


def sibling_pids(environ: Mapping[str, str] = os.environ) -> list[int]:
    """The other processes of this launch (none outside a launch, or before the launcher listed them)."""
    launch_dir = environ.get(LAUNCH_DIR)
    try:
        text = (Path(launch_dir) / PIDS_FILE).read_text() if launch_dir else ""
    except OSError:
        return []
    return [int(line) for line in text.split() if line.isdigit() and int(line) != os.getpid()]
