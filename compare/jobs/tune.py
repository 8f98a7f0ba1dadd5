"""`compare tune`: MXNet's load-time settings measured, each candidate in a fresh process, interleaved.

MXNet reads its settings once, when it loads, so a candidate is one `python -m compare bench` process with
those settings' flags (and the variables they set stripped from its inherited environment, so `defaults` is
MXNet's own). Two stages: first OpenMP threads (1, powers of two, every CPU) x engine (threaded; naive where
the job allows it) x binding (off/on); then, on the fastest for training, the threaded engine's workers,
Gluon's update aggregation and, where `nd.dot` lags the machine's limit, the core types of mxnet's OpenBLAS this
CPU can run (each proven before it is measured: `compare.measuring.blas_core`). Each stage runs its candidates in rounds, the order rotating from round to round,
MXNet's defaults in every round, so every speed-up is a ratio of two processes of the same round. Binding
is tried where OpenMP has a team of threads to bind (one thread: left to the runtime).
"""
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from typing import Callable, Optional, Sequence

from compare.config.tune import TuneConfig
from compare.devices.contexts import contexts_text
from compare.errors import ExitCode, UsageError
from compare.measuring.blas_core import DOT_LAGS, cpu_flags, fitting_core_types, mxnet_blas_core
from compare.measuring.machine_limit import DOT, FLOPS_KEYS, GemmRates
from compare.measuring.mxnet_settings import MAX_AGGREGATION, VARIABLES, MXNetSettings, naive_engine_fits
from compare.results.tune_types import DEFAULTS, TuneMeasurement, TuneResult
from compare.signals import Interrupt
from compare.validation import cpus_available

CANDIDATE_TIMEOUT_SECONDS = 600  # the first process (MXNet's defaults): import, build, warm up, measure
SLOWER_THAN_DEFAULTS = 10  # later ones may take this many times as long as the first (at least a minute)...
MIN_TIMEOUT_SECONDS = 60  # ...and are then stopped (SIGKILL: a stalled MXNet does not hear SIGTERM)
Measure = Callable[[MXNetSettings, int], TuneMeasurement]


@dataclass(frozen=True)
class TuneJob:
    """What is tuned: the bench command line a candidate runs (without settings flags), and how often."""

    bench_arguments: tuple[str, ...]  # --model, --impl, --batch-size, --ctx, --seed, --repeat
    rounds: int
    cpus: int
    allow_naive: bool  # one CPU context: the synchronous engine cannot serialise several devices
    gluon_trainer: bool  # a Gluon implementation is measured: its update aggregation matters
    blas_cores: tuple[str, ...] = ()  # OpenBLAS core types this CPU can run: tried where nd.dot lags the limit


@dataclass
class Deadline:
    """How long a candidate's process may run: generous for the first, then SLOWER_THAN_DEFAULTS times what the
    first took (a candidate that much slower cannot win; one that stalls must not hold the tune)."""

    seconds: float = CANDIDATE_TIMEOUT_SECONDS
    calibrated: bool = False

    def calibrate(self, first_seconds: float) -> None:
        if not self.calibrated:
            self.seconds, self.calibrated = max(MIN_TIMEOUT_SECONDS, SLOWER_THAN_DEFAULTS * first_seconds), True


def tune(config: TuneConfig, progress: Callable[[TuneMeasurement], None]) -> TuneResult:
    """`compare tune` and `compare.tune`: every candidate measured in its own bench process (nothing loads mxnet
    here), `progress` told of each; on a signal, what was measured so far."""
    from implementations.registry import builtins

    workload = config.workload
    chosen = workload.implementations or tuple(builtins(workload.model))
    job = TuneJob(bench_arguments(config), config.rounds, cpus_available(), naive_engine_fits(workload.contexts),
                  gluon_trainer=any(name.startswith("gluon") for name in chosen),
                  blas_cores=fitting_core_types(cpu_flags()))
    header: dict = {"settings": {"model": workload.model, "implementations": list(chosen),
                                 "batch_size": config.batch_size, "context": contexts_text(workload.contexts),
                                 "rounds": config.rounds, "repeat": config.repeat, "seed": workload.seed}}
    return run_tune(job, bench_measure(job, header), header, progress)


def bench_arguments(config: TuneConfig) -> tuple[str, ...]:
    """The bench flags every candidate's process gets (its settings' flags are added per candidate)."""
    workload = config.workload
    implementations = ("--impl", ",".join(workload.implementations)) if workload.implementations else ()
    return ("--model", workload.model, *implementations, "--batch-size", str(config.batch_size),
            "--ctx", contexts_text(workload.contexts), "--seed", str(workload.seed), "--repeat", str(config.repeat))


