"""An update rule's mistake read from the steps, not from a list: every program one change away from the rule's
(`program_mutations`) is replayed from the implementation's own weights and gradients, and the one that gives its
weights after every step (and the state it reports), far closer than the rule itself does, is what it computes.
Said as the line it writes against the rule's line. Where no change replays, or the numbers cannot single one out
(`program_fits`), it says nothing. Float64; no mxnet."""
import functools
from dataclasses import dataclass
from typing import Iterator, Optional

import numpy as np

from compare.checking.formula_words import said_all
from compare.checking.program_fits import MOST_FITS, Fit, add_distinct, in_said_order, single_out
from compare.checking.program_mutations import Mutant, mutants
from compare.checking.rule_programs import STATE_KEYS, Line, evaluate, program
from compare.checking.update_replay import Steps, Variant, kept_factors, state_agrees, weights_agree

SAMPLE = 384  # elements per parameter: the rules are elementwise, so a sample replays as the whole does
CLOSER = 0.1  # a change must come this much closer to the learner's weights than the rule itself does


@dataclass(frozen=True)
class Sampled:
    """The steps on a sample of each parameter's elements, flat: per step, per parameter."""

    steps: Steps
    before: list[dict[str, np.ndarray]]
    after: list[dict[str, np.ndarray]]
    gradients: list[dict[str, np.ndarray]]
    states: list[dict[str, np.ndarray]]  # "fc1.weight:square_sum" -> the reported state; left out where its size
    # is not its parameter's (a state kept in another layout: compared by no program)
    finite: list[bool]  # per step: whether the learner's weights after it are all finite (read once, not per change)


def _sampled(steps: Steps, size: Optional[int]) -> Optional[Sampled]:
    """The steps on `size` elements of each parameter (None: all); None where a step lacks a parameter."""
    picks, sizes = {}, {}
    for name, weight in steps.before[0].items():
        count = sizes[name] = int(np.size(weight))
        picks[name] = None if size is None or count <= size else np.unique(np.linspace(0, count - 1, size).astype(int))

    def flat(value: np.ndarray, name: str) -> np.ndarray:
        array = np.asarray(value, dtype=np.float64).ravel()
        return array if picks[name] is None else array[picks[name]]

    if any(set(before) - set(after) or set(before) - set(gradients)
           for before, after, gradients in zip(steps.before, steps.after, steps.gradients)):
        return None
    arrays = [[{name: flat(step[name], name) for name in step if name in picks} for step in kind]
              for kind in (steps.before, steps.after, steps.gradients)]
    states = [{key: flat(value, key.split(":")[0]) for key, value in reported.items()
               if key.split(":")[0] in sizes and np.size(value) == sizes[key.split(":")[0]]}
              for reported in steps.states]
    finite = [all(np.all(np.isfinite(array)) for array in after.values()) for after in arrays[1]]
    return Sampled(steps, *arrays, states, finite)


def _run(lines: tuple[Line, ...], sampled: Sampled) -> Iterator[tuple[int, str, dict]]:
    """(step, parameter, the program's values there) for every step until the learner's weights go inf/NaN (after
    them, no writing of the rule is told from another), each state carried from the step before."""
    steps, optimizer = sampled.steps, sampled.steps.optimizer
    keys = STATE_KEYS.get(optimizer.name, {})
    carried: dict[str, dict[str, np.ndarray]] = {name: {} for name in sampled.before[0]}
    for index, (before, gradients) in enumerate(zip(sampled.before, sampled.gradients)):
        for name, w in before.items():
            env = {**optimizer.values, "lr": steps.learning_rate, "batch": float(steps.batch_sizes[index]),
                   "wd": optimizer.weight_decay, "decays": float(optimizer.decays(name)), "t": float(index + 1),
                   "grad": gradients[name], "w": w, "w_prev": w, "g_prev": 0.0 * w, "change_prev": 0.0 * w,
                   **{key: 0.0 * w for key in keys}, **carried[name]}
            env.update({f"{key}_prev": env[key] for key in keys})
            for target, expression in lines:
                env[target] = evaluate(expression, env)
            carried[name] = {key: np.broadcast_to(np.asarray(env[key], dtype=np.float64), w.shape) for key in keys}
            carried[name].update({"w_prev": w, "g_prev": env.get("g", 0.0 * w),
                                  "change_prev": env.get("change", 0.0 * w)})
            yield index, name, env
        if not sampled.finite[index]:
            return


def _replayed(lines: tuple[Line, ...], sampled: Sampled, weights: bool = True) -> Optional[np.ndarray]:
    """What the program gives at the last finite step (its weights and states, joined) where it gives the learner's
    weights after every step (unless `weights` is False) and the state it reports; None where it does not."""
    keys = STATE_KEYS.get(sampled.steps.optimizer.name, {})
    factors = kept_factors(sampled.steps.learning_rate, sampled.steps.optimizer.name)
    last: dict[str, list[np.ndarray]] = {}
    with np.errstate(all="ignore"):
        try:
            for index, name, env in _run(lines, sampled):
                w = sampled.before[index][name]
                moved = np.broadcast_to(np.asarray(env["w"], dtype=np.float64), w.shape)
                if weights and not weights_agree(moved, sampled.after[index][name], w):
                    return None
                reported = sampled.states[index] if index < len(sampled.states) else {}
                for key, state in keys.items():
                    mine = reported.get(f"{name}:{state}")
                    value = np.broadcast_to(np.asarray(env[key], dtype=np.float64), w.shape)
                    if mine is not None and not any(state_agrees(factor * value, mine) for factor in factors):
                        return None
                if sampled.finite[index]:
                    last[name] = [_scaled(moved), *(_scaled(env[key]) for key in keys)]
        except (KeyError, ValueError, IndexError):  # a line left out that a later line reads
            return None
    if len(last) < len(sampled.before[0]):
        return None  # inf/NaN from the first step: nothing to tell writings of the rule apart by
    return np.concatenate([value.ravel() for values in last.values() for value in values])


