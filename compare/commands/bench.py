"""`compare bench`: flags -> BenchConfig -> steady-state samples/s -> JSON, then the table."""
import argparse

from compare.commands.common import (add_threads_flag, Terminal, add_implementation_flags, add_json_flag, implementation_names_help,
                                     json_goes_to_stdout)
from compare.config import BenchConfig, parse_batch_sizes, parse_implementation_list
from compare.contexts import parse_context
from compare.errors import ExitCode
from compare.files import check_output_path, write_text_atomically

NAME = "bench"
SUMMARY = "steady-state training and inference samples/s"
DESCRIPTION = ("Time forward passes and training steps per implementation and batch size after warm-up, "
               "engine-synced, the implementations taking turns.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = BenchConfig()
    add_implementation_flags(parser, defaults.seed, implementation_names_help())
    sizes = ",".join(map(str, defaults.batch_sizes))
    parser.add_argument("--batch-size", default=sizes, metavar="SIZES",
                        help=f"comma-separated batch sizes (default: {sizes})")
    parser.add_argument("--repeat", type=int, default=defaults.repeat,
                        help=f"timed repeats per measurement (default: {defaults.repeat})")
    add_json_flag(parser, "the measurements")
    add_threads_flag(parser)


def config_from_args(args: argparse.Namespace) -> BenchConfig:
    return BenchConfig(implementations=parse_implementation_list(args.impl), context=parse_context(args.ctx),
                       seed=args.seed, batch_sizes=parse_batch_sizes(args.batch_size), repeat=args.repeat,
                       json_path=args.json, threads=args.threads)


def execute(config: BenchConfig, terminal: Terminal) -> int:
    """Measure every implementation x batch size; write the JSON, then print the header and table."""
    from compare.threads import apply_thread_count

    apply_thread_count(config.threads)  # before anything below loads mxnet
    from compare.bench import run_bench
    from compare.contexts import resolve_context
    from compare.environment import capture_environment
    from compare.reports import environment_panel
    from compare.reports_bench import bench_tables
    from compare.results_json import bench_to_json
    from compare.selection import select_implementations
    from implementations.protocol import LeNetSpec

    to_stdout = json_goes_to_stdout(config.json_path)
    if config.json_path is not None and not to_stdout:
        check_output_path("--json", config.json_path, want_dir=False)
    terminal.tables_to_stderr = to_stdout
    ctx = resolve_context(config.context)
    implementations = select_implementations(config.implementations, LeNetSpec(), ctx)
    result = run_bench(config, implementations, ctx, capture_environment(str(ctx)))
    if to_stdout:
        terminal.write_stdout(bench_to_json(result))
    elif config.json_path is not None:
        write_text_atomically(config.json_path, bench_to_json(result))
    terminal.show(environment_panel(result.environment, result.settings))
    terminal.show(bench_tables(result))
    return int(ExitCode.OK)
