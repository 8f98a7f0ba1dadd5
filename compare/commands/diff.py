"""`compare diff`: flags -> DiffConfig -> two results (or parameter) files compared -> JSON, then the tables."""
import argparse

from compare.commands.flags import add_json_flag, path_argument
from compare.commands.output import prepare_json_output, write_json_output
from compare.config.diff import DiffConfig
from compare.config.options import Options
from compare.errors import ExitCode
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
    """Compare (the library's `diff`, as `compare.diff`), write the JSON, print the tables; 1 on a regression
    with --fail-on-regression (two parameter files have none: weights that differ are not a regression)."""
    from compare.api.views.diff_view import DiffReport
    from compare.jobs.diff import diff

    prepare_json_output(config.json_path, terminal)
    report = DiffReport(diff(config), config.old_path, config.new_path)
    write_json_output(config.json_path, report.json_text(), terminal)
    terminal.show(report.renderable())
    if config.fail_on_regression and report.regressions:
        return int(ExitCode.FAILED)
    return int(ExitCode.OK)
