"""Each bad value is refused the same way whether it comes as a flag or as a keyword of the Python API: the same
one line (exit 2 from the command line, a UsageError raised from the API's own frame), before any work, and an
earlier results file left as it was. One table; each case runs through both doors.

Below them, what only Python can get wrong (a misspelt keyword, a value of the wrong type). Cases only a command
line can meet (argparse's types, paths, pipes) are in test_hostile_cli.py."""
import io
import math
import traceback
from pathlib import Path

import pytest
from rich.console import Console

import compare
from compare.cli import main

EARLIER = '{"earlier": true}\n'
NO_CUDA = "has no CUDA"

CASES = [
    # (command, flags, the same as API options, text the one line must hold)
    ("run", ["--epochs", "0"], {"epochs": 0}, "--epochs must be at least 1"),
    ("run", ["--batch-size", "0"], {"batch_size": 0}, "--batch-size must be at least 1"),
    ("run", ["--limit", "0"], {"limit": 0}, "--limit must be at least 1"),
    ("run", ["--seed", "-1"], {"seed": -1}, "--seed must be a whole number ≥ 0"),
    ("run", ["--seeds", "1,2,1"], {"seeds": [1, 2, 1]}, "--seeds repeats a seed"),
    ("run", ["--seeds", "1,-2"], {"seeds": [1, -2]}, "--seeds must be a whole number ≥ 0, got -2"),
    ("run", ["--seeds", ""], {"seeds": ""}, "--seeds must name at least one seed"),
    ("run", ["--seeds", "1,x"], {"seeds": "1,x"}, "--seeds takes comma-separated whole numbers"),
    ("run", ["--seeds", "1,2", "--repeats", "2"], {"seeds": [1, 2], "repeats": 2},
     "give --seeds or --repeats, not both"),
    ("run", ["--repeats", "0"], {"repeats": 0}, "--repeats must be 1 to 1,000, got 0"),
    ("run", ["--threads", "0"], {"threads": 0}, "--threads must be at least 1"),
    ("run", ["--lr", "0"], {"learning_rate": 0}, "--lr must be a positive finite number"),
    ("run", ["--lr", "inf"], {"learning_rate": math.inf}, "--lr must be a positive finite number"),
    ("run", ["--lr", "nan"], {"learning_rate": math.nan}, "--lr must be a positive finite number"),
    ("run", ["--weight-scale", "-1"], {"weight_scale": -1}, "--weight-scale must be a positive number"),
    ("run", ["--weight-scale", "0"], {"weight_scale": 0}, "--weight-scale must be a positive number"),
    ("run", ["--weight-scale", "1e39"], {"weight_scale": 1e39}, "--weight-scale must be a positive number up to 1e+06"),
    ("run", ["--impl", "scratch,scratch"], {"implementations": "scratch,scratch"},
     "--impl names scratch more than once"),
    ("run", ["--impl", "scratch,torch"], {"implementations": ["scratch", "torch"]},
     "unknown implementation torch; valid: gluon, gluon-hybrid, scratch"),
    ("run", ["--ctx", "tpu"], {"ctx": "tpu"}, "unknown context 'tpu'"),
    ("run", ["--ctx", "gpu(0)"], {"ctx": "gpu(0)"}, "has no CUDA; install a CUDA build instead, e.g. mxnet-cu112"),
    ("run", ["--ctx", "gpu"], {"ctx": "gpu"}, NO_CUDA),
    ("run", ["--ctx", "gpu:0,1"], {"ctx": "gpu:0,1"}, NO_CUDA),
    ("run", ["--precision", "fp8"], {"precision": "fp8"}, "--precision: unknown precision 'fp8'; use float32 or bf16"),
    ("run", ["--precision", ""], {"precision": ""}, "--precision: unknown precision ''"),
    ("run", ["--precision", "bf16,bf16"], {"precision": ["bf16", "bf16"]}, "--precision repeats a precision"),
    ("run", ["--precision", "float32,bf16", "--optimizer", "sgd,adam"],
     {"precision": "float32,bf16", "optimizer": ["sgd", "adam"]}, "compare precisions under one rule at a time"),
    ("run", ["--precision", "bf16", "--ctx", "gpu"], {"precision": "bf16", "ctx": "gpu"},
     "--precision bf16 runs on the CPU only"),
    ("check", ["--precision", "float32,bf16"], {"precision": "float32,bf16"}, "check takes one precision"),
    ("check", ["--precision", "half"], {"precision": "half"}, "unknown precision 'half'"),
    ("bench", ["--precision", "bf16", "--ctx", "gpu:0"], {"precision": "bf16", "ctx": "gpu:0"}, "on the CPU only"),
    ("check", ["--steps", "0"], {"steps": 0}, "--steps must be 1 to 100,000, got 0"),
    ("check", ["--steps", "-1"], {"steps": -1}, "--steps must be 1 to 100,000, got -1"),
    ("check", ["--batch-size", "1"], {"batch_size": 1}, "--batch-size must be at least 2"),
    ("check", ["--seed", "-1"], {"seed": -1}, "--seed must be a whole number ≥ 0"),
    ("check", ["--lr", "0"], {"learning_rate": 0}, "--lr must be a positive finite number"),
    ("check", ["--lr", "-1"], {"learning_rate": -1}, "--lr must be a positive finite number"),
    ("check", ["--lr", "nan"], {"learning_rate": math.nan}, "--lr must be a positive finite number"),
    ("check", ["--impl", "scratch"], {"implementations": ["scratch"]}, "name at least one other in --impl"),
    ("check", ["--impl", "gluon,nope"], {"implementations": ["gluon", "nope"]}, "unknown implementation nope"),
    ("check", ["--ctx", "gpu(1)"], {"ctx": "gpu(1)"}, NO_CUDA),
    ("bench", ["--repeat", "0"], {"repeat": 0}, "--repeat must be 1 to 10,000, got 0"),
    ("bench", ["--batch-size", "0"], {"batch_size": 0}, "--batch-size values must be at least 1"),
    ("bench", ["--seed", "-1"], {"seed": -1}, "--seed must be a whole number ≥ 0"),
    ("bench", ["--impl", "scratch,scratch"], {"implementations": "scratch,scratch"}, "more than once"),
    ("bench", ["--impl", "nope"], {"implementations": ["nope"]}, "unknown implementation nope"),
    ("bench", ["--ctx", "gpu:0"], {"ctx": "gpu:0"}, NO_CUDA),
    ("profile", ["--steps", "0"], {"steps": 0}, "--steps must be 1 to 100,000, got 0"),
    ("profile", ["--batch-size", "0"], {"batch_size": 0}, "--batch-size must be at least 1"),
    ("profile", ["--impl", "nope"], {"implementations": ["nope"]}, "unknown implementation nope"),
]
IDS = [f"{command} {' '.join(flags)}" for command, flags, _, _ in CASES]


