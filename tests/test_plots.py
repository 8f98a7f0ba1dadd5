"""Pictures: each PNG written and valid; old or partial results still plot; bad results files are one line."""
import io
import json
import struct
from pathlib import Path

import pytest
from fresh_interpreter import main_in_a_fresh_interpreter
from rich.console import Console

from compare.cli import main


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])  # IHDR width, height


def _main(argv):
    output = io.StringIO()
    return main(argv, console=Console(file=output, width=120, color_system=None)), output.getvalue()


@pytest.fixture(scope="module")
def finished_run(synthetic_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("run")
    code, _ = _main(["run", "--data-dir", str(synthetic_dir), "--epochs", "2", "--batch-size", "64", "--quiet",
                     "--json", str(folder / "results.json"), "--save-params", str(folder / "params"),
                     "--plots", str(folder / "plots")])
    assert code == 0
    return folder


def test_run_with_plots_writes_three_sensible_pngs(finished_run):
    for name in ("learning_curves.png", "throughput.png", "predictions.png"):
        width, height = _png_size(finished_run / "plots" / name)
        assert 400 <= width <= 3000 and 300 <= height <= 3000, name


def test_plot_redraws_everything_from_the_results_file(finished_run, tmp_path):
    code, text = _main(["plot", str(finished_run / "results.json"), "--out", str(tmp_path)])
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["learning_curves.png", "predictions.png", "throughput.png"]
    assert (tmp_path / "predictions.png").read_bytes() == (finished_run / "plots" / "predictions.png").read_bytes()


PREVIOUS_RELEASE = Path(__file__).parent / "data" / "previous_release_run.json"  # schema 1, a real default run


def test_a_results_file_of_the_previous_release_still_plots_with_its_grid(tmp_path, synthetic_dir):
    document = json.loads(PREVIOUS_RELEASE.read_text())
    assert document["schema"] == 1 and "json_path" in document["config"]
    document["data"]["source"] = str(synthetic_dir)  # its test images, wherever this machine has them
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document))
    code, text = _main(["plot", str(old), "--out", str(tmp_path / "out")])
    assert code == 0 and "skipped" not in text
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "learning_curves.png", "predictions.png", "throughput.png"]


def test_plot_needs_no_mxnet(finished_run, tmp_path):
    fresh = main_in_a_fresh_interpreter(["plot", str(finished_run / "results.json"), "--out", str(tmp_path)])
    assert fresh.code == 0 and not fresh.mxnet_loaded
    assert (tmp_path / "predictions.png").is_file()


def test_older_results_with_fewer_and_diverged_implementations_still_plot(tmp_path):
    results = json.loads(PREVIOUS_RELEASE.read_text())
    del results["results"]["gluon"]
    hybrid = results["results"]["gluon-hybrid"]
    hybrid["status"], hybrid["stopped_at"], hybrid["epochs"] = "diverged", {"epoch": 2, "step": 3}, hybrid["epochs"][:1]
    for result in results["results"].values():
        result.pop("params_file"), result.pop("sample_predictions"), result.pop("warmup_seconds")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(results))
    code, text = _main(["plot", str(old), "--out", str(tmp_path / "out")])
    assert code == 0 and "prediction grid skipped: the results file records no predictions" in text
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["learning_curves.png", "throughput.png"]


EPOCH = {"epoch": 1, "train_examples": 10, "eval_examples": 10, "train_loss": 2.3, "train_accuracy": 0.1,
         "test_loss": 2.3, "test_accuracy": 0.1, "train_seconds": 1.0, "train_samples_per_second": 10.0,
         "eval_seconds": 1.0, "eval_samples_per_second": 10.0}


def _run_with(result: dict) -> str:
    return json.dumps({"schema": 2, "kind": "run", "recipe": {}, "runs": [{"seed": 0, "results": {"x": result}}]})


