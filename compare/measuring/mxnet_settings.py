"""MXNet's settings that it reads once, when it loads: OpenMP threads and their binding to cores, the engine,
the threaded engine's CPU workers, Gluon's optimizer aggregation, and the core type of its bundled OpenBLAS.

They are environment variables, so they must be set before the first `import mxnet` of a process; one whose
mxnet is already loaded refuses other values instead of pretending to apply them. `None` everywhere is MXNet's
own defaults, the settings a user of the tutorial measures with.
"""
import os
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Optional, Sequence

from compare.errors import UsageError
from compare.measuring.blas_core import core_type
from compare.validation import CPUS_BEFORE_BINDING, check_bounded, check_threads, cpus_available

ENGINES = {"threaded": "ThreadedEnginePerDevice", "naive": "NaiveEngine"}  # MXNet's default: threaded
MAX_ENGINE_WORKERS = 64
MAX_AGGREGATION = 60  # MXNet's own limit for MXNET_OPTIMIZER_AGGREGATION_SIZE
VARIABLES = {  # field -> the variable MXNet (or its OpenMP runtime) reads
    "threads": "OMP_NUM_THREADS",
    "bind": "OMP_PROC_BIND",
    "engine": "MXNET_ENGINE_TYPE",
    "engine_workers": "MXNET_CPU_WORKER_NTHREADS",
    "aggregation": "MXNET_OPTIMIZER_AGGREGATION_SIZE",
    "blas_core": "OPENBLAS_CORETYPE",
}


