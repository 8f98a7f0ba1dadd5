"""`compare tune` and MXNet's load-time settings: the candidates, the interleaved rounds and what they add up
to (with injected measurements: no clock, no load), the settings applied in fresh processes, correctness and
determinism under them, and bad input."""
import io
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from rich.console import Console

from compare.cli import main
from compare.errors import ExitCode, UsageError
from compare.jobs.tune import (
    TuneJob,
    bench_measure,
    candidate_environment,
    first_stage,
    rotated,
    run_tune,
    second_stage,
    thread_counts,
)
from compare.measuring.machine_limit import DOT, FULLY_CONNECTED, NUMPY_MATMUL, GemmRates
from compare.measuring.mxnet_settings import MXNetSettings, apply_settings
from compare.reporting.tune_tables import tune_report
from compare.results.tune_io import read_tuned, this_machine, tune_to_json
from compare.results.tune_types import DEFAULTS, TuneMeasurement
from compare.signals import Interrupt

NAIVE = MXNetSettings(threads=2, engine="naive", bind=True)
JOB = TuneJob(("--model", "lenet"), rounds=3, cpus=2, allow_naive=True, gluon_trainer=True)
HEADER = {"settings": {"batch_size": 256, "context": "cpu(0)"}, "machine": {"cpu": "x", "cpus_available": 2},
          "arithmetic": {"training_flops": 7_519_680, "forward_flops": 2_698_560}}


def _speed(settings: MXNetSettings) -> float:
    """An invented machine: the synchronous engine with two bound threads trains 1.5x faster, every extra
    thread helps forward passes, aggregation changes nothing."""
    train = 1.5 if (settings.engine, settings.threads, settings.bind) == ("naive", 2, True) else 1.0
    return train


def _fake_measure(log: list):
    def measure(settings: MXNetSettings, round_index: int) -> TuneMeasurement:
        log.append((settings, round_index))
        wobble = 1 + 0.01 * round_index  # rounds differ; ratios within a round do not
        forward = 2.0 if settings.threads == 2 and settings.engine == "threaded" else 1.0
        return TuneMeasurement(settings, round_index,
                               train={"scratch": 1000 * _speed(settings) * wobble,
                                      "gluon": 1200 * _speed(settings) * wobble},
                               inference={"scratch": 4000 * forward * wobble, "gluon": 5000 * forward * wobble},
                               gemms=_gemms(settings), openmp_threads=settings.threads or 1, other_cores=0.0)
    return measure


def _gemms(settings: MXNetSettings) -> GemmRates:
    """An invented machine's GEMMs: oneDNN's FullyConnected is the limit, except under two threads, where numpy's
    matmul is; nd.dot is slow under every settings."""
    numpy = 250.0 if settings.threads == 2 else 150.0
    return GemmRates(1024, {DOT: 50.0, FULLY_CONNECTED: 200.0, NUMPY_MATMUL: numpy}, numpy_threads=settings.threads)


def test_thread_counts_are_one_the_powers_of_two_and_every_cpu():
    assert thread_counts(1) == [1] and thread_counts(2) == [1, 2] and thread_counts(12) == [1, 2, 4, 8, 12]


def test_the_first_stage_crosses_threads_engines_and_binding_and_leaves_out_naive_where_it_serialises():
    candidates = first_stage(JOB)
    assert candidates[0] == DEFAULTS and len(candidates) == 1 + 2 + 2 * 2 and len(set(candidates)) == len(candidates)
    assert all(c.bind is None for c in candidates if c.threads == 1)  # one thread: no team to bind
    several_contexts = first_stage(TuneJob((), 3, cpus=2, allow_naive=False, gluon_trainer=True))
    assert all(c.engine != "naive" for c in several_contexts) and len(several_contexts) == 1 + 1 + 2


