"""The Python API: every command as a function returning a value that shows itself.

    import compare
    result = compare.run(model="lenet", implementations=["scratch", MyLeNet], epochs=1, limit=2048)
    result.accuracy("MyLeNet")         # final test accuracy, a fraction
    verdict = compare.check(implementations=[MyLeNet])
    verdict.passed, verdict.first_difference

Options are the flags' names in Python form (`batch_size=`, `learning_rate=`, `data_dir=`, `json=`, ...),
validated as the flags are: a bad one is a `compare.UsageError` (a ValueError) with the flag's one line. Every
default is the library's — the model's chapter recipe — so `compare.run(model=M)` trains as `compare run
--model M` does. `implementations` takes built-in names, "module:attr" strings and objects: a class or factory
`(spec, devices) -> Model` defined anywhere, a notebook cell included, alone, in a list or as {name: factory}.
"""
import warnings
from pathlib import Path
from typing import Optional, Union

from compare.api.language_models import (
    bench_language_model,
    check_language_model,
    load_language_model_run,
    profile_language_model,
    run_language_model,
)
from compare.api.objects import Given, implementation_entries
from compare.api.options import resolve
from compare.api.session import api_call, warn_line, write_json_file
from compare.api.views import (
    BenchReport,
    CheckResult,
    DiffReport,
    ModelsTable,
    Pictures,
    ProfileReport,
    RunResult,
    TuneReport,
)
from compare.api.views.sequence_bench_view import SequenceBenchReport
from compare.api.views.sequence_check_view import SequenceCheckResult
from compare.api.views.sequence_profile_view import SequenceProfileReport
from compare.api.views.sequence_view import SequenceRunResult
from compare.config.sequence_bench import SequenceBenchConfig
from compare.config.sequence_check import SequenceCheckConfig
from compare.config.sequence_profile import SequenceProfileConfig
from compare.config.sequence_run import SequenceRunConfig
from compare.errors import CompareError, DatasetError, ResultsFileError, UsageError
from implementations.registry import DEFAULT_MODEL

__all__ = ["run", "check", "bench", "profile", "tune", "diff", "plot", "models", "load", "RunResult", "SequenceRunResult", "CheckResult", "SequenceCheckResult", "SequenceBenchReport",
           "SequenceProfileReport",
           "BenchReport", "ProfileReport", "TuneReport", "DiffReport", "Pictures", "ModelsTable", "CompareError",
           "UsageError", "DatasetError", "ResultsFileError"]


@api_call
def run(model: str = DEFAULT_MODEL, implementations: Given = None,
        **options: object) -> Union[RunResult, SequenceRunResult]:
    """Train every implementation from the same weights on the same batches; return what was measured.

    Options (defaults: the model's chapter recipe): epochs, batch_size, learning_rate, init, weight_scale,
    optimizer ('adam', a list or 'all'), optimizer_params, weight_decay (a number or a list),
    seed, seeds, repeats, limit, data_dir, target_accuracy, ctx, kvstore, json, save_params, plots, progress
    (a bar in Jupyter or a terminal; default True), precision ('float32', 'bf16' or both: 'float32,bf16' trains
    each implementation in each, side by side; bf16 is MXNet's AMP, on the CPU), and MXNet's load-time settings threads, engine, omp_bind,
    engine_workers, aggregation, blas_core, tuned (in a process that has loaded mxnet: only the values in force).
    Interrupting (Ctrl-C, a kernel's interrupt) stops at the next batch and returns what finished, marked
    `interrupted`.

    A language model (model="rnn", "gru" or "lstm") returns a `SequenceRunResult` (perplexity, characters/s,
    predictions) and takes besides: text (a file; default the embedded The Time Machine), max_chars, sampling
    ('random' or 'consecutive'), clip, num_steps, num_hiddens, prefixes.
    """
    from compare.jobs.run import JobHooks
    from compare.jobs.run import run as run_job
    from compare.reporting.notebook_progress import progress_listener

    entries = implementation_entries(implementations)
    config = resolve("run", model, entries, options)
    _refuse_stdout(config.json_path)
    if isinstance(config, SequenceRunConfig):  # rnn, gru, lstm: a language model
        return run_language_model(config)
    hooks = JobHooks(lambda reports: progress_listener(config.quiet), warn_line, write_json_file, show=lambda _: None)
    outcome = run_job(config, hooks, entries)  # the result is the value returned: nothing is shown
    for error in outcome.file_errors:  # a file that could not be written loses nothing of the result: said
        warnings.warn(f"{error}", UserWarning, stacklevel=3)
    # a Ctrl-C after every model finished (outcome.late_signal) ends nothing more: the result is whole
    return RunResult(outcome.result, config.target_accuracy)