def _scaled(value: np.ndarray) -> np.ndarray:
    """An array over its own largest size: a small state weighs as much as the weights where two fits are compared."""
    array = np.asarray(value, dtype=np.float64).ravel()
    return array / (float(np.nanmax(np.abs(array), initial=0.0)) or 1.0)


def _misfit(lines: tuple[Line, ...], sampled: Sampled) -> float:
    """How far the program's weights are from the learner's, at worst, in units of the step each parameter took."""
    worst = 0.0
    with np.errstate(all="ignore"):
        try:
            for index, name, env in _run(lines, sampled):
                w, actual = sampled.before[index][name], sampled.after[index][name]
                step = float(np.abs(actual - w).max(initial=0.0)) or 1.0
                miss = np.abs(np.asarray(env["w"], dtype=np.float64) - actual)
                worst = max(worst, float(np.nan_to_num(miss, nan=np.inf).max(initial=0.0)) / step)
        except (KeyError, ValueError, IndexError):
            return float("inf")
    return worst


def formula_slip(steps: Steps) -> Optional[Variant]:
    """The rule with one change in one line that replays the implementation's steps (or, where its state tells a
    change to a state's line apart, that change and one more), said against the rule's lines; None where the rule
    itself replays, no change does or the numbers cannot single one out, or the steps are not all recorded."""
    if not steps.before:
        return None
    optimizer = steps.optimizer
    lines = tuple(program(optimizer.name, bool(optimizer.weight_decay)))
    sample = _sampled(steps, SAMPLE)
    if sample is None or _replays(lines, sample):
        return None
    search = Search(lines, sample, [*(["lr"] if optimizer.name != "adadelta" else []), *optimizer.values])
    singles = search.fits(lines)
    if singles is None:
        return None
    found = [[fit] for fit in singles]
    if not found and steps.states and not _replays(lines, sample, weights=False):
        # the state it reports parts from the rule's: a change to a state's line first, then one more anywhere
        states = search.fits(lines, weights=False)
        pairs = [[first, second] for first in states or [] for second in search.fits(first.lines) or []]
        found = pairs if states is not None else []
    if not found or len(found) > MOST_FITS:
        return None
    said = [said_all(changes, lines) for changes in found]
    cause = f"its {optimizer.name} update replays, step by step from its own weights and gradients, as the rule " \
            f"with {'one change' if len(found[0]) == 1 else 'two changes'}: {said[0]}"
    cause += "".join(f"; or, the same on these steps, {other}" for other in said[1:])
    names = ", ".join(f"{key} is its {state}" for key, state in STATE_KEYS.get(optimizer.name, {}).items())
    return Variant("formula", f"{cause}{f' ({names})' if names else ''}")


def _replays(lines: tuple[Line, ...], sampled: Sampled, weights: bool = True) -> bool:
    return _replayed(lines, sampled, weights) is not None


@dataclass(frozen=True)
class Search:
    """The rule's program, the steps sampled, and the names a change may read (`hyper`)."""

    lines: tuple[Line, ...]
    sample: Sampled
    hyper: list[str]

    @functools.cached_property  # every element of every step: only a change the sample singles out is replayed there
    def whole(self) -> Sampled:
        return _sampled(self.sample.steps, None) or self.sample  # never None where the sample was taken

    @functools.cached_property
    def rule_misfit(self) -> float:
        """How far the rule itself comes from the learner's weights (`_misfit`), once for every search."""
        return _misfit(self.lines, self.sample)

    def fits(self, lines: tuple[Line, ...], weights: bool = True) -> Optional[list[Mutant]]:
        """The single changes of `lines` the numbers single out, on the sample and then on every element, each far
        closer to the learner's weights than the rule (unless only the state is asked); None where they cannot
        single one out."""
        rule = self.sample.steps.optimizer.name
        distinct: list[Fit] = []
        for mutant in in_said_order(mutants(list(lines), rule, self.hyper)):
            replayed = _replayed(mutant.lines, self.sample, weights)
            if replayed is not None:
                add_distinct(distinct, replayed, mutant)
        chosen = single_out(distinct)
        if not chosen:
            return chosen
        chosen = [mutant for mutant in chosen if _replays(mutant.lines, self.whole, weights)]
        if weights:  # a near-identity within the tolerance is no reading: the rule itself comes nearly as close
            limit = CLOSER * self.rule_misfit
            chosen = [mutant for mutant in chosen if _misfit(mutant.lines, self.sample) <= limit]
        return chosen
