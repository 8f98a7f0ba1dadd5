"""`compare bench --model rnn|gru|lstm`: characters per second of every implementation (the library's
`bench_sequence`), the JSON and the table; exit 1 where an implementation failed."""
from __future__ import annotations

from compare.commands.output import prepare_json_output, verdict_code, write_json_output
from compare.config.sequence_bench import SequenceBenchConfig
from compare.reporting.terminal import Terminal


def execute_sequence_bench(config: SequenceBenchConfig, terminal: Terminal) -> int:
    from compare.jobs.sequence_bench import bench_sequence
    from compare.reporting.sequence_bench_tables import sequence_bench_report

    prepare_json_output(config.json_path, terminal)
    data = bench_sequence(config, terminal.warning)
    written = write_json_output(config.json_path, data.to_json(), terminal)
    terminal.show(sequence_bench_report(data))
    if written:
        terminal.wrote(written)
    return verdict_code(bool(data.failures))
