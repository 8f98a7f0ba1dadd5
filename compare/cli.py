"""Command line: `build_parser()` and `main(argv) -> exit code`. Heavy modules load inside the commands.

Every CompareError becomes one line on stderr and its documented exit code (see `compare.errors`).
"""
import argparse
import sys
from pathlib import Path
from typing import NoReturn, Optional, Sequence

from rich.console import Console

from compare.config import RunConfig  # no mxnet behind it: --help stays instant
from compare.errors import CompareError, ExitCode

EXIT_CODES_HELP = (
    "exit codes: 0 ok; 1 a model diverged (run) or a check failed (check); 2 bad flags; "
    "3 data set missing or malformed; 4 results/parameter file unreadable or unwritable; 130 interrupted"
)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit code 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_command(commands: "argparse._SubParsersAction", name: str, summary: str,
                 description: str) -> argparse.ArgumentParser:
    """One subcommand, with the exit codes in its --help."""
    return commands.add_parser(name, help=summary, description=description, epilog=EXIT_CODES_HELP)


def _add_common_model_flags(parser: argparse.ArgumentParser, defaults: RunConfig) -> None:
    parser.add_argument("--impl", default="", metavar="NAMES",
                        help="comma-separated implementations, e.g. scratch,gluon-hybrid (default: all)")
    parser.add_argument("--ctx", default=defaults.context.device_type,
                        help=f"cpu, gpu, gpu:N or gpu(N) (default: {defaults.context.device_type})")
    parser.add_argument("--seed", type=int, default=defaults.seed,
                        help=f"seed for initial weights and batch order (default: {defaults.seed})")


def _add_run_parser(commands: "argparse._SubParsersAction", defaults: RunConfig) -> None:
    run = _add_command(commands, "run", "train every implementation and report side by side",
                       "Train every implementation from the same weights on the same batches and report "
                       "shape traces, accuracy and throughput.")
    run.add_argument("--epochs", type=int, default=defaults.epochs,
                     help=f"training epochs (default: {defaults.epochs})")
    run.add_argument("--batch-size", type=int, default=defaults.batch_size,
                     help=f"examples per batch (default: {defaults.batch_size})")
    run.add_argument("--lr", type=float, default=defaults.learning_rate,
                     help=f"SGD learning rate (default: {defaults.learning_rate})")
    run.add_argument("--init", choices=("normal", "xavier"), default=defaults.init,
                     help=f"weight initialisation (default: {defaults.init})")
    run.add_argument("--weight-scale", type=float, default=defaults.weight_scale,
                     help=f"standard deviation of the normal init (default: {defaults.weight_scale})")
    _add_common_model_flags(run, defaults)
    run.add_argument("--data-dir", type=Path, default=None,
                     help="folder with the four Fashion-MNIST IDX files, the only place looked at "
                          "(default: $MXNET_HOME/datasets/fashion-mnist, then /usr/share/datasets/fashion-mnist)")
    run.add_argument("--limit", type=int, default=None,
                     help="train on the first N training examples only (default: all 60,000)")
    run.add_argument("--target-accuracy", type=float, default=None, metavar="A",
                     help="report the training time until test accuracy first reaches A, e.g. 0.85 (default: off)")
    run.add_argument("--json", type=Path, default=None, metavar="PATH",
                     help="write results as JSON to PATH, atomically (default: none)")
    run.add_argument("--save-params", type=Path, default=None, metavar="DIR",
                     help="save each implementation's final weights as DIR/<name>.params (default: none)")
    run.add_argument("--plots", type=Path, default=None, metavar="DIR",
                     help="write learning-curve, throughput and prediction-grid PNGs to DIR (default: none)")
    run.add_argument("--quiet", action="store_true", help="print only the final tables (default: off)")


def _add_check_parser(commands: "argparse._SubParsersAction", defaults: RunConfig) -> None:
    check = _add_command(commands, "check", "prove the implementations compute the same numbers",
                         "Build every implementation from one seed and compare logits, loss, gradients and "
                         "weights after k SGD steps against scratch.")
    _add_common_model_flags(check, defaults)
    check.add_argument("--steps", type=int, default=10, help="SGD steps before comparing weights (default: 10)")
    check.add_argument("--batch-size", type=int, default=64, help="examples in the checked batch (default: 64)")
    check.add_argument("--lr", type=float, default=0.2, help="SGD learning rate (default: 0.2)")
    check.add_argument("--synthetic", action="store_true",
                       help="use random images instead of real Fashion-MNIST (default: real data)")
    check.add_argument("--data-dir", type=Path, default=None,
                       help="folder with the Fashion-MNIST files (default: searched as in run)")


def _add_bench_parser(commands: "argparse._SubParsersAction", defaults: RunConfig) -> None:
    bench = _add_command(commands, "bench", "steady-state training and inference samples/s",
                         "Time forward passes and training steps per implementation and batch size after "
                         "warm-up, engine-synced, the implementations taking turns.")
    _add_common_model_flags(bench, defaults)
    bench.add_argument("--batch-size", default="1,64,256", metavar="SIZES",
                       help="comma-separated batch sizes (default: 1,64,256)")
    bench.add_argument("--repeat", type=int, default=5, help="timed repeats per measurement (default: 5)")
    bench.add_argument("--json", type=Path, default=None, metavar="PATH",
                       help="write the measurements as JSON to PATH, atomically (default: none)")


def _add_plot_parser(commands: "argparse._SubParsersAction") -> None:
    plot = _add_command(commands, "plot", "redraw the pictures from a saved results file",
                        "Redraw learning curves and throughput bars from a `run --json` file, and the "
                        "prediction grid when its parameter files exist.")
    plot.add_argument("results", type=Path, help="results JSON written by `compare run --json`")
    plot.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for the PNG files")


def build_parser() -> argparse.ArgumentParser:
    """The parser for `python -m compare`."""
    parser = OneLineParser(prog="python -m compare",
                           description="Compare a raw-NDArray LeNet with Gluon (imperative and hybridized) "
                                       "on Fashion-MNIST under one seed.",
                           epilog=EXIT_CODES_HELP)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=OneLineParser)
    defaults = RunConfig()  # the one source of default values
    _add_run_parser(commands, defaults)
    _add_check_parser(commands, defaults)
    _add_bench_parser(commands, defaults)
    _add_plot_parser(commands)
    return parser


def main(argv: Optional[Sequence[str]] = None, console: Optional[Console] = None) -> int:
    """Run one command; return its exit code. Errors are one line on stderr, never a traceback."""
    args = build_parser().parse_args(argv)
    console = console or Console()
    errors = Console(stderr=True, highlight=False)
    try:
        if args.command == "run":
            from compare.run_command import run_command
            return run_command(args, console)
        if args.command == "check":
            from compare.check import check_command
            return check_command(args, console)
        if args.command == "bench":
            from compare.bench import bench_command
            return bench_command(args, console)
        from compare.plots import plot_command
        return plot_command(args, console)
    except CompareError as error:
        errors.print(f"error: {error}", markup=False, soft_wrap=True)
        return int(error.exit_code)
    except KeyboardInterrupt:
        errors.print("interrupted", markup=False)
        return int(ExitCode.INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
