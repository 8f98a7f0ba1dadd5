"""An update rule's state carried from one step to the next as the larger (or smaller) of its carried value and the
step's new term, where the rule adds them: max(a * s, b * g^2) for a * s + b * g^2 (Adamax's infinity norm, or
AMSGrad's maximum, mixed into a rule that sums). The rule's own recurrence, fitted on the reference, gives the two
parts; the implementation's state is held to their elementwise maximum and minimum. Float64; numpy only."""
import numpy as np

from compare.checking.fits import explains
from compare.checking.term_words import expression

CARRY = "s"  # the recurrence's term for the state's value after the step before
SIDES = 0.01  # each side of a max or min must be the one taken on this share of the elements at least


def larger_of_relation(now: np.ndarray, terms: dict[str, np.ndarray], rule: dict[str, float]) -> str:
    """`now`: the implementation's state after the second step; `terms`: its terms (the state before, s, and the
    step's gradient terms); `rule`: the reference's fitted recurrence (term -> coefficient). Words where the
    elementwise maximum or minimum of the rule's carried part and new part reproduces `now`, '' otherwise."""
    if CARRY not in rule or len(rule) < 2 or any(term not in terms for term in rule):
        return ""
    carried = rule[CARRY] * terms[CARRY]
    if not np.any(carried):  # a carry that stays 0 is min(0, g^2) and max(0, g^2) alike: the unmoved reading's
        return ""
    new = sum(coefficient * terms[term] for term, coefficient in rule.items() if term != CARRY)
    summed = carried + new
    difference = float(np.abs(now - summed).max(initial=0.0))
    new_words = expression({term: coefficient for term, coefficient in rule.items() if term != CARRY})
    carry = expression({CARRY: rule[CARRY]})
    for name, extreme in (("larger", np.maximum), ("smaller", np.minimum)):
        taken = extreme(carried, new)
        scale = 1e-6 * max(float(np.abs(carried).max(initial=0.0)), float(np.abs(new).max(initial=0.0)))
        share = float(np.mean(np.isclose(taken, carried, atol=scale) & ~np.isclose(carried, new, atol=scale)))
        if not SIDES < share < 1 - SIDES:  # an extreme that takes one side nearly always is that side (a state
            continue  # that stays 0 is min(0.9 * 0, g^2)): no mixing of the two is shown
        if difference and explains(now, taken, difference):
            function = "max" if name == "larger" else "min"
            return (f"from one step to the next it keeps the {name} of its carried value and the step's new term, "
                    f"{function}({carry}, {new_words}), where the rule adds them "
                    f"({carry} + {new_words}): a {function}imum where a sum belongs (s: its value "
                    "after the step before, g: this step's gradient)")
    return ""
