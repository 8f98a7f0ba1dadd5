"""`compare plot`: flags -> PlotConfig -> read a results file -> the pictures. Needs no mxnet and no model."""
import argparse
from pathlib import Path

from compare.commands.flags import path_argument
from compare.config.plot import PlotConfig
from compare.errors import ExitCode
from compare.files import check_output_path
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
    """Draw every picture the results file allows; say why the grid is skipped when it is."""
    from compare.data.dataset import load_split
    from compare.errors import DatasetError
    from compare.reporting.plots import draw_run_plots, recorded_predictions
    from compare.results.json_io import read_run
    from compare.results.types import classifies

    check_output_path("--out", config.out_dir, want_dir=True)
    run = read_run(config.results_path)
    test = None
    if not recorded_predictions(run):
        if classifies(run.recipe):  # a regression has no classes to predict, nor a grid to skip
            terminal.out.print("prediction grid skipped: the results file records no predictions", markup=False)
    else:
        source = run.data.get("source")
        try:
            folder = Path(source) if isinstance(source, str) and Path(source).is_dir() else None
            test = load_split("test", folder, download=None)  # never a 30 s download attempt just to draw
        except DatasetError as error:
            terminal.out.print(f"prediction grid skipped: {error}", markup=False)
    for path in draw_run_plots(run, config.out_dir, test):
        terminal.wrote(path)
    return int(ExitCode.OK)
