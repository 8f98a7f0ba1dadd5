"""`compare diff`: old vs new per implementation and metric, beyond the noise or not, differences first."""
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from compare.cli import main

PREVIOUS_RELEASE = Path(__file__).parent / "data" / "previous_release_run.json"


def _diff(*argv: str) -> tuple[int, str]:
    output = io.StringIO()
    return main(["diff", *argv], console=Console(file=output, width=160, color_system=None)), output.getvalue()


@pytest.fixture(scope="module")
def three_seeds(synthetic_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("diff") / "three.json"
    main(["run", "--data-dir", str(synthetic_dir), "--epochs", "2", "--batch-size", "64", "--quiet",
          "--impl", "scratch,gluon-hybrid", "--seeds", "0,1,2", "--json", str(path)], console=Console(file=io.StringIO()))
    return path


def _edited(source: Path, target: Path, edit) -> Path:
    document = json.loads(source.read_text())
    edit(document)
    target.write_text(json.dumps(document))
    return target


def _steady(document: dict) -> None:
    """gluon-hybrid's measured rates replaced by steady ones (1 % apart between seeds), so the tests below
    do not depend on how noisy a few-millisecond epoch on a shared machine happened to be."""
    for index, run in enumerate(document["runs"]):
        for epoch in run["results"]["gluon-hybrid"]["epochs"]:
            epoch["train_samples_per_second"] = 1000.0 * (1 + 0.01 * index)
            epoch["train_seconds"] = epoch["train_examples"] / epoch["train_samples_per_second"]
            epoch["other_cpu_seconds"] = 0.0


@pytest.fixture()
def steady(three_seeds, tmp_path) -> Path:
    return _edited(three_seeds, tmp_path / "steady.json", _steady)


def _slow_down(factor: float, busy: bool = False):
    def edit(document: dict) -> None:
        for run in document["runs"]:
            for epoch in run["results"]["gluon-hybrid"]["epochs"]:
                epoch["train_samples_per_second"] /= factor
                epoch["train_seconds"] *= factor
                if busy:  # a second of evaluation, and other work on two cores meanwhile
                    epoch["eval_seconds"] = 1.0
                    epoch["other_cpu_seconds"] = 2.0 * (epoch["train_seconds"] + epoch["eval_seconds"])
    return edit


def test_a_run_against_itself_changes_nothing(three_seeds):
    code, text = _diff(str(three_seeds), str(three_seeds), "--fail-on-regression")
    assert code == 0
    assert "Same recipe and environment in both files." in text
    assert "REGRESSION" not in text and "improved" not in text
    verdicts = ("within noise", "too few samples", "not comparable")  # noisy few-ms epochs; a busy machine
    rows = [line for line in text.splitlines() if "│" in line and any(verdict in line for verdict in verdicts)]
    assert len(rows) == 6
    assert "95 % Welch interval" in text


def test_a_slowdown_beyond_the_seeds_spread_is_a_regression(steady, tmp_path):
    slower = _edited(steady, tmp_path / "slower.json", _slow_down(2.0))
    code, text = _diff(str(steady), str(slower))
    assert code == 0  # reported, not failed, unless asked
    line = next(l for l in text.splitlines() if "gluon-hybrid" in l and "train /s" in l)
    assert "-50.0%" in line and "REGRESSION" in line
    assert _diff(str(steady), str(slower), "--fail-on-regression")[0] == 1


def test_a_slowdown_measured_on_a_busy_machine_carries_the_mark(steady, tmp_path):
    busy = _edited(steady, tmp_path / "busy.json", _slow_down(1.5, busy=True))
    code, text = _diff(str(steady), str(busy))
    line = next(l for l in text.splitlines() if "gluon-hybrid" in l and "train /s" in l)
    assert "not comparable:" in line and "not comparable: BUSY (new)" in " ".join(text.split())
    assert "other work shared the machine while that side was timed" in " ".join(text.split())
    assert "accuracy does not depend on load" in " ".join(text.split())  # a regression's diff says "a loss"


def test_one_seed_per_side_falls_back_to_the_threshold(three_seeds, tmp_path):
    def first_seed_only(document):
        document["runs"] = document["runs"][:1]
        for result in document["runs"][0]["results"].values():  # quiet, whatever the machine was doing then
            for epoch in result["epochs"]:
                epoch["other_cpu_seconds"] = 0.0
    one = _edited(three_seeds, tmp_path / "one.json", first_seed_only)
    slower = _edited(one, tmp_path / "slower.json", _slow_down(1.05))
    code, text = _diff(str(one), str(slower))
    assert "within noise" in next(l for l in text.splitlines() if "gluon-hybrid" in l and "train /s" in l)
    code, text = _diff(str(one), str(slower), "--threshold", "2")
    assert "REGRESSION" in next(l for l in text.splitlines() if "gluon-hybrid" in l and "train /s" in l)
    assert "a change of more than 2 %" in text


def test_recipe_and_environment_differences_come_first(three_seeds, tmp_path):
    def other_recipe(document):
        document["recipe"]["batch_size"] = 128
        document["environment"]["mxnet"] = "1.8.0"
    other = _edited(three_seeds, tmp_path / "other.json", other_recipe)
    code, text = _diff(str(three_seeds), str(other))
    assert "differ in recipe or environment" in " ".join(text.split())
    assert text.index("batch_size") < text.index("1.8.0") < text.index("train /s")


def test_a_previous_release_file_diffs_against_a_new_one(three_seeds):
    code, text = _diff(str(PREVIOUS_RELEASE), str(three_seeds))
    assert code == 0 and "scratch" in text and "train /s" in text and "seeds" in text


def test_json_of_the_comparison_lists_regressions(steady, tmp_path):
    slower = _edited(steady, tmp_path / "slower.json", _slow_down(2.0))
    code, _ = _diff(str(steady), str(slower), "--json", str(tmp_path / "d.json"))
    document = json.loads((tmp_path / "d.json").read_text())
    assert document["kind"] == "diff"
    assert [(r["implementation"], r["metric"]) for r in document["regressions"]] == [("gluon-hybrid", "train /s")]


def test_bench_files_diff_by_their_repeats(tmp_path):
    path = tmp_path / "b.json"
    main(["bench", "--batch-size", "4", "--repeat", "3", "--impl", "scratch,gluon", "--json", str(path)],
         console=Console(file=io.StringIO()))
    code, text = _diff(str(path), str(path))
    verdicts = ("within noise", "too few samples", "not comparable")  # a busy machine makes it the last
    rows = [line for line in text.splitlines() if "│" in line and any(verdict in line for verdict in verdicts)]
    assert code == 0 and len(rows) == 4 and "forward /s, batch 4" in text and "REGRESSION" not in text


@pytest.mark.parametrize("make, message", [
    (lambda tmp, run: (tmp / "missing.json", run), "cannot read"),
    (lambda tmp, run: (run, _write(tmp / "bad.json", "{not json")), "not a JSON results file"),
    (lambda tmp, run: (run, _write(tmp / "new.json", '{"schema": 9}')), "written by a newer release"),
    (lambda tmp, run: (run, _write(tmp / "bench.json", '{"schema": 2, "kind": "bench", "rows": []}')),
     "diff compares files of the same kind"),
])
def test_unusable_files_are_one_line_exit_4(three_seeds, tmp_path, capsys, make, message):
    old, new = make(tmp_path, three_seeds)
    assert _diff(str(old), str(new))[0] == 4
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_bench_files_with_impossible_values_are_refused(tmp_path, capsys):
    path = tmp_path / "b.json"
    main(["bench", "--batch-size", "4", "--repeat", "2", "--impl", "scratch", "--json", str(path)],
         console=Console(file=io.StringIO()))
    for key, value in (("batch_size", -4), ("devices", 0)):
        bad = _edited(path, tmp_path / f"bad_{key}.json", lambda d: d["rows"][0].update({key: value}))
        assert _diff(str(path), str(bad))[0] == 4
        error = capsys.readouterr().err
        assert f"rows[0].{key}: expected a whole number ≥ 1" in error and error.count("\n") == 1


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_a_data_parallel_run_against_a_one_device_run_says_so_first(three_seeds, tmp_path):
    """Under `launch` the recipe reads like a one-device one; the environment records the workers."""
    def launched(document):
        document["environment"]["data_parallel"] = {"kvstore": "dist_sync", "workers": 2, "contexts_per_worker": 1}
    two = _edited(three_seeds, tmp_path / "two.json", launched)
    code, text = _diff(str(three_seeds), str(two))
    assert "differ in recipe or environment" in " ".join(text.split())
    assert "data_parallel" in text and text.index("data_parallel") < text.index("train /s")


def _status(name: str, status: str, seeds=None):
    def edit(document: dict) -> None:
        for index, run in enumerate(document["runs"]):
            if seeds is None or index in seeds:
                result = run["results"][name]
                result["status"], result["epochs"] = status, result["epochs"][:1]
                result["stopped_at"] = {"epoch": 2, "step": 1}
    return edit


@pytest.mark.parametrize("status", ["failed", "diverged"])
def test_a_run_that_stopped_ending_well_is_a_regression_shown_as_a_row(steady, tmp_path, status):
    worse = _edited(steady, tmp_path / "worse.json", _status("gluon-hybrid", status, seeds={1}))
    code, text = _diff(str(steady), str(worse), "--fail-on-regression")
    line = next(l for l in text.splitlines() if "runs ended" in l)
    assert code == 1 and "gluon-hybrid" in line and f"{status} in 1 of 3 seeds" in line and "REGRESSION" in line
    assert _diff(str(worse), str(steady), "--fail-on-regression")[0] == 0  # the other way round it improved


def test_both_sides_diverged_is_a_row_not_an_empty_table(steady, tmp_path):
    both = _edited(steady, tmp_path / "both.json", _status("gluon-hybrid", "diverged"))
    code, text = _diff(str(both), str(both), "--fail-on-regression")
    line = next(l for l in text.splitlines() if "runs ended" in l)
    assert code == 0 and "diverged in 3 of 3 seeds" in line and "unchanged" in line


def test_busy_throughput_is_not_comparable_and_accuracy_is_never_busy(steady, tmp_path):
    busy = _edited(steady, tmp_path / "busy.json", _slow_down(2.0, busy=True))
    code, text = _diff(str(steady), str(busy), "--fail-on-regression")
    assert code == 0  # a slowdown measured under load is not a regression
    train = next(l for l in text.splitlines() if "gluon-hybrid" in l and "train /s" in l)
    accuracy = next(l for l in text.splitlines() if "gluon-hybrid" in l and "accuracy" in l)
    assert "not comparable:" in train
    assert "BUSY" not in accuracy and "within noise" in accuracy


def test_two_noisy_seeds_per_side_say_too_few_samples_instead_of_within_noise(steady, tmp_path):
    def two_noisy_seeds(document):
        document["runs"] = document["runs"][:2]
        for index, run in enumerate(document["runs"]):
            for epoch in run["results"]["gluon-hybrid"]["epochs"]:
                epoch["train_samples_per_second"] = 1000.0 * (1 + 0.5 * index)  # 1000 and 1500
                epoch["train_seconds"] = epoch["train_examples"] / epoch["train_samples_per_second"]
    noisy = _edited(steady, tmp_path / "noisy.json", two_noisy_seeds)
    halved = _edited(noisy, tmp_path / "halved.json", _slow_down(2.0))
    code, text = _diff(str(noisy), str(halved), "--fail-on-regression")
    line = next(l for l in text.splitlines() if "gluon-hybrid" in l and "train /s" in l)
    assert "-50.0%" in line and "too few samples" in line and "could hide in it" in " ".join(text.split())


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["runs"][0]["results"]["scratch"]["epochs"][0].update(test_accuracy=None), "test_accuracy"),
    (lambda d: d["runs"][0]["results"]["scratch"]["epochs"][0].update(test_accuracy=-51.0), "test_accuracy"),
    (lambda d: d["runs"][0]["results"]["scratch"]["epochs"][0].update(train_examples=-3), "train_examples"),
    (lambda d: d["runs"][0]["results"]["scratch"]["epochs"][0].update(train_samples_per_second=0), "samples"),
    (lambda d: d["data"].update(train_examples="many"), "data.train_examples"),
    (lambda d: d.update(schema=2.0), "schema 2.0"),
    (lambda d: d.update(schema=True), "schema True"),
    # a result that ended well finished every epoch; a recipe holds values run could have trained with
    (lambda d: d["runs"][0]["results"]["scratch"].update(epochs=[]), "status ok after 0 of 2 epochs"),
    (lambda d: d["runs"][1]["results"]["gluon-hybrid"]["epochs"].pop(), "status ok after 1 of 2 epochs"),
    (lambda d: d["runs"][0]["results"]["scratch"]["epochs"][1].update(epoch=5), "numbered [1, 5]"),
    (lambda d: d["recipe"].update(epochs=-3), "recipe.epochs: expected a whole number ≥ 1, got -3"),
    (lambda d: d["recipe"].update(batch_size=0), "recipe.batch_size"),
    (lambda d: d["recipe"].update(learning_rate=-0.1), "recipe.learning_rate"),
    (lambda d: d["recipe"].update(seeds=[0, -1, 2]), "recipe.seeds"),
    (lambda d: d["recipe"]["optimizers"][0].update(name="adamw"), "recipe.optimizers[0].name"),
    (lambda d: d["runs"][0].update(seed=-1), "runs[0].seed"),
])
def test_results_files_with_impossible_values_are_refused(steady, tmp_path, capsys, edit, message):
    bad = _edited(steady, tmp_path / "bad.json", edit)
    assert _diff(str(steady), str(bad))[0] == 4
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_runs_of_two_models_are_refused_naming_both(three_seeds, tmp_path, capsys):
    def as_softmax(document: dict) -> None:
        document["recipe"]["model"] = "softmax"

    other = _edited(three_seeds, tmp_path / "softmax.json", as_softmax)
    code, _ = _diff(str(three_seeds), str(other), "--fail-on-regression")
    error = capsys.readouterr().err
    assert code == 4 and error.count("\n") == 1
    assert "holds --model softmax results" in error and "--model lenet" in error and "same model" in error


@pytest.mark.parametrize("kind", ["check", "profile", "tune"])
def test_a_file_of_another_command_says_which_kinds_diff_compares(kind, three_seeds, tmp_path, capsys):
    other = tmp_path / f"{kind}.json"
    other.write_text(json.dumps({"schema": 2, "kind": kind}))
    code, _ = _diff(str(three_seeds), str(other))
    error = capsys.readouterr().err
    assert code == 4 and f"a {kind} results file; diff compares run or bench results files" in error
