"""The BLAS core-type lever: OpenBLAS's names, the proof that nd.dot's products under a core type agree with a
product computed without BLAS (in a fresh process), and tune trying core types only where nd.dot lags the limit."""
from dataclasses import replace

import numpy as np
import pytest

from compare.errors import UsageError
from compare.jobs.tune import TuneJob, bench_measure, core_candidates, run_tune, second_stage
from compare.measuring.blas_core import (
    AGREEMENT,
    CORE_TYPES,
    DOT_LAGS,
    DotAgreement,
    ProofOutcome,
    core_type,
    cpu_flags,
    dot_agreement,
    fitting_core_types,
    mxnet_blas_core,
    prove_in_fresh_process,
    verify_core_type,
)
from compare.measuring.machine_limit import DOT, FULLY_CONNECTED, GemmRates
from compare.measuring.mxnet_settings import MXNetSettings
from compare.results.tune_types import DEFAULTS, TuneMeasurement, TuneResult

FASTEST = MXNetSettings(threads=2, engine="naive", bind=True)
AVX512 = frozenset({"avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq"})


def test_core_types_are_openblas_names_in_any_case_and_travel_as_one_variable_and_flag():
    settings = MXNetSettings(blas_core=core_type("haswell"))  # flags and options pass through core_type
    assert settings.blas_core == "HASWELL" and settings.variables() == {"OPENBLAS_CORETYPE": "HASWELL"}
    with pytest.raises(UsageError, match="give it as OpenBLAS spells it, HASWELL"):
        MXNetSettings(blas_core="haswell")
    assert settings.flags() == ["--blas-core", "HASWELL"] and settings.label() == "BLAS core HASWELL"
    assert MXNetSettings.from_record({"blas_core": "zen", "threads": 2}, "f") == MXNetSettings(threads=2, blas_core="ZEN")
    assert core_type(None) is None
    with pytest.raises(UsageError, match="tune.json: --blas-core must be one of"):
        MXNetSettings.from_record({"blas_core": "pentium9"}, "tune.json")
    with pytest.raises(UsageError, match="--blas-core must be one of OpenBLAS's core types"):
        MXNetSettings(blas_core="SAPPHIRERAPIDS")  # newer than the bundled OpenBLAS 0.3.13 knows


def test_only_core_types_whose_instructions_the_cpu_has_are_worth_trying():
    assert fitting_core_types(frozenset({"sse3", "avx"})) == ()
    assert fitting_core_types(frozenset({"avx2", "fma"})) == ("HASWELL", "ZEN")
    assert fitting_core_types(AVX512) == ("HASWELL", "ZEN", "SKYLAKEX")
    assert fitting_core_types(AVX512 | {"avx512_bf16"})[-1] == "COOPERLAKE"


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: X\nflags\t\t: fpu sse avx2 fma\n\nprocessor\t: 1\n")
    assert cpu_flags(cpuinfo) == {"fpu", "sse", "avx2", "fma"} and cpu_flags(tmp_path / "none") == frozenset()


def test_a_correct_product_agrees_and_wrong_ones_do_not():
    correct = dot_agreement(lambda left, right: left @ right)
    assert correct.agrees and correct.worst < AGREEMENT / 10

    def one_wrong_element(left, right):  # a kernel's edge case gone wrong: the last column of odd shapes
        product = left @ right
        product[:, -1] *= 1.01 if product.shape[1] % 2 else 1.0
        return product

    wrong = dot_agreement(one_wrong_element)
    assert not wrong.agrees and wrong.shape[2] % 2 == 1
    assert dot_agreement(lambda left, right: (left @ right)[:, :1]).worst == np.inf  # a product of another shape


