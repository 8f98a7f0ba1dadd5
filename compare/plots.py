"""Pictures (matplotlib, Agg): learning curves, throughput bars, and the tutorial's prediction grid.

Views of a RunResult only: the grid uses the predictions the run recorded, so drawing needs no model,
no parameter file and no mxnet — just the test images, for the picture itself.
"""
from pathlib import Path
from typing import Optional

import numpy as np
from matplotlib.figure import Figure  # the object API renders with Agg; no pyplot state, no display

from compare.dataset import CLASS_NAMES, ArraySplit
from compare.files import write_atomically
from compare.results import PREDICTION_SAMPLES, RunResult, Status

GRID_COLUMNS = 6


def _label(name: str, status: Status) -> str:
    return name if status == Status.OK else f"{name} ({status.value})"


def _save(figure: Figure, path: Path) -> Path:
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=110))
    return path


def learning_curves(run: RunResult, path: Path) -> Path:
    """Test accuracy and training loss per epoch, one line per implementation; stopped ones end early."""
    figure = Figure(figsize=(11, 4.2), layout="constrained")
    accuracy_axes, loss_axes = figure.subplots(1, 2)
    styles = ["-", "--", ":", "-."]
    for index, (name, result) in enumerate(run.results.items()):
        epochs = [e.epoch for e in result.epochs]
        label = _label(name, result.status)
        accuracy_axes.plot(epochs, [100 * e.test_accuracy for e in result.epochs], styles[index % 4],
                           marker="o", label=label, linewidth=2)
        loss_axes.plot(epochs, [e.train_loss for e in result.epochs], styles[index % 4], marker="o",
                       label=label, linewidth=2)
        if result.status != Status.OK and epochs:
            accuracy_axes.annotate(result.status.value, (epochs[-1], 100 * result.epochs[-1].test_accuracy),
                                   textcoords="offset points", xytext=(5, -12), color="red")
    accuracy_axes.set(title="Test accuracy", xlabel="epoch", ylabel="accuracy (%)")
    loss_axes.set(title="Training loss (mean per example)", xlabel="epoch", ylabel="loss")
    for axes in (accuracy_axes, loss_axes):
        axes.grid(alpha=0.3)
        axes.legend()
        axes.xaxis.get_major_locator().set_params(integer=True)
    figure.suptitle("Same seed, same weights, same batches: the lines should lie on top of each other")
    return _save(figure, path)


def throughput_bars(run: RunResult, path: Path) -> Path:
    """Training and evaluation samples/s per implementation, as grouped bars."""
    names = list(run.results)
    train = [run.results[n].train_samples_per_second() or 0.0 for n in names]
    evaluation = [run.results[n].eval_samples_per_second() or 0.0 for n in names]
    positions = np.arange(len(names))
    figure = Figure(figsize=(8, 4.2), layout="constrained")
    axes = figure.subplots()
    for offset, values, label in ((-0.2, train, "training"), (0.2, evaluation, "evaluation")):
        bars = axes.bar(positions + offset, values, width=0.4, label=label)
        axes.bar_label(bars, fmt="%.0f", fontsize=8)
    axes.set_xticks(positions, [_label(n, run.results[n].status) for n in names])
    axes.set(ylabel="samples / s", title=f"Throughput on {run.environment.get('context', '?')} (engine-synced)")
    axes.legend()
    axes.grid(axis="y", alpha=0.3)
    return _save(figure, path)


def prediction_grid(images: np.ndarray, labels: np.ndarray, predictions: dict[str, list[int]], path: Path) -> Path:
    """The first test images, titled with the true class and each implementation's prediction (wrong: red)."""
    count = min(PREDICTION_SAMPLES, len(labels), *(len(p) for p in predictions.values()))
    rows = -(-count // GRID_COLUMNS)
    figure = Figure(figsize=(2.4 * GRID_COLUMNS, 3.1 * rows), layout="constrained")
    axes_grid = figure.subplots(rows, GRID_COLUMNS, squeeze=False)
    for index, axes in enumerate(axes_grid.flat):
        axes.axis("off")
        if index >= count:
            continue
        axes.imshow(images[index, 0], cmap="gray_r")
        lines = [f"true: {CLASS_NAMES[labels[index]]}"]
        wrong = False
        for name, predicted in predictions.items():
            mark = "" if predicted[index] == labels[index] else " ✗"
            wrong = wrong or bool(mark)
            lines.append(f"{name}: {CLASS_NAMES[predicted[index]]}{mark}")
        axes.set_title("\n".join(lines), fontsize=7, color="red" if wrong else "black")
    figure.suptitle("First test images: true class and every implementation's prediction (✗ = wrong)")
    return _save(figure, path)


def recorded_predictions(run: RunResult) -> dict[str, list[int]]:
    """The predictions `run` recorded for the first test images, by implementation."""
    return {name: result.sample_predictions for name, result in run.results.items() if result.sample_predictions}


def draw_run_plots(run: RunResult, directory: Path, test: Optional[ArraySplit] = None) -> list[Path]:
    """Curves and bars of a run into `directory`, and the grid when test images and recorded predictions exist."""
    directory = Path(directory)
    paths = [learning_curves(run, directory / "learning_curves.png"),
             throughput_bars(run, directory / "throughput.png")]
    predictions = recorded_predictions(run)
    if test is not None and predictions:
        paths.append(prediction_grid(test.images, test.labels, predictions, directory / "predictions.png"))
    return paths
