"""`check --model rnn|gru|lstm` over time, on the embedded text: the built-ins pass (the chapter's own code held to
its own parameterisation and, for the GRU, its own equations), learner code written the chapters' ways passes on
every seed, and each classic mistake fails at its quantity with its cause, measured (tests/learner_sequence_models).
"""
import io
import json

import numpy as np
import pytest
from learner_sequence_models import CORRECT, MISTAKES, TanhOutputGateLSTM
from rich.console import Console

import compare
from compare.checking.sequence_cells import neighbours, unroll
from compare.cli import main
from compare.config.options import Options
from compare.config.sequence_check import SequenceCheckConfig
from compare.jobs.sequence_check import check_sequence
from compare.loading import Implementation
from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.rnn.tutorial import TutorialRNN
from implementations.sequence_registry import sequence_models

SEEDS = (0, 1, 2)
CASES = [(model, sampling) for model in MISTAKES for sampling in ("consecutive", "random")]


def _main(argv):
    output = io.StringIO()
    code = main(argv, console=Console(file=output, width=80, color_system=None))
    return code, output.getvalue()


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("model, sampling", CASES)
def test_correct_learner_code_passes_and_every_mistake_is_named_with_its_cause(model, sampling, seed):
    mistakes = {cls.__name__: words for cls, how, words in MISTAKES[model] if how == sampling}
    entries = ["tutorial", "gluon", "gluon-hybrid"] + [Implementation(cls.__name__, cls, "test")
                                                        for cls in CORRECT[model]] + \
              [Implementation(cls.__name__, cls, "test") for cls, how, _ in MISTAKES[model] if how == sampling]
    config = SequenceCheckConfig.resolve(model, (), Options("check", {"seed": seed, "num_hiddens": 64,
                                                                      "sampling": sampling}))
    verdicts = check_sequence(config, print, entries).result.verdicts
    assert [verdict.name for verdict in verdicts] == [getattr(entry, "name", entry) for entry in entries]
    for verdict in verdicts:
        if verdict.name in mistakes:
            assert not verdict.passed and mistakes[verdict.name] in verdict.explanation(), verdict.explanation()
        else:
            assert verdict.passed, verdict.explanation()


@pytest.mark.parametrize("model", ["rnn", "gru", "lstm"])
def test_the_equations_numpy_unrolls_are_the_scratch_models_own(model):
    """The diagnosis's float64 equations compute what `scratch` computes (so a neighbour that fits means what its
    words say): logits at every step and the final state, from random weights and a random state."""
    entry = sequence_models()[model]
    spec = entry.spec(12, num_hiddens=6, weight_scale=0.5)
    values = spec.initial_parameters(3)
    rng = np.random.default_rng(0)
    values = {name: (rng.normal(0, 0.5, value.shape) if name.endswith("bias") else value).astype(np.float32)
              for name, value in values.items()}
    X = rng.integers(0, 12, size=(4, 5))
    state = tuple(rng.normal(0, 0.5, (4, 6)).astype(np.float32) for _ in spec.state_names)
    scratch = entry.builtins[0].factory()(spec, Devices((mx.cpu(),)), dtype="float64")
    scratch.load_parameters(values)
    logits, final = scratch.forward(mx.nd.array(X, dtype="float64"), tuple(mx.nd.array(s, dtype="float64")
                                                                            for s in state))
    unrolled = unroll(spec, values, X, state)
    np.testing.assert_allclose(np.concatenate(unrolled.logits), logits.asnumpy(), rtol=1e-10, atol=1e-12)
    for mine, theirs in zip(unrolled.states[-1], final):
        np.testing.assert_allclose(mine, theirs.asnumpy(), rtol=1e-10, atol=1e-12)
    assert len(list(neighbours(spec, square=True))) > len(spec.gates) * 3  # every gate's activations at least


@pytest.mark.parametrize("model", ["rnn", "gru", "lstm"])
def test_the_built_ins_pass_at_the_chapters_size_and_the_table_reads_at_80_columns(model, tmp_path):
    code, text = _main(["check", "--model", model, "--json", str(tmp_path / "check.json")])
    assert code == 0, text
    assert max(len(line) for line in text.splitlines()) <= 80
    record = json.loads((tmp_path / "check.json").read_text())
    assert record["passed"] and [v["name"] for v in record["verdicts"]] == ["gluon", "gluon-hybrid", "tutorial"]
    assert record["recipe"]["num_hiddens"] == 256 and record["recipe"]["clipping_theta"] == 0.01
    tutorial = record["verdicts"][2]
    assert tutorial["note"].startswith("the gru chapter's own equations" if model == "gru" else "one bias per gate")


