"""Pictures: each PNG written and valid; old or partial results still plot; bad results files are one line."""
import io
import json
import struct

import pytest
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


def test_older_results_with_fewer_and_diverged_implementations_still_plot(finished_run, tmp_path):
    results = json.loads((finished_run / "results.json").read_text())
    del results["results"]["gluon"]
    hybrid = results["results"]["gluon-hybrid"]
    hybrid["status"], hybrid["stopped_at"], hybrid["epochs"] = "diverged", {"epoch": 2, "step": 3}, hybrid["epochs"][:1]
    for result in results["results"].values():
        result.pop("params_file"), result.pop("sample_predictions"), result.pop("warmup_seconds")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(results))
    code, text = _main(["plot", str(old), "--out", str(tmp_path / "out")])
    assert code == 0 and "prediction grid skipped" in text
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["learning_curves.png", "throughput.png"]


@pytest.mark.parametrize("content, message", [
    (None, "cannot read"),
    ("{not json", "not a JSON results file"),
    ('{"schema": 1}', "malformed results file"),
    ('{"schema": 7, "results": {}}', "schema 7, expected 1"),
    ('{"schema": 1, "config": {}, "results": {"x": {"epochs": []}}}', "malformed results file"),
])
def test_missing_or_malformed_results_file_is_one_line_exit_4(tmp_path, capsys, content, message):
    path = tmp_path / "results.json"
    if content is not None:
        path.write_text(content)
    code, _ = _main(["plot", str(path), "--out", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 4 and message in error and str(path) in error and error.count("\n") == 1
