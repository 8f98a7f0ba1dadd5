"""Error types the CLI turns into one-line messages, and the exit codes it returns for them."""
import enum


class ExitCode(enum.IntEnum):
    """Process exit codes of `python -m compare` (documented in the README)."""

    OK = 0
    FAILED = 1  # the job ran but its verdict is bad: `check` mismatch, `run` with a diverged model
    USAGE = 2  # bad flags, unknown implementation or context, no GPU where one was asked for
    DATA = 3  # Fashion-MNIST missing, malformed or unreadable
    FILE = 4  # a results or parameter file could not be read or written
    LAUNCH = 5  # `launch`: a process died, a worker never connected, or the launch ran past --timeout
    INTERRUPTED = 130  # Ctrl-C; what was measured is still reported and saved
    TERMINATED = 143  # SIGTERM (docker stop, timeout, a batch scheduler): handled like Ctrl-C


class CompareError(Exception):
    """Base of the errors reported as one line; `exit_code` says how the process ends."""

    exit_code = ExitCode.FAILED


class UsageError(CompareError, ValueError):
    """A flag's (or an API option's) value is unusable, checked before any training; a ValueError to Python."""

    exit_code = ExitCode.USAGE


class DatasetError(CompareError):
    """The data set is missing or malformed; the message names the file."""

    exit_code = ExitCode.DATA


class ResultsFileError(CompareError):
    """A results or parameter file could not be read or written."""

    exit_code = ExitCode.FILE


class ProtocolViolation(Exception):
    """An implementation broke the Model protocol while running (logits of another shape, gradients() not a
    dict, ...): a failure of that implementation, reported like any exception its own code raised."""


FRAME_LINES = ("Traceback", "File ", "[bt]", "Stack trace", "  File ")


def meaningful_line(text: str) -> str:
    """The line of a message that says what failed. MXNetError messages start with a traceback of C++ frames
    ("Traceback (most recent call last):", "File ...") and end with the cause ("MXNetError: Check failed:
    ...", "Failed to allocate CPU Memory", "No space left on device")."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines or not lines[0].startswith("Traceback"):
        return lines[0] if lines else ""
    for line in lines:
        if "Check failed" in line:
            return line.split("] ", 1)[-1]
    causes = [line for line in lines if not line.startswith(FRAME_LINES) and not line[:1].isdigit()]
    return causes[-1] if causes else lines[-1]


def one_line(error: BaseException) -> str:
    """`Type: the line of the message that says what failed`, for reporting an exception on one line."""
    line = meaningful_line(str(error))
    prefix = f"{type(error).__name__}: "
    return (line if line.startswith(prefix) else prefix + line) if line else type(error).__name__
