"""The machine's arithmetic limit: the fastest float32 GEMM of several, every candidate's rate kept and named, the
record both ways (and a results file written when nd.dot was the only one), and how the tables say it. Rates are
invented except in one small real measurement, which checks the structure only, never a speed."""
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from compare.measuring.machine_limit import (
    DOT,
    FULLY_CONNECTED,
    FULLY_CONNECTED_BF16,
    NUMPY_MATMUL,
    GemmRates,
    arithmetic_record,
)
from compare.reporting.limit_tables import LimitRow, limit_table
from implementations.lenet.spec import LeNetSpec

DOCS = Path(__file__).parent.parent / "docs"
QUIET = GemmRates(1024, {DOT: 76.5, FULLY_CONNECTED: 303.4, NUMPY_MATMUL: 296.0}, numpy_threads=2)
OLD_RECORD = {"forward_flops": 2_698_560, "training_flops": 7_519_680, "elementwise_ops": 33_168, "dot_size": 1024,
              "dot_gflops": 45.0}  # what a results file written before the limit was the fastest of several holds


def _words(renderable, width: int = 80) -> str:
    output = io.StringIO()
    Console(file=output, width=width, color_system=None).print(renderable)
    text = output.getvalue()
    assert max(len(line) for line in text.splitlines()) <= width and "…" not in text
    return " ".join(text.replace("│", " ").split())  # a row's cells, and the title and caption, as words


def test_the_limit_is_the_fastest_float32_gemm_and_bfloat16_never_is():
    with_bf16 = GemmRates(1024, dict(QUIET.rates), {FULLY_CONNECTED_BF16: 900.0}, 2)
    assert QUIET.limit == with_bf16.limit == FULLY_CONNECTED and with_bf16.limit_gflops == 303.4
    assert GemmRates(64, {DOT: 10.0, NUMPY_MATMUL: 20.0}).limit == NUMPY_MATMUL
    assert GemmRates(64, {DOT: 10.0, NUMPY_MATMUL: 10.0}).limit == DOT  # a tie: the first measured


@pytest.mark.parametrize("rates", [{}, {DOT: 0.0}, {DOT: float("nan")}, {DOT: -1.0}, {DOT: 10.0, "x": float("inf")}])
def test_rates_are_positive_and_finite_or_refused(rates):
    with pytest.raises(ValueError):
        GemmRates(1024, rates)


def test_the_record_keeps_every_candidate_names_the_limit_and_reads_back_the_same():
    rates = GemmRates(1024, dict(QUIET.rates), {FULLY_CONNECTED_BF16: 900.0}, 2)
    record = json.loads(json.dumps(arithmetic_record(LeNetSpec(), rates)))
    assert record["gemm_gflops"] == {DOT: 76.5, FULLY_CONNECTED: 303.4, NUMPY_MATMUL: 296.0}
    assert record["limit"] == FULLY_CONNECTED and record["limit_gflops"] == 303.4 and record["gemm_size"] == 1024
    assert record["training_flops"] == 7_519_680 and "dot_gflops" not in record
    assert GemmRates.from_record(record) == rates


def test_a_record_written_when_nd_dot_was_the_limit_reads_with_nd_dot_as_its_only_candidate():
    old = GemmRates.from_record(OLD_RECORD)
    assert old == GemmRates(1024, {DOT: 45.0}) and old.limit == DOT
    assert GemmRates.from_record({"training_flops": 1}) is None and GemmRates.from_record({"dot_gflops": None}) is None
    words = _words(limit_table([LimitRow(("scratch",), 4162.0, 16112.0)], OLD_RECORD, ("implementation",), "same"))
    assert "the limit: nd.dot at 45.0 GFLOP/s on 1024² float32" in words
    assert "of limit" in words and "70%" in words  # 4,162 x 7,519,680 = 31.3 GFLOP/s, 70 % of 45
    assert "GEMMs measured" not in words and "pays for its BLAS" not in words  # nd.dot was all it knew


def test_the_mean_over_rounds_is_per_candidate():
    rounds = [GemmRates(1024, {DOT: 80.0, FULLY_CONNECTED: 300.0}), GemmRates(1024, {DOT: 70.0, FULLY_CONNECTED: 310.0,
                                                                               NUMPY_MATMUL: 320.0})]
    mean = GemmRates.mean(rounds)
    assert mean.rates == {DOT: 75.0, FULLY_CONNECTED: 305.0, NUMPY_MATMUL: 320.0} and mean.limit == NUMPY_MATMUL
    assert GemmRates.mean([]) is None


@pytest.mark.parametrize("leading, cells", [(("implementation",), ("my-own-lenet-" + "x" * 87,)),
                                            (("batch", "implementation"), ("256", "gluon-hybrid"))])
