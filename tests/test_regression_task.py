"""The regression task: the chapters' synthetic data drawn from the seed, squared loss, train and test loss in
place of accuracy everywhere (tables, JSON, diff, pictures), and what is learned against closed-form least
squares on the same data."""
import io
import json

import numpy as np
import pytest
from rich.console import Console

import compare
from compare.cli import main
from implementations.registry import models


def _main(argv: list[str]) -> tuple[int, str]:
    output = io.StringIO()
    return main(argv, console=Console(file=output, width=80, color_system=None)), output.getvalue()


def test_the_data_is_drawn_from_the_seed_as_the_chapter_describes_it():
    spec = models()["linear-regression"].spec()
    (train_x, train_y), (test_x, test_y) = spec.synthetic_data(0)
    again, other = spec.synthetic_data(0), spec.synthetic_data(1)
    assert np.array_equal(train_x, again[0][0]) and np.array_equal(test_y, again[1][1])
    assert not np.array_equal(train_x, other[0][0])
    assert train_x.shape == (1000, 2) and test_x.shape == (1000, 2) and train_y.dtype == np.float32
    design = np.hstack([train_x, np.ones((1000, 1))]).astype(np.float64)
    solution, residual, *_ = np.linalg.lstsq(design, train_y.astype(np.float64), rcond=None)
    assert np.allclose(solution, [2.0, -3.4, 4.2], atol=2e-3)
    assert 0.008 < np.sqrt(residual[0] / 1000) < 0.012  # the noise N(0, 0.01)
    decay = models()["weight-decay"].spec()
    (x, y), (tx, ty) = decay.synthetic_data(0)
    assert x.shape == (20, 200) and tx.shape == (100, 200)
    assert np.allclose(decay.true_parameters()["fc1.weight"], 0.01) and decay.true_parameters()["fc1.bias"][0] == pytest.approx(0.05)


@pytest.mark.parametrize("seed", [0, 1])
def test_linear_regression_learns_the_least_squares_solution_and_reports_its_test_loss(tmp_path, seed):
    result = compare.run(model="linear-regression", epochs=5, seed=seed, progress=False,
                         save_params=tmp_path / "params")
    spec = models()["linear-regression"].spec()
    (train_x, train_y), (test_x, test_y) = spec.synthetic_data(seed)
    design = np.hstack([train_x, np.ones((len(train_x), 1))]).astype(np.float64)
    solution = np.linalg.lstsq(design, train_y.astype(np.float64), rcond=None)[0]
    truth = np.array([2.0, -3.4, 4.2])
    from compare.results.params_files import read_parameters

    for name, implementation in result.data.results.items():
        learned = read_parameters(tmp_path / "params" / f"{name}.params")
        flat = np.concatenate([learned["fc1.weight"][0], learned["fc1.bias"]]).astype(np.float64)
        assert np.abs(flat - solution).max() < 2e-3, name
        residual = test_x.astype(np.float64) @ flat[:2] + flat[2] - test_y
        assert implementation.epochs[-1].test_loss == pytest.approx(float(np.mean(residual**2 / 2)), rel=1e-3)
        assert implementation.epochs[-1].test_accuracy is None
        assert implementation.parameter_errors["fc1.bias"] == pytest.approx(abs(flat[2] - truth[2]), abs=1e-6)


def test_nothing_says_accuracy_where_there_is_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the paths printed are relative: the words are the tool's own
    argv = ["run", "--model", "linear-regression", "--epochs", "2", "--impl", "scratch,gluon", "--quiet"]
    code, text = _main([*argv, "--json", "a.json", "--plots", "plots"])
    assert code == 0 and "accuracy" not in text.lower()
    for title in ("Loss per epoch", "Learned against true parameters", "fc1.weight", "fc1.bias"):
        assert title in text
    document = json.loads((tmp_path / "a.json").read_text())
    assert document["runs"][0]["results"]["gluon"]["epochs"][-1]["test_accuracy"] is None
    assert set(document["runs"][0]["results"]["gluon"]["parameter_errors"]) == {"fc1.weight", "fc1.bias"}
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == ["learning_curves.png", "throughput.png"]
    code, _ = _main([*argv, "--json", "b.json"])
    code, text = _main(["diff", "a.json", "b.json"])
    assert code == 0 and "accuracy" not in text.lower() and "test loss" in text
    code, _ = _main([*argv, "--lr", "0.003", "--json", "slow.json"])  # 10x smaller steps: far from the optimum
    code, text = _main(["diff", "a.json", "slow.json", "--fail-on-regression"])
    rows = [line for line in text.splitlines() if line.startswith("│") and "test loss" in line]  # table rows only
    assert code == 1 and rows and all("REGRESSION" in row for row in rows), text  # a higher loss is worse
    assert compare.load(tmp_path / "a.json").data.results["scratch"].epochs[-1].test_accuracy is None
    code, _ = _main([*argv, "--optimizer", "sgd,adam", "--json", "rules.json"])  # scratch@sgd, not scratch


