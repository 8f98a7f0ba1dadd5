"""The CPU core type MXNet's bundled OpenBLAS runs its kernels for, `OPENBLAS_CORETYPE`, and its proof.

mxnet 1.9.1 bundles OpenBLAS 0.3.13, which picks kernels for the CPU it recognises when it loads. On a CPU newer
than it knows it can fall back to old kernels and run `nd.dot` at a quarter of what the same cores do (measured
on an Intel machine with AMX); `OPENBLAS_CORETYPE`, read once at load, forces a core type. A core type that does
not fit the CPU can compute wrong products, or die on an instruction the CPU lacks (measured: BULLDOZER's FMA4
kernels, SIGILL on this project's AMD EPYC), so one is used only after a fresh process with it set has loaded
mxnet and `nd.dot`'s products there agreed with products computed without any BLAS. Imports no mxnet.
"""
import json
import math
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from compare.errors import UsageError

# OpenBLAS 0.3.13's x86-64 names for OPENBLAS_CORETYPE (driver/others/dynamic.c; it compares without case)
CORE_TYPES = ("PRESCOTT", "CORE2", "PENRYN", "DUNNINGTON", "NEHALEM", "ATOM", "SANDYBRIDGE", "HASWELL",
              "SKYLAKEX", "COOPERLAKE", "OPTERON", "BARCELONA", "BOBCAT", "BULLDOZER", "PILEDRIVER",
              "STEAMROLLER", "EXCAVATOR", "ZEN", "NANO")
# core types worth trying, each with the instructions its kernels use (/proc/cpuinfo's names)
TRIED_CORE_TYPES = {
    "HASWELL": ("avx2", "fma"),
    "ZEN": ("avx2", "fma"),
    "SKYLAKEX": ("avx512f", "avx512vl", "avx512bw", "avx512dq"),
    "COOPERLAKE": ("avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512_bf16"),
}
# (rows, inner, columns): square and odd shapes, so the kernels' edge cases are exercised too
VERIFIED_SHAPES = ((256, 256, 256), (257, 129, 65), (33, 1000, 7), (1, 300, 300))
AGREEMENT = 1e-4  # relative to the product's scale; correct core types measured 1.7e-6 to 2.7e-6 here
DOT_LAGS = 0.75  # nd.dot below this share of the limit: its BLAS may not know the CPU (measured: 0.23 on one)
PROOF_TIMEOUT_SECONDS = 300  # loading mxnet and four small products: seconds; a hung BLAS must not hold a job


def core_type(name: Optional[str]) -> Optional[str]:
    """`name` as OpenBLAS spells it (upper case), or a UsageError naming the core types there are."""
    if name is None:
        return None
    if not isinstance(name, str) or name.upper() not in CORE_TYPES:
        raise UsageError(f"--blas-core must be one of OpenBLAS's core types ({', '.join(CORE_TYPES)}), got {name!r}")
    return name.upper()


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The instruction-set flags the CPU reports (empty where /proc/cpuinfo is not there)."""
    if not cpuinfo.is_file():
        return frozenset()
    for line in cpuinfo.read_text(errors="replace").splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def fitting_core_types(flags: frozenset[str]) -> tuple[str, ...]:
    """The core types worth trying whose instructions this CPU has (none on a CPU without AVX2)."""
    return tuple(name for name, needs in TRIED_CORE_TYPES.items() if set(needs) <= flags)


@dataclass(frozen=True)
class DotAgreement:
    """How far `nd.dot`'s products are from products computed without a BLAS, relative to their scale."""

    worst: float  # the largest relative error over VERIFIED_SHAPES
    shape: tuple[int, int, int]  # where it was

    @property
    def agrees(self) -> bool:
        return self.worst <= AGREEMENT

    def record(self) -> dict[str, object]:
        """JSON-ready (an infinite error as the largest float: strict JSON has no inf)."""
        return {"worst": self.worst if math.isfinite(self.worst) else sys.float_info.max, "shape": list(self.shape)}

    @classmethod
    def from_record(cls, record: dict) -> "DotAgreement":
        return cls(float(record["worst"]), tuple(int(size) for size in record["shape"]))


