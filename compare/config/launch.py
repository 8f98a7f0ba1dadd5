"""`compare launch`'s configuration: how many processes, where the scheduler listens, the limits, and the
command every worker runs. No mxnet."""
from dataclasses import dataclass
from typing import Optional

from compare.errors import UsageError

LAUNCHABLE = ("run", "check", "bench")
MAX_PROCESSES = 64


@dataclass(frozen=True)
class LaunchConfig:
    """`compare launch`: how many processes, where the scheduler listens, the limits, and the inner command."""

    command: tuple[str, ...]  # the workers' `python -m compare COMMAND ...` arguments
    workers: int = 2
    servers: int = 1
    port: Optional[int] = None  # None: a free port chosen at launch
    connect_timeout: float = 60.0  # seconds every worker has to connect
    timeout: Optional[float] = None  # None: no limit on the whole launch

    def __post_init__(self) -> None:
        for flag, count in (("--workers", self.workers), ("--servers", self.servers)):
            if count < 1:
                raise UsageError(f"{flag} must be at least 1, got {count}")
            if count > MAX_PROCESSES:  # each one loads mxnet: a typo must not start thousands of processes
                raise UsageError(f"{flag} {count}: at most {MAX_PROCESSES} processes of each kind on one machine")
        if not self.connect_timeout > 0:
            raise UsageError(f"--connect-timeout must be a positive number of seconds, got {self.connect_timeout}")
        if self.timeout is not None and not self.timeout > 0:
            raise UsageError(f"--timeout must be a positive number of seconds, got {self.timeout}")
        if not self.command:
            raise UsageError(f"launch needs a command after `--`: one of {', '.join(LAUNCHABLE)}")
        if self.command[0] not in LAUNCHABLE:
            raise UsageError(f"launch runs {', '.join(LAUNCHABLE)}, not {self.command[0]!r}")
