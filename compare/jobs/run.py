"""`run` as a library call: train every implementation a RunConfig names, return what was measured, and write
the files it asks for. Prints nothing: `compare run` and `compare.run` both call `run`, and show the result each
in its own way."""
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from compare.config.options import STDOUT
from compare.config.run import RunConfig
from compare.errors import CompareError
from compare.files import check_distinct_outputs, check_output_path
from compare.jobs.apply_settings import apply_mxnet_settings
from compare.loading import entry_label

if TYPE_CHECKING:
    from compare.data.dataset import ArraySplit
    from compare.loading import Entry, Implementation
    from compare.results.tune_types import TunedFile
    from compare.results.types import RunData
    from compare.signals import Interrupt
    from compare.training.runner import ProgressListener
    from implementations.optimizers import Optimizer


JsonWriter = Callable[[Optional[Path], str], Optional[Path]]  # (where, text) -> the file written, if any


@dataclass
class RunOutcome:
    """A finished run: the results, the first seed's trained models, the test split (the prediction grid's
    images), whether this process reports, the tune file applied, a signal that came after training, and the
    files written (or that failed)."""

    result: "RunData"
    models: dict
    test: "ArraySplit"
    reports: bool
    tuned: "Optional[TunedFile]" = None
    late_signal: "Optional[Interrupt]" = None  # after every model finished: the files are written, then it ends
    written: list[Path] = field(default_factory=list)
    file_errors: list[CompareError] = field(default_factory=list)  # each file that failed; the others are written


@dataclass(frozen=True)
class JobHooks:
    """What a run tells its caller, and what the caller does with it: progress (given whether this process
    reports: rank 0 under `compare launch`, always otherwise), warnings about the settings (one line each), how
    the JSON is written (the command line's `-` is stdout), and the report shown once the files are written."""

    listen: Callable[[bool], "ProgressListener"]
    warn: Callable[[str], None]
    write_json: JsonWriter
    show: Callable[[RunOutcome], None]


def run(config: RunConfig, hooks: JobHooks, entries: "Optional[Sequence[Entry]]" = None) -> RunOutcome:
    """`compare run` and `compare.run`: refuse outputs that could never be written, train, then (where this
    process reports) write the files and show the report while a signal waits, to be raised after."""
    from compare.signals import deferred_signals

    check_run_outputs(config, entry_names(config, entries))
    outcome = train(config, hooks, entries)
    if outcome.reports:
        with deferred_signals():  # what was measured is written and shown whenever a signal comes
            outcome.written, outcome.file_errors = write_run_files(outcome, config, hooks.write_json)
            hooks.show(outcome)
    return outcome


def entry_names(config: RunConfig, entries: "Optional[Sequence[Entry]]") -> list[str]:
    """The implementations' names (what --save-params names files after), before any is built."""
    from compare.measuring.precision import BF16, FLOAT32, bf16_name
    from implementations.registry import implementation_names

    given = list(entries or config.workload.implementations)
    names = [entry_label(entry) for entry in given] or implementation_names(config.workload.model)
    precisions = config.workload.precisions
    return (names if FLOAT32 in precisions else []) \
        + ([bf16_name(name) for name in names] if BF16 in precisions else [])


def check_run_outputs(config: RunConfig, names: list[str]) -> None:
    """Refuse output paths that can never be written, or that one output would overwrite with another, before
    any training (`names`: the implementations whose parameter files --save-params writes)."""
    if config.json_path is not None and config.json_path != STDOUT:
        check_output_path("--json", config.json_path, want_dir=False)
    for flag, path in config.planned_folders():
        check_output_path(flag, path, want_dir=True)
    check_distinct_outputs(config.planned_files(names), config.planned_folders())


