"""Command line: `build_parser()` and `main(argv) -> exit code`. Heavy modules load inside the commands.

Every command is built the same way (see `compare.commands`). Every CompareError becomes one line on
stderr and its documented exit code; SIGTERM is treated like Ctrl-C.
"""
import argparse
import logging
import signal
import sys
import threading
from typing import NoReturn, Optional, Sequence

from rich.console import Console

from compare.commands import COMMANDS
from compare.commands.common import Terminal
from compare.errors import CompareError, ExitCode, one_line

EXIT_CODES_HELP = (
    "exit codes: 0 ok; 1 a model diverged or failed (run) or a check failed (check); 2 bad flags; "
    "3 data set missing or malformed; 4 results/parameter file or stdout unwritable; "
    "130 interrupted (Ctrl-C); 143 terminated (SIGTERM)"
)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser for `python -m compare`: one subparser per module in `compare.commands`."""
    parser = OneLineParser(prog="python -m compare",
                           description="Compare a raw-NDArray LeNet with Gluon (imperative and hybridized) "
                                       "on Fashion-MNIST under one seed.",
                           epilog=EXIT_CODES_HELP)
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log diagnostics, with the traceback of a failing implementation (default: off)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=OneLineParser)
    for command in COMMANDS:
        subparser = commands.add_parser(command.NAME, help=command.SUMMARY, description=command.DESCRIPTION,
                                        epilog=EXIT_CODES_HELP)
        command.add_arguments(subparser)
        subparser.set_defaults(command_module=command)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be so the same code saves what was measured."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def _run_command(args: argparse.Namespace, terminal: Terminal) -> tuple[int, bool]:
    """(exit code, whether SIGTERM arrived), with SIGTERM handled like Ctrl-C while the command runs."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if in_main_thread else None
    terminated = False
    try:
        config = args.command_module.config_from_args(args)
        code = args.command_module.execute(config, terminal)
    except Terminated:
        terminated, code = True, int(ExitCode.INTERRUPTED)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    return code, terminated


def main(argv: Optional[Sequence[str]] = None, console: Optional[Console] = None) -> int:
    """Run one command; return its exit code. Errors are one line on stderr, never a traceback."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
    process = Terminal.for_process()
    terminal = Terminal(console, process.err) if console is not None else process
    try:
        code, terminated = _run_command(args, terminal)
    except CompareError as error:
        terminal.err.print(f"error: {error}", markup=False, soft_wrap=True)
        return int(error.exit_code)
    except KeyboardInterrupt:
        code, terminated = int(ExitCode.INTERRUPTED), False  # before or after the command's own handling
    except MemoryError as error:
        terminal.err.print(f"error: out of memory ({one_line(error)}); try a smaller --batch-size", markup=False)
        return int(ExitCode.USAGE)
    if code == ExitCode.INTERRUPTED:
        signal_name = "SIGTERM" if terminated else "Ctrl-C"
        terminal.err.print(f"interrupted ({signal_name}): what was measured before it is in the tables and files",
                           markup=False, soft_wrap=True)
        code = int(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED)
    failure = terminal.output_failure()
    if failure is not None:
        terminal.err.print(f"error: cannot write to stdout ({failure}); files were written first", markup=False)
        return int(ExitCode.FILE)
    return code


if __name__ == "__main__":
    sys.exit(main())
