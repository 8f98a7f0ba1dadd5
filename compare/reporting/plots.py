"""Pictures (matplotlib, Agg): learning curves, throughput bars, and the tutorial's prediction grid.

Views of a RunData only: the grid uses the predictions the run recorded, so drawing needs no model,
no parameter file and no mxnet — just the test images, for the picture itself.
"""
from pathlib import Path
from typing import Optional

import numpy as np
from matplotlib.figure import Figure  # the object API renders with Agg; no pyplot state, no display
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from compare.config.run import LEARNING_CURVES, PREDICTIONS, THROUGHPUT
from compare.data.dataset import CLASS_NAMES, ArraySplit
from compare.files import write_atomically
from compare.measuring.precision import FLOAT32
from compare.reporting.metric_tables import split_name
from compare.results.measures import ProfileResult
from compare.results.types import PREDICTION_SAMPLES, RunData, Status, classifies

GRID_COLUMNS = 6


def literal(text: str) -> str:
    """User text as matplotlib shows it literally: `$` would start mathtext ('$x^^$' draws nothing at all)."""
    return text.replace("$", r"\$")


def _label(name: str, status: Status) -> str:
    return literal(name) if status == Status.OK else f"{literal(name)} ({status.value})"


def _seeds_label(name: str, results: list) -> str:
    """'tutorial (diverged in 2 of 8 seeds)' where some seeds did not end well; with one seed, its status."""
    if len(results) == 1:
        return _label(name, results[0].status)
    stopped = [r.status.value for r in results if r.status != Status.OK]
    if not stopped:
        return literal(name)
    return f"{literal(name)} ({'/'.join(dict.fromkeys(stopped))} in {len(stopped)} of {len(results)} seeds)"


def _save(figure: Figure, path: Path) -> Path:
    write_atomically(path, lambda temporary: figure.savefig(temporary, format="png", dpi=110))
    return path


def _per_epoch(results: list, read) -> tuple[list[int], list[float], list[float], list[float]]:
    """Epochs any seed reached, with the mean, min and max of `read(epoch)` across the seeds that reached it
    (a seed that stopped early leaves the later epochs to the others)."""
    depth = max((len(r.epochs) for r in results), default=0)
    columns = [[read(r.epochs[i]) for r in results if len(r.epochs) > i] for i in range(depth)]
    return (list(range(1, depth + 1)), [sum(c) / len(c) for c in columns], [min(c) for c in columns],
            [max(c) for c in columns])


def learning_curves(run: RunData, path: Path) -> Path:
    """The learning curves (`learning_curves_figure`) as a PNG at `path`."""
    return _save(learning_curves_figure(run), path)


def _line_style(name: str, names: list[str]) -> dict:
    """One style per implementation; with several optimizers (`scratch@adam`) one colour per optimizer too."""
    styles = ["-", "--", ":", "-."]
    implementations = list(dict.fromkeys(split_name(n)[0] for n in names))
    optimizers = list(dict.fromkeys(split_name(n)[1] for n in names))
    implementation, optimizer = split_name(name)
    style = {"linestyle": styles[implementations.index(implementation) % 4]}
    if len(optimizers) > 1:
        style["color"] = f"C{optimizers.index(optimizer) % 10}"
    else:
        style["linestyle"] = styles[names.index(name) % 4]
    return style


def _legend_entries(names: list[str]) -> list[tuple[str, str, bool]]:
    """(a name with that style, its label, whether it stands for a colour): each optimizer once, then each
    implementation once (drawn black)."""
    optimizers: dict[str, str] = {}
    implementations: dict[str, str] = {}
    for name in names:
        implementation, optimizer = split_name(name)
        optimizers.setdefault(optimizer, name)
        implementations.setdefault(implementation, name)
    return ([(name, optimizer or FLOAT32, True) for optimizer, name in optimizers.items()] +  # '': float32 beside bf16
            [(name, implementation, False) for implementation, name in implementations.items()])


