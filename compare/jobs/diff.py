"""`diff` as a library call: two results files read and compared (reading is `json_io`'s, comparing
`comparison`'s, kept apart so neither module imports the other), or two parameter files array by array."""
from pathlib import Path
from typing import TYPE_CHECKING, Union

from compare.config.diff import DiffConfig
from compare.config.options import STDOUT
from compare.errors import ResultsFileError, UsageError
from compare.files import same_file
from compare.results.comparison import DiffResult, diff_benches, diff_runs, paired_names
from compare.results.json_io import KIND_BENCH, KIND_RUN
from compare.results.json_read import bench_from_document, document_kind, load_document, run_from_document
from implementations.registry import DEFAULT_MODEL

if TYPE_CHECKING:
    from compare.results.params_comparison import ParamsDiffResult


def diff(config: DiffConfig) -> "Union[DiffResult, ParamsDiffResult]":
    """`compare diff` and `compare.diff`: two files of the same kind compared. A --json that is also an input is
    refused first, and a parameter file beside a results file (exit 4)."""
    from compare.results.params_comparison import diff_parameter_files, is_parameter_file

    for given in (config.old_path, config.new_path):
        if config.json_path not in (None, STDOUT) and same_file(config.json_path, given):
            raise UsageError(f"--json {config.json_path}: is also an input of the diff; write the comparison elsewhere")
    parameter_files = [is_parameter_file(path) for path in (config.old_path, config.new_path)]
    if not any(parameter_files):
        return diff_files(config.old_path, config.new_path, config.threshold_percent)
    pairs = ((config.old_path, config.new_path), (config.new_path, config.old_path))
    for (path, other), is_parameters in zip(pairs, parameter_files):
        if not is_parameters:
            raise ResultsFileError(f"{path}: not a parameter file, but {other} is one; diff compares two files "
                                   "of the same kind")
    return diff_parameter_files(config.old_path, config.new_path)


def diff_files(old_path: Path, new_path: Path, threshold: float) -> DiffResult:
    """Read both files (run or bench, schema 1 or 2) and compare them; different kinds are an error."""
    old, new = load_document(old_path), load_document(new_path)  # each file read once
    kinds = [document_kind(old), document_kind(new)]
    for path, kind in zip((old_path, new_path), kinds):
        if kind not in (KIND_RUN, KIND_BENCH):
            raise ResultsFileError(f"{path}: a {kind} results file; diff compares run or bench results files "
                                   "(two of a kind), or two parameter files")
    if kinds[0] != kinds[1]:
        raise ResultsFileError(f"{new_path}: a {kinds[1]} results file, but {old_path} is a {kinds[0]} one; "
                               "diff compares files of the same kind")
    if kinds[0] == KIND_BENCH:
        old_bench, new_bench = bench_from_document(old, old_path), bench_from_document(new, new_path)
        _same_model(old_path, old_bench.settings.get("model"), new_path, new_bench.settings.get("model"))
        return diff_benches(old_bench, new_bench, threshold)
    old_run, new_run = run_from_document(old, old_path), run_from_document(new, new_path)
    _same_model(old_path, old_run.recipe.get("model"), new_path, new_run.recipe.get("model"))
    if not paired_names(old_run, new_run):  # e.g. scratch@adam (a run over several rules) and scratch (under sgd)
        raise ResultsFileError(f"{new_path} and {old_path} share no implementation name ({', '.join(new_run.names()[:3])}"
                               f" against {', '.join(old_run.names()[:3])}), nor one update rule: nothing to compare")
    return diff_runs(old_run, new_run, threshold)


def _same_model(old_path: Path, old_model: object, new_path: Path, new_model: object) -> None:
    """Results of two models are not a before and after: refused naming both (files without a model: LeNet's)."""
    old_model, new_model = old_model or DEFAULT_MODEL, new_model or DEFAULT_MODEL
    if old_model != new_model:
        raise ResultsFileError(f"{new_path} holds --model {new_model} results and {old_path} --model {old_model}; "
                               "diff compares results of the same model")
