"""`compare launch`: scheduler, server and workers on 127.0.0.1 through MXNet's dist_sync KVStore.

Each launch is a real set of processes, bounded in time twice (the launch's own --timeout and the test's
subprocess timeout), and each test ends by proving that no process it started is still running. The bounds
only stop a test that hangs: when the launcher gives up (a worker died, one never connected) is proved
in-process against a stand-in clock, never by how long a real launch took.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_data_parallel import LATER_EPOCHS

from compare.devices.launch_markers import CONNECTING_PREFIX, JOINED_PREFIX, LAUNCH_DIR, WORKER_INDEX
from compare.signals import Interrupt, signals_as_interrupts
from implementations.registry import implementation_names

TESTS = Path(__file__).parent
LIMIT_SECONDS = 300  # a bound on each launch, never an expectation: a slow machine only takes longer
REAP_SECONDS = 60  # how long the processes a launch stopped may take to vanish, before the test kills them and fails
TEST_RUN = "COMPARE_TEST_RUN"  # pytest's pid, inherited by every process its launches start: another run's are not ours


def _launch(*argv: str, launch_timeout: float = LIMIT_SECONDS - 60) -> subprocess.CompletedProcess:
    """`python -m compare launch ...` run from tests/, so `--impl module:attr` finds the test modules."""
    return subprocess.run([sys.executable, "-m", "compare", "launch", "--timeout", str(launch_timeout), *argv],
                          cwd=TESTS, capture_output=True, text=True, timeout=LIMIT_SECONDS)


def _launched_processes() -> dict[int, Path]:
    """Every process of this test run's launches (a launch names its directory in all it starts) -> that directory."""
    found = {}
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            entries = environ.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        variables = dict(entry.partition("=")[::2] for entry in entries)
        if LAUNCH_DIR in variables and variables.get(TEST_RUN) == str(os.getpid()):
            found[int(environ.parent.name)] = Path(variables[LAUNCH_DIR])
    return found


@pytest.fixture(autouse=True)
def no_process_left_behind(monkeypatch):
    monkeypatch.setenv(TEST_RUN, str(os.getpid()))
    assert _launched_processes() == {}
    yield
    deadline = time.monotonic() + REAP_SECONDS  # a killed process vanishes once the kernel has reaped it
    while _launched_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _launched_processes()
    for pid in left:  # ours (they carry this run's mark): stopped here so no test leaves them behind
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert left == {}, "a launched process outlived its launch"


def test_two_workers_train_every_implementation_like_one_process(synthetic_dir, tmp_path):
    common = ["--data-dir", str(synthetic_dir), "--epochs", "2", "--batch-size", "32", "--init", "xavier"]
    launched = _launch("--workers", "2", "--", "run", *common, "--json", str(tmp_path / "two.json"))
    assert launched.returncode == 0, launched.stderr
    assert launched.stdout.count("Accuracy per epoch") == 1  # rank 0 alone prints
    alone = subprocess.run([sys.executable, "-m", "compare", "run", *common, "--quiet", "--json",
                            str(tmp_path / "one.json")], capture_output=True, text=True, timeout=LIMIT_SECONDS)
    assert alone.returncode == 0, alone.stderr
    two, one = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("two", "one"))
    assert two["environment"]["data_parallel"] == {"kvstore": "dist_sync", "workers": 2, "contexts_per_worker": 1}
    for name in implementation_names():
        assert two["runs"][0]["results"][name]["status"] == "ok"
        epochs = zip(two["runs"][0]["results"][name]["epochs"], one["runs"][0]["results"][name]["epochs"])
        for index, (got, expected) in enumerate(epochs):
            assert got["train_examples"] == expected["train_examples"] == 200  # every example, once, over both
            # after the first epoch a ReLU or max pooling deciding by a hair may flip (test_data_parallel's note)
            assert got["train_loss"] == pytest.approx(expected["train_loss"], rel=LATER_EPOCHS if index else 1e-4)
            assert got["test_accuracy"] == pytest.approx(expected["test_accuracy"], abs=0.011)


def test_check_across_two_processes_is_within_tolerance():
    launched = _launch("--workers", "2", "--", "check", "--synthetic", "--steps", "2", "--batch-size", "16",
                       "--impl", "scratch,gluon-hybrid")
    assert launched.returncode == 0, launched.stderr
    words = " ".join(launched.stdout.split())
    assert "gluon-hybrid data parallel (1 context(s) x 2 workers) against itself on cpu(0) alone" in words
    assert "FAIL" not in launched.stdout and "comparisons within tolerance" in launched.stdout


