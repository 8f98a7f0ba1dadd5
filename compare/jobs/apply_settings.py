"""Applying MXNet's load-time settings — given ones over a `tune` file's fastest — before anything loads mxnet.
Imports no mxnet."""
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Callable, Optional

from compare.errors import UsageError
from compare.measuring.mxnet_settings import MXNetChoice, apply_settings, naive_engine_fits

if TYPE_CHECKING:
    from compare.results.tune_types import TunedFile


def apply_mxnet_settings(choice: MXNetChoice, contexts: Sequence, warn: Callable[[str], None]) -> "Optional[TunedFile]":
    """Read the tune file (`warn` told each way its machine differs), check the engine against the job's contexts
    and set the variables; call before any import that loads mxnet. A BLAS core type is proven first, in a fresh
    process (`nd.dot`'s products under it must agree with a BLAS-free product), and only then set here: a refused
    one leaves the environment as it was. Returns what the tune file said."""
    settings, tuned = choice.given, None
    if choice.tuned_path is not None:
        from compare.results.tune_io import read_tuned

        tuned = read_tuned(choice.tuned_path, warn)
        settings = choice.given.over(tuned.settings)
    if settings.engine == "naive" and not naive_engine_fits(contexts):
        source = f" (from --tuned {choice.tuned_path})" if choice.given.engine is None else ""
        raise UsageError(f"--engine naive{source} runs one operator at a time: it serialises "
                         f"{len(contexts)} context(s) or a GPU's copies and kernels; use --engine threaded here")
    if settings.blas_core is not None and "mxnet" not in sys.modules:  # proven in a child before it is set here:
        from compare.measuring.blas_core import verify_core_type  # a refused core must leave this process as it was

        verify_core_type(settings.blas_core)
    apply_settings(settings)
    return tuned
