"""The numpy.bool alias that lets mxnet 1.9.1 import on numpy >= 1.24."""
import types

import numpy as np
from fresh_interpreter import main_in_a_fresh_interpreter

from implementations.mxnet_compat import add_numpy_bool_alias, mx


def test_alias_added_where_numpy_lacks_bool():
    fake_numpy = types.SimpleNamespace(bool_=np.bool_)
    add_numpy_bool_alias(fake_numpy)
    assert fake_numpy.bool is np.bool_


def test_alias_is_a_no_op_where_numpy_has_bool():
    sentinel = object()
    fake_numpy = types.SimpleNamespace(bool_=np.bool_, bool=sentinel)
    add_numpy_bool_alias(fake_numpy)
    assert fake_numpy.bool is sentinel


def test_mxnet_imports_and_computes_through_the_shim():
    assert mx.__version__ == "1.9.1"
    assert (mx.nd.ones((2, 3)) * 2).sum().asscalar() == 12.0


def test_alias_is_a_no_op_where_numpy_serves_bool_through_a_deprecating_getattr():
    """numpy 1.20-1.23: `numpy.bool` is not in the namespace but a module __getattr__ returns it, warning."""
    import warnings

    fake_numpy = types.ModuleType("fake_numpy")
    fake_numpy.bool_ = np.bool_

    def deprecated(name):
        if name == "bool":
            warnings.warn("`np.bool` is a deprecated alias", DeprecationWarning)
            return bool
        raise AttributeError(name)

    fake_numpy.__getattr__ = deprecated
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the check itself must not warn
        add_numpy_bool_alias(fake_numpy)
    assert "bool" not in vars(fake_numpy)


def test_alias_is_added_where_numpy_raises_for_bool():
    """numpy 1.24-1.26: the module __getattr__ raises AttributeError for the removed alias."""
    fake_numpy = types.ModuleType("fake_numpy")
    fake_numpy.bool_ = np.bool_

    def removed(name):
        raise AttributeError(f"module 'numpy' has no attribute '{name}'")

    fake_numpy.__getattr__ = removed
    add_numpy_bool_alias(fake_numpy)
    assert fake_numpy.bool is np.bool_


def test_without_distutils_a_command_says_what_to_install_in_one_line():
    """Python 3.12 has no distutils; mxnet 1.9.1 imports it. Simulated here on any Python."""
    fresh = main_in_a_fresh_interpreter(["check", "--synthetic", "--impl", "gluon"], blocked=["distutils"])
    assert fresh.code == 2
    assert fresh.stderr.count("\n") == 1 and "Traceback" not in fresh.stderr
    assert "imports distutils" in fresh.stderr and "pip install setuptools" in fresh.stderr
