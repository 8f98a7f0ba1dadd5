"""The one place mxnet is imported: mxnet 1.9.1 still uses `numpy.bool`, removed in numpy 1.24.

Every module that needs mxnet imports it from here (`from implementations.mxnet_compat import mx`), so the alias
is always in place first. On numpy < 1.24 (and numpy 2), where `numpy.bool` exists, nothing is changed.
mxnet also imports `distutils`, gone from Python 3.12: a missing one is an `MxnetUnavailable` saying so.
"""
import contextlib
import os
import sys
import tempfile
import types
import warnings
from typing import Iterator

import numpy


def add_numpy_bool_alias(numpy_module: types.ModuleType) -> None:
    """Give `numpy_module` a `bool` attribute (= `bool_`) unless it already has one.

    numpy 1.20-1.23 still serve `numpy.bool` through a deprecating module `__getattr__`; that counts as
    having it (so nothing changes there); the check itself must not emit numpy's warnings about it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 1.20-1.23 deprecate the alias, 1.24-1.26 announce its return
        present = hasattr(numpy_module, "bool")
    if not present:
        numpy_module.bool = numpy_module.bool_


class MxnetUnavailable(ImportError):
    """mxnet cannot be imported here; the message says what to install."""


ENGINE_LINE = b"start using engine"  # MXNet's C++ log line when it creates an engine the environment names


@contextlib.contextmanager
def engine_line_kept_off_stderr() -> Iterator[None]:
    """Wherever MXNET_ENGINE_TYPE is set (our --engine, or the caller's), MXNet's C++ logger writes "MXNet start
    using engine: ..." to stderr when it creates the engine: while libmxnet loads on some Pythons (3.9), at its first
    operation on others (3.11, 3.12). Inside this block fd 2 goes to a temporary file; afterwards everything written
    there but that line reaches the real stderr, so the user's stderr carries only what they asked for."""
    if "MXNET_ENGINE_TYPE" not in os.environ:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().splitlines(keepends=True) if ENGINE_LINE not in line]
            if kept:
                os.write(2, b"".join(kept))


add_numpy_bool_alias(numpy)

with engine_line_kept_off_stderr():
    try:
        import mxnet as mx  # noqa: E402  (must follow the alias)
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] == "distutils":  # Python 3.12 dropped it; setuptools provides it again
            raise MxnetUnavailable("mxnet 1.9.1 imports distutils, which this Python no longer ships; install "
                                   "setuptools, which provides it (pip install setuptools)") from error
        raise MxnetUnavailable(f"mxnet cannot be imported ({error}); install it with pip install mxnet==1.9.1") \
            from error
    if "MXNET_ENGINE_TYPE" in os.environ:
        mx.nd.zeros((1,)).wait_to_read()  # the first operation, where the others create the engine

__all__ = ["mx"]
