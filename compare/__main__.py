"""`python -m compare`: a signal while the package loads is one line; then the CLI takes over."""
import sys

from compare.first_signals import exit_during_start

exit_during_start(lambda line: sys.stderr.write(line + "\n"))

from compare.cli import main  # noqa: E402  (after the handlers: loading rich and the commands takes a while)

sys.exit(main())
