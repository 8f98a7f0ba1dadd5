"""`compare check --model rnn|gru|lstm`: every implementation against scratch over time (the library's
`check_sequence`), the JSON, the table and each explanation; exit 1 on any difference."""
from __future__ import annotations

from compare.commands.output import prepare_json_output, verdict_code, write_json_output
from compare.config.sequence_check import SequenceCheckConfig
from compare.reporting.terminal import Terminal


def execute_sequence_check(config: SequenceCheckConfig, terminal: Terminal) -> int:
    from compare.jobs.sequence_check import check_sequence
    from compare.reporting.sequence_check_tables import sequence_check_lines, sequence_check_table
    from compare.signals import deferred_signals

    prepare_json_output(config.json_path, terminal)
    outcome = check_sequence(config, terminal.warning)
    with deferred_signals():  # the verdict is reached: it is written and shown whatever signal comes
        written = write_json_output(config.json_path, outcome.result.to_json(outcome.environment), terminal)
        terminal.show(sequence_check_table(outcome.result))
        for line in sequence_check_lines(outcome.result):
            terminal.out.print(line, markup=False, highlight=False)
        if written:
            terminal.wrote(written)
    return verdict_code(not outcome.result.passed)
