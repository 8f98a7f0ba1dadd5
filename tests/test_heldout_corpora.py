"""`check` on the three held-out corpora (tests/heldout_corpus.py, heldout2_corpus.py, heldout3_corpus.py):
learner code written apart from check's diagnosis code and never tuned to its output before its first run, on
the real Fashion-MNIST (the regression models on their chapters' synthetic data), seeds 0 and 1. Every correct
formulation must pass; every mistake must fail with a non-empty explanation. How many mistakes are named at the
right place with a right cause is printed (run with -s), not asserted: a corpus measures the tool, it does not
hold it to a share.
"""
from functools import cache

import heldout2_corpus
import heldout3_corpus
import heldout_corpus
import pytest
from heldout_corpus import check_group, groups, summarize

from implementations.optimizers import OPTIMIZERS

SEEDS = (0, 1)
CORPORA = {"heldout": heldout_corpus, "heldout2": heldout2_corpus, "heldout3": heldout3_corpus}


@cache
def _verdicts(corpus: str, group: tuple, seed: int) -> dict:
    return check_group(groups(CORPORA[corpus].ENTRIES)[group], seed)


def _outcome(corpus: str, entry, seed: int):
    return _verdicts(corpus, entry.group, seed)[entry.name]


def _cases(kind: str) -> list:
    """(corpus, entry) for every entry of `kind` (CORRECT or MISTAKES) of every corpus."""
    return [pytest.param(name, entry, id=f"{name}-{entry.name}-{entry.optimizer}")
            for name, corpus in CORPORA.items() for entry in getattr(corpus, kind)]


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("corpus, entry", _cases("CORRECT"))
def test_correct_formulation_passes(corpus, entry, seed):
    outcome = _outcome(corpus, entry, seed)
    assert outcome.passed, f"false alarm on {entry.what}: [{outcome.where}] {outcome.explanation}"


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("corpus, entry", _cases("MISTAKES"))
def test_mistake_fails_with_an_explanation(corpus, entry, seed):
    outcome = _outcome(corpus, entry, seed)
    assert not outcome.passed, f"missed: {entry.what}"
    assert outcome.verdict != "crashed", outcome.explanation
    assert outcome.explanation.strip(), f"no explanation for {entry.what}"


@pytest.mark.slow
@pytest.mark.parametrize("corpus", CORPORA)
def test_summary(corpus, capsys):
    """Prints the verdict of every entry and seed and the totals (run with -s to see them)."""
    entries = CORPORA[corpus].ENTRIES
    outcomes = [_outcome(corpus, entry, seed) for seed in SEEDS for entry in entries]
    with capsys.disabled():
        print("\n" + summarize(outcomes, entries))
    assert len(outcomes) == 2 * len(entries)


@pytest.mark.parametrize("corpus", ["heldout", "heldout2"])
def test_the_first_two_corpora_are_as_promised(corpus):
    """15 mistakes, at least 5 of them on update rules or weight decay, and 6 correct formulations."""
    module = CORPORA[corpus]
    assert len(module.MISTAKES) == 15 and len(module.CORRECT) == 6
    assert sum(e.optimizer != "sgd" or bool(e.weight_decay) for e in module.MISTAKES) >= 5
    assert all(e.first and e.cause_words for e in module.MISTAKES)
    assert len({e.name for e in module.ENTRIES}) == len(module.ENTRIES)


def test_the_third_corpus_is_as_promised():
    """26 mistakes over every one of the six update rules (7 on a rule other than sgd or on weight decay) and 12
    correct formulations, one per rule among them."""
    mistakes, correct, entries = heldout3_corpus.MISTAKES, heldout3_corpus.CORRECT, heldout3_corpus.ENTRIES
    assert len(mistakes) == 26 and len(correct) == 12
    assert {e.optimizer for e in mistakes} == set(OPTIMIZERS) == {e.optimizer for e in correct}
    assert sum(e.optimizer != "sgd" or bool(e.weight_decay) for e in mistakes) >= 7
    assert any(e.weight_decay for e in mistakes) and any(e.weight_decay for e in correct)
    assert all(e.first and e.cause_words for e in mistakes)
    assert len({e.name for e in entries}) == len(entries)
