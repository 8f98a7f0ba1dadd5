"""`compare diff OLD.params NEW.params`: array by array, the model each file holds, and files of two models
refused naming both (exit 4)."""
import io
import json

import numpy as np
import pytest
from rich.console import Console

from compare.cli import main
from compare.errors import ExitCode
from compare.results.params_comparison import model_of
from implementations.mxnet_compat import mx
from implementations.registry import models


def _save(path, values: dict) -> str:
    mx.nd.save(str(path), {name: mx.nd.array(array, dtype=np.float32) for name, array in values.items()})
    return str(path)


def _initial(model: str, seed: int = 0) -> dict:
    spec = models()[model].spec()
    return {**spec.initial_parameters(seed), **spec.initial_state()}


@pytest.fixture
def diff(capsys):
    def run(*argv: str) -> tuple[int, str, str]:
        output = io.StringIO()
        code = main(["diff", *argv], console=Console(file=output, width=80, color_system=None))
        return code, output.getvalue(), capsys.readouterr().err
    return run


@pytest.mark.parametrize("model", list(models()))
def test_every_model_is_recognised_by_its_names_and_shapes(model):
    assert model_of(_initial(model)) == model


def test_an_array_missing_or_reshaped_matches_no_model():
    values = _initial("lenet")
    assert model_of({name: array for name, array in values.items() if name != "fc2.bias"}) is None
    assert model_of({**values, "fc2.bias": np.zeros(11, np.float32)}) is None


def test_identical_files_say_so_and_a_changed_array_is_the_first_difference(tmp_path, diff):
    values = _initial("lenet-bn")
    old = _save(tmp_path / "old.params", values)
    changed = dict(values)
    changed["conv2.weight"] = values["conv2.weight"].copy()
    changed["conv2.weight"][0, 0, 0, 0] += 0.5
    changed["bn2.running_mean"] = values["bn2.running_mean"] + 1.0
    new = _save(tmp_path / "new.params", changed)

    code, same, _ = diff(old, old)
    assert code == ExitCode.OK and "Every array is bit-identical." in same
    code, text, _ = diff(old, new, "--json", str(tmp_path / "d.json"))
    assert code == ExitCode.OK
    assert "First difference, in the model's layer order: conv2.weight" in text
    document = json.loads((tmp_path / "d.json").read_text())
    rows = {row["name"]: row for row in document["arrays"]}
    assert document["model"] == "lenet-bn" and document["first_difference"] == "conv2.weight"
    assert rows["conv2.weight"]["differing"] == 1 and rows["conv2.weight"]["max_abs"] == pytest.approx(0.5)
    assert rows["bn2.running_mean"]["differing"] == values["bn2.running_mean"].size
    assert rows["bn2.running_mean"]["relative"] is None  # old is all zeros: infinitely far, written as null
    assert all(row["identical"] for name, row in rows.items() if name not in ("conv2.weight", "bn2.running_mean"))
    assert max(len(line) for line in text.splitlines()) <= 80


def test_files_of_two_models_are_refused_naming_both(tmp_path, diff):
    old, new = _save(tmp_path / "a.params", _initial("lenet")), _save(tmp_path / "b.params", _initial("mlp"))
    code, out, err = diff(old, new)
    assert code == ExitCode.FILE and out == ""
    assert err.count("\n") == 1 and "model mlp" in err and "model lenet" in err


def test_a_file_of_no_model_and_a_results_file_beside_a_parameter_file_are_refused(tmp_path, diff):
    stranger = _save(tmp_path / "s.params", {"weight": np.ones((3, 4), np.float32)})
    lenet = _save(tmp_path / "l.params", _initial("lenet"))
    results = tmp_path / "r.json"
    results.write_text(json.dumps({"schema": 2, "kind": "run"}))
    for argv, words in (((stranger, lenet), "match no model"), ((lenet, str(results)), "not a parameter file")):
        code, out, err = diff(*argv)
        assert code == ExitCode.FILE and words in err and err.count("\n") == 1


def test_plot_given_a_parameter_file_says_what_it_is(tmp_path, capsys):
    lenet = _save(tmp_path / "l.params", _initial("lenet"))
    code = main(["plot", lenet, "--out", str(tmp_path / "pictures")], console=Console(file=io.StringIO()))
    assert code == ExitCode.FILE and "a parameter file" in capsys.readouterr().err
    assert not (tmp_path / "pictures").exists()


def test_a_float64_copy_of_float32_weights_is_not_bit_identical(tmp_path, diff):
    values = _initial("softmax")
    old = _save(tmp_path / "old.params", values)
    new = str(tmp_path / "new.params")
    mx.nd.save(new, {name: mx.nd.array(array, dtype=np.float64) for name, array in values.items()})
    code, text, _ = diff(old, new, "--json", str(tmp_path / "d.json"))
    assert code == ExitCode.OK and "Every array is bit-identical." not in text
    assert "differs" in text and "float64" in text
    document = json.loads((tmp_path / "d.json").read_text())
    assert document["schema"] == 2 and document["first_difference"] == "fc1.weight"
    assert {array["new_dtype"] for array in document["arrays"]} == {"float64"}