def test_a_worker_that_dies_ends_the_launch_naming_it():
    """Worker 0 would wait for the dead worker's gradients until --timeout: the launcher stops it instead
    (when, against a stand-in clock: test_a_crashed_worker_leaves_the_others_the_grace_period_then_ends_the_launch)."""
    launched = _launch("--workers", "2", "--", "check", "--synthetic", "--steps", "3", "--batch-size", "16",
                       "--impl", "dies=outside_implementations:DiesOnRankOne")
    assert launched.returncode == 5
    last = launched.stderr.strip().splitlines()[-1]
    assert last.startswith("error: worker ") and "exited with code 9" in last and "stopped the other" in last
    assert "--timeout" not in launched.stderr  # ended by the death, not by running out of time


def test_a_worker_that_never_connects_ends_the_launch_at_the_connect_timeout(synthetic_dir):
    """Worker 1 sleeps in its import until the launcher stops it. Whether worker 0 has begun to connect by the
    deadline depends on the machine's speed, so either may be named beside worker 1 here; that only the late one
    is blamed is proved against a stand-in clock (test_the_connect_timeout_names_the_workers_that_never_began)."""
    launched = _launch("--workers", "2", "--connect-timeout", "15", "--", "run", "--data-dir", str(synthetic_dir),
                       "--impl", "late=sleeps_before_connecting:LateScratch")
    assert launched.returncode == 5
    lines = launched.stderr.strip().splitlines()  # the one line: no worker adds an 'interrupted' of its own
    assert len(lines) == 1 and re.fullmatch(
        r"error: (worker 0, )?worker 1 did not connect to the scheduler on 127\.0\.0\.1:\d+ within "
        r"--connect-timeout 15 s; stopped the other processes", lines[0]), lines


def test_the_launch_timeout_stops_every_process(synthetic_dir):
    launched = _launch("--workers", "2", "--", "run", "--data-dir", str(synthetic_dir), "--epochs", "100000",
                       launch_timeout=15)
    assert launched.returncode == 5
    assert "ran past --timeout 15 s; stopped all 4 processes" in launched.stderr


def _both_joined() -> bool:
    return any(all((directory / f"{JOINED_PREFIX}{index}").exists() for index in (0, 1))
               for directory in set(_launched_processes().values()))