def test_the_second_stage_refines_the_fastest_and_tries_engine_workers_only_on_the_threaded_engine():
    assert second_stage(JOB, NAIVE) == [DEFAULTS, NAIVE, MXNetSettings(threads=2, engine="naive", bind=True,
                                                                       aggregation=60)]
    threaded = MXNetSettings(threads=1, engine="threaded")
    no_gluon = TuneJob((), 3, 2, True, gluon_trainer=False)
    assert second_stage(no_gluon, threaded) == [DEFAULTS, threaded, MXNetSettings(threads=1, engine="threaded",
                                                                                  engine_workers=2)]


def test_rounds_rotate_so_no_candidate_always_runs_first():
    candidates = first_stage(JOB)
    firsts = {rotated(candidates, index)[0] for index in range(len(candidates))}
    assert firsts == set(candidates) and sorted(rotated(candidates, 4), key=candidates.index) == candidates


def test_tune_runs_both_stages_in_rounds_and_finds_the_fastest_paired_with_the_defaults_of_each_round():
    log: list = []
    result = run_tune(JOB, _fake_measure(log), HEADER, lambda m: None)
    first, second = first_stage(JOB), second_stage(JOB, NAIVE)
    assert len(log) == 3 * len(first) + 3 * len(second)
    assert {index for settings, index in log if settings == DEFAULTS} == set(range(6))  # defaults in every round
    assert result.fastest("train") == NAIVE  # the invented machine's winner (aggregation ties it: first wins)
    assert result.fastest("inference") == MXNetSettings(threads=2, engine="threaded", bind=False)
    speedup = result.speedup(NAIVE, "train", "scratch")
    assert speedup.n == 6 and speedup.mean == pytest.approx(1.5) and speedup.low == pytest.approx(1.5)
    assert not result.interrupted and not result.failures()


def test_an_interrupted_tune_keeps_what_it_measured_and_its_exit_code():
    log: list = []
    measure = _fake_measure(log)

    def interrupted_on_the_fifth(settings, round_index):
        if len(log) == 4:
            raise Interrupt(15)
        return measure(settings, round_index)

    result = run_tune(JOB, interrupted_on_the_fifth, HEADER, lambda m: None)
    assert result.interrupted and result.stop_code == 143 and len(result.measurements) == 4
    assert "interrupted" in json.loads(tune_to_json(result)) and json.loads(tune_to_json(result))["interrupted"]


def test_the_report_reads_at_80_columns_and_names_the_winners_with_their_flags():
    result = run_tune(JOB, _fake_measure([]), HEADER, lambda m: None)
    output = io.StringIO()
    Console(file=output, width=80, color_system=None).print(tune_report(result))
    text = output.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80 and "…" not in text
    words = " ".join(text.split())
    assert "Fastest for the training step: 2 threads, naive, bound (--threads 2 --engine naive --omp-bind on)" in words
    assert "1.50× [1.50, 1.50] MXNet's defaults" in words
    # the arithmetic limit under the winner's settings (2 threads: numpy's matmul), against which the shares are
    assert "the limit: numpy matmul at 250.0 GFLOP/s on 1024² float32, the fastest of 3 GEMMs" in words
    assert "nd.dot (MXNet's bundled BLAS) ran at 50.0 GFLOP/s, 20% of the limit" in words


def test_the_tune_file_gives_run_the_fastest_training_settings_and_warns_where_the_machine_differs(tmp_path):
    result = run_tune(JOB, _fake_measure([]), {**HEADER, "machine": this_machine()}, lambda m: None)
    path = tmp_path / "tune.json"
    path.write_text(tune_to_json(result))
    warnings: list = []
    assert read_tuned(path, warnings.append).settings == NAIVE and warnings == []
    document = json.loads(path.read_text())
    document["machine"]["cpus_available"] = 64
    document["machine"]["mxnet"] = "1.8.0"
    path.write_text(json.dumps(document))
    assert read_tuned(path, warnings.append).settings == NAIVE
    assert len(warnings) == 1 and "CPUs available 64" in warnings[0] and "mxnet '1.8.0'" in warnings[0]


