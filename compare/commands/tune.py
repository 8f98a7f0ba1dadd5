"""`compare tune`: flags -> TuneConfig -> every candidate's fresh bench process, interleaved -> JSON, tables."""
import argparse

from compare.commands.flags import (
    add_implementation_flags,
    add_json_flag,
    add_model_flag,
    common_options,
    implementation_names_help,
)
from compare.config.tune import TuneConfig
from compare.reporting.terminal import Terminal

NAME = "tune"
SUMMARY = "find MXNet's fastest load-time settings for this machine, measured"
DESCRIPTION = ("Measure the training step and the forward pass under candidate MXNet settings — OpenMP threads, "
               "threaded or synchronous (naive) engine, thread binding, then engine workers and Gluon's update "
               "aggregation — each candidate in a fresh process (MXNet reads them once, at load), in interleaved "
               "rounds with MXNet's defaults in every round. Prints every candidate's speed-up over the defaults "
               "with its interval and the fastest for training and for inference; `run`, `bench`, `check` and "
               "`profile --tuned FILE` apply the fastest for training.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_implementation_flags(parser, implementation_names_help())
    add_model_flag(parser)
    parser.add_argument("--batch-size", type=int, default=None,
                        help=f"the batch size measured (default: {TuneConfig.batch_size})")
    parser.add_argument("--rounds", type=int, default=None,
                        help=f"rounds per stage; every candidate runs once per round (default: {TuneConfig.rounds})")
    parser.add_argument("--repeat", type=int, default=None,
                        help=f"timed repeats inside each candidate's process (default: {TuneConfig.repeat})")
    add_json_flag(parser, "every measurement and the fastest settings (for --tuned)")


def config_from_args(args: argparse.Namespace) -> TuneConfig:
    """The validated TuneConfig for parsed `tune` flags (the same options path as the Python API's)."""
    from compare.api.options import config_for

    return config_for(NAME, args.model, args.impl, {  # type: ignore[return-value]
        "batch_size": args.batch_size, "rounds": args.rounds, "repeat": args.repeat, "json": args.json,
        **common_options(args, settings=False)})


def execute(config: TuneConfig, terminal: Terminal) -> int:
    """Measure every candidate (the library's `tune`, as `compare.tune`); write the JSON, then print the tables.
    An interrupted tune still reports and writes what it measured, and exits 130/143."""
    from compare.commands.output import prepare_json_output, write_json_output
    from compare.errors import ExitCode
    from compare.jobs.tune import tune
    from compare.reporting.tune_tables import tune_report
    from compare.results.tune_io import tune_to_json
    from compare.signals import deferred_signals

    prepare_json_output(config.json_path, terminal)

    def progress(measurement) -> None:
        state = f"failed: {measurement.failure}" if measurement.failure else "measured"
        terminal.err.print(f"round {measurement.round + 1}: {measurement.settings.label()} {state}",
                           markup=False, highlight=False)

    result = tune(config, progress)
    with deferred_signals():  # a second signal waits until the file and the tables are out
        write_json_output(config.json_path, tune_to_json(result), terminal)
        terminal.show(tune_report(result))
    if result.interrupted:
        return result.stop_code
    failed = result.failures() or result.settings.get("failed_implementations")  # a candidate, or an implementation
    return int(ExitCode.FAILED) if failed else int(ExitCode.OK)
