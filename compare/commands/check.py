"""`compare check`: flags -> CheckConfig -> the library checks every implementation against scratch -> tables."""
import argparse

from compare.commands.flags import (
    add_data_dir_flag,
    add_implementation_flags,
    add_json_flag,
    add_kvstore_flag,
    add_learning_rate_flag,
    add_model_flag,
    add_optimizer_flags,
    add_precision_flag,
    add_sequence_flags,
    common_options,
    implementation_names_help,
)
from compare.commands.mxnet_flags import add_settings_flags
from compare.commands.output import prepare_json_output, verdict_code, write_json_output
from compare.config.check import CHECK_BATCH, CheckConfig
from compare.config.sequence_check import CHECK_NUM_STEPS, CHECK_STEPS, SequenceCheckConfig
from compare.reporting.terminal import Terminal

NAME = "check"
SUMMARY = "prove the implementations compute the same numbers, and say where they do not"
DESCRIPTION = ("Build every implementation from one seed and compare logits, loss, each layer's output, every "
               "gradient and the weights (and the update rule's state) after k steps against scratch; name the first layer that differs. "
               "With a --ctx list (or under launch), compare each implementation's data-parallel steps with its "
               "own single-device steps instead.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_implementation_flags(parser, implementation_names_help())
    add_optimizer_flags(parser)
    parser.add_argument("--steps", type=int, default=None,
                        help=f"update steps (--optimizer's rule) before comparing weights (default: {CheckConfig.steps}; "
                             f"a language model: {CHECK_STEPS} batches)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help=f"examples in the checked batch (default: {CHECK_BATCH}, or every training example of a "
                             f"model that draws fewer: weight-decay's 20; a language model: {CHECK_NUM_STEPS})")
    add_learning_rate_flag(parser)
    add_model_flag(parser)
    parser.add_argument("--synthetic", action="store_true",
                        help="use random images instead of real Fashion-MNIST (default: real data)")
    add_data_dir_flag(parser)
    add_json_flag(parser, "the verdict and every comparison")
    add_kvstore_flag(parser)
    add_precision_flag(parser, several=False)
    add_settings_flags(parser)
    add_sequence_flags(parser, prefixes=False)


def config_from_args(args: argparse.Namespace) -> CheckConfig:
    """The validated CheckConfig for parsed `check` flags, built as `compare.check` builds it."""
    from compare.api.options import config_for

    return config_for(NAME, args.model, args.impl, {  # type: ignore[return-value]
        "steps": args.steps, "batch_size": args.batch_size, "learning_rate": args.lr, "synthetic": args.synthetic or None,
        "data_dir": args.data_dir, "kvstore": args.kvstore, "json": args.json, "sampling": args.sampling,
        "clip": args.clip, "text": args.text, "num_steps": args.num_steps, "num_hiddens": args.num_hiddens,
        "max_chars": args.max_chars, **common_options(args)})


def execute(config: "CheckConfig | SequenceCheckConfig", terminal: Terminal) -> int:
    """Check (the library's `check`), write the JSON, print the tables and where each implementation first
    differs; exit 1 on any difference."""
    from compare.jobs.check import check

    if isinstance(config, SequenceCheckConfig):
        from compare.commands.sequence_check import execute_sequence_check

        return execute_sequence_check(config, terminal)

    prepare_json_output(config.json_path, terminal)
    outcome = check(config, terminal.warning)  # applies MXNet's settings before anything loads mxnet
    from compare.reporting.check_tables import check_table, check_verdict_lines
    from compare.results.json_io import check_to_json
    from compare.signals import deferred_signals

    if not outcome.reports:
        return verdict_code(not outcome.result.passed)  # rank 0 alone prints and writes
    with deferred_signals():  # the verdict is reached: it is written and shown whatever signal comes
        written = write_json_output(config.json_path,
                                    check_to_json(outcome.result, outcome.settings, outcome.environment), terminal)
        terminal.show(check_table(outcome.result))
        for line in check_verdict_lines(outcome.result):
            terminal.out.print(line, markup=False, highlight=False)
        if written:
            terminal.wrote(written)
    return verdict_code(not outcome.result.passed)
