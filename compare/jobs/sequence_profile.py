"""`profile` for a language model as a library call: K training steps of each implementation on the text's first
batch, each in a fresh process under MXNet's profiler (`sequence_profile_worker`); every operator's time summed by
the step's phase and by operator name. Prints nothing.

No layer attribution as the image models have: a recurrent layer is one fused `RNN` operator in Gluon and a few
operators per time step by hand, so the operators themselves (and how many a step issues) are the comparison."""
from __future__ import annotations

import json
import tempfile
from bisect import bisect_left
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from compare.config.sequence_profile import SequenceProfileConfig
from compare.jobs.apply_settings import apply_mxnet_settings
from compare.jobs.profile import check_trace_outputs
from compare.jobs.sequence_run import check_outputs, read_text
from compare.results.sequence_profile_types import OperatorTime, SequenceProfile, SequenceProfileData
from compare.results.types import Status

WARMUP_STEPS = 2
WORKER = "compare.jobs.sequence_profile_worker"


def phase_windows(marks: dict[str, float], step: int, phases: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Each phase's window in step `step`, from its markers '<step>:start', '<step>:forward', ..."""
    names = [f"{step}:start"] + [f"{step}:{phase}" for phase in phases]
    return {phase: (marks[names[index]], marks[names[index + 1]]) for index, phase in enumerate(phases)}


def summarize(name: str, answer: dict, phases: Sequence[str]) -> SequenceProfile:
    """Per-step means of operator time by phase and by operator, from the worker's answer and its trace."""
    from compare.jobs.profile_trace import BOOKKEEPING, markers, operator_events

    trace = json.loads(Path(answer["trace_path"]).read_text())
    events, marks = operator_events(trace), markers(trace)
    starts = [event.start for event in events]  # sorted by start: each phase is one slice
    steps = len(answer["step_seconds"])
    by_phase = dict.fromkeys(phases, 0.0)
    by_operator: dict[str, list[float]] = {}  # name -> [µs, calls]
    for step in range(steps):
        for phase, (begin, end) in phase_windows(marks, step, phases).items():
            for event in events[bisect_left(starts, begin):bisect_left(starts, end)]:
                if event.name in BOOKKEEPING:  # the engine's chores, not the step's computation
                    continue
                by_phase[phase] += event.duration
                totals = by_operator.setdefault(event.name, [0.0, 0.0])
                totals[0] += event.duration
                totals[1] += 1
    operators = tuple(sorted((OperatorTime(operator, us / steps / 1e3, calls / steps)
                              for operator, (us, calls) in by_operator.items()), key=lambda item: -item.ms))
    return SequenceProfile(name, Status.OK, phases_ms={phase: us / steps / 1e3 for phase, us in by_phase.items()},
                           operators=operators, operator_ms=sum(by_phase.values()) / steps / 1e3,
                           step_ms=1e3 * sum(answer["step_seconds"]) / steps,
                           first_call_ms=1e3 * answer["first_call_seconds"],
                           peak_rss_mib=answer["peak_rss_above_baseline_kib"] / 1024, trace_file=answer["trace_path"])


def profile_sequence(config: SequenceProfileConfig, warn: Callable[[str], None]) -> SequenceProfileData:
    """Profile every implementation named (built-ins or module:attr: each is rebuilt in its own process)."""
    import numpy as np

    from compare.data.sequence_batches import consecutive_batches
    from compare.jobs.profiler import message_of, run_worker
    from compare.jobs.sequence_check import implementations_of
    from compare.jobs.sequence_profile_worker import PHASES
    from compare.measuring.environment import capture_environment
    from compare.signals import Interrupt
    from compare.validation import display_name

    check_outputs(config.json_path, config.text.path)
    given = list(config.implementations) or [builtin.name for builtin in config.entry.builtins]
    names = [display_name(entry) for entry in given]
    if config.trace_dir is not None:
        check_trace_outputs(Path(config.trace_dir), [f"{name}.json" for name in names], config.json_path)
    implementations_of(config.entry, given, [])  # a class missing a method is refused now, in one line
    corpus = read_text(config.text, (config.batch_size, config.num_steps, "consecutive")).whole
    apply_mxnet_settings(config.mxnet, (config.context,), warn)
    X, Y = next(consecutive_batches(corpus.indices, config.batch_size, config.num_steps, np.random.default_rng(0)))
    data = SequenceProfileData(
        {"model": config.model, "batch_size": config.batch_size, "num_steps": config.num_steps,
         "num_hiddens": config.num_hiddens, "steps": config.steps, "warmup_steps": WARMUP_STEPS,
         "optimizer": config.optimizer.recorded(), "seed": config.seed, "vocab_size": len(corpus.vocabulary),
         "bulk_execution": "off (one event per operator)"}, capture_environment(str(config.context)))
    with tempfile.TemporaryDirectory(prefix="compare-profile-") as scratch:
        folder = Path(config.trace_dir) if config.trace_dir is not None else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name, entry in zip(names, given):
            job = {"entry": entry, "model": config.model,
                   "context": str(config.context), "vocab_size": len(corpus.vocabulary),
                   "num_hiddens": config.num_hiddens, "X": X.tolist(), "Y": Y.tolist(),
                   "clipping_theta": config.entry.recipe.clipping_theta, "optimizer": config.optimizer.recorded(),
                   "seed": config.seed, "steps": config.steps, "warmup": WARMUP_STEPS,
                   "trace_path": str(folder / f"{name}.json")}
            try:
                answer = run_worker(job, WORKER)
            except Interrupt:  # the profiles finished so far are kept, shown and written
                data.interrupted = True
                break
            try:
                if "error" in answer:
                    raise RuntimeError(answer["error"])
                profile = summarize(name, answer, PHASES)
                if config.trace_dir is None:
                    profile = replace(profile, trace_file=None)  # the temporary trace is gone with the folder
            except (OSError, KeyError, ValueError, RuntimeError) as error:
                profile = SequenceProfile(name, Status.FAILED, message=message_of(error))
            data.profiles.append(profile)
    return data