@dataclass(frozen=True)
class MXNetSettings:
    """One combination of load-time settings; a None field is left to MXNet (or to the user's environment)."""

    threads: Optional[int] = None  # OpenMP threads per operator; MXNet's default here is about half the cores
    bind: Optional[bool] = None  # OpenMP threads pinned to cores (OMP_PROC_BIND=true)
    engine: Optional[str] = None  # "threaded" (operators run by engine worker threads) or "naive" (synchronous)
    engine_workers: Optional[int] = None  # the threaded engine's CPU worker threads (MXNet's default: 1)
    aggregation: Optional[int] = None  # parameters Gluon's Trainer updates in one fused call (MXNet's default: 4)
    blas_core: Optional[str] = None  # the core type mxnet's OpenBLAS runs as (default: the one it recognises)

    def __post_init__(self) -> None:
        check_threads(self.threads)
        if self.engine is not None and self.engine not in ENGINES:
            raise UsageError(f"--engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")
        if self.engine_workers is not None:
            check_bounded("--engine-workers", self.engine_workers, 1, MAX_ENGINE_WORKERS)
            if self.engine == "naive":
                raise UsageError(f"--engine-workers {self.engine_workers}: the naive engine has no worker threads "
                                 "(it runs every operator in the calling thread); use --engine threaded")
            self._check_oversubscription()
        if self.aggregation is not None:
            check_bounded("--aggregation", self.aggregation, 1, MAX_AGGREGATION)
        if self.blas_core is not None and core_type(self.blas_core) != self.blas_core:
            raise UsageError(f"--blas-core {self.blas_core!r}: give it as OpenBLAS spells it, "
                             f"{core_type(self.blas_core)}")

    def omp_threads(self, cpus: int) -> int:
        """The OpenMP threads per operator these settings give on `cpus` CPUs (MXNet's default: about half)."""
        return self.threads if self.threads is not None else max(1, cpus // 2)

    def engine_workers_fit(self, workers: int, cpus: int) -> bool:
        """Engine workers each running an OpenMP team must fit the CPUs: with 2 workers x 2 threads on 2 CPUs
        MXNet stalled (measured: a 3-step bench still spinning after 10 minutes, deaf to SIGTERM)."""
        return workers * self.omp_threads(cpus) <= cpus

    def _check_oversubscription(self) -> None:
        if self.engine == "naive":
            return
        cpus = cpus_available()
        threads = self.omp_threads(cpus)
        if not self.engine_workers_fit(self.engine_workers, cpus):
            raise UsageError(f"--engine-workers {self.engine_workers} x {threads} OpenMP thread(s) = "
                             f"{self.engine_workers * threads} threads on {cpus} CPU(s): MXNet stalled like this "
                             "(measured); keep engine workers x threads within the CPUs")

    def variables(self) -> dict[str, str]:
        """The environment variables these settings set."""
        values = {"threads": self.threads, "bind": None if self.bind is None else ("true" if self.bind else "false"),
                  "engine": ENGINES.get(self.engine or ""), "engine_workers": self.engine_workers,
                  "aggregation": self.aggregation, "blas_core": self.blas_core}
        return {VARIABLES[name]: str(value) for name, value in values.items() if value is not None}

    def label(self) -> str:
        """'defaults', or '2 threads, naive, bound' — short, for a table row."""
        threads = [] if self.threads is None else [f"{self.threads} thread{'s' if self.threads > 1 else ''}"]
        parts = threads + ([self.engine] if self.engine is not None else []) \
            + (["bound" if self.bind else "unbound"] if self.bind is not None else []) \
            + ([f"{self.engine_workers} engine workers"] if self.engine_workers is not None else []) \
            + ([f"aggregation {self.aggregation}"] if self.aggregation is not None else []) \
            + ([f"BLAS core {self.blas_core}"] if self.blas_core is not None else [])
        return ", ".join(parts) or "defaults"

    def flags(self) -> list[str]:
        """The command-line flags that give these settings (for the README and the tune report)."""
        values = {"--threads": self.threads, "--engine": self.engine,
                  "--omp-bind": None if self.bind is None else ("on" if self.bind else "off"),
                  "--engine-workers": self.engine_workers, "--aggregation": self.aggregation,
                  "--blas-core": self.blas_core}
        return [part for flag, value in values.items() if value is not None for part in (flag, str(value))]

    def over(self, base: "MXNetSettings") -> "MXNetSettings":
        """These settings where given, `base`'s elsewhere."""
        return replace(base, **{name: value for name, value in asdict(self).items() if value is not None})

    @classmethod
    def from_record(cls, record: object, where: str) -> "MXNetSettings":
        """Settings from a results file's dict (a UsageError naming `where` if it does not fit)."""
        if not isinstance(record, dict) or set(record) - {field.name for field in fields(cls)}:
            raise UsageError(f"{where}: not a settings record ({record!r})")
        kinds = {"threads": int, "engine_workers": int, "aggregation": int, "engine": str, "bind": bool,
                 "blas_core": str}
        for name, value in record.items():
            if value is not None and type(value) is not kinds[name]:
                raise UsageError(f"{where}: {name} must be {kinds[name].__name__} or null, got {value!r}")
        try:
            return cls(**{**record, "blas_core": core_type(record.get("blas_core"))})
        except UsageError as error:
            raise UsageError(f"{where}: {error}") from None


@dataclass(frozen=True)
class MXNetChoice:
    """The settings a command was asked for: its flags', over a `tune` file's fastest for training (read, and
    applied, by the command: `compare.commands.mxnet_flags`)."""

    given: MXNetSettings = MXNetSettings()
    tuned_path: Optional[Path] = None  # --tuned FILE


def naive_engine_fits(contexts: Sequence) -> bool:
    """The synchronous engine runs one operator at a time: with several contexts it serialises them (measured:
    two CPU contexts gained nothing under it), and a GPU's copies and kernels with them. One CPU context only."""
    return len(contexts) == 1 and contexts[0].device_type == "cpu"


MXNET_DEFAULTS = {  # what MXNet 1.9.1 (and OpenMP) use where the variable is unset: asking for it is no change
    "MXNET_ENGINE_TYPE": "ThreadedEnginePerDevice", "MXNET_CPU_WORKER_NTHREADS": "1",
    "MXNET_OPTIMIZER_AGGREGATION_SIZE": "4", "OMP_PROC_BIND": "false",
}


def apply_settings(settings: MXNetSettings) -> None:
    """Set the variables before mxnet loads. Once it is loaded, a value other than the one in force is a
    UsageError (it would be silently ignored)."""
    wanted = settings.variables()
    if "mxnet" in sys.modules:
        from compare.measuring.threads import openmp_threads

        if settings.threads is not None and openmp_threads() != settings.threads:
            raise UsageError(f"--threads {settings.threads}: mxnet is already loaded with {openmp_threads()} "
                             "thread(s) in this process and reads them only at load; restart the kernel (or run "
                             "`python -m compare` afresh) to change them")
        differing = [name for name, value in wanted.items() if name != "OMP_NUM_THREADS"
                     and os.environ.get(name, MXNET_DEFAULTS.get(name)) != value]  # unset: MXNet's own
        if differing:
            raise UsageError(f"{', '.join(differing)}: mxnet is already loaded in this process with other values and "
                             "reads them only at load; restart the kernel (or run `python -m compare` afresh)")
        return
    if settings.bind:  # the count before OpenMP pins the main thread to one core (see cpus_available)
        os.environ[CPUS_BEFORE_BINDING] = str(cpus_available())
    os.environ.update(wanted)
