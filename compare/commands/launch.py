"""`compare launch`: flags -> LaunchConfig -> scheduler, servers and workers on 127.0.0.1 -> rank 0's exit code.

The inner command's flags are checked here first, so bad input is one line before any process starts.
"""
import argparse
import contextlib
import io

from compare.config.launch import LAUNCHABLE, LaunchConfig
from compare.config.options import given
from compare.errors import UsageError
from compare.reporting.terminal import Terminal

NAME = "launch"
SUMMARY = "run `run`, `check` or `bench` data parallel over N worker processes (MXNet's dist_sync KVStore)"
DESCRIPTION = ("Start MXNet's scheduler, parameter servers and N workers on this machine (127.0.0.1 only), each "
               "worker running `python -m compare COMMAND ...` with --kvstore dist_sync; rank 0 prints the tables "
               "and writes the files. A worker that dies or never connects stops the whole launch. Example: "
               "python -m compare launch --workers 2 -- run --epochs 1 --limit 4096")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=None,
                        help=f"worker processes (default: {LaunchConfig.workers})")
    parser.add_argument("--servers", type=int, default=None,
                        help=f"parameter-server processes (default: {LaunchConfig.servers})")
    parser.add_argument("--port", type=int, default=None,
                        help="the scheduler's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--connect-timeout", type=float, default=None, metavar="SECONDS",
                        help=f"every worker must connect within this (default: {LaunchConfig.connect_timeout:g})")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="stop everything if the launch runs longer (default: no limit)")
    parser.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND ...",
                        help=f"what each worker runs: {', '.join(LAUNCHABLE)} and its flags")


def check_inner_command(command: tuple[str, ...], workers: int) -> None:
    """Parse and validate the workers' command here, once, so its bad input never reaches a process: its
    flags, and its implementations (each built once and checked, as data parallel ones)."""
    from compare.commands import bench, check, run
    from compare.commands.parsing import command_parser
    from compare.jobs.launch import check_launchable

    message = io.StringIO()
    try:
        with contextlib.redirect_stderr(message):
            inner = command_parser((run, check, bench)).parse_args(list(command))
    except SystemExit as exit_:  # argparse's one line, said once, as ours (or --help, already printed)
        if not exit_.code:
            raise
        reason = message.getvalue().strip().split(": error: ", 1)[-1]
        raise UsageError(f"launched command `{' '.join(command)}`: {reason}") from exit_
    check_launchable(inner.command_module.config_from_args(inner), workers)


def config_from_args(args: argparse.Namespace) -> LaunchConfig:
    command = tuple(args.command[1:] if args.command[:1] == ["--"] else args.command)
    config = LaunchConfig(command, **given(workers=args.workers, servers=args.servers, port=args.port,  # type: ignore[arg-type]
                                           connect_timeout=args.connect_timeout, timeout=args.timeout))
    check_inner_command(config.command, config.workers)
    return config


def execute(config: LaunchConfig, terminal: Terminal) -> int:
    """Start every process of the plan (the library's), wait for the workers; the exit code is rank 0's (5 if a
    process failed)."""
    from compare.jobs.launch import launch_plan, run_plan

    plan = launch_plan(config)
    terminal.shown = True  # from here on, worker 0 shows and writes what it measured, whatever stops it
    return run_plan(plan)
