"""`compare bench`: flags -> BenchConfig -> steady-state samples/s -> JSON, then the table."""
import argparse

from compare.commands.flags import (
    add_implementation_flags,
    add_json_flag,
    add_kvstore_flag,
    add_model_flag,
    add_optimizer_flags,
    add_precision_flag,
    add_sequence_flags,
    common_options,
    implementation_names_help,
)
from compare.commands.mxnet_flags import add_settings_flags
from compare.commands.output import prepare_json_output, verdict_code, write_json_output
from compare.config.bench import DEFAULT_BENCH_SIZES, BenchConfig
from compare.config.sequence_bench import SequenceBenchConfig
from compare.errors import ExitCode
from compare.reporting.terminal import Terminal

NAME = "bench"
SUMMARY = "steady-state training and inference samples/s"
DESCRIPTION = ("Time forward passes and training steps per implementation and batch size after warm-up, "
               "engine-synced, the implementations taking turns. With a --ctx list (or under launch), also time "
               "them data parallel and report the scaling efficiency against one device.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_implementation_flags(parser, implementation_names_help())
    add_optimizer_flags(parser)
    add_model_flag(parser)
    sizes = ",".join(map(str, DEFAULT_BENCH_SIZES))
    parser.add_argument("--batch-size", default=None, metavar="SIZES",
                        help=f"comma-separated batch sizes (default: {sizes}, without those smaller than the number "
                             "of devices when data parallel; a language model: one size, the chapters' 32)")
    parser.add_argument("--repeat", type=int, default=None,
                        help=f"timed repeats per measurement (default: {BenchConfig.repeat})")
    add_json_flag(parser, "the measurements")
    add_precision_flag(parser, several=True)
    add_settings_flags(parser)
    add_kvstore_flag(parser)
    add_sequence_flags(parser, prefixes=False, training=False)


def config_from_args(args: argparse.Namespace) -> BenchConfig:
    """The validated BenchConfig for parsed `bench` flags, built as `compare.bench` builds it."""
    from compare.api.options import config_for

    return config_for(NAME, args.model, args.impl, {  # type: ignore[return-value]
        "batch_size": args.batch_size, "repeat": args.repeat, "kvstore": args.kvstore, "json": args.json,
        "text": args.text, "max_chars": args.max_chars, "num_steps": args.num_steps, "num_hiddens": args.num_hiddens,
        **common_options(args)})


def execute(config: "BenchConfig | SequenceBenchConfig", terminal: Terminal) -> int:
    """Measure (the library's `bench`); write the JSON, then print the header and table."""
    if isinstance(config, SequenceBenchConfig):
        from compare.commands.sequence_bench import execute_sequence_bench

        return execute_sequence_bench(config, terminal)
    from compare.jobs.bench import bench
    from compare.reporting.bench_tables import bench_tables
    from compare.reporting.environment import environment_panel
    from compare.results.json_io import bench_to_json
    from compare.signals import deferred_signals

    prepare_json_output(config.json_path, terminal)
    outcome = bench(config, terminal.warning)
    result = outcome.result
    if not outcome.reports:
        return verdict_code(bool(result.failures))
    if result.interrupted and not result.rows:  # nothing measured: no empty tables, no file saying nothing
        return int(ExitCode.INTERRUPTED)
    with deferred_signals():  # what was measured is written and shown whatever signal comes
        written = write_json_output(config.json_path, bench_to_json(result), terminal)
        terminal.show(environment_panel(result.environment, result.settings))
        terminal.show(bench_tables(result))
        if written:
            terminal.wrote(written)
    for name, reason in result.failures.items():
        terminal.out.print(f"{name}: failed ({reason}) and was measured no further; -v shows the traceback",
                           markup=False, highlight=False)
    if result.interrupted:
        return int(ExitCode.INTERRUPTED)
    return verdict_code(bool(result.failures))
