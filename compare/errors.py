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


class UsageError(CompareError):
    """A flag's value is unusable (checked before any training)."""

    exit_code = ExitCode.USAGE


class DatasetError(CompareError):
    """The data set is missing or malformed; the message names the file."""

    exit_code = ExitCode.DATA


class ResultsFileError(CompareError):
    """A results or parameter file could not be read or written."""

    exit_code = ExitCode.FILE


def one_line(error: BaseException) -> str:
    """`Type: first line of the message`, for reporting an exception on one line."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
