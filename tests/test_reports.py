"""Rich tables rendered into a StringIO console, as rich's own tests do."""
import io

from rich.console import Console

from compare.reporting.run_tables import accuracy_table, shape_trace_table, throughput_table
from compare.results.types import EpochResult, ImplementationResult, LayerTrace, Status, StopPoint


def _render(renderable, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def _epoch(number: int, accuracy: float, seconds: float) -> EpochResult:
    return EpochResult(epoch=number, train_examples=1000, eval_examples=500, train_loss=0.5, train_accuracy=0.8,
                       test_loss=0.6, test_accuracy=accuracy, train_seconds=seconds,
                       train_samples_per_second=1000 / seconds, eval_seconds=0.1, eval_samples_per_second=5000)


def _result(name: str, accuracies: list[float], seconds: float, trace=None, status=Status.OK) -> ImplementationResult:
    return ImplementationResult(
        name=name, status=status,
        shape_trace=trace or [LayerTrace("conv1", (8, 20, 24, 24), 520), LayerTrace("fc2", (8, 10), 1290)],
        epochs=[_epoch(i + 1, acc, seconds) for i, acc in enumerate(accuracies)],
        stopped_at=StopPoint(2, 7) if status != Status.OK else None,
    )


def test_shape_trace_mismatch_is_visible_in_the_table():
    odd = [LayerTrace("conv1", (8, 20, 24, 24), 520), LayerTrace("fc2", (8, 11), 1291)]
    text = _render(shape_trace_table({"scratch": _result("scratch", [], 1), "other": _result("other", [], 1, odd)}))
    assert "8×10" in text and "8×11" in text and "1,290 / 1,291" in text


def test_accuracy_table_shows_difference_to_scratch_and_status():
    results = {"scratch": _result("scratch", [0.80, 0.85], 1.0),
               "gluon": _result("gluon", [0.81], 1.0, status=Status.DIVERGED)}
    text = _render(accuracy_table(results))
    assert "81.00% (+1.00)" in text and "diverged at epoch 2, step 7" in text and "—" in text


def test_throughput_ratio_is_relative_to_scratch():
    results = {"scratch": _result("scratch", [0.8], 2.0), "gluon-hybrid": _result("gluon-hybrid", [0.8], 1.0)}
    text = _render(throughput_table(results))
    assert "500" in text and "1,000" in text and "2.00×" in text


def test_chance_level_note_names_the_likely_cause():
    from compare.reporting.run_tables import notes
    stuck = {"scratch": _result("scratch", [0.10], 1.0)}
    assert "initialisation" in notes(stuck, {"init": "normal", "weight_scale": 1.0})[0]
    assert "most of the first full epoch" in notes(stuck, {"init": "normal", "weight_scale": 0.01})[0]
    assert notes({"scratch": _result("scratch", [0.80], 1.0)}, {"init": "normal", "weight_scale": 0.01}) == []


def test_without_scratch_the_tables_name_the_implementation_they_compare_with():
    results = {"gluon": _result("gluon", [0.5, 0.7], 1.0), "gluon-hybrid": _result("gluon-hybrid", [0.5, 0.8], 0.5)}
    accuracy, throughput = (" ".join(_render(table(results)).split()) for table in (accuracy_table, throughput_table))
    assert "Δ points vs gluon" in accuracy and "(+10.00)" in accuracy and "scratch" not in accuracy
    assert "× gluon" in throughput and "(2.00×)" in throughput and "scratch" not in throughput


def test_the_environment_panel_shows_settings_as_a_reader_writes_them():
    from compare.reporting.environment import environment_panel

    text = _render(environment_panel({}, {"implementations": ["scratch", "gluon"], "batch_sizes": [1, 64],
                                         "arithmetic": {"dot_gflops": 17.6}}))
    assert "implementations=scratch,gluon" in text and "batch_sizes=1,64" in text
    assert "{" not in text and "'" not in text


def test_ascii_terminals_get_a_readable_square():
    from compare.reporting.terminal import to_ascii

    assert to_ascii("nd.dot on 1024² float32, γ and β") == "nd.dot on 1024^2 float32, gamma and beta"


def test_the_notebook_bar_follows_seed_labels_and_implementations_that_never_started(monkeypatch):
    import sys
    import types

    shown: list = []
    display = types.SimpleNamespace(HTML=lambda html: html, display=lambda html, display_id: types.SimpleNamespace(
        update=shown.append))
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(display=display))
    from compare.reporting.notebook_progress import NotebookProgress

    ticks = iter(range(100))
    bar = NotebookProgress(clock=lambda: next(ticks) / 10)  # 0.1 s a call: every other step shows
    bar.implementation_started("scratch (seed 1)", 1, 4)
    for _ in range(4):
        bar.step_done("scratch (seed 1)")
    bar.implementation_done(_result("scratch", [0.5], 1.0))
    bar.implementation_done(_result("mine", [], 1.0, status=Status.FAILED))  # failed while building
    assert "scratch (seed 1)" in shown[-1] and "value='4' max='4'" in shown[-1] and "mine" in shown[-1]
    assert len(shown) < 4 + 3  # throttled: not one update per step


