"""The flags several commands share (--impl, --ctx, --seed, --lr, --kvstore, --data-dir, --json),
each with its default in its help. Imports no mxnet: `--help` stays instant.
"""
import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from compare.api.options import DEFAULT_PRECISION, KVSTORES, PRECISIONS, installed_implementations
from compare.config.optimizers import DEFAULT_OPTIMIZER, DEFAULT_WEIGHT_DECAY
from compare.config.workload import DEFAULT_CONTEXT, DEFAULT_SEED
from compare.validation import folder_named

if TYPE_CHECKING:
    from implementations.optimizers import RuleRecipe


def path_argument(text: str) -> Path:
    """argparse type for a path flag: an empty string is refused (Path('') would silently mean '.')."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path names nothing")
    return Path(text)


def file_path_argument(text: str) -> Path:
    """argparse type for a flag that names a file: as `path_argument`, and a trailing '/' (a folder) is refused."""
    folder = folder_named(text)
    if folder:
        raise argparse.ArgumentTypeError(folder)
    return path_argument(text)


def add_implementation_flags(parser: argparse.ArgumentParser, names_help: str) -> None:
    """--impl, --ctx and --seed, the same for every command that builds models (their defaults: the workload's)."""
    parser.add_argument("--impl", default=None, metavar="LIST",
                        help=f"comma-separated implementations: {names_help}, or [NAME=]module.path:attr for "
                             "your own (default: every built-in)")
    parser.add_argument("--ctx", default=None,
                        help="cpu, gpu, gpu:N or gpu(N); a list trains data parallel, one replica per context: "
                             f"cpu:0,cpu:1, gpu:0,1 (default: {DEFAULT_CONTEXT})")
    parser.add_argument("--seed", type=int, default=None,
                        help=f"seed for the initial weights and the batch order (default: {DEFAULT_SEED})")


def add_model_flag(parser: argparse.ArgumentParser) -> None:
    """--model, listing the models of the registry (names only: no mxnet)."""
    from implementations.registry import DEFAULT_MODEL, models
    from implementations.sequence_registry import sequence_models

    parser.add_argument("--model", default=DEFAULT_MODEL, metavar="NAME",
                        help=f"which network of the tutorial: {', '.join(models())}; for run, check and bench also the "
                             f"language models {', '.join(sequence_models())}; `python -m compare models` "
                             f"lists them (default: {DEFAULT_MODEL})")


def add_learning_rate_flag(parser: argparse.ArgumentParser) -> None:
    """--lr, whose default is the model's chapter recipe."""
    parser.add_argument("--lr", type=float, default=None,
                        help=f"learning rate (default: SGD's, the model's chapter recipe: {recipe_help('learning_rate')}; "
                             "another --optimizer: its recipe's for the model)")


def recipe_help(field: str) -> str:
    """Each model's chapter value of a recipe field, for a flag's help (the library resolves the default)."""
    from implementations.registry import models

    values = {name: f"{getattr(model.recipe, field):g}" if field != "init" else model.recipe.init
              for name, model in models().items()}
    if len(set(values.values())) == 1:
        return next(iter(values.values()))
    return ", ".join(f"{name} {value}" for name, value in values.items())


def add_init_flags(parser: argparse.ArgumentParser) -> None:
    """--init and --weight-scale, whose defaults are the model's chapter recipe."""
    from implementations.registry import models
    from implementations.spec_base import INITS

    inits = ", ".join(f"{name} {model.recipe.init} {model.recipe.weight_scale:g}" for name, model in models().items())
    parser.add_argument("--init", choices=INITS, default=None,
                        help=f"weight initialisation (default: the model's chapter recipe: {inits})")
    parser.add_argument("--weight-scale", type=float, default=None,
                        help="standard deviation of the normal init (default: the model's chapter recipe, as for --init)")


def add_optimizer_flags(parser: argparse.ArgumentParser, several: bool = False) -> None:
    """--optimizer, --optimizer-params and --weight-decay (names only: no mxnet)."""
    from implementations.optimizers import ON_LINEAR_REGRESSION, ON_TEXT, ON_WEIGHT_DECAY, OPTIMIZERS, RULES

    chapters = "; ".join(recipe_words(name, ON_LINEAR_REGRESSION.recipe(name)) for name in OPTIMIZERS if name != "sgd")
    later = "; ".join(recipe_words(name, RULES[name].recipe) for name in OPTIMIZERS if name != "sgd")
    weight_decay = "; ".join(recipe_words(name, recipe) for name, recipe in ON_WEIGHT_DECAY.by_rule.items())
    text = "; ".join(recipe_words(name, recipe) for name, recipe in ON_TEXT.by_rule.items())
    what = ("a comma-separated list, or all, trains each implementation with each; the language models take one"
            if several else "one name")
    parser.add_argument("--optimizer", default=None, metavar="NAME",
                        help=f"the update rule: {', '.join(OPTIMIZERS)} ({what}); each trains with its recipe for "
                             f"the model (`python -m compare models` names it), sgd at the model's learning rate "
                             f"(default: {DEFAULT_OPTIMIZER})")
    parser.add_argument("--optimizer-params", default=None, metavar="KEY=VALUE,...",
                        help=f"hyperparameters, each to the optimizers that take it (default: the recipe's: on "
                             f"linear-regression each rule's chapter's, {chapters}; elsewhere the later edition's, "
                             f"{later}, but on weight-decay {weight_decay}, at its SGD rate; on the language models "
                             f"(rnn, gru, lstm) {text}, adadelta the later edition's; --lr sets the learning rate)")
    several_decays = " (run: a list, e.g. 0,3, trains each; the language models take one)" if several else ""
    parser.add_argument("--weight-decay", default=None, metavar="LAMBDA",
                        help=f"L2 penalty lambda / 2 * ||w||^2 on the weights, never the biases: its gradient "
                             f"lambda * w in scratch's update, the Trainer's wd in Gluon{several_decays} "
                             f"(default: {DEFAULT_WEIGHT_DECAY:g})")


def add_precision_flag(parser: argparse.ArgumentParser, several: bool) -> None:
    """--precision (names only: no mxnet)."""
    what = ("one, or both comma-separated (float32,bf16) to train each implementation in each, side by side"
            if several else "one: the implementations and scratch all run in it")
    parser.add_argument("--precision", default=None, metavar="NAME",
                        help=f"{' or '.join(PRECISIONS)}: bf16 is MXNet's AMP (amp.init target bfloat16: oneDNN "
                             f"convolutions and dense layers in bfloat16, weights, loss and updates in float32; CPU "
                             f"only) ({what}) (default: {DEFAULT_PRECISION})")


def recipe_words(name: str, recipe: "RuleRecipe") -> str:
    """'adam lr 0.1, beta1 0.9, beta2 0.999, epsilon 1e-08', for --help."""
    rate = [] if recipe.learning_rate is None else [f"lr {recipe.learning_rate:g}"]
    return f"{name} " + ", ".join(rate + [f"{key} {value:g}" for key, value in recipe.hyperparameters])


def add_kvstore_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kvstore", choices=KVSTORES, default=None,
                        help="how Gluon sums gradients over several contexts (device, local), or dist_sync across "
                             "the worker processes of `compare launch` (default: dist_sync under launch, else device)")


