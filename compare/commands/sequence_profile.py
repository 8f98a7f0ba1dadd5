"""`compare profile --model rnn|gru|lstm`: where a training step's time goes, by phase and operator (the library's
`profile_sequence`), the JSON and the tables; exit 1 where an implementation failed while profiled."""
from __future__ import annotations

from compare.commands.output import prepare_json_output, verdict_code, write_json_output
from compare.config.sequence_profile import SequenceProfileConfig
from compare.errors import ExitCode
from compare.reporting.terminal import Terminal


def execute_sequence_profile(config: SequenceProfileConfig, terminal: Terminal) -> int:
    from compare.jobs.sequence_profile import profile_sequence
    from compare.reporting.sequence_profile_tables import sequence_profile_report
    from compare.results.types import Status
    from compare.signals import deferred_signals

    prepare_json_output(config.json_path, terminal)
    data = profile_sequence(config, terminal.warning)
    with deferred_signals():  # what was profiled is written and shown whatever signal comes
        written = [path for path in [write_json_output(config.json_path, data.to_json(), terminal)] if path]
        written += [profile.trace_file for profile in data.profiles if profile.trace_file]
        terminal.show(sequence_profile_report(data))
        for path in written:
            terminal.wrote(path)
    if data.interrupted:
        return int(ExitCode.INTERRUPTED)
    return verdict_code(any(profile.status != Status.OK for profile in data.profiles))