def _training_launch(synthetic_dir, json_path: Path) -> subprocess.Popen:
    """A launch of two workers training for a long time, once both have joined the KVStore: from then on they
    train, however slow the machine is, so a signal sent now lands in training."""
    launcher = subprocess.Popen([sys.executable, "-m", "compare", "launch", "--timeout", str(LIMIT_SECONDS - 60),
                                 "--workers", "2", "--", "run", "--data-dir", str(synthetic_dir), "--epochs", "100000",
                                 "--json", str(json_path)],
                                cwd=TESTS, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + LIMIT_SECONDS - 60  # a bound: the launch's own --timeout ends it by then anyway
    while not _both_joined():
        if launcher.poll() is not None or time.monotonic() > deadline:
            launcher.terminate()  # it stops what it started
            pytest.fail(f"the workers never joined: {_stderr_once_ended(launcher)}")
        time.sleep(0.1)
    return launcher


def _stderr_once_ended(launcher: subprocess.Popen) -> str:
    """The launcher's stderr once it has ended; killed (and the test failed) if it outlives the bound."""
    try:
        return launcher.communicate(timeout=LIMIT_SECONDS)[1]
    except subprocess.TimeoutExpired:
        launcher.kill()  # what it started is left to no_process_left_behind
        launcher.communicate()
        raise


def _kept_by_rank_zero(path: Path) -> None:
    """Worker 0 wrote what was measured: the workers stopped at the same step (none waits on the others)."""
    document = json.loads(path.read_text())
    assert document["interrupted"] is True
    assert "interrupted" in {result["status"] for result in document["runs"][0]["results"].values()}


def test_sigterm_to_the_launcher_stops_every_process(synthetic_dir, tmp_path):
    launcher = _training_launch(synthetic_dir, tmp_path / "r.json")
    launcher.send_signal(signal.SIGTERM)
    stderr = _stderr_once_ended(launcher)
    assert launcher.returncode == 143, stderr
    assert stderr.count("interrupted") == 1 and stderr.strip().startswith("interrupted (SIGTERM)"), stderr
    _kept_by_rank_zero(tmp_path / "r.json")


def test_ctrl_c_to_the_launcher_is_said_once(synthetic_dir, tmp_path):
    launcher = _training_launch(synthetic_dir, tmp_path / "r.json")
    launcher.send_signal(signal.SIGINT)
    stderr = _stderr_once_ended(launcher)
    assert launcher.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["interrupted (Ctrl-C): what was measured before it is in the tables and files"]
    _kept_by_rank_zero(tmp_path / "r.json")


class _Connected:
    """What `mx.kv.create` returns, as far as `Topology.join` reads it."""

    rank, num_workers = 1, 2


def test_a_signal_while_connecting_is_raised_once_the_store_is_owned(monkeypatch, tmp_path):
    """ps-lite starts its threads inside the store's creation: raised before a KVStore object held the handle,
    nothing would ever stop them, and the worker aborted at exit ('terminate called without an active exception')."""
    from compare.devices.topology import DIST_KVSTORE, Topology
    from implementations.mxnet_compat import mx

    store = _Connected()

    def connect_as_the_signal_comes(name: str) -> _Connected:
        os.kill(os.getpid(), signal.SIGTERM)  # handled here, as the real call returns
        return store

    monkeypatch.setattr(mx.kv, "create", connect_as_the_signal_comes)
    topology = Topology((mx.cpu(),), DIST_KVSTORE, 2)
    with signals_as_interrupts(), pytest.raises(Interrupt):
        topology.join({LAUNCH_DIR: str(tmp_path), WORKER_INDEX: "1"})
    assert topology.store is store and (tmp_path / f"{JOINED_PREFIX}1").read_text() == "1"


class _SignalledWhileFreed:
    """A Ctrl-C that comes while an object is freed, as it does when mxnet frees an NDArray in its `__del__`."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)


def test_a_signal_inside_a_finaliser_is_raised_after_it_not_printed_and_lost(monkeypatch):
    ignored = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    with signals_as_interrupts(), pytest.raises(Interrupt):
        _SignalledWhileFreed()  # freed at once
        for _ in range(500):  # 5 s at most: it is raised in the first of these sleeps
            time.sleep(0.01)
    assert ignored == []


def test_a_signal_in_a_finaliser_at_the_end_of_the_block_never_reaches_the_handler_restored_after_it():
    """The block ends right after the finaliser: a signal re-sent from another thread came after the handlers were
    restored, to the caller's (the startup handler's os._exit, or Python's KeyboardInterrupt anywhere)."""
    reached_after = []
    before = signal.signal(signal.SIGINT, lambda signum, frame: reached_after.append(signum))
    try:
        with pytest.raises(Interrupt):
            with signals_as_interrupts():
                _SignalledWhileFreed()  # freed at once; nothing of the block is left to run
        time.sleep(0.5)  # a re-sent signal has arrived by now
    finally:
        signal.signal(signal.SIGINT, before)
    assert reached_after == []


def test_a_launched_worker_signalled_while_starting_leaves_the_line_to_the_launcher():
    program = ("import os, signal, sys; from compare.signals import exit_during_start; "
               "exit_during_start(lambda line: sys.stderr.write(line + '\\n')); os.kill(os.getpid(), signal.SIGTERM)")
    alone = {name: value for name, value in os.environ.items() if name != LAUNCH_DIR}
    for environment, said in ((alone, "interrupted (SIGTERM)\n"), ({**alone, LAUNCH_DIR: "/nonexistent"}, "")):
        started = subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True,
                                 timeout=60)
        assert (started.returncode, started.stderr) == (143, said)


def test_an_implementation_refused_for_data_parallel_is_one_line_before_any_process():
    launched = _launch("--workers", "2", "--", "run", "--impl", "mine=outside_implementations:SingleDeviceScratch")
    assert launched.returncode == 2
    assert launched.stderr.strip().splitlines() == [
        "error: mine: trains on one device only (it does not set data_parallel = True); run it without a --ctx "
        "list or a launcher"]


class _Clock:
    """A stand-in for the launcher's `time`: it moves only when the launcher sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> _Clock:
    from compare.devices import launcher

    stand_in = _Clock()
    monkeypatch.setattr(launcher, "time", stand_in)
    return stand_in


class _StubbornProcess:
    """A process that ignores SIGTERM: records how long the launcher waits before killing it."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self.killed = False

    def poll(self):
        return -9 if self.killed else None

    def terminate(self) -> None:
        pass

    def kill(self) -> None:
        self.killed = True

    def wait(self, timeout=None):
        if self.killed:
            return -9
        self.waits.append(timeout)
        raise subprocess.TimeoutExpired("stub", timeout)


