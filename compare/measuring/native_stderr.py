"""MXNet's own log lines held back while a capability is probed: a probe that fails (bfloat16 on a CPU without it)
makes MXNet's C++ side print "could not create a primitive descriptor iterator" straight to file descriptor 2,
past Python's sys.stderr, before the error reaches Python, where the failure is handled (a one-line refusal, or
the rate left out). The descriptor is pointed at /dev/null for the probe alone and put back."""
import contextlib
import os
import sys
from typing import Iterator


@contextlib.contextmanager
def native_stderr_held() -> Iterator[None]:
    """File descriptor 2 discarded inside, restored after (Python's own stderr is flushed first, so nothing of it
    is lost)."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 to hold (closed by the caller): nothing to discard
        yield
        return
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
