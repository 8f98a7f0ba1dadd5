"""A language model's `bench`: per implementation, characters per second of a training step and of a forward
pass, every timed round kept (in round order, for pairing with scratch's). JSON out. No mxnet."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from compare.measuring.statistics import Interval, paired_ratio
from compare.results.json_io import SCHEMA_VERSION
from compare.results.measures import Spread

KIND = "sequence-bench"


@dataclass(frozen=True)
class SequenceBenchRow:
    implementation: str
    train: Spread  # characters/s of a training step (forward, backward, clipping, update), per round
    forward: Spread  # characters/s of a forward pass from a fresh state, per round


@dataclass
class SequenceBenchData:
    settings: dict
    environment: dict
    rows: list[SequenceBenchRow] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)

    def row(self, name: str) -> Optional[SequenceBenchRow]:
        return next((row for row in self.rows if row.implementation == name), None)

    def ratio(self, name: str, reference: str, which: str) -> Optional[Interval]:
        """`name`'s rate over `reference`'s, paired round by round (geometric mean, 95 % interval)."""
        mine, theirs = self.row(name), self.row(reference)
        if mine is None or theirs is None:
            return None
        return paired_ratio(getattr(mine, which).rates, getattr(theirs, which).rates)

    def to_json(self) -> str:
        return json.dumps({"schema": SCHEMA_VERSION, "kind": KIND, "settings": self.settings,
                           "environment": self.environment, "failures": self.failures,
                           "rows": [{"implementation": row.implementation,
                                     "train_chars_per_second": list(row.train.rates),
                                     "forward_chars_per_second": list(row.forward.rates)} for row in self.rows]},
                          indent=2)