def test_after_a_signal_the_grace_period_is_not_waited_twice(tmp_path, clock):
    """The workers got the signal and GRACE_SECONDS to end: at that deadline they are killed at once, not given
    another STOP_SECONDS (a SIGTERM to the launcher once took 10 s for a promised 5)."""
    from compare.devices.launcher import MOMENT_SECONDS, STOP_SECONDS, Launch, LaunchPlan, Node

    run = Launch(LaunchPlan(2, 1, 1, ("run",), 60.0), tmp_path)
    stubborn = [_StubbornProcess() for _ in range(3)]
    run.nodes = [Node(f"node {index}", process) for index, process in enumerate(stubborn)]
    run.stop(deadline=clock.now - 1)  # the grace period is over
    assert all(process.killed for process in stubborn)
    assert [process.waits for process in stubborn] == [[MOMENT_SECONDS]] * 3  # a moment each, no more
    fresh = _StubbornProcess()
    run.nodes = [Node("node", fresh)]
    run.stop()  # no signal came: SIGTERM and the full STOP_SECONDS
    assert fresh.waits == [STOP_SECONDS] and fresh.killed


class _Worker:
    """A launched worker as `Launch.supervise` sees it: running until `exit_code` is set."""

    def __init__(self, exit_code=None) -> None:
        self.returncode = exit_code

    def poll(self):
        return self.returncode


def _supervised(tmp_path: Path, workers: list, connect_timeout: float = 15.0, timeout: float = 240.0):
    """A launch of `workers` (a scheduler that keeps running before them), not started: supervise() watches them."""
    from compare.devices.launcher import Launch, LaunchPlan, Node

    run = Launch(LaunchPlan(len(workers), 1, 1, ("run",), connect_timeout, timeout), tmp_path)
    run.nodes = [Node("scheduler", _Worker())] + [Node(f"worker {index}", process, index=index)
                                                  for index, process in enumerate(workers)]
    return run


def test_a_crashed_worker_leaves_the_others_the_grace_period_then_ends_the_launch(tmp_path, clock):
    from compare.devices.launcher import GRACE_SECONDS, POLL_SECONDS, LaunchError

    for index in (0, 1):
        (tmp_path / f"{JOINED_PREFIX}{index}").write_text(str(index))
    waiting = _Worker()  # blocked on the dead worker's gradients: it would never end by itself
    run = _supervised(tmp_path, [waiting, _Worker(exit_code=9)])
    started = clock.now
    with pytest.raises(LaunchError, match=r"^worker 1 exited with code 9; stopped the other processes$"):
        run.supervise()
    assert GRACE_SECONDS <= clock.now - started <= GRACE_SECONDS + POLL_SECONDS  # not the launch's --timeout
    assert waiting.returncode is None  # still running: stopping it is launch()'s `finally`


def test_the_grace_period_ends_as_soon_as_the_other_workers_have_ended(tmp_path, clock):
    from compare.devices.launcher import GRACE_SECONDS

    partner = _Worker()
    run = _supervised(tmp_path, [partner, _Worker(exit_code=9)])
    real_sleep = clock.sleep

    def partner_ends_after_a_moment(seconds: float) -> None:
        real_sleep(seconds)
        partner.returncode = 1
    clock.sleep = partner_ends_after_a_moment
    started = clock.now
    run.wait_for_workers()
    assert clock.now - started < GRACE_SECONDS


@pytest.mark.parametrize("began, named", [((0,), "worker 1"), ((), "worker 0, worker 1"),
                                          ((0, 1), "worker 0, worker 1")])
def test_the_connect_timeout_names_the_workers_that_never_began(tmp_path, clock, began, named):
    """A worker that has begun to connect waits there for the late one: only those that never began are blamed
    (all, when every one began: none can be told apart), once --connect-timeout has passed, not before."""
    from compare.devices.launcher import POLL_SECONDS, LaunchError

    for index in began:
        (tmp_path / f"{CONNECTING_PREFIX}{index}").touch()
    run = _supervised(tmp_path, [_Worker(), _Worker()], connect_timeout=15.0)
    started = clock.now
    with pytest.raises(LaunchError) as raised:
        run.supervise()
    assert str(raised.value) == (f"{named} did not connect to the scheduler on 127.0.0.1:1 within --connect-timeout "
                                 "15 s; stopped the other processes")
    assert 15.0 < clock.now - started <= 15.0 + 2 * POLL_SECONDS


