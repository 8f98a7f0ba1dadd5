"""`compare diff`: flags -> DiffConfig -> two results files compared -> JSON, then the tables."""
import argparse

from compare.commands.flags import add_json_flag, path_argument
from compare.commands.output import prepare_json_output, write_json_output
from compare.config.diff import DiffConfig
from compare.config.options import STDOUT, Options
from compare.errors import ExitCode, UsageError
from compare.files import same_file
from compare.reporting.terminal import Terminal

NAME = "diff"
SUMMARY = "compare two results files (run or bench), or two parameter files: what changed"
DESCRIPTION = ("Per implementation and metric: old, new, change, and whether the change is beyond the noise "
               "(95 % Welch interval when both files have several seeds or repeats, else --threshold). "
               "Differences in recipe and environment are listed first. Given two parameter files "
               "(run --save-params) of one model: every parameter and state array, how far apart, and the "
               "first that differs.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=path_argument,
                        help="the earlier results file (run or bench --json), or a parameter file (NAME.params)")
    parser.add_argument("new", type=path_argument, help="the later file, of the same kind (and model)")
    parser.add_argument("--threshold", type=float, default=None, metavar="PCT",
                        help="a change beyond PCT %% of the old value counts, where a file has a single sample "
                             f"(default: {DiffConfig.threshold_percent:g})")
    parser.add_argument("--fail-on-regression", action="store_true",
                        help="exit 1 when a throughput or the accuracy dropped beyond the noise (default: off)")
    add_json_flag(parser, "the comparison")


def config_from_args(args: argparse.Namespace) -> DiffConfig:
    return DiffConfig.resolve(args.old, args.new, Options(NAME, {"threshold": args.threshold, "json": args.json}),
                              args.fail_on_regression)


def execute(config: DiffConfig, terminal: Terminal) -> int:
    """Compare, write the JSON, print the tables; 1 on a regression with --fail-on-regression."""
    from compare.jobs.diff import diff_files
    from compare.reporting.diff_tables import diff_report
    from compare.results.json_io import diff_to_json
    from compare.results.params_comparison import is_parameter_file

    prepare_json_output(config.json_path, terminal)
    for given in (config.old_path, config.new_path):
        if config.json_path not in (None, STDOUT) and same_file(config.json_path, given):
            raise UsageError(f"--json {config.json_path}: is also an input of the diff; write the comparison elsewhere")
    parameter_files = [is_parameter_file(path) for path in (config.old_path, config.new_path)]
    if any(parameter_files):
        return _diff_parameters(config, terminal, parameter_files)
    result = diff_files(config.old_path, config.new_path, config.threshold_percent)
    write_json_output(config.json_path, diff_to_json(result), terminal)
    terminal.show(diff_report(result, config.old_path, config.new_path))
    if config.fail_on_regression and result.regressions():
        return int(ExitCode.FAILED)
    return int(ExitCode.OK)


def _diff_parameters(config: DiffConfig, terminal: Terminal, parameter_files: list[bool]) -> int:
    """Two parameter files: array by array. A results file beside a parameter file is refused (exit 4);
    --fail-on-regression has nothing to judge here (weights that differ are not a regression)."""
    from compare.errors import ResultsFileError
    from compare.reporting.diff_tables import params_diff_report
    from compare.results.json_io import params_diff_to_json
    from compare.results.params_comparison import diff_parameter_files

    pairs = ((config.old_path, config.new_path), (config.new_path, config.old_path))
    for (path, other), is_parameters in zip(pairs, parameter_files):
        if not is_parameters:
            raise ResultsFileError(f"{path}: not a parameter file, but {other} is one; diff compares two files "
                                   "of the same kind")
    result = diff_parameter_files(config.old_path, config.new_path)
    write_json_output(config.json_path, params_diff_to_json(result), terminal)
    terminal.show(params_diff_report(result, config.old_path, config.new_path))
    return int(ExitCode.OK)