@api_call
def check(model: str = DEFAULT_MODEL, implementations: Given = None,
          **options: object) -> Union[CheckResult, SequenceCheckResult]:
    """Compare every implementation with `scratch` on one batch — logits, loss, each layer's output, every
    gradient, the weights (and state, and the optimizer's) after `steps` update steps; return the verdict (`passed`, `first_difference`,
    `assert_passed()`).

    Options: steps, batch_size, learning_rate (default: the chapter's), seed, synthetic, data_dir, ctx,
    kvstore, json, precision ('float32' or 'bf16': scratch and every implementation run in it, held to its
    noise), and MXNet's load-time settings (as for `run`).

    A language model (model="rnn", "gru" or "lstm") is checked over time and returns a `SequenceCheckResult`: steps
    (batches, default 3), batch_size and num_steps (default 8 each), learning_rate, clip, sampling, text, max_chars,
    num_hiddens, seed, ctx, json.
    """
    from compare.jobs.check import check as check_job

    entries = implementation_entries(implementations)
    config = resolve("check", model, entries, options)
    _check_json_path(config.json_path)
    if isinstance(config, SequenceCheckConfig):  # rnn, gru, lstm: over time
        return check_language_model(config, entries)
    outcome = check_job(config, warn_line, entries)
    result = CheckResult(outcome.result, outcome.settings, outcome.environment)
    if config.json_path is not None:
        result.to_json(config.json_path)
    return result


@api_call
def bench(model: str = DEFAULT_MODEL, implementations: Given = None,
          **options: object) -> Union[BenchReport, SequenceBenchReport]:
    """Steady-state training and inference samples/s per implementation and batch size, engine-synced after
    warm-up, the implementations taking turns. Options: batch_size (one or a list), repeat, seed, ctx,
    kvstore, json, precision (as for `run`), and MXNet's load-time settings. A language model (rnn, gru,
    lstm) returns a `SequenceBenchReport` (characters/s) and takes batch_size (one), num_steps, num_hiddens, text,
    max_chars, repeat, seed, ctx, json."""
    from compare.jobs.bench import bench as bench_job

    entries = implementation_entries(implementations)
    config = resolve("bench", model, entries, options)
    _check_json_path(config.json_path)
    if isinstance(config, SequenceBenchConfig):  # rnn, gru, lstm: characters/s
        return bench_language_model(config, entries)
    report = BenchReport(bench_job(config, warn_line, entries).result)
    if config.json_path is not None:
        report.to_json(config.json_path)
    return report


@api_call
def profile(model: str = DEFAULT_MODEL, implementations: Given = None,
            **options: object) -> Union[ProfileReport, SequenceProfileReport]:
    """Where a training step's time goes, layer by layer, under MXNet's profiler; each implementation runs in
    a fresh process, so it is named (a built-in or "module:attr"), not an object of this session. Options:
    batch_size, steps, seed, ctx, trace (a folder for Chrome traces and profile.png), json, MXNet's settings. A
    language model (rnn, gru, lstm) returns a `SequenceProfileReport` (by phase and operator) and takes batch_size,
    num_steps, num_hiddens, text, max_chars, steps, seed, ctx, trace, json and the update rule."""
    from compare.jobs.profile import draw_profile
    from compare.jobs.profile import profile as profile_job

    entries = _named_only(implementation_entries(implementations), "profile runs each implementation")
    config = resolve("profile", model, entries, options)
    _check_json_path(config.json_path)
    if isinstance(config, SequenceProfileConfig):  # rnn, gru, lstm: by phase and operator
        return profile_language_model(config)
    report = ProfileReport(profile_job(config, warn_line))
    if config.json_path is not None:
        report.to_json(config.json_path)
    if config.trace_dir is not None:
        draw_profile(report.data, config.trace_dir)
    return report


