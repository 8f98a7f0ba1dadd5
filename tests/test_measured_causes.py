"""check's measured causes on arrays and update steps built by hand, from formulas written here (not by the code
under test): the closest-fitting activation wins over one that merely fits, a pooling that misses part of its
window or sums it, a batch norm's divisor and statistics, the statistic a moving variance averages, and an update
rule's terms — decay rates fitted to the state it reports, two hyperparameters swapped, weight decay's sign, and
Adam's step count advanced per parameter."""
import numpy as np
import pytest

from compare.checking.activation_relations import activation_relation
from compare.checking.batch_norm_relations import Normalization, batch_norm_relation
from compare.checking.batch_norm_statistics import batch_statistics
from compare.checking.dropout_statistics import mask_pattern
from compare.checking.fits import best_fit
from compare.checking.layer_relations import Window
from compare.checking.loss_forms import classification_losses
from compare.checking.pool_sources import window_positions_relation
from compare.checking.relations import Numbers, relation
from compare.checking.update_mistakes import recognise, recognise_any
from compare.checking.update_replay import Steps, state_factors
from implementations.optimizers import Optimizer

GIVEN = np.random.default_rng(11).normal(size=(4, 3, 8, 8))  # (N, C, H, W): a layer's input


def test_tanh_of_a_small_input_is_read_as_tanh_not_as_no_activation():
    small = 0.05 * GIVEN  # tanh(x) = x - x^3/3: within a hundredth of x itself
    words = activation_relation("relu1", np.tanh(small), np.maximum(small, 0), small)
    assert "tanh" in words and "no activation" not in words.split(", where")[0]


def _corners(x: np.ndarray) -> list[np.ndarray]:
    return [x[:, :, 0::2, 0::2], x[:, :, 0::2, 1::2], x[:, :, 1::2, 0::2], x[:, :, 1::2, 1::2]]


def test_a_pooling_that_misses_a_corner_of_its_window_is_named():
    three = np.max(np.stack(_corners(GIVEN)[:3]), axis=0)  # the bottom-right pixel of each 2x2 window left out
    words = window_positions_relation("pool1", three, GIVEN, 2)
    assert "3 of the 4 positions" in words and "leaving out (1, 1)" in words


def test_a_pooling_that_sums_its_window_is_named():
    words = window_positions_relation("pool2", np.sum(np.stack(_corners(GIVEN)), axis=0), GIVEN, 2)
    assert "sums each 2x2 window" in words


def _norm() -> Normalization:
    rng = np.random.default_rng(12)
    return Normalization(gamma=rng.uniform(0.5, 1.5, 3), beta=rng.normal(size=3), moving_mean=np.zeros(3),
                         moving_var=np.zeros(3), epsilon=1e-5, momentum=0.9)


def _batch_norm(x: np.ndarray, norm: Normalization, divide) -> np.ndarray:
    mean, var = x.mean(axis=(0, 2, 3), keepdims=True), x.var(axis=(0, 2, 3), keepdims=True)
    return norm.gamma.reshape(1, -1, 1, 1) * (x - mean) / divide(var) + norm.beta.reshape(1, -1, 1, 1)


def test_a_batch_norm_without_its_square_root_is_named():
    norm = _norm()
    reference = _batch_norm(GIVEN, norm, lambda var: np.sqrt(var + 1e-5))
    mine = _batch_norm(GIVEN, norm, lambda var: var + 1e-5)
    words = batch_norm_relation("bn1", mine, reference, GIVEN, norm)
    assert "divides by var + eps, without the square root" in words and "sqrt(var + eps)" in words


def test_the_statistic_a_moving_variance_averages_is_named_first_by_the_simplest_that_fits():
    """The root of var + eps fits the standard deviation too where var >> eps: the simpler one is named first."""
    statistics = batch_statistics(GIVEN, 1e-5)
    std = np.sqrt(GIVEN.var(axis=(0, 2, 3)))
    named = [words for words, value in statistics.items() if np.allclose(value, std, rtol=1e-3)]
    assert named[0] == "the batch standard deviation (the root of the variance)"
    assert "the batch variance" in statistics and np.allclose(statistics["the batch variance"], std**2)


# ---- update rules: steps written here with numpy, one parameter pair, three steps ----------------------------