def learning_curves_figure(run: RunData) -> Figure:
    """Test accuracy (a regression: test loss) and training loss per epoch, one line per implementation (the mean
    over seeds, with a min–max band when there are several); stopped ones end early. With several optimizers each
    has its colour and each implementation its line style (the optimization chapters' picture)."""
    figure = Figure(figsize=(11, 4.2), layout="constrained")
    test_axes, loss_axes = figure.subplots(1, 2)
    seeds, names = len(run.runs), run.names()
    accuracy = classifies(run.recipe)
    test_value = (lambda e: 100 * e.test_accuracy) if accuracy else (lambda e: e.test_loss)
    for name in names:
        results = run.across_seeds(name)
        label = _seeds_label(name, results)
        for axes, read in ((test_axes, test_value), (loss_axes, lambda e: e.train_loss)):
            epochs, mean, low, high = _per_epoch(results, read)
            line = axes.plot(epochs, mean, marker="o", label=label, linewidth=2, **_line_style(name, names))[0]
            if seeds > 1 and epochs:
                axes.fill_between(epochs, low, high, color=line.get_color(), alpha=0.15, linewidth=0)
        first = run.results[name]
        if first.status != Status.OK and first.epochs:
            test_axes.annotate(first.status.value, (len(first.epochs), test_value(first.epochs[-1])),
                               textcoords="offset points", xytext=(5, -12), color="red")
    across = f" (mean of {seeds} seeds, band: min–max)" if seeds > 1 else ""
    if accuracy:
        test_axes.set(title=f"Test accuracy{across}", xlabel="epoch", ylabel="accuracy (%)")
    else:  # a regression: losses over orders of magnitude (weight decay's overfitting is a factor of thousands)
        test_axes.set(title=f"Test loss{across}", xlabel="epoch", ylabel="loss, mean per example", yscale="log")
        loss_axes.set(yscale="log")
    loss_axes.set(title=f"Training loss{across}", xlabel="epoch", ylabel="loss, mean per example")
    several = len({split_name(name)[1] for name in names}) > 1
    depth = max((len(r.epochs) for name in names for r in run.across_seeds(name)), default=0)
    for axes in (test_axes, loss_axes):
        axes.grid(alpha=0.3)
        if not several:
            _legend_or_note(axes)
        _readable_axes(axes, depth)
    if several:  # one entry per optimizer (its colour) and per implementation (its line style), beside the plots
        handles = [Line2D([], [], **{**_line_style(name, names), **({} if colour else {"color": "black"})},
                          label=literal(label), marker="o" if colour else None)
                   for name, label, colour in _legend_entries(names)]
        figure.legend(handles=handles, loc="outside right center", fontsize="small")
    figure.suptitle("Same seed, same weights, same batches: the lines should lie on top of each other")
    return figure


def _readable_axes(axes, epochs: int) -> None:
    """Ticks a reader can tell apart however few the points: whole epochs (one epoch: 1, not 0.96 ... 1.04), and a
    log axis spanning at least one whole decade (a loss that barely changes would show one label several times)."""
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))  # one whole epoch is enough
    if 0 < epochs < 3:  # matplotlib's own margins around one or two points hold no second whole epoch
        axes.set_xlim(0.5, epochs + 0.5)
    if axes.get_yscale() == "log":
        low, high = axes.dataLim.y0, axes.dataLim.y1
        if 0 < low <= high < np.inf and high / low < 10:
            floor, ceiling = np.floor(np.log10(low)), np.ceil(np.log10(high))
            axes.set_ylim(10.0 ** floor, 10.0 ** max(ceiling, floor + 1))


