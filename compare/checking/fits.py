"""Whether one array reproduces another, the tolerance every measured relation is held to, and the fits they use:
the closest of several candidates, the fewest terms whose linear combination reproduces a value. Numpy only."""
import itertools
from typing import Any, Iterable, Optional

import numpy as np

RESIDUAL_SHARE = 1e-2  # a relation explains a difference when what it leaves is a hundredth of it at most
ROUNDING = 4e-6  # ... or within float32's rounding of the values (a few ulps of the largest)
MIN_VALUES_PER_TERM = 4  # a sparse fit needs this many values per term: fewer, and any few terms fit anything


def explains(actual: np.ndarray, candidate: np.ndarray, difference: float) -> bool:
    """Whether `candidate` reproduces `actual`: what it leaves is a hundredth of the difference it explains, or
    float32's rounding of the values."""
    if candidate.shape != actual.shape or not np.all(np.isfinite(candidate)):
        return False
    scale = max(float(np.abs(actual).max(initial=0.0)), float(np.abs(candidate).max(initial=0.0)), 1e-30)
    return float(np.abs(actual - candidate).max(initial=0.0)) <= max(RESIDUAL_SHARE * difference, ROUNDING * scale)



def best_fit(actual: np.ndarray, candidates: Iterable[tuple[Any, np.ndarray]], difference: float) -> Any:
    """The label of the candidate that reproduces `actual` most closely, of those that reproduce it at all ('' when
    none does): tanh(x) of small x also passes for x itself, within a hundredth, but tanh fits closer.
    `candidates` yields (label, array); a label is its words, or what the caller needs to word it."""
    fits = [(float(np.abs(actual - candidate).max(initial=0.0)), index, words)
            for index, (words, candidate) in enumerate(candidates) if explains(actual, candidate, difference)]
    return min(fits)[2] if fits else ""



def sparse_fit(value: np.ndarray, terms: dict[str, np.ndarray], max_terms: int, exact: float
               ) -> Optional[dict[str, float]]:
    """The smallest set of `terms` (name -> array of value's shape) whose linear combination reproduces `value`
    within `exact` of its largest magnitude, with the coefficients; None where none of up to `max_terms` terms
    does, or where two different sets of the smallest size do (the terms cannot tell them apart). The smallest:
    every term of a fit is needed, so a term too small to matter (y_hat^2 of tiny predictions) cannot enter."""
    scale = float(np.abs(value).max(initial=0.0))
    if scale == 0 or not np.all(np.isfinite(value)):
        return None
    for size in range(1, max_terms + 1):
        if value.size < MIN_VALUES_PER_TERM * size:
            return None
        fits = []
        for chosen in itertools.combinations(terms, size):
            matrix = np.stack([terms[term].ravel() for term in chosen], axis=1)
            coefficients, *_ = np.linalg.lstsq(matrix, value.ravel(), rcond=None)
            if float(np.abs(matrix @ coefficients - value.ravel()).max()) <= exact * scale and \
                    np.all(coefficients != 0):
                fits.append(dict(zip(chosen, (float(c) for c in coefficients))))
        if len(fits) == 1:
            return fits[0]
        if fits:
            return None
    return None
