"""MXNet's CPU threads: `--threads N` sets them before mxnet loads; the record says what was in force.

MXNet reads OMP_NUM_THREADS once, when it loads (its default here is about half the cores), so the
setting must come before the first `import mxnet`; afterwards a different count is refused, not ignored.
What is in force is read from the loaded OpenMP and BLAS libraries with threadpoolctl.
"""
import os
import sys
from typing import Optional

from compare.errors import UsageError


def apply_thread_count(threads: Optional[int]) -> None:
    """Set OMP_NUM_THREADS for mxnet (a UsageError if mxnet is already loaded with another count); `threads`
    is a validated --threads (the config refuses < 1)."""
    if threads is None:
        return
    if "mxnet" in sys.modules:
        in_force = openmp_threads()
        if in_force != threads:
            raise UsageError(f"--threads {threads}: mxnet is already loaded with {in_force} thread(s) in this "
                             "process; run `python -m compare` afresh")
        return
    os.environ["OMP_NUM_THREADS"] = str(threads)


def _pools() -> list[dict]:
    from threadpoolctl import threadpool_info

    return threadpool_info()


def openmp_threads() -> Optional[int]:
    """Threads of the OpenMP runtime mxnet loaded (None if none is loaded)."""
    counts = [pool["num_threads"] for pool in _pools() if pool.get("internal_api") == "openmp"]
    return max(counts) if counts else None


def thread_record() -> dict[str, object]:
    """What the numbers were measured with: the variables set, the pools in force, the CPUs we may use."""
    names = ["OMP_NUM_THREADS"] + sorted(k for k in os.environ if k.startswith("MXNET_"))
    return {
        "set": {name: os.environ[name] for name in names if name in os.environ},
        "in_force": sorted(({"api": pool.get("internal_api"), "library": os.path.basename(pool.get("filepath", "")),
                             "threads": pool.get("num_threads")} for pool in _pools()),
                           key=lambda pool: (str(pool["api"]), pool["library"])),
        "cpus_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
    }


def thread_line(threads: object) -> str:
    """'OMP_NUM_THREADS unset (MXNet's default); in force: openmp 1 (libgomp), ...; 2 CPUs available'."""
    if not isinstance(threads, dict):
        return "unknown"
    if "in_force" not in threads:  # schema 1: only the variables that were set
        return ", ".join(f"{k}={v}" for k, v in threads.items()) or "OMP_NUM_THREADS unset"
    settings = ", ".join(f"{k}={v}" for k, v in (threads.get("set") or {}).items()) or "OMP_NUM_THREADS unset (MXNet's default)"
    by_api: dict[str, list[str]] = {}
    for pool in threads.get("in_force") or []:
        by_api.setdefault(str(pool.get("api")), []).append(str(pool.get("threads")))
    pools = "; ".join(f"{api} {'/'.join(counts)}" for api, counts in sorted(by_api.items(), reverse=True))
    return f"{settings}; in force: {pools or 'none loaded'}; {threads.get('cpus_available')} CPUs available"
