"""What a flag may say: parsing flag text into values and the checks every config applies, each a one-line
UsageError naming the flag. Bounds live here: each list or count a flag makes becomes memory or processes,
so a typo (--repeats 100000000) is refused at once instead of filling the machine. No mxnet.
"""
import math
import os
import unicodedata
from typing import Optional

import numpy as np

from compare.devices.topology import KVSTORE_CHOICES
from compare.errors import UsageError


def parse_implementation_list(text: Optional[str]) -> tuple[str, ...]:
    """'scratch, gluon' -> ('scratch', 'gluon'); None (no --impl) means every built-in implementation, while
    an --impl that names nothing ('' or ',') is a UsageError rather than a silent 'all'."""
    if text is None:
        return ()
    entries = tuple(entry.strip() for entry in text.split(",") if entry.strip())
    if not entries:
        raise UsageError(f"--impl {text!r} names no implementation; leave --impl out to run every built-in")
    return entries


def folder_named(text: str) -> Optional[str]:
    """Why `text`, given where a file belongs, names a folder instead (None: it does not look like one): a trailing
    '/' says folder, and `Path` would drop it (`--json newdir/` would write a file named newdir)."""
    if text.endswith(("/", os.sep)) and text.strip("/" + os.sep):
        return f"{text} ends in '/', which names a folder; give a file path, e.g. {text}results.json"
    return None


def display_name(entry: str) -> str:
    """The name tables and JSON use for an --impl entry: NAME in NAME=module:attr, else the entry itself."""
    name, separator, target = entry.partition("=")
    return name.strip() if separator and ":" in target else entry


MAX_NAME_LENGTH = 100


def check_name(entry: str) -> None:
    """A name becomes a file name (--save-params DIR/NAME.params) and a table cell: no path separators, no
    leading dot (`..`, hidden files), no control characters, not empty, not endless."""
    name = display_name(entry)
    if not name.strip():
        raise UsageError(f"--impl entry {entry!r} has an empty NAME")
    if "@" in name and ":" not in name:  # run over several rules names its rows scratch@adam: yours cannot be one
        raise UsageError(f"--impl name {name!r}: '@' marks an update rule in run's names (scratch@adam); give it a "
                         "name without '@'")
    if "/" in name or "\\" in name or name.startswith("."):
        raise UsageError(f"--impl name {name!r} cannot name a file: no '/', '\\' or leading '.'; "
                         "give it NAME=module:attr")
    if any(0xDC80 <= ord(char) <= 0xDCFF for char in name):  # bytes the locale could not decode (LC_ALL=C)
        raise UsageError(f"--impl name {name!r} holds bytes this locale cannot decode (LC_ALL=C? use a UTF-8 "
                         "locale, or an ASCII name)")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise UsageError(f"--impl name {name!r} holds control characters; give it NAME=module:attr")
    if len(name) > MAX_NAME_LENGTH:
        raise UsageError(f"--impl name {name[:40]!r}... is longer than {MAX_NAME_LENGTH} characters")


def check_implementations(entries: tuple[str, ...]) -> None:
    for entry in entries:
        check_name(entry)
    names = [display_name(entry) for entry in entries]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UsageError(f"--impl names {', '.join(repeated)} more than once; give each entry its own NAME=")


MAX_SEEDS = 1000
MAX_STEPS = 100_000
MAX_REPEATS = 10_000
MAX_BATCH_SIZES = 16
MAX_WEIGHT_SCALE = 1e6  # beyond it float32 weights overflow long before training says anything useful


def check_seed(seed: int, flag: str = "--seed") -> None:
    if seed < 0:
        raise UsageError(f"{flag} must be a whole number ≥ 0, got {seed}")


CPUS_BEFORE_BINDING = "COMPARE_CPUS_BEFORE_BINDING"  # set where OMP_PROC_BIND is about to pin the main thread


def cpus_available() -> int:
    """CPUs this process may run on (its affinity mask), else the machine's count. With OMP_PROC_BIND on,
    OpenMP pins the main thread to one core when mxnet loads, though its team still runs on all of them: the
    count taken before (recorded in CPUS_BEFORE_BINDING) is the process's."""
    recorded = os.environ.get(CPUS_BEFORE_BINDING, "")
    if recorded.isdigit() and int(recorded) > 0:
        return int(recorded)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def check_threads(threads: Optional[int]) -> None:
    if threads is None:
        return
    if threads < 1:
        raise UsageError(f"--threads must be at least 1, got {threads}")
    if threads > cpus_available():
        raise UsageError(f"--threads {threads}: this process may use {cpus_available()} CPU(s); "
                         f"use --threads 1 to {cpus_available()}")


def check_bounded(flag: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise UsageError(f"{flag} must be {low} to {high:,}, got {value}")


def check_kvstore(kvstore: Optional[str]) -> None:
    if kvstore is not None and kvstore not in KVSTORE_CHOICES:
        raise UsageError(f"--kvstore must be one of {', '.join(KVSTORE_CHOICES)}, got {kvstore!r}")


def check_learning_rate(learning_rate: float) -> None:
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise UsageError(f"--lr must be a positive finite number, got {learning_rate}")
    as_float32 = float(np.float32(learning_rate)) if learning_rate < 3.4e38 else math.inf
    if as_float32 == 0 or not math.isfinite(as_float32):
        raise UsageError(f"--lr {learning_rate} is {as_float32:g} in float32, the precision every update uses")


def parse_seeds(seed: int, seeds_text: Optional[str], repeats: Optional[int]) -> tuple[int, ...]:
    """--seed, --seeds LIST or --repeats N (seeds seed .. seed+N-1) -> the seeds of a run."""
    if seeds_text is not None and repeats is not None:
        raise UsageError("give --seeds or --repeats, not both")
    if repeats is not None:
        check_bounded("--repeats", repeats, 1, MAX_SEEDS)  # before the seeds exist: a huge N is never built
        return tuple(range(seed, seed + repeats))
    if seeds_text is None:
        return (seed,)
    if seeds_text.count(",") >= MAX_SEEDS:
        raise UsageError(f"--seeds names more than {MAX_SEEDS:,} seeds")
    try:
        return tuple(int(part) for part in seeds_text.split(",") if part.strip())
    except ValueError as error:
        raise UsageError(f"--seeds takes comma-separated whole numbers, got {seeds_text!r}") from error


def parse_batch_sizes(text: str) -> tuple[int, ...]:
    """'1,64,256' -> (1, 64, 256); anything else is a UsageError."""
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise UsageError(f"--batch-size takes comma-separated whole numbers, got {text!r}") from error


def check_model(model: str) -> None:
    """UsageError unless `model` names a model of the registry, listing them."""
    from implementations.registry import models
    from implementations.sequence_registry import sequence_models

    if model in sequence_models():
        raise UsageError(f"--model {model}: a language model, which run, check, bench and profile take; this "
                         "command does not yet")
    if model not in models():
        raise UsageError(f"unknown --model {model!r}; valid: {', '.join(models())}, and for run, check, bench and "
                         f"profile: {', '.join(sequence_models())}")
