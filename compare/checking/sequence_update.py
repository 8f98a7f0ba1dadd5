"""Why a language model's update differs under a rule other than plain SGD, measured as the image models' check
measures it: its own steps (clipped gradients, weights before and after, the rule's state), replayed against the
rule's terms (`update_mistakes.recognise_any`: a term missing, doubled, swapped, squared or not rooted, another step
count, weight decay misplaced). Numpy only."""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import numpy as np

from compare.checking.relations import Numbers
from compare.checking.state_terms import state_terms_relation, swapped_relation
from compare.checking.update_mistakes import recognise_any
from compare.checking.update_replay import CORRECT, Steps

if TYPE_CHECKING:
    from compare.checking.sequence_probe import SequenceProbe

Values = dict  # (quantity name, batch) -> float64 array


def sequence_steps(actual: Values, initial: dict, probe: "SequenceProbe") -> Optional[Steps]:
    """The learner's steps from what check measured of it: batch by batch, the clipped gradients the rule took
    (its loss is a mean: each step's batch size is 1), its weights before and after, and its state after (None
    where a batch's gradients or weights were not measured)."""
    names = list(initial)
    batches, rule = len(probe.batches), probe.optimizer.rule
    before, after, gradients, states = [], [], [], []
    weights = {name: np.asarray(value, dtype=np.float64) for name, value in initial.items()}
    for batch in range(1, batches + 1):
        grads = {name: actual.get((f"gradient {name}", batch)) for name in names}
        later = {name: actual.get((f"weights {name}", batch)) for name in names}
        if any(value is None for value in (*grads.values(), *later.values())):
            return None
        before.append(weights)
        gradients.append(grads)
        after.append(later)
        states.append({f"{name}:{state}": actual[key] for name in names for state in rule.state
                       if (key := (f"optimizer state {name}:{state}", batch)) in actual})
        weights = later
    return Steps(before, after, gradients, [1] * batches, probe.optimizer, probe.learning_rate, states)


def rule_relation(actual: Values, initial: dict, probe: "SequenceProbe") -> str:
    """The mistake in the update rule the learner's own steps follow, in words; '' where they follow the rule (or a
    correct reading of it), or no reading the replay knows."""
    steps = sequence_steps(actual, initial, probe)
    if steps is None:
        return ""
    if _plain_sgd(steps):
        return (f"its weights move by plain SGD, w -= lr * g, where the rule asked for is {probe.optimizer.name}: "
                "its step ignores the rule use_optimizer gave it")
    variant = recognise_any(steps)
    if variant is None or variant is CORRECT or variant.legitimate:
        return ""
    return variant.cause


def _plain_sgd(steps: Steps) -> bool:
    """Whether the first step moved every parameter by -lr * g, its own clipped gradient (a rule that keeps state
    never does: its first step is not proportional to g with the factor lr alone)."""
    before, after, gradients = steps.before[0], steps.after[0], steps.gradients[0]
    moves = np.concatenate([(after[name] - before[name]).ravel() for name in before])
    asked = np.concatenate([(-steps.learning_rate * gradients[name]).ravel() for name in before])
    scale = float(np.abs(asked).max(initial=0.0))
    return scale > 0 and float(np.abs(moves - asked).max(initial=0.0)) <= 1e-3 * scale


def state_relation(quantity: str, actual: Values, reference: Values, initial: dict, probe: "SequenceProbe",
                   numbers: Numbers) -> str:
    """The rule's state after the first batch (`quantity`: 'optimizer state rnn.h2h_weight:momentum') as terms of
    that batch's gradient, the learner's against the reference's: two states swapped, or another expression (a term
    missing, squared, weighted otherwise); '' where neither says anything."""
    steps = sequence_steps(actual, initial, probe)
    if steps is None:
        return ""
    prefix = "optimizer state "
    state = quantity.removeprefix(prefix)
    reported = {name.removeprefix(prefix): value for (name, batch), value in actual.items()
                if batch == 1 and name.startswith(prefix)}
    expected = {name.removeprefix(prefix): value for (name, batch), value in reference.items()
                if batch == 1 and name.startswith(prefix)}
    return swapped_relation(state, reported, expected) or state_terms_relation(state, steps, reported, expected,
                                                                                numbers)
