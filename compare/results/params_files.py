"""Parameter files: an `mx.nd.save` dict keyed by canonical names, loadable into any implementation."""
from pathlib import Path

from compare.errors import ResultsFileError, meaningful_line
from compare.files import write_atomically
from implementations.mxnet_compat import mx
from implementations.protocol import Model, state_of


def save_parameters(model: Model, path: Path) -> None:
    """Write `model`'s parameters, and its state if it has any (batch norm's moving averages), to `path`
    atomically (the temporary name keeps the .params suffix)."""
    values = {name: array.copyto(mx.cpu()) for name, array in {**model.parameters(), **state_of(model)}.items()}
    write_atomically(Path(path), lambda temporary: mx.nd.save(str(temporary), values))


def read_parameters(path: Path) -> dict:
    """The name -> numpy array dict stored at `path`; a ResultsFileError if it is not a parameter dict."""
    try:
        with open(path, "rb") as stream:  # mxnet's own errors would hide a plain "cannot read"
            empty = not stream.read(1)
    except OSError as error:
        raise ResultsFileError(f"{path}: cannot read ({error.strerror or error})") from error
    if empty:
        raise ResultsFileError(f"{path}: empty, not an mxnet parameter file")
    try:
        loaded = mx.nd.load(str(path))
    except mx.base.MXNetError as error:
        reason = meaningful_line(str(error)).split("MXNetError: ", 1)[-1]
        raise ResultsFileError(f"{path}: not an mxnet parameter file ({reason})") from error
    if not loaded:
        raise ResultsFileError(f"{path}: holds no arrays, expected one per parameter (conv1.weight, ...)")
    if not isinstance(loaded, dict):
        raise ResultsFileError(f"{path}: holds a list of arrays, expected a dict keyed by parameter name")
    return {name: array.asnumpy() for name, array in loaded.items()}