def test_a_failing_verdict_exits_1_and_says_where_and_why_in_the_table_the_json_and_the_api(tmp_path):
    code, text = _main(["check", "--model", "lstm", "--num-hiddens", "32", "--impl",
                        "learner_sequence_models:TanhOutputGateLSTM", "--json", str(tmp_path / "c.json")])
    assert code == 1
    words = " ".join(text.split())
    assert "FAIL" in words and "first difference: state h at step 0, batch 1" in words
    assert "the output gate (o) applies tanh where the equations apply sigmoid" in words
    verdict = json.loads((tmp_path / "c.json").read_text())["verdicts"][0]
    assert not verdict["passed"] and "output gate (o)" in verdict["explanation"] and verdict["rows"]
    result = compare.check(model="lstm", implementations=[TanhOutputGateLSTM], num_hiddens=32)
    assert not result.passed
    with pytest.raises(AssertionError, match="the output gate"):
        result.assert_passed()


def RaisingRNN(spec, devices):  # noqa: N802 - a factory, named as the class it stands for
    raise RuntimeError("my model is not finished")


def test_an_implementation_that_raises_fails_with_its_exception_never_an_empty_explanation():
    result = compare.check(model="rnn", implementations=[RaisingRNN], num_hiddens=8)
    assert not result.passed
    assert result.first_difference == "RaisingRNN: its code raised RuntimeError: my model is not finished"


@pytest.mark.parametrize("argv, message", [
    (["check", "--model", "rnn", "--synthetic"], "--synthetic does not apply to --model rnn"),
    (["check", "--model", "gru", "--precision", "float64"], "--precision does not apply to --model gru"),
    (["check", "--model", "gru", "--optimizer", "all"], "--model gru takes one update rule at a time"),
    (["check", "--model", "lenet", "--sampling", "random"], "--sampling applies to the language models"),
    (["check", "--model", "rnn", "--max-chars", "300", "--steps", "9"], "--steps 9: the text makes"),
    (["check", "--model", "rnn", "--impl", "nosuch"], "unknown implementation nosuch"),
])
def test_misplaced_options_are_one_line_and_exit_2(argv, message, capsys):
    assert _main(argv)[0] == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


class OnceOnlyRNN(TutorialRNN):
    """Builds once; the detach probe's second build raises (its own code's failure, after every row passed)."""

    built = 0

    def __init__(self, spec, devices):
        type(self).built += 1
        if type(self).built > 1:
            raise RuntimeError("only one instance please")
        super().__init__(spec, devices)


class NoLoadRNN:
    def __init__(self, spec, devices):
        pass

    begin_state = detach = forward = clip_gradients = step = parameters = gradients = lambda self, *a: None


def test_code_that_raises_in_the_detach_probe_is_a_verdict_and_a_class_missing_a_method_is_refused(capsys):
    result = compare.check(model="rnn", implementations=[OnceOnlyRNN], num_hiddens=8)
    assert not result.passed and "its code raised RuntimeError: only one instance please" in result.first_difference
    assert _main(["check", "--model", "rnn", "--impl", "test_sequence_check:NoLoadRNN"])[0] == 2
    assert "it has no load_parameters; a language model implements" in capsys.readouterr().err


def test_rows_the_reference_itself_cannot_decide_are_not_judged():
    """A large clipping norm and many steps at lr 100: the float32 reference parts from float64 by a tenth of the
    values; the built-ins pass on the rows before, and the verdict says where judging stopped."""
    result = compare.check(model="rnn", implementations=["gluon"], num_hiddens=16, steps=12, clip=1.0)
    verdict = result.verdicts[0]
    assert result.passed and "judged batches 1 to" in verdict.explanation() and len(verdict.rows) > 0


def test_a_gru_with_the_chapters_equations_and_gluons_two_biases_passes():
    from implementations.gru.scratch import ChapterGRU

    result = compare.check(model="gru", implementations=[ChapterGRU], num_hiddens=16)
    assert result.passed and "with Gluon's two biases per gate" in result.verdicts[0].explanation()


@pytest.mark.parametrize("argv, message", [
    (["launch", "--workers", "2", "--", "run", "--model", "rnn"], "launch: --model rnn is a language model"),
    (["check", "--model", "rnn", "--num-hiddens", "100000"], "--num-hiddens must be 1 to 8,192"),
])
def test_launch_and_sizes_past_memory_are_refused_in_one_line(argv, message, capsys):
    assert _main(argv)[0] == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