def train(config: RunConfig, hooks: JobHooks, entries: "Optional[Sequence[Entry]]" = None) -> RunOutcome:
    """Train every implementation of `config` (or `entries`: names and implementation objects) from the same
    weights on the same batches, seed by seed; a signal during training ends it with what was measured."""
    workload = config.workload
    tuned = apply_mxnet_settings(workload.mxnet, workload.contexts, hooks.warn)  # before anything loads mxnet
    from compare.data.batches import DeviceSplit
    from compare.data.sources import load_model_data
    from compare.devices.contexts import contexts_text
    from compare.devices.topology import Topology
    from compare.loading import select_implementations
    from compare.measuring.environment import capture_environment
    from compare.measuring.memory import MemoryNeed, available_bytes, check_fits
    from compare.measuring.precision import Bf16Operators
    from compare.results.json_io import recipe_to_json
    from compare.results.types import RunData
    from compare.signals import Interrupt, deferred_signals
    from compare.training.precision import each_precision
    from compare.training.runner import TrainingJob
    from compare.training.seeds import train_seeds
    from compare.training.steps import objective_for

    spec = config.spec()
    check_fits(MemoryNeed(config.batch_size, spec.activation_values()), "--batch-size", available_bytes())
    topology = Topology.from_flags(workload.contexts, workload.kvstore)
    implementations = each_optimizer(select_implementations(
        tuple(entries or workload.implementations), spec, workload.model, topology.home,
        data_parallel=topology.data_parallel, optimizers=workload.optimizers), workload.optimizers)
    implementations = each_precision(implementations, workload.precisions,
                                     Bf16Operators.capture() if workload.bf16 else None)
    data = load_model_data(spec, config.data_dir, config.limit, workload.seeds[0])
    topology.check_training_batches(len(data.train), config.batch_size)  # before any worker connects
    with topology.stopping_together() as noted:  # launched workers stop at the same step, or none would end
        topology.join()
        train_split, test_split = (DeviceSplit.from_arrays(split, topology.home) for split in (data.train, data.test))
        job = TrainingJob(config, topology, train_split, test_split, hooks.listen(topology.reports),
                          objective_for(spec))
        run = RunData(recipe=recipe_to_json(config), environment=capture_environment(
                            contexts_text(workload.contexts), topology.record()),
                        data={"source": str(data.source), "train_examples": len(data.train),
                              "test_examples": len(data.test)}, runs=[])
        models = train_seeds(job, implementations, run)
    outcome = RunOutcome(run, models, data.test, topology.reports, tuned)
    if noted.received is not None and not run.interrupted:  # it came after the last step every worker shared
        outcome.late_signal = Interrupt(noted.received)
    # the machine's limit, same settings (a regression's few FLOPs per example measure no arithmetic)
    if topology.reports and topology.pieces == 1 and not run.interrupted and spec.task == "classification":
        from compare.measuring.machine_limit import arithmetic_record, measure_gemms

        try:
            with deferred_signals():  # a signal now waits for the measurement (a few seconds)
                run.environment["arithmetic"] = arithmetic_record(spec, measure_gemms(topology.home))
        except Interrupt as signal:  # every model finished: what they measured is kept, then the signal ends it
            outcome.late_signal = signal
    return outcome


def each_optimizer(implementations: "list[Implementation]", optimizers: "Sequence[Optimizer]") -> "list[Implementation]":
    """One optimizer: the implementations as they are. Several: each implementation once per optimizer, named
    `scratch@adam`, every optimizer's implementations together (the optimization chapters' comparison)."""
    from compare.config.optimizers import labels

    if len(optimizers) == 1:
        return implementations
    return [dataclasses.replace(implementation, name=f"{implementation.name}@{label}", optimizer=optimizer)
            for optimizer, label in zip(optimizers, labels(tuple(optimizers))) for implementation in implementations]


def write_run_files(outcome: RunOutcome, config: RunConfig,
                    write_json: JsonWriter) -> tuple[list[Path], list[CompareError]]:
    """Parameter files, then the JSON naming them (through `write_json`: a path, or stdout for the CLI's `-`),
    then the pictures; a failure of one never stops the others. Returns what was written and what failed."""
    from compare.reporting.plots import draw_run_plots
    from compare.results.json_io import relative_to_results, run_to_json
    from compare.results.params_files import save_parameters

    errors: list[CompareError] = []
    written: list[Path] = []
    params_files: dict[str, str] = {}
    if config.save_params_dir is not None:
        for name, model in outcome.models.items():
            path = config.params_path(name)
            try:
                save_parameters(model, path)
            except CompareError as error:
                errors.append(error)
                continue
            params_files[name] = relative_to_results(path, None if config.json_path == STDOUT else config.json_path)
            written.append(path)
    outcome.result = outcome.result.with_params_files(params_files)
    try:
        written += [path for path in [write_json(config.json_path, run_to_json(outcome.result))] if path]
    except CompareError as error:
        errors.append(error)
    if config.plots_dir is not None:
        try:
            written += draw_run_plots(outcome.result, config.plots_dir, outcome.test)
        except CompareError as error:
            errors.append(error)
    return written, errors
