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
    from compare.reporting.run_tables import environment_panel

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