def thread_counts(cpus: int) -> list[int]:
    """1, the powers of two below `cpus`, and `cpus`: 1, 2 on two CPUs; 1, 2, 4, 8, 12 on twelve."""
    return sorted({1, cpus} | {2**power for power in range(1, cpus.bit_length()) if 2**power < cpus})


def first_stage(job: TuneJob) -> list[MXNetSettings]:
    """MXNet's defaults, then every thread count x engine, bound and unbound where there is a team to bind."""
    engines = ["threaded", "naive"] if job.allow_naive else ["threaded"]
    return [DEFAULTS] + [MXNetSettings(threads=threads, engine=engine, bind=bind)
                         for threads in thread_counts(job.cpus) for engine in engines
                         for bind in ((None,) if threads == 1 else (False, True))]


def second_stage(job: TuneJob, fastest: MXNetSettings, measured: Optional[TuneResult] = None
                 ) -> list[MXNetSettings]:
    """MXNet's defaults, the fastest so far again, and its refinements: more engine workers (the threaded
    engine only, and only where workers x threads fit the CPUs: beyond, MXNet stalled), every parameter in one
    fused update (where Gluon's Trainer is measured), and each BLAS core type worth trying (`core_candidates`)."""
    refinements = []
    if fastest.engine != "naive" and fastest.engine_workers_fit(2, job.cpus):
        refinements.append(replace(fastest, engine="threaded", engine_workers=2))
    if job.gluon_trainer:
        refinements.append(replace(fastest, aggregation=MAX_AGGREGATION))
    cores = core_candidates(job, fastest, measured) if measured is not None else ()
    refinements += [replace(fastest, blas_core=core) for core in cores]
    return list(dict.fromkeys([DEFAULTS, fastest, *refinements]))


def core_candidates(job: TuneJob, fastest: MXNetSettings, measured: TuneResult) -> tuple[str, ...]:
    """The core types to try for mxnet's OpenBLAS: only where nd.dot, measured under `fastest`, ran below
    DOT_LAGS of the machine's limit (elsewhere its BLAS knows the CPU and a core type gains nothing: measured),
    those this CPU has the instructions for, but the one OpenBLAS already runs as."""
    gemms = measured.gemm_rates(fastest)
    if gemms is None or DOT not in gemms.rates or gemms.rates[DOT] >= DOT_LAGS * gemms.limit_gflops:
        return ()
    running = measured.blas_core(fastest)
    return tuple(core for core in job.blas_cores if core != running)


def rotated(candidates: Sequence[MXNetSettings], round_index: int) -> list[MXNetSettings]:
    """The round's order: shifted by one each round, so no candidate always runs first (or after another)."""
    shift = round_index % len(candidates)
    return list(candidates[shift:]) + list(candidates[:shift])


def run_tune(job: TuneJob, measure: Measure, header: dict, progress: Callable[[TuneMeasurement], None]
             ) -> TuneResult:
    """Both stages; on a signal, what was measured so far (interrupted=True). The defaults' first process
    failing on bad input ends the tune with its error (nothing else could fare better)."""
    measurements: list[TuneMeasurement] = []
    given_up: set[MXNetSettings] = set()  # failed once (stalled, crashed): not run again in later rounds

    def result(stop_code: int = 0) -> TuneResult:
        return TuneResult(header["settings"], header.get("machine", {}), header.get("arithmetic", {}),
                          list(measurements), stop_code)

    try:
        round_index = 0
        # the second stage refines the best mean so far, beyond the noise or not: its rounds narrow its interval
        stages = (lambda: first_stage(job), lambda: second_stage(job, result().best_mean("train"), result()))
        for stage in stages:
            candidates = stage()
            for _ in range(job.rounds):
                for settings in rotated(candidates, round_index):
                    if settings in given_up:
                        continue
                    measurement = measure(settings, round_index)
                    measurements.append(measurement)
                    progress(measurement)
                    if measurement.failure:
                        given_up.add(settings)
                round_index += 1
    except Interrupt as interrupt:
        return result(interrupt.exit_code)
    return result()


def candidate_environment(environ: dict[str, str]) -> dict[str, str]:
    """The inherited environment without the variables the candidates set (so `defaults` is MXNet's own)."""
    return {name: value for name, value in environ.items() if name not in VARIABLES.values()}


