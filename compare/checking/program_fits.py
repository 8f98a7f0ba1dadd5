"""Which of the programs one change away (`program_mutations`) a learner's numbers single out: the changes that
reproduce them, grouped where two compute the same numbers (|g| and sqrt(g^2)), the plainer said; and how many
groups, or writings in one group, are too many to name one. No mxnet."""
from dataclasses import dataclass
from typing import Optional

import numpy as np

from compare.checking.program_mutations import Mutant

MOST_FITS = 3  # more distinct changes, or more writings of one, than this: the numbers cannot tell them apart
KINDS = ("left-out", "function-left-out", "variable", "hyperparameter", "value", "operator", "function",
         "reduction", "axes", "bracket", "distributed", "schedule", "extreme", "in-place", "lines-swapped",
         "line-left-out", "line-twice", "applied")  # said in this order, plainer first
NEAR_IDENTITIES = ("value", "hyperparameter", "applied", "schedule")  # a number near the name's (eps for beta2
# in 1 - beta2), |x| of x >= 0: not another writing of the same numbers


@dataclass
class Fit:
    """A change that reproduces the learner's numbers, what it computes, and how many changes compute the same."""

    values: np.ndarray
    mutant: Mutant
    alike: int = 1


def add_distinct(found: list[Fit], values: np.ndarray, mutant: Mutant) -> None:
    """Keep `mutant` (with the values it computes) unless an earlier one computes the same within a ten-thousandth
    of their size: writings the numbers cannot tell apart (eps typed 1e-8 or left out) are one fit, said by the
    plainer, counted in its `alike` (but for a number typed or a function applied: near-identities, not other
    writings)."""
    scale = float(np.nanmax(np.abs(values), initial=0.0)) or 1.0
    same = next((fit for fit in found if fit.values.shape == values.shape and
                 np.allclose(values, fit.values, rtol=1e-4, atol=1e-4 * scale)), None)
    if same is None:
        found.append(Fit(values, mutant))
    elif mutant.kind not in NEAR_IDENTITIES:
        same.alike += 1


def in_said_order(found: list[Mutant]) -> list[Mutant]:
    """The changes in the order they are said and grouped in: the plainer kinds first (stable within a kind)."""
    return sorted(found, key=lambda mutant: KINDS.index(mutant.kind))


def single_out(found: list[Fit]) -> Optional[list[Mutant]]:
    """The changes the numbers single out, plainest first ([] for none); None where they cannot: more than
    MOST_FITS distinct changes, or more than MOST_FITS writings giving one change's numbers (a state that stays 0
    is gamma * s, s * g^2, s^2 alike)."""
    if len(found) > MOST_FITS or any(fit.alike > MOST_FITS for fit in found):
        return None
    return [fit.mutant for fit in found]
