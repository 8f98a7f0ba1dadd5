"""`compare run` end to end on synthetic data: tables, JSON, faults, exit codes, determinism."""
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fresh_interpreter import BOUND_SECONDS, main_in_a_fresh_interpreter
from rich.console import Console

from compare.cli import main
from implementations.registry import implementation_names

FAST = ["--epochs", "2", "--batch-size", "64", "--quiet"]


def _run(argv: list[str]) -> tuple[int, str]:
    output = io.StringIO()
    code = main(argv, console=Console(file=output, width=120, color_system=None))
    return code, output.getvalue()


def test_run_prints_every_table_with_every_implementation_and_layer(synthetic_dir, tmp_path):
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--target-accuracy", "0.5"])
    assert code == 0
    for title in ("environment", "Shape trace", "Accuracy per epoch", "Throughput", "Time to 50.00%"):
        assert title in text
    for name in implementation_names():
        assert text.count(name) >= 4, name
    for layer in ("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2"):
        assert f"│ {layer} " in text
    assert "170,988" in text and "64×1250" in text


def test_json_results_have_the_documented_shape(synthetic_dir, tmp_path):
    path = tmp_path / "out" / "results.json"
    code, _ = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--json", str(path)])
    assert code == 0
    results = json.loads(path.read_text(), parse_constant=lambda constant: pytest.fail(constant))
    assert results["schema"] == 2 and results["kind"] == "run"
    assert results["recipe"]["epochs"] == 2 and results["recipe"]["batch_size"] == 64
    assert not {"json_path", "save_params_dir", "plots_dir", "quiet"} & set(results["recipe"])  # no output paths
    assert results["environment"]["mxnet"] == "1.9.1" and "MKLDNN" in results["environment"]["mxnet_features"]
    assert set(results["runs"][0]["results"]) == set(implementation_names())
    for result in results["runs"][0]["results"].values():
        assert result["status"] == "ok" and len(result["shape_trace"]) == 10
        assert [epoch["epoch"] for epoch in result["epochs"]] == [1, 2]
        epoch = result["epochs"][0]
        for key in ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "train_seconds",
                    "train_samples_per_second", "eval_samples_per_second"):
            assert isinstance(epoch[key], float) and epoch[key] >= 0, key
        assert epoch["train_examples"] == 200 and epoch["eval_examples"] == 100
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]


def test_model_learns_the_synthetic_classes(synthetic_dir):
    """The synthetic classes are separable: a correct loop must beat chance clearly in a few epochs."""
    path_code, text = _run(["run", "--data-dir", str(synthetic_dir), "--epochs", "4", "--batch-size", "20",
                            "--init", "xavier", "--lr", "0.1", "--impl", "scratch", "--quiet",
                            "--target-accuracy", "0.5"])
    assert path_code == 0 and "not reached" not in text


def _losses(path) -> dict:
    results = json.loads(path.read_text())["runs"][0]["results"]
    return {name: [(e["train_loss"], e["test_loss"], e["test_accuracy"]) for e in r["epochs"]]
            for name, r in results.items()}


def test_same_seed_same_numbers_other_seed_other_numbers(synthetic_dir, tmp_path):
    paths = [tmp_path / f"{index}.json" for index in range(3)]
    for path, seed in zip(paths, ("3", "3", "4")):
        assert _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--seed", seed, "--json", str(path)])[0] == 0
    first, second, other = (_losses(path) for path in paths)
    assert first == second
    assert first["scratch"] != other["scratch"]


def test_implementations_agree_exactly_on_every_epoch_on_cpu(synthetic_dir, tmp_path):
    """One seed, one weight draw, one batch order, one loop, same update rounding: identical numbers."""
    path = tmp_path / "r.json"
    _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--epochs", "3", "--json", str(path)])
    losses = _losses(path)
    assert losses["gluon"] == losses["scratch"] and losses["gluon-hybrid"] == losses["scratch"]


def test_huge_learning_rate_diverges_with_a_readable_report(synthetic_dir, tmp_path):
    path = tmp_path / "r.json"
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--lr", "1e4", "--weight-scale", "0.1",
                       "--json", str(path)])
    assert code == 1
    assert "diverged at epoch 1" in text
    results = json.loads(path.read_text(), parse_constant=lambda constant: pytest.fail(constant))
    assert {r["status"] for r in results["runs"][0]["results"].values()} == {"diverged"}
    assert all(r["stopped_at"]["epoch"] == 1 for r in results["runs"][0]["results"].values())


