"""The flags several commands share (--impl, --ctx, --seed, --lr, --kvstore, --data-dir, --json, MXNet settings),
each with its default in its help. Imports no mxnet: `--help` stays instant.
"""
import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from compare.devices.topology import KVSTORE_CHOICES

if TYPE_CHECKING:
    from compare.config import MXNetChoice


def path_argument(text: str) -> Path:
    """argparse type for a path flag: an empty string is refused (Path('') would silently mean '.')."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path names nothing")
    return Path(text)


def add_implementation_flags(parser: argparse.ArgumentParser, seed_default: int, names_help: str) -> None:
    """--impl, --ctx and --seed, the same for every command that builds models."""
    parser.add_argument("--impl", default=None, metavar="LIST",
                        help=f"comma-separated implementations: {names_help}, or [NAME=]module.path:attr for "
                             "your own (default: every built-in)")
    parser.add_argument("--ctx", default="cpu",
                        help="cpu, gpu, gpu:N or gpu(N); a list trains data parallel, one replica per context: "
                             "cpu:0,cpu:1, gpu:0,1 (default: cpu)")
    parser.add_argument("--seed", type=int, default=seed_default,
                        help=f"seed for the initial weights and the batch order (default: {seed_default})")


def add_model_flag(parser: argparse.ArgumentParser) -> None:
    """--model, listing the models of the registry (names only: no mxnet)."""
    from implementations.registry import DEFAULT_MODEL, models

    parser.add_argument("--model", default=DEFAULT_MODEL, metavar="NAME",
                        help=f"which network of the tutorial: {', '.join(models())}; `python -m compare models` "
                             f"lists them (default: {DEFAULT_MODEL})")


def add_learning_rate_flag(parser: argparse.ArgumentParser) -> None:
    """--lr, whose default is the model's chapter recipe."""
    from implementations.registry import models

    recipes = ", ".join(f"{name} {model.recipe.learning_rate:g}" for name, model in models().items())
    parser.add_argument("--lr", type=float, default=None,
                        help=f"SGD learning rate (default: the model's chapter recipe: {recipes})")


def recipe_value(args: argparse.Namespace, flag: str, field: str) -> object:
    """The flag's value, or, where it was not given, the chapter recipe's of --model (an unknown model is refused
    by the config, not here)."""
    from implementations.registry import DEFAULT_MODEL, models

    given = getattr(args, flag)
    return given if given is not None else getattr(models().get(args.model, models()[DEFAULT_MODEL]).recipe, field)


def learning_rate(args: argparse.Namespace) -> float:
    """--lr, or the chapter recipe's of --model."""
    return float(recipe_value(args, "lr", "learning_rate"))  # type: ignore[arg-type]


def add_init_flags(parser: argparse.ArgumentParser) -> None:
    """--init and --weight-scale, whose defaults are the model's chapter recipe."""
    from implementations.registry import models
    from implementations.spec_base import INITS

    inits = ", ".join(f"{name} {model.recipe.init} {model.recipe.weight_scale:g}" for name, model in models().items())
    parser.add_argument("--init", choices=INITS, default=None,
                        help=f"weight initialisation (default: the model's chapter recipe: {inits})")
    parser.add_argument("--weight-scale", type=float, default=None,
                        help="standard deviation of the normal init (default: the model's chapter recipe, as for --init)")


def add_kvstore_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kvstore", choices=KVSTORE_CHOICES, default=None,
                        help="how Gluon sums gradients over several contexts (device, local), or dist_sync across "
                             "the worker processes of `compare launch` (default: dist_sync under launch, else device)")


def add_data_dir_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=path_argument, default=None,
                        help="folder with the four Fashion-MNIST IDX files, the only place looked at "
                             "(default: $MXNET_HOME/datasets/fashion-mnist, then /usr/share/datasets/fashion-mnist)")


def add_json_flag(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", type=path_argument, default=None, metavar="PATH",
                        help=f"write {what} as JSON to PATH, atomically; '-' for stdout, the tables then go to "
                             "stderr (default: none)")


def implementation_names_help() -> str:
    """Built-in and installed names, for --help (reads package metadata only)."""
    from compare.training.selection import installed_entry_points
    from implementations.registry import implementation_names

    installed = sorted(installed_entry_points())
    return ", ".join(implementation_names()) + (f"; installed: {', '.join(installed)}" if installed else "")


def add_settings_flags(parser: argparse.ArgumentParser) -> None:
    """MXNet's load-time settings: --threads, --engine, --omp-bind, --engine-workers, --aggregation, --tuned."""
    from compare.measuring.mxnet_settings import ENGINES, MAX_AGGREGATION

    group = parser.add_argument_group("MXNet settings (read once, when mxnet loads; the header and the JSON "
                                      "record those in force)")
    group.add_argument("--threads", type=int, default=None, metavar="N",
                       help="OpenMP threads per operator, OMP_NUM_THREADS (default: MXNet's own, about half the cores)")
    group.add_argument("--engine", choices=list(ENGINES), default=None,
                       help="MXNet's engine: threaded (ThreadedEnginePerDevice) or naive (NaiveEngine, synchronous; "
                            "one context only) (default: MXNet's own, threaded)")
    group.add_argument("--omp-bind", choices=("on", "off"), default=None,
                       help="pin OpenMP threads to cores, OMP_PROC_BIND (default: the runtime's own, off)")
    group.add_argument("--engine-workers", type=int, default=None, metavar="N",
                       help="the threaded engine's CPU worker threads, MXNET_CPU_WORKER_NTHREADS (default: MXNet's, 1)")
    group.add_argument("--aggregation", type=int, default=None, metavar="N",
                       help="parameters Gluon's Trainer updates in one call, MXNET_OPTIMIZER_AGGREGATION_SIZE, "
                            f"1 to {MAX_AGGREGATION} (default: MXNet's, 4)")
    group.add_argument("--tuned", type=path_argument, default=None, metavar="FILE",
                       help="apply the fastest training settings of a `compare tune --json` file; the flags above "
                            "override them (default: none)")


def settings_choice(args: argparse.Namespace) -> "MXNetChoice":
    """The settings the flags give (validated), and the tune file to start from."""
    from compare.config import MXNetChoice
    from compare.measuring.mxnet_settings import MXNetSettings

    bind = None if args.omp_bind is None else args.omp_bind == "on"
    return MXNetChoice(MXNetSettings(threads=args.threads, bind=bind, engine=args.engine,
                                     engine_workers=args.engine_workers, aggregation=args.aggregation), args.tuned)