"""`compare run`: validate flags, load data, train every implementation, report, save. The main job."""
import argparse
from pathlib import Path

from rich.console import Console

from compare.config import RunConfig, parse_names
from compare.contexts import parse_context, resolve_context
from compare.errors import ExitCode
from compare.files import check_output_path


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The frozen RunConfig for parsed `run` flags (not yet validated)."""
    return RunConfig(
        epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr, seed=args.seed,
        init=args.init, weight_scale=args.weight_scale, implementations=parse_names(args.impl),
        context=parse_context(args.ctx), data_dir=args.data_dir, limit=args.limit,
        target_accuracy=args.target_accuracy, json_path=args.json, save_params_dir=args.save_params,
        plots_dir=args.plots, quiet=args.quiet,
    )


def _check_output_paths(config: RunConfig) -> None:
    """Refuse output paths that can never be written, before any training."""
    for flag, path, want_dir in (("--json", config.json_path, False), ("--save-params", config.save_params_dir, True),
                                 ("--plots", config.plots_dir, True)):
        if path is not None:
            check_output_path(flag, path, want_dir)


def run_command(args: argparse.Namespace, console: Console) -> int:
    """Train, report and save; exit 0, 1 if a model diverged, 130 if interrupted."""
    from compare.batches import DeviceSplit
    from compare.dataset import load_fashion_mnist
    from compare.environment import capture_environment
    from compare.params_io import save_parameters
    from compare.progress import BarProgress, PlainProgress
    from compare.reports import run_report
    from compare.results import RunResult, write_results
    from compare.runner import SilentListener, run_comparison
    from implementations.registry import implementation_names

    config = config_from_args(args)
    config.validate(implementation_names())
    _check_output_paths(config)
    ctx = resolve_context(config.context)
    names = list(config.implementations) or implementation_names()
    data = load_fashion_mnist(config.data_dir, train_limit=config.limit)
    train, test = DeviceSplit.from_arrays(data.train, ctx), DeviceSplit.from_arrays(data.test, ctx)

    if config.quiet:
        listener = SilentListener()
    elif console.is_terminal:
        listener = BarProgress(console)
    else:
        listener = PlainProgress(console)
    comparison = run_comparison(config, names, ctx, train, test, listener)
    results, models, interrupted = comparison.results, comparison.models, comparison.interrupted

    run = RunResult(
        config=config.to_json(),
        environment=capture_environment(str(ctx)),
        data={"source": str(data.source), "train_examples": len(data.train), "test_examples": len(data.test)},
        results=results,
        interrupted=interrupted,
    )
    console.print(run_report(run, config.target_accuracy))  # first: a file that fails to write loses no result
    if config.save_params_dir is not None:
        for name, model in models.items():
            path = Path(config.save_params_dir) / f"{name}.params"
            save_parameters(model, path)
            results[name].params_file = str(path.resolve())
    if config.json_path is not None:
        write_results(config.json_path, run)
    if config.plots_dir is not None:
        from compare.plots import draw_run_plots, recorded_predictions
        for path in draw_run_plots(run, config.plots_dir, data.test, recorded_predictions(run)):
            console.print(f"wrote {path}")
    if interrupted:
        console.print("interrupted: the tables and files above hold what was measured before Ctrl-C")
        return int(ExitCode.INTERRUPTED)
    if any(result.status == "diverged" for result in results.values()):
        return int(ExitCode.FAILED)
    return int(ExitCode.OK)
