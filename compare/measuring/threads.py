"""MXNet's CPU threads as they are in force, and the record of what the numbers were measured with.

MXNet reads OMP_NUM_THREADS and its other settings once, when it loads (`mxnet_settings` sets them); what is
in force is read from the loaded OpenMP and BLAS libraries with threadpoolctl.
"""
import os
from typing import Optional

from compare.validation import cpus_available


def _pools() -> list[dict]:
    from threadpoolctl import threadpool_info

    return threadpool_info()


def openmp_threads() -> Optional[int]:
    """Threads of the OpenMP runtime mxnet loaded (None if none is loaded)."""
    counts = [pool["num_threads"] for pool in _pools() if pool.get("internal_api") == "openmp"]
    return max(counts) if counts else None


def _in_mxnet(filepath: str) -> bool:
    """A library mxnet's wheel bundles (its own OpenBLAS, beside libmxnet.so), not one of numpy's or the system's."""
    return os.path.basename(os.path.dirname(filepath)) == "mxnet"


def thread_record() -> dict[str, object]:
    """What the numbers were measured with: the variables set, the pools in force, the CPUs we may use."""
    names = ["OMP_NUM_THREADS", "OMP_PROC_BIND", "OPENBLAS_CORETYPE"] + sorted(k for k in os.environ
                                                                             if k.startswith("MXNET_"))
    return {
        "set": {name: os.environ[name] for name in names if name in os.environ},
        "in_force": sorted(({"api": pool.get("internal_api"), "library": os.path.basename(pool.get("filepath", "")),
                             "threads": pool.get("num_threads"),
                             **({"core": pool["architecture"]} if pool.get("architecture") else {}),
                             **({"in_mxnet": True} if _in_mxnet(pool.get("filepath", "")) else {})}
                            for pool in _pools()),
                           key=lambda pool: (str(pool["api"]), pool["library"])),
        "cpus_available": cpus_available(),
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
