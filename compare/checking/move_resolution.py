"""Whether one step's value parts from the reference's (`apart`), and how finely float32 resolves a parameter's
move at that step (`resolution`): which of the parameters parting at the same step a relation is fitted on first."""
import numpy as np

from compare.checking.evidence import Evidence
from compare.results.measures import QuantityComparison, quantity_kind

NO_GRADIENT = 1e-5  # a gradient this small against the largest parameter's is rounding (a bias before batch norm)


def _no_gradient(name: str, evidence: Evidence) -> bool:
    """Whether the reference's first gradient of `name` is rounding of zero beside the other parameters' (a bias
    before batch norm, whose every shift batch norm takes back out): its moves are rounding too."""
    gradients = {key: float(np.abs(value).max(initial=0.0)) for key, value in evidence.reference.items()
                 if quantity_kind(key) == "gradient"}
    largest = max(gradients.values(), default=0.0)
    return largest > 0 and gradients.get(f"gradient {name}", largest) <= NO_GRADIENT * largest


def resolution(row: QuantityComparison, index: int, evidence: Evidence) -> float:
    """How finely float32 resolves a parameter's move at step `index`: the reference's move over the size of what
    it moves from (a weight of 0.1 moved by 1e-7 keeps a few of its ulps; a bias moved from 0 keeps them all),
    1.0 for the rule's state and the moving averages, read as values. Rows whose moves keep few digits fit no
    relation well, and a move rounded to nothing reads as no move."""
    from compare.checking.probe import after_step

    name = row.quantity.split(" ", 1)[1]
    if quantity_kind(row.quantity) != "weights" or ":" in name:
        return 1.0
    start = evidence.spec.initial_parameters(evidence.seed).get(name) if index == 0 else \
        evidence.reference.get(f"{after_step(index - 1)} {name}")
    reached = evidence.reference.get(f"{after_step(index)} {name}")
    if start is None or reached is None or start.shape != reached.shape or _no_gradient(name, evidence):
        return 0.0
    move = float(np.abs(reached.astype(np.float64) - start.astype(np.float64)).max(initial=0.0))
    size = float(np.abs(start.astype(np.float64)).max(initial=0.0))
    if not size:  # it starts at zero: every digit of its move is kept, where it moves at all
        return float("inf") if move else 0.0
    return move / size


def apart(mine: np.ndarray, theirs: np.ndarray) -> bool:
    """One step's value differs from the reference's beyond what ten steps of float32 rounding leave."""
    scale = float(np.abs(theirs).max(initial=0.0))
    return not np.allclose(mine, theirs, rtol=1e-4, atol=1e-6 * scale + 1e-30, equal_nan=False)