def dot_agreement(dot: Callable[[object, object], object], seed: int = 0) -> DotAgreement:
    """`dot` (numpy float32 arrays in, an array out) against float64 products summed by numpy's einsum without
    optimisation, which calls no BLAS: the core type under test cannot touch the reference."""
    import numpy as np

    generator = np.random.default_rng(seed)
    errors = []
    for shape in VERIFIED_SHAPES:
        rows, inner, columns = shape
        left = generator.standard_normal((rows, inner)).astype(np.float32)
        right = generator.standard_normal((inner, columns)).astype(np.float32)
        reference = np.einsum("ik,kj->ij", left.astype(np.float64), right.astype(np.float64), optimize=False)
        product = np.asarray(dot(left, right), dtype=np.float64)
        scale = np.sqrt(inner)  # a sum of `inner` unit normal products has this spread
        error = float(np.max(np.abs(product - reference))) / scale if product.shape == reference.shape else np.inf
        errors.append((error if np.isfinite(error) else np.inf, shape))
    worst, shape = max(errors, key=lambda item: item[0])
    return DotAgreement(worst, shape)


def mxnet_dot(left: object, right: object) -> object:
    """nd.dot on the CPU, back as numpy (loads mxnet)."""
    from implementations.mxnet_compat import mx

    return mx.nd.dot(mx.nd.array(left), mx.nd.array(right)).asnumpy()


@dataclass(frozen=True)
class ProofOutcome:
    """What the proving process gave: its agreement, or how it ended without one."""

    agreement: Optional[DotAgreement] = None
    ended: str = ""  # "killed by SIGILL, an instruction ...", "exit 1: ...", "still running after 300 s"


def prove_in_fresh_process(name: str) -> ProofOutcome:
    """Load mxnet in a child process with OPENBLAS_CORETYPE=`name` and measure `nd.dot` there."""
    environment = {**os.environ, "OPENBLAS_CORETYPE": name}
    command = [sys.executable, "-m", "compare.measuring.blas_proof"]
    try:
        process = subprocess.run(command, env=environment, capture_output=True, text=True,
                                 timeout=PROOF_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return ProofOutcome(ended=f"still running after {PROOF_TIMEOUT_SECONDS} s")
    if process.returncode < 0:
        number = -process.returncode
        cause = ", an instruction this CPU does not have" if number == signal.SIGILL else ""
        try:
            named = signal.Signals(number).name
        except ValueError:  # a real-time signal Python has no name for
            named = f"signal {number}"
        return ProofOutcome(ended=f"killed by {named}{cause}")
    try:
        return ProofOutcome(DotAgreement.from_record(json.loads(process.stdout.strip().splitlines()[-1])))
    except (ValueError, IndexError, KeyError, TypeError):
        lines = [line for line in process.stderr.splitlines() if line.strip()]
        return ProofOutcome(ended=f"exit {process.returncode}: {lines[-1].strip() if lines else 'no message'}")


def verify_core_type(name: str, prove: Optional[Callable[[str], ProofOutcome]] = None) -> None:
    """Refuse, in one line, a core type under which nd.dot dies or its products disagree with the BLAS-free
    reference (proven by `prove`, a fresh process by default); return quietly where they agree."""
    outcome = (prove or prove_in_fresh_process)(name)
    if outcome.agreement is None:
        raise UsageError(f"--blas-core {name}: a process with OPENBLAS_CORETYPE={name} could not compute nd.dot's "
                         f"products, {outcome.ended}: this core type does not fit this CPU; leave it unset")
    if not outcome.agreement.agrees:
        agreement = outcome.agreement
        raise UsageError(f"--blas-core {name}: nd.dot's products under OPENBLAS_CORETYPE={name} differ from a "
                         f"product computed without BLAS by {agreement.worst:.1e} (relative, at shape "
                         f"{'x'.join(map(str, agreement.shape))}; agreement is within {AGREEMENT:.0e}): this core "
                         "type does not fit this CPU; leave it unset")


def mxnet_blas_core(in_force: list[dict]) -> Optional[str]:
    """The core type mxnet's own OpenBLAS ran as, from a thread record's pools in force (`threads.thread_record`:
    threadpoolctl's 'architecture' of the library inside mxnet's folder), upper case; None if unknown."""
    for pool in in_force:
        if pool.get("in_mxnet") and pool.get("api") == "openblas" and pool.get("core"):
            return str(pool["core"]).upper()
    return None