@pytest.fixture()
def earlier(tmp_path: Path) -> Path:
    """A results file from before: a refused command must leave it as it was."""
    path = tmp_path / "r.json"
    path.write_text(EARLIER)
    return path


def _data(command: str, synthetic_dir: Path) -> tuple[list[str], dict]:
    """Where the case's data would come from (the synthetic files for run, generated batches for check), as flags
    and as options."""
    if command == "run":
        return ["--data-dir", str(synthetic_dir)], {"data_dir": synthetic_dir, "progress": False}
    if command == "check":
        return ["--synthetic"], {"synthetic": True}
    return [], {}


def _leftovers(folder: Path) -> list[str]:
    return [str(path) for path in folder.rglob(".*.tmp-*")]


@pytest.mark.parametrize("command, flags, options, message", CASES, ids=IDS)
def test_a_bad_flag_is_one_line_exit_2_before_any_work(command, flags, options, message, synthetic_dir, earlier,
                                                        capsys):
    output = io.StringIO()
    code = main([command, *_data(command, synthetic_dir)[0], *flags, "--json", str(earlier)],
                console=Console(file=output, width=120))
    error = capsys.readouterr().err
    assert code == 2, error
    assert message in error and error.count("\n") == 1 and "Traceback" not in error
    assert output.getvalue() == ""  # refused before any table
    assert earlier.read_text() == EARLIER and _leftovers(earlier.parent) == []


def _assert_raised_from_the_api(caught: pytest.ExceptionInfo, message: str) -> None:
    """A UsageError (so a ValueError), one line, its traceback ending in the API's wrapper, not deep inside."""
    assert isinstance(caught.value, compare.UsageError)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    frames = traceback.extract_tb(caught.value.__traceback__)
    assert frames[-1].filename.endswith(str(Path("compare", "api", "session.py")))
    assert caught.value.__suppress_context__


@pytest.mark.parametrize("command, flags, options, message", CASES, ids=IDS)
def test_the_same_value_from_python_is_the_same_line_raised_from_the_api(command, flags, options, message,
                                                                        synthetic_dir, earlier):
    with pytest.raises(ValueError) as caught:
        getattr(compare, command)(**_data(command, synthetic_dir)[1], **options, json=earlier)
    _assert_raised_from_the_api(caught, message)
    assert earlier.read_text() == EARLIER and _leftovers(earlier.parent) == []


@pytest.mark.parametrize("options, message", [
    ({"epoch": 3}, "has no option 'epoch' (did you mean epochs?)"),
    ({"epochs": 1.5}, "epochs must be a whole number"),
    ({"learning_rate": "fast"}, "learning_rate must be a number"),
])
def test_an_option_only_python_can_get_wrong_is_one_line_raised_from_the_api(options, message):
    with pytest.raises(ValueError) as caught:
        compare.run(**options)
    _assert_raised_from_the_api(caught, message)
