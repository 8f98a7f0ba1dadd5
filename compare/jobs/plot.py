"""`plot` as a library call: a saved run's pictures drawn again from its results file (the prediction grid from
the predictions the run recorded, over the test images). Needs no mxnet and no model; prints nothing."""
from pathlib import Path
from typing import Callable

from compare.config.plot import PlotConfig


def plot(config: PlotConfig, note: Callable[[str], None]) -> list[Path]:
    """`compare plot` and `compare.plot`: every picture the results file allows, as the files written; `note` is
    told, in one line, why the prediction grid is skipped when it is."""
    from compare.data.dataset import load_split
    from compare.errors import DatasetError
    from compare.files import check_output_path
    from compare.reporting.plots import draw_run_plots, recorded_predictions
    from compare.results.json_read import read_run
    from compare.results.types import classifies

    check_output_path("--out", config.out_dir, want_dir=True)
    run = read_run(config.results_path)
    test = None
    if not recorded_predictions(run):
        if classifies(run.recipe):  # a regression has no classes to predict, nor a grid to skip
            note("prediction grid skipped: the results file records no predictions")
    else:
        source = run.data.get("source")
        try:
            folder = Path(source) if isinstance(source, str) and Path(source).is_dir() else None
            test = load_split("test", folder, download=None)  # never a 30 s download attempt just to draw
        except DatasetError as error:
            note(f"prediction grid skipped: {error}")
    return draw_run_plots(run, config.out_dir, test)
