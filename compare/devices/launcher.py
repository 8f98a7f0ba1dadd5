"""Start MXNet's parameter-server processes on this machine and watch them: one scheduler, M servers and
N workers, on 127.0.0.1 only, configured by the DMLC_* variables MXNet reads. No cluster manager of our
own: for several hosts, MXNet's `tools/launch.py` (the dmlc tracker) starts the same processes.

Every process runs in its own session, so a Ctrl-C reaches the launcher alone, which forwards one
signal to the workers and stops everything after a grace period. However the launch ends, no process
started here is left running.
"""
import errno
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Optional, TextIO

from compare.devices.launch_markers import (
                                            CONNECTING_PREFIX,
                                            FINISHED_PREFIX,
                                            JOINED_PREFIX,
                                            LAUNCH_DIR,
                                            WORKER_INDEX,
                                            write_pids,
                                            )
from compare.errors import CompareError, ExitCode, UsageError
from compare.signals import Interrupt

LOOPBACK = "127.0.0.1"
POLL_SECONDS = 0.1
GRACE_SECONDS = 5.0  # after one worker ends (or a signal is passed on), how long the others get to end
STOP_SECONDS = 5.0  # after SIGTERM, how long a process gets before SIGKILL
MOMENT_SECONDS = 0.5
# Importing mxnet with DMLC_ROLE=scheduler or server runs that role's loop and exits with it.
NODE_PROGRAM = "import implementations.mxnet_compat"


class LaunchError(CompareError):
    """A launched process died, never connected, or the launch ran past its time limit."""

    exit_code = ExitCode.LAUNCH


@dataclass(frozen=True)
class LaunchPlan:
    """What to start: `workers` copies of `command` (`python -m compare COMMAND ...`) and the servers."""

    workers: int
    servers: int
    port: int
    command: tuple[str, ...]
    connect_timeout: float
    timeout: Optional[float] = None


@dataclass
class Node:
    """One started process: its name for messages (`worker 1`), and a log file unless it prints to ours."""

    name: str
    process: subprocess.Popen
    log: Optional[Path] = None
    index: int = -1  # a worker's number in the launch (its KVStore rank may differ)

    @property
    def is_worker(self) -> bool:
        return self.index >= 0

    def last_log_line(self) -> str:
        if self.log is None or not self.log.exists():
            return ""
        lines = [line.strip() for line in self.log.read_text(errors="replace").splitlines() if line.strip()]
        return lines[-1] if lines else ""


