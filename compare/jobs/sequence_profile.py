"""`profile` for a language model as a library call: K training steps of each implementation on the text's first
batch, each in a fresh process under MXNet's profiler (`sequence_profile_worker`); every operator's time summed by
the step's phase and by operator name. Prints nothing.

No layer attribution as the image models have: a recurrent layer is one fused `RNN` operator in Gluon and a few
operators per time step by hand, so the operators themselves (and how many a step issues) are the comparison."""
from __future__ import annotations

import json
from bisect import bisect_left
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


def summarize(name: str, answer: dict, phases: Sequence[str]) -> SequenceProfile:
    """Per-step means of operator time by phase and by operator, from the worker's answer and its trace."""
    from compare.jobs.profile_trace import BOOKKEEPING, markers, operator_events, step_boundaries

    trace = json.loads(Path(answer["trace_path"]).read_text())
    events, marks = operator_events(trace), markers(trace)
    starts = [event.start for event in events]  # sorted by start: each phase is one slice
    steps = len(answer["step_seconds"])
    by_phase = dict.fromkeys(phases, 0.0)
    by_operator: dict[str, list[float]] = {}  # name -> [µs, calls]
    for step in range(steps):
        for phase, (begin, end) in step_boundaries(marks, step, phases).items():
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
    from compare.jobs.profiler import Profiling, profile_in_turn
    from compare.jobs.sequence_check import implementations_of
    from compare.jobs.sequence_profile_worker import PHASES
    from compare.measuring.environment import capture_environment
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
    def job(name: str, entry: str, trace: Path) -> dict:
        return {"entry": entry, "model": config.model, "context": str(config.context),
                "vocab_size": len(corpus.vocabulary), "num_hiddens": config.num_hiddens, "X": X.tolist(),
                "Y": Y.tolist(), "clipping_theta": config.entry.recipe.clipping_theta,
                "optimizer": config.optimizer.recorded(), "seed": config.seed, "steps": config.steps,
                "warmup": WARMUP_STEPS, "trace_path": str(trace)}

    profiling = Profiling(WORKER, job, lambda name, answer: summarize(name, answer, PHASES),
                          lambda name, words: SequenceProfile(name, Status.FAILED, message=words))
    data.profiles, data.interrupted = profile_in_turn(profiling, list(zip(names, given)), config.trace_dir)
    return data
