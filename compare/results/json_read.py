"""Results files read back, fully validated: a run (schema 1 or 2), bench, check, profile or tune document. Every
field is type-checked on reading: a file that does not fit is one ResultsFileError naming the field."""
import json
from pathlib import Path
from typing import Any

from compare.errors import ResultsFileError
from compare.measuring.precision import FLOAT32, PRECISIONS
from compare.results.json_fields import bounded, count, field_value, loss, optional_float
from compare.results.json_io import KIND_BENCH, KIND_RUN, SCHEMA_VERSION
from compare.results.measures import BenchResult, BenchRow, Spread
from compare.results.params_comparison import MXNET_LIST_MAGIC
from compare.results.types import EpochResult, ImplementationResult, LayerTrace, RunData, SeedRun, Status, StopPoint
from implementations.optimizers import OPTIMIZERS

READABLE_SCHEMAS = (1, 2)
OUTPUT_KEYS_OF_SCHEMA_1 = ("json_path", "save_params_dir", "plots_dir", "quiet")
MAX_RESULTS_BYTES = 64 * 2**20  # a 5-epoch run's file is ~40 KB; a thousand seeds stay far below this


def _epoch(raw: Any, where: str) -> EpochResult:
    counts = {"epoch": count(raw, "epoch", where, 1), "train_examples": count(raw, "train_examples", where, 1),
              "eval_examples": count(raw, "eval_examples", where, 1)}
    fractions = {key: None if isinstance(raw, dict) and raw.get(key, 0) is None else bounded(raw, key, where, 0.0, 1.0)
                 for key in ("train_accuracy", "test_accuracy")}  # null: a regression, which has no accuracy
    losses = {key: loss(raw, key, where) for key in ("train_loss", "test_loss")}
    positive = {key: bounded(raw, key, where, 0.0, low_open=True) for key in (
        "train_seconds", "train_samples_per_second", "eval_seconds", "eval_samples_per_second")}
    other = optional_float(raw, "other_cpu_seconds", where)
    if other is not None and other < 0:
        raise ValueError(f"{where}.other_cpu_seconds: expected a number ≥ 0, got {other}")
    return EpochResult(**counts, **fractions, **losses, **positive, other_cpu_seconds=other)


def _data(raw: Any, where: str) -> dict[str, object]:
    """The data section: where the data came from and how many examples each split had."""
    data = dict(field_value(raw, "data", (dict,), where, {}))
    for key in ("train_examples", "test_examples"):
        if key in data:
            count(data, key, f"{where}.data", 1)
    if "source" in data:
        field_value(data, "source", (str,), f"{where}.data")
    return data


def _trace(raw: Any, where: str) -> LayerTrace:
    shape = field_value(raw, "output_shape", (list,), where)
    if not all(isinstance(side, int) and not isinstance(side, bool) for side in shape):
        raise ValueError(f"{where}.output_shape: expected whole numbers")
    return LayerTrace(field_value(raw, "name", (str,), where), tuple(shape), field_value(raw, "parameter_count", (int,), where))


def _implementation(name: str, raw: Any, where: str) -> ImplementationResult:
    status_text = field_value(raw, "status", (str,), where)
    try:
        status = Status(status_text)
    except ValueError:
        raise ValueError(f"{where}.status: unknown status {status_text!r}") from None
    stopped = field_value(raw, "stopped_at", (dict, type(None)), where, None)
    predictions = field_value(raw, "sample_predictions", (list,), where, [])
    if not all(isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 9 for p in predictions):
        raise ValueError(f"{where}.sample_predictions: expected classes 0-9")
    precision = field_value(raw, "precision", (str,), where, FLOAT32)  # files before --precision: float32
    if precision not in PRECISIONS:
        raise ValueError(f"{where}.precision: expected one of {', '.join(PRECISIONS)}, got {precision!r}")
    return ImplementationResult(
        name=name, status=status, precision=precision,
        shape_trace=[_trace(t, f"{where}.shape_trace[{i}]")
                     for i, t in enumerate(field_value(raw, "shape_trace", (list,), where, []))],
        epochs=[_epoch(e, f"{where}.epochs[{i}]") for i, e in enumerate(field_value(raw, "epochs", (list,), where, []))],
        warmup_seconds=field_value(raw, "warmup_seconds", (float,), where, 0.0),
        stopped_at=None if stopped is None else StopPoint(field_value(stopped, "epoch", (int,), f"{where}.stopped_at"),
                                                          field_value(stopped, "step", (int,), f"{where}.stopped_at")),
        message=field_value(raw, "message", (str, type(None)), where, None),
        params_file=field_value(raw, "params_file", (str, type(None)), where, None),
        sample_predictions=list(predictions),
        parameter_errors=_parameter_errors(field_value(raw, "parameter_errors", (dict,), where, {}), where),
    )