@api_call
def tune(model: str = DEFAULT_MODEL, implementations: Given = None, **options: object) -> TuneReport:
    """MXNet's load-time settings measured on this machine, each candidate in a fresh bench process; the fastest.

    Candidates (threads, engine, binding, then engine workers and update aggregation) run in interleaved rounds
    with MXNet's defaults in every round; implementations are named (built-ins or "module:attr"). It takes
    minutes. Options: batch_size, rounds, repeat, seed, ctx, json (the file `tuned=` applies)."""
    from compare.jobs.tune import tune as tune_job

    entries = _named_only(implementation_entries(implementations), "tune runs each candidate")
    config = resolve("tune", model, entries, options)
    _check_json_path(config.json_path)
    report = TuneReport(tune_job(config, progress=lambda measurement: None))
    if config.json_path is not None:
        report.to_json(config.json_path)
    return report


@api_call
def diff(old: Union[str, Path], new: Union[str, Path], **options: object) -> DiffReport:
    """Two results files of run or bench (or two parameter files of run --save-params) compared: what changed.

    Per implementation and metric: old, new, change, and whether it is beyond the noise (95 % Welch interval
    with several seeds or repeats, else `threshold` percent); `regressions` lists what got worse. Options:
    threshold, json."""
    from compare.config.diff import DiffConfig
    from compare.config.options import Options
    from compare.jobs.diff import diff as diff_job

    config = DiffConfig.resolve(_path("old", old), _path("new", new), Options("diff", options))
    _check_json_path(config.json_path)
    report = DiffReport(diff_job(config), config.old_path, config.new_path)
    if config.json_path is not None:
        report.to_json(config.json_path)
    return report


@api_call
def plot(results: Union[str, Path], out: Union[str, Path]) -> Pictures:
    """A saved run's pictures drawn again from its results file (`run --json`) into the folder `out`.

    Learning curves, throughput bars and the prediction grid (from the predictions the run recorded, over the
    test images); the result shows the images in Jupyter and lists the files (`files`)."""
    from compare.config.plot import PlotConfig
    from compare.jobs.plot import plot as plot_job

    notes: list[str] = []
    files = plot_job(PlotConfig(_path("results", results), _path("out", out)), notes.append)
    return Pictures(files, notes)


def models() -> ModelsTable:
    """Every model `model=` accepts, with its layers, size and chapter recipe (prints as `compare models`)."""
    from implementations.registry import models as registry

    return ModelsTable(list(registry().values()))


@api_call
def load(path: Union[str, Path]) -> Union[RunResult, SequenceRunResult, BenchReport]:
    """A results file written by `run --json` or `bench --json` (or `to_json`), as the value that wrote it."""
    from compare.results.json_io import KIND_BENCH, KIND_RUN
    from compare.results.json_read import bench_from_document, document_kind, load_document, run_from_document
    from compare.results.sequence_types import KIND as SEQUENCE_KIND

    document = load_document(Path(path))
    kind = document_kind(document)
    if kind == KIND_BENCH:
        return BenchReport(bench_from_document(document, Path(path)))
    if kind == SEQUENCE_KIND:
        return load_language_model_run(document, Path(path))
    if kind != KIND_RUN:
        raise ResultsFileError(f"{path}: a {kind} file; load reads run and bench results files (and a language "
                               "model's run)")
    return RunResult(run_from_document(document, Path(path)))


def _named_only(entries: list, what: str) -> list:
    """Entries named, not objects of this session: `what` (e.g. "profile runs each implementation") happens in
    a fresh process, which can import a name but not an object."""
    objects = [entry.name for entry in entries if not isinstance(entry, str)]
    if objects:
        raise UsageError(f"{what} in a fresh process: give {', '.join(objects)} as 'module:attr' of a file, not as "
                         "an object of this session")
    return entries


def _path(name: str, value: object) -> Path:
    """A file argument: a str or Path that names something (an empty one would silently mean '.')."""
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise UsageError(f"{name} must be a path, got {value!r}")
    return Path(value)


def _refuse_stdout(path: Optional[Path]) -> None:
    """json='-' is the command line's stdout; in Python the result is the return value."""
    if path is not None and str(path) == "-":
        raise UsageError("json='-' is the command line's stdout; in Python give a file path, or read the result")


def _check_json_path(path: Optional[Path]) -> None:
    """A json= path that can never be written is refused before any work, as the command's --json is."""
    from compare.files import check_output_path

    _refuse_stdout(path)
    if path is not None:
        check_output_path("json", path, want_dir=False)
