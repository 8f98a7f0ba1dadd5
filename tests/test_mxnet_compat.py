"""The numpy.bool alias that lets mxnet 1.9.1 import on numpy >= 1.24."""
import types

import numpy as np

from compare.mxnet_compat import add_numpy_bool_alias, mx


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
