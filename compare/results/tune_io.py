"""`compare tune`'s results file: every measurement and the two winners as JSON; and reading the winner back
for `--tuned FILE`, with a one-line warning for each way the file's machine differs from this one."""
import json
import math
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Callable, Optional

from compare.errors import ResultsFileError, UsageError
from compare.measuring.mxnet_settings import MXNetSettings
from compare.measuring.statistics import Interval
from compare.results.json_io import SCHEMA_VERSION, finite
from compare.results.json_read import load_document
from compare.results.tune_types import KINDS, TunedFile, TuneMeasurement, TuneResult

KIND_TUNE = "tune"


def tune_to_json(result: TuneResult) -> str:
    """Strict JSON: the job, the machine, every measurement, and per kind the fastest settings with their
    speed-up over MXNet's defaults (mean and 95 % interval over rounds)."""
    def record(interval: Optional[Interval]) -> Optional[dict]:
        return None if interval is None else asdict(interval)

    fastest = {}
    for kind in KINDS:
        winner = result.fastest(kind)
        fastest[kind] = {"settings": asdict(winner), "label": winner.label(), "flags": winner.flags(),
                         "speedup": record(result.speedup(winner, kind)),
                         "per_implementation": {name: record(result.speedup(winner, kind, name))
                                                for name in result.implementations}}
    document = {"schema": SCHEMA_VERSION, "kind": KIND_TUNE, "settings": result.settings, "machine": result.machine,
                "arithmetic": result.arithmetic, "interrupted": result.interrupted, "fastest": fastest,
                "measurements": [_measurement_record(m) for m in result.measurements]}
    return json.dumps(finite(document), indent=2, allow_nan=False) + "\n"


def _measurement_record(measurement: TuneMeasurement) -> dict[str, object]:
    """A measurement as JSON, its GEMMs as bench and run record them."""
    return {**asdict(measurement), "gemms": measurement.gemms.record() if measurement.gemms else None}


def this_machine() -> dict[str, object]:
    """What a tune file is checked against, read without loading mxnet (its settings are not applied yet)."""
    from compare.measuring.cpu import cpu_model
    from compare.validation import cpus_available

    try:
        version = metadata.version("mxnet")
    except metadata.PackageNotFoundError:
        version = None
    return {"cpu": cpu_model(), "cpus_available": cpus_available(), "mxnet": version}


def _interval(record: object) -> Optional[Interval]:
    """An Interval written by tune_to_json, or None where the file has none (or not one of ours)."""
    try:
        return Interval(**record) if isinstance(record, dict) else None
    except TypeError:
        return None


def read_tuned(path: Path, warn: Callable[[str], None]) -> TunedFile:
    """The fastest training settings of a tune file, and the speed-ups tune measured for them; a warning per
    difference between its machine and this one (CPU model, CPUs available, mxnet version): applied anyway,
    since the user asked for them."""
    document = load_document(path)
    if document.get("kind") != KIND_TUNE:
        raise ResultsFileError(f"{path}: a {document.get('kind')!r} results file, not one of `compare tune --json`")
    if document.get("schema") != SCHEMA_VERSION:
        raise ResultsFileError(f"{path}: a tune file of schema {document.get('schema')!r}; this release reads "
                               f"schema {SCHEMA_VERSION}: run `compare tune` again")
    if document.get("interrupted") is not False:
        raise ResultsFileError(f"{path}: an interrupted tune (its rounds did not finish, so its fastest is no "
                               "verdict): run `compare tune` again")
    try:
        fastest = document["fastest"]["train"]
        record = fastest["settings"]
    except (KeyError, TypeError) as error:
        raise ResultsFileError(f"{path}: malformed tune file (no fastest training settings)") from error
    try:
        settings = MXNetSettings.from_record(record, f"{path}: fastest training settings")
    except UsageError as error:
        raise UsageError(f"{error} (from --tuned {path})") from error
    speedup = _interval(fastest.get("speedup"))
    if speedup is None or not all(isinstance(value, (int, float)) and math.isfinite(value)
                                  for value in (speedup.mean, speedup.low, speedup.high)):
        raise ResultsFileError(f"{path}: its fastest training settings have no measured speed-up: run `compare tune` "
                               "again")
    machine, here = document.get("machine") or {}, this_machine()
    differences = [f"{what} {machine.get(key)!r} (here {here[key]!r})" for key, what in
                   (("cpu", "CPU"), ("cpus_available", "CPUs available"), ("mxnet", "mxnet")) if machine.get(key) != here[key]]
    if differences:  # one line, however many differ
        warn(f"--tuned {path} was measured with {', '.join(differences)}; applying its settings anyway")
    each = fastest.get("per_implementation")
    return TunedFile(path, settings, speedup,
                     {name: _interval(value) for name, value in each.items()} if isinstance(each, dict) else {})
