"""`check` on the held-out corpus heldout7_corpus.py (the first six, tuned, and the eighth to eleventh run by hand:
`python tests/heldoutN_corpus.py --seeds 0,1`; CI's 30 minutes hold one: CI took 32 minutes on its machine with the
sixth and seventh and the independent corpus on three seeds; OPEN_FALSE_ALARMS's heldout4 entry and
NAMED_SINCE_FIRST_RUN's heldout6 entries are watched by hand):
learner code written apart from check's diagnosis code and never tuned to its output before its first run, on
the real Fashion-MNIST (the regression models on their chapters' synthetic data), seed 0 (each corpus module runs
seeds 0 and 1 from the command line; CI holds one, to stay inside its budget). Every correct formulation must pass, but for the false alarms
recorded in OPEN_FALSE_ALARMS, which must still fail as recorded (so that a change is seen and the record
corrected); every mistake must fail with a non-empty explanation. How many mistakes are named at the
right place with a right cause is printed (run with -s), not asserted: a corpus measures the tool, it does not
hold it to a share.
"""
from functools import cache

import heldout2_corpus
import heldout3_corpus
import heldout4_corpus
import heldout5_corpus
import heldout6_corpus
import heldout7_corpus
import heldout8_corpus
import heldout9_corpus
import heldout10_corpus
import heldout11_corpus
import heldout12_corpus
import heldout13_corpus
import heldout14_corpus
import heldout15_corpus
import heldout16_corpus
import heldout17_corpus
import heldout18_corpus
import heldout19_corpus
import heldout20_corpus
import heldout_corpus
import pytest
from heldout_corpus import check_group, groups, summarize

from implementations.optimizers import OPTIMIZERS

SEEDS = (0,)  # every corpus's two-seed figures are recorded in its docstring and docs/check.md; CI holds one
CORPORA = {"heldout7": heldout7_corpus}  # CI's; NAMED_SINCE_FIRST_RUN names entries of others, run by hand
# correct formulations check fails, recorded (docs/check.md): the quantity it fails at, by (corpus, entry)
OPEN_FALSE_ALARMS = {
    # gluon-tutorials' softmax subtracts the batch's largest logit, not each row's: at the large-logit probe a row
    # 100 below the batch's maximum underflows to log 0. check calls that unstable by design (the issue asks the
    # probe to reach such gaps); the corpus's author counted the chapter's code correct.
    ("heldout4", "GlobalMaxSoftmaxLossMLP"): "loss at large logits",
}


def _together(corpus: str):
    """One corpus's tests in one process (pytest-xdist's loadgroup): its checks are run once there and cached."""
    return pytest.mark.xdist_group(corpus)


@cache
def _verdicts(corpus: str, group: tuple, seed: int) -> dict:
    return check_group(groups(CORPORA[corpus].ENTRIES)[group], seed)


def _outcome(corpus: str, entry, seed: int):
    return _verdicts(corpus, entry.group, seed)[entry.name]


def _cases(kind: str) -> list:
    """(corpus, entry, seed) for every entry of `kind` (CORRECT or MISTAKES) of every corpus, on its seeds."""
    return [pytest.param(name, entry, seed, id=f"{name}-{entry.name}-{entry.optimizer}-{seed}", marks=_together(name))
            for name, corpus in CORPORA.items() for entry in getattr(corpus, kind)
            for seed in SEEDS]


@pytest.mark.slow
@pytest.mark.parametrize("corpus, entry, seed", _cases("CORRECT"))
def test_correct_formulation_passes(corpus, entry, seed):
    outcome = _outcome(corpus, entry, seed)
    recorded = OPEN_FALSE_ALARMS.get((corpus, entry.name))
    if recorded is not None:
        assert not outcome.passed and outcome.quantity.split(" ")[0] in recorded, \
            f"the recorded false alarm on {entry.name} changed: [{outcome.where}]; update OPEN_FALSE_ALARMS and docs"
        return
    assert outcome.passed, f"false alarm on {entry.what}: [{outcome.where}] {outcome.explanation}"


@pytest.mark.slow
@pytest.mark.parametrize("corpus, entry, seed", _cases("MISTAKES"))
def test_mistake_fails_with_an_explanation(corpus, entry, seed):
    outcome = _outcome(corpus, entry, seed)
    assert not outcome.passed, f"missed: {entry.what}"
    assert outcome.verdict != "crashed", outcome.explanation
    assert outcome.explanation.strip(), f"no explanation for {entry.what}"
    assert not outcome.diagnosis_raised, f"{entry.name}'s diagnosis raised, its verdict fell back: " \
                                         f"{outcome.diagnosis_raised}"