def test_one_diverging_implementation_does_not_stop_the_others(synthetic_dir, tmp_path):
    path = tmp_path / "r.json"
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--json", str(path),
                       "--impl", "scratch,nan-gluon=outside_implementations:NaNGluon,gluon-hybrid"])
    statuses = {name: r["status"] for name, r in json.loads(path.read_text())["runs"][0]["results"].items()}
    assert code == 1
    assert statuses == {"scratch": "ok", "nan-gluon": "diverged", "gluon-hybrid": "ok"}
    assert json.loads(path.read_text())["runs"][0]["results"]["nan-gluon"]["stopped_at"] == {"epoch": 1, "step": 1}


def test_ctrl_c_saves_partial_results_and_exits_130(synthetic_dir, tmp_path, capsys):
    path = tmp_path / "r.json"
    code, text = _run(["run", "--data-dir", str(synthetic_dir), "--epochs", "1", "--batch-size", "64",
                       "--impl", "scratch,stopper=outside_implementations:InterruptedAtSecondStep,gluon-hybrid",
                       "--quiet", "--json", str(path)])
    assert code == 130 and "interrupted" in text
    assert "interrupted (Ctrl-C)" in capsys.readouterr().err
    results = json.loads(path.read_text())
    assert results["interrupted"] is True
    assert results["runs"][0]["results"]["scratch"]["status"] == "ok" and len(results["runs"][0]["results"]["scratch"]["epochs"]) == 1
    assert results["runs"][0]["results"]["stopper"]["status"] == "interrupted"
    assert results["runs"][0]["results"]["stopper"]["stopped_at"] == {"epoch": 1, "step": 2}  # Ctrl-C arrived during step 2
    assert results["runs"][0]["results"]["gluon-hybrid"]["status"] == "interrupted"


def test_data_error_names_the_file_with_exit_3(tmp_path, capsys):
    from idx_files import write_dataset
    data_dir = write_dataset(tmp_path / "data", gz=False)
    broken = data_dir / "train-images-idx3-ubyte"
    broken.write_bytes(broken.read_bytes()[:-1])
    code = main(["run", "--data-dir", str(data_dir), "--json", str(tmp_path / "r.json")], console=Console(file=io.StringIO()))
    error = capsys.readouterr().err
    assert code == 3 and str(broken) in error and "truncated" in error and error.count("\n") == 1
    assert not (tmp_path / "r.json").exists()


def test_save_params_writes_one_loadable_file_per_implementation(synthetic_dir, tmp_path):
    from implementations.mxnet_compat import mx
    out = tmp_path / "params"
    code, _ = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--save-params", str(out), "--json",
                    str(tmp_path / "r.json")])
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.params" for n in implementation_names())
    assert sorted(mx.nd.load(str(out / "gluon-hybrid.params"))) == [
        "conv1.bias", "conv1.weight", "conv2.bias", "conv2.weight", "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"]
    recorded = json.loads((tmp_path / "r.json").read_text())["runs"][0]["results"]["scratch"]["params_file"]
    assert recorded == "params/scratch.params"  # beside the results file: relative to it


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["check", "--help"], ["bench", "--help"]])
def test_help_does_not_import_mxnet(argv):
    fresh = main_in_a_fresh_interpreter(argv)
    assert fresh.code == 0 and not fresh.mxnet_loaded
    assert "usage: python -m compare" in fresh.stdout


def _option_entries(help_text: str) -> list[str]:
    """The option entries of an argparse help text, each joined onto one line (the section is titled
    "optional arguments:" before Python 3.10, "options:" since)."""
    entries: list[str] = []
    section = re.split(r"^(?:optional arguments|options):$", help_text, maxsplit=1, flags=re.MULTILINE)[1]
    for line in section.split("exit codes:")[0].splitlines():
        if line.startswith("  -"):
            entries.append(line.strip())
        elif line.startswith("    ") and entries:
            entries[-1] += " " + line.strip()
    return entries


