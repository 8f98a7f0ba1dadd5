"""A corpus run's mistake verdicts as cases for an independent judge (`python tests/heldoutN_corpus.py --judge
FILE`): for each mistake and seed, its learner class's whole docstring (what the slip is and does), where its
first difference should be, where check put it and check's explanation, with no grading of ours. The corpus's
fixed cause words grade a verdict strictly; a judge reads whether the cause said is true and leads to the slip."""
import inspect


def judge_cases(outcomes: list) -> str:
    """Markdown, one section per mistake outcome (`heldout_corpus.Outcome`), numbered in run order."""
    sections = []
    for outcome in (outcome for outcome in outcomes if outcome.entry.first):
        entry = outcome.entry
        where = "(none: check passed this code)" if outcome.passed else outcome.where
        sections.append(
            f"## Case {len(sections) + 1}: {entry.name}, seed {outcome.seed} ({entry.model}/{entry.optimizer})\n\n"
            f"**What the learner did (the corpus author's description):**\n\n{inspect.getdoc(entry.factory) or ''}"
            f"\n\n**Where the first difference should be:** {', '.join(entry.first)}\n\n"
            f"**Where check put it:** {where}\n\n**check's explanation:**\n\n> {outcome.explanation.strip()}\n")
    return "\n".join(sections)