@pytest.mark.parametrize("content, message", [
    (None, "cannot read"),
    ("{not json", "not a JSON results file"),
    ('{"schema": 1}', "malformed results file"),
    ('{"schema": 7, "results": {}}', "schema 7, expected one of (1, 2); written by a newer release"),
    ('{"schema": 1, "config": {}, "results": {"x": {"epochs": []}}}', "results.x.status: missing"),
    ('[1, 2]', "top level is list"),
    ('{"schema": 2, "kind": "bench", "rows": []}', "a bench results file, expected one from `compare run`"),
    (_run_with({"status": "ok"}).replace('"recipe": {}', '"recipe": {}, "environment": []'),
     "environment: expected dict, got list"),
    ('{"schema": 2, "recipe": {}, "runs": []}', "runs: empty"),
    ('{"schema": 2, "recipe": {}, "runs": [{"seed": "0", "results": {}}]}', "runs[0].seed: expected int, got str"),
    (_run_with({"status": "ok", "params_file": 123}), "runs[0].results.x.params_file: expected str/null, got int"),
    (_run_with({"status": "ok", "epochs": [{"epoch": 1}]}), "runs[0].results.x.epochs[0].train_examples: missing"),
    (_run_with({"status": "ok", "epochs": [dict(EPOCH, train_seconds="1")]}),
     "runs[0].results.x.epochs[0].train_seconds: expected float, got str"),
    (_run_with({"status": "ok", "epochs": [dict(EPOCH, epoch=True)]}), "epochs[0].epoch: expected int, got bool"),
    (_run_with({"status": "fine"}), "unknown status 'fine'"),
    (_run_with({"status": "ok", "sample_predictions": [11]}), "expected classes 0-9"),
    (_run_with({"status": "ok", "shape_trace": [{"name": "conv1", "output_shape": ["a"], "parameter_count": 1}]}),
     "output_shape: expected whole numbers"),
])
def test_missing_or_malformed_results_file_is_one_line_exit_4(tmp_path, capsys, content, message):
    path = tmp_path / "results.json"
    if content is not None:
        path.write_text(content)
    code, _ = _main(["plot", str(path), "--out", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 4 and message in error and str(path) in error and error.count("\n") == 1


def test_a_results_file_without_results_plots_without_a_warning(tmp_path):
    import warnings

    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"schema": 2, "kind": "run", "recipe": {}, "environment": {}, "data": {},
                                "interrupted": False, "runs": [{"seed": 0, "results": {}}]}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "No artists with labels" would fail here
        code = main(["plot", str(path), "--out", str(tmp_path / "out")], console=Console(file=io.StringIO()))
    assert code == 0 and (tmp_path / "out" / "learning_curves.png").is_file()


def test_a_name_with_dollar_signs_is_drawn_literally_not_as_mathtext(finished_run, tmp_path):
    document = json.loads((finished_run / "results.json").read_text())
    for run in document["runs"]:
        run["results"]["$x^^$"] = run["results"].pop("gluon")  # broken mathtext: drawn as such, nothing is written
    path = tmp_path / "dollars.json"
    path.write_text(json.dumps(document))
    code, _ = _main(["plot", str(path), "--out", str(tmp_path / "plots")])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == [
        "learning_curves.png", "predictions.png", "throughput.png"]


@pytest.mark.parametrize("epochs", [1, 2])
def test_a_short_regressions_learning_curves_label_every_tick_once(epochs):
    """One epoch of losses that barely differ drew 0.96 ... 1.04 epochs and one loss label six times over."""
    import compare
    from compare.reporting.plots import learning_curves_figure

    result = compare.run(model="linear-regression", epochs=epochs, implementations=["scratch", "gluon"],
                         progress=False)
    figure = learning_curves_figure(result.data)
    figure.canvas.draw()
    for axes in figure.axes:
        for axis, (low, high) in ((axes.xaxis, axes.get_xlim()), (axes.yaxis, axes.get_ylim())):
            shown = [label.get_text() for tick, label in zip(axis.get_ticklocs(), axis.get_ticklabels())
                     if label.get_text() and min(low, high) <= tick <= max(low, high)]
            assert shown and len(shown) == len(set(shown)), (axes.get_title(), shown)
        epochs_shown = [label.get_text() for tick, label in zip(axes.get_xticks(), axes.get_xticklabels())
                        if axes.get_xlim()[0] <= tick <= axes.get_xlim()[1]]
        assert epochs_shown == [str(epoch) for epoch in range(1, epochs + 1)], epochs_shown
