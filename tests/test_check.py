"""`compare check`: the equivalence report passes on synthetic and real data and fails on a real difference."""
import io

import numpy as np
import pytest
from rich.console import Console

from compare.checking.compared import compare_arrays
from compare.checking.equivalence import run_check
from compare.checking.probe import CheckJob, Probe, step_sizes
from compare.cli import main
from compare.data.batches import synthetic_batch
from compare.devices.topology import Topology
from compare.loading import resolve_entry
from compare.results.measures import Tolerance
from compare.training.steps import loss_function
from implementations.lenet.spec import LeNetSpec
from implementations.mxnet_compat import mx


def _check(argv: list[str]) -> tuple[int, str]:
    output = io.StringIO()
    return main(["check", *argv], console=Console(file=output, width=140, color_system=None)), output.getvalue()


def test_compare_arrays_reports_max_differences_and_verdict():
    expected = np.array([1.0, -2.0, 4.0], dtype=np.float32)
    row = compare_arrays("x", "q", expected + np.array([0, 0, 4e-3], dtype=np.float32), expected,
                         Tolerance(rtol=1e-3, atol=0))
    assert row.max_abs == pytest.approx(4e-3, rel=1e-3) and row.max_rel == pytest.approx(1e-3, rel=1e-3)
    assert row.passed is False
    assert compare_arrays("x", "q", expected, expected, Tolerance(0, 0)).passed is True
    assert compare_arrays("x", "q", expected[:2], expected, Tolerance(1, 1)).passed is False


def test_step_sizes_alternate_full_and_two_thirds():
    assert step_sizes(64, 4) == [64, 43, 64, 43]


COMPARISONS_PER_IMPLEMENTATION = 2 + 1 + 10 + 8 + 8  # logits, loss, loss at large logits, 10 layers, gradients, weights


def test_check_passes_on_synthetic_data_for_every_pair():
    code, text = _check(["--synthetic", "--steps", "4", "--batch-size", "16"])
    total = 3 * COMPARISONS_PER_IMPLEMENTATION  # gluon, gluon-hybrid and tutorial against scratch
    assert code == 0
    assert f"{total} of {total} comparisons within float32's noise" in text and "FAIL" not in text


def test_check_fails_with_exit_1_when_an_implementation_differs():
    code, text = _check(["--synthetic", "--steps", "2", "--batch-size", "16",
                         "--impl", "half=outside_implementations:HalfStepScratch"])
    assert code == 1 and "FAIL" in text
    lines = [line for line in text.splitlines() if "FAIL" in line]
    assert all("weights" in line for line in lines)  # logits, loss, layers and gradients still agree


def test_check_rows_cover_logits_loss_every_layer_and_every_parameter():
    images, labels = synthetic_batch(8, mx.cpu())
    implementations = [resolve_entry("scratch"), resolve_entry("gluon")]
    probe = Probe(images, labels, steps=1, learning_rate=0.2, loss=loss_function(10))
    result = run_check(CheckJob(implementations, resolve_entry("scratch"), LeNetSpec(), 0, probe,
                                Topology((mx.cpu(),))))
    quantities = [row.quantity for row in result.comparisons]
    assert quantities[:3] == ["logits", "loss", "loss at large logits"]
    assert quantities[3:13] == [f"layer {name}" for name in LeNetSpec().layer_order]
    assert sum(q.startswith("gradient ") for q in quantities) == 8 and sum(q.startswith("weights ") for q in quantities) == 8


@pytest.mark.slow
def test_gluon_is_bit_identical_to_scratch_on_real_fashion_mnist():
    code, text = _check(["--data-dir", "/usr/share/datasets/fashion-mnist", "--impl", "gluon,gluon-hybrid"])
    total = 2 * COMPARISONS_PER_IMPLEMENTATION
    assert code == 0 and f"{total} of {total} comparisons within float32's noise; {total} of {total} bit-identical" in text


def test_the_tutorial_formulation_agrees_within_tolerance_on_noise():
    code, text = _check(["--synthetic", "--impl", "tutorial"])
    total = COMPARISONS_PER_IMPLEMENTATION
    assert code == 0 and f"{total} of {total} comparisons within float32's noise" in text
    assert f"{total} of {total} bit-identical" not in text  # nd.dot and its update round differently


@pytest.mark.slow
def test_the_tutorial_relu_differs_in_its_bias_gradients_on_real_fashion_mnist():
    """Black backgrounds make conv outputs exactly 0, where the tutorial's maximum(x, 0) passes the gradient."""
    code, text = _check(["--data-dir", "/usr/share/datasets/fashion-mnist", "--impl", "tutorial"])
    rows = [line for line in text.splitlines() if "│" in line and ("known" in line or "FAIL" in line)]
    assert code == 0 and rows and all("known" in row for row in rows)  # explained, not failed
    assert all(row.split("│")[1].strip().startswith(("gradient", "weights")) for row in rows)  # every layer agrees
    assert any(row.split("│")[1].strip() == "gradient conv1.bias" for row in rows)


def test_check_with_missing_data_is_exit_3(tmp_path, capsys):
    assert _check(["--data-dir", str(tmp_path)])[0] == 3
    assert "missing train-images-idx3-ubyte" in capsys.readouterr().err


