"""`compare check`: flags -> CheckConfig -> every implementation against scratch on one batch -> tables."""
import argparse

from compare.commands.flags import (
    add_data_dir_flag,
    add_implementation_flags,
    add_json_flag,
    add_kvstore_flag,
    add_learning_rate_flag,
    add_model_flag,
    implementation_names_help,
    learning_rate,
)
from compare.commands.output import prepare_json_output, verdict_code, write_json_output
from compare.commands.settings import add_settings_flags, apply_mxnet_settings, settings_choice
from compare.config import CheckConfig
from compare.devices.contexts import parse_contexts
from compare.errors import UsageError
from compare.reporting.terminal import Terminal
from compare.validation import parse_implementation_list

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
    add_learning_rate_flag(parser)
    add_model_flag(parser)
    parser.add_argument("--synthetic", action="store_true",
                        help="use random images instead of real Fashion-MNIST (default: real data)")
    add_data_dir_flag(parser)
    add_json_flag(parser, "the verdict and every comparison")
    add_kvstore_flag(parser)
    add_settings_flags(parser)


def config_from_args(args: argparse.Namespace) -> CheckConfig:
    return CheckConfig(implementations=parse_implementation_list(args.impl), contexts=parse_contexts(args.ctx),
                       kvstore=args.kvstore, seed=args.seed, steps=args.steps, batch_size=args.batch_size,
                       learning_rate=learning_rate(args), model=args.model, synthetic=args.synthetic,
                       data_dir=args.data_dir, json_path=args.json, mxnet=settings_choice(args))


def _batch(config: CheckConfig, ctx):
    """The checked batch on `ctx`: real training images, or seeded uniform noise with --synthetic."""
    from compare.data.batches import DeviceSplit, synthetic_batch

    if config.synthetic:
        return synthetic_batch(config.batch_size, ctx, config.seed)
    from compare.data.dataset import load_split
    train = DeviceSplit.from_arrays(load_split("train", config.data_dir, limit=config.batch_size), ctx)
    return train.images, train.labels


def execute(config: CheckConfig, terminal: Terminal) -> int:
    """Print the equivalence tables and where each implementation first differs; exit 1 on any difference."""
    apply_mxnet_settings(config.mxnet, config.contexts, terminal)  # before anything loads mxnet
    from compare.devices.contexts import contexts_text
    from compare.devices.topology import Topology, check_splittable
    from compare.measuring.environment import capture_environment
    from compare.measuring.memory import MemoryNeed, available_bytes, check_fits
    from compare.reporting.check_tables import check_table, check_verdict_lines
    from compare.results.json_io import check_to_json
    from compare.results.types import REFERENCE
    from compare.signals import deferred_signals
    from compare.training.equivalence import CheckJob, Probe, run_check, step_sizes
    from compare.training.selection import resolve_entry, select_implementations
    from compare.training.steps import loss_function
    from implementations.registry import builtins

    prepare_json_output(config.json_path, terminal)
    spec = config.spec()
    check_fits(MemoryNeed(config.batch_size, spec.activation_values()), "--batch-size", available_bytes())
    topology = Topology.from_flags(config.contexts, config.kvstore)
    implementations = select_implementations(config.implementations, spec, config.model, topology.home,
                                             data_parallel=topology.data_parallel)
    if topology.data_parallel and spec.state_shapes():
        raise UsageError(f"check --ctx {contexts_text(config.contexts)} --model {config.model}: each context "
                         "normalizes its own shard with its own batch statistics, so data-parallel batch norm differs "
                         "from one device's by design; check it on one device")
    if topology.data_parallel and spec.drop_rates:
        raise UsageError(f"check --ctx {contexts_text(config.contexts)} --model {config.model}: every shard draws its "
                         "own dropout masks, so data-parallel steps cannot match one device's; check dropout on one "
                         "device (its keep rates and scaling are tested there)")
    if topology.data_parallel:  # the two-thirds batches must be split too
        check_splittable(min(step_sizes(config.batch_size, config.steps)), len(topology.contexts), topology.workers,
                         needed=-(-3 * topology.pieces // 2))
    elif not [i for i in implementations if i.name != REFERENCE]:
        raise UsageError(f"check compares implementations against {REFERENCE}: name at least one other in --impl")
    images, labels = _batch(config, topology.home)
    topology.join()
    probe = Probe(images, labels, config.steps, config.learning_rate, loss_function(spec.num_classes))
    # one device: each against scratch; data parallel: each against itself on one device
    reference = None if topology.data_parallel else resolve_entry(REFERENCE, builtins(config.model))
    result = run_check(CheckJob(implementations, reference, spec, config.seed, probe, topology))
    if not topology.reports:
        return verdict_code(not result.passed)  # rank 0 alone prints and writes
    with deferred_signals():  # the verdict is reached: it is written and shown whatever signal comes
        where = contexts_text(config.contexts)
        settings = {"model": config.model, "implementations": [i.name for i in implementations],
                    "batch_size": config.batch_size,
                    "steps": config.steps, "learning_rate": config.learning_rate, "seed": config.seed,
                    "data": "synthetic" if config.synthetic else "fashion-mnist", "context": where}
        written = write_json_output(config.json_path, check_to_json(result, settings, capture_environment(where)),
                                    terminal)
        terminal.show(check_table(result))
        for line in check_verdict_lines(result):
            terminal.out.print(line, markup=False, highlight=False)
        if written:
            terminal.wrote(written)
    return verdict_code(not result.passed)
