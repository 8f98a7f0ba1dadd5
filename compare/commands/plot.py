"""`compare plot`: flags -> PlotConfig -> read a results file -> the pictures. Needs no mxnet and no model."""
import argparse

from compare.commands.flags import path_argument
from compare.config.plot import PlotConfig
from compare.errors import ExitCode
from compare.reporting.terminal import Terminal

NAME = "plot"
SUMMARY = "redraw the pictures from a saved results file"
DESCRIPTION = ("Redraw learning curves, throughput bars and the prediction grid from a `run --json` file "
               "(the grid from the predictions the run recorded, over the test images).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", type=path_argument, help="results JSON written by `compare run --json`")
    parser.add_argument("--out", type=path_argument, required=True, metavar="DIR", help="folder for the PNG files (required)")


def config_from_args(args: argparse.Namespace) -> PlotConfig:
    return PlotConfig(results_path=args.results, out_dir=args.out)


def execute(config: PlotConfig, terminal: Terminal) -> int:
    """Draw every picture the results file allows (the library's `plot`, as `compare.plot`); say why the grid
    is skipped when it is."""
    from compare.jobs.plot import plot

    for path in plot(config, lambda line: terminal.out.print(line, markup=False)):
        terminal.wrote(path)
    return int(ExitCode.OK)
