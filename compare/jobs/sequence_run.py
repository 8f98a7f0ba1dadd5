"""`run` for a language model as a library call: read the text, train every implementation the config names from
the same weights on the same batches, write the JSON it asks for. Prints nothing: `compare run` and `compare.run`
show the result each in its own way."""
from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from compare.config.options import STDOUT
from compare.config.sequence_run import SequenceRunConfig, TextChoice
from compare.errors import CompareError, DatasetError, UsageError
from compare.files import check_distinct_outputs, check_output_path
from compare.jobs.apply_settings import apply_mxnet_settings

if TYPE_CHECKING:
    import numpy as np

    from compare.data.text import Corpus
    from compare.results.sequence_types import SequenceRunData
    from compare.signals import Interrupt
    from compare.training.sequence_runner import EpochListener

JsonWriter = Callable[[Optional[Path], str], Optional[Path]]  # (where, text) -> the file written, if any


@dataclass(frozen=True)
class SequenceHooks:
    """What a run tells its caller (each epoch, warnings about the settings), how the JSON is written, and the
    clock."""

    listener: "EpochListener"
    warn: Callable[[str], None]
    write_json: JsonWriter
    clock: Callable[[], float] = time.perf_counter  # what each epoch is timed by (tests inject a counter)


@dataclass
class SequenceOutcome:
    """A finished (or interrupted) run: the results, the signal that ended it, the files written or failed."""

    result: "SequenceRunData"
    interrupt: "Optional[Interrupt]" = None
    written: list[Path] = field(default_factory=list)
    file_errors: list[CompareError] = field(default_factory=list)


@dataclass(frozen=True)
class Text:
    """The text as read once: the whole of it (its vocabulary is the models'), the part trained on, the held-out
    indices (--holdout; None without), and the prefixes predicted from."""

    whole: "Corpus"
    trained: "Corpus"
    heldout: "Optional[np.ndarray]"
    prefixes: tuple[str, ...]

    def record(self, share: Optional[float]) -> dict:
        """Where the text came from, how long it is, its vocabulary in index order, the prefixes, the split."""
        whole = self.whole
        record = {"source": whole.source, "characters": len(whole),
                  "vocabulary": "".join(whole.vocabulary.idx_to_char), "prefixes": list(self.prefixes)}
        if self.heldout is not None:
            record.update(holdout=share, trained_characters=len(self.trained), heldout_characters=len(self.heldout))
        return record


def split_heldout(corpus: "Corpus", share: Optional[float], num_steps: int) -> tuple["Corpus", "Optional[np.ndarray]"]:
    """The text trained on, and the held-out indices (its last `share`; None without one): one vocabulary, the
    whole text's. The held-out part must make at least one row of num_steps + 1 characters."""
    if share is None:
        return corpus, None
    cut = len(corpus) - int(round(share * len(corpus)))
    held = corpus.indices[cut:]
    if len(held) < num_steps + 1:
        raise UsageError(f"--holdout {share:g}: {len(held):,} characters held out, too few for one sequence of "
                         f"{num_steps} steps and the character after it")
    return dataclasses.replace(corpus, text=corpus.text[:cut], indices=corpus.indices[:cut]), held


def read_text(text: TextChoice, batch: tuple[int, int, str]) -> Text:
    """The text, split and checked, refused in one line (a UsageError, exit 2: it is the user's --text) where it
    cannot be read, is empty or binary, makes no batch of `batch` (batch size, steps, sampling), or a prefix
    holds a character it does not."""
    from compare.data.sequence_batches import check_long_enough
    from compare.data.text import default_prefixes, load_corpus

    batch_size, num_steps, sampling = batch
    try:
        corpus = load_corpus(text.path, text.max_chars)
        trained, heldout = split_heldout(corpus, text.holdout, num_steps)
        check_long_enough(len(trained), batch_size, num_steps, sampling, corpus.source)
    except DatasetError as error:
        raise UsageError(str(error)) from None
    prefixes = text.prefixes or default_prefixes(corpus)
    for prefix in prefixes:
        missing = next((char for char in prefix if char not in corpus.vocabulary.char_to_idx), None)
        if missing is not None:
            raise UsageError(f"--prefixes: {missing!r} (in {prefix!r}) is not a character of the text")
    return Text(corpus, trained, heldout, tuple(prefixes))


