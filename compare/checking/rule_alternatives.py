"""check under an update rule other than plain SGD: the differences a correct formulation of the rule explains —
MXNet's formula where the built-ins use it (confirmed by replaying their steps), weight decay written into the
loss, another rounding of the rule's state — told from the mistakes `update_mistakes` names. Prints nothing."""
import dataclasses
from typing import Optional

import numpy as np

from compare.checking.penalty import ON_BIASES_TOO, penalty_in_loss
from compare.checking.probe import CheckJob, step_sizes
from compare.checking.update_mistakes import follows, recognise_any, steps_from
from compare.checking.update_replay import CORRECT, Steps, state_factors
from compare.devices.topology import Topology
from compare.results.measures import QuantityComparison, quantity_kind


def recorded_steps(values: dict[str, np.ndarray], job: CheckJob) -> "Optional[Steps]":
    """The implementation's steps as recorded, for replaying its update rule (None under plain SGD)."""
    probe = job.probe
    if probe.optimizer.plain_sgd:
        return None
    return steps_from(values, job.spec.initial_parameters(job.seed), step_sizes(probe.size, probe.steps),
                      probe.optimizer, probe.learning_rate)


def replays_a_correct_rule(steps: Steps) -> bool:
    """Whether the implementation's own steps, replayed from its own weights and gradients, follow the chapter's
    rule or a correct reading of it (MXNet's, the penalty in the loss): free of the chaos ten steps carry."""
    found = recognise_any(steps)
    return found is not None and (found is CORRECT or found.legitimate)


STATE_ROUNDING = ("its optimizer state is rounded otherwise than scratch's: every step, its state included, replays "
                  "as the chapter's rule within a thousandth, and its weights agree within float32's noise")
NEITHER_FORMULA = "its steps follow neither the chapter's rule nor MXNet's (replayed step by step)"


def formula_confirmed(rows: list[QuantityComparison], values: dict[str, np.ndarray], job: CheckJob
                       ) -> list[QuantityComparison]:
    """A built-in's known formula difference explains its rows only when its own steps, replayed, follow MXNet's
    formula (or the chapter's): any difference would otherwise pass as "known"."""
    if not any(row.explained for row in rows):
        return rows
    steps = recorded_steps(values, job)
    if steps is not None and follows(("chapter", "mxnet"), steps):
        return rows
    return [dataclasses.replace(row, explained=False, cause=NEITHER_FORMULA) if row.explained else row
            for row in rows]


PENALTY_IN_LOSS = ("its loss carries the L2 penalty lambda / 2 * ||w||^2 (the reg-scratch chapter's way), where "
                   "scratch adds lambda * w in the update: the steps are the same")
PENALTY_ON_BIASES = ("weight decay reaches the biases too: its loss's penalty covers {names}; the chapter's "
                     "lambda / 2 * ||w||^2 (and the Trainer's wd here) is on the weights only")


def rule_alternatives(rows: list[QuantityComparison], values: dict[str, np.ndarray], job: CheckJob,
                      alone: Topology) -> list[QuantityComparison]:
    """Failing rows a correct formulation of the update explains: weight decay written into the loss (its loss and
    gradients carry the penalty; on the biases too, the weights' rows name that mistake) and a legitimate variant of
    the rule (MXNet's Adam), recognised by replaying its steps; the rows as they are otherwise."""
    optimizer = job.probe.optimizer
    if not any(row.failed for row in rows) or optimizer.plain_sgd or job.reference is None:
        return rows
    penalty = penalty_in_loss(values, job, alone)
    if penalty is not None:
        biases = ", ".join(name for name in job.spec.parameter_shapes() if not optimizer.decays(name))
        if penalty != ON_BIASES_TOO:  # the penalty written into the loss, on the weights: a correct choice
            rows = [dataclasses.replace(row, explained=True, cause=PENALTY_IN_LOSS)
                    if row.failed and quantity_kind(row.quantity) in ("loss", "gradient") else row for row in rows]
        else:
            failing = [row for row in rows if row.failed and quantity_kind(row.quantity) == "weights"]
            first = next((row for row in failing if not optimizer.decays(row.quantity.split(" ", 1)[-1])),
                         failing[0] if failing else None)  # a bias's row first: the decay that should not be
            rows = [dataclasses.replace(row, cause=PENALTY_ON_BIASES.format(names=biases)) if row is first else row
                    for row in rows]
            return rows
    steps = recorded_steps(values, job)
    variant = recognise_any(steps) if steps is not None and any(r.failed for r in rows) else None
    if variant is not None and variant.legitimate:
        rows = [dataclasses.replace(r, explained=True, cause=variant.cause)
                if r.failed and quantity_kind(r.quantity) in ("weights", "optimizer") else r for r in rows]
    elif variant is CORRECT and all(quantity_kind(r.quantity) == "optimizer" for r in rows if r.failed):
        # every step replays as the chapter's rule, the state it reports included (within a thousandth, or times
        # a constant): what parts from scratch's state is its own bookkeeping (a velocity kept negated), or beyond
        # float32's noise another rounding of the same formula (MXNet's fused adam_update squares in one kernel)
        cause = _state_kept(state_factors(steps), job.probe.learning_rate) or STATE_ROUNDING
        rows = [dataclasses.replace(r, explained=True, cause=cause) if r.failed else r for r in rows]
    return rows


def _state_kept(factors: dict[str, float], learning_rate: float) -> str:
    """'it keeps its momentum negated ...' for states kept at a constant times the chapter's; '' for none."""
    if not factors:
        return ""
    named = {-1.0: "negated (-1x)", learning_rate: f"times the learning rate ({learning_rate:g})",
             1 / learning_rate: f"divided by the learning rate ({learning_rate:g})",
             -learning_rate: f"negated and times the learning rate ({learning_rate:g})",
             -1 / learning_rate: f"negated and divided by the learning rate ({learning_rate:g})"}
    words = []
    for key, factor in factors.items():
        how = next((text for value, text in named.items() if abs(factor - value) <= 1e-3 * abs(value)),
                   f"at {factor:.4g}x")
        words.append(f"its {key} {how}")
    return (f"it keeps {', '.join(words)} against the chapter's state, a correct choice of bookkeeping: every step "
            "of its weights follows the chapter's rule")
