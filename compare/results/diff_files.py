"""Two results files read and diffed: reading is `json_io`'s, comparing `comparison`'s (kept apart so neither
module imports the other)."""
from pathlib import Path

from compare.errors import ResultsFileError
from compare.results.comparison import DiffResult, diff_benches, diff_runs
from compare.results.json_io import KIND_BENCH, bench_from_document, document_kind, load_document, run_from_document


def diff_files(old_path: Path, new_path: Path, threshold: float) -> DiffResult:
    """Read both files (run or bench, schema 1 or 2) and compare them; different kinds are an error."""
    old, new = load_document(old_path), load_document(new_path)  # each file read once
    kinds = [document_kind(old), document_kind(new)]
    if kinds[0] != kinds[1]:
        raise ResultsFileError(f"{new_path}: a {kinds[1]} results file, but {old_path} is a {kinds[0]} one; "
                               "diff compares files of the same kind")
    if kinds[0] == KIND_BENCH:
        return diff_benches(bench_from_document(old, old_path), bench_from_document(new, new_path), threshold)
    return diff_runs(run_from_document(old, old_path), run_from_document(new, new_path), threshold)
