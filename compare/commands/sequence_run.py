"""`compare run --model rnn|gru|lstm`: train every implementation of a language model (the library's
`run_sequence`), print a line every 50 epochs as the chapters do, then the tables; write the JSON."""
from __future__ import annotations

from compare.commands.output import prepare_json_output, write_json_output
from compare.config.sequence_run import SequenceRunConfig
from compare.errors import ExitCode
from compare.reporting.terminal import Terminal
from compare.results.sequence_types import SequenceEpoch


def execute_sequence(config: SequenceRunConfig, terminal: Terminal) -> int:
    """0 ok, 1 an implementation diverged or failed, 4 a file failed, the signal's code when interrupted."""
    from compare.jobs.sequence_run import SequenceHooks, run_sequence
    from compare.reporting.sequence_tables import sequence_report

    prepare_json_output(config.json_path, terminal)
    listener = (lambda name, epoch, epochs: None) if config.quiet else \
        epoch_printer(terminal, config.entry.recipe.pred_period)
    outcome = run_sequence(config, SequenceHooks(listener, terminal.warning,
                                                 lambda path, text: write_json_output(path, text, terminal)))
    terminal.show(sequence_report(outcome.result))
    for path in outcome.written:
        terminal.wrote(path)
    for error in outcome.file_errors:
        terminal.error(f"error: {error}")
    if outcome.interrupt is not None:
        return outcome.interrupt.exit_code
    if outcome.file_errors:
        return int(ExitCode.FILE)
    return int(ExitCode.FAILED if outcome.result.has_failures() else ExitCode.OK)


def epoch_printer(terminal: Terminal, period: int):  # type: ignore[no-untyped-def]
    """A line at the first epoch, every pred_period-th (the chapters' 50 or 40) and the last: the implementation,
    perplexity, characters/s."""
    def listen(name: str, epoch: SequenceEpoch, epochs: int) -> None:
        if epoch.epoch in (1, epochs) or epoch.epoch % period == 0:
            terminal.error(f"{name}: epoch {epoch.epoch}/{epochs}, perplexity {epoch.perplexity:.3f}, "
                           f"{epoch.characters_per_second:,.0f} chars/s")
    return listen
