"""Command line: `build_parser()` and `main(argv) -> exit code`. Heavy modules load inside the commands.

Every command is built the same way (see `compare.commands`). Every CompareError becomes one line on
stderr and its documented exit code; SIGTERM is treated like Ctrl-C.
"""
import argparse
import logging
import os
import signal
import sys
from typing import Mapping, Optional, Sequence

from rich.console import Console

from compare.commands import bench, check, diff, launch, models, plot, profile, run, tune
from compare.commands.parsing import command_parser
from compare.devices.launch_markers import launched, report_finished
from compare.errors import CompareError, ExitCode, UsageError, one_line
from compare.reporting.terminal import Terminal
from compare.signals import NAMES, Interrupt, signals_as_interrupts

COMMANDS = (run, check, bench, profile, tune, diff, plot, launch, models)


def build_parser() -> argparse.ArgumentParser:
    """The parser for `python -m compare`: one subparser per command module."""
    return command_parser(COMMANDS)


def main(argv: Optional[Sequence[str]] = None, console: Optional[Console] = None) -> int:
    """Run one command; return its exit code. Errors are one line on stderr, never a traceback."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
    terminal = Terminal.on(console) if console is not None else Terminal.for_process()
    try:
        code = run_command(args, terminal)
    finally:
        terminal.restore_stdout()
    report_finished()  # under `compare launch`: this worker ended by itself, not by a crash
    return code


def check_dmlc_role(environ: Mapping[str, str]) -> None:
    """mxnet becomes a parameter server or scheduler on import when DMLC_ROLE says so (or is empty)."""
    role = environ.get("DMLC_ROLE")
    if role is not None and role != "worker":
        raise UsageError(f"DMLC_ROLE={role!r} is set: importing mxnet would turn this process into a parameter "
                         "server or scheduler; unset it (compare launch sets it for the processes it starts)")


def run_command(args: argparse.Namespace, terminal: Terminal) -> int:
    """The command's exit code; every expected failure is one line on stderr."""
    with signals_as_interrupts() as signals:
        try:
            check_dmlc_role(os.environ)
            code = args.command_module.execute(args.command_module.config_from_args(args), terminal)
        except CompareError as error:
            terminal.error(f"error: {error}")
            return int(error.exit_code)
        except Interrupt as interrupt:  # outside the training loop, which handles its own
            signals.received, code = interrupt.signum, int(ExitCode.INTERRUPTED)
        except KeyboardInterrupt:  # Ctrl-C where our handler could not be installed (not the main thread)
            code = int(ExitCode.INTERRUPTED)
        except ImportError as error:  # mxnet (or a package it needs) cannot be loaded: an install problem
            terminal.error(f"error: {one_line(error).split(': ', 1)[-1]}")
            return int(ExitCode.USAGE)
        except MemoryError as error:
            terminal.error(f"error: out of memory ({one_line(error)}); try a smaller --batch-size")
            return int(ExitCode.USAGE)
    if code == ExitCode.INTERRUPTED:
        terminated = signals.received == signal.SIGTERM
        if not launched(os.environ):  # under `compare launch` the launcher says it, once
            kept = "what was measured before it is in the tables and files" if terminal.shown else \
                "before anything was measured to keep"
            terminal.error(f"interrupted ({NAMES[signal.SIGTERM] if terminated else 'Ctrl-C'}): {kept}")
        code = int(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED)
    failure = terminal.output_failure()
    if failure is not None:
        terminal.error(f"error: cannot write to stdout ({failure}); files were written first")
        return int(ExitCode.FILE)
    return code


if __name__ == "__main__":
    sys.exit(main())
