"""A language model's `check`: per implementation, every quantity over the batches against the float64 reference
(its error, what it was allowed), the first that differs in the order the computation runs, and why. JSON in and
out. No mxnet."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Optional

from compare.results.json_io import SCHEMA_VERSION

KIND = "sequence-check"


@dataclass(frozen=True)
class SequenceRow:
    """One quantity of one batch: its largest distance from the float64 reference and what it may be; `problem`
    where it cannot be compared at all (a shape, inf/NaN, missing)."""

    kind: str
    name: str
    batch: int
    error: float
    allowed: float
    problem: str = ""
    decidable: bool = True  # False: the reference's own float32 run is too far from float64 to judge it

    @property
    def passed(self) -> bool:
        return not self.problem and self.error <= self.allowed

    @property
    def label(self) -> str:
        return f"{self.name}, batch {self.batch}"


@dataclass
class SequenceVerdict:
    """One implementation: its rows, the first that differs, why (measured), a known difference accepted, or the
    exception its code raised."""

    name: str
    rows: list[SequenceRow] = field(default_factory=list)
    first: Optional[SequenceRow] = None
    cause: str = ""
    accepted: str = ""  # a built-in's known difference that the first difference is
    error: str = ""
    note: str = ""  # a correct alternative recognised (one bias per gate), and what it was held to
    unjudged: str = ""  # where judging stopped: the reference itself undecided from there on

    @property
    def passed(self) -> bool:
        return not self.error and (self.first is None or bool(self.accepted))

    def explanation(self) -> str:
        """Never empty where it failed: the exception, or the first difference with its cause or what was measured."""
        if self.error:
            return f"{self.name}: its code raised {self.error}"
        if self.first is None:
            held = f" ({self.note})" if self.note else ""
            stopped = f"; {self.unjudged}" if self.unjudged else ""
            return f"{self.name}: every quantity agrees with the reference within float32's noise{held}{stopped}"
        row = self.first
        where = f"first difference: {row.label}"
        size = row.problem or f"max |difference| {row.error:.2e}, allowed {row.allowed:.2e}"
        if self.accepted:
            return f"{self.name}: {where} ({size}): a known difference, not a failure: {self.accepted}"
        return f"{self.name}: {where} ({size}): {self.cause or 'no relation to the reference fits'}"


@dataclass
class SequenceCheckData:
    """The check: what it ran (recipe, text), what the rows were held to, each implementation's verdict."""

    recipe: dict
    text: dict
    held_to: str
    verdicts: list[SequenceVerdict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(verdict.passed for verdict in self.verdicts)

    def verdict(self, name: str) -> SequenceVerdict:
        for verdict in self.verdicts:
            if verdict.name == name:
                return verdict
        raise KeyError(f"no implementation {name!r} in this check; it has "
                       f"{', '.join(v.name for v in self.verdicts)}")

    def to_json(self, environment: dict) -> str:
        return json.dumps({"schema": SCHEMA_VERSION, "kind": KIND, "recipe": self.recipe, "text": self.text,
                           "held_to": self.held_to, "environment": environment, "passed": self.passed,
                           "verdicts": [{"name": verdict.name, "passed": verdict.passed,
                                         "explanation": verdict.explanation(), "cause": verdict.cause,
                                         "accepted": verdict.accepted, "error": verdict.error, "note": verdict.note,
                                         "unjudged": verdict.unjudged,
                                         "first": asdict(verdict.first) if verdict.first else None,
                                         "rows": [asdict(row) for row in verdict.rows]}
                                        for verdict in self.verdicts]}, indent=2, ensure_ascii=False)
