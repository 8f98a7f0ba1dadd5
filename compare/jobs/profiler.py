"""`compare profile` as a library: each implementation profiled in its own process under MXNet's profiler,
its trace attributed to layers. Returns a ProfileResult; prints nothing.
"""
import json
import subprocess
import sys
import tempfile
from bisect import bisect_left
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Optional

from compare.config.profile import ProfileConfig
from compare.errors import one_line
from compare.jobs.profile_trace import (
    UNATTRIBUTED,
    attribute_step,
    markers,
    operator_events,
    step_boundaries,
    storage_peak_bytes,
)
from compare.reporting.metric_tables import timed_optimizer_text
from compare.results.measures import ImplementationProfile, LayerTime, ProfileResult
from compare.results.types import Status
from compare.signals import Interrupt

WORKER_TIMEOUT_SECONDS = 600
WARMUP_STEPS = 3
EXTRA_ROWS = ("loss", "update", "bookkeeping", UNATTRIBUTED)


def run_worker(job: dict, module: str = "compare.jobs.profile_worker") -> dict:
    """`module`'s answer to `job`, run in a fresh process (an error's words where it gave none)."""
    try:
        # the worker finds outside implementations where this process found them: these folders go after its own
        # path (`serve`), not before it as PYTHONPATH would put them, so a module of the user's named like an
        # installed package (a learner's mxnet.py, implementations.py) cannot hide the package there
        job = {**job, "sys_path": [entry for entry in sys.path if entry]}
        process = subprocess.run([sys.executable, "-m", module], input=json.dumps(job),
                                 capture_output=True, text=True, timeout=WORKER_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return {"error": f"no answer within {WORKER_TIMEOUT_SECONDS} s"}
    try:
        return json.loads(process.stdout)
    except json.JSONDecodeError:
        last = (process.stderr.strip().splitlines() or [f"exit code {process.returncode}"])[-1]
        return {"error": f"the profiling process died ({last})"}


def summarize_trace(name: str, answer: dict, layers: list[str]) -> ImplementationProfile:
    """Per-step means of the attributed operator time, from the worker's answer and its trace file."""
    trace = json.loads(Path(answer["trace_path"]).read_text())
    events, marks = operator_events(trace), markers(trace)
    starts = [event.start for event in events]  # events come sorted by start: each step is one slice
    steps = len(answer["step_seconds"])
    forward: dict[str, float] = {}
    backward: dict[str, float] = {}
    operator_us = 0.0
    for step in range(steps):
        windows = step_boundaries(marks, step)
        in_step = events[bisect_left(starts, windows["forward"][0]):bisect_left(starts, windows["update"][1])]
        operator_us += sum(event.duration for event in in_step)
        step_forward, step_backward = attribute_step(in_step, windows, layers)
        for totals, part in ((forward, step_forward), (backward, step_backward)):
            for row, us in part.items():
                totals[row] = totals.get(row, 0.0) + us
    rows = [LayerTime(row, forward.get(row, 0.0) / steps / 1e3, backward.get(row, 0.0) / steps / 1e3)
            for row in [*layers, *EXTRA_ROWS]]
    return ImplementationProfile(
        name=name, status=Status.OK, rows=rows, operator_ms=operator_us / steps / 1e3,
        step_ms=1e3 * sum(answer["step_seconds"]) / steps, first_call_ms=1e3 * answer["first_call_seconds"],
        peak_rss_mib=answer["peak_rss_above_baseline_kib"] / 1024, storage_peak_mib=storage_peak_bytes(trace) / 2**20,
        trace_file=answer["trace_path"])


@dataclass(frozen=True)
class Profiling:
    """How each implementation is profiled in turn, in its own process: the worker module, the job for (name,
    --impl entry, trace path), what an answer becomes, and what a failure becomes (name, its words)."""

    module: str
    job: Callable[[str, str, Path], dict]
    summary: Callable[[str, dict], Any]
    failure: Callable[[str, str], Any]


def profile_in_turn(profiling: Profiling, entries: list[tuple[str, str]],
                    trace_dir: Optional[Path]) -> tuple[list, bool]:
    """Every (name, entry) profiled, each in a fresh process, its trace in `trace_dir` (else a temporary folder,
    gone after); a failure is recorded and the rest go on. Returns the profiles and whether a user's signal ended
    it early (the profiles finished before it are kept)."""
    profiles, interrupted = [], False
    with tempfile.TemporaryDirectory(prefix="compare-profile-") as scratch:
        folder = Path(trace_dir) if trace_dir is not None else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name, entry in entries:
            try:
                answer = run_worker(profiling.job(name, entry, folder / f"{name}.json"), profiling.module)
            except Interrupt:  # the profiles finished so far are kept, shown and written
                interrupted = True
                break
            try:
                if "error" in answer:
                    raise RuntimeError(answer["error"])
                profile = profiling.summary(name, answer)
                if trace_dir is None:
                    profile = replace(profile, trace_file=None)  # the temporary trace is gone with the folder
            except (OSError, KeyError, ValueError, RuntimeError) as error:
                profile = profiling.failure(name, message_of(error))
            profiles.append(profile)
    return profiles, interrupted


def profile_all(config: ProfileConfig, entries: list[tuple[str, str]], context: str,
                environment: dict[str, object]) -> ProfileResult:
    """Profile every (name, --impl entry), each in a fresh process; a failure is recorded, the rest go on."""
    workload = config.workload
    layers = list(workload.spec().layer_order)

    def job(name: str, entry: str, trace: Path) -> dict:
        return {"entry": entry, "model": workload.model, "context": context, "batch_size": config.batch_size,
                "steps": config.steps, "warmup": WARMUP_STEPS, "seed": workload.seed,
                "learning_rate": workload.timed_optimizer.learning_rate, "optimizer": workload.optimizer.recorded(),
                "trace_path": str(trace)}

    profiling = Profiling("compare.jobs.profile_worker", job,
                          lambda name, answer: summarize_trace(name, answer, answer.get("layers") or layers),
                          lambda name, words: ImplementationProfile(name, Status.FAILED, message=words))
    profiles, interrupted = profile_in_turn(profiling, entries, config.trace_dir)
    settings = {"model": workload.model, "optimizer": timed_optimizer_text(workload.timed_optimizer.recorded()),
                "batch_size": config.batch_size,
                "steps": config.steps, "warmup_steps": WARMUP_STEPS, "context": context, "seed": workload.seed,
                "bulk_execution": "off (one event per operator)"}
    return ProfileResult(settings, environment, profiles, interrupted)


def message_of(error: Exception) -> str:
    return str(error) if isinstance(error, RuntimeError) else one_line(error)

