"""A language model's `profile`: per implementation, where a training step's time goes by phase (forward, loss,
backward, clipping, update) and by operator, how many operators it issues, its first call and its memory. JSON
out. No mxnet."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Optional

from compare.results.json_io import SCHEMA_VERSION
from compare.results.types import Status

KIND = "sequence-profile"


@dataclass(frozen=True)
class OperatorTime:
    """One operator's share of a step: its name as the trace writes it, milliseconds and calls per step."""

    name: str
    ms: float
    calls: float


@dataclass(frozen=True)
class SequenceProfile:
    """One implementation's profiled steps (means per step), or why it has none."""

    name: str
    status: Status
    message: Optional[str] = None
    phases_ms: dict = field(default_factory=dict)  # phase -> operator milliseconds per step, in step order
    operators: tuple[OperatorTime, ...] = ()  # every operator, the most time first
    operator_ms: float = 0.0  # every operator event inside the step's phases
    step_ms: float = 0.0  # the measured wall time of a (phase-synced) step
    first_call_ms: float = 0.0  # the first step on a fresh model: a hybridized block builds its graph
    peak_rss_mib: float = 0.0  # the process's peak RSS above its baseline before the model was built
    trace_file: Optional[str] = None

    @property
    def calls(self) -> float:
        """Operators issued per step."""
        return sum(operator.calls for operator in self.operators)


@dataclass
class SequenceProfileData:
    settings: dict
    environment: dict
    profiles: list[SequenceProfile] = field(default_factory=list)
    interrupted: bool = False  # a user's signal ended it: the profiles are those finished before

    def to_json(self) -> str:
        profiles = [{**dataclasses.asdict(profile), "status": profile.status.value} for profile in self.profiles]
        return json.dumps({"schema": SCHEMA_VERSION, "kind": KIND, "settings": self.settings,
                           "environment": self.environment, "profiles": profiles,
                           "interrupted": self.interrupted}, indent=2)
