"""Divergence, one rule for every implementation: a batch's mean loss that is not finite, or above
EXPLOSION_FACTOR times the larger of the run's first batch loss and ln(classes) (the loss of uniform
guessing; a regression has no such floor, and its baseline is the mean loss over its first 1,000 examples).
An exploded loss is divergence even while float32 can still represent it.
"""
import math
from dataclasses import dataclass

EXPLOSION_FACTOR = 1e3


class Diverged(Exception):
    """The training loss stopped being finite, or exploded, at `step`."""

    def __init__(self, step: int, loss: float) -> None:
        super().__init__(f"mean batch loss {loss:.3g} at step {step}")
        self.step = step


@dataclass(frozen=True)
class DivergenceRule:
    """A mean batch loss above `limit` (or not finite) is divergence."""

    limit: float

    @classmethod
    def from_first_loss(cls, first_loss: float, num_classes: int) -> "DivergenceRule":
        baseline = max(first_loss, math.log(num_classes)) if math.isfinite(first_loss) else math.log(num_classes)
        return cls(EXPLOSION_FACTOR * baseline)

    def diverged(self, mean_loss: float) -> bool:
        return not math.isfinite(mean_loss) or mean_loss > self.limit
