"""`compare.profile(model="rnn")`'s result: where each implementation's training step goes, by phase and by
operator; printed, the command's tables."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from rich.console import RenderableType

from compare.api.views.shown import Shown
from compare.files import write_text_atomically
from compare.results.sequence_profile_types import SequenceProfile, SequenceProfileData
from compare.results.types import Status


class SequenceProfileReport(Shown):
    """`step_ms(name)`: a profiled step's milliseconds; `phase_ms(name, phase)`: its operators' in one phase
    (forward, loss, backward, clip, update); `calls(name)`: operators issued per step; `failures`: why an
    implementation has no profile."""

    def __init__(self, data: SequenceProfileData) -> None:
        self.data = data

    def _profile(self, name: str) -> Optional[SequenceProfile]:
        return next((profile for profile in self.data.profiles if profile.name == name
                     and profile.status == Status.OK), None)

    @property
    def names(self) -> list[str]:
        return [profile.name for profile in self.data.profiles if profile.status == Status.OK]

    @property
    def failures(self) -> dict[str, str]:
        return {profile.name: profile.message or "" for profile in self.data.profiles
                if profile.status != Status.OK}

    def step_ms(self, name: str) -> Optional[float]:
        profile = self._profile(name)
        return None if profile is None else profile.step_ms

    def phase_ms(self, name: str, phase: str) -> Optional[float]:
        profile = self._profile(name)
        return None if profile is None else profile.phases_ms.get(phase)

    def calls(self, name: str) -> Optional[float]:
        profile = self._profile(name)
        return None if profile is None else profile.calls

    def to_json(self, path: Union[str, Path]) -> Path:
        write_text_atomically(Path(path), self.data.to_json())
        return Path(path)

    def renderable(self) -> RenderableType:
        from compare.reporting.sequence_profile_tables import sequence_profile_report

        return sequence_profile_report(self.data)

    def __repr__(self) -> str:
        steps = ", ".join(f"{name} {self.step_ms(name):.1f} ms" for name in self.names)
        return f"<SequenceProfileReport {self.data.settings.get('model')}: {steps}>"
