"""`compare profile`: flags -> ProfileConfig -> each implementation profiled in its own process -> tables."""
import argparse

from compare.commands.flags import (
    add_implementation_flags,
    add_json_flag,
    add_model_flag,
    add_optimizer_flags,
    add_sequence_flags,
    common_options,
    implementation_names_help,
    path_argument,
)
from compare.commands.mxnet_flags import add_settings_flags
from compare.commands.output import prepare_json_output, verdict_code, write_json_output
from compare.config.profile import ProfileConfig
from compare.config.sequence_profile import PROFILED_STEPS, SequenceProfileConfig
from compare.errors import ExitCode
from compare.reporting.terminal import Terminal

NAME = "profile"
SUMMARY = "where the time and memory of a training step go, layer by layer (MXNet's profiler)"
DESCRIPTION = ("Profile K training steps of each implementation on a fixed batch with MXNet's profiler, each in a "
               "fresh process after warm-up; attribute operator time to layers; show the rest (Python and engine "
               "overhead), the first-call time and the peak memory. A language model (rnn, gru, lstm): its operator "
               "time by phase (forward, loss, backward, clipping, update) and by operator, on one batch of the text.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_implementation_flags(parser, implementation_names_help())
    add_optimizer_flags(parser)
    add_model_flag(parser)
    parser.add_argument("--batch-size", type=int, default=None,
                        help=f"examples in the profiled batch (default: {ProfileConfig.batch_size}; a language "
                             "model, the chapters' 32)")
    parser.add_argument("--steps", type=int, default=None,
                        help=f"profiled training steps per implementation, after warm-up (default: {ProfileConfig.steps}"
                             f"; a language model, {PROFILED_STEPS})")
    parser.add_argument("--trace", type=path_argument, default=None, metavar="DIR",
                        help="write MXNet's Chrome trace per implementation (chrome://tracing, Perfetto) and, for an "
                             "image model, profile.png, stacked bars of forward/backward per layer, to DIR "
                             "(default: none)")
    add_json_flag(parser, "the per-layer milliseconds and totals")
    add_settings_flags(parser)
    add_sequence_flags(parser, prefixes=False, training=False)


def config_from_args(args: argparse.Namespace) -> ProfileConfig:
    """The validated ProfileConfig for parsed `profile` flags, built as `compare.profile` builds it."""
    from compare.api.options import config_for

    return config_for(NAME, args.model, args.impl, {  # type: ignore[return-value]
        "batch_size": args.batch_size, "steps": args.steps, "trace": args.trace, "json": args.json,
        "text": args.text, "max_chars": args.max_chars, "num_steps": args.num_steps, "num_hiddens": args.num_hiddens,
        **common_options(args)})


def execute(config: "ProfileConfig | SequenceProfileConfig", terminal: Terminal) -> int:
    """Profile (the library's `profile`), draw, print; exit 1 if an implementation failed while profiled (the
    others are still shown)."""
    if isinstance(config, SequenceProfileConfig):
        from compare.commands.sequence_profile import execute_sequence_profile

        return execute_sequence_profile(config, terminal)
    from compare.jobs.profile import draw_profile, profile
    from compare.reporting.profile_tables import profile_report
    from compare.results.json_io import profile_to_json
    from compare.results.types import Status
    from compare.signals import deferred_signals

    prepare_json_output(config.json_path, terminal)
    result = profile(config, terminal.warning)
    with deferred_signals():  # what was profiled is written and shown whatever signal comes
        written = [path for path in [write_json_output(config.json_path, profile_to_json(result), terminal)] if path]
        if config.trace_dir is not None:
            written += draw_profile(result, config.trace_dir)
        terminal.show(profile_report(result))
        for path in written:
            terminal.wrote(path)
    if result.interrupted:
        return int(ExitCode.INTERRUPTED)
    failed = any(profile.status != Status.OK for profile in result.profiles)
    return verdict_code(failed)