@pytest.mark.parametrize("mutant, where", [
    ("AveragePoolScratch", "first difference: pool1 (max |Δ|"),
    ("MissingReluScratch", "first difference: relu2 (max |Δ|"),
    ("ReshapedDenseScratch", "first difference: fc1 (max |Δ|"),
    ("UndividedGradientScratch", "first weights difference after 2 steps: conv1.weight"),
])
def test_check_finds_and_locates_a_deliberate_mistake(mutant, where):
    code, text = _check(["--synthetic", "--steps", "2", "--batch-size", "16",
                         "--impl", f"mine=outside_implementations:{mutant}"])
    assert code == 1
    verdict = " ".join(text.split()).split("mine: ", 1)[1]  # the verdict line, however it wraps
    assert where in verdict, verdict


def test_a_located_layer_names_the_layer_before_it_that_agrees():
    code, text = _check(["--synthetic", "--steps", "1", "--batch-size", "16",
                         "--impl", "mine=outside_implementations:AveragePoolScratch"])
    verdict = " ".join(text.split()).split("mine: ", 1)[1]
    assert "first difference: pool1" in verdict and "relu1 agrees" in verdict
    assert "first gradient difference: conv1.weight" in verdict  # everything upstream of pool1 is affected


def test_a_mistake_only_in_the_update_leaves_layers_and_gradients_agreeing():
    code, text = _check(["--synthetic", "--steps", "2", "--batch-size", "16",
                         "--impl", "mine=outside_implementations:UndividedGradientScratch"])
    failing = [line.split("│")[1].strip() for line in text.splitlines() if "FAIL" in line]
    assert failing and all(quantity.startswith("weights ") for quantity in failing)


def test_layers_only_one_side_has_are_listed_not_an_error():
    code, text = _check(["--synthetic", "--steps", "1", "--batch-size", "8",
                         "--impl", "mine=outside_implementations:ExtraLayerScratch"])
    assert code == 0
    assert "mine: layers only one side has (not compared): softmax" in text


def test_an_implementation_that_raises_is_one_failed_line_and_the_others_are_still_checked(capsys):
    code, text = _check(["--synthetic", "--steps", "3", "--batch-size", "16",
                         "--impl", "gluon,mine=outside_implementations:FailsAtThirdStep"])
    assert code == 1 and "Traceback" not in text + capsys.readouterr().err
    assert "mine: failed (RuntimeError: my update broke on step 3)" in text
    assert "gluon against scratch" in " ".join(text.split()) and "check failed: mine differs from scratch" in text


@pytest.mark.parametrize("attr, verdict", [
    ("GradientsReturnNone", "mine: failed (ProtocolViolation: gradients() returned NoneType, expected a dict"),
    ("NoGradients", "first gradient difference: conv1.weight (missing)"),
    ("FailsAboveTwoImages", "mine: failed (RuntimeError: my kernel takes at most 2 images)"),
    ("FiveClassesBeyondTwoImages", "mine: failed (ProtocolViolation: forward gave logits of shape (16, 5)"),
])
def test_a_quantity_the_implementation_cannot_give_fails_the_check(attr, verdict):
    code, text = _check(["--synthetic", "--steps", "1", "--batch-size", "16", "--impl",
                         f"mine=outside_implementations:{attr}"])
    assert code == 1 and verdict in " ".join(text.split()), text


def test_a_check_with_no_differences_says_what_it_proved():
    code, text = _check(["--synthetic", "--steps", "2", "--batch-size", "16", "--impl", "gluon,gluon-hybrid"])
    assert code == 0
    assert "check passed: gluon, gluon-hybrid bit-identical to scratch" in " ".join(text.split())


@pytest.mark.slow
def test_a_bare_check_passes_and_explains_the_tutorials_known_difference():
    """The first thing a newcomer runs: real data, every built-in."""
    code, text = _check([])
    words = " ".join(text.split())
    assert code == 0, text
    assert "tutorial: known difference in gradient and weights, not a failure: its ReLU is maximum(x, 0)" in words
    assert "check passed: gluon, gluon-hybrid bit-identical to scratch; tutorial differs only as known" in words
    assert "FAIL" not in text and "known" in text


@pytest.mark.slow
def test_a_users_implementation_with_the_chapters_relu_passes_with_the_difference_named():
    """maximum(x, 0) is the chapter's own choice (its gradient at exactly 0 is 1): recognised from what the code
    computes — it matches the chapter's formulation within float32's noise — not from its name."""
    code, text = _check(["--impl", "mine=outside_implementations:MaximumReluScratch"])
    verdict = next(line for line in text.splitlines() if line.startswith("mine: "))
    assert code == 0, text
    assert verdict.startswith("mine: known difference in gradient") and "computes what the chapter's own" in verdict


def test_a_known_difference_that_shows_nowhere_is_said_within_the_noise_not_in_nothing():
    from compare.reporting.check_tables import check_verdict_lines
    from compare.results.measures import CheckData, QuantityComparison, Tolerance

    row = QuantityComparison("gluon", "weights fc1.weight", 1e-7, 1e-7, Tolerance(1e-6, 0.0), True)
    check = CheckData(steps=10, comparisons=[row], unmatched_layers={}, failures={},
                      explanations={"gluon": "MXNet's Adam folds the bias correction into the rate"})
    words = "\n".join(check_verdict_lines(check))
    assert "gluon: a known difference, within float32's noise on this check: MXNet's Adam" in words
    assert "known difference in nothing" not in words