@pytest.mark.parametrize("command", ["run", "check", "bench"])
def test_every_flag_states_its_default(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    entries = [e for e in _option_entries(capsys.readouterr().out) if not e.startswith("-h, --help")]
    assert len(entries) >= 6
    for entry in entries:
        assert "(default" in entry, entry


def test_weight_scale_one_ends_in_a_readable_report_about_initialisation(synthetic_dir):
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--weight-scale", "1.0", "--impl", "scratch"])
    assert "Accuracy per epoch" in text and "the tutorial's warning about initialisation" in text
    assert "e+" in text  # the exploded first-epoch loss, in scientific notation
    assert code == (1 if "diverged at epoch" in text else 0)  # on real data it stalls, here it blows up


def test_results_path_under_a_file_is_refused_before_training(synthetic_dir, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--json", str(blocker / "r.json")])
    error = capsys.readouterr().err
    assert code == 2 and "cannot be created" in error and error.count("\n") == 1 and text == ""


def test_late_write_failure_is_exit_4_and_the_report_and_other_files_are_kept(synthetic_dir, tmp_path, capsys):
    params = tmp_path / "params"
    (params / "scratch.params").mkdir(parents=True)  # a folder where the parameter file should go
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--impl", "scratch,gluon",
                       "--save-params", str(params), "--json", str(tmp_path / "r.json")])
    error = capsys.readouterr().err
    assert code == 4 and "scratch.params: cannot write" in error and error.count("\n") == 1
    assert "Accuracy per epoch" in text
    results = json.loads((tmp_path / "r.json").read_text())["runs"][0]["results"]
    assert results["scratch"]["params_file"] is None and results["gluon"]["params_file"] == "params/gluon.params"


def test_an_exploded_loss_is_divergence_for_every_implementation_alike(synthetic_dir, tmp_path):
    """At --lr 1e30 the loss stays finite in Gluon (its ReLU maps NaN to 0) but explodes: all diverge at once."""
    path = tmp_path / "r.json"
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--lr", "1e30", "--json", str(path)])
    results = json.loads(path.read_text())["runs"][0]["results"]
    assert code == 1
    assert {name: (r["status"], r["stopped_at"]["step"]) for name, r in results.items()} == {
        name: ("diverged", 2) for name in implementation_names()}


def test_a_failing_implementation_is_marked_failed_and_the_others_still_train(synthetic_dir, tmp_path, capsys):
    path = tmp_path / "r.json"
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--json", str(path), "--plots",
                       str(tmp_path / "plots"), "--impl", "scratch,mine=outside_implementations:FailsAtThirdStep"])
    results = json.loads(path.read_text())["runs"][0]["results"]
    assert code == 1 and capsys.readouterr().err == ""
    assert results["scratch"]["status"] == "ok" and len(results["scratch"]["epochs"]) == 2
    assert results["mine"]["status"] == "failed"
    assert results["mine"]["message"] == "RuntimeError: my update broke on step 3"
    assert "mine failed (RuntimeError: my update broke on step 3)" in text
    assert (tmp_path / "plots" / "learning_curves.png").is_file()


def test_verbose_shows_the_traceback_of_a_failing_implementation(synthetic_dir, tmp_path):
    argv = ["-v", "run", "--data-dir", str(synthetic_dir), *FAST, "--impl", "mine=outside_implementations:FailsAtThirdStep"]
    process = subprocess.run([sys.executable, "-m", "compare", *argv], capture_output=True, text=True,
                             cwd=str(Path(__file__).parent), timeout=BOUND_SECONDS)
    assert process.returncode == 1
    assert "Traceback" in process.stderr and "my update broke on step 3" in process.stderr


def test_the_readme_exit_code_table_is_the_one_the_code_uses():
    from compare.errors import ExitCode
    reference = (Path(__file__).parents[1] / "docs" / "reference.md").read_text()
    table = reference.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    documented = {int(line.split("|")[1]) for line in table.splitlines() if line.startswith("| ") and
                  line.split("|")[1].strip().isdigit()}
    assert documented == {int(code) for code in ExitCode}


def test_several_seeds_train_each_seed_exactly_as_a_one_seed_run_would(synthetic_dir, tmp_path):
    single, several = tmp_path / "one.json", tmp_path / "three.json"
    _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--impl", "scratch,gluon", "--seed", "2", "--json", str(single)])
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--impl", "scratch,gluon", "--seeds", "0,2,5",
                       "--json", str(several)])
    document = json.loads(several.read_text())
    assert code == 0 and [run["seed"] for run in document["runs"]] == [0, 2, 5]
    losses = lambda results: {n: [e["train_loss"] for e in r["epochs"]] for n, r in results.items()}
    assert losses(document["runs"][1]["results"]) == losses(json.loads(single.read_text())["runs"][0]["results"])
    assert "Across 3 seeds" in text and "no detectable difference" in text  # gluon is bit-identical to scratch
    accuracy = document["aggregates"]["by_implementation"]["gluon"]["final test accuracy"]
    assert accuracy["n"] == 3 and accuracy["paired_difference"]["mean"] == 0 and accuracy["low"] <= accuracy["high"]


def test_repeats_mean_consecutive_seeds_and_one_seed_shows_no_summary(synthetic_dir, tmp_path):
    path = tmp_path / "r.json"
    _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--impl", "scratch", "--seed", "4", "--repeats", "2",
          "--json", str(path)])
    assert [run["seed"] for run in json.loads(path.read_text())["runs"]] == [4, 5]
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--impl", "scratch"])
    assert code == 0 and "Across" not in text and "seed 0 of" not in text


