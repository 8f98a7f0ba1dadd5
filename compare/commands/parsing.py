"""The argument parser of `python -m compare`, built from a list of command modules; usage errors are one line."""
import argparse
from types import ModuleType
from typing import NoReturn, Sequence

from compare.errors import ExitCode

EXIT_CODES_HELP = (
    "exit codes: 0 ok; 1 bad verdict (run: a model diverged or failed; check: a difference or a failure; bench, "
    "profile: an implementation failed; diff --fail-on-regression: a regression); 2 bad flags or implementation, "
    "or mxnet cannot be loaded; 3 data set missing or malformed; 4 results/parameter file unreadable, unwritable "
    "or of the wrong kind, or stdout unwritable; 5 launch: a process died, never connected or ran past --timeout; "
    "130 interrupted (Ctrl-C); 143 terminated (SIGTERM)"
)
DESCRIPTION = ("Compare the MXNet/Gluon tutorial's from-scratch networks (LeNet, softmax regression, MLP, dropout, "
               "batch norm) with Gluon, imperative and hybridized, on Fashion-MNIST under one seed.")


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def command_parser(commands: Sequence[ModuleType]) -> argparse.ArgumentParser:
    """`python -m compare [-v] COMMAND ...` with one subparser per module in `commands`."""
    parser = OneLineParser(prog="python -m compare", description=DESCRIPTION, epilog=EXIT_CODES_HELP)
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log diagnostics, with the traceback of a failing implementation (default: off)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=OneLineParser)
    for command in commands:
        subparser = subparsers.add_parser(command.NAME, help=command.SUMMARY, description=command.DESCRIPTION,
                                          epilog=EXIT_CODES_HELP)
        command.add_arguments(subparser)
        subparser.set_defaults(command_module=command)
    return parser
