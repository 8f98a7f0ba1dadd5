"""`compare plot`'s configuration: a saved run's results file and where its pictures go. No mxnet."""
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PlotConfig:
    """`compare plot`: redraw the pictures of a saved run."""

    results_path: Path
    out_dir: Path
