"""The CLI against a table of hostile inputs: each is one line on stderr with its documented exit code, no
traceback, no temporary file left behind, and an earlier results file untouched.

In-process cases fail before any training; the process-level cases (pipes, encodings, a full device,
SIGTERM) run `python -m compare` for real.
"""
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fresh_interpreter import BOUND_SECONDS
from idx_files import write_dataset
from rich.console import Console

from compare.cli import main

EARLIER = '{"earlier": true}\n'
LONG = "x" * 300


@pytest.fixture()
def place(tmp_path: Path, synthetic_dir: Path) -> dict:
    """A folder with an earlier results file, a plain file to block paths, and a data set of 0 examples."""
    (tmp_path / "r.json").write_text(EARLIER)
    (tmp_path / "file").write_text("")
    write_dataset(tmp_path / "empty", num_train=0, num_test=10)
    return {"tmp": str(tmp_path), "data": str(synthetic_dir), "r": str(tmp_path / "r.json"), "long": LONG}


RUN = ["run", "--data-dir", "{data}", "--epochs", "1", "--batch-size", "64", "--quiet", "--json", "{r}"]
REGRESSION = ["run", "--model", "linear-regression", "--epochs", "1", "--quiet", "--json", "{r}"]
# Values the Python API takes too are in test_bad_values.py, through both doors; these reach the command line only.
CASES = [
    # (argv, exit code, text the one line must hold)
    (RUN + ["--epochs", "two"], 2, "invalid int value: 'two'"),
    (RUN + ["--limit", "500"], 2, "--limit 500: the training split has 200 examples"),  # not cut to 200 unsaid
    (REGRESSION + ["--limit", "5000"], 2, "--limit 5,000: --model linear-regression draws 1,000 training examples; "
                                          "give at most 1,000, or leave --limit out"),
    # a regression's outputs are its predictions: never called logits, its spec never by its class name
    (REGRESSION + ["--impl", "x=outside_implementations:TwoPredictionsPerExample"], 2,
     "x: forward gives predictions of shape (2, 2), expected (2, 1)"),
    (REGRESSION + ["--impl", "x=outside_implementations:Float64Predictions"], 2,
     "x: forward gives float64 predictions, expected float32"),
    (REGRESSION + ["--impl", "x=implementations.lenet.scratch:ScratchLeNet"], 2,
     "AttributeError: the spec of --model linear-regression has no attribute"),
    (RUN + ["--impl", "a=outside_implementations:HalfStepScratch,a=outside_implementations:NineClasses"], 2,
     "--impl names a more than once"),
    (RUN + ["--impl", "nosuchmodule:X"], 2, "cannot import nosuchmodule (ModuleNotFoundError"),
    (RUN + ["--impl", "outside_implementations:missing_attr"], 2, "has no attribute missing_attr"),
    (RUN + ["--impl", "outside_implementations:"], 2, "expected a built-in name or [NAME=]module.path:attr"),
    (RUN + ["--impl", "x=outside_implementations:NOT_CALLABLE"], 2, "is not callable"),
    (RUN + ["--impl", "x=outside_implementations:factory_that_raises"], 2,
     "x: building it raised ValueError: no GPU in my laptop"),
    (RUN + ["--impl", "x=outside_implementations:NoLayerOutputs"], 2, "x: not a Model, missing layer_outputs"),
    (RUN + ["--impl", "x=outside_implementations:WronglyNamedParameters"], 2, "unexpected ['W1']"),
    (RUN + ["--impl", "x=outside_implementations:NineClasses"], 2, "logits of shape (2, 9), expected (2, 10)"),
    (RUN + ["--impl", "gluon=outside_implementations:HalfStepScratch"], 2, "gluon is a built-in name"),
    (RUN + ["--ctx", "cpu:99999999999"], 2, "device index 99999999999 is above 1023"),
    (RUN + ["--ctx", "cpu:0,cpu:0"], 2, "cpu(0) is listed twice"),
    (RUN + ["--ctx", "cpu,gpu:1"], 2, "mixes CPU and GPU contexts"),
    (RUN + ["--ctx", "cpu:0,cpu:1", "--batch-size", "1"], 2, "more contexts than examples in a batch"),
    (RUN + ["--ctx", "cpu:0,cpu:1", "--limit", "65"], 2, "the epoch's last batch has 1 example(s)"),
    (RUN + ["--kvstore", "dist_sync"], 2, "--kvstore dist_sync needs a launcher's environment"),
    (["bench", "--ctx", "cpu:0,cpu:1", "--batch-size", "1,8", "--json", "{r}"], 2, "more contexts than examples"),
    (["profile", "--ctx", "cpu:0,cpu:1", "--batch-size", "1"], 2, "more contexts than examples"),
    (RUN + ["--json", "{tmp}/{long}.json"], 2, "is longer than 255 bytes"),
    (RUN + ["--json", "{tmp}/file/r2.json"], 2, "cannot be created"),
    (RUN + ["--save-params", "{tmp}/file"], 2, "exists and is not a folder"),
    (RUN + ["--plots", "{tmp}/file/plots"], 2, "cannot be created"),
    (["run", "--data-dir", "{tmp}/{long}", "--json", "{r}"], 3, "cannot look for Fashion-MNIST there"),
    (["run", "--data-dir", "{tmp}/missing", "--json", "{r}"], 3, "--data-dir is not a folder"),
    (["run", "--data-dir", "{tmp}/empty", "--json", "{r}"], 3, "declares 0 examples"),
    (["check", "--synthetic", "--batch-size", "1000000000000"], 2, "not enough memory for --batch-size"),
    (["check", "--data-dir", "{tmp}/empty"], 3, "declares 0 examples"),
    (["bench", "--batch-size", "1,x", "--json", "{r}"], 2, "comma-separated whole numbers"),
    (["bench", "--json", "{tmp}"], 2, "is a folder, expected a file path"),
    (["bench", "--batch-size", "1000000000000", "--repeat", "1", "--impl", "scratch", "--json", "{r}"], 2,
     "not enough memory for --batch-size"),
    (["bench", "--batch-size", "1000000", "--repeat", "1", "--impl", "scratch", "--json", "{r}"], 2,
     "not enough memory for --batch-size 1,000,000: a training step needs about"),
    (RUN + ["--batch-size", "1000000"], 2, "not enough memory for --batch-size 1,000,000"),
    (["profile", "--batch-size", "1000000"], 2, "not enough memory for --batch-size 1,000,000"),
    (RUN + ["--json", "{tmp}/pl/throughput.png", "--plots", "{tmp}/pl"], 2, "writes there too"),
    (RUN + ["--json", "{tmp}/d/scratch.params", "--save-params", "{tmp}/d"], 2, "writes there too"),
    (RUN + ["--json", "{tmp}/same", "--plots", "{tmp}/same"], 2, "--plots (its folder) writes there too"),
    (RUN + ["--impl", "../evil=outside_implementations:HalfStepScratch", "--save-params", "{tmp}/spd"], 2,
     "--impl name '../evil' cannot name a file"),
    (RUN + ["--impl", "a/b=outside_implementations:HalfStepScratch"], 2, "--impl name 'a/b' cannot name a file"),
    (RUN + ["--impl", "mine@adam=outside_implementations:HalfStepScratch"], 2, "'@' marks an update rule"),
    (RUN + ["--impl", "bell\x07=outside_implementations:HalfStepScratch"], 2, "holds control characters"),
    (RUN + ["--impl", ""], 2, "names no implementation"),
    (RUN + ["--impl", ","], 2, "names no implementation"),
    (["diff", "{r}", "{tmp}/other.json", "--json", "{r}"], 2, "is also an input of the diff"),
    (["diff", "/dev/zero", "{r}"], 4, "larger than 64 MiB, not a results file"),
    (RUN + ["--repeats", "100000000"], 2, "--repeats must be 1 to 1,000, got 100000000"),
    (RUN + ["--seeds", ",".join(map(str, range(1001)))], 2, "--seeds names more than 1,000 seeds"),
    (RUN + ["--threads", "20000"], 2, "--threads 20000: this process may use"),
    (RUN + ["--threads", "2147483648"], 2, "--threads 2147483648: this process may use"),
    (RUN + ["--lr", "1e-300"], 2, "--lr 1e-300 is 0 in float32"),
    (RUN + ["--lr", "1e39"], 2, "is inf in float32"),
    (RUN + ["--plots", ""], 2, "--plots: an empty path names nothing"),
    (["bench", "--threads", "100000", "--json", "{r}"], 2, "--threads 100000: this process may use"),
    (["bench", "--batch-size", "1,1", "--json", "{r}"], 2, "--batch-size repeats a size: 1,1"),
    (["bench", "--repeat", "1000000000", "--json", "{r}"], 2, "--repeat must be 1 to 10,000"),
    (["check", "--synthetic", "--steps", "1000000000"], 2, "--steps must be 1 to 100,000"),
    (["profile", "--steps", "1000000000"], 2, "--steps must be 1 to 100,000"),
    (["launch", "--workers", "100000", "--", "run"], 2, "--workers 100000: at most 64 processes"),
    (["plot", "{r}", "--out", ""], 2, "--out: an empty path names nothing"),
    (RUN + ["--impl", "x=outside_implementations:Float64Logits"], 2, "x: forward gives float64 logits, expected float32"),
    (RUN + ["--impl", "x=outside_implementations:IgnoresLoadedWeights"], 2,
     "x: after load_parameters, parameters()['conv1.weight'] holds other values"),
    (RUN + ["--impl", "x=outside_implementations:WritesWeightsInForward"], 2,
     "x: forward writes into parameters()['conv1.bias'] (now 1 everywhere): a forward pass must leave the weights"),
    (RUN + ["--impl", "x=outside_implementations:ReportsLoadedButUsesOwn"], 2,
     "x: forward gives the same logits after load_parameters changed every weight"),
    (RUN + ["--impl", "x=outside_implementations:TupleForward"], 2, "x: forward returns a tuple, expected an NDArray"),
    (["plot", "{tmp}/missing.json", "--out", "{tmp}/out"], 4, "cannot read (No such file or directory)"),
    (["plot", "{tmp}/file", "--out", "{tmp}/out"], 4, "not a JSON results file"),
    (["plot", "{r}", "--out", "{tmp}/out"], 4, "schema None"),
    (["plot", "{r}", "--out", "{tmp}/file"], 2, "exists and is not a folder"),
    (RUN + ["--init", "xavier", "--weight-scale", "1e6"], 2, "--weight-scale 1e+06 applies to --init normal only"),
    (["check", "--batch-size", "500", "--data-dir", "{data}"], 2, "--batch-size 500: the training split has 200"),
    (RUN + ["--engine", "naive", "--engine-workers", "2"], 2, "--engine-workers 2: the naive engine has no worker"),
    (RUN + ["--impl", "\udcc3\udca9=outside_implementations:HalfStepScratch"], 2,
     "holds bytes this locale cannot decode (LC_ALL=C?"),
    (["profile", "--trace", "{tmp}/t", "--json", "{tmp}/t/profile.png"], 2, "writes there too"),
    (["profile", "--trace", "{tmp}/t", "--json", "{tmp}/t/gluon.json"], 2, "writes there too"),
    (["profile", "--trace", "{tmp}/t", "--json", "{tmp}/t"], 2, "--trace (its folder) writes there too"),
    (RUN + ["--seeds", "0,1", "--save-params", "{tmp}/p"], 2, "--save-params keeps one run's weights"),
    (["run", "--model", "lenet-bn", "--epochs", "1", "--impl", "x=outside_implementations:NoStateLeNetBN"], 2,
     "x: not a Model, missing state, load_state"),
]


