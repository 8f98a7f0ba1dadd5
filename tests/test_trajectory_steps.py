"""A trajectory (weights, the rule's state, moving averages) judged after every step, not only after the last: where
training amplifies float32's rounding over ten steps (AdaGrad dividing by the root of a near-zero sum, on LeNet),
the reference's own noise after the last step can outgrow a mistake's whole effect, while after the first step it
is still rounding. A row is judged where it first fails, and says after which step."""
import numpy as np
from learner_update_rules import ChapterAdagrad

import compare
from compare.checking.compared import Measured, compare_all
from compare.checking.probe import after_step
from compare.loading import Implementation
from compare.reporting.check_tables import where_it_differs
from implementations.lenet.scratch import ScratchLeNet
from implementations.mxnet_compat import mx

nd = mx.nd


def _reference() -> Measured:
    """A weight moved over three steps whose float32 run is 1e-7 from float64 after the first step and 1e-2 after
    the last (rounding amplified over the steps)."""
    float64 = {f"{after_step(0)} w": np.full(4, 1.0), f"{after_step(1)} w": np.full(4, 2.0),
               f"{after_step(2)} w": np.full(4, 3.0), "weights w": np.full(4, 3.0)}
    float32 = {f"{after_step(0)} w": np.full(4, 1.0 + 1e-7), f"{after_step(1)} w": np.full(4, 2.0 + 1e-4),
               f"{after_step(2)} w": np.full(4, 3.0 + 1e-2), "weights w": np.full(4, 3.0 + 1e-2)}
    noise = {quantity: float(np.abs(float32[quantity] - float64[quantity]).max()) for quantity in float64}
    return Measured({k: v.astype(np.float32) for k, v in float32.items()}, float64, noise)


def _row(values: dict[str, np.ndarray]):
    implementation = Implementation("mine", lambda spec, devices: None, "test")
    (row,) = compare_all(implementation, {k: v.astype(np.float32) for k, v in values.items()}, _reference())
    return row


def test_a_weight_off_after_the_first_step_fails_there_though_within_the_noise_after_the_last():
    off_early = {f"{after_step(0)} w": np.full(4, 1.001), f"{after_step(1)} w": np.full(4, 2.001),
                 f"{after_step(2)} w": np.full(4, 3.001), "weights w": np.full(4, 3.001)}
    row = _row(off_early)
    assert row.failed and row.at_step == 1
    assert row.allowed < 1e-5  # held to the noise after the first step (16 x 1e-7 or the ulps floor), not 1.6e-1
    assert "after step 1 of 3" in where_it_differs([row], 3)


def test_a_weight_within_the_noise_at_every_step_passes_as_the_final_row():
    within = {f"{after_step(0)} w": np.full(4, 1.0), f"{after_step(1)} w": np.full(4, 2.0),
              f"{after_step(2)} w": np.full(4, 3.05), "weights w": np.full(4, 3.05)}
    row = _row(within)
    assert row.passed and row.at_step == 0 and row.allowed > 0.1  # the last step's own allowance


class AdagradSquaresAveragedOverRows(ChapterAdagrad, ScratchLeNet):
    """adagrad-scratch with `s += nd.square(g).mean(axis=0)` (broadcast back) on the built-in hand-written LeNet."""

    state_names = ("square_sum",)

    def update(self, p, g, state, lr):
        (s,) = state
        s[:] = s + g.square().mean(axis=0)  # "averaged over the batch", though a gradient has no batch axis
        p[:] -= lr * g / (s + self.hyper["epsilon"]).sqrt()


def test_a_learners_adagrad_mistake_hidden_by_ten_steps_of_rounding_fails_at_its_first_step():
    """On seed 0, LeNet under AdaGrad amplifies rounding so much that after ten steps every weight and state row of
    this mistake sits within the reference's own noise; after the first step it does not. The chapter's own AdaGrad
    on the same model passes (no false alarm from the tighter steps)."""

    class ChapterAdagradLeNet(ChapterAdagrad, ScratchLeNet):
        pass

    verdict = compare.check(model="lenet", implementations={"mine": AdagradSquaresAveragedOverRows,
                                                            "chapter": ChapterAdagradLeNet}, optimizer="adagrad", seed=0)
    found = {difference.implementation: difference for difference in verdict.differences()}
    assert "chapter" not in found, found.get("chapter")
    rows = [row for row in verdict.data.for_implementation("mine") if row.failed]
    assert rows and all(row.at_step >= 1 for row in rows if row.quantity.split()[0] in ("weights", "optimizer"))
    assert "mean over axis 0" in found["mine"].explanation and "after step 1 of 10" in found["mine"].explanation
