"""`profile --model rnn|gru|lstm`: each implementation's training step under MXNet's profiler in a fresh process,
its operator time by phase and by operator, the operators a step issues (a hand-written layer's once per time step,
Gluon's fused layer's once), the traces kept where asked, failures and bad input in one line. Nothing here asserts
a time: only what the trace's structure and counts show."""
import io
import json

import pytest
from rich.console import Console

import compare
from compare.cli import main

PHASES = ("forward", "loss", "backward", "clip", "update")


def _main(argv):
    output = io.StringIO()
    code = main(argv, console=Console(file=output, width=80, color_system=None))
    return code, output.getvalue()


def test_the_operators_by_phase_show_the_per_step_loop_against_the_fused_layer(tmp_path):
    path = tmp_path / "profile.json"
    code, text = _main(["profile", "--model", "rnn", "--num-hiddens", "16", "--num-steps", "7", "--steps", "2",
                        "--impl", "scratch,gluon-hybrid", "--json", str(path)])
    assert code == 0, text
    assert max(len(line) for line in text.splitlines()) <= 80
    record = json.loads(path.read_text())
    assert record["kind"] == "sequence-profile" and record["settings"]["num_steps"] == 7
    profiles = {profile["name"]: profile for profile in record["profiles"]}
    for profile in profiles.values():
        assert list(profile["phases_ms"]) == list(PHASES)
        assert sum(profile["phases_ms"].values()) == pytest.approx(profile["operator_ms"])
        assert 0 < profile["operator_ms"] <= profile["step_ms"]
    calls = {name: {operator["name"]: operator["calls"] for operator in profile["operators"]}
             for name, profile in profiles.items()}
    assert calls["scratch"]["tanh"] == 7  # one tanh per time step, in the forward pass
    assert calls["gluon-hybrid"]["RNN"] == 1 and "tanh" not in calls["gluon-hybrid"]  # one fused operator
    assert sum(calls["gluon-hybrid"].values()) < sum(calls["scratch"].values())


def test_traces_are_kept_where_asked_and_the_api_returns_a_report(tmp_path):
    report = compare.profile(model="gru", implementations=["scratch"], num_hiddens=8, steps=1,
                             optimizer="adam", trace=str(tmp_path / "traces"))
    assert report.names == ["scratch"] and report.failures == {}
    assert report.step_ms("scratch") > 0 and report.phase_ms("scratch", "update") > 0
    assert report.calls("scratch") > 0
    assert json.loads((tmp_path / "traces" / "scratch.json").read_text())["traceEvents"]
    assert "SequenceProfileReport gru" in repr(report)


def test_an_implementation_that_raises_is_a_failure_and_the_others_are_shown(capsys):
    code, text = _main(["profile", "--model", "rnn", "--num-hiddens", "8", "--steps", "1", "--impl",
                        "scratch,broken=outside_implementations:ClipRaisesRNN"])
    assert code == 1
    flat = " ".join(text.split())
    assert "broken failed while profiled" in flat and "clipping is not written yet" in flat
    assert "scratch" in text


@pytest.mark.parametrize("argv, message", [
    (["profile", "--model", "rnn", "--ctx", "cpu:0,cpu:1"], "--model rnn is profiled on one context"),
    (["profile", "--model", "rnn", "--impl", "nosuch"], "unknown implementation nosuch"),
    (["profile", "--model", "rnn", "--steps", "0"], "--steps"),
    (["profile", "--model", "lenet", "--num-hiddens", "8"], "--num-hiddens applies to the language models"),
    (["profile", "--model", "lstm", "--optimizer", "sgd,adam"], "takes one update rule at a time"),
])
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    assert _main(argv)[0] == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_when_every_implementation_fails_no_empty_table_is_shown():
    code, text = _main(["profile", "--model", "rnn", "--num-hiddens", "8", "--steps", "1", "--impl",
                        "broken=outside_implementations:ClipRaisesRNN"])
    assert code == 1
    flat = " ".join(text.split())
    assert "broken failed while profiled (NotImplementedError: clipping is not written yet)." in flat
    assert "operators issued per step" not in text and "the others are shown" not in flat


def test_a_users_folder_holding_a_module_named_like_mxnet_does_not_hide_it_from_the_profiling_process(
        tmp_path, monkeypatch):
    """A folder the session imported a learner's module from stays on its path; one that also holds a file named
    like an installed package (here mxnet.py) must not shadow that package in the profiling process."""
    (tmp_path / "mxnet.py").write_text("# a learner's notes, named like the library\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    code, text = _main(["profile", "--model", "rnn", "--num-hiddens", "8", "--num-steps", "5", "--steps", "1",
                        "--impl", "scratch"])
    assert code == 0, text
    assert "failed while profiled" not in text
