"""The language models under every update rule and weight decay: the built-ins pass `check` for every model x rule
(the Gluon ones held to MXNet's own optimizer where its formula is not the chapter's), learner code written the
optimization chapters' ways passes on every seed and each mistake in a rule is named by its cause
(tests/learner_sequence_rules.py), `run` and `bench` train and time with the rule and say which, and the updater
`check` holds the Gluon built-ins to is the Trainer's own update, step for step."""
import io
import json

import numpy as np
import pytest
from learner_sequence_rules import CORRECT, MISTAKES
from rich.console import Console

from compare.checking.mxnet_updater import MXNetUpdater
from compare.checking.relations import Numbers
from compare.cli import main
from compare.config.options import Options
from compare.config.sequence_check import SequenceCheckConfig
from compare.jobs.sequence_check import check_sequence
from compare.loading import Implementation
from implementations.mxnet_compat import mx
from implementations.optimizers import OPTIMIZERS, Optimizer
from implementations.sequence_registry import sequence_models

RULES = [rule for rule in OPTIMIZERS if rule != "sgd"]  # sgd: tests/test_sequence_check.py


def _main(argv):
    output = io.StringIO()
    code = main(argv, console=Console(file=output, width=80, color_system=None))
    return code, output.getvalue()


@pytest.mark.parametrize("model", list(sequence_models()))
@pytest.mark.parametrize("rule", RULES)
def test_every_built_in_passes_under_every_rule_with_weight_decay(model, rule):
    config = SequenceCheckConfig.resolve(model, (), Options("check", {"num_hiddens": 32, "optimizer": rule,
                                                                      "weight_decay": 0.01}))
    verdicts = check_sequence(config, print).result.verdicts
    assert [verdict.name for verdict in verdicts] == ["gluon", "gluon-hybrid", "tutorial"]
    for verdict in verdicts:
        assert verdict.passed, verdict.explanation()
        assert any(row.kind == "optimizer state" for row in verdict.rows), "the rule's state is compared"


@pytest.mark.parametrize("seed", (0, 1))
@pytest.mark.parametrize("rule", RULES)
def test_learner_rules_pass_when_correct_and_each_mistake_is_named_by_its_cause(rule, seed):
    mistakes = {cls.__name__: words for cls, words in MISTAKES[rule]}
    entries = [Implementation(cls.__name__, cls, "test") for cls in CORRECT[rule]] + \
              [Implementation(cls.__name__, cls, "test") for cls, _ in MISTAKES[rule]]
    config = SequenceCheckConfig.resolve("rnn", (), Options("check", {"seed": seed, "num_hiddens": 64,
                                                                      "optimizer": rule}))
    for verdict in check_sequence(config, print, entries).result.verdicts:
        if verdict.name in mistakes:
            assert not verdict.passed and mistakes[verdict.name] in verdict.explanation(), verdict.explanation()
        else:
            assert verdict.passed, verdict.explanation()


def test_the_built_ins_pass_under_adam_at_the_chapters_size_and_mxnets_formula_is_said(tmp_path):
    code, text = _main(["check", "--model", "lstm", "--optimizer", "adam", "--json", str(tmp_path / "c.json")])
    assert code == 0, text
    assert max(len(line) for line in text.splitlines()) <= 80
    flat = " ".join(text.split())
    assert "updating by adam (lr 0.003" in flat  # the rule checked is said
    assert "MXNet's Adam folds the bias correction" in flat
    assert json.loads((tmp_path / "c.json").read_text())["recipe"]["optimizer"]["name"] == "adam"


