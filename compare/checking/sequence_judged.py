"""Which of a language model's rows `check` judges: those before the first batch the reference itself cannot
decide, and, where only the rule's state rows differ while every weight agrees, the rows without them (the state is
the learner's own bookkeeping). Each with the words said where rows were left out. Numpy-free."""
from __future__ import annotations

from compare.results.sequence_check_types import SequenceRow


def judged_rows(rows: list[SequenceRow]) -> tuple[list[SequenceRow], str]:
    """The rows before the first batch the reference itself cannot decide (`undecidable_from`: chaotic training, a
    large clipping norm and many steps, or a diverging one), and words for
    where judging stopped ('' where every row is judged). The verdict rests on the rows before it."""
    for index, row in enumerate(rows):
        if not row.decidable:
            judged = {1: "nothing", 2: "batch 1"}.get(row.batch, f"batches 1 to {row.batch - 1}")
            return rows[:index], (f"judged {judged}: from batch {row.batch} on, the reference's own float32 run is "
                                  "too far from float64 to hold anything to it (its rounding has grown to a "
                                  "thousandth of the logits' or the gradients' size, or they are not finite)")
    return rows, ""


OWN_STATE_FORM = ("its rule state is kept in another form than the chapter's (its optimizer state rows differ, "
                  "e.g. a velocity without the learning rate) while every weight and every later quantity agrees: "
                  "judged by its weights, as a model that reports no state is")


def judged_by_weights(rows: list[SequenceRow], note: str) -> tuple[list[SequenceRow], str]:
    """The rows, and the note; where only the rule's state rows differ (every weight after every step agrees), the
    state is the learner's own bookkeeping, not the update: its rows are left out and that is said."""
    failing = [row for row in rows if not row.passed]
    if not failing or any(row.kind != "optimizer state" for row in failing) or \
            not any(row.kind == "weights" for row in rows):
        return rows, note
    return [row for row in rows if row.kind != "optimizer state"], f"{note}; {OWN_STATE_FORM}" if note \
        else OWN_STATE_FORM
