"""`compare profile`: operator time attributed to layers, consistent totals, traces, and bad input."""
import io
import json
from dataclasses import replace

import pytest
from rich.console import Console

from compare.cli import main
from compare.config.profile import ProfileConfig
from compare.config.workload import Workload
from compare.jobs.profile_trace import (
    UNATTRIBUTED,
    OperatorEvent,
    attribute_step,
    markers,
    operator_events,
    step_boundaries,
)
from compare.jobs.profiler import profile_all
from compare.results.types import Status
from implementations.lenet.spec import LeNetSpec

LAYERS = ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "relu3", "fc2"]
WINDOWS = {"forward": (0, 100), "loss": (100, 200), "backward": (200, 300), "update": (300, 400)}


def _events(*specs):
    return [OperatorEvent(name, start, duration) for name, start, duration in specs]


def test_forward_operators_go_to_layers_of_their_kind_in_order_and_backward_in_reverse():
    events = _events(("Convolution", 1, 10), ("relu", 2, 1), ("Convolution", 3, 20), ("log_softmax", 101, 5),
                     ("_backward_log_softmax", 201, 3), ("_backward_Convolution", 202, 40),
                     ("_backward_Pooling", 203, 4), ("_backward_Convolution", 204, 30), ("sgd_update", 301, 7),
                     ("DeleteVariable", 302, 2))
    forward, backward = attribute_step(events, WINDOWS, LAYERS)
    assert (forward["conv1"], forward["relu1"], forward["conv2"]) == (10, 1, 20)  # the relu between the convs
    assert (backward["conv2"], backward["pool1"], backward["conv1"]) == (40, 4, 30)  # backward: reverse order
    assert (forward["loss"], backward["loss"], forward["update"], forward["bookkeeping"]) == (5, 3, 7, 2)
    assert UNATTRIBUTED not in forward


def test_operators_no_layer_at_their_place_can_hold_are_unattributed_never_dropped():
    events = _events(("Convolution", 1, 10), ("MysteryOp", 2, 9), ("relu", 3, 1), ("dot", 4, 4),
                     ("broadcast_add", 5, 1), ("Pooling", 6, 50), ("relu", 7, 1), ("dot", 8, 6), ("broadcast_add", 9, 2))
    forward, _ = attribute_step(events, WINDOWS, LAYERS)
    assert (forward["conv1"], forward["relu1"], forward["fc1"], forward["relu3"], forward["fc2"]) == (10, 1, 5, 1, 8)
    assert forward[UNATTRIBUTED] == 9 + 50  # an unknown operator, and a pooling after the pools' place
    assert sum(forward.values()) == sum(event.duration for event in events)


def test_a_hand_written_batch_norm_is_its_layers_not_the_loss_or_the_dense_layers():
    """The batch-norm chapter's own batch norm, as a real profile of it orders its operators: its mean,
    broadcast_add and backward mean must not land in the loss or fc rows, which share those operators."""
    layers = ["conv1", "bn1", "relu1", "pool1", "flatten", "fc1"]
    batch_norm = ["mean", "broadcast_sub", "_power_scalar", "mean", "_plus_scalar", "sqrt", "broadcast_div",
                  "broadcast_mul", "broadcast_add", "_mul_scalar", "CopyCPU2CPU"]
    forward_ops = ["Convolution", *batch_norm, "zeros_like", "broadcast_maximum", "Pooling", "Flatten", "dot",
                   "broadcast_add"]
    backward_ops = ["_backward_mean", "_backward_pick", "_backward_log_softmax", "_backward_broadcast_add",
                    "_backward_dot", "_backward_copy", "_backward_Pooling", "_backward_broadcast_maximum",
                    "_backward_broadcast_add", "_backward_broadcast_mul", "_backward_broadcast_div", "_backward_sqrt",
                    "_copy", "_backward_mean", "_backward_power_scalar", "_backward_broadcast_sub", "add_n",
                    "_backward_mean", "_backward_Convolution"]
    events = ([OperatorEvent(name, 1 + index * 0.1, 1) for index, name in enumerate(forward_ops)]
              + [OperatorEvent(name, 201 + index * 0.1, 1) for index, name in enumerate(backward_ops)])
    forward, backward = attribute_step(events, WINDOWS, layers)
    assert forward["bn1"] == len(batch_norm) and forward["fc1"] == 2 and forward["relu1"] == 2
    assert backward["loss"] == 3 and backward["fc1"] == 2 and backward["bn1"] == 10 and backward["conv1"] == 1
    assert UNATTRIBUTED not in forward and UNATTRIBUTED not in backward


@pytest.fixture(scope="module")
def profiled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trace")
    config = ProfileConfig(Workload("lenet"), batch_size=16, steps=2, trace_dir=folder)
    entries = [("scratch", "scratch"), ("gluon-hybrid", "gluon-hybrid")]
    return profile_all(config, entries, "cpu(0)", {}), folder


