"""What every Python API call is wrapped in, so a notebook is a first-class place to run: Ctrl-C (a kernel's
interrupt) ends training at the next batch with what was measured, mxnet's deprecation noise stays off the
learner's stderr, and an expected failure is one short exception of the caller's own, not a deep traceback."""
import functools
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from compare.errors import CompareError
from compare.signals import signals_as_interrupts

Result = TypeVar("Result")


@contextmanager
def quiet_mxnet() -> Iterator[None]:
    """mxnet 1.9.1 uses numpy aliases and distutils that today's versions deprecate: not the learner's concern."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=FutureWarning, module="mxnet")
        yield


def api_call(function: Callable[..., Result]) -> Callable[..., Result]:
    """Run `function` with signals as interrupts (restored after, so the kernel keeps its own handler) and
    mxnet quiet; a CompareError is raised again from here alone (its message is the flag's one line)."""
    @functools.wraps(function)
    def wrapped(*args: object, **kwargs: object) -> Result:
        try:
            with quiet_mxnet(), signals_as_interrupts():
                return function(*args, **kwargs)
        except CompareError as error:
            raise type(error)(str(error)) from None  # the traceback ends here, at the caller's line

    return wrapped


def warn_line(text: str) -> None:
    """A settings warning (a tune file from another machine) as a Python warning the caller can filter."""
    warnings.warn(text, UserWarning, stacklevel=4)


def write_json_file(path: object, text: str) -> object:
    """The API writes a results file only where `json=` names one (atomically)."""
    from compare.files import write_text_atomically

    if path is None:
        return None
    write_text_atomically(Path(path), text)  # type: ignore[arg-type]
    return path
