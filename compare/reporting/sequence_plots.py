"""A language model's pictures: perplexity per epoch, one line per implementation (log scale: it falls from the
vocabulary's size towards 1), and characters per second as bars. Written by `run --plots DIR` and shown by
`SequenceRunResult.learning_curves()`."""
from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure  # the object API renders with Agg; no pyplot state, no display

from compare.reporting.plots import _label, _save, literal
from compare.results.sequence_types import SequenceRunData

SEQUENCE_PLOT_FILES = ("perplexity.png", "characters_per_second.png")  # what `--plots DIR` writes into DIR


def perplexity_figure(run: SequenceRunData) -> Figure:
    figure = Figure(figsize=(8, 5), layout="constrained")
    axes = figure.subplots()
    for result in run.results:
        epochs = [epoch.epoch for epoch in result.epochs]
        axes.plot(epochs, [epoch.perplexity for epoch in result.epochs], label=_label(result.name, result.status),
                  linestyle="--" if result.name == "tutorial" else "-")
    axes.set_yscale("log")
    axes.set_xlabel("epoch")
    axes.set_ylabel("perplexity (training text)")
    axes.legend()
    figure.suptitle(f"{run.recipe['model']}: {literal(str(run.text['source']))}")
    return figure


def throughput_figure(run: SequenceRunData) -> Figure:
    figure = Figure(figsize=(8, 4), layout="constrained")
    axes = figure.subplots()
    rated = [(literal(result.name), result.characters_per_second()) for result in run.results]
    rated = [(name, rate) for name, rate in rated if rate]
    axes.bar([name for name, _ in rated], [rate for _, rate in rated])
    axes.set_ylabel("characters/s (median epoch)")
    figure.suptitle(f"{run.recipe['model']}: training throughput")
    return figure


def draw_sequence_plots(run: SequenceRunData, directory: Path) -> list[Path]:
    curves, bars = (Path(directory) / name for name in SEQUENCE_PLOT_FILES)  # write_atomically makes the folder
    return [_save(perplexity_figure(run), curves), _save(throughput_figure(run), bars)]
