"""The one place mxnet is imported: mxnet 1.9.1 still uses `numpy.bool`, removed in numpy 1.24.

Every module that needs mxnet imports it from here (`from implementations.mxnet_compat import mx`), so the alias
is always in place first. On numpy < 1.24 (and numpy 2), where `numpy.bool` exists, nothing is changed.
mxnet also imports `distutils`, gone from Python 3.12: a missing one is an `MxnetUnavailable` saying so.
"""
import os
import sys
import types
import warnings

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


add_numpy_bool_alias(numpy)

try:
    import mxnet as mx  # noqa: E402  (must follow the alias)
except ModuleNotFoundError as error:
    if (error.name or "").split(".")[0] == "distutils":  # Python 3.12 dropped it; setuptools provides it again
        raise MxnetUnavailable("mxnet 1.9.1 imports distutils, which this Python no longer ships; install "
                               "setuptools, which provides it (pip install setuptools)") from error
    raise MxnetUnavailable(f"mxnet cannot be imported ({error}); install it with pip install mxnet==1.9.1") from error


def start_engine_quietly(module: types.ModuleType) -> None:
    """Wherever MXNET_ENGINE_TYPE is set (our --engine, or the caller's), MXNet's C++ logger writes "MXNet start
    using engine: ..." to stderr at the first operation: the engine is started here with fd 2 pointed at
    /dev/null for that one operation, so the user's stderr carries only what they asked for."""
    if "MXNET_ENGINE_TYPE" not in os.environ:
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            module.nd.zeros((1,)).wait_to_read()
    finally:
        os.dup2(saved, 2)
        os.close(saved)


start_engine_quietly(mx)

__all__ = ["mx"]
