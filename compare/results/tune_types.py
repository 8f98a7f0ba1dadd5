"""`compare tune`'s results as data: one measurement per candidate settings and round, each from a fresh
process, and what they add up to — every candidate's speed-up over MXNet's defaults, paired by round."""
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from compare.measuring.machine_limit import GemmRates
from compare.measuring.machine_load import is_busy
from compare.measuring.mxnet_settings import MXNetSettings
from compare.measuring.statistics import Interval, paired_ratio

KINDS = ("train", "inference")
DEFAULTS = MXNetSettings()


@dataclass(frozen=True)
class TuneMeasurement:
    """One candidate in one fresh process: each implementation's median samples/s (training step, forward
    pass), every GEMM's rate under the same settings, what OpenMP ran with, and how busy the machine was."""

    settings: MXNetSettings
    round: int
    train: dict[str, float] = field(default_factory=dict)
    inference: dict[str, float] = field(default_factory=dict)
    gemms: Optional[GemmRates] = None  # the machine's limit under these settings, with every candidate's rate
    openmp_threads: Optional[int] = None  # in force, as threadpoolctl read it in that process
    other_cores: Optional[float] = None  # the busiest figure of its timed blocks
    blas_core: Optional[str] = None  # the core type mxnet's OpenBLAS ran as in that process (threadpoolctl's)
    failure: str = ""  # why the process failed; "" when it measured

    @property
    def busy(self) -> bool:
        return self.other_cores is not None and is_busy(self.other_cores)

    def rates(self, kind: str) -> dict[str, float]:
        return self.train if kind == "train" else self.inference


@dataclass(frozen=True)
class TunedFile:
    """What `--tuned FILE` applies, and what tune measured for it (in its own sequence of processes)."""

    path: Path
    settings: MXNetSettings
    speedup: Optional[Interval]  # training, over the implementations, against MXNet's defaults
    per_implementation: dict[str, Optional[Interval]]


@dataclass(frozen=True)
class TuneResult:
    """Every measurement, in the order taken; the job's settings, the machine, the network's FLOPs."""

    settings: dict[str, object]  # model, implementations, batch size, context, rounds, repeat
    machine: dict[str, object]  # cpu, cpus_available, mxnet: what a tune file is valid for
    arithmetic: dict[str, object]  # FLOPs per example
    measurements: list[TuneMeasurement]
    stop_code: int = 0  # the exit code of the signal that ended the tune early (130, 143); 0: it finished

    @property
    def interrupted(self) -> bool:
        return self.stop_code != 0

    @property
    def implementations(self) -> list[str]:
        names: dict[str, None] = {}
        for measurement in self.measurements:
            names.update(dict.fromkeys(measurement.train))
        return list(names)

    def candidates(self) -> list[MXNetSettings]:
        """Every candidate measured, defaults first, then in the order first measured."""
        seen = dict.fromkeys([DEFAULTS] + [m.settings for m in self.measurements if m.settings != DEFAULTS])
        return list(seen)

    def failures(self) -> dict[MXNetSettings, str]:
        return {m.settings: m.failure for m in self.measurements if m.failure}

    def _by_round(self, settings: MXNetSettings) -> dict[int, TuneMeasurement]:
        return {m.round: m for m in self.measurements if m.settings == settings and not m.failure}

    def speedup(self, settings: MXNetSettings, kind: str, implementation: Optional[str] = None) -> Optional[Interval]:
        """Samples/s under `settings` over MXNet's defaults, paired by round (both measured in the same round):
        one implementation's, or, with None, the geometric mean over the implementations. None if no round
        has both."""
        mine, defaults = self._by_round(settings), self._by_round(DEFAULTS)
        names = [implementation] if implementation else self.implementations
        values, references = [], []
        for round_index in sorted(set(mine) & set(defaults)):
            rates, base = mine[round_index].rates(kind), defaults[round_index].rates(kind)
            if all(name in rates and name in base for name in names):
                values.append(_geometric_mean([rates[name] for name in names]))
                references.append(_geometric_mean([base[name] for name in names]))
        return paired_ratio(values, references) if values else None

    def mean_rate(self, settings: MXNetSettings, kind: str, implementation: str) -> Optional[float]:
        rates = [m.rates(kind)[implementation] for m in self._by_round(settings).values()
                 if implementation in m.rates(kind)]
        return sum(rates) / len(rates) if rates else None

    def gemm_rates(self, settings: MXNetSettings) -> Optional[GemmRates]:
        """Under `settings`: each GEMM's mean rate over the rounds (the fastest is the limit there), or None."""
        return GemmRates.mean([m.gemms for m in self._by_round(settings).values() if m.gemms is not None])

    def blas_core(self, settings: MXNetSettings) -> Optional[str]:
        """The core type mxnet's OpenBLAS ran as under `settings` (None if no process of them said)."""
        return next((m.blas_core for m in self.measurements if m.settings == settings and m.blas_core), None)

    def best_mean(self, kind: str, implementation: Optional[str] = None) -> MXNetSettings:
        """The candidate with the highest mean speed-up, over the implementations or for one, beyond the
        noise or not."""
        return self._highest_mean(kind, implementation, lambda interval: True)

    def best_mean_among(self, kind: str, candidates: list[MXNetSettings]) -> MXNetSettings:
        """Of `candidates`, the one with the highest mean speed-up over the implementations (the defaults where
        none has one)."""
        scored = [(interval.mean, settings) for settings in candidates
                  if (interval := self.speedup(settings, kind)) is not None]
        return max(scored, key=lambda item: item[0], default=(1.0, DEFAULTS))[1]

    def fastest(self, kind: str, implementation: Optional[str] = None) -> MXNetSettings:
        """What to recommend: the highest mean speed-up among the candidates faster than MXNet's defaults
        beyond the noise (the whole interval above 1); the defaults when none is."""
        return self._highest_mean(kind, implementation, lambda interval: interval.low is not None and interval.low > 1)

    def _highest_mean(self, kind: str, implementation: Optional[str], admits: Callable[[Interval], bool]
                      ) -> MXNetSettings:
        scored = [(interval.mean, settings) for settings in self.candidates()
                  if (interval := self.speedup(settings, kind, implementation)) is not None and admits(interval)]
        return max(scored, key=lambda item: item[0], default=(1.0, DEFAULTS))[1]

    @property
    def busy(self) -> bool:
        return any(m.busy for m in self.measurements)


def _geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(value) for value in values) / len(values))
