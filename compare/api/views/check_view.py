"""`compare.check`'s result: the verdict, where each implementation first differs and why, for a learner and
for an autograder, and the command's tables."""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from rich.console import Group, RenderableType
from rich.text import Text

from compare.api.views.shown import Shown
from compare.files import write_text_atomically
from compare.results.measures import CheckData, QuantityComparison, in_computation_order


@dataclass(frozen=True)
class FirstDifference:
    """Where an implementation first differs from the reference: its layer (or parameter, or state), the kind
    of quantity, the largest difference, and what that means in words."""

    implementation: str
    layer: str
    quantity: str  # layer, logits, loss, gradient, weights, state, ...
    max_abs: float
    explanation: str

    def __str__(self) -> str:
        return f"{self.implementation}: {self.explanation}"


class CheckResult(Shown):
    """What `compare.check` found: `passed`, `first_difference` (layer, quantity, max |Δ|, the explanation in
    words), `assert_passed()` for autograders, every row as `to_records()`, and the command's tables."""

    def __init__(self, data: CheckData, settings: dict, environment: dict) -> None:
        self.data = data
        self.settings = settings
        self.environment = environment

    @property
    def passed(self) -> bool:
        """True when every implementation computes what the reference computes, within float32's noise."""
        return self.data.passed

    @property
    def implementations(self) -> list[str]:
        """The implementations checked (the reference itself not among them)."""
        return self.data.implementations()

    def differences(self) -> list[FirstDifference]:
        """Each failing implementation's first difference, in order."""
        return [difference for difference in map(self._first, self.implementations) if difference is not None]

    @property
    def first_difference(self) -> Optional[FirstDifference]:
        """The first failing implementation's first difference (None when the check passed)."""
        found = self.differences()
        return found[0] if found else None

    def _first(self, name: str) -> Optional[FirstDifference]:
        from compare.reporting.check_tables import where_it_differs

        if name in self.data.failures:
            return FirstDifference(name, "", "failure", float("inf"), f"failed ({self.data.failures[name]})")
        rows = self.data.for_implementation(name)
        failed = [row for row in rows if row.failed]
        if not failed:
            return None
        ordered = in_computation_order(failed)
        row = next((r for r in ordered if r.cause), ordered[0])  # the diagnosed row: the first in computation order
        kind, where = _kind_and_place(row.quantity)
        return FirstDifference(name, where, kind, row.max_abs, where_it_differs(rows, self.data.steps))

    def assert_passed(self) -> None:
        """AssertionError naming the first wrong layer and why, unless the check passed (for nbgrader, otter)."""
        difference = self.first_difference
        if difference is not None:
            raise AssertionError(str(difference))

    def to_records(self) -> list[dict]:
        """One plain dict per comparison."""
        return [_record(row) for row in self.data.comparisons]

    def to_json(self, path: Union[str, Path]) -> Path:
        """The file `compare check --json` writes."""
        from compare.results.json_io import check_to_json

        write_text_atomically(Path(path), check_to_json(self.data, self.settings, self.environment))
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.check_tables import check_table, check_verdict_lines

        return Group(check_table(self.data), *(Text(line) for line in check_verdict_lines(self.data)))

    def __repr__(self) -> str:
        first = self.first_difference
        return f"<CheckResult {'passed' if self.passed else f'failed: {first}'}>"


def _kind_and_place(quantity: str) -> tuple[str, str]:
    """'layer pool1' -> ('layer', 'pool1'); 'dropout dropout1 kept' -> ('dropout kept', 'dropout1'); quantities
    of the whole network ('logits', a regression's 'predictions', 'loss', 'loss at large logits') have no place:
    ('loss at large logits', '')."""
    words = quantity.split(" ")
    if words[0] in ("logits", "predictions", "loss"):
        return quantity, ""
    if words[0] == "dropout" and len(words) == 3:
        return f"dropout {words[2]}", words[1]
    if words[0] == "batchnorm":  # 'batchnorm bn1 moving variance' -> ('batchnorm moving variance', 'bn1')
        return f"batchnorm {' '.join(words[2:])}", words[1]
    return words[0], " ".join(words[1:])


def _record(row: QuantityComparison) -> dict:
    """A row as plain Python: what it was held to is `allowed` (float32's noise) or `rtol`/`atol`."""
    return {"implementation": row.implementation, "quantity": row.quantity, "max_abs": row.max_abs,
            "max_rel": row.max_rel, "error_vs_float64": row.error, "allowed": row.allowed, "noise": row.noise,
            "rtol": None if row.tolerance is None else row.tolerance.rtol,
            "atol": None if row.tolerance is None else row.tolerance.atol, "passed": row.passed,
            "explained": row.explained, "problem": row.problem, "cause": row.cause, "at_step": row.at_step or None}
