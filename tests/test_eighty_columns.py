"""Every table reads at 80 columns: nothing wider, and no cell cut short with '…' (a narrow terminal wraps or
stacks instead). Each command's real report, rendered at width 80."""
import io
from pathlib import Path

import pytest
from bf16_here import bf16_refusal
from rich.console import Console

from compare.cli import main
from implementations.registry import models

WIDTH = 80


def _render(argv: list[str]) -> str:
    output = io.StringIO()
    main(argv, console=Console(file=output, width=WIDTH))
    return output.getvalue()


@pytest.fixture(scope="module")
def run_file(synthetic_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("eighty") / "run.json"
    _render(["run", "--data-dir", str(synthetic_dir), "--epochs", "1", "--batch-size", "64", "--quiet",
             "--seeds", "0,1", "--json", str(path)])
    return path


def _assert_readable(text: str) -> None:
    assert text.strip()
    for line in text.splitlines():
        assert len(line) <= WIDTH, line
    assert "…" not in text, next(line for line in text.splitlines() if "…" in line)


EVERY_REPORT = {  # each command's own report, as a user runs it ({run}: a results file of two seeds)
    "run": ["run", "--data-dir", "{data}", "--epochs", "1", "--batch-size", "64", "--quiet", "--seeds", "0,1",
            "--target-accuracy", "0.1", "--impl", "scratch,gluon,gluon-hybrid,tutorial,"
                                                  "my-own-lenet=outside_implementations:HalfStepScratch"],
    "run in both precisions": ["run", "--data-dir", "{data}", "--epochs", "1", "--batch-size", "64", "--quiet",
                               "--model", "mlp", "--precision", "float32,bf16"],
    "check": ["check", "--synthetic", "--steps", "1", "--batch-size", "8"],
    "check in bf16": ["check", "--synthetic", "--steps", "1", "--batch-size", "8", "--precision", "bf16"],
    "bench": ["bench", "--batch-size", "4", "--repeat", "2", "--json", "{tmp}/b.json"],
    "bench in both precisions": ["bench", "--model", "mlp", "--batch-size", "4", "--repeat", "1", "--precision",
                                 "float32,bf16"],
    "diff": ["diff", "{run}", "{run}"],
    "profile": ["profile", "--batch-size", "4", "--steps", "1"],
}


@pytest.mark.parametrize("command", list(EVERY_REPORT))
def test_every_command_reads_at_80_columns(command, synthetic_dir, tmp_path, request, capsys):
    argv = EVERY_REPORT[command]
    run = request.getfixturevalue("run_file") if "{run}" in argv else None
    argv = [arg.format(data=synthetic_dir, tmp=tmp_path, run=run) for arg in argv]
    if any("bf16" in arg for arg in argv) and bf16_refusal() is not None:  # this CPU cannot run bf16: refused
        output = io.StringIO()
        assert main(argv, console=Console(file=output, width=WIDTH)) == 2
        said = capsys.readouterr().err + output.getvalue()
        assert said.count("\n") == 1 and "cannot run bfloat16" in said  # one line, before any table
        return
    _assert_readable(_render(argv))


def test_models_reads_at_80_columns_with_every_chapter_name_whole():
    text = _render(["models"])
    _assert_readable(text)
    for entry in models().values():  # a chapter name folded mid-word ("cnn-scratc" / "h") reads as nonsense
        assert f"│ {entry.chapters[0].removesuffix('-scratch')} " in text, entry.name


LONGEST = "my-own-lenet-" + "x" * 87  # the longest name --impl allows (100 characters)
LONG_ENTRY = f"{LONGEST}=outside_implementations:HalfStepScratch"


@pytest.fixture(scope="module")
def long_run_file(synthetic_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("eighty-long") / "run.json"
    text = _render(["run", "--data-dir", str(synthetic_dir), "--epochs", "1", "--batch-size", "64", "--quiet",
                    "--seeds", "0,1", "--target-accuracy", "0.1", "--impl", f"scratch,gluon,{LONG_ENTRY}",
                    "--json", str(path)])
    _assert_readable(text)
    assert LONGEST[-20:] in "".join(text.split())  # folded, never cut
    return path


@pytest.mark.parametrize("argv", [
    ["check", "--synthetic", "--steps", "1", "--batch-size", "8", "--impl", f"gluon,{LONG_ENTRY}"],
    ["bench", "--batch-size", "4", "--repeat", "2", "--impl", f"scratch,{LONG_ENTRY}"],
    ["profile", "--batch-size", "4", "--steps", "1", "--impl", f"scratch,{LONG_ENTRY}"],
])
def test_every_table_reads_at_80_columns_with_the_longest_name(argv, tmp_path):
    text = _render([*argv, "--json", str(tmp_path / "out.json")])
    _assert_readable(text)
    assert LONGEST[-20:] in "".join(text.split())


def test_run_and_diff_read_at_80_columns_with_the_longest_name(long_run_file):
    _assert_readable(_render(["diff", str(long_run_file), str(long_run_file)]))


LONG_REGRESSION = f"{LONGEST}=learner_corpus:ChapterSquaredLoss"


@pytest.mark.parametrize("argv", [
    ["run", "--model", "linear-regression", "--epochs", "2", "--quiet", "--optimizer", "sgd,adam",
     "--seeds", "0,1", "--impl", f"scratch,gluon-hybrid,{LONG_REGRESSION}"],
    ["run", "--model", "weight-decay", "--epochs", "12", "--quiet", "--weight-decay", "0,3",
     "--impl", f"scratch,{LONG_REGRESSION}"],
    ["check", "--model", "linear-regression", "--optimizer", "adam", "--impl", f"gluon,{LONG_REGRESSION}"],
])
def test_the_regression_and_update_rule_tables_read_at_80_columns_with_the_longest_name(argv):
    text = _render(argv)
    _assert_readable(text)
    assert "accuracy" not in text.lower().replace(LONGEST, "")
