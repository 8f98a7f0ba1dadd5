"""`python -m compare`: a signal while the package loads is one line; then the CLI takes over."""
import signal
import sys

from compare.startup_signals import exit_during_start

exit_during_start(lambda line: sys.stderr.write(line + "\n"))

from compare.cli import main  # noqa: E402  (after the handlers: loading rich and the commands takes a while)

code = main()
for signum in (signal.SIGINT, signal.SIGTERM):  # every file and table is out: a signal now changes nothing (the
    signal.signal(signum, signal.SIG_IGN)      # interpreter's shutdown would otherwise die of it, message-less)
sys.exit(code)