def test_a_core_type_is_refused_in_one_line_where_its_products_disagree_or_its_process_dies():
    verify_core_type("ZEN", lambda name: ProofOutcome(DotAgreement(2e-6, (256, 256, 256))))  # agrees: no error
    with pytest.raises(UsageError) as disagreeing:
        verify_core_type("ZEN", lambda name: ProofOutcome(DotAgreement(0.3, (257, 129, 65))))
    assert "differ from a product computed without BLAS by 3.0e-01" in str(disagreeing.value)
    assert "257x129x65" in str(disagreeing.value) and "\n" not in str(disagreeing.value)
    with pytest.raises(UsageError, match="could not compute nd.dot's products, killed by SIGILL"):
        verify_core_type("BULLDOZER", lambda name: ProofOutcome(ended="killed by SIGILL, an instruction ..."))


def test_a_fresh_process_proves_a_core_type_and_one_the_cpu_cannot_run_is_refused():
    assert prove_in_fresh_process("PRESCOTT").agreement.agrees  # SSE3 kernels: every x86-64 CPU runs them
    bulldozer = prove_in_fresh_process("BULLDOZER")  # its kernels use AMD's FMA4
    if "fma4" in cpu_flags():
        assert bulldozer.agreement.agrees
    else:
        assert bulldozer.agreement is None and "SIGILL" in bulldozer.ended


def test_the_core_openblas_runs_as_is_read_from_mxnets_own_library():
    from compare.measuring.threads import thread_record

    pools = [{"api": "openblas", "library": "libopenblas.so.0", "core": "Cooperlake"},  # a system numpy's
             {"api": "openblas", "library": "libopenblas.so.0", "core": "Zen", "in_mxnet": True}]
    assert mxnet_blas_core(pools) == "ZEN" and mxnet_blas_core(pools[:1]) is None
    from implementations.mxnet_compat import mx  # loaded: its OpenBLAS is in force

    assert mx.nd is not None
    assert mxnet_blas_core(thread_record()["in_force"]) in CORE_TYPES + ("GENERIC",)


def _result(dot_gflops: float, running: str) -> TuneResult:
    gemms = GemmRates(1024, {DOT: dot_gflops, FULLY_CONNECTED: 300.0})
    measurements = [TuneMeasurement(settings, 0, train={"scratch": 100.0}, gemms=gemms, blas_core=running)
                    for settings in (DEFAULTS, FASTEST)]
    return TuneResult({}, {}, {}, measurements)


def test_core_types_are_tried_only_where_nd_dot_lags_the_limit_and_not_the_one_already_running():
    job = TuneJob(("--model", "lenet"), 2, 2, True, gluon_trainer=False, blas_cores=("HASWELL", "ZEN", "SKYLAKEX"))
    lagging = _result(0.23 * 300.0, running="ZEN")  # the machine: nd.dot at a quarter of oneDNN's rate
    assert core_candidates(job, FASTEST, lagging) == ("HASWELL", "SKYLAKEX")
    assert second_stage(job, FASTEST, lagging)[-2:] == [replace(FASTEST, blas_core="HASWELL"),
                                                        replace(FASTEST, blas_core="SKYLAKEX")]
    keeping_up = _result(DOT_LAGS * 300.0, running="ZEN")  # this project's EPYC: nd.dot as fast as oneDNN
    assert core_candidates(job, FASTEST, keeping_up) == ()
    assert all(c.blas_core is None for c in second_stage(job, FASTEST, keeping_up))