def test_per_layer_times_add_up_to_the_operator_total_and_the_remainder_closes_the_step(profiled):
    result, _ = profiled
    for profile in result.profiles:
        assert profile.status == Status.OK
        assert profile.consistency < 1e-6  # every operator event is in exactly one row
        assert profile.operator_ms + profile.remainder_ms == pytest.approx(profile.step_ms)
        assert profile.operator_ms > 0
        rows = {row.row: row for row in profile.rows}
        assert all(rows[layer].forward_ms > 0 for layer in ("conv1", "conv2", "fc1", "fc2", "pool1"))
        assert all(rows[layer].backward_ms > 0 for layer in ("conv1", "conv2", "fc1", "fc2"))
        assert rows["update"].forward_ms > 0 and profile.first_call_ms > 0 and profile.peak_rss_mib > 0


def test_every_operator_of_a_step_ends_inside_it_and_almost_all_go_to_a_layer(profiled):
    """Read from the trace's events and markers, not from how long they took: each operator counted in a step
    ends before the step's last marker (the phases are synced), and at most 1 in 20 is left unattributed (the
    engine may start a few independent ones out of order)."""
    result, folder = profiled
    layers = list(LeNetSpec().layer_order)
    for profile in result.profiles:
        trace = json.loads((folder / f"{profile.name}.json").read_text())
        events, marks = operator_events(trace), markers(trace)
        for step in range(2):
            windows = step_boundaries(marks, step)
            inside = [event for event in events if windows["forward"][0] <= event.start < windows["update"][1]]
            assert inside and all(event.start + event.duration <= windows["update"][1] for event in inside)
            counted = attribute_step([replace(event, duration=1.0) for event in inside], windows, layers)
            unattributed = sum(part.get(UNATTRIBUTED, 0) for part in counted)
            assert sum(sum(part.values()) for part in counted) == len(inside)  # each event counted once
            assert unattributed <= 0.05 * len(inside), (profile.name, step, unattributed)


def test_traces_open_as_chrome_traces_and_the_picture_is_written(profiled, tmp_path):
    result, folder = profiled
    for name in ("scratch", "gluon-hybrid"):
        events = json.loads((folder / f"{name}.json").read_text())["traceEvents"]
        assert any(event.get("name") == "Convolution" for event in events)
    from compare.reporting.plots import profile_bars
    png = profile_bars(result, tmp_path / "profile.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_command_prints_both_tables_and_a_failing_implementation_does_not_hide_the_others(tmp_path, capsys):
    output = io.StringIO()
    code = main(["profile", "--batch-size", "4", "--steps", "1", "--trace", str(tmp_path / "t"),
                 "--impl", "scratch,broken=outside_implementations:FailsAtThirdStep"],
                console=Console(file=output, width=140, color_system=None))
    text = " ".join(output.getvalue().split())
    assert code == 1
    assert "Operator ms per training step at batch 4" in text and "remainder (Python, engine, syncs)" in text
    assert "broken failed while profiled (RuntimeError: my update broke on step 3)" in text
    assert (tmp_path / "t" / "scratch.json").is_file() and (tmp_path / "t" / "profile.png").is_file()


def test_an_unwritable_trace_folder_is_refused_before_profiling(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    assert main(["profile", "--trace", str(tmp_path / "file")], console=Console(file=io.StringIO())) == 2
    assert "exists and is not a folder" in capsys.readouterr().err


def test_random_draws_run_early_by_the_engine_go_to_their_dropout_layers_in_order():
    """As a real profile of the dropout chapter's own mask orders them: both masks' uniform draws and the first
    compare start before the layers that use them (they need no layer input); scale and divide where they belong."""
    layers = ["flatten", "fc1", "relu1", "dropout1", "fc2", "relu2", "dropout2", "fc3"]
    events = _events(("dot", 1, 1), ("_random_uniform", 2, 3), ("broadcast_add", 3, 1), ("_random_uniform", 4, 5),
                     ("_lesser_scalar", 5, 1), ("zeros_like", 6, 1), ("broadcast_maximum", 7, 1),
                     ("broadcast_mul", 8, 1), ("_div_scalar", 9, 1), ("dot", 10, 1), ("broadcast_add", 11, 1),
                     ("zeros_like", 12, 1), ("broadcast_maximum", 13, 1), ("_lesser_scalar", 14, 1),
                     ("broadcast_mul", 15, 1), ("_div_scalar", 16, 1), ("dot", 17, 1), ("broadcast_add", 18, 1))
    forward, _ = attribute_step(events, WINDOWS, layers)
    assert (forward["dropout1"], forward["dropout2"]) == (3 + 1 + 2, 5 + 1 + 2)
    assert UNATTRIBUTED not in forward


def _span(name, tid, start, end):
    return [{"cat": "operator", "name": name, "tid": tid, "ph": "B", "ts": start},
            {"cat": "operator", "name": name, "tid": tid, "ph": "E", "ts": end}]


def test_an_operator_recorded_twice_one_inside_the_other_counts_once():
    """The synchronous engine's traces hold each operator twice, nested a microsecond apart on one thread (seen
    in a real NaiveEngine trace: operators summed to 109 ms of a 68 ms step); two threads' events both count."""
    trace = {"traceEvents": _span("Convolution", 1, 0, 100) + _span("Convolution", 1, 1, 99)
             + _span("Pooling", 1, 100, 150) + _span("Convolution", 2, 10, 60) + _span("Convolution", 1, 150, 200)}
    events = operator_events(trace)
    assert [(e.name, e.start, e.duration) for e in events] == [
        ("Convolution", 0, 100), ("Convolution", 10, 50), ("Pooling", 100, 50), ("Convolution", 150, 50)]