def test_a_run_of_one_rule_diffs_against_that_rules_rows_of_a_run_over_several(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["run", "--model", "linear-regression", "--epochs", "2", "--impl", "scratch,gluon", "--quiet"]
    _main([*argv, "--json", "plain.json"])
    _main([*argv, "--optimizer", "sgd,adam", "--json", "rules.json"])  # scratch@sgd, gluon@adam, ...
    for old, new in (("plain.json", "rules.json"), ("rules.json", "plain.json")):
        code, text = _main(["diff", old, new])  # throughput rows may differ on a busy machine: not asserted
        rows = [line for line in text.splitlines() if "test loss" in line and line.startswith("│")]  # table rows
        assert code == 0 and len(rows) == 2 and all("+0.0%" in row and "within noise" in row for row in rows), text
        assert "@adam" not in "".join(rows)  # adam's rows are not sgd's
        assert "scratch with scratch@sgd" in " ".join(text.split()) or "scratch@sgd with scratch" in " ".join(
            text.split())
    _main([*argv, "--optimizer", "adam", "--json", "adam.json"])
    _main([*argv, "--optimizer", "sgd,momentum", "--json", "others.json"])
    code, _ = _main(["diff", "adam.json", "others.json", "--fail-on-regression"])
    assert code == 4  # no name and no rule in common: refused, never a silent pass


def test_every_optimizer_trains_every_implementation_to_the_same_losses():
    result = compare.run(model="linear-regression", optimizer="all", progress=False)
    text = str(result)
    assert "Every optimizer: mean train loss per epoch" in text
    by_rule: dict = {}
    for name, implementation in result.data.results.items():
        built_in, rule = name.split("@")
        assert implementation.status.value == "ok", name
        by_rule.setdefault(rule, {})[built_in] = implementation.epochs[-1].train_loss
    assert sorted(by_rule) == sorted(["sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam"])
    for rule, losses in by_rule.items():  # MXNet's Adam formula parts from the chapter's only near epsilon
        assert max(losses.values()) == pytest.approx(min(losses.values()), rel=1e-2), (rule, losses)


TRUE_PARAMETERS = [2.0, -3.4, 4.2]  # the chapters' w and b: the data is drawn from them


@pytest.mark.parametrize("rule", ["sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam"])
def test_every_rule_learns_the_true_parameters_with_no_flag_but_optimizer(tmp_path, rule):
    """As each optimization chapter ends: "the learned parameters are close to the true values", here from the rule's
    recipe for this data alone (`--save-params` only writes what was learned)."""
    from compare.results.params_files import read_parameters

    code, text = _main(["run", "--model", "linear-regression", "--optimizer", rule, "--save-params", str(tmp_path)])
    assert code == 0, text
    for name in ("scratch", "gluon", "gluon-hybrid", "tutorial"):
        learned = read_parameters(tmp_path / f"{name}.params")
        flat = np.concatenate([learned["fc1.weight"][0], learned["fc1.bias"]])
        assert np.abs(flat - TRUE_PARAMETERS).max() < 0.05, (rule, name, flat)


def test_the_recipe_line_and_the_models_table_name_where_each_rules_defaults_come_from():
    code, text = _main(["run", "--model", "linear-regression", "--optimizer", "adam", "--impl", "scratch"])
    recipe = " ".join(text.replace("│", " ").split())
    assert code == 0 and "adam (lr 0.1, beta1 0.9, beta2 0.999, epsilon 1e-08; defaults: adam-scratch, on this " \
                          "data)" in recipe
    code, text = _main(["models"])
    row = next(line for line in text.splitlines() if "linear-regression" in line)
    below = text.splitlines()[text.splitlines().index(row):][:6]
    assert code == 0 and any("chapters'" in line for line in below), text
    assert "chapters', each rule's own chapter's (momentum, adagrad, rmsprop, adadelta, adam), trained on this " \
           "very data" in " ".join(text.split())


def test_every_rule_trains_on_weight_decays_data_without_diverging():
    """Its 200 features at batch 1 make the later edition's momentum (lr 0.02) and AdaDelta (rho 0.9999) diverge
    within the first epoch: its own recipes train like its SGD."""
    result = compare.run(model="weight-decay", optimizer="all", epochs=5, implementations=["scratch", "gluon"],
                         progress=False)
    assert {name: result.status(name) for name in result.names} == {name: "ok" for name in result.names}


def test_weight_decay_shows_the_chapters_overfitting_and_its_cure():
    result = compare.run(model="weight-decay", weight_decay=[0, 3], implementations=["scratch", "gluon", "tutorial"],
                         epochs=50, progress=False)
    results = result.data.results
    for built_in in ("scratch", "gluon", "tutorial"):
        overfit, decayed = results[f"{built_in}@sgd wd=0"].epochs[-1], results[f"{built_in}@sgd wd=3"].epochs[-1]
        assert overfit.train_loss < 1e-6 and overfit.test_loss > 10  # it fits 20 examples and nothing else
        assert decayed.test_loss < overfit.test_loss / 100


def test_a_regression_is_not_called_diverged_for_a_small_first_example():
    """Seed 13 draws a first example whose loss is far below the typical one: the baseline is the mean over the
    first 1,000 examples (all 20 here), not that one loss (which set a limit below the second step's loss)."""
    result = compare.run(model="weight-decay", seed=13, epochs=3, implementations=["scratch"], progress=False)
    assert result.status("scratch") == "ok"


def test_accuracy_is_refused_where_there_is_none(capsys):
    code, _ = _main(["run", "--model", "linear-regression", "--target-accuracy", "0.5"])
    error = capsys.readouterr().err
    assert code == 2 and "linear-regression is a regression; it has no accuracy" in error and error.count("\n") == 1


def test_check_calls_a_regressions_outputs_predictions_never_logits():
    verdict = compare.check(model="linear-regression", implementations=["gluon"])
    quantities = [record["quantity"] for record in verdict.to_records()]
    assert "predictions" in quantities and "logits" not in quantities
    text = " ".join(str(verdict).split())
    assert verdict.passed and "(predictions, loss, every layer, gradients, weights after 10 steps)" in text
    assert "logits" not in text.replace("loss at large logits", "")
