"""`bench --model rnn|gru|lstm`: every implementation's training step and forward pass timed in interleaved rounds
as characters per second, with the ratio to scratch paired by round; tiny sizes (nothing here asserts a speed)."""
import io
import json

import pytest
from rich.console import Console

import compare
from compare.cli import main

TINY = ["--repeat", "2", "--num-hiddens", "8", "--batch-size", "4", "--num-steps", "5"]


def _main(argv):
    output = io.StringIO()
    code = main(argv, console=Console(file=output, width=80, color_system=None))
    return code, output.getvalue()


@pytest.mark.parametrize("model", ["rnn", "gru", "lstm"])
def test_every_implementation_is_timed_round_by_round_and_the_table_reads_at_80_columns(model, tmp_path):
    code, text = _main(["bench", "--model", model, *TINY, "--json", str(tmp_path / "b.json")])
    assert code == 0, text
    assert max(len(line) for line in text.splitlines()) <= 80 and "characters/s" in text
    record = json.loads((tmp_path / "b.json").read_text())
    assert record["kind"] == "sequence-bench" and record["settings"]["batch_size"] == 4
    assert [row["implementation"] for row in record["rows"]] == ["scratch", "gluon", "gluon-hybrid", "tutorial"]
    for row in record["rows"]:
        assert len(row["train_chars_per_second"]) == 2 and min(row["forward_chars_per_second"]) > 0


def BrokenLSTM(spec, devices):  # noqa: N802 - a factory, named as the class it stands for
    raise RuntimeError("not written yet")


def test_the_api_returns_rates_and_ratios_and_a_failing_implementation_is_named():
    report = compare.bench(model="lstm", implementations=["scratch", "gluon", BrokenLSTM], repeat=2, num_hiddens=8,
                           batch_size=4, num_steps=5)
    assert report.names == ["scratch", "gluon"] and report.ratio("scratch") == pytest.approx(1.0)
    assert report.train("gluon") > 0 and report.forward("scratch") > 0
    assert report.failures == {"BrokenLSTM": "RuntimeError: not written yet"}


@pytest.mark.parametrize("argv, message", [
    (["bench", "--model", "rnn", "--precision", "bf16"], "--precision does not apply to --model rnn"),
    (["bench", "--model", "rnn", "--batch-size", "16,32"], "--model rnn is timed at one batch size"),
    (["bench", "--model", "lenet", "--num-steps", "5"], "--num-steps applies to the language models"),
])
def test_misplaced_options_are_one_line_and_exit_2(argv, message, capsys):
    assert _main(argv)[0] == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