@pytest.mark.parametrize("threads", ["1", "2"])
def test_threads_are_set_before_mxnet_loads_and_recorded_as_in_force(tmp_path, threads):
    path = tmp_path / "b.json"
    subprocess.run([sys.executable, "-m", "compare", "bench", "--threads", threads, "--batch-size", "4",
                    "--repeat", "1", "--impl", "scratch", "--json", str(path)], check=True, capture_output=True,
                   timeout=BOUND_SECONDS)
    record = json.loads(path.read_text())["environment"]["threads"]
    assert record["set"]["OMP_NUM_THREADS"] == threads
    assert [pool["threads"] for pool in record["in_force"] if pool["api"] == "openmp"] == [int(threads)]
    assert record["cpus_available"] >= 1


def test_threads_cannot_change_once_mxnet_is_loaded(capsys):
    from compare.measuring.threads import openmp_threads
    other = openmp_threads() + 1
    assert main(["bench", "--threads", str(other)], console=Console(file=io.StringIO())) == 2
    assert "mxnet is already loaded" in capsys.readouterr().err


@pytest.mark.parametrize("attr, message", [
    ("ExitsWithSeven", "SystemExit: 7"),
    ("ExitsWithZero", "SystemExit: 0"),
    ("RaisesKeyboardInterruptItself", "KeyboardInterrupt"),
])
def test_an_implementation_that_exits_or_raises_keyboardinterrupt_itself_just_fails(synthetic_dir, tmp_path,
                                                                                     attr, message):
    path = tmp_path / "r.json"
    code, text = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--json", str(path),
                       "--impl", f"scratch,mine=outside_implementations:{attr},gluon"])
    results = json.loads(path.read_text())
    assert code == 1 and results["interrupted"] is False
    statuses = {name: r["status"] for name, r in results["runs"][0]["results"].items()}
    assert statuses == {"scratch": "ok", "mine": "failed", "gluon": "ok"}
    assert results["runs"][0]["results"]["mine"]["message"].startswith(message)


def test_a_factory_that_calls_sys_exit_is_refused_before_training(synthetic_dir, tmp_path, capsys):
    path = tmp_path / "r.json"
    code, _ = _run(["run", "--data-dir", str(synthetic_dir), *FAST, "--json", str(path),
                    "--impl", "mine=outside_implementations:factory_that_exits"])
    error = capsys.readouterr().err
    assert code == 2 and "mine: building it raised SystemExit: 3" in error and error.count("\n") == 1
    assert not path.exists()


def test_sigterm_while_the_results_are_written_finishes_writing_them_then_exits_143(synthetic_dir, tmp_path):
    path, params, plots = tmp_path / "r.json", tmp_path / "params", tmp_path / "plots"
    argv = ["run", "--data-dir", str(synthetic_dir), *FAST, "--json", str(path), "--save-params", str(params),
            "--plots", str(plots), "--impl", "scratch,late=outside_implementations:SignalledWhileSaving"]
    process = subprocess.run([sys.executable, "-m", "compare", *argv], capture_output=True, text=True,
                             cwd=str(Path(__file__).parent), timeout=300)
    assert process.returncode == 143, process.stderr
    assert process.stderr.count("\n") == 1 and "interrupted (SIGTERM)" in process.stderr
    results = json.loads(path.read_text())
    assert results["interrupted"] is False  # every model had finished
    assert {r["status"] for r in results["runs"][0]["results"].values()} == {"ok"}
    assert sorted(p.name for p in params.iterdir()) == ["late.params", "scratch.params"]
    assert sorted(p.name for p in plots.iterdir()) == ["learning_curves.png", "predictions.png", "throughput.png"]
    assert "Throughput" in process.stdout and "wrote" in process.stdout


def test_the_readme_layout_names_every_module():
    """The Layout section is the map a newcomer reads: every module of the package must be on it."""
    root = Path(__file__).parents[1]
    internals = (root / "docs" / "internals.md").read_text()
    layout = internals.split("### Layout", 1)[1].split("```", 2)[1]
    modules = [path for package in ("compare", "implementations") for path in (root / package).rglob("*.py")
               if path.name != "__init__.py"]
    missing = [str(path.relative_to(root)) for path in modules if path.name not in layout]
    assert modules and missing == []
    for folder in ("commands/", "data/", "devices/", "training/", "measuring/", "results/", "reporting/"):
        assert folder in layout
