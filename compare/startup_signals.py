"""The first handlers `python -m compare` installs, before the package loads: a signal while it starts is one
line and its exit code. Imports only `os` and `signal`, so they are in force within a millisecond of
`__main__` running; before that, while Python itself starts, Python's own defaults apply."""
import os
import signal

HANDLED = (signal.SIGINT, signal.SIGTERM)
EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
NAMES = {signal.SIGINT: "Ctrl-C", signal.SIGTERM: "SIGTERM"}
LAUNCH_DIR = "COMPARE_LAUNCH_DIR"  # set by `compare launch` in the processes it starts (launch_markers reads it)


def listened() -> list:
    """The handled signals this process was not told to ignore (`nohup`, a shell's background job)."""
    return [signum for signum in HANDLED if signal.getsignal(signum) is not signal.SIG_IGN]


def exit_during_start(write_line) -> None:  # (str) -> None; no typing import here: it costs milliseconds
    """Until the CLI installs its own handlers: a signal ends the process at once with one line and its
    exit code (nothing has been measured yet, so nothing is lost)."""
    def handle(signum: int, frame: object) -> None:
        if not os.environ.get(LAUNCH_DIR):  # under `compare launch` the launcher says it, once
            write_line(f"interrupted ({NAMES[signum]})")
        os._exit(EXIT_CODES[signum])

    for signum in listened():
        signal.signal(signum, handle)