def throughput_bars(run: RunData, path: Path) -> Path:
    """Training and evaluation samples/s per implementation (mean over seeds, min–max error bars), busy marked."""
    names = run.names()
    positions = np.arange(len(names))
    figure = Figure(figsize=(8, 4.2), layout="constrained")
    axes = figure.subplots()
    for offset, label, read in ((-0.2, "training", lambda r: r.train_samples_per_second()),
                                (0.2, "evaluation", lambda r: r.eval_samples_per_second())):
        values = [[v for r in run.across_seeds(n) if (v := read(r))] or [0.0] for n in names]
        means = np.array([sum(v) / len(v) for v in values])
        errors = np.array([[m - min(v) for m, v in zip(means, values)], [max(v) - m for m, v in zip(means, values)]])
        bars = axes.bar(positions + offset, means, width=0.4, label=label,
                        yerr=errors if len(run.runs) > 1 else None, capsize=4)
        axes.bar_label(bars, fmt="%.0f", fontsize=8, label_type="center")
    ticks = [_label(n, run.results[n].status) + ("\nBUSY" if any(r.busy() for r in run.across_seeds(n)) else "")
             for n in names]
    axes.set_xticks(positions, ticks)
    spread = f", mean of {len(run.runs)} seeds, min–max bars" if len(run.runs) > 1 else ""
    axes.set(ylabel="samples / s", title=f"Throughput on {run.environment.get('context', '?')} (engine-synced{spread})")
    _legend_or_note(axes)
    axes.grid(axis="y", alpha=0.3)
    return _save(figure, path)


def _legend_or_note(axes) -> None:
    """The legend, or where there is nothing to draw (a results file without results) a note saying so."""
    if axes.get_legend_handles_labels()[0]:
        axes.legend(fontsize="x-small" if len(axes.get_legend_handles_labels()[0]) > 8 else None)
    else:
        axes.text(0.5, 0.5, "nothing measured in this file", ha="center", va="center", transform=axes.transAxes)


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
            lines.append(f"{literal(name)}: {CLASS_NAMES[predicted[index]]}{mark}")
        axes.set_title("\n".join(lines), fontsize=7, color="red" if wrong else "black")
    figure.suptitle("First test images: true class and every implementation's prediction (✗ = wrong)")
    return _save(figure, path)


def recorded_predictions(run: RunData) -> dict[str, list[int]]:
    """The predictions `run` recorded for the first test images, by implementation."""
    return {name: result.sample_predictions for name, result in run.results.items() if result.sample_predictions}


def draw_run_plots(run: RunData, directory: Path, test: Optional[ArraySplit] = None) -> list[Path]:
    """Curves and bars of a run into `directory`, and the grid when test images and recorded predictions exist."""
    directory = Path(directory)
    paths = [learning_curves(run, directory / LEARNING_CURVES),
             throughput_bars(run, directory / THROUGHPUT)]
    predictions = recorded_predictions(run)
    if test is not None and predictions:
        paths.append(prediction_grid(test.images, test.labels, predictions, directory / PREDICTIONS))
    return paths


def profile_bars(result: ProfileResult, path: Path) -> Path:
    """One stacked bar per implementation: each row's forward (solid) and backward (hatched) ms, then the
    remainder (grey): Python, the engine and the syncs."""
    from matplotlib import colormaps

    profiles = [p for p in result.profiles if p.status == Status.OK]
    figure = Figure(figsize=(9, 5), layout="constrained")
    axes = figure.subplots()
    names = [literal(p.name) for p in profiles]
    bottom = np.zeros(len(profiles))
    palette = colormaps["tab20"].colors
    for index, row in enumerate(profiles[0].rows if profiles else []):
        for part, hatch in (("forward_ms", None), ("backward_ms", "//")):
            values = np.array([getattr(p.rows[index], part) for p in profiles])
            if values.max() <= 0:
                continue
            label = f"{row.row} {'fwd' if hatch is None else 'bwd'}"
            axes.bar(names, values, bottom=bottom, label=label, color=palette[index % len(palette)], hatch=hatch,
                     edgecolor="white", linewidth=0.3)
            bottom += values
    if profiles:
        axes.bar(names, [max(0.0, p.remainder_ms) for p in profiles], bottom=bottom,
                 label="remainder (Python, engine, syncs)", color="0.8", edgecolor="0.5")
    axes.set(ylabel="ms per training step",
             title=f"Where a step goes at batch {result.settings.get('batch_size')} (MXNet profiler)")
    axes.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _save(figure, path)