def _timed(name: str, seconds: float, other: "float | None", test_accuracy: float = 0.8) -> ImplementationResult:
    """One epoch of `seconds` (training; evaluation 0.1 s) while other work used `other` CPU seconds."""
    epoch = EpochResult(epoch=1, train_examples=1000, eval_examples=500, train_loss=0.5, train_accuracy=0.8,
                        test_loss=0.6, test_accuracy=test_accuracy, train_seconds=seconds,
                        train_samples_per_second=1000 / seconds, eval_seconds=0.1, eval_samples_per_second=5000,
                        other_cpu_seconds=other)
    return ImplementationResult(name=name, epochs=[epoch])


def test_the_load_column_says_why_it_cannot_tell():
    """A run of a fraction of a second cannot be judged from /proc/stat's 10 ms ticks: it says `brief`, and the
    table says what that means; unreadable counters stay `?`, explained too."""
    brief = _render(throughput_table({"scratch": _timed("scratch", 0.2, 0.0)}), width=80)
    row = next(line for line in brief.splitlines() if line.startswith("│ scratch"))
    assert row.rstrip("│ ").endswith("brief") and "?" not in row
    assert "load brief: timed for under 1 s in all, too briefly to tell whether other work shared the machine" \
        in " ".join(brief.split())
    unknown = _render(throughput_table({"scratch": _timed("scratch", 5.0, None)}), width=80)
    assert "load ?: the machine's CPU counters (/proc/stat) could not be read" in " ".join(unknown.split())
    judged = _render(throughput_table({"scratch": _timed("scratch", 5.0, 0.0)}), width=80)
    assert "quiet" in judged and "load " not in judged.split("┘")[-1]  # nothing to explain under the table


def test_a_run_over_several_rules_compares_each_with_scratch_under_the_same_rule():
    from compare.reporting.run_tables import run_report
    from compare.results.aggregates import summarize_run
    from compare.results.types import RunData, SeedRun

    def seed_run(seed: int) -> SeedRun:  # gluon@adam exactly as fast as scratch@adam, twice as fast as scratch@sgd
        return SeedRun(seed, {"scratch@sgd": _timed("scratch@sgd", 4.0 + seed, 0.0),
                              "gluon-hybrid@sgd": _timed("gluon-hybrid@sgd", 4.0 + seed, 0.0),
                              "scratch@momentum": _timed("scratch@momentum", 2.0 + seed, 0.0),
                              "gluon-hybrid@momentum": _timed("gluon-hybrid@momentum", 2.0 + seed, 0.0)})
    run = RunData({"model": "lenet"}, {}, {}, [seed_run(0), seed_run(1), seed_run(2)])
    summary = {row.metric: row for row in summarize_run(run, None)["gluon-hybrid@momentum"]}
    assert summary["train samples/s"].paired.mean == 0.0  # against scratch@momentum, not scratch@sgd
    text = _render(run_report(run), width=80)
    throughput = text[text.index("Throughput"):]
    assert "× scratch (same rule)" in " ".join(throughput.split()) and "2.00×" not in throughput
    assert "Δ vs scratch (same rule)" in " ".join(text.split())
    for part in ("gluon-hybrid", "@momentum", "scratch@sgd"):  # a name folds at '@', never mid-word
        assert part in text
    assert "gluon-hybri\n" not in text and "@mom\n" not in text


def test_accuracy_after_an_interrupt_is_the_last_finished_epochs():
    from compare.api.views.run_view import RunResult
    from compare.results.types import RunData, SeedRun

    stopped = _timed("scratch", 1.0, 0.0, test_accuracy=0.625)
    stopped.status, stopped.stopped_at = Status.INTERRUPTED, StopPoint(2, 3)
    diverged = _timed("gluon", 1.0, 0.0, test_accuracy=0.5)
    diverged.status = Status.DIVERGED
    never = ImplementationResult(name="tutorial", status=Status.INTERRUPTED)
    result = RunResult(RunData({"model": "lenet"}, {}, {}, [SeedRun(0, {"scratch": stopped, "gluon": diverged,
                                                                       "tutorial": never})], interrupted=True))
    assert result.accuracies() == {"scratch": 0.625, "gluon": None, "tutorial": None}
    assert result.test_loss("scratch") == 0.6


def test_accuracy_of_a_regression_says_there_is_none_and_which_measure_there_is():
    import pytest

    import compare
    from compare.api.views.run_view import RunResult
    from compare.results.types import RunData, SeedRun

    fitted = _timed("scratch", 1.0, 0.0, test_accuracy=None)
    result = RunResult(RunData({"model": "linear-regression"}, {}, {}, [SeedRun(0, {"scratch": fitted})]))
    for asked in (lambda: result.accuracy("scratch"), result.accuracies):
        with pytest.raises(compare.UsageError) as caught:
            asked()
        assert "linear-regression is a regression, which has no accuracy" in str(caught.value)
        assert "result.test_loss(name)" in str(caught.value)
    assert result.test_loss("scratch") == 0.6
