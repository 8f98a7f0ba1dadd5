"""`check` on an independent corpus of learner code (tests/independent_corpus.py), written apart from check's
diagnosis code and never tuned to its output: on the real Fashion-MNIST (the regression models on their chapters'
synthetic data), seed 0, every correct formulation passes, and every mistake fails where its effect first shows
with an explanation naming the relation. `test_confusion_summary` prints the confusion numbers. Seeds 1 and 2 are
run by hand, `python tests/independent_corpus.py --seeds 0,1,2` (as the held-out corpora's second seed is): with
them the corpus took a quarter of the suite's time, and CI passed its 30 minutes (32 on 2026-12-07).

The entries of one (model, optimizer, weight decay) are checked together, once per seed, in this process.
"""
from functools import cache

import pytest
from independent_corpus import CORRECT, MISTAKES, Outcome, check_group, groups, summary

SEEDS = (0,)  # CI's; the module's command line runs 0, 1 and 2
GROUPS = groups(CORRECT + MISTAKES)
pytestmark = pytest.mark.xdist_group("independent")  # one process (loadgroup): each group's checks run once, cached


@cache
def _verdicts(group: tuple, seed: int) -> dict:
    return check_group(GROUPS[group], seed)


def _outcome(entry, seed: int) -> Outcome:
    return _verdicts(entry.group, seed)[entry.name]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("entry", CORRECT, ids=lambda e: f"{e.name}-{e.optimizer}")
def test_correct_formulation_passes(entry, seed):
    outcome = _outcome(entry, seed)
    assert outcome.passed, f"false alarm on {entry.what}: [{outcome.quantity} {outcome.layer}] {outcome.explanation}"


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("entry", MISTAKES, ids=lambda e: f"{e.name}-{e.optimizer}")
def test_mistake_fails_with_an_explanation(entry, seed):
    """Every mistake is caught on every seed, and its verdict always says something (never an empty why)."""
    outcome = _outcome(entry, seed)
    assert not outcome.passed, f"missed: {entry.what}"
    assert outcome.explanation.strip() and not outcome.explanation.rstrip().endswith(":"), outcome.explanation
    assert not outcome.diagnosis_raised, f"{entry.name}'s diagnosis raised, its verdict fell back: " \
                                         f"{outcome.diagnosis_raised}"


NAMED_SHARE = 0.8  # issue 34: at least 8 in 10 mistakes named with a correct cause at the first quantity that differs


@pytest.mark.slow
def test_confusion_summary(capsys):
    """Prints the confusion numbers (run with -s to see them); zero false alarms, and at least 8 in 10 mistakes
    named with a correct cause at the first quantity that differs, over every seed."""
    outcomes = [_outcome(entry, seed) for seed in SEEDS for entry in CORRECT + MISTAKES]
    with capsys.disabled():
        print("\n" + summary(outcomes))
    assert all(o.passed for o in outcomes if not o.entry.first)
    mistakes = [o for o in outcomes if o.entry.first]
    named = sum(o.verdict == "named correctly" for o in mistakes)
    assert named >= NAMED_SHARE * len(mistakes), summary(outcomes)


def test_corpus_is_as_promised():
    """At least 25 mistakes (8 on the update rules, every rule), 10 correct formulations, each on a known model."""
    rules = {e.optimizer for e in MISTAKES if e.optimizer != "sgd" or e.weight_decay
             or e.name.startswith("HardCoded")}
    assert len(MISTAKES) >= 25 and len(CORRECT) >= 10
    assert sum(e.optimizer != "sgd" or e.weight_decay > 0 or e.first[0].startswith(("weights", "optimizer"))
               for e in MISTAKES) >= 8
    assert {"momentum", "adagrad", "rmsprop", "adadelta", "adam"} <= rules and "sgd" in rules
    assert len({e.name for e in CORRECT + MISTAKES}) == len(CORRECT + MISTAKES)
    assert {e.model for e in CORRECT + MISTAKES} >= {"lenet", "mlp", "softmax", "dropout", "lenet-bn",
                                                       "linear-regression"}
    for entry in MISTAKES:
        assert entry.first and entry.cause_words and all(w == w.lower() for w in entry.cause_words)