def read_corpus(config: "SequenceRunConfig") -> Text:
    """The text a run or check of `config` reads, with its recipe's batches."""
    recipe = config.recipe
    return read_text(config.text, (recipe.batch_size, recipe.num_steps, recipe.sampling))


def check_outputs(json_path: Optional[Path], text: Optional[Path], plots_dir: Optional[Path] = None) -> None:
    """Refuse, before any work, an output that can never be written, one that would land on another, or one that
    would overwrite the --text being read."""
    from compare.reporting.sequence_plots import SEQUENCE_PLOT_FILES

    files = [("--json", json_path)] if json_path is not None and json_path != STDOUT else []
    for flag, path in files:
        check_output_path(flag, path, want_dir=False)
    folders = [("--plots", plots_dir)] if plots_dir is not None else []
    for flag, path in folders:
        check_output_path(flag, path, want_dir=True)
        files += [(flag, path / name) for name in SEQUENCE_PLOT_FILES]
    check_distinct_outputs(files, folders)
    if text is not None:
        for flag, path in files:
            if os.path.realpath(path) == os.path.realpath(text):
                raise UsageError(f"{flag} {path}: that is the --text being read; write the results elsewhere")


def run_sequence(config: SequenceRunConfig, hooks: SequenceHooks) -> SequenceOutcome:
    """Train, then write the JSON (a failure to write is kept, not raised)."""
    check_outputs(config.json_path, config.text.path, config.plots_dir)
    text = read_corpus(config)  # bad text is refused before mxnet loads
    apply_mxnet_settings(config.mxnet, (config.context,), hooks.warn)
    outcome = train_all(config, text, hooks)
    try:
        outcome.written += [path for path in [hooks.write_json(config.json_path, outcome.result.to_json())] if path]
    except CompareError as error:
        outcome.file_errors.append(error)
    if config.plots_dir is not None:
        from compare.reporting.sequence_plots import draw_sequence_plots

        try:
            outcome.written += draw_sequence_plots(outcome.result, config.plots_dir)
        except CompareError as error:
            outcome.file_errors.append(error)
    return outcome


def train_all(config: SequenceRunConfig, text: Text, hooks: SequenceHooks) -> SequenceOutcome:
    """Every implementation in turn; after a signal, the one in progress keeps what it measured and the rest are
    marked interrupted."""
    from compare.devices.contexts import resolve_context
    from compare.measuring.environment import capture_environment
    from compare.results.sequence_types import SequenceResult, SequenceRunData
    from compare.results.types import Status
    from compare.training.sequence_runner import SequenceJob, Stopped, train_implementation
    from implementations.protocol import Devices

    entry = config.entry
    spec = entry.spec(len(text.whole.vocabulary), config.num_hiddens, config.init, config.weight_scale)
    job = SequenceJob(config, text.trained, text.prefixes, spec, Devices((resolve_context(config.context),)),
                      hooks.listener, hooks.clock, text.heldout)
    data = SequenceRunData(recipe=recipe_record(config), text=text.record(config.text.holdout),
                           environment=capture_environment(str(config.context)))
    outcome = SequenceOutcome(data)
    builtins = {builtin.name: builtin for builtin in entry.builtins}
    for name in config.implementation_names:
        if outcome.interrupt is not None:
            data.results.append(SequenceResult(name, Status.INTERRUPTED))
            continue
        try:
            data.results.append(train_implementation(job, builtins[name]))
        except Stopped as stopped:
            data.results.append(stopped.result)
            outcome.interrupt, data.interrupted = stopped.interrupt, True
    return outcome


def recipe_record(config: SequenceRunConfig) -> dict:
    recipe = config.recipe
    return {"model": config.model, "epochs": recipe.epochs, "batch_size": recipe.batch_size,
            "num_steps": recipe.num_steps, "learning_rate": recipe.learning_rate,
            "clipping_theta": recipe.clipping_theta, "optimizer": recipe.optimizer.recorded(),
            "sampling": recipe.sampling, "num_hiddens": config.num_hiddens,
            "init": config.init, "weight_scale": config.weight_scale, "seed": config.seed,
            "implementations": list(config.implementation_names)}