def test_run_trains_every_built_in_by_the_rule_records_it_and_says_mxnets_formula(tmp_path):
    path = tmp_path / "run.json"
    code, text = _main(["run", "--model", "rnn", "--epochs", "2", "--num-hiddens", "32", "--optimizer", "adam",
                        "--weight-decay", "0.001", "--json", str(path)])
    assert code == 0, text
    record = json.loads(path.read_text())
    rule = record["recipe"]["optimizer"]
    assert (rule["name"], rule["learning_rate"], rule["weight_decay"]) == ("adam", 0.003, 0.001)
    perplexity = {result["name"]: result["epochs"][-1]["perplexity"] for result in record["results"]}
    assert perplexity["gluon"] == perplexity["gluon-hybrid"]  # the same Trainer, imperative or hybridized
    assert all(np.isfinite(value) for value in perplexity.values())
    flat = " ".join(text.split())
    assert "adam (lr 0.003" in flat and "gluon and gluon-hybrid differ by design: MXNet's Adam" in flat
    assert max(len(line) for line in text.splitlines()) <= 80


def test_a_rule_that_keeps_the_chapters_formula_trains_scratch_and_gluon_alike(tmp_path):
    path = tmp_path / "run.json"
    code, text = _main(["run", "--model", "gru", "--epochs", "2", "--num-hiddens", "32", "--optimizer", "rmsprop",
                        "--impl", "scratch,gluon", "--json", str(path), "--quiet"])
    assert code == 0, text
    scratch, gluon = (result["epochs"] for result in json.loads(path.read_text())["results"])
    for mine, theirs in zip(scratch, gluon):
        assert abs(mine["perplexity"] - theirs["perplexity"]) <= 1e-3 * theirs["perplexity"]


def test_bench_times_the_rule_it_is_given_and_says_so():
    code, text = _main(["bench", "--model", "rnn", "--optimizer", "momentum", "--repeat", "1", "--num-hiddens",
                        "16", "--impl", "scratch", "--impl", "gluon"])
    assert code == 0, text
    assert "updating by momentum (lr 50, momentum 0.5" in " ".join(text.split())


@pytest.mark.parametrize("rule", OPTIMIZERS)
def test_the_updater_check_holds_the_gluon_built_ins_to_is_the_trainers_own(rule):
    optimizer = Optimizer(rule, (), 0.1)
    rng = np.random.default_rng(0)
    start = {"layer.weight": rng.normal(size=(3, 4)), "layer.bias": rng.normal(size=3)}
    grads = [{name: rng.normal(size=value.shape) for name, value in start.items()} for _ in range(3)]
    ours = {name: mx.nd.array(value) for name, value in start.items()}
    for array in ours.values():
        array.attach_grad()
    block = mx.gluon.nn.Dense(3, in_units=4)
    block.initialize()
    named = {"layer.weight": block.weight, "layer.bias": block.bias}
    from implementations.gluon_trainer import make_trainer, trainer_state

    trainer = make_trainer(block, named, optimizer)
    trainer.set_learning_rate(0.05)
    for name, param in named.items():
        param.set_data(mx.nd.array(start[name]))
    updater = MXNetUpdater(optimizer, ours)
    for step in grads:
        given = {name: mx.nd.array(value) for name, value in step.items()}
        with mx.autograd.record():  # a backward whose gradient is the step's: sum(w * G)
            loss = mx.nd.add_n(*[(named[name].data() * given[name]).sum() for name in named])
            both = loss + mx.nd.add_n(*[(ours[name] * given[name]).sum() for name in ours])
        both.backward()  # one backward: two would free the shared `given` between them
        trainer.step(4)
        updater.step(ours, 4, 0.05)
    for name, param in named.items():
        np.testing.assert_array_equal(ours[name].asnumpy(), param.data().asnumpy())
    theirs = trainer_state(trainer, named, optimizer)
    assert set(theirs) == set(updater.reported(lambda name, array: array))
    for key, array in updater.reported(lambda name, array: array).items():
        np.testing.assert_array_equal(array.asnumpy(), theirs[key].asnumpy())
    moved_bias = ours["layer.bias"].asnumpy() - start["layer.bias"]
    assert np.any(moved_bias != 0)


def test_a_factor_is_named_by_the_closest_number_when_two_are_near():
    numbers = Numbers((("the learning rate", 100.0), ("rho", 0.9999)))
    assert numbers.name_of(9999.0) == "rho / (1 - rho)"  # 10,000 (lr squared) is within a thousandth too
    assert numbers.name_of(10000.0) == "the learning rate squared"