@pytest.mark.parametrize("edit, code, words", [
    (lambda d: d.update(kind="run"), ExitCode.FILE, "not one of `compare tune --json`"),
    (lambda d: d["fastest"]["train"].update(settings={"threads": "two"}), ExitCode.USAGE, "threads must be int"),
    (lambda d: d["fastest"]["train"].update(settings={"engine": "turbo"}), ExitCode.USAGE, "--engine must be one of"),
    (lambda d: d["fastest"]["train"].update(settings={"threads": 4096}), ExitCode.USAGE, "may use"),
    (lambda d: d["fastest"]["train"].update(settings={"color": 1}), ExitCode.USAGE, "not a settings record"),
    (lambda d: d.pop("fastest"), ExitCode.FILE, "no fastest training settings"),
    (lambda d: d.update(interrupted=True), ExitCode.FILE, "an interrupted tune"),
    (lambda d: d.update(schema=1), ExitCode.FILE, "a tune file of schema 1"),
    (lambda d: d["fastest"]["train"]["speedup"].update(mean=None), ExitCode.FILE, "no measured speed-up"),
])
def test_a_tune_file_that_does_not_fit_is_one_line_and_its_exit_code(tmp_path, capsys, edit, code, words):
    result = run_tune(JOB, _fake_measure([]), HEADER, lambda m: None)
    document = json.loads(tune_to_json(result))
    edit(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    assert main(["run", "--tuned", str(path), "--epochs", "1"], console=Console(file=io.StringIO())) == code
    error = capsys.readouterr().err
    assert words in error and error.count("\n") == 1


@pytest.mark.parametrize("argv, words", [
    (["bench", "--engine", "turbo"], "invalid choice: 'turbo'"),
    (["run", "--aggregation", "0"], "--aggregation must be 1 to 60"),
    (["check", "--engine-workers", "999"], "--engine-workers must be 1 to 64"),
    (["profile", "--omp-bind", "maybe"], "invalid choice: 'maybe'"),
    (["check", "--engine", "naive", "--ctx", "cpu:0,cpu:1"], "serialises 2 context(s)"),
    (["tune", "--rounds", "1"], "--rounds must be 2 to 20"),
    (["bench", "--blas-core", "pentium9"], "--blas-core must be one of OpenBLAS's core types"),
    (["run", "--tuned", "/nonexistent/tune.json"], None),
])
def test_bad_settings_are_one_line_before_any_work(capsys, argv, words):
    try:
        code = main(argv, console=Console(file=io.StringIO()))
    except SystemExit as exit_info:  # argparse's own refusals (an unknown choice)
        code = exit_info.code
    error = capsys.readouterr().err
    assert code == (ExitCode.FILE if words is None else ExitCode.USAGE)
    assert (words or "cannot read") in error and error.strip().count("\n") == 0


def test_other_settings_are_refused_once_mxnet_is_loaded_and_the_same_ones_pass(monkeypatch):
    from implementations.mxnet_compat import mx  # loaded, as every command has it by the time it measures

    assert mx.nd is not None
    monkeypatch.setenv("MXNET_ENGINE_TYPE", "ThreadedEnginePerDevice")  # what it was loaded with, say
    with pytest.raises(UsageError, match="already loaded"):
        apply_settings(MXNetSettings(engine="naive"))
    monkeypatch.setenv("MXNET_ENGINE_TYPE", "NaiveEngine")
    apply_settings(MXNetSettings(engine="naive"))  # the same value: nothing to refuse
    monkeypatch.delenv("OPENBLAS_CORETYPE", raising=False)  # loaded with the core OpenBLAS recognised
    with pytest.raises(UsageError, match="OPENBLAS_CORETYPE: mxnet is already loaded"):
        apply_settings(MXNetSettings(blas_core="HASWELL"))


def test_candidates_start_from_mxnets_own_defaults_not_the_users_environment():
    inherited = {"OMP_NUM_THREADS": "7", "MXNET_ENGINE_TYPE": "NaiveEngine", "OMP_PROC_BIND": "true", "PATH": "/bin"}
    assert candidate_environment(inherited) == {"PATH": "/bin"}


def test_each_candidate_runs_in_a_fresh_process_with_its_settings_in_force():
    header: dict = {}
    job = TuneJob(("--model", "softmax", "--impl", "scratch", "--batch-size", "16", "--repeat", "1"), 2, 2, True, False)
    measure = bench_measure(job, header)
    default, tuned = measure(DEFAULTS, 0), measure(NAIVE, 0)
    assert not default.failure and not tuned.failure, (default.failure, tuned.failure)
    assert tuned.openmp_threads == 2 and tuned.train["scratch"] > 0 and tuned.gemms.limit_gflops > 0
    assert {DOT, NUMPY_MATMUL} <= set(tuned.gemms.rates) and tuned.gemms.numpy_threads == 2  # numpy held to OpenMP's
    assert header["machine"]["cpus_available"] >= 1 and header["arithmetic"]["training_flops"] == 3 * 15_680 - 15_680


def _compare(*argv: str, env_extra: dict) -> subprocess.CompletedProcess:
    import os

    env = {**candidate_environment(dict(os.environ)), **env_extra}
    return subprocess.run([sys.executable, "-m", "compare", *argv], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.mark.parametrize("flags", [
    ["--engine", "naive", "--threads", "2", "--omp-bind", "on"],
    ["--engine", "threaded", "--threads", "1", "--omp-bind", "on", "--engine-workers", "2"],
    ["--engine", "naive", "--threads", "1", "--aggregation", "60"],
])
def test_check_passes_and_the_built_ins_stay_bit_identical_under_other_settings(flags):
    checked = _compare("check", "--synthetic", "--steps", "3", "--batch-size", "16", "--impl", "scratch,gluon,gluon-hybrid",
                       *flags, env_extra={})
    assert checked.returncode == 0, checked.stderr
    assert "gluon, gluon-hybrid bit-identical to scratch" in " ".join(checked.stdout.split())


def test_runs_repeat_exactly_under_the_synchronous_engine_with_bound_threads(synthetic_dir, tmp_path):
    flags = ["--engine", "naive", "--threads", "2", "--omp-bind", "on"]
    losses = []
    for index in range(2):
        path = tmp_path / f"run{index}.json"
        ran = _compare("run", "--data-dir", str(synthetic_dir), "--epochs", "2", "--batch-size", "32", "--quiet",
                       "--impl", "scratch,gluon-hybrid", "--json", str(path), *flags, env_extra={})
        assert ran.returncode == 0, ran.stderr
        document = json.loads(path.read_text())
        assert document["environment"]["threads"]["set"]["MXNET_ENGINE_TYPE"] == "NaiveEngine"
        results = document["runs"][0]["results"]
        losses.append({name: [e["train_loss"] for e in result["epochs"]] for name, result in results.items()})
    assert losses[0] == losses[1] and losses[0]["scratch"] == losses[0]["gluon-hybrid"]
    output = io.StringIO()
    main(["diff", str(tmp_path / "run0.json"), str(tmp_path / "run1.json")], console=Console(file=output, width=200))
    assert "Same recipe and environment in both files." in output.getvalue()
    defaults = _compare("run", "--data-dir", str(synthetic_dir), "--epochs", "2", "--batch-size", "32", "--quiet",
                        "--impl", "scratch,gluon-hybrid", "--json", str(tmp_path / "defaults.json"), env_extra={})
    assert defaults.returncode == 0, defaults.stderr
    output = io.StringIO()  # diff lists the settings first, whole at 80 columns
    main(["diff", str(tmp_path / "defaults.json"), str(tmp_path / "run0.json")], console=Console(file=output, width=80))
    listed = output.getvalue().split("→")[0]
    assert "threads" in listed and "MXNET_ENGINE_TYPE=NaiveE" in listed and "…" not in output.getvalue()


def test_the_runner_syncs_once_a_step_so_the_synchronous_engine_costs_it_nothing_more(synthetic_dir, monkeypatch):
    """Counted, not timed: the runner reads one scalar per step (the divergence rule) and one per epoch."""
    from implementations.mxnet_compat import mx

    reads = []
    original = mx.nd.NDArray.asnumpy  # every read of a value (asscalar too) goes through it
    monkeypatch.setattr(mx.nd.NDArray, "asnumpy", lambda self: reads.append(1) or original(self))
    from compare.config.options import Options
    from compare.config.run import RunConfig
    from compare.data.batches import DeviceSplit, epoch_permutation
    from compare.data.dataset import load_split
    from compare.devices.topology import Topology
    from compare.reporting.progress import SilentListener
    from compare.training.divergence import DivergenceRule
    from compare.training.runner import Epoch, TrainingJob, train_epoch
    from compare.training.steps import loss_function
    from implementations.registry import build_model, builtins

    topology = Topology((mx.cpu(),))
    train = DeviceSplit.from_arrays(load_split("train", synthetic_dir, limit=320), topology.home)
    config = RunConfig.resolve("lenet", (), Options("run", {"batch_size": 64, "learning_rate": 0.1}))
    job = TrainingJob(config, topology, train, train, SilentListener(), loss_function(10))
    model = build_model(builtins()["gluon-hybrid"].factory(), config.spec(), topology.devices(), 0)
    reads.clear()
    train_epoch(job, model, Epoch(0, 1, epoch_permutation(0, 1, len(train))), DivergenceRule(1e9), lambda: None, 0.1)
    assert len(train) > 64 and len(reads) == -(-len(train) // 64) + 1  # a read per step, one for the count


def test_bench_reports_flops_and_every_gemm_rate_it_measured(capsys, tmp_path):
    path = tmp_path / "bench.json"
    assert main(["bench", "--batch-size", "8", "--repeat", "1", "--impl", "scratch", "--json", str(path)],
                console=Console(file=io.StringIO(), width=80)) == 0
    arithmetic = json.loads(path.read_text())["settings"]["arithmetic"]
    conv1, conv2, fc1, fc2 = 20 * 24 * 24 * 25, 50 * 10 * 10 * 20 * 9, 1250 * 128, 128 * 10  # multiply-adds
    assert arithmetic["forward_flops"] == 2 * (conv1 + conv2 + fc1 + fc2)
    assert arithmetic["training_flops"] == 3 * arithmetic["forward_flops"] - 2 * conv1  # no gradient for the image
    assert arithmetic["gemm_size"] == 1024 and DOT in arithmetic["gemm_gflops"] and NUMPY_MATMUL in arithmetic["gemm_gflops"]
    assert arithmetic["limit_gflops"] == max(arithmetic["gemm_gflops"].values()) > 0
    assert arithmetic["gemm_gflops"][arithmetic["limit"]] == arithmetic["limit_gflops"]


def test_the_tune_command_writes_its_file_and_tables_from_its_measurements(tmp_path, monkeypatch):
    import compare.jobs.tune as tuning

    monkeypatch.setattr(tuning, "bench_measure", lambda job, header: _fake_measure([]))
    path, output = tmp_path / "tune.json", io.StringIO()
    code = main(["tune", "--impl", "scratch,gluon", "--json", str(path)], console=Console(file=output, width=80))
    document = json.loads(path.read_text())
    assert code == 0 and document["kind"] == "tune" and document["fastest"]["train"]["settings"] == asdict(NAIVE)
    assert document["fastest"]["train"]["flags"] == ["--threads", "2", "--engine", "naive", "--omp-bind", "on"]
    assert "Fastest for the training step" in output.getvalue()


def test_a_candidate_faster_only_on_average_is_not_recommended_and_the_report_says_so():
    noisy = {0: 0.9, 1: 1.6, 2: 1.0, 3: 1.1, 4: 0.8, 5: 1.5}  # the mean is above 1, the interval is not

    def measure(settings, round_index):
        factor = noisy[round_index] if settings == NAIVE else 1.0
        return TuneMeasurement(settings, round_index, train={"scratch": 1000 * factor},
                               inference={"scratch": 1000.0}, gemms=GemmRates(1024, {DOT: 100.0}))

    result = run_tune(JOB, measure, HEADER, lambda m: None)
    assert result.best_mean("train") == NAIVE and result.fastest("train") == DEFAULTS
    output = io.StringIO()
    Console(file=output, width=80, color_system=None).print(tune_report(result))
    words = " ".join(output.getvalue().split())
    assert "Fastest for the training step: MXNet's defaults; no candidate was faster beyond the noise" in words
    assert "best mean: 2 threads, naive, bound" in words


def test_the_readmes_tune_file_applies_the_settings_the_readme_names():
    path = Path(__file__).parent.parent / "docs" / "tune_run.json"
    readme = " ".join((Path(__file__).parent.parent / "docs" / "performance.md").read_text().split())
    settings = read_tuned(path, lambda line: None).settings  # another machine only warns
    flags = f"--threads {settings.threads} --engine {settings.engine} --omp-bind {'on' if settings.bind else 'off'}"
    assert settings.threads and settings.engine and flags in readme  # what the docs tell a reader to pass
    words = f"{settings.threads} threads, {settings.engine}, {'bound' if settings.bind else 'unbound'}"
    assert f"`--tuned` ({words})" in readme  # the tuned table's column names the file's settings


def test_a_run_shows_its_arithmetic_limit_and_under_tuned_what_tune_measured(synthetic_dir, tmp_path):
    def measure(settings, round_index):  # nothing beats the defaults: the file recommends them (appliable here)
        return TuneMeasurement(settings, round_index, train={"scratch": 1000.0 * (1 + 0.1 * (round_index % 2))},
                               inference={"scratch": 1000.0}, gemms=GemmRates(1024, {DOT: 100.0}))

    tune_file, results = tmp_path / "tune.json", tmp_path / "run.json"
    tune_file.write_text(tune_to_json(run_tune(JOB, measure, {**HEADER, "machine": this_machine()}, lambda m: None)))
    output = io.StringIO()
    code = main(["run", "--tuned", str(tune_file), "--data-dir", str(synthetic_dir), "--epochs", "1", "--batch-size",
                 "64", "--quiet", "--impl", "scratch", "--json", str(results)], console=Console(file=output, width=80))
    words = " ".join(output.getvalue().split())
    arithmetic = json.loads(results.read_text())["environment"]["arithmetic"]
    assert code == 0 and arithmetic["limit_gflops"] > 0 and arithmetic["training_flops"] == 7_519_680
    assert "Against this machine's arithmetic limit" in words
    expected = f"note: MXNet settings from --tuned {tune_file}: defaults; tune measured them at 1.00×"
    assert "".join(expected.split()) in "".join(words.split())  # a long temporary path folds at 80 columns


def test_a_candidate_that_fails_is_not_run_again_and_the_deadline_follows_the_first_process():
    from compare.jobs.tune import Deadline

    log: list = []
    measure = _fake_measure(log)
    stalls = MXNetSettings(threads=2, engine="threaded", bind=True)

    def stalling(settings, round_index):
        if settings == stalls:
            log.append((settings, round_index))
            return TuneMeasurement(settings, round_index, failure="stalled: still running after 60 s")
        return measure(settings, round_index)

    result = run_tune(JOB, stalling, HEADER, lambda m: None)
    assert [index for settings, index in log if settings == stalls] == [0]  # once, not every round
    assert result.failures() == {stalls: "stalled: still running after 60 s"}
    deadline = Deadline()
    deadline.calibrate(3.0)
    deadline.calibrate(100.0)  # only the first process sets it
    assert deadline.seconds == 60 and Deadline(calibrated=False).seconds == 600
    deadline = Deadline()
    deadline.calibrate(9.0)
    assert deadline.seconds == 90


def test_engine_workers_are_only_offered_and_accepted_where_workers_times_threads_fit_the_cpus(capsys):
    two_threads = MXNetSettings(threads=2, engine="threaded", bind=False)
    assert all(c.engine_workers is None for c in second_stage(JOB, two_threads))
    one_thread = MXNetSettings(threads=1, engine="threaded")
    assert any(c.engine_workers == 2 for c in second_stage(JOB, one_thread))
    from compare.validation import cpus_available

    code = main(["bench", "--threads", str(cpus_available()), "--engine-workers", "2"], console=Console(file=io.StringIO()))
    error = capsys.readouterr().err
    assert code == ExitCode.USAGE and "MXNet stalled like this" in error and error.count("\n") == 1


def test_mxnet_s_own_engine_line_stays_off_the_user_s_stderr():
    checked = _compare("check", "--synthetic", "--steps", "1", "--batch-size", "8", "--impl", "gluon",
                       "--engine", "naive", env_extra={})
    assert checked.returncode == 0, checked.stderr
    assert "start using engine" not in checked.stderr and checked.stderr == ""


def test_the_note_of_a_run_whose_flags_override_the_tune_file_says_so():
    from compare.measuring.statistics import Interval
    from compare.reporting.tune_tables import tuned_note
    from compare.results.tune_types import TunedFile

    tuned = TunedFile(Path("tune.json"), NAIVE, Interval(3, 1.5, 0.1, 1.4, 1.6), {})
    overridden = tuned_note(tuned, MXNetSettings(threads=1, engine="threaded", bind=True))
    assert "with flags over them: 1 thread" in overridden and f"its own ({NAIVE.label()})" in overridden
    assert overridden.endswith("not these")
    assert "flags" not in tuned_note(tuned, NAIVE)


def test_an_implementation_that_fails_in_bench_is_named_once_and_the_others_are_tuned():
    from compare.jobs.tune import measurement_from_bench

    document = {"rows": [{"implementation": name, "devices": 1, "other_cores": 0.0, "train": {"median": rate},
                          "inference": {"median": 2 * rate}} for name, rate in (("scratch", 100.0), ("x", 50.0))],
                "failures": {"x": "batch 16: RuntimeError: my update broke on step 3"}}
    header: dict = {"settings": {}}
    first = measurement_from_bench(DEFAULTS, 0, document, header)
    second = measurement_from_bench(NAIVE, 0, {**document, "failures": {"x": "another reason"}}, header)
    assert first.train == second.train == {"scratch": 100.0} and not first.failure and not second.failure
    assert header["settings"]["failed_implementations"] == {"x": "batch 16: RuntimeError: my update broke on step 3"}


def test_the_tune_report_says_which_gemm_is_the_limit_under_each_settings_and_the_file_keeps_them():
    result = run_tune(JOB, _fake_measure([]), HEADER, lambda m: None)
    assert result.gemm_rates(NAIVE).limit == NUMPY_MATMUL and result.gemm_rates(DEFAULTS).limit == FULLY_CONNECTED
    output = io.StringIO()
    Console(file=output, width=80, color_system=None).print(tune_report(result))
    text = output.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80 and "…" not in text
    limits = text[text.index("The arithmetic limit under each"):]
    defaults = next(line for line in limits.splitlines() if "MXNet's defaults" in line)
    assert "200.0 *" in defaults and "150.0" in defaults and "50.0" in defaults  # FullyConnected's, numpy's, nd.dot's
    two_threads = [c for c in result.candidates() if c.threads == 2]
    assert limits.count("250.0 *") == len(two_threads) == 5  # numpy's matmul is the limit under two threads...
    assert limits.count("200.0 *") == len(result.candidates()) - 5 == 3  # ...FullyConnected under the others
    measurements = json.loads(tune_to_json(result))["measurements"]
    assert measurements[0]["gemms"]["limit"] == FULLY_CONNECTED and measurements[0]["gemms"]["gemm_gflops"][DOT] == 50.0


def test_a_bench_file_from_before_gives_tune_nd_dot_as_its_limit_and_only_flops_in_the_header():
    from compare.jobs.tune import measurement_from_bench

    document = {"rows": [{"implementation": "scratch", "devices": 1, "train": {"median": 100.0},
                          "inference": {"median": 200.0}}],
                "settings": {"arithmetic": {"training_flops": 3, "forward_flops": 1, "elementwise_ops": 2,
                                            "dot_size": 1024, "dot_gflops": 40.0}}}
    header: dict = {"settings": {}}
    measurement = measurement_from_bench(DEFAULTS, 0, document, header)
    assert measurement.gemms == GemmRates(1024, {DOT: 40.0})
    assert header["arithmetic"] == {"training_flops": 3, "forward_flops": 1, "elementwise_ops": 2}