def test_the_launch_timeout_ends_a_launch_whose_workers_run_on(tmp_path, clock):
    from compare.devices.launcher import POLL_SECONDS, LaunchError

    for index in (0, 1):
        (tmp_path / f"{JOINED_PREFIX}{index}").write_text(str(index))
    run = _supervised(tmp_path, [_Worker(), _Worker()], timeout=30.0)
    started = clock.now
    with pytest.raises(LaunchError, match=r"^the launch ran past --timeout 30 s; stopped all 3 processes$"):
        run.supervise()
    assert 30.0 < clock.now - started <= 30.0 + 2 * POLL_SECONDS


def test_a_port_in_use_is_refused_before_anything_starts():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        launched = _launch("--port", str(port), "--", "run", "--epochs", "1")
    assert launched.returncode == 2
    assert launched.stderr.strip() == (f"error: port {port} on 127.0.0.1 is already in use; "
                                       "pick another --port or leave it out")


@pytest.mark.parametrize("argv, message", [
    (["--workers", "0", "--", "run"], "error: --workers must be at least 1, got 0"),
    (["--servers", "0", "--", "run"], "error: --servers must be at least 1, got 0"),
    (["--", "profile"], "error: launch runs run, check, bench, not 'profile'"),
    ([], "error: launch needs a command after `--`: one of run, check, bench"),
    (["--", "run", "--kvstore", "local"], "error: --kvstore local under a launcher: the worker processes share dist_sync"),
    (["--workers", "3", "--", "run", "--batch-size", "2"], "error: a batch of 2 cannot be split over 1 context(s) x 3 "
     "workers: more contexts than examples in a batch; use --batch-size 3 or more"),
    (["--", "run", "--bogus"], "error: launched command `run --bogus`: unrecognized arguments: --bogus "
     "(see python -m compare --help)"),
])
def test_bad_launches_are_one_line_before_any_process(argv, message):
    launched = _launch(*argv)
    assert launched.returncode == 2
    assert launched.stderr.strip() == message


def test_dist_sync_without_a_launcher_is_refused():
    environment = {name: value for name, value in os.environ.items() if not name.startswith("DMLC_")}
    alone = subprocess.run([sys.executable, "-m", "compare", "run", "--kvstore", "dist_sync"],
                           capture_output=True, text=True, timeout=60, env=environment)
    assert alone.returncode == 2
    assert alone.stderr.startswith("error: --kvstore dist_sync needs a launcher's environment")


@pytest.mark.parametrize("role", ["server", ""])
def test_a_stray_dmlc_role_is_refused_before_mxnet_turns_into_a_server(role):
    stray = subprocess.run([sys.executable, "-m", "compare", "check", "--synthetic"], capture_output=True, text=True,
                           timeout=60, env={**os.environ, "DMLC_ROLE": role})
    assert stray.returncode == 2
    assert stray.stderr.startswith(f"error: DMLC_ROLE={role!r} is set: importing mxnet would turn this process")


def test_bench_across_two_processes_reports_scaling_against_one_device(tmp_path):
    path = tmp_path / "bench.json"
    launched = _launch("--workers", "2", "--", "bench", "--repeat", "1", "--impl", "scratch,gluon",
                       "--json", str(path))
    assert launched.returncode == 0, launched.stderr
    document = json.loads(path.read_text())
    assert document["settings"]["batch_sizes"] == [64, 256]  # 1 cannot be split over two workers
    assert {(row["implementation"], row["batch_size"], row["devices"]) for row in document["rows"]} == {
        (name, size, devices) for name in ("scratch", "gluon") for size in (64, 256) for devices in (1, 2)}
    summed_by = {row["implementation"]: row["summed_by"] for row in document["rows"] if row["devices"] == 2}
    assert summed_by == {"scratch": "by hand + KVStore push/pull", "gluon": "Trainer, KVStore dist_sync"}
    assert launched.stdout.count("Scaling: data parallel over 2 devices") == 1


def test_a_launched_check_of_another_model_is_within_tolerance():
    launched = _launch("--workers", "2", "--", "check", "--synthetic", "--model", "mlp", "--steps", "2",
                       "--batch-size", "16", "--impl", "scratch,gluon")
    assert launched.returncode == 0, launched.stderr
    words = " ".join(launched.stdout.split())
    assert "gluon data parallel (1 context(s) x 2 workers) against itself on cpu(0) alone" in words
    assert "weights fc1.weight" in launched.stdout and "conv1" not in launched.stdout