def _steps(optimizer: Optimizer, update, learning_rate: float = 0.01, batch: int = 4) -> Steps:
    """Three steps of `update(name, w, g, state, t)` -> new w (state: a dict it keeps per parameter), on two
    parameters; gradients summed over the batch (the rule divides by it)."""
    rng = np.random.default_rng(13)  # each test its own draws, whatever ran before it
    weights = {"fc1.weight": rng.normal(size=(5, 3)), "fc1.bias": rng.normal(size=5)}
    states: dict = {name: {} for name in weights}
    before, after, gradients, reported = [], [], [], []
    for index in range(3):
        grads = {name: rng.normal(size=w.shape) for name, w in weights.items()}
        new = {name: update(name, w, grads[name] / batch, states[name], index) for name, w in weights.items()}
        before.append(weights)
        after.append(new)
        gradients.append(grads)
        reported.append({f"{name}:{key}": value.copy() for name in weights for key, value in states[name].items()})
        weights = new
    return Steps(before, after, gradients, [batch] * 3, optimizer, learning_rate, reported)


def _rmsprop(gamma: float, lr: float = 0.01, eps: float = 1e-6):
    def update(name, w, g, state, index):
        state["square_average"] = gamma * state.get("square_average", 0) + (1 - gamma) * g * g
        return w - lr * g / np.sqrt(state["square_average"] + eps)
    return update


def _adam(beta1: float, beta2: float, count, lr: float = 0.01, eps: float = 1e-8, sign: float = -1.0):
    def update(name, w, g, state, index):
        t = count(name, index)
        state["first_moment"] = beta1 * state.get("first_moment", 0) + (1 - beta1) * g
        state["second_moment"] = beta2 * state.get("second_moment", 0) + (1 - beta2) * g * g
        v_hat, s_hat = state["first_moment"] / (1 + sign * beta1**t), state["second_moment"] / (1 + sign * beta2**t)
        return w - lr * v_hat / (np.sqrt(s_hat) + eps)
    return update


def _adadelta(fresh: bool, rho: float = 0.9, eps: float = 1e-5):
    """The chapter's adadelta, or with the change recomputed from delta after its update (`fresh`)."""
    def update(name, w, g, state, index):
        state["square_average"] = rho * state.get("square_average", 0) + (1 - rho) * g * g
        delta = state.get("delta_average", 0)
        change = np.sqrt(delta + eps) / np.sqrt(state["square_average"] + eps) * g
        state["delta_average"] = rho * delta + (1 - rho) * change * change
        if fresh:  # the change written inline after delta moved
            change = np.sqrt(state["delta_average"] + eps) / np.sqrt(state["square_average"] + eps) * g
        return w - change
    return update


def test_an_adadelta_change_taken_after_delta_moved_is_named_and_the_chapters_is_not():
    optimizer = Optimizer("adadelta", (("rho", 0.9), ("epsilon", 1e-5)))
    assert recognise(_steps(optimizer, _adadelta(False), learning_rate=1.0, batch=1)).name == "chapter"
    variant = recognise(_steps(optimizer, _adadelta(True), learning_rate=1.0, batch=1))
    assert variant.name == "fresh-delta" and "delta_average after this step's update" in variant.cause


def test_the_chapters_rmsprop_is_recognised_as_the_chapters():
    optimizer = Optimizer("rmsprop", (("gamma", 0.9), ("epsilon", 1e-6)))
    assert recognise(_steps(optimizer, _rmsprop(0.9))).name == "chapter"


def test_a_decay_rate_written_by_hand_is_fitted_from_the_state_and_named():
    optimizer = Optimizer("rmsprop", (("gamma", 0.99), ("epsilon", 1e-6)))
    variant = recognise(_steps(optimizer, _rmsprop(0.9)))
    assert variant.name == "fitted" and "gamma = 0.9 where the rule's gamma is 0.99" in variant.cause
    assert "by hand" in variant.cause and "twice" not in variant.cause
    near_one = Optimizer("rmsprop", (("gamma", 0.99), ("epsilon", 1e-6)))  # 0.98 is within 1e-3 of 0.99^2 = 0.9801,
    assert "twice" not in recognise(_steps(near_one, _rmsprop(0.98))).cause  # not of its complement (0.0199)
    twice = Optimizer("rmsprop", (("gamma", 0.9), ("epsilon", 1e-6)))  # the line run twice: 0.81 * s + 0.19 * g^2
    variant = recognise(_steps(twice, _rmsprop(0.81)))
    assert "gamma = 0.81" in variant.cause and "gamma squared: the average's line run twice" in variant.cause


