"""`compare run`: flags -> RunConfig -> the library trains every implementation -> files, then tables."""
import argparse
from typing import TYPE_CHECKING

from compare.commands.flags import (
    add_data_dir_flag,
    add_implementation_flags,
    add_init_flags,
    add_json_flag,
    add_kvstore_flag,
    add_learning_rate_flag,
    add_model_flag,
    add_optimizer_flags,
    add_precision_flag,
    add_sequence_flags,
    common_options,
    implementation_names_help,
    path_argument,
    recipe_help,
)
from compare.commands.mxnet_flags import add_settings_flags
from compare.commands.output import prepare_json_output, write_json_output
from compare.config.run import RunConfig
from compare.config.sequence_run import SequenceRunConfig
from compare.errors import ExitCode
from compare.reporting.terminal import Terminal

if TYPE_CHECKING:
    from compare.jobs.run import RunOutcome
    from compare.results.types import RunData

NAME = "run"
SUMMARY = "train every implementation and report side by side"
DESCRIPTION = ("Train every implementation from the same weights on the same batches and report shape traces, "
               "accuracy and throughput.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--epochs", type=int, default=None,
                        help=f"training epochs (default: the model's chapter recipe: {recipe_help('epochs')})")
    parser.add_argument("--batch-size", type=int, default=None,
                        help=f"examples per batch (default: the model's chapter recipe: {recipe_help('batch_size')})")
    add_learning_rate_flag(parser)
    add_model_flag(parser)
    add_init_flags(parser)
    add_implementation_flags(parser, implementation_names_help())
    add_optimizer_flags(parser, several=True)
    parser.add_argument("--seeds", default=None, metavar="LIST",
                        help="train once per seed, e.g. 0,1,2, and report means and 95%% intervals (default: --seed)")
    parser.add_argument("--repeats", type=int, default=None, metavar="N",
                        help="the same with seeds --seed .. --seed+N-1 (default: 1)")
    add_data_dir_flag(parser)
    parser.add_argument("--limit", type=int, default=None,
                        help="train on the first N training examples only (default: all: Fashion-MNIST's 60,000, the regressions' 1,000 or 20)")
    parser.add_argument("--target-accuracy", type=float, default=None, metavar="A",
                        help="report the training time until test accuracy first reaches A, e.g. 0.85 (default: off)")
    add_json_flag(parser, "the results")
    parser.add_argument("--save-params", type=path_argument, default=None, metavar="DIR",
                        help="save each implementation's final weights as DIR/<name>.params (default: none)")
    parser.add_argument("--plots", type=path_argument, default=None, metavar="DIR",
                        help="write learning-curve, throughput and prediction-grid PNGs to DIR (default: none)")
    parser.add_argument("--quiet", action="store_true", help="print only the final tables (default: off)")
    add_precision_flag(parser, several=True)
    add_settings_flags(parser)
    add_kvstore_flag(parser)
    add_sequence_flags(parser, prefixes=True)


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The validated RunConfig for parsed `run` flags, built as `compare.run` builds it; a UsageError names the
    first bad one."""
    from compare.api.options import config_for

    return config_for(NAME, args.model, args.impl, {  # type: ignore[return-value]
        "epochs": args.epochs, "batch_size": args.batch_size, "learning_rate": args.lr, "init": args.init,
        "weight_scale": args.weight_scale, "seeds": args.seeds, "repeats": args.repeats, "data_dir": args.data_dir,
        "limit": args.limit, "target_accuracy": args.target_accuracy, "save_params": args.save_params,
        "plots": args.plots, "kvstore": args.kvstore, "progress": False if args.quiet else None, "json": args.json,
        "sampling": args.sampling, "clip": args.clip, "text": args.text, "num_steps": args.num_steps,
        "num_hiddens": args.num_hiddens, "max_chars": args.max_chars, "prefixes": args.prefixes,
        "holdout": args.holdout,
        **common_options(args)})


def execute(config: "RunConfig | SequenceRunConfig", terminal: Terminal) -> int:
    """Train and write the files (the library's `run`, as `compare.run`), then print the report; 0 ok, 1
    diverged/failed, 4 a file failed, 130 interrupted. Under `compare launch` every worker trains its shard; rank 0
    alone prints and writes."""
    from compare.jobs.run import JobHooks, run
    from compare.reporting.progress import choose_listener

    if isinstance(config, SequenceRunConfig):
        from compare.commands.sequence_run import execute_sequence

        return execute_sequence(config, terminal)
    prepare_json_output(config.json_path, terminal)
    outcome = run(config, JobHooks(
        lambda reports: choose_listener(terminal.out, config.quiet or not reports), terminal.warning,
        lambda path, text: write_json_output(path, text, terminal), lambda done: _show(done, config, terminal)))
    if not outcome.reports:
        return _exit_code(outcome.result, [])
    if outcome.late_signal is not None:
        raise outcome.late_signal
    return _exit_code(outcome.result, outcome.file_errors)


def _show(outcome: "RunOutcome", config: RunConfig, terminal: Terminal) -> None:
    """The tables, the note of a tune file applied, then each file written and each that failed."""
    from compare.reporting.run_tables import run_report

    terminal.show(run_report(outcome.result, config.target_accuracy))
    if outcome.tuned is not None:
        from compare.reporting.tune_tables import tuned_note

        note = tuned_note(outcome.tuned, config.workload.mxnet.given.over(outcome.tuned.settings))
        terminal.out.print(note, style="yellow", markup=False, highlight=False)
    for path in outcome.written:
        terminal.wrote(path)
    for error in outcome.file_errors:
        terminal.error(f"error: {error}")


def _exit_code(run: "RunData", file_errors: list) -> int:
    if run.interrupted:
        return int(ExitCode.INTERRUPTED)
    if file_errors:
        return int(ExitCode.FILE)
    return int(ExitCode.FAILED if run.has_failures() else ExitCode.OK)
