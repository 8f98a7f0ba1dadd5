"""Two results files read and diffed: reading is `json_io`'s, comparing `comparison`'s (kept apart so neither
module imports the other)."""
from pathlib import Path

from compare.errors import ResultsFileError
from compare.results.comparison import DiffResult, diff_benches, diff_runs
from compare.results.json_io import (
    KIND_BENCH,
    KIND_RUN,
    bench_from_document,
    document_kind,
    load_document,
    run_from_document,
)
from implementations.registry import DEFAULT_MODEL


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
    if not set(old_run.names()) & set(new_run.names()):  # e.g. scratch@sgd (a run of several rules) and scratch
        raise ResultsFileError(f"{new_path} and {old_path} share no implementation name ({', '.join(new_run.names()[:3])}"
                               f" against {', '.join(old_run.names()[:3])}): nothing to compare")
    return diff_runs(old_run, new_run, threshold)


def _same_model(old_path: Path, old_model: object, new_path: Path, new_model: object) -> None:
    """Results of two models are not a before and after: refused naming both (files without a model: LeNet's)."""
    old_model, new_model = old_model or DEFAULT_MODEL, new_model or DEFAULT_MODEL
    if old_model != new_model:
        raise ResultsFileError(f"{new_path} holds --model {new_model} results and {old_path} --model {old_model}; "
                               "diff compares results of the same model")
