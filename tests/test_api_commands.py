"""tune, diff and plot from Python (`compare.tune`, `compare.diff`, `compare.plot`): the same jobs as their
commands, values that show themselves as the commands' output, and bad options refused in one line."""
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

import compare
from compare.cli import main
from compare.measuring.mxnet_settings import MXNetSettings
from compare.results.tune_types import TuneMeasurement

PREVIOUS_RELEASE = Path(__file__).parent / "data" / "previous_release_run.json"


def _measure(settings: MXNetSettings, round_index: int) -> TuneMeasurement:
    """An invented machine (no process, no clock): the synchronous engine on two bound threads trains 1.5x
    faster than MXNet's defaults, whatever the round."""
    train = 1.5 if (settings.engine, settings.threads, settings.bind) == ("naive", 2, True) else 1.0
    return TuneMeasurement(settings, round_index, train={"scratch": 1000 * train, "gluon": 1200 * train},
                           inference={"scratch": 4000.0, "gluon": 5000.0}, openmp_threads=settings.threads or 1,
                           other_cores=0.0)


def _cli(*argv: str) -> tuple[int, str]:
    output = io.StringIO()
    return main(list(argv), console=Console(file=output, width=80)), output.getvalue().rstrip("\n")


@pytest.fixture()
def slower(tmp_path) -> Path:
    """The previous release's run with gluon-hybrid training at half the speed: one regression."""
    document = json.loads(PREVIOUS_RELEASE.read_text())
    for epoch in document["results"]["gluon-hybrid"]["epochs"]:
        epoch["train_samples_per_second"] /= 2
        epoch["train_seconds"] *= 2
    path = tmp_path / "slower.json"
    path.write_text(json.dumps(document))
    return path


def test_tune_from_python_finds_what_the_command_finds_and_prints_its_tables(tmp_path, monkeypatch):
    import compare.jobs.tune as tuning

    monkeypatch.setattr(tuning, "bench_measure", lambda job, header: _measure)
    report = compare.tune(implementations="scratch,gluon", json=tmp_path / "api.json")
    code, text = _cli("tune", "--impl", "scratch,gluon", "--json", str(tmp_path / "cli.json"))
    assert code == 0 and str(report) == text
    assert report.fastest("train").flags() == ["--threads", "2", "--engine", "naive", "--omp-bind", "on"]
    assert report.speedup(report.fastest("train")) == pytest.approx(1.5)
    assert (tmp_path / "api.json").read_text() == (tmp_path / "cli.json").read_text()
    assert "<pre" in report._repr_html_() and not report.interrupted


def test_tune_takes_names_only_and_refuses_a_bad_option_in_one_line():
    from outside_implementations import AveragePoolScratch

    with pytest.raises(compare.UsageError, match="tune runs each candidate in a fresh process"):
        compare.tune(implementations=[AveragePoolScratch])
    with pytest.raises(compare.UsageError, match=r"has no option 'round' \(did you mean rounds\?\)"):
        compare.tune(round=3)
    with pytest.raises(compare.UsageError, match="--rounds must be 2 to 20, got 1"):
        compare.tune(rounds=1)


def test_diff_from_python_is_the_commands_comparison(slower, tmp_path):
    report = compare.diff(PREVIOUS_RELEASE, slower, threshold=5, json=tmp_path / "api.json")
    code, text = _cli("diff", str(PREVIOUS_RELEASE), str(slower), "--threshold", "5", "--json",
                      str(tmp_path / "cli.json"))
    assert code == 0 and str(report) == text
    assert [(row.implementation, row.metric) for row in report.regressions] == [("gluon-hybrid", "train /s")]
    assert (tmp_path / "api.json").read_text() == (tmp_path / "cli.json").read_text()
    assert any(record["verdict"] == "REGRESSION" for record in report.to_records())
    assert not report.parameters and report.first_difference is None


@pytest.mark.parametrize("arguments, options, message", [
    ((PREVIOUS_RELEASE, PREVIOUS_RELEASE), {"treshold": 5}, r"did you mean threshold\?"),
    ((PREVIOUS_RELEASE, PREVIOUS_RELEASE), {"threshold": -1}, "--threshold must be a percentage"),
    ((PREVIOUS_RELEASE, PREVIOUS_RELEASE), {"json": PREVIOUS_RELEASE}, "is also an input of the diff"),
    ((PREVIOUS_RELEASE, PREVIOUS_RELEASE), {"json": "-"}, "json='-' is the command line's stdout"),
    (("", PREVIOUS_RELEASE), {}, "old must be a path"),
])
def test_diff_refuses_bad_input_in_one_line(arguments, options, message):
    with pytest.raises(compare.UsageError, match=message):
        compare.diff(*arguments, **options)


def test_plot_from_python_draws_what_the_command_draws(tmp_path):
    pictures = compare.plot(PREVIOUS_RELEASE, tmp_path / "api")
    code, text = _cli("plot", str(PREVIOUS_RELEASE), "--out", str(tmp_path / "cli"))
    assert code == 0 and str(pictures).replace("/api/", "/cli/") == text
    assert sorted(path.name for path in pictures.files) == sorted(path.name for path in (tmp_path / "cli").iterdir())
    assert pictures._repr_html_().count("data:image/png;base64,") == len(pictures.files)
    with pytest.raises(compare.UsageError, match="exists and is not a folder"):
        compare.plot(PREVIOUS_RELEASE, PREVIOUS_RELEASE)


def test_help_lists_tune_diff_and_plot():
    for name in ("tune", "diff", "plot"):
        assert name in compare.__all__ and name in dir(compare) and getattr(compare, name).__doc__