def bench_measure(job: TuneJob, header: dict) -> Measure:
    """A Measure that runs each candidate as `python -m compare bench ... --json -` and reads its JSON.
    `header` (a dict) receives the machine and the arithmetic record from the first process that measures."""

    deadline = Deadline()

    def measure(settings: MXNetSettings, round_index: int) -> TuneMeasurement:
        command = [sys.executable, "-m", "compare", "bench", *job.bench_arguments, "--json", "-", *settings.flags()]
        started = time.monotonic()
        # its own process group: a stalled candidate is stopped with everything it started (a core type's proof)
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=candidate_environment(dict(os.environ)), start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=deadline.seconds)
        except subprocess.TimeoutExpired:
            _stop_group(process)
            return TuneMeasurement(settings, round_index, failure=f"stalled: still running after "
                                   f"{deadline.seconds:.0f} s; stopped and not run again")
        except Interrupt:
            _stop_group(process)  # a terminal's signal reaches only us now: never leave the candidate behind
            raise
        if process.returncode in (ExitCode.INTERRUPTED, ExitCode.TERMINATED):  # the signal reached us too
            raise Interrupt(signal.SIGINT if process.returncode == ExitCode.INTERRUPTED else signal.SIGTERM)
        if process.returncode == ExitCode.USAGE and settings.blas_core is not None:  # its products disagreed
            return TuneMeasurement(settings, round_index, failure=_last_line(stderr).removeprefix("error: "))
        if process.returncode == ExitCode.USAGE:
            raise UsageError(_last_line(stderr).removeprefix("error: "))
        document = _bench_document(stdout) if process.returncode == ExitCode.FAILED else None
        if document is not None and not document.get("rows") and document.get("failures"):
            reasons = "; ".join(f"{name}: {reason}" for name, reason in document["failures"].items())
            raise UsageError(f"nothing to tune: every implementation failed in bench ({reasons})")
        if document is not None and document.get("rows"):  # an implementation failed: the others were measured
            measurement = measurement_from_bench(settings, round_index, document, header)
            deadline.calibrate(time.monotonic() - started)
            return measurement
        if process.returncode != 0:
            return TuneMeasurement(settings, round_index,
                                   failure=f"exit {process.returncode}: {_last_line(stderr) or 'no message'}")
        measurement = measurement_from_bench(settings, round_index, json.loads(stdout), header)
        deadline.calibrate(time.monotonic() - started)
        return measurement

    return measure


def _stop_group(process: subprocess.Popen) -> None:
    """SIGKILL the candidate and every process it started (a stalled MXNet does not hear SIGTERM), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # it ended on its own meanwhile
        pass
    process.communicate()


def _bench_document(stdout: str) -> Optional[dict]:
    """bench's JSON, where the process wrote one."""
    try:
        document = json.loads(stdout)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def measurement_from_bench(settings: MXNetSettings, round_index: int, document: dict, header: dict
                           ) -> TuneMeasurement:
    """A bench JSON document as one measurement (with every GEMM's rate under its settings); fills `header`'s
    machine and the network's FLOPs the first time."""
    environment = document.get("environment", {})
    threads = environment.get("threads", {})
    arithmetic = document.get("settings", {}).get("arithmetic", {})
    header.setdefault("machine", {"cpu": environment.get("cpu"), "cpus_available": threads.get("cpus_available"),
                                  "mxnet": environment.get("mxnet")})
    header.setdefault("arithmetic", {key: arithmetic[key] for key in FLOPS_KEYS if key in arithmetic})
    openmp = [pool.get("threads") for pool in threads.get("in_force", []) if pool.get("api") == "openmp"]

    rows = [row for row in document.get("rows", []) if row.get("devices", 1) == 1]
    loads = [row["other_cores"] for row in rows if row.get("other_cores") is not None]
    for name, reason in (document.get("failures") or {}).items():  # its own code's failure, named once
        header.setdefault("settings", {}).setdefault("failed_implementations", {}).setdefault(name, reason)
    failed = header.get("settings", {}).get("failed_implementations", {})
    rows = [row for row in rows if row["implementation"] not in failed]  # tuned without it, in every candidate
    return TuneMeasurement(settings, round_index,
                           train={row["implementation"]: row["train"]["median"] for row in rows},
                           inference={row["implementation"]: row["inference"]["median"] for row in rows},
                           gemms=GemmRates.from_record(arithmetic), openmp_threads=max(openmp, default=None),
                           other_cores=max(loads, default=None), blas_core=mxnet_blas_core(threads.get("in_force", [])))
