"""Ctrl-C and SIGTERM as exceptions of their own, so the job can tell a user's signal from an
implementation that raises KeyboardInterrupt or SystemExit itself (that is its failure, not an interrupt).

Three phases: while the package starts (`exit_during_start`: one line and the exit code, nothing to save),
while the job runs (`signals_as_interrupts`: the signal becomes an `Interrupt` where the code is), and
while measured results are written (`deferred_signals`: the writing finishes first, then the interrupt).
Installing a handler is the caller's act; importing this module changes nothing.
"""
import _thread
import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Callable, Iterator, Optional

from compare.startup_signals import EXIT_CODES, HANDLED, NAMES, exit_during_start, listened  # noqa: F401

# What an implementation's own code may raise; each is that implementation's failure. A user's signal
# is an `Interrupt` (a KeyboardInterrupt too), so catch `Interrupt` before these.
IMPLEMENTATION_ERRORS = (Exception, SystemExit, KeyboardInterrupt)


class Interrupt(KeyboardInterrupt):
    """A signal from the user (Ctrl-C) or the system (SIGTERM), raised where the code was."""

    def __init__(self, signum: int) -> None:
        super().__init__(NAMES.get(signum, f"signal {signum}"))
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.signum, 128 + self.signum)

    @property
    def name(self) -> str:
        return NAMES.get(self.signum, f"signal {self.signum}")


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()  # handlers can only be set there


def _in_finaliser(frame: Optional[FrameType]) -> bool:
    """True inside a `__del__` (mxnet frees every NDArray in one), where Python prints a raised exception as
    "Exception ignored in ..." and drops it."""
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


@dataclass
class SignalRecord:
    """The last signal received while the handlers were in force (None: none), and the signals being sent again."""

    received: Optional[int] = None
    # one lock per signal re-sent from a finaliser, held until it has been sent: the handlers stay until then
    resending: list = field(default_factory=list)

    def wait_for_resent(self) -> None:
        """Until each signal re-sent has been sent (and so tripped this process's handler: Linux delivers a signal
        a thread sends its own process to that thread before kill returns), a second at most each."""
        for sent in self.resending:
            sent.acquire(timeout=1.0)


@contextmanager
def _handled_by(handler: Callable[[int, Optional[FrameType]], None],
                record: Optional[SignalRecord] = None) -> Iterator[None]:
    """`handler` for every listened signal while the block runs (main thread only: elsewhere nothing changes),
    the previous handlers after — once every signal `record` is re-sending has reached `handler`."""
    if not _in_main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in listened()}
    try:
        yield
    finally:
        if record is not None:
            record.wait_for_resent()
        _restore(previous)


def _send(signum: int, sent: "_thread.LockType") -> None:
    """Send `signum` to this process again, then say so."""
    try:
        os.kill(os.getpid(), signum)
    finally:
        sent.release()


def _restore(previous: dict) -> None:
    """Every handler put back, even where a signal still pending is handled meanwhile (signal.signal runs pending
    handlers first: ours may raise its Interrupt there); that Interrupt is raised once all are back."""
    pending: Optional[BaseException] = None
    for signum, handler_before in previous.items():
        while True:
            try:
                signal.signal(signum, handler_before)
                break
            except Interrupt as interrupt:
                pending = pending or interrupt
    if pending is not None:
        raise pending


@contextmanager
def signals_as_interrupts() -> Iterator[SignalRecord]:
    """While active, Ctrl-C and SIGTERM raise `Interrupt` and are remembered; the previous handlers return after."""
    record = SignalRecord()

    def handle(signum: int, frame: Optional[FrameType]) -> None:
        record.received = signum
        if _in_finaliser(frame):
            # sent again from another thread (a bare one: nothing here may wait), so the handler runs again at
            # a later bytecode, past the finaliser; raised here the signal would be printed and lost. The block
            # keeps this handler until it has been sent (else it could reach the handler restored after it)
            sent = _thread.allocate_lock()
            sent.acquire()
            record.resending.append(sent)
            _thread.start_new_thread(_send, (signum, sent))
            return
        raise Interrupt(signum)

    with _handled_by(handle, record):
        yield record


@contextmanager
def signals_noted() -> Iterator[SignalRecord]:
    """While active, Ctrl-C and SIGTERM are only noted in the record, never raised: for code that must stop where
    every process agrees (workers of one launch stop at the same collective step, or they wait on each other for
    ever). The first signal is kept; the previous handlers return after."""
    record = SignalRecord()

    def note(signum: int, frame: Optional[FrameType]) -> None:
        record.received = record.received or signum

    with _handled_by(note):
        yield record


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Let the block finish whatever signal arrives (results already measured are being written), then raise
    the first one as an `Interrupt`."""
    received: list[int] = []
    with _handled_by(lambda signum, frame: received.append(signum)):
        yield
    if received:
        raise Interrupt(received[0])
