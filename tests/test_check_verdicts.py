"""check's confusion matrix on learner code: every correct formulation of the corpus passes (zero false alarms)
and every classic mistake fails with its layer or state and its cause, on the real data and on synthetic
images, over several seeds; the built-ins pass out of the box on every seed."""
import pytest
from learner_corpus import CORRECT, MISTAKES, REFUSED

import compare
from implementations.registry import implementation_names, models

# CI's 30 minutes (28 on this project's AMD EPYC with seeds 0-3, 0-1 and lenet-bn's synthetic run, 2026-12-07):
REAL_SEEDS = range(3)  # seeds 0-2, on the real data: no false alarm on any (0-7 before CI's budget on a slower CPU)
MISTAKE_SEEDS = range(1)  # the classic mistakes on seed 0 (the held-out corpora, by hand, carry seed 1)
SYNTHETIC_SEEDS = range(1)  # the real data's seeds carry the weight; noise images add one
SYNTHETIC_MODELS = [model for model in models() if model != "lenet-bn"]  # its real-data runs carry it (a minute)


def _corpus(model: str, correct: bool, mistakes: bool) -> dict:
    """The implementations one check runs: the built-ins and the correct formulations, the mistakes, or both."""
    built_ins = {name: name for name in implementation_names(model)} if correct else {}
    return {**built_ins, **({f"ok-{c.__name__}": c for c in CORRECT[model]} if correct else {}),
            **({f"bad-{c.__name__}": c for c in MISTAKES[model]} if mistakes else {})}


def _confusion(model: str, seed: int, synthetic: bool, correct: bool = True, mistakes: bool = True) -> list[str]:
    """Every false alarm, missed mistake and misnamed mistake of one check, as readable lines."""
    corpus = _corpus(model, correct, mistakes)
    verdict = compare.check(model=model, implementations=corpus, seed=seed, synthetic=synthetic)
    found = {difference.implementation: difference for difference in verdict.differences()}
    problems = [f"false alarm: {name}: {found[name]}" for name in corpus if not name.startswith("bad-")
                and name in found]
    for name, mistake in corpus.items():
        if not name.startswith("bad-"):
            continue
        if name not in found:
            problems.append(f"missed: {name}")
        elif MISTAKES[model][mistake] not in found[name].explanation:
            problems.append(f"misnamed: {name}: {found[name].explanation}")
    words = " ".join(str(verdict).split())
    if any(name.startswith("bad-") for name in corpus):
        assert "check failed: " in words and "; first, bad-" in words, words[-300:]  # the first cause, in the summary
    return [f"seed {seed}{' synthetic' if synthetic else ''}: {problem}" for problem in problems]


@pytest.mark.slow
@pytest.mark.parametrize("model", list(models()))
def test_the_built_ins_and_every_correct_formulation_pass_on_every_seed_of_the_real_data(model):
    """`python -m compare check --model M` out of the box, with the learners' correct formulations beside it."""
    problems = [problem for seed in REAL_SEEDS for problem in _confusion(model, seed, False, mistakes=False)]
    assert problems == []


@pytest.mark.slow
@pytest.mark.parametrize("model", list(models()))
def test_every_classic_mistake_is_named_with_its_cause_on_the_real_data(model):
    problems = [problem for seed in MISTAKE_SEEDS for problem in _confusion(model, seed, False, correct=False)]
    assert problems == []


@pytest.mark.parametrize("model", SYNTHETIC_MODELS)
def test_the_same_holds_on_synthetic_images(model):
    problems = [problem for seed in SYNTHETIC_SEEDS for problem in _confusion(model, seed, synthetic=True)]
    assert problems == []


@pytest.mark.parametrize("model, mistake, words", [(model, mistake, words) for model, refused in REFUSED.items()
                                                   for mistake, words in refused.items()])
def test_a_loss_that_is_not_per_example_is_refused_before_any_step(model, mistake, words):
    with pytest.raises(compare.UsageError, match=words):
        compare.check(model=model, implementations=[mistake], synthetic=True)


def test_an_implementation_written_for_another_model_is_told_so():
    from implementations.mlp.scratch import ScratchMLP

    with pytest.raises(compare.UsageError, match="it is written for --model mlp"):
        compare.check(model="lenet", implementations=[ScratchMLP], synthetic=True)


def test_each_row_says_what_it_was_held_to_and_the_json_carries_the_cause(tmp_path):
    import json

    from outside_implementations import AveragePoolScratch

    verdict = compare.check(implementations={"avg": AveragePoolScratch}, synthetic=True, steps=2,
                            json=tmp_path / "c.json")
    rows = verdict.to_records()
    assert all(row["allowed"] is not None and row["error_vs_float64"] is not None for row in rows)
    assert all((row["error_vs_float64"] <= row["allowed"]) == row["passed"] for row in rows)
    document = json.loads((tmp_path / "c.json").read_text())
    causes = [row["cause"] for row in document["comparisons"] if row["cause"]]
    assert len(causes) == 1 and causes[0] in verdict.first_difference.explanation
    assert "16x the float32 reference's own distance from float64" in document["held_to"]