def add_data_dir_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=path_argument, default=None,
                        help="folder with the four Fashion-MNIST IDX files, the only place looked at "
                             "(default: $MXNET_HOME/datasets/fashion-mnist, then /usr/share/datasets/fashion-mnist)")


def add_json_flag(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", type=file_path_argument, default=None, metavar="PATH",
                        help=f"write {what} as JSON to PATH, atomically; '-' for stdout, the tables then go to "
                             "stderr (default: none)")


def implementation_names_help() -> str:
    """Built-in and installed names, for --help (reads package metadata only)."""
    from implementations.registry import implementation_names

    installed = installed_implementations()
    return ", ".join(implementation_names()) + (f"; installed: {', '.join(installed)}" if installed else "")


def common_options(args: argparse.Namespace, settings: bool = True) -> dict[str, object]:
    """--ctx, --seed and, where the command has them, MXNet's settings flags, as the Python API's options (the
    command then builds its config as `compare.run` does: `compare.api.options.config_for`)."""
    options: dict[str, object] = {"ctx": args.ctx, "seed": args.seed}
    if hasattr(args, "optimizer"):
        options.update(optimizer=args.optimizer, optimizer_params=args.optimizer_params,
                       weight_decay=args.weight_decay)
    if hasattr(args, "precision"):
        options.update(precision=args.precision)
    if settings:
        options.update(threads=args.threads, engine=args.engine, omp_bind=args.omp_bind,
                       engine_workers=args.engine_workers, aggregation=args.aggregation, blas_core=args.blas_core,
                       tuned=args.tuned)
    return options


def add_sequence_flags(parser: argparse.ArgumentParser, prefixes: bool, training: bool = True) -> None:
    """What only the language models (rnn, gru, lstm) take; their defaults are the chapters' recipes (check's
    batch, sequence length and steps are its own: see its --help). `training`: --sampling and --clip too."""
    group = parser.add_argument_group("language models (--model rnn, gru, lstm)")
    group.add_argument("--text", type=path_argument, default=None, metavar="FILE",
                       help="UTF-8 text to learn, or the chapters' jaychou_lyrics.txt.zip (default: the embedded "
                            "The Time Machine, H. G. Wells)")
    group.add_argument("--max-chars", type=int, default=None, metavar="N",
                       help="learn the text's first N characters, as the chapters keep 10,000 (default: 10000)")
    if training:
        group.add_argument("--sampling", choices=("random", "consecutive"), default=None,
                           help="random: a fresh state every batch; consecutive: the state carried over, detached "
                                "(default: consecutive)")
        group.add_argument("--clip", type=float, default=None, metavar="THETA",
                           help="clip the gradients to this global L2 norm (default: the chapters' 0.01)")
    group.add_argument("--num-steps", type=int, default=None, metavar="N",
                       help="time steps per sequence (default: run, bench and profile, the chapters' 35; check, 8)")
    group.add_argument("--num-hiddens", type=int, default=None, metavar="N",
                       help="hidden units of the recurrent layer (default: the chapters' 256)")
    if prefixes:  # run's alone, as is --holdout
        group.add_argument("--holdout", type=float, default=None, metavar="SHARE",
                           help="keep the text's last SHARE (e.g. 0.2) out of training and report its perplexity "
                                "when text is predicted (default: none)")
        group.add_argument("--prefixes", default=None, metavar="LIST",
                           help="comma-separated text to predict from (default: 'The Time Traveller,The Time "
                                "Machine', the chapters' for their lyrics, else the text's first word)")