def _leftovers(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob(".*.tmp-*")]


@pytest.mark.parametrize("argv, code, message", CASES, ids=[" ".join(c[0][:1] + c[0][-2:]) for c in CASES])
def test_hostile_input_is_one_line_with_its_exit_code(place, capsys, argv, code, message):
    argv = [arg.format(**place).replace("\\x07", "\x07") for arg in argv]
    try:
        got = main(argv, console=Console(file=io.StringIO(), width=120))
    except SystemExit as exit_:  # argparse's own errors
        got = exit_.code
    error = capsys.readouterr().err
    assert got == code, error
    assert message in error
    assert error.count("\n") == 1 and "Traceback" not in error
    assert _leftovers(Path(place["tmp"])) == []
    assert Path(place["r"]).read_text() == EARLIER


@pytest.mark.parametrize("argv", [
    ["run", "--model", "linear-regression", "--quiet", "--json", "{tmp}/newdir/"],
    ["check", "--model", "linear-regression", "--json", "{tmp}/newdir/"],
    ["bench", "--model", "linear-regression", "--batch-size", "4", "--json", "{tmp}/newdir/"],
    ["diff", "{r}", "{r}", "--json", "{tmp}/newdir/"],
    ["run", "--model", "linear-regression", "--tuned", "{tmp}/newdir/"],
])
def test_a_file_flag_ending_in_a_slash_names_a_folder_and_writes_nothing(place, capsys, argv):
    """`Path("newdir/")` is `Path("newdir")`: without this refusal a file named newdir would be written."""
    try:
        got = main([arg.format(**place) for arg in argv], console=Console(file=io.StringIO(), width=120))
    except SystemExit as exit_:  # argparse's own errors
        got = exit_.code
    error = capsys.readouterr().err
    assert got == 2 and "newdir/ ends in '/', which names a folder; give a file path, e.g. " in error
    assert error.count("\n") == 1 and not (Path(place["tmp"]) / "newdir").exists()


