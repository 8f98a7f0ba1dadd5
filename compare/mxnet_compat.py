"""The one place mxnet is imported: mxnet 1.9.1 still uses `numpy.bool`, removed in numpy 1.24.

Every module that needs mxnet imports it from here (`from compare.mxnet_compat import mx`), so the alias
is always in place first. On numpy < 1.24, where `numpy.bool` still exists, nothing is changed.
"""
import types

import numpy


def add_numpy_bool_alias(numpy_module: types.ModuleType) -> None:
    """Give `numpy_module` a `bool` attribute (= `bool_`) unless it already has one."""
    if "bool" not in vars(numpy_module):
        numpy_module.bool = numpy_module.bool_


add_numpy_bool_alias(numpy)

import mxnet as mx  # noqa: E402  (must follow the alias)

__all__ = ["mx"]