def _parameter_errors(raw: dict, where: str) -> dict[str, float]:
    """{parameter: max |learned - true|}: names, and finite numbers ≥ 0."""
    for name, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
            raise ValueError(f"{where}.parameter_errors.{name}: expected a finite number ≥ 0, got {value!r}")
    return {str(name): float(value) for name, value in raw.items()}


def load_document(path: Path) -> dict:
    """The JSON object at `path`, with a schema this release reads; any problem is a ResultsFileError."""
    try:
        with open(path, "rb") as stream:  # bounded: /dev/zero or a huge file is refused, not read to the end
            data = stream.read(MAX_RESULTS_BYTES + 1)
        if len(data) > MAX_RESULTS_BYTES:
            raise ResultsFileError(f"{path}: larger than {MAX_RESULTS_BYTES // 2**20} MiB, not a results file")
        if data.startswith(MXNET_LIST_MAGIC):
            raise ResultsFileError(f"{path}: a parameter file (run --save-params), not a results file; "
                                   "`compare diff OLD.params NEW.params` compares two of them")
        raw = json.loads(data.decode("utf-8"))
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot read ({error.strerror or error})") from error
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise ResultsFileError(f"{path}: not a JSON results file ({error})") from error
    if not isinstance(raw, dict):
        raise ResultsFileError(f"{path}: not a JSON results file (top level is {type(raw).__name__})")
    schema = raw.get("schema")
    if not (type(schema) is int and schema in READABLE_SCHEMAS):  # 2.0 and true are not schema 2 and 1
        newer = isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION
        hint = "; written by a newer release" if newer else ""
        raise ResultsFileError(f"{path}: schema {schema!r}, expected one of {READABLE_SCHEMAS}{hint}")
    return raw


def _seed_run(raw: Any, where: str) -> SeedRun:
    results = field_value(raw, "results", (dict,), where)
    return SeedRun(count(raw, "seed", where),
                   {name: _implementation(name, item, f"{where}.results.{name}") for name, item in results.items()})


def _spread(raw: Any, where: str) -> Spread:
    rates = field_value(raw, "rates", (list,), where)
    if not rates or not all(isinstance(r, (int, float)) and not isinstance(r, bool) and r > 0 for r in rates):
        raise ValueError(f"{where}.rates: expected positive numbers")
    return Spread(tuple(float(r) for r in rates))


def bench_from_document(raw: dict, path: Path) -> BenchResult:
    """A loaded bench document (`load_document`) as a BenchResult; `path` names it in errors."""
    if raw["schema"] < 2:
        raise ResultsFileError(f"{path}: a schema 1 bench file holds no per-repeat rates; measure again")
    try:
        rows = []
        for index, row in enumerate(field_value(raw, "rows", (list,), "file")):
            where = f"rows[{index}]"
            rows.append(BenchRow(field_value(row, "implementation", (str,), where), count(row, "batch_size", where, 1),
                                 _spread(field_value(row, "train", (dict,), where), f"{where}.train"),
                                 _spread(field_value(row, "inference", (dict,), where), f"{where}.inference"),
                                 optional_float(row, "other_cores", where),
                                 count(row, "devices", where, 1) if "devices" in row else 1,
                                 field_value(row, "summed_by", (str,), where, "")))
        failures = field_value(raw, "failures", (dict,), "file", {})
        if not all(isinstance(reason, str) for reason in failures.values()):
            raise ValueError("failures: expected a reason (text) per implementation")
        return BenchResult(field_value(raw, "settings", (dict,), "file"), field_value(raw, "environment", (dict,), "file", {}),
                           rows, failures)
    except ValueError as error:
        raise ResultsFileError(f"{path}: malformed results file ({error})") from error


def document_kind(raw: dict) -> str:
    """'run' or 'bench' (schema 1 files say so only by their keys)."""
    if "kind" in raw:
        return str(raw["kind"])
    return KIND_BENCH if "rows" in raw else KIND_RUN


def read_run(path: Path) -> RunData:
    """Read a results file written by `compare run --json` (schema 1 or 2), every field type-checked."""
    raw = load_document(path)
    if document_kind(raw) != KIND_RUN:
        kind = document_kind(raw)
        if kind.startswith("sequence-"):  # a language model's: diff and plot read the image models' runs only
            raise ResultsFileError(f"{path}: a language model's {kind.removeprefix('sequence-')} results; diff and "
                                   "plot read an image model's `compare run` results only (compare.load reads it)")
        raise ResultsFileError(f"{path}: a {kind} results file, expected one from `compare run`")
    return run_from_document(raw, path)


