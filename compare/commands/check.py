"""`compare check`: flags -> CheckConfig -> every implementation against scratch on one batch -> tables."""
import argparse

from compare.commands.common import (Terminal, add_data_dir_flag, add_implementation_flags,
                                     implementation_names_help, verdict_code)
from compare.config import CheckConfig, parse_implementation_list
from compare.contexts import parse_context
from compare.errors import UsageError

NAME = "check"
SUMMARY = "prove the implementations compute the same numbers, and say where they do not"
DESCRIPTION = ("Build every implementation from one seed and compare logits, loss, each layer's output, every "
               "gradient and the weights after k SGD steps against scratch; name the first layer that differs.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = CheckConfig()
    add_implementation_flags(parser, defaults.seed, implementation_names_help())
    parser.add_argument("--steps", type=int, default=defaults.steps,
                        help=f"SGD steps before comparing weights (default: {defaults.steps})")
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size,
                        help=f"examples in the checked batch (default: {defaults.batch_size})")
    parser.add_argument("--lr", type=float, default=defaults.learning_rate,
                        help=f"SGD learning rate (default: {defaults.learning_rate})")
    parser.add_argument("--synthetic", action="store_true",
                        help="use random images instead of real Fashion-MNIST (default: real data)")
    add_data_dir_flag(parser)


def config_from_args(args: argparse.Namespace) -> CheckConfig:
    return CheckConfig(implementations=parse_implementation_list(args.impl), context=parse_context(args.ctx),
                       seed=args.seed, steps=args.steps, batch_size=args.batch_size, learning_rate=args.lr,
                       synthetic=args.synthetic, data_dir=args.data_dir)


def _batch(config: CheckConfig, ctx):
    """The checked batch on `ctx`: real training images, or seeded uniform noise with --synthetic."""
    from compare.batches import DeviceSplit, synthetic_batch

    if config.synthetic:
        return synthetic_batch(config.batch_size, ctx, config.seed)
    from compare.dataset import load_split
    train = DeviceSplit.from_arrays(load_split("train", config.data_dir, limit=config.batch_size), ctx)
    return train.images, train.labels


def execute(config: CheckConfig, terminal: Terminal) -> int:
    """Print the equivalence tables and where each implementation first differs; exit 1 on any difference."""
    from compare.check import run_check
    from compare.contexts import resolve_context
    from compare.reports_check import check_table, check_verdict_lines
    from compare.results import REFERENCE
    from compare.selection import resolve_entry, select_implementations
    from implementations.protocol import LeNetSpec

    spec = LeNetSpec()
    ctx = resolve_context(config.context)
    implementations = select_implementations(config.implementations, spec, ctx)
    if not [i for i in implementations if i.name != REFERENCE]:
        raise UsageError(f"check compares implementations against {REFERENCE}: name at least one other in --impl")
    images, labels = _batch(config, ctx)
    result = run_check(implementations, spec, ctx, config.seed, images, labels, config.steps,
                       config.learning_rate, reference=resolve_entry(REFERENCE))
    terminal.show(check_table(result))
    for line in check_verdict_lines(result):
        terminal.out.print(line, markup=False, highlight=False)
    return verdict_code(bool(result.failed()))