def test_the_api_refuses_a_json_path_ending_in_a_slash(tmp_path):
    import compare

    with pytest.raises(compare.UsageError, match="ends in '/', which names a folder"):
        compare.run(model="linear-regression", json=f"{tmp_path}/newdir/", progress=False)
    assert not (tmp_path / "newdir").exists()


def test_a_module_with_a_syntax_error_in_the_working_directory_is_one_line(place, capsys, monkeypatch):
    monkeypatch.chdir(place["tmp"])
    Path(place["tmp"], "my_broken_lenet.py").write_text("def Net(spec, ctx)\n    return None\n")
    code = main(["run", "--data-dir", place["data"], "--impl", "my_broken_lenet:Net", "--json", place["r"]],
                console=Console(file=io.StringIO()))
    error = capsys.readouterr().err
    assert code == 2 and "cannot import my_broken_lenet (SyntaxError" in error and error.count("\n") == 1
    assert Path(place["r"]).read_text() == EARLIER


def test_an_unsearchable_mxnet_home_is_a_data_error(place, capsys, monkeypatch):
    monkeypatch.setenv("MXNET_HOME", f"{place['tmp']}/{LONG}")
    code = main(["check", "--impl", "gluon"], console=Console(file=io.StringIO()))
    error = capsys.readouterr().err
    assert code == 3 and "cannot look for Fashion-MNIST there (File name too long)" in error
    assert error.count("\n") == 1