# mistakes a corpus's first run left unnamed (or missed), named since by relations measured from the numbers (the
# corpus was read for them: tuned): each must stay named at the right place with a right cause, on seed 0
NAMED_SINCE_FIRST_RUN = {"heldout6": (
    "Im2colReshapedConvLeNet", "LastInputChannelConvLeNet", "CroppedSlidingPoolLeNet", "OwnBackwardReluMLP",
    "UnbracketedNormaliseBN", "PerExampleMaskDropout", "SharedDrawsDropout", "BracketedPowerAdamLeNetBN",
    "CachedZerosMomentumDropout", "UndecayedSquaresAdaGradWeightDecay"), "heldout7": (
    "ReshapeTailPoolLeNet", "SwappedIndexLoopPoolLeNet", "AugmentedColumnLinReg", "StaleInputReluDropout", "AfterReluBN",
    "BatchOnlyDivisorBN", "StepBeforeBackwardSgdSoftmax", "TypoParamsListSgdLeNet", "LrInSquaresAdaGradMLP",
    "InPlaceTypoRMSPropLeNet", "StaleSquaresAdaDeltaSoftmax", "SwappedReportAdaDeltaLinReg",
    "GradientTimesLambdaWeightDecay")}


@pytest.mark.slow
@pytest.mark.parametrize("corpus, name", [pytest.param(corpus, name, marks=_together(corpus))
                                          for corpus, names in NAMED_SINCE_FIRST_RUN.items() if corpus in CORPORA
                                          for name in names])
def test_a_mistake_named_since_its_corpus_first_ran_stays_named(corpus, name):
    entry = next(entry for entry in CORPORA[corpus].MISTAKES if entry.name == name)
    outcome = _outcome(corpus, entry, 0)
    assert outcome.verdict == "named correctly", f"{name}: {outcome.verdict} [{outcome.where}] {outcome.explanation}"


@pytest.mark.slow
@pytest.mark.parametrize("corpus", [pytest.param(corpus, marks=_together(corpus)) for corpus in CORPORA])
def test_summary(corpus, capsys):
    """Prints the verdict of every entry and seed and the totals (run with -s to see them)."""
    entries, seeds = CORPORA[corpus].ENTRIES, SEEDS
    outcomes = [_outcome(corpus, entry, seed) for seed in seeds for entry in entries]
    with capsys.disabled():
        print("\n" + summarize(outcomes, entries))
    assert len(outcomes) == len(seeds) * len(entries)


@pytest.mark.parametrize("module", [heldout_corpus, heldout2_corpus])
def test_the_first_two_corpora_are_as_promised(module):
    """15 mistakes, at least 5 of them on update rules or weight decay, and 6 correct formulations."""
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


@pytest.mark.parametrize("module", [heldout4_corpus, heldout5_corpus, heldout6_corpus, heldout8_corpus,
                                    heldout9_corpus, heldout10_corpus, heldout11_corpus, heldout12_corpus,
                                    heldout13_corpus, heldout14_corpus, heldout15_corpus, heldout16_corpus,
                                    heldout17_corpus, heldout18_corpus, heldout19_corpus, heldout20_corpus])
def test_the_fourth_and_later_corpora_run_by_hand_are_as_promised(module):
    """At least 24 mistakes over every one of the six update rules, and at least 12 correct formulations, one per
    rule among them, with weight decay in both."""
    assert len(module.MISTAKES) >= 24 and len(module.CORRECT) >= 12
    assert {e.optimizer for e in module.MISTAKES} == set(OPTIMIZERS) == {e.optimizer for e in module.CORRECT}
    assert any(e.weight_decay for e in module.MISTAKES) and any(e.weight_decay for e in module.CORRECT)
    assert all(e.first and e.cause_words for e in module.MISTAKES)
    assert len({e.name for e in module.ENTRIES}) == len(module.ENTRIES)


def test_an_exception_inside_a_diagnosis_is_seen_by_the_corpus_harness():
    """The product logs it at debug level only and falls back to what was measured; a corpus records it."""
    import logging

    from diagnosis_log import DIAGNOSIS_LOGGER, diagnosis_exceptions

    logger = logging.getLogger(DIAGNOSIS_LOGGER)
    level = logger.level
    with diagnosis_exceptions() as raised:
        logger.debug("nothing raised here")
        try:
            {}["conv1.weight"]
        except KeyError:
            logger.debug("diagnosing %s failed", "MyLeNet", exc_info=True)
    assert raised == ["diagnosing MyLeNet failed: KeyError: 'conv1.weight'"]
    assert logger.level == level and not any(type(h).__name__ == "_Raised" for h in logger.handlers)


def test_the_judges_cases_hold_each_mistakes_whole_docstring_and_checks_words_and_no_grade():
    from heldout_corpus import Outcome
    from judge_cases import judge_cases

    mistake, correct = heldout10_corpus.MISTAKES[0], heldout10_corpus.CORRECT[0]
    outcomes = [Outcome(correct, 0, True), Outcome(mistake, 0, True),
                Outcome(mistake, 1, False, "layer", "conv1", "conv1 is 0.04x the reference's")]
    cases = judge_cases(outcomes)
    assert cases.count("## Case") == 2 and correct.name not in cases
    assert f"## Case 2: {mistake.name}, seed 1" in cases and "> conv1 is 0.04x the reference's" in cases
    assert mistake.factory.__doc__.split("\n")[1].strip() in cases  # the whole docstring, past its first line
    assert "(none: check passed this code)" in cases
    assert not any(grade in cases for grade in ("named correctly", "right place", "wrong place", "missed"))
