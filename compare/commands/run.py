"""`compare run`: flags -> RunConfig -> train every implementation -> files, then tables. The main job."""
import argparse
from pathlib import Path

from compare.commands.flags import (
    add_data_dir_flag,
    add_implementation_flags,
    add_init_flags,
    add_json_flag,
    add_kvstore_flag,
    add_learning_rate_flag,
    add_model_flag,
    implementation_names_help,
    learning_rate,
    path_argument,
    recipe_value,
)
from compare.commands.output import json_goes_to_stdout, prepare_json_output, write_json_output
from compare.commands.settings import add_settings_flags, apply_mxnet_settings, settings_choice
from compare.config import RunConfig, RunOutputs, RunRecipe
from compare.devices.contexts import parse_contexts
from compare.errors import CompareError, ExitCode
from compare.files import check_distinct_outputs, check_output_path
from compare.reporting.terminal import Terminal
from compare.validation import display_name, parse_implementation_list, parse_seeds

NAME = "run"
SUMMARY = "train every implementation and report side by side"
DESCRIPTION = ("Train every implementation from the same weights on the same batches and report shape traces, "
               "accuracy and throughput.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = RunRecipe()
    parser.add_argument("--epochs", type=int, default=defaults.epochs, help=f"training epochs (default: {defaults.epochs})")
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size,
                        help=f"examples per batch (default: {defaults.batch_size})")
    add_learning_rate_flag(parser)
    add_model_flag(parser)
    add_init_flags(parser)
    add_implementation_flags(parser, defaults.seeds[0], implementation_names_help())
    parser.add_argument("--seeds", default=None, metavar="LIST",
                        help="train once per seed, e.g. 0,1,2, and report means and 95%% intervals (default: --seed)")
    parser.add_argument("--repeats", type=int, default=None, metavar="N",
                        help="the same with seeds --seed .. --seed+N-1 (default: 1)")
    add_data_dir_flag(parser)
    parser.add_argument("--limit", type=int, default=None,
                        help="train on the first N training examples only (default: all 60,000)")
    parser.add_argument("--target-accuracy", type=float, default=None, metavar="A",
                        help="report the training time until test accuracy first reaches A, e.g. 0.85 (default: off)")
    add_json_flag(parser, "the results")
    parser.add_argument("--save-params", type=path_argument, default=None, metavar="DIR",
                        help="save each implementation's final weights as DIR/<name>.params (default: none)")
    parser.add_argument("--plots", type=path_argument, default=None, metavar="DIR",
                        help="write learning-curve, throughput and prediction-grid PNGs to DIR (default: none)")
    parser.add_argument("--quiet", action="store_true", help="print only the final tables (default: off)")
    add_settings_flags(parser)
    add_kvstore_flag(parser)


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The validated RunConfig for parsed `run` flags; a UsageError names the first bad one."""
    recipe = RunRecipe(
        epochs=args.epochs, batch_size=args.batch_size, learning_rate=learning_rate(args), model=args.model,
        seeds=parse_seeds(args.seed, args.seeds, args.repeats), init=str(recipe_value(args, "init", "init")),
        weight_scale=float(recipe_value(args, "weight_scale", "weight_scale")),
        implementations=parse_implementation_list(args.impl),
        contexts=parse_contexts(args.ctx), kvstore=args.kvstore, data_dir=args.data_dir, limit=args.limit,
        target_accuracy=args.target_accuracy,
    )
    outputs = RunOutputs(json_path=args.json, save_params_dir=args.save_params, plots_dir=args.plots,
                         quiet=args.quiet)
    return RunConfig(recipe, outputs, mxnet=settings_choice(args))


def prepare_outputs(outputs: RunOutputs, names: list[str], terminal: Terminal) -> None:
    """Refuse output paths that can never be written, or that one another output would overwrite, before any
    training (`names`: the implementations, whose parameter files --save-params writes)."""
    prepare_json_output(outputs.json_path, terminal)
    for flag, path in outputs.planned_folders():
        check_output_path(flag, path, want_dir=True)
    check_distinct_outputs(outputs.planned_files(names), outputs.planned_folders())


def _write_files(run, models, outputs: RunOutputs, test, terminal: Terminal) -> tuple[list[Path], list[CompareError]]:
    """Parameter files, then the JSON (naming them), then the pictures; a failure of one never stops the others."""
    from compare.reporting.plots import draw_run_plots
    from compare.results.json_io import relative_to_results, run_to_json
    from compare.results.params_files import save_parameters

    errors: list[CompareError] = []
    written: list[Path] = []
    params_files: dict[str, str] = {}
    if outputs.save_params_dir is not None:
        for name, model in models.items():
            path = outputs.params_path(name)
            try:
                save_parameters(model, path)
            except CompareError as error:
                errors.append(error)
                continue
            params_files[name] = relative_to_results(
                path, None if json_goes_to_stdout(outputs.json_path) else outputs.json_path)
            written.append(path)
    run = run.with_params_files(params_files)
    try:
        written += [path for path in [write_json_output(outputs.json_path, run_to_json(run), terminal)] if path]
    except CompareError as error:
        errors.append(error)
    if outputs.plots_dir is not None:
        try:
            written += draw_run_plots(run, outputs.plots_dir, test)
        except CompareError as error:
            errors.append(error)
    return written, errors


def execute(config: RunConfig, terminal: Terminal) -> int:
    """Train, write the files, then print the report; 0 ok, 1 diverged/failed, 4 a file failed, 130 interrupted.

    Under `compare launch` every worker trains its shard; rank 0 alone prints and writes.
    """
    tuned = apply_mxnet_settings(config.mxnet, config.recipe.contexts, terminal)  # before anything loads mxnet
    from compare.data.batches import DeviceSplit
    from compare.data.dataset import load_fashion_mnist
    from compare.devices.contexts import contexts_text
    from compare.devices.topology import Topology
    from compare.measuring.environment import capture_environment
    from compare.measuring.memory import MemoryNeed, available_bytes, check_fits
    from compare.reporting.progress import choose_listener
    from compare.reporting.run_tables import run_report
    from compare.results.json_io import recipe_to_json
    from compare.results.types import RunResult
    from compare.signals import deferred_signals
    from compare.training.runner import TrainingJob, train_seeds
    from compare.training.selection import select_implementations
    from compare.training.steps import loss_function
    from implementations.registry import implementation_names

    recipe, outputs = config.recipe, config.outputs
    prepare_outputs(outputs, [display_name(entry) for entry in recipe.implementations or implementation_names(recipe.model)],
                    terminal)
    check_fits(MemoryNeed(recipe.batch_size, recipe.spec().activation_values()), "--batch-size", available_bytes())
    topology = Topology.from_flags(recipe.contexts, recipe.kvstore)
    implementations = select_implementations(recipe.implementations, recipe.spec(), recipe.model, topology.home,
                                             data_parallel=topology.data_parallel)
    data = load_fashion_mnist(recipe.data_dir, train_limit=recipe.limit)
    topology.check_training_batches(len(data.train), recipe.batch_size)  # before any worker connects
    topology.join()
    if not topology.reports:
        terminal, outputs = terminal.silenced(), RunOutputs(quiet=True)
    train, test = (DeviceSplit.from_arrays(split, topology.home) for split in (data.train, data.test))
    job = TrainingJob(recipe, topology, train, test, choose_listener(terminal.out, outputs.quiet),
                      loss_function(recipe.spec().num_classes))
    run = RunResult(recipe=recipe_to_json(recipe), environment=capture_environment(
                        contexts_text(recipe.contexts), topology.record()),
                    data={"source": str(data.source), "train_examples": len(data.train),
                          "test_examples": len(data.test)}, runs=[])
    models = train_seeds(job, implementations, run)
    if topology.reports and topology.pieces == 1 and not run.interrupted:  # the machine's limit, same settings
        from compare.measuring.machine_limit import arithmetic_record, measure_dot

        run.environment["arithmetic"] = arithmetic_record(recipe.spec(), measure_dot(topology.home))
    with deferred_signals():  # what was measured is written whenever a signal comes; the interrupt follows
        written, file_errors = _write_files(run, models, outputs, data.test, terminal)  # files first
        terminal.show(run_report(run, recipe.target_accuracy))
        if tuned is not None:
            from compare.reporting.tune_tables import tuned_note

            terminal.out.print(tuned_note(tuned), style="yellow", markup=False, highlight=False)
        for path in written:
            terminal.wrote(path)
        for error in file_errors:
            terminal.error(f"error: {error}")
    if run.interrupted:
        return int(ExitCode.INTERRUPTED)
    if file_errors:
        return int(ExitCode.FILE)
    return int(ExitCode.FAILED if run.has_failures() else ExitCode.OK)