# ---- the real process: pipes, encodings, a full device, signals ----

STARTED: list[subprocess.Popen] = []  # every process _compare started in the current test


@pytest.fixture(autouse=True)
def no_process_left_behind():
    """A test that fails (or whose bound ran out) mid-way kills what it started."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.communicate()


def _compare(*argv: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, **kwargs.pop("env", {})}
    process = subprocess.Popen([sys.executable, "-m", "compare", *argv], env=env, **kwargs)
    STARTED.append(process)
    return process


def _fast_run(data: str, json_path: str, *extra: str) -> list[str]:
    return ["run", "--data-dir", data, "--epochs", "1", "--batch-size", "64", "--json", json_path, *extra]


def test_reading_only_the_first_line_of_the_output_loses_nothing(place):
    process = _compare(*_fast_run(place["data"], place["r"]), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=BOUND_SECONDS) == 0, stderr
    assert first.startswith(b"scratch: training") and stderr == ""
    assert json.loads(Path(place["r"]).read_text())["runs"][0]["results"]["gluon-hybrid"]["status"] == "ok"


def test_a_terminal_that_cannot_encode_the_tables_gets_ascii(place):
    process = _compare(*_fast_run(place["data"], place["r"], "--seeds", "0,1"), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env={"PYTHONIOENCODING": "ascii", "COLUMNS": "80"})
    stdout, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == 0, stderr
    text = stdout.decode("ascii")  # every byte is ASCII
    assert "1.00x" in text and "(d" in text and "+----" in text  # x for ×, d for Δ, ASCII boxes
    assert "+/-" in text  # the seeds table's ±, replaced before the table was laid out
    for block in re.findall(r"(?:^[+|].*\n)+", text, flags=re.MULTILINE):  # each table's box lines up
        assert len({len(line) for line in block.splitlines()}) == 1, block
    assert json.loads(Path(place["r"]).read_text())["schema"] == 2


def test_stdout_on_a_full_device_is_exit_4_after_the_files_are_written(place):
    with open("/dev/full", "w") as full:
        process = _compare(*_fast_run(place["data"], place["r"], "--impl", "scratch"), stdout=full,
                           stderr=subprocess.PIPE)
        stderr = process.communicate(timeout=BOUND_SECONDS)[1].decode()
    assert process.returncode == 4
    assert stderr.count("\n") == 1 and "cannot write to stdout (No space left on device)" in stderr
    assert json.loads(Path(place["r"]).read_text())["runs"][0]["results"]["scratch"]["status"] == "ok"


def test_sigterm_saves_what_was_measured_and_exits_143(place):
    argv = ["run", "--data-dir", place["data"], "--epochs", "500", "--batch-size", "20", "--json", place["r"]]
    process = _compare(*argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for line in process.stdout:  # plain progress lines: wait for the first finished epoch
        if b"epoch 1 " in line:
            break
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == 143
    assert stderr.decode().count("\n") == 1 and "interrupted (SIGTERM)" in stderr.decode()
    document = json.loads(Path(place["r"]).read_text())
    assert document["interrupted"] is True
    assert document["runs"][0]["results"]["scratch"]["status"] == "interrupted"
    assert len(document["runs"][0]["results"]["scratch"]["epochs"]) >= 1
    assert _leftovers(Path(place["tmp"])) == []


@pytest.mark.parametrize("command", [["run", "--epochs", "1", "--batch-size", "64", "--impl", "scratch,gluon"],
                                     ["bench", "--batch-size", "4", "--repeat", "1", "--impl", "scratch"]])
def test_json_dash_puts_only_json_on_stdout_and_the_tables_on_stderr(place, command):
    argv = [*command, "--json", "-"] + (["--data-dir", place["data"]] if command[0] == "run" else [])
    process = _compare(*argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == 0, stderr
    document = json.loads(stdout)  # the whole of stdout is one JSON document
    assert document["kind"] == command[0]
    assert "scratch" in stderr.decode() and "samples/s" in stderr.decode()


def _catches(pid: int, signum: int) -> bool:
    """Has process `pid` installed a handler for `signum` (the SigCgt mask of /proc/PID/status)?"""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(mask & (1 << (signum - 1)))


@pytest.mark.parametrize("signum, code, name", [(signal.SIGINT, 130, "Ctrl-C"), (signal.SIGTERM, 143, "SIGTERM")])
def test_a_signal_in_the_first_instant_is_one_line_and_its_exit_code(place, signum, code, name):
    """The moment the package has its handlers (a few ms after Python starts: nothing is loaded yet)."""
    process = _compare(*_fast_run(place["data"], place["r"]), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while process.poll() is None and not _catches(process.pid, signal.SIGTERM):  # Python alone catches only SIGINT
        pass
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == code, stderr
    assert stderr.decode().count("\n") == 1 and f"interrupted ({name})" in stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert Path(place["r"]).read_text() == EARLIER and _leftovers(Path(place["tmp"])) == []


@pytest.mark.parametrize("name", ["[bold]x", "[red]", "wow:fire:"])  # names with '/' cannot name files
def test_names_with_markup_or_emoji_codes_are_printed_literally(place, tmp_path, name):
    output, path = io.StringIO(), tmp_path / "r.json"
    argv = ["run", "--data-dir", place["data"], "--epochs", "1", "--batch-size", "64", "--json", str(path),
            "--impl", f"{name}=outside_implementations:HalfStepScratch"]
    assert main(argv, console=Console(file=output, width=200)) == 0
    text = output.getvalue()
    assert f"{name}: training" in text and f"│ {name}" in text and "🔥" not in text
    assert name in json.loads(path.read_text())["runs"][0]["results"]


def test_an_error_naming_an_emoji_code_is_printed_literally(place, capsys):
    code = main(["run", "--data-dir", place["data"], "--impl", "mine=nosuchmod:X"], console=Console(file=io.StringIO()))
    error = capsys.readouterr().err
    assert code == 2 and "--impl mine=nosuchmod:X: cannot import nosuchmod" in error and "❌" not in error


def test_json_to_dev_stdout_appended_to_a_log_keeps_the_log(place, tmp_path):
    """`run --json /dev/stdout >> log.txt`: the log keeps what it held, then the JSON alone (the progress and the
    tables go to stderr, where they cannot interleave with it)."""
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n")
    for target in ("/dev/stdout", "/proc/self/fd/1", str(log)):
        with open(log, "a") as stdout:
            process = _compare(*_fast_run(place["data"], target, "--impl", "scratch"), stdout=stdout,
                               stderr=subprocess.PIPE, text=True)
            _, stderr = process.communicate(timeout=BOUND_SECONDS)
            assert process.returncode == 0, stderr
        text = log.read_text()
        assert text.startswith("earlier line\n") and json.loads(text.split("\n", 1)[1])["schema"] == 2, target
        assert "Throughput" in stderr
        log.write_text("earlier line\n")


def test_an_implementation_that_prints_does_not_break_json_on_stdout(place):
    argv = ["run", "--data-dir", place["data"], "--epochs", "1", "--batch-size", "64", "--json", "-",
            "--impl", "scratch,talker=outside_implementations:PrintsAlong"]
    process = _compare(*argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(Path(__file__).parent))
    stdout, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == 0, stderr
    assert json.loads(stdout)["runs"][0]["results"]["talker"]["status"] == "ok"  # stdout: the JSON alone
    assert b"step!" in stderr


@pytest.mark.parametrize("attr, message", [
    ("FailsAboveTwoImages", "RuntimeError: my kernel takes at most 2 images"),
    ("FiveClassesBeyondTwoImages", "ProtocolViolation: forward gave logits of shape (64, 5) for 64 images"),
])
def test_an_implementation_that_breaks_on_a_real_batch_is_marked_failed(place, tmp_path, attr, message):
    path = tmp_path / "r.json"
    code = main(["run", "--data-dir", place["data"], "--epochs", "1", "--batch-size", "64", "--json", str(path),
                 "--impl", f"scratch,mine=outside_implementations:{attr}"], console=Console(file=io.StringIO()))
    results = json.loads(path.read_text())["runs"][0]["results"]
    assert code == 1 and results["scratch"]["status"] == "ok"
    assert results["mine"]["status"] == "failed" and results["mine"]["message"].startswith(message)


def test_bench_with_an_implementation_that_raises_is_one_line_and_the_others_are_measured(place, capsys):
    output, path = io.StringIO(), Path(place["tmp"]) / "b.json"
    code = main(["bench", "--batch-size", "4", "--repeat", "2", "--json", str(path),
                 "--impl", "scratch,mine=outside_implementations:FailsAtThirdStep"],
                console=Console(file=output, width=120))
    text = output.getvalue()
    assert code == 1 and "Traceback" not in text + capsys.readouterr().err
    assert "mine: failed (batch 4: RuntimeError: my update broke on step 3)" in text
    document = json.loads(path.read_text())
    assert {row["implementation"] for row in document["rows"]} == {"scratch"} and "mine" in document["failures"]


@pytest.mark.parametrize("command, verdict", [
    (["check", "--synthetic", "--steps", "1", "--batch-size", "8", "--impl", "gluon"], "passed"),
    (["check", "--synthetic", "--steps", "1", "--batch-size", "8", "--impl", "half=outside_implementations:HalfStepScratch"],
     "failed"),
    (["profile", "--batch-size", "4", "--steps", "2", "--impl", "scratch"], None),
])
def test_check_and_profile_write_their_verdicts_as_json_to_stdout(command, verdict):
    process = _compare(*command, "--json", "-", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       cwd=str(Path(__file__).parent))
    stdout, stderr = process.communicate(timeout=BOUND_SECONDS)
    document = json.loads(stdout)  # the whole of stdout is one JSON document; the tables went to stderr
    assert document["kind"] == command[0] and "scratch" in stderr.decode()
    if verdict is not None:
        assert document["passed"] is (verdict == "passed") and process.returncode == (0 if verdict == "passed" else 1)
        assert len(document["comparisons"]) == 29 and document["comparisons"][0]["quantity"] == "logits"
    else:
        assert process.returncode == 0 and document["profiles"][0]["name"] == "scratch"
        assert document["profiles"][0]["step_ms"] > 0 and document["profiles"][0]["rows"]


@pytest.mark.parametrize("command, kept", [
    (["bench", "--batch-size", "1,4", "--repeat", "1",
      "--impl", "scratch,x=outside_implementations:InterruptedInItsSecondModel"], "rows"),
    (["profile", "--batch-size", "4", "--steps", "1", "--impl", "scratch,x=outside_implementations:SignalsItsParent"],
     "profiles"),
])
def test_bench_and_profile_keep_what_they_measured_before_a_signal(tmp_path, command, kept):
    """A real SIGINT, sent by the implementation itself at a known moment: the second batch size's first step
    (bench), or while the second implementation is profiled (profile, through the worker's parent)."""
    path = tmp_path / "out.json"
    process = _compare(*command, "--json", str(path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       cwd=Path(__file__).parent)
    stdout, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["interrupted (Ctrl-C): what was measured before it is in the tables and "
                                           "files"]
    document = json.loads(path.read_text())
    assert document["interrupted"] is True and document[kept], document
    assert f"wrote {path}" in stdout.replace("\n", "")


def test_a_signal_before_anything_is_kept_does_not_claim_otherwise():
    process = _compare("check", "--synthetic", "--impl", "x=outside_implementations:InterruptedAtSecondStep",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parent)
    _, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == 130
    assert stderr.strip().splitlines() == ["interrupted (Ctrl-C): before anything was measured to keep"]


@pytest.mark.parametrize("command", [["run", "--epochs", "1", "--batch-size", "64", "--impl", "scratch"],
                                     ["check", "--synthetic", "--steps", "1", "--impl", "gluon"]])
def test_json_to_dev_stdout_redirected_to_a_file_keeps_the_file_json(place, tmp_path, command):
    """`--json /dev/stdout > out.txt`: the tables go to stderr, so the file holds the JSON alone."""
    out = tmp_path / "out.txt"
    data = ["--data-dir", place["data"]] if command[0] == "run" else []
    with out.open("w") as stdout:
        process = _compare(*command, *data, "--json", "/dev/stdout", stdout=stdout, stderr=subprocess.PIPE, text=True)
        _, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == 0, stderr
    assert json.loads(out.read_text())["schema"] == 2
    assert "╭" in stderr or "┏" in stderr  # the tables, on stderr


def test_a_model_that_finished_before_the_signal_is_kept_finished(place, tmp_path):
    path, params = tmp_path / "r.json", tmp_path / "params"
    process = _compare("run", "--data-dir", place["data"], "--epochs", "1", "--batch-size", "64", "--quiet",
                       "--impl", "scratch,late=outside_implementations:SignalledWhilePredicting,gluon",
                       "--json", str(path), "--save-params", str(params),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parent)
    _, stderr = process.communicate(timeout=BOUND_SECONDS)
    assert process.returncode == 130, stderr
    results = json.loads(path.read_text())["runs"][0]["results"]
    assert [results[name]["status"] for name in ("scratch", "late", "gluon")] == ["ok", "ok", "interrupted"]
    assert (params / "late.params").is_file() and results["late"]["params_file"]


def test_a_signal_while_the_machine_limit_is_measured_after_training_keeps_everything(place, monkeypatch, tmp_path):
    """The GEMMs' measurement after the last epoch: a real SIGINT arrives in it (sent by the stand-in below); the
    measurement finishes, every file and table is written, then the run ends with 130."""
    from compare.measuring import machine_limit

    measured = machine_limit.measure_gemms

    def interrupted_meanwhile(ctx):
        os.kill(os.getpid(), signal.SIGINT)
        return measured(ctx)

    monkeypatch.setattr(machine_limit, "measure_gemms", interrupted_meanwhile)
    path = tmp_path / "r.json"
    code = main(["run", "--data-dir", place["data"], "--epochs", "1", "--batch-size", "64", "--quiet", "--impl",
                 "scratch", "--json", str(path)], console=Console(file=io.StringIO(), width=120))
    document = json.loads(path.read_text())
    assert code == 130 and document["interrupted"] is False  # every model had finished
    assert document["environment"]["arithmetic"]["limit_gflops"] > 0
