"""What check's diagnosis raised while a corpus ran: an exception inside a diagnosis is no failure of check (the
verdict falls back to what was measured, "X differs by up to ..."), and the product only logs it at debug level.
A corpus is where such a fallback must be seen: it hides a bug as an unexplained verdict."""
from __future__ import annotations

import contextlib
import logging

DIAGNOSIS_LOGGER = "compare.checking.equivalence"


class _Raised(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.raised: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            exception = record.exc_info[1]
            self.raised.append(f"{record.getMessage()}: {type(exception).__name__}: {exception}")


@contextlib.contextmanager
def diagnosis_exceptions():
    """Yields the list, filled while the block runs, of every exception check's diagnosis logged ("diagnosing NAME
    failed: TYPE: TEXT"); the logger's level is restored after."""
    logger = logging.getLogger(DIAGNOSIS_LOGGER)
    handler, level = _Raised(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.raised
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
