"""check's verdicts on learners' update rules: the built-ins and every correct formulation of the corpus pass
under each optimizer (Gluon's Adam with its known difference shown), and every classic mistake of an update rule
fails naming the parameter or state and the cause; on the real data (MLP) and the chapters' synthetic data."""
import pytest
from learner_update_rules import CORRECT, MISTAKES, WEIGHT_DECAY

import compare
from implementations.registry import implementation_names

SEEDS = range(3)


def _verdict(model: str, optimizer: str, seed: int):
    corpus = {name: name for name in implementation_names(model)}
    corpus.update({f"ok-{c.__name__}": c for c in CORRECT.get((model, optimizer), [])})
    corpus.update({f"bad-{c.__name__}": c for c in MISTAKES.get((model, optimizer), {})})
    return corpus, compare.check(model=model, implementations=corpus, seed=seed, optimizer=optimizer,
                                 weight_decay=WEIGHT_DECAY.get(model))


@pytest.mark.slow
@pytest.mark.parametrize("model, optimizer", sorted(set(CORRECT) | set(MISTAKES)))
def test_no_false_alarm_and_every_update_mistake_named(model, optimizer):
    problems = []
    for seed in SEEDS:
        corpus, verdict = _verdict(model, optimizer, seed)
        found = {difference.implementation: difference for difference in verdict.differences()}
        problems += [f"seed {seed}: false alarm: {name}: {found[name]}" for name in corpus
                     if not name.startswith("bad-") and name in found]
        for mistake, words in MISTAKES.get((model, optimizer), {}).items():
            name = f"bad-{mistake.__name__}"
            if name not in found:
                problems.append(f"seed {seed}: missed: {name}")
            elif words not in found[name].explanation:
                problems.append(f"seed {seed}: misnamed: {name}: {found[name].explanation}")
            elif found[name].explanation.count(words) > 1:  # two readings said alike are one reading
                problems.append(f"seed {seed}: said twice: {name}: {found[name].explanation}")
    assert not problems, "\n".join(problems)


def test_gluons_adam_passes_with_its_known_difference_and_its_size_shown():
    verdict = compare.check(model="linear-regression", optimizer="adam")
    words = " ".join(str(verdict).split())
    assert verdict.passed
    assert "gluon: known difference" in words and "MXNet's Adam folds the bias correction into the learning rate" \
        in words and "measured here:" in words


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adagrad", "rmsprop", "adadelta"])
def test_the_built_ins_pass_under_every_other_rule_with_their_state_compared(optimizer):
    verdict = compare.check(model="linear-regression", optimizer=optimizer)
    words = " ".join(str(verdict).split())
    assert verdict.passed, words[-400:]
    if optimizer != "sgd":
        state = {"momentum": "momentum", "adagrad": "square_sum", "rmsprop": "square_average",
                 "adadelta": "delta_average"}[optimizer]
        assert f"fc1.weight:{state}" in words and f"{optimizer}'s state after 10 steps" in words


def test_data_parallel_steps_keep_each_replicas_optimizer_state_equal_to_one_devices():
    verdict = compare.check(model="linear-regression", optimizer="adam", ctx="cpu:0,cpu:1")
    words = " ".join(str(verdict).split())
    assert verdict.passed and "known difference" not in words, words[-400:]
    assert "fc1.weight:second_moment" in words  # compared, row by row


def test_a_known_formula_difference_is_accepted_only_when_the_steps_follow_mxnets_formula(monkeypatch):
    """The Gluon built-ins' Adam difference is explained only after their steps replay as MXNet's Adam: a Trainer
    built with another beta2 than asked fails, however "known" Adam's difference is."""
    from implementations.gluon_network import GluonNetwork

    chosen = GluonNetwork.use_optimizer

    def misconfigured(self, optimizer):
        chosen(self, optimizer)
        self.trainer._optimizer.beta2 = 0.99  # noqa: SLF001 (a Trainer set up with a subtly wrong hyperparameter)

    monkeypatch.setattr(GluonNetwork, "use_optimizer", misconfigured)
    verdict = compare.check(model="linear-regression", implementations=["scratch", "gluon"], optimizer="adam")
    words = " ".join(str(verdict).split())
    assert not verdict.passed and "its steps follow neither the chapter's rule nor MXNet's" in words


def test_an_outside_gluon_adam_passes_as_the_built_in_does():
    """A learner's own Gluon model with gluon.Trainer('adam'): its state rounds otherwise than scratch's (MXNet's
    fused update), its steps replay as the rule: it passes, the reason said."""
    from implementations.linear_regression.gluon import GluonLinearRegression

    def mine(spec, devices):
        return GluonLinearRegression(spec, devices, False)

    verdict = compare.check(model="linear-regression", implementations={"mine": mine}, optimizer="adam")
    words = " ".join(str(verdict).split())
    assert verdict.passed, words[-500:]
