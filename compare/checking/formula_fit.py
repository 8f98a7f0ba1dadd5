"""An update rule's mistake read from the steps, not from a list: every program one change away from the rule's
(`program_mutations`) is replayed from the implementation's own weights and gradients, and the one that gives its
weights after every step (and the state it reports) is what it computes. Said as the line it writes against the
rule's line. Where no single change replays, or too many do to tell apart, it says nothing. Float64; no mxnet."""
from dataclasses import dataclass
from typing import Optional

import numpy as np

from compare.checking.formula_words import KINDS, said_all
from compare.checking.program_mutations import Fit, Mutant, add_distinct, mutants
from compare.checking.rule_programs import STATE_KEYS, Line, evaluate, program
from compare.checking.update_replay import Steps, Variant, kept_factors, state_agrees, weights_agree

SAMPLE = 384  # elements per parameter: the rules are elementwise, so a sample replays as the whole does
MOST_FITS = 3  # more single changes than this replaying the steps: the steps cannot tell them apart


@dataclass(frozen=True)
class Replay:
    """The steps to replay a program on, each parameter's arrays flattened (or a sample of their elements)."""

    steps: Steps
    picks: dict[str, Optional[np.ndarray]]  # parameter -> the flat indices replayed (None: every element)

    def array(self, value: np.ndarray, name: str) -> np.ndarray:
        flat = np.asarray(value, dtype=np.float64).ravel()
        pick = self.picks[name]
        return flat if pick is None else flat[pick]


def _sampled(steps: Steps, size: Optional[int]) -> Replay:
    picks = {}
    for name, weight in steps.before[0].items():
        count = int(np.size(weight))
        picks[name] = None if size is None or count <= size else np.unique(np.linspace(0, count - 1, size).astype(int))
    return Replay(steps, picks)


def _replays(lines: tuple[Line, ...], replay: Replay, weights: bool = True) -> bool:
    """Whether the program gives the weights after every step (unless `weights` is False), and the state the
    implementation reports."""
    return _replayed(lines, replay, weights) is not None


def _replayed(lines: tuple[Line, ...], replay: Replay, weights: bool = True) -> Optional[np.ndarray]:
    """What the program gives at the last step (its values to nine digits: two writings that compute the same
    numbers give the same bytes) where it replays the steps as `_replays` asks; None where it does not."""
    last: dict[str, list[np.ndarray]] = {}  # per parameter: its weights and state at the last finite step
    steps = replay.steps
    optimizer, rule = steps.optimizer, steps.optimizer.name
    keys = STATE_KEYS.get(rule, {})
    carried: dict[str, dict[str, np.ndarray]] = {name: {} for name in steps.before[0]}
    factors = kept_factors(steps.learning_rate, rule)
    with np.errstate(all="ignore"):
        for index, (before, after, gradients) in enumerate(zip(steps.before, steps.after, steps.gradients)):
            reported = steps.states[index] if index < len(steps.states) else {}
            finite = all(np.all(np.isfinite(np.asarray(array))) for array in after.values())
            for name, weight in before.items():
                if name not in after or name not in gradients:
                    return None
                w = replay.array(weight, name)
                env = {**optimizer.values, "lr": steps.learning_rate, "batch": float(steps.batch_sizes[index]),
                       "wd": optimizer.weight_decay if optimizer.decays(name) else 0.0, "t": float(index + 1),
                       "grad": replay.array(gradients[name], name), "w": w, "w_prev": w, "g_prev": 0.0 * w,
                       "change_prev": 0.0 * w}
                env.update({key: 0.0 * w for key in keys})
                env.update(carried[name])
                env.update({f"{key}_prev": env[key] for key in keys})
                try:
                    for target, expression in lines:
                        env[target] = evaluate(expression, env)
                except KeyError:  # a line left out that a later line reads
                    return None
                moved = np.broadcast_to(np.asarray(env["w"], dtype=np.float64), w.shape)
                if weights and not weights_agree(moved, replay.array(after[name], name), w):
                    return None
                for key, state in keys.items():
                    mine = reported.get(f"{name}:{state}")
                    value = np.broadcast_to(np.asarray(env[key], dtype=np.float64), w.shape)
                    if mine is not None and not any(state_agrees(factor * value, replay.array(mine, name))
                                                    for factor in factors):
                        return None
                carried[name] = {key: np.broadcast_to(np.asarray(env[key], dtype=np.float64), w.shape)
                                 for key in keys}
                carried[name].update({"w_prev": w, "g_prev": env.get("g", 0.0 * w),
                                      "change_prev": env.get("change", 0.0 * w)})
                if finite:
                    last[name] = [moved, *carried[name].values()]
            if not finite:
                break  # weights gone inf/NaN tell no writing of the rule from another: the steps before must
    if len(last) < len(steps.before[0]):
        return None  # inf/NaN from the first step: nothing to tell writings of the rule apart by
    return np.concatenate([value.ravel() for values in last.values() for value in values])


def formula_slip(steps: Steps) -> Optional[Variant]:
    """The rule with one change in one line that replays the implementation's steps (or, where its state tells a
    change to a state's line apart, that change and one more), said against the rule's lines; None where the rule
    itself replays, no such change or too many do, or no steps are recorded."""
    if not steps.before:
        return None
    optimizer = steps.optimizer
    lines = tuple(program(optimizer.name, bool(optimizer.weight_decay)))
    sample, whole = _sampled(steps, SAMPLE), _sampled(steps, None)
    if _replays(lines, sample):
        return None
    hyper = [*(["lr"] if optimizer.name != "adadelta" else []), *optimizer.values]
    found = [[fit] for fit in _fits(lines, (sample, whole), hyper)]
    if not found and steps.states and not _replays(lines, sample, weights=False):
        # the state it reports parts from the rule's: a change to a state's line first, then one more anywhere
        states = _fits(lines, (sample, whole), hyper, weights=False)
        if len(states) <= MOST_FITS:
            found = [[first, second] for first in states for second in _fits(first.lines, (sample, whole), hyper)]
    if not found or len(found) > MOST_FITS:
        return None
    said = [said_all(changes, lines) for changes in found]
    cause = f"its {optimizer.name} update replays, step by step from its own weights and gradients, as the rule " \
            f"with {'one change' if len(found[0]) == 1 else 'two changes'}: {said[0]}"
    if len(said) > 1:
        cause += "; or, the same on these steps, " + "; or ".join(said[1:])
    names = ", ".join(f"{key} is its {state}" for key, state in STATE_KEYS.get(optimizer.name, {}).items())
    return Variant("formula", f"{cause}{f' ({names})' if names else ''}")


def _fits(lines: tuple[Line, ...], replays: tuple[Replay, Replay], hyper: list[str], weights: bool = True
          ) -> list[Mutant]:
    """The single changes of `lines` that replay the steps on the sample, then on every element, the plainer kinds
    first; of changes that compute the same numbers (|g| and sqrt(g^2)), the plainest only."""
    sample, whole = replays
    rule = sample.steps.optimizer.name
    fits = sorted(mutants(list(lines), rule, hyper), key=lambda mutant: KINDS.index(mutant.kind))
    distinct: list[Fit] = []
    for mutant in fits:
        replayed = _replayed(mutant.lines, sample, weights)
        if replayed is not None:
            add_distinct(distinct, replayed, mutant)
    if any(fit.alike > MOST_FITS for fit in distinct):
        return []  # many writings give these numbers (a state that stays 0, a ratio near 1): none can be told
    return [fit.mutant for fit in distinct[:MOST_FITS + 1] if _replays(fit.mutant.lines, whole, weights)]
