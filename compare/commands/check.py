"""`compare check`: flags -> CheckConfig -> every implementation against scratch on one batch -> tables."""
import argparse

from compare.commands.common import (Terminal, add_data_dir_flag, add_implementation_flags, add_kvstore_flag,
                                     implementation_names_help, verdict_code)
from compare.config import CheckConfig, parse_implementation_list
from compare.contexts import parse_contexts
from compare.errors import UsageError

NAME = "check"
SUMMARY = "prove the implementations compute the same numbers, and say where they do not"
DESCRIPTION = ("Build every implementation from one seed and compare logits, loss, each layer's output, every "
               "gradient and the weights after k SGD steps against scratch; name the first layer that differs. "
               "With a --ctx list (or under launch), compare each implementation's data-parallel steps with its "
               "own single-device steps instead.")


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
    add_kvstore_flag(parser)


def config_from_args(args: argparse.Namespace) -> CheckConfig:
    return CheckConfig(implementations=parse_implementation_list(args.impl), contexts=parse_contexts(args.ctx),
                       kvstore=args.kvstore, seed=args.seed, steps=args.steps, batch_size=args.batch_size, learning_rate=args.lr,
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
    import os

    from compare.check import run_check, run_parallel_check, step_sizes
    from compare.contexts import resolve_contexts
    from compare.parallel import Sharding, WorkerGroup, choose_kvstore, planned_workers
    from compare.reports_check import check_table, check_verdict_lines
    from compare.results import REFERENCE
    from compare.selection import resolve_entry, select_implementations
    from implementations.protocol import LeNetSpec

    spec = LeNetSpec()
    contexts = resolve_contexts(config.contexts)
    kvstore = choose_kvstore(config.kvstore, os.environ)
    plan = Sharding(tuple(contexts), num_workers=planned_workers(kvstore, os.environ))
    parallel = plan.pieces > 1
    implementations = select_implementations(config.implementations, spec, contexts[0], data_parallel=parallel)
    if parallel:
        if config.steps < 1:
            raise UsageError("--steps must be at least 1 when data parallel: the summed gradient exists after a step")
        smallest = min(step_sizes(config.batch_size, config.steps))
        if smallest < plan.pieces:
            raise UsageError(f"a batch of {smallest} cannot be split over {plan.pieces} contexts across the workers: "
                             f"more contexts than examples; use --batch-size {-(-3 * plan.pieces // 2)} or more")
    elif not [i for i in implementations if i.name != REFERENCE]:
        raise UsageError(f"check compares implementations against {REFERENCE}: name at least one other in --impl")
    images, labels = _batch(config, contexts[0])
    if parallel:
        group = WorkerGroup.join(kvstore)
        result = run_parallel_check(implementations, spec, contexts, group, config.seed, images, labels,
                                    config.steps, config.learning_rate)
        if not group.reports:
            terminal = terminal.silenced()
    else:
        result = run_check(implementations, spec, contexts[0], config.seed, images, labels, config.steps,
                           config.learning_rate, reference=resolve_entry(REFERENCE))
    terminal.show(check_table(result))
    for line in check_verdict_lines(result):
        terminal.out.print(line, markup=False, highlight=False)
    return verdict_code(bool(result.failed()))