def test_a_core_type_that_fails_its_proof_is_recorded_as_failed_and_the_tune_goes_on():
    job = TuneJob(("--model", "lenet"), 2, 2, True, gluon_trainer=False, blas_cores=("HASWELL", "SKYLAKEX"))
    calls: list = []

    def measure(settings: MXNetSettings, round_index: int) -> TuneMeasurement:
        calls.append(settings)
        if settings.blas_core == "SKYLAKEX":
            return TuneMeasurement(settings, round_index, failure="--blas-core SKYLAKEX: ... differ ...")
        speed = 3.0 if settings.blas_core == "HASWELL" else 2.0 if settings == FASTEST else 1.0
        gemms = GemmRates(1024, {DOT: 70.0 * (2.7 if settings.blas_core else 1), FULLY_CONNECTED: 300.0})
        return TuneMeasurement(settings, round_index, train={"scratch": 100 * speed}, gemms=gemms, blas_core="PRESCOTT")

    result = run_tune(job, measure, {"settings": {}}, lambda m: None)
    skylake = replace(FASTEST, blas_core="SKYLAKEX")
    assert calls.count(skylake) == 1  # given up after its failure, not run again in the second round
    assert result.failures() == {skylake: "--blas-core SKYLAKEX: ... differ ..."}
    assert result.fastest("train") == replace(FASTEST, blas_core="HASWELL")


def test_a_candidates_process_runs_under_its_core_type_and_one_the_cpu_cannot_run_fails_without_ending_the_tune():
    job = TuneJob(("--model", "softmax", "--impl", "scratch", "--batch-size", "16", "--repeat", "1"), 2, 2, True,
                  False)
    measure = bench_measure(job, {})
    prescott = measure(MXNetSettings(threads=1, blas_core="PRESCOTT"), 0)
    assert not prescott.failure and prescott.blas_core == "PRESCOTT" and prescott.train["scratch"] > 0
    if "fma4" not in cpu_flags():
        bulldozer = measure(MXNetSettings(threads=1, blas_core="BULLDOZER"), 0)
        assert "SIGILL" in bulldozer.failure and not bulldozer.train


def _report(result: TuneResult) -> str:
    import io

    from rich.console import Console

    from compare.reporting.tune_tables import tune_report

    output = io.StringIO()
    Console(file=output, width=80, color_system=None).print(tune_report(result))
    return " ".join(output.getvalue().split())


def test_the_tune_report_says_whether_core_types_were_tried_and_the_rate_that_decided_it():
    keeping_up = _report(_result(280.0, running="ZEN"))
    assert "nd.dot ran at 280.0 GFLOP/s, 93% of the limit" in keeping_up and "running as ZEN" in keeping_up
    assert "no OpenBLAS core type was tried" in keeping_up
    lagging = _result(69.0, running="PRESCOTT")
    tried = replace(FASTEST, blas_core="HASWELL")
    lagging.measurements.append(TuneMeasurement(tried, 0, train={"scratch": 150.0},
                                                gemms=GemmRates(1024, {DOT: 190.0, FULLY_CONNECTED: 300.0})))
    report = _report(lagging)
    assert "69.0 GFLOP/s, 23% of the limit" in report and "core types this CPU can run were tried (HASWELL)" in report


def test_a_refused_core_type_leaves_the_environment_as_it_was(monkeypatch):
    import os
    import sys

    from compare.jobs.apply_settings import apply_mxnet_settings
    from compare.measuring import blas_core
    from compare.measuring.mxnet_settings import MXNetChoice

    monkeypatch.delenv("OPENBLAS_CORETYPE", raising=False)
    monkeypatch.delitem(sys.modules, "mxnet", raising=False)  # as a fresh kernel: mxnet not loaded yet
    monkeypatch.setattr(blas_core, "prove_in_fresh_process",
                        lambda name: ProofOutcome(ended="killed by SIGILL, an instruction this CPU does not have"))
    with pytest.raises(UsageError, match="killed by SIGILL"):
        apply_mxnet_settings(MXNetChoice(MXNetSettings(blas_core="BULLDOZER")), [], lambda line: None)
    assert "OPENBLAS_CORETYPE" not in os.environ


def test_a_lagging_nd_dot_with_no_core_type_left_to_try_is_not_said_to_keep_up():
    report = _report(_result(69.0, running="PRESCOTT"))
    assert "69.0 GFLOP/s, 23% of the limit" in report and "but no core type was tried" in report
    assert "keeps up" not in report
