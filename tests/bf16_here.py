"""Whether this CPU runs bfloat16 through MXNet's AMP, asked once per test process. Where it cannot (a CPU
without the instructions oneDNN's bf16 kernels need, as this project's AMD EPYC machine of 2026-12-07), the bf16 tests assert what the product
does there instead — refuse `--precision bf16` in one line before any work — rather than skip."""
import functools
from typing import Optional

from compare.errors import UsageError


@functools.lru_cache(maxsize=1)
def bf16_refusal() -> Optional[str]:
    """None where bf16 runs here; else the one line the product refuses it with."""
    from compare.measuring.precision import Bf16Operators

    try:
        Bf16Operators.capture()
    except UsageError as refusal:
        return str(refusal)
    return None
