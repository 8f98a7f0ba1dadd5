"""Run at interpreter start (the installed `gluon_vs_scratch_mxnet.pth`): the tutorial's first cell, `from mxnet
import nd`, works as written. mxnet 1.9.1 reads `numpy.bool`, which numpy 1.24-1.26 dropped; a finder placed
first on `sys.meta_path` adds the alias (`bool_`) just before mxnet is first imported, then steps aside. Until
then it costs nothing: numpy is not imported at start. (Python 3.12's missing distutils is setuptools' own
.pth shim's job.)"""
import sys
import warnings


class AliasBeforeMxnet:
    """A meta-path finder that finds nothing: it only adds `numpy.bool` when `mxnet` is about to be imported."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name != "mxnet":
            return None
        sys.meta_path.remove(self)
        import numpy

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy 1.20-1.23 deprecate the alias they still have
            present = hasattr(numpy, "bool")
        if not present:
            numpy.bool = numpy.bool_
        return None  # the ordinary finders import mxnet


def install() -> None:
    """Put the finder first, once (a second .pth run or a reload adds nothing)."""
    if not any(type(finder).__name__ == AliasBeforeMxnet.__name__ for finder in sys.meta_path):
        sys.meta_path.insert(0, AliasBeforeMxnet())


install()