class StderrRelay:
    """Copies every worker's stderr to ours as it comes, line by line; a line that another worker already
    printed word for word (the same error, met by every worker) is printed once."""

    def __init__(self, target: TextIO) -> None:
        self.target = target
        self.seen: set[str] = set()
        self.lock = threading.Lock()

    def follow(self, stream: IO[bytes]) -> threading.Thread:
        """Relay `stream` until it closes, in a daemon thread (started here)."""
        thread = threading.Thread(target=self._copy, args=(stream,), daemon=True)
        thread.start()
        return thread

    def _copy(self, stream: IO[bytes]) -> None:
        mine: set[str] = set()
        for raw in iter(stream.readline, b""):
            line = raw.decode(errors="replace")
            with self.lock:
                if line in self.seen and line not in mine:
                    continue  # another worker said this already
                self.seen.add(line)
                mine.add(line)
                try:
                    self.target.write(line)
                    self.target.flush()
                except (OSError, ValueError):
                    pass
        stream.close()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def check_port(port: int) -> None:
    """UsageError if the scheduler cannot listen on 127.0.0.1:`port`."""
    if not 1 <= port <= 65535:
        raise UsageError(f"--port must be in 1..65535, got {port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError as error:
            reason = "is already in use" if error.errno == errno.EADDRINUSE else f"cannot be used ({error.strerror})"
            raise UsageError(f"port {port} on {LOOPBACK} {reason}; pick another --port or leave it out") from error


def node_environment(plan: LaunchPlan, role: str, launch_dir: Path, index: int = 0) -> dict[str, str]:
    """The variables MXNet's ps-lite reads, all pointing at loopback; and where a worker reports in."""
    environment = dict(os.environ)
    environment.update({
        "DMLC_ROLE": role, "DMLC_PS_ROOT_URI": LOOPBACK, "DMLC_PS_ROOT_PORT": str(plan.port),
        "DMLC_NODE_HOST": LOOPBACK, "DMLC_NUM_SERVER": str(plan.servers), "DMLC_NUM_WORKER": str(plan.workers),
        LAUNCH_DIR: str(launch_dir), WORKER_INDEX: str(index),
    })
    return environment


@dataclass
class Launch:
    """The processes of one launch and what the workers reported."""

    plan: LaunchPlan
    directory: Path
    nodes: list[Node] = field(default_factory=list)
    relay: "StderrRelay" = field(default_factory=lambda: StderrRelay(sys.stderr))
    relays: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        """Scheduler, servers (logs to files), then workers (printing to our stdout and stderr)."""
        python = sys.executable
        roles = [("scheduler", "scheduler", 0)] + [("server", f"server {i}", i) for i in range(self.plan.servers)]
        for role, name, index in roles:
            log = self.directory / f"{name.replace(' ', '-')}.log"
            with open(log, "wb") as output:
                process = subprocess.Popen([python, "-c", NODE_PROGRAM], stdin=subprocess.DEVNULL, stdout=output,
                                           stderr=subprocess.STDOUT, start_new_session=True,
                                           env=node_environment(self.plan, role, self.directory, index))
            self.nodes.append(Node(name, process, log))
        for index in range(self.plan.workers):
            process = subprocess.Popen([python, "-m", "compare", *self.plan.command], stdin=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, start_new_session=True,
                                       env=node_environment(self.plan, "worker", self.directory, index))
            self.nodes.append(Node(f"worker {index}", process, index=index))
            self.relays.append(self.relay.follow(process.stderr))
        write_pids(self.directory, [node.process.pid for node in self.nodes])

    @property
    def workers(self) -> list[Node]:
        return [node for node in self.nodes if node.is_worker]

    def joined(self) -> dict[int, int]:
        """Worker number -> KVStore rank, for the workers that have connected."""
        ranks = {}
        for node in self.workers:
            marker = self._marker(JOINED_PREFIX, node)
            if marker.exists():
                ranks[node.index] = int(marker.read_text() or 0)
        return ranks

    def signal_workers(self, signum: int) -> None:
        for node in self.workers:
            if node.process.poll() is None:
                node.process.send_signal(signum)

    def stop(self, deadline: Optional[float] = None) -> None:
        """SIGTERM to every process still running, SIGKILL to any still there at `deadline` (default: STOP_SECONDS
        from now; never less than a moment, so a process that got a signal earlier can end by itself); then the
        workers' last lines are relayed."""
        for node in self.nodes:
            if node.process.poll() is None:
                node.process.terminate()
        deadline = max(deadline or time.monotonic() + STOP_SECONDS, time.monotonic() + MOMENT_SECONDS)
        for node in self.nodes:
            try:
                node.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait()
        for relay in self.relays:
            relay.join(MOMENT_SECONDS)

    def wait_for_workers(self, deadline: Optional[float] = None) -> None:
        """After one worker ends, the rest get until `deadline` (default GRACE_SECONDS) to end by themselves."""
        deadline = deadline or time.monotonic() + GRACE_SECONDS
        while time.monotonic() < deadline and any(node.process.poll() is None for node in self.workers):
            time.sleep(POLL_SECONDS)

    def _failure(self, node: Node, code: int) -> LaunchError:
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        when = "" if node.index in self.joined() or not node.is_worker else " before connecting"
        detail = node.last_log_line()
        return LaunchError(f"{node.name} {how}{when}{f' ({detail})' if detail else ''}; stopped the other processes")

    def _marker(self, prefix: str, node: Node) -> Path:
        return self.directory / f"{prefix}{node.index}"

    def finished(self, node: Node) -> bool:
        """True once the worker's command returned its exit code (rather than crashing or being killed)."""
        return self._marker(FINISHED_PREFIX, node).exists()

    def supervise(self) -> int:
        """Wait for the workers; the exit code of rank 0 (the one that reported) when they all end."""
        started = time.monotonic()
        while True:
            for node in self.nodes:
                code = node.process.poll()
                if node.is_worker and code not in (None, 0) and self.finished(node) and node.index not in self.joined():
                    # it refused to start (its error line is above): the others would wait for it until the timeout
                    raise LaunchError(f"{node.name} exited with code {code} before connecting; stopped the other "
                                      "processes")
                if code is None or (self.finished(node) if node.is_worker else code == 0):
                    # running, a worker that ended by itself, or a scheduler/server that ended cleanly, which
                    # ps-lite does only once every worker has finalised its KVStore
                    continue
                if node.is_worker:  # crashed or killed: the others are likely blocked on its gradients
                    self.wait_for_workers()
                raise self._failure(node, code)  # a scheduler or server never ends before the workers
            if all(node.process.poll() is not None for node in self.workers):
                return self._rank_zero_code()
            elapsed = time.monotonic() - started
            joined = self.joined()
            if len(joined) < self.plan.workers and elapsed > self.plan.connect_timeout and not all(
                    self.finished(node) for node in self.workers if node.index not in joined):
                waiting = [node for node in self.workers if node.index not in joined]
                # those still waiting for the others are not the ones to blame, if some never began to connect
                late = [node for node in waiting if not self._marker(CONNECTING_PREFIX, node).exists()] or waiting
                missing = ", ".join(node.name for node in late)
                raise LaunchError(f"{missing} did not connect to the scheduler on {LOOPBACK}:{self.plan.port} within "
                                  f"--connect-timeout {self.plan.connect_timeout:g} s; stopped the other processes")
            if self.plan.timeout is not None and elapsed > self.plan.timeout:
                raise LaunchError(f"the launch ran past --timeout {self.plan.timeout:g} s; stopped all "
                                  f"{len(self.nodes)} processes")
            time.sleep(POLL_SECONDS)

    def _rank_zero_code(self) -> int:
        ranks = self.joined()
        for node in self.workers:
            if ranks.get(node.index) == 0:
                return int(node.process.returncode)
        return max(int(node.process.returncode) for node in self.workers)


def launch(plan: LaunchPlan) -> int:
    """Run the plan to its end; always leaves no process behind. Ctrl-C or SIGTERM is passed to the workers."""
    check_port(plan.port)
    with tempfile.TemporaryDirectory(prefix="compare-launch-") as directory:
        run = Launch(plan, Path(directory))
        deadline = None
        try:
            run.start()
            return run.supervise()
        except Interrupt as stop:
            run.signal_workers(stop.signum)  # the one we got; everything has ended GRACE_SECONDS after it came
            deadline = time.monotonic() + GRACE_SECONDS
            run.wait_for_workers(deadline)
            raise
        finally:
            run.stop(deadline)
