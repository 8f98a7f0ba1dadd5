"""Parameter files: an `mx.nd.save` dict keyed by canonical names, loadable into any implementation."""
from pathlib import Path

from compare.errors import ResultsFileError
from compare.files import write_atomically
from implementations.mxnet_compat import mx
from implementations.protocol import Model


def save_parameters(model: Model, path: Path) -> None:
    """Write `model`'s parameters to `path` atomically (the temporary name keeps the .params suffix)."""
    values = {name: array.copyto(mx.cpu()) for name, array in model.parameters().items()}
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
        raise ResultsFileError(f"{path}: not an mxnet parameter file ({_mxnet_reason(error)})") from error
    if not loaded:
        raise ResultsFileError(f"{path}: holds no arrays, expected one per parameter (conv1.weight, ...)")
    if not isinstance(loaded, dict):
        raise ResultsFileError(f"{path}: holds a list of arrays, expected a dict keyed by parameter name")
    return {name: array.asnumpy() for name, array in loaded.items()}


def _mxnet_reason(error: Exception) -> str:
    """The line of an MXNetError that says what failed (its message starts with a traceback of C++ frames)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if "Check failed" in line or "Invalid" in line or "invalid" in line:
            return line.split("] ", 1)[-1]
    meaningful = [line for line in lines if not line.startswith(("Traceback", "File ", "[bt]", "Stack trace"))]
    return meaningful[-1] if meaningful else "unreadable"


def load_parameters(model: Model, path: Path) -> None:
    """Load the file at `path` into `model`; names or shapes that do not fit are a ResultsFileError."""
    values = read_parameters(path)
    try:
        model.load_parameters(values)
    except ValueError as error:
        raise ResultsFileError(f"{path}: {error}") from error