def _check_recipe(recipe: dict) -> None:
    """The recipe's values are ones `run` could have trained with (diff shows them side by side, so a file with
    `epochs: -3` is refused, not shown as a difference): whole counts >= 1, positive rates, known rules."""
    for key in ("epochs", "batch_size", "limit"):
        if recipe.get(key) is not None:
            count(recipe, key, "recipe", 1)
    for key in ("learning_rate", "weight_scale"):
        if recipe.get(key) is not None:
            bounded(recipe, key, "recipe", 0.0, low_open=True)
    if recipe.get("target_accuracy") is not None:
        bounded(recipe, "target_accuracy", "recipe", 0.0, 1.0, low_open=True)
    seeds = field_value(recipe, "seeds", (list,), "recipe", [])
    if not all(isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0 for seed in seeds) \
            or len(set(seeds)) != len(seeds):
        raise ValueError(f"recipe.seeds: expected different whole numbers ≥ 0, got {seeds}")
    for index, optimizer in enumerate(field_value(recipe, "optimizers", (list,), "recipe", [])):
        where = f"recipe.optimizers[{index}]"
        if field_value(optimizer, "name", (str,), where) not in OPTIMIZERS:
            raise ValueError(f"{where}.name: expected one of {', '.join(OPTIMIZERS)}, got {optimizer['name']!r}")
        if optimizer.get("learning_rate") is not None:
            bounded(optimizer, "learning_rate", where, 0.0, low_open=True)
        if "weight_decay" in optimizer:
            bounded(optimizer, "weight_decay", where, 0.0)


def _check_epochs(recipe: dict, runs: list[SeedRun]) -> None:
    """Each result's epochs are 1, 2, ... as they finished; one that ended well finished every epoch of the recipe
    (at least one), and none finished more."""
    planned = recipe.get("epochs")
    for index, seed_run in enumerate(runs):
        for name, result in seed_run.results.items():
            where = f"runs[{index}].results.{name}"
            numbers = [epoch.epoch for epoch in result.epochs]
            if numbers != list(range(1, len(numbers) + 1)):
                raise ValueError(f"{where}.epochs: numbered {numbers}, expected 1, 2, ... in order")
            if isinstance(planned, int) and len(numbers) > planned:
                raise ValueError(f"{where}.epochs: {len(numbers)} epochs of a recipe of {planned}")
            if result.status == Status.OK and (not numbers or (isinstance(planned, int) and len(numbers) != planned)):
                raise ValueError(f"{where}: status ok after {len(numbers)} of {planned if planned else 'its'} epochs; "
                                 "an implementation that ended well finished them all")


def _accuracies_where_classified(recipe: dict, runs: list[SeedRun]) -> None:
    """A classification run's epochs each have their accuracies (only a regression's are null)."""
    from compare.results.types import classifies

    if not classifies(recipe):
        return
    for index, seed_run in enumerate(runs):
        for name, result in seed_run.results.items():
            for number, epoch in enumerate(result.epochs):
                for key in ("train_accuracy", "test_accuracy"):
                    if getattr(epoch, key) is None:
                        raise ValueError(f"runs[{index}].results.{name}.epochs[{number}].{key}: expected a finite "
                                         "number in [0, 1], got None")


def run_from_document(raw: dict, path: Path) -> RunData:
    """A loaded run document (`load_document`) as a RunData; `path` names it in errors."""
    try:
        if raw["schema"] >= 2:
            recipe = {"model": "lenet", **field_value(raw, "recipe", (dict,), "file")}  # files before models: LeNet
            runs = [_seed_run(item, f"runs[{index}]") for index, item in enumerate(field_value(raw, "runs", (list,), "file"))]
        else:  # schema 1: one seed, its results at the top, output paths mixed into "config"
            recipe = {k: v for k, v in field_value(raw, "config", (dict,), "file").items() if k not in OUTPUT_KEYS_OF_SCHEMA_1}
            recipe["seeds"] = [recipe.pop("seed", 0)]
            recipe = {"model": "lenet", **recipe}
            runs = [_seed_run({"seed": recipe["seeds"][0], "results": raw.get("results")}, "file")]
        if not runs:
            raise ValueError("runs: empty")
        environment, data = field_value(raw, "environment", (dict,), "file", {}), _data(raw, "file")
        interrupted = field_value(raw, "interrupted", (bool,), "file", False)
        _check_recipe(recipe)  # the values each field holds, once every field has its type
        _check_epochs(recipe, runs)
        _accuracies_where_classified(recipe, runs)
        return RunData(recipe=recipe, environment=environment, data=data, runs=runs, interrupted=interrupted)
    except ValueError as error:
        raise ResultsFileError(f"{path}: malformed results file ({error})") from error