def test_adams_betas_swapped_are_named():
    optimizer = Optimizer("adam", (("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)))
    variant = recognise(_steps(optimizer, _adam(0.999, 0.9, lambda name, index: index + 1)))
    assert "beta1 and beta2 are swapped" in variant.cause


def test_adams_bias_correction_with_its_sign_flipped_is_named():
    optimizer = Optimizer("adam", (("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)))
    variant = recognise(_steps(optimizer, _adam(0.9, 0.999, lambda name, index: index + 1, sign=1.0)))
    assert variant.name == "correction-plus" and "1 + beta^t" in variant.cause


def test_adams_step_count_advanced_per_parameter_is_named():
    optimizer = Optimizer("adam", (("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)))
    order = {"fc1.weight": 0, "fc1.bias": 1}
    variant = recognise(_steps(optimizer, _adam(0.9, 0.999, lambda name, index: 2 * index + order[name] + 1)))
    assert variant.name == "count-per-parameter" and "once per parameter" in variant.cause


@pytest.mark.parametrize("sign, name", [(-1.0, "decay-sign"), (2.0, "decay-doubled")])
def test_weight_decay_with_its_sign_flipped_or_doubled_is_named(sign, name):
    optimizer = Optimizer("sgd", weight_decay=0.5)

    def update(parameter, w, g, state, index):
        decay = sign * 0.5 * w if parameter.endswith(".weight") else 0.0
        return w - 0.01 * (g + decay)
    assert recognise(_steps(optimizer, update)).name == name


def test_a_velocity_kept_negated_is_the_chapters_rule_with_its_own_bookkeeping():
    """v = m * v - lr * g; w += v: every weight moves as the chapter's momentum moves it."""
    optimizer = Optimizer("momentum", (("momentum", 0.9),))

    def update(name, w, g, state, index):
        state["momentum"] = 0.9 * state.get("momentum", 0) - 0.01 * g
        return w + state["momentum"]
    steps = _steps(optimizer, update)
    assert recognise(steps).name == "chapter"
    assert state_factors(steps) == pytest.approx({"momentum": -1.0})


def _dropout_passes(mask_of, draws: int = 3, keep: float = 0.5):
    """(input, output) pairs of a dropout layer over `draws` passes: inputs with ReLU's zeros, masks from
    `mask_of(draw)` (an (N, units) boolean array), kept values scaled by 1 / keep."""
    pairs, rng = [], np.random.default_rng(14)
    for draw in range(draws):
        given = np.maximum(rng.normal(size=(64, 32)), 0)
        pairs.append((given, given * mask_of(draw, rng) / keep))
    return pairs


@pytest.mark.parametrize("mask_of, words", [
    (lambda draw, rng: rng.uniform(size=(64, 32)) < 0.5, ""),
    (lambda draw, rng: np.broadcast_to(rng.uniform(size=(1, 32)) < 0.5, (64, 32)), "one mask for the whole batch"),
    (lambda draw, rng: np.broadcast_to(rng.uniform(size=(64, 1)) < 0.5, (64, 32)), "each example whole"),
    (lambda draw, rng: np.random.default_rng(3).uniform(size=(64, 32)) < 0.5, "the same mask at every pass"),
    (lambda draw, rng: rng.uniform(size=(64, 32)) < 0.02, ""),  # keeps 2% where 1/2 is due: its masks agree on
])  # ~96% by chance alone (both dropped), not because they are shared
def test_dropout_masks_shared_across_examples_units_or_passes_are_named(mask_of, words):
    found = mask_pattern("dropout1", _dropout_passes(mask_of), 0.5)
    assert (words in found) if words else found == ""


def test_an_affine_map_of_the_reference_is_said_as_a_normalization():
    reference = np.random.default_rng(15).uniform(size=(16, 784))
    words = relation((reference - 0.1307) / 0.3081, reference, Numbers())
    assert "(x - 0.1307) / 0.3081" in words and "normalization" in words


def test_values_reversed_about_a_constant_are_said_as_c_minus_x():
    reference = np.random.default_rng(16).uniform(size=(16, 784))
    words = relation(1 - reference, reference, Numbers())
    assert "1 minus the reference's (1 - x)" in words and "reversed" in words and "normalization" not in words


def test_a_share_kept_twice_over_and_a_factor_squared_are_named():
    from compare.checking.dropout_statistics import _kept_cause

    assert "dropout is applied twice" in _kept_cause("dropout1", 0.641, (0.2, ""), {"dropout1": 0.2})
    assert "applied twice" not in _kept_cause("dropout1", 0.5, (0.2, ""), {"dropout1": 0.2})  # neither: not named
    rates = {"dropout1": 0.2, "dropout2": 0.5}  # a late-binding closure: both layers take the last rate
    assert "uses dropout2's drop probability (0.5)" in _kept_cause("dropout1", 0.498, (0.2, ""), rates)
    assert Numbers((("the batch size (64)", 64.0),)).name_of(4096.0) == "the batch size squared (64^2)"


def test_a_batch_norm_with_gamma_and_beta_swapped_or_another_epsilon_is_named():
    norm = _norm()
    reference = _batch_norm(GIVEN, norm, lambda var: np.sqrt(var + 1e-5))
    swapped = Normalization(norm.beta, norm.gamma, norm.moving_mean, norm.moving_var, norm.epsilon, norm.momentum)
    mine = _batch_norm(GIVEN, swapped, lambda var: np.sqrt(var + 1e-5))
    assert "gamma and beta swapped" in batch_norm_relation("bn1", mine, reference, GIVEN, norm)
    small = 0.01 * GIVEN  # a variance near epsilon: 1e-3 against 1e-5 shows
    reference = _batch_norm(small, norm, lambda var: np.sqrt(var + 1e-5))
    mine = _batch_norm(small, norm, lambda var: np.sqrt(var + 1e-3))
    assert "adds epsilon = 0.001" in batch_norm_relation("bn1", mine, reference, small, norm)


def _per_class(logits: np.ndarray) -> np.ndarray:
    top = logits.max(axis=1, keepdims=True)
    return np.log(np.exp(logits - top).sum(axis=1, keepdims=True)) + top - logits  # -log softmax, (N, classes)


@pytest.mark.parametrize("loss_of, words", [
    (lambda z, y: -z[np.arange(len(y)), y], "normalization (the log-sum-exp over the classes) is left out"),
    (lambda z, y: ((np.exp(-_per_class(z)) - np.eye(10)[y]) ** 2).sum(axis=1), "squared error between the softmax"),
])
def test_a_loss_that_is_not_the_cross_entropy_is_named_by_what_it_computes(loss_of, words):
    rng = np.random.default_rng(16)
    logits, labels = rng.normal(size=(32, 10)), rng.integers(0, 10, 32)
    found = best_fit(loss_of(logits, labels), classification_losses(logits, labels, _per_class(logits)), 1.0)
    assert words in found


def test_a_1x1_window_with_stride_2_is_called_a_strided_slice():
    assert "strided slice" in Window("max", 1, 2, 0).words()


def test_adagrad_dividing_by_the_sum_before_this_steps_square_is_named():
    optimizer = Optimizer("adagrad", (("epsilon", 1e-6),))

    def update(name, w, g, state, index):
        previous = state.get("square_sum", np.zeros_like(w))
        state["square_sum"] = previous + g * g
        return w - 0.01 * g / np.sqrt(previous + 1e-6)  # the previous step's sum: zero at the first
    variant = recognise(_steps(optimizer, update))
    assert variant.name == "stale" and "before this step's g * g is added" in variant.cause


def test_an_l1_penalty_in_place_of_weight_decay_is_named():
    optimizer = Optimizer("sgd", weight_decay=0.5)

    def update(parameter, w, g, state, index):
        return w - 0.01 * (g + (0.5 * np.sign(w) if parameter.endswith(".weight") else 0.0))
    assert recognise(_steps(optimizer, update)).name == "decay-l1"


def test_weight_decay_written_into_the_loss_is_the_chapters_rule_not_decay_left_out():
    """reg-scratch's way: the loss carries lambda / 2 * ||w||^2, so the recorded gradient holds batch * lambda * w
    and the update adds nothing; on the raw steps that also replays as "weight decay left out"."""
    optimizer = Optimizer("sgd", weight_decay=0.5)
    batch = 4

    def update(parameter, w, g, state, index):  # g: the loss's gradient without the penalty, per example
        return w - 0.01 * (g + (0.5 * w if parameter.endswith(".weight") else 0.0))
    steps = _steps(optimizer, update, batch=batch)  # then the gradients recorded as the penalised loss gives them:
    penalised = [{name: g + batch * 0.5 * before[name] if name.endswith(".weight") else g
                  for name, g in grads.items()} for grads, before in zip(steps.gradients, steps.before)]
    in_loss = Steps(steps.before, steps.after, penalised, steps.batch_sizes, optimizer, steps.learning_rate)
    assert recognise_any(in_loss).name == "chapter"


def test_a_difference_that_is_not_epsilon_is_not_named_epsilon():
    norm = _norm()
    reference = _batch_norm(GIVEN, norm, lambda var: np.sqrt(var + 1e-5))
    one_channel_off = reference.copy()
    one_channel_off[:, 1] = 1.3 * (reference[:, 1] - norm.beta[1]) + norm.beta[1]  # a scale slip, one channel
    assert "epsilon" not in batch_norm_relation("bn1", one_channel_off, reference, GIVEN, norm)


def test_a_state_at_an_unnamed_factor_is_not_bookkeeping():
    """A first moment at 2x the rule's (a wrong beta1 on a step whose weights hide it) is no correct bookkeeping."""
    optimizer = Optimizer("momentum", (("momentum", 0.9),))

    def update(name, w, g, state, index):
        state["momentum"] = 0.9 * state.get("momentum", 0) + 0.01 * g
        new = w - state["momentum"]
        state["momentum"] = 2 * state["momentum"]  # reported at 2x, the weights as the chapter's
        return new
    assert recognise(_steps(optimizer, update)) is None or recognise(_steps(optimizer, update)).name != "chapter"


# ---- relations added after the fourth held-out corpus's first run (tuned: see docs/check.md) -----------------------

def test_arrays_that_agree_have_no_relation_not_tanh_of_each_other():
    """Equal up to rounding: tanh of small values (or a 0 offset) would 'fit', and would be a wrong cause."""
    steps = 1e-3 * GIVEN
    assert relation(steps * (1 + 1e-9), steps, Numbers()) == ""


def test_a_softmax_written_as_the_hidden_activation_is_named_not_read_as_a_clip():
    hidden = GIVEN.reshape(4, -1)  # (N, features)
    shifted = np.exp(hidden - hidden.max(axis=1, keepdims=True))
    words = activation_relation("relu1", shifted / shifted.sum(axis=1, keepdims=True), np.maximum(hidden, 0), hidden)
    assert "softmax" in words and "clips" not in words


def test_smoothed_labels_are_read_off_the_per_example_loss():
    from compare.checking.loss_gradients import target_weights_relation

    rng = np.random.default_rng(13)
    logits, labels = rng.normal(size=(32, 10)), rng.integers(0, 10, 32)
    per_class = np.log(np.exp(logits).sum(axis=1, keepdims=True)) - logits  # -log softmax, (N, classes)
    targets = np.eye(10)[labels] * 0.9 + 0.01  # smoothed one-hot
    smoothed = (targets * per_class).sum(axis=1)
    words = target_weights_relation(smoothed, (logits, per_class, labels),
                                    float(np.abs(smoothed - per_class[range(32), labels]).max()), None)
    assert "soft targets: 0.91 on the label and 0.01 on every other class" in words
    one_hot = per_class[range(32), labels]  # the one-hot loss itself
    assert target_weights_relation(one_hot, (logits, per_class, labels), 1.0, None) == ""


def test_a_squared_loss_with_its_brackets_lost_is_written_out_as_its_terms():
    from compare.checking.loss_relations import _polynomial

    rng = np.random.default_rng(14)
    predictions, targets = rng.normal(size=20), rng.normal(size=20)
    unbracketed = predictions - targets**2 / 2  # yhat - y ** 2 / 2
    words = _polynomial(unbracketed, predictions, targets, float(np.abs(unbracketed).max()))
    assert "the loss is -0.5 y^2 + 1 y_hat per example" in words
    assert _polynomial((predictions - targets) ** 2 / 2, predictions, targets, 1.0) == ""  # the chapter's own


def test_a_moving_average_weight_is_fitted_from_its_first_move():
    from compare.checking.batch_norm_statistics import _fitted_weight

    before, variance = np.ones(6), np.random.default_rng(15).uniform(0.1, 2.0, 6)
    assert _fitted_weight(before, 0.99 * before + 0.01 * variance, variance) == pytest.approx(0.01)
    assert _fitted_weight(before, variance, variance) == pytest.approx(1.0)  # set from the first batch
    assert _fitted_weight(before, np.sqrt(variance), variance) is None  # another statistic: no one weight


def test_a_move_that_carries_the_previous_steps_move_is_named():
    from compare.checking.update_relations import _carried_over

    rng = np.random.default_rng(16)
    previous, wanted = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    assert "previous step's move" in _carried_over(wanted + 1.5 * previous, wanted, previous)
    assert "a velocity kept" in _carried_over(wanted + 0.9 * previous, wanted, previous)
    assert "gradients accumulate" in _carried_over(wanted + previous, wanted, previous)
    assert _carried_over(wanted + rng.normal(size=(5, 4)), wanted, previous) == ""


def test_a_moving_variance_from_zero_moving_twice_over_two_examples_is_named_unbiased_else_both_readings():
    from compare.checking.batch_norm_statistics import _first_move_from_zero

    assert "unbiased" in _first_move_from_zero("bn1", 2.0, 0.9, 2)
    both = _first_move_from_zero("bn1", 3.0, 0.9, 2)
    assert "a momentum of 0.7" in both and "3x the biased one" in both and "same on this move" in both


def test_an_epsilon_that_swamps_a_small_variance_is_fitted_not_read_as_no_divisor():
    norm = _norm()
    small = 0.03 * GIVEN  # a variance far below 0.9: sqrt(var + 0.9) is nearly 1, "divides by nothing" nearly fits
    reference = _batch_norm(small, norm, lambda var: np.sqrt(var + 1e-5))
    mine = _batch_norm(small, norm, lambda var: np.sqrt(var + norm.momentum))
    words = batch_norm_relation("bn1", mine, reference, small, norm)
    assert f"adds epsilon = {norm.momentum:.3g}" in words and "momentum's value" in words, words


def test_one_parameters_first_update_off_is_named_where_the_others_agree_only_to_rounding():
    """fc1.weight moved twice as far; fc1.bias as the reference's but for float32 rounding (another summation
    order): the bias agrees, and the weight's factor is named (a near-1 factor that rounding leaves is no
    reason to stop reading the others)."""
    from compare.checking.evidence import Evidence
    from compare.checking.mistakes import weights_cause
    from compare.checking.probe import after_step
    from implementations.softmax.spec import SoftmaxSpec

    spec = SoftmaxSpec()
    initial = spec.initial_parameters(0)
    rng = np.random.default_rng(3)
    moves = {name: 0.1 * rng.normal(size=value.shape) for name, value in initial.items()}
    reference = {f"{after_step(0)} {name}": (value + moves[name]).astype(np.float32) for name, value in initial.items()}
    values = {f"{after_step(0)} fc1.weight": (initial["fc1.weight"] + 2 * moves["fc1.weight"]).astype(np.float32),
              f"{after_step(0)} fc1.bias": (initial["fc1.bias"] + moves["fc1.bias"] * (1 + 1e-7)).astype(np.float32)}
    evidence = Evidence(values, reference, np.zeros((64, 1, 28, 28), np.float32), spec, 0, lambda: None)
    name, cause = weights_cause(evidence)
    assert name == "fc1.weight" and "fc1.weight's first update is 2x the reference's" in cause




def test_a_root_inverted_and_a_summed_variance_are_named_not_read_as_a_huge_epsilon():
    norm = _norm()
    small = 0.03 * GIVEN  # small variances: a divisor near one number fits sqrt(var + a huge "epsilon")
    reference = _batch_norm(small, norm, lambda var: np.sqrt(var + 1e-5))
    inverted = _batch_norm(small, norm, lambda var: 1 / np.sqrt(var + 1e-5))
    words = batch_norm_relation("bn1", inverted, reference, small, norm)
    assert "multiplies by the root" in words and "adds epsilon" not in words, words
    count = small.size // small.shape[1]
    summed = _batch_norm(small, norm, lambda var: np.sqrt(count * var + 1e-5))
    words = batch_norm_relation("bn1", summed, reference, small, norm)
    assert f"a variance summed over the m = {count} values per channel" in words and "epsilon" not in words, words
