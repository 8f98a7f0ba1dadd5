"""The Python API's language models (`rnn`, `gru`, `lstm`): what `compare.run`, `check`, `bench`, `profile` and
`load` do once the options have resolved to one of their configs, each returning the value that shows itself."""
from __future__ import annotations

import warnings
from pathlib import Path

from compare.api.session import warn_line, write_json_file
from compare.api.views.sequence_bench_view import SequenceBenchReport
from compare.api.views.sequence_check_view import SequenceCheckResult
from compare.api.views.sequence_profile_view import SequenceProfileReport
from compare.api.views.sequence_view import SequenceRunResult
from compare.config.sequence_bench import SequenceBenchConfig
from compare.config.sequence_check import SequenceCheckConfig
from compare.config.sequence_profile import SequenceProfileConfig
from compare.config.sequence_run import SequenceRunConfig
from compare.errors import ResultsFileError


def run_language_model(config: SequenceRunConfig) -> SequenceRunResult:
    """Train (a bar per implementation in Jupyter); a file that could not be written is a warning, not a loss."""
    from compare.jobs.sequence_run import SequenceHooks, run_sequence
    from compare.reporting.notebook_progress import sequence_progress

    outcome = run_sequence(config, SequenceHooks(sequence_progress(config.quiet), warn_line, write_json_file))
    for error in outcome.file_errors:
        warnings.warn(f"{error}", UserWarning, stacklevel=4)
    return SequenceRunResult(outcome.result)


def check_language_model(config: SequenceCheckConfig, entries: list) -> SequenceCheckResult:
    from compare.jobs.sequence_check import check_sequence

    outcome = check_sequence(config, warn_line, entries)
    result = SequenceCheckResult(outcome.result, outcome.environment)
    if config.json_path is not None:
        result.to_json(config.json_path)
    return result


def bench_language_model(config: SequenceBenchConfig, entries: list) -> SequenceBenchReport:
    from compare.jobs.sequence_bench import bench_sequence

    report = SequenceBenchReport(bench_sequence(config, warn_line, entries))
    if config.json_path is not None:
        report.to_json(config.json_path)
    return report


def profile_language_model(config: SequenceProfileConfig) -> SequenceProfileReport:
    from compare.jobs.sequence_profile import profile_sequence

    report = SequenceProfileReport(profile_sequence(config, warn_line))
    if config.json_path is not None:
        report.to_json(config.json_path)
    return report


def load_language_model_run(document: dict, path: Path) -> SequenceRunResult:
    """A language model's run as `run --json` wrote it; anything else of that kind is a one-line ResultsFileError."""
    from compare.results.sequence_types import SequenceRunData

    try:
        return SequenceRunResult(SequenceRunData.from_record(document))
    except (KeyError, TypeError, ValueError) as error:
        raise ResultsFileError(f"{path}: not a language model's run as `run` writes it ({error})") from None