def test_the_title_names_the_limit_and_the_caption_every_gemm_and_what_nd_dot_costs_at_80_columns(leading, cells):
    record = {**OLD_RECORD, **GemmRates(1024, dict(QUIET.rates), {FULLY_CONNECTED_BF16: 900.0}, 2).record()}
    words = _words(limit_table([LimitRow(cells, 4162.0, None)], record, leading, "same settings, same process"))
    assert ("Against this machine's arithmetic limit (same settings, same process); the limit: FullyConnected "
            "(oneDNN) at 303.4 GFLOP/s on 1024² float32, the fastest of 3 GEMMs") in words
    assert ("GEMMs measured (GFLOP/s): FullyConnected (oneDNN) 303.4, numpy matmul (2 threads) 296.0, nd.dot 76.5"
            in words)
    assert "in bfloat16 (not float32, never the limit): FullyConnected bf16 (oneDNN) 900.0" in words
    assert ("nd.dot (MXNet's bundled BLAS) ran at 76.5 GFLOP/s, 25% of the limit: a from-scratch layer written with "
            "nd.dot pays for its BLAS") in words
    assert "31.3 10% — —" in words  # against 303.4, not nd.dot's 76.5; no forward rate: dashes


def test_a_bf16_row_is_held_against_the_bfloat16_gemm_and_the_caption_says_so():
    record = {**OLD_RECORD, **GemmRates(1024, dict(QUIET.rates), {FULLY_CONNECTED_BF16: 600.0}, 2).record()}
    rows = [LimitRow(("scratch",), 4162.0, None), LimitRow(("scratch@bf16",), 4162.0, None, bf16=True)]
    words = _words(limit_table(rows, record, ("implementation",), "same"))
    assert "scratch 31.3 10% — —" in words and "scratch@bf16 31.3 5% — —" in words  # 31.3 of 303.4, of 600
    assert "rows in bf16: against the fastest bfloat16 GEMM, 600.0 GFLOP/s" in words
    unmeasured = _words(limit_table(rows, {**OLD_RECORD, **QUIET.record()}, ("implementation",), "same"))
    assert "scratch@bf16 31.3 10%" in unmeasured and "no bfloat16 GEMM was measured" in unmeasured
    assert "rows in bf16" not in _words(limit_table(rows[:1], record, ("implementation",), "same"))


def test_an_nd_dot_close_to_the_limit_is_not_called_slow():
    close = GemmRates(1024, {DOT: 290.0, FULLY_CONNECTED: 303.4})
    words = _words(limit_table([LimitRow(("scratch",), 1000.0, 1000.0)], {**OLD_RECORD, **close.record()},
                               ("implementation",), "same"))
    assert "the limit: FullyConnected (oneDNN)" in words and "pays for its BLAS" not in words


def test_saved_results_from_before_load_show_and_diff_with_nd_dot_as_their_limit(tmp_path):
    """A results file written when nd.dot's rate was the only one (its arithmetic as OLD_RECORD: the bench files
    in docs/ still are) loads, shows nd.dot as its limit, diffs against a file of this release and plots."""
    import compare
    from compare.cli import main

    document = json.loads((DOCS / "default_run.json").read_text())
    old, newer = tmp_path / "old.json", tmp_path / "newer.json"
    document["environment"]["arithmetic"] = dict(OLD_RECORD)
    old.write_text(json.dumps(document))
    document["environment"]["arithmetic"] = {key: value for key, value in {**OLD_RECORD, **QUIET.record()}.items()
                                             if key not in ("dot_gflops", "dot_size")}
    newer.write_text(json.dumps(document))
    assert "the limit: nd.dot at 45.0 GFLOP/s on 1024² float32" in " ".join(str(compare.load(old)).split())
    assert "the limit: nd.dot at" in " ".join(str(compare.load(DOCS / "bench_two_contexts.json")).split())
    output = io.StringIO()
    assert main(["diff", str(old), str(newer)], console=Console(file=output, width=80)) == 0
    assert "Same recipe and environment in both files." in output.getvalue()
    assert "the limit: FullyConnected (oneDNN)" in " ".join(str(compare.load(newer)).split())
    assert main(["plot", str(old), "--out", str(tmp_path / "plots")], console=Console(file=io.StringIO())) == 0


def test_a_real_measurement_names_every_gemm_and_takes_the_fastest_as_the_limit():
    """Structure only, on tiny matrices: every rate positive, the limit their maximum, numpy held to MXNet's
    OpenMP threads. No speed is asserted."""
    from compare.measuring.machine_limit import measure_gemms
    from compare.measuring.threads import openmp_threads
    from implementations.mxnet_compat import mx

    gemms = measure_gemms(mx.cpu(), size=64)
    assert {DOT, NUMPY_MATMUL} <= set(gemms.rates) and any(name.startswith("FullyConnected") for name in gemms.rates)
    assert all(rate > 0 for rate in [*gemms.rates.values(), *gemms.lower_precision.values()])
    assert gemms.size == 64 and gemms.limit_gflops == max(gemms.rates.values())
    assert gemms.numpy_threads == openmp_threads()


def test_mxnets_own_log_line_during_a_probe_is_held_back_and_stderr_restored_after(capfd):
    import os

    from compare.measuring.native_stderr import native_stderr_held

    with native_stderr_held():
        os.write(2, b"[08:18:40] mkldnn_fully_connected.cc:71: could not create a primitive descriptor iterator\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"
