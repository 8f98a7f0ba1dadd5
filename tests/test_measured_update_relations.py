"""Relations measured on an update: a step's scale read as gradient clipping (global or per parameter), a rule's
state after its first step fitted as terms of the gradient against the reference's, and a move that is a plain
gradient step or the reference's with a state replaced by the gradient. On arrays built here, each relation and
a near miss; on learner code, `test_update_rule_verdicts` and the held-out corpora."""
import numpy as np
import pytest

from compare.checking.clipping import clipping_relation, round_threshold
from compare.checking.move_terms import move_terms_relation
from compare.checking.relations import Numbers
from compare.checking.state_terms import fit_terms, state_terms_relation
from compare.checking.term_words import expression
from compare.checking.update_replay import Steps
from implementations.optimizers import Optimizer

GENERATOR = np.random.default_rng(0)
GRADIENTS = {"fc1.weight": GENERATOR.normal(0, 0.3, (8, 6)), "fc1.bias": GENERATOR.normal(0, 0.3, (8,)),
             "fc2.weight": GENERATOR.normal(0, 0.1, (4, 8)), "fc2.bias": GENERATOR.normal(0, 0.1, (4,))}
WEIGHTS = {name: GENERATOR.normal(0, 0.5, value.shape) for name, value in GRADIENTS.items()}


def test_round_thresholds_are_the_numbers_a_person_writes():
    assert all(round_threshold(value) for value in (0.01, 1.0, 5.0, 0.25, 2e-3, 100.0))
    assert not any(round_threshold(value) for value in (0.0281, 0.37, 3.3, 0.0, -1.0, float("nan")))


def test_one_factor_that_brings_the_global_norm_to_a_round_theta_is_clipping_by_the_global_norm():
    total = np.sqrt(sum(float(np.sum(g * g)) for g in GRADIENTS.values()))
    words = clipping_relation({name: 0.01 / total for name in GRADIENTS}, GRADIENTS)
    assert "clipping by the global norm with theta = 0.01" in words and f"{total:.4g}" in words
    assert clipping_relation({name: 0.0123 / total for name in GRADIENTS}, GRADIENTS) == ""  # not a round theta
    assert clipping_relation({name: 1.5 for name in GRADIENTS}, GRADIENTS) == ""  # larger: no clipping


def test_each_parameter_rescaled_to_the_same_norm_is_clipping_per_parameter():
    norms = {name: float(np.linalg.norm(g)) for name, g in GRADIENTS.items()}
    theta = 0.5
    factors = {name: min(1.0, theta / norm) for name, norm in norms.items()}
    assert any(factor == 1.0 for factor in factors.values()) and any(factor < 1 for factor in factors.values())
    words = clipping_relation(factors, GRADIENTS)
    assert "clipping per parameter with theta = 0.5" in words
    factors["fc1.weight"] *= 0.9  # one parameter off: no common theta
    assert clipping_relation(factors, GRADIENTS) == ""


def _steps(optimizer: Optimizer) -> Steps:
    batch = 4
    return Steps([dict(WEIGHTS)], [dict(WEIGHTS)], [{n: g * batch for n, g in GRADIENTS.items()}], [batch], optimizer,
                 0.1)


def _gradient(name: str, optimizer: Optimizer) -> np.ndarray:
    decayed = optimizer.weight_decay * WEIGHTS[name] if optimizer.weight_decay and optimizer.decays(name) else 0
    return GRADIENTS[name] + decayed


def _relation(optimizer: Optimizer, kind: str, mine, theirs) -> str:
    reported = {f"{name}:{kind}": mine(_gradient(name, optimizer), name) for name in GRADIENTS}
    reference = {f"{name}:{kind}": theirs(_gradient(name, optimizer), name) for name in GRADIENTS}
    numbers = Numbers(tuple((key, value) for key, value in optimizer.values.items()))
    return state_terms_relation(f"fc1.weight:{kind}", _steps(optimizer), reported, reference, numbers)


def test_the_smallest_set_of_terms_that_fits_is_found_and_an_ambiguous_one_is_not_named():
    g = GRADIENTS["fc1.weight"].ravel()
    terms = {"g": g, "g^2": g * g, "1": np.ones_like(g), "also 1": np.full_like(g, 2.0)}
    assert fit_terms(1 - 0.9 * g * g, {key: terms[key] for key in ("g", "g^2", "1")}) == pytest.approx(
        {"g^2": -0.9, "1": 1.0})
    assert fit_terms(np.ones_like(g), terms) is None  # "1" and "also 1" fit alike: not told apart
    assert fit_terms(np.sin(g) + 3, {key: terms[key] for key in ("g", "g^2")}) is None
    assert expression({"g^2": -0.9, "1": 1.0}) == "1 - 0.9 * g^2" and expression({"g": -1.0}) == "-g"


def test_a_state_with_its_brackets_left_out_is_said_with_both_fits_and_the_rate_named():
    rmsprop = Optimizer("rmsprop")
    gamma = rmsprop.values["gamma"]
    words = _relation(rmsprop, "square_average", lambda g, n: 1 - gamma * g * g,
                      lambda g, n: (1 - gamma) * g * g)
    assert f"is 1 - {gamma:g} * g^2 where the rule's is {1 - gamma:.4g} * g^2" in words
    assert "the brackets around (1 - gamma) are left out" in words


def test_a_state_summed_over_the_whole_array_is_said_so():
    words = _relation(Optimizer("adagrad"), "square_sum", lambda g, n: np.full_like(g, float(np.sum(g * g))),
                      lambda g, n: g * g)
    assert "is sum(g^2) where the rule's is g^2" in words and "summed over the whole array" in words


def test_a_state_fed_the_gradient_without_weight_decay_is_said_so():
    adam = Optimizer("adam", weight_decay=3.0)
    beta1 = adam.values["beta1"]

    def raw(g, name):  # the learner's moment of the gradient without lambda * w
        return (1 - beta1) * (g - (3.0 * WEIGHTS[name] if adam.decays(name) else 0))

    words = _relation(adam, "first_moment", raw, lambda g, n: (1 - beta1) * g)
    assert "lacks weight decay's lambda * w" in words


def test_a_sum_of_squares_of_the_gradient_without_weight_decay_is_said_so():
    adagrad = Optimizer("adagrad", weight_decay=3.0)

    def undecayed(g, name):  # the learner's square of the loss's gradient alone
        return (g - (3.0 * WEIGHTS[name] if adagrad.decays(name) else 0)) ** 2

    words = _relation(adagrad, "square_sum", undecayed, lambda g, n: g * g)
    assert "is (g - lambda * w)^2 where the rule's is g^2" in words
    assert "the state accumulates the gradient without the decay" in words
    assert _relation(adagrad, "square_sum", lambda g, n: g * g, lambda g, n: g * g) == ""


def test_a_state_that_differs_only_by_a_factor_or_a_starting_value_is_left_to_the_other_relations():
    rmsprop = Optimizer("rmsprop")
    assert _relation(rmsprop, "square_average", lambda g, n: 0.3 * g * g, lambda g, n: 0.1 * g * g) == ""
    assert _relation(rmsprop, "square_average", lambda g, n: 0.1 * g * g + 0.5, lambda g, n: 0.1 * g * g) == ""


def test_a_move_that_is_the_raw_gradient_is_a_plain_step_and_a_replaced_state_is_named():
    adadelta, adam = Optimizer("adadelta"), Optimizer("adam")
    g = GRADIENTS["fc1.weight"]
    rescaled = -g / np.sqrt(g * g + 1e-2)  # the rule's per-element scaling
    numbers = Numbers()
    words = move_terms_relation("fc1.weight", 0, (-g, rescaled), _steps(adadelta), {}, numbers)
    assert "is -1 x its gradient: a plain gradient step (SGD with rate 1)" in words
    assert move_terms_relation("fc1.weight", 0, (-2 * rescaled, rescaled), _steps(adadelta), {}, numbers) == ""
    evened = -g / np.sqrt(g * g + 100.0)  # g far below sqrt(eps): the rule's own scaling all but one number, 0.1
    assert move_terms_relation("fc1.weight", 0, (-0.1 * g, evened), _steps(adadelta), {}, numbers) == ""
    moment = 0.9 * GENERATOR.normal(0, 0.3, g.shape) + 0.1 * g  # a later step's moment: not a multiple of g
    theirs = -0.1 * moment / (np.abs(moment) + 0.1)
    mine = -0.1 * g / (np.abs(moment) + 0.1)
    named = move_terms_relation("fc1.weight", 1, (mine, theirs), _two_steps(adam),
                                {"fc1.weight:first_moment": moment}, numbers)
    assert "first_moment replaced by this step's gradient g" in named
    first_step = move_terms_relation("fc1.weight", 1, (mine, theirs), _two_steps(adam),
                                     {"fc1.weight:first_moment": 0.1 * g}, numbers)
    assert "replaced" not in first_step  # a moment proportional to g: replacing it is only a factor


def _two_steps(optimizer: Optimizer) -> Steps:
    steps = _steps(optimizer)
    return Steps(steps.before * 2, steps.after * 2, steps.gradients * 2, steps.batch_sizes * 2, optimizer, 0.1)


def test_a_regression_loss_is_fitted_by_its_fewest_terms_even_where_predictions_are_tiny():
    from compare.checking.loss_relations import _polynomial, _shifted_targets

    targets = GENERATOR.normal(4, 3, 64)
    predictions = GENERATOR.normal(0, 0.004, 64)  # an untrained regression: y_hat^2 is all but nothing
    reference = (predictions - targets) ** 2 / 2
    linear = predictions - targets  # (y_hat - y) * 2 / 2: the power typed as a product
    words = _polynomial(linear, predictions, targets, float(np.abs(linear - reference).max()))
    assert "1 y_hat - 1 y" in words and "the difference is not squared" in words
    centred = (predictions - (targets - targets.mean())) ** 2 / 2
    assert _polynomial(centred, predictions, targets, float(np.abs(centred - reference).max())) == ""
    shifted = _shifted_targets(centred, (predictions, targets), float(np.abs(centred - reference).max()), Numbers())
    assert f"c = {targets.mean():.4g}, the batch's mean target" in shifted
    penalty = 277.2  # lambda / 2 * ||w||^2 added to every prediction inside the square
    inside = (predictions + penalty - targets) ** 2 / 2
    numbers = Numbers((("the learning rate (0.03)", 0.03),
                       (f"the L2 penalty lambda / 2 * ||w||^2 ({penalty})", penalty)))
    words = _shifted_targets(inside, (predictions, targets), float(np.abs(inside - reference).max()), numbers)
    assert "c = 277.2, the L2 penalty" in words and "added to every prediction inside the square" in words, words
    other = (predictions + 123.4 - targets) ** 2 / 2  # a constant of no number's: said, not named
    words = _shifted_targets(other, (predictions, targets), float(np.abs(other - reference).max()), numbers)
    assert "c = 123.4;" in words and "penalty" not in words, words


def test_a_floored_log_and_a_sigmoid_per_class_are_named_from_the_logits():
    from compare.checking.loss_forms import classification_losses
    from compare.checking.loss_relations import _floored_log

    logits = GENERATOR.normal(0, 20, (64, 10))
    labels = GENERATOR.integers(0, 10, 64)
    top = logits.max(axis=1, keepdims=True)
    per_class = np.log(np.exp(logits - top).sum(axis=1, keepdims=True)) + top - logits
    label_loss = per_class[np.arange(64), labels]
    floored = -np.log(np.exp(-label_loss) + 1e-8)
    assert "c = 1e-08" in _floored_log(floored, label_loss, float(np.abs(floored - label_loss).max()))
    assert _floored_log(label_loss * 1.5, label_loss, float(np.abs(label_loss / 2).max())) == ""
    losses = dict(classification_losses(logits, labels, per_class))
    binary = next(words for words in losses if "sigmoid" in words and "averaged" in words)
    logits = logits / 8  # moderate logits: the textbook formula below stays exact in float64
    top = logits.max(axis=1, keepdims=True)
    per_class = np.log(np.exp(logits - top).sum(axis=1, keepdims=True)) + top - logits
    losses = dict(classification_losses(logits, labels, per_class))
    sigmoid = 1 / (1 + np.exp(-logits))
    one_hot = np.eye(10)[labels]
    expected = -(one_hot * np.log(sigmoid) + (1 - one_hot) * np.log(1 - sigmoid)).mean(axis=1)
    assert np.allclose(losses[binary], expected, rtol=1e-6)


def test_a_dense_layer_with_its_bias_inside_the_product_and_a_conv_on_transposed_images_are_named():
    from compare.checking.layer_relations import convolved, dense_bias_relation, input_transform_relation

    given = GENERATOR.random((16, 30))
    weight, bias = GENERATOR.normal(0, 0.1, (30, 5)), GENERATOR.normal(0, 0.5, 5)
    reference = given @ weight + bias
    inside = given @ (weight + bias)  # the bias broadcast onto every row of W
    assert "inside the product, X . (W + b)" in dense_bias_relation("fc1", inside, reference, given, bias)
    assert dense_bias_relation("fc1", reference * 1.5, reference, given, bias) == ""
    images = GENERATOR.random((4, 1, 12, 12))
    kernel, conv_bias = GENERATOR.normal(0, 0.3, (3, 1, 5, 5)), GENERATOR.normal(0, 0.1, 3)

    def compute(window, x):
        return convolved(x, kernel, conv_bias, window)

    from compare.checking.layer_relations import Window

    plain = compute(Window("conv", 5, 1, 0), images)
    transposed = compute(Window("conv", 5, 1, 0), np.ascontiguousarray(images.transpose(0, 1, 3, 2)))
    words = input_transform_relation("conv1", (transposed, plain), images, compute, "conv", 5)
    assert "height and width swapped" in words
    assert input_transform_relation("conv1", (plain + 0.1, plain), images, compute, "conv", 5) == ""


def test_weight_decay_written_as_the_penalty_itself_is_fitted_from_the_first_step():
    from compare.checking.decay_terms import decay_term_relation

    start = WEIGHTS["fc1.weight"]
    g = GRADIENTS["fc1.weight"]
    theirs = -0.1 * (g + 3.0 * start)
    mine = -0.1 * (g + 1.5 * start * start)  # lambd * w ** 2 / 2 where lambd * w belongs
    words = decay_term_relation("fc1.weight", start, (mine, theirs), 3.0, 0.1)
    assert "adds 1.5 * w^2 for weight decay where the rule adds lambda * w = 3 * w" in words
    assert "the penalty's value" in words
    l1 = -0.1 * (g + 3.0 * np.sign(start))
    assert "an L1 penalty's gradient" in decay_term_relation("fc1.weight", start, (l1, theirs), 3.0, 0.1)
    assert decay_term_relation("fc1.weight", start, (theirs, theirs), 3.0, 0.1) == ""


def test_the_decays_shrink_applied_after_the_step_is_read_from_the_first_step():
    from compare.checking.decay_terms import decay_term_relation

    start, g = WEIGHTS["fc1.weight"], GRADIENTS["fc1.weight"]
    lr, decay = 0.003, 3.0
    theirs = -lr * (g + decay * start)
    mine = (start - lr * g) * (1 - lr * decay) - start  # stepped, then shrunk
    words = decay_term_relation("fc1.weight", start, (mine, theirs), decay, lr, g)
    assert "the shrink applied after the gradient step" in words and "lr^2 * lambda * g" in words
    assert "after the gradient step" not in decay_term_relation("fc1.weight", start, (-lr * g, theirs), decay, lr, g)


def test_adams_step_count_written_otherwise_is_read_from_the_factor_at_that_step():
    from compare.checking.bias_corrections import correction_relation

    adam = Optimizer("adam")
    beta1, beta2 = adam.values["beta1"], adam.values["beta2"]
    times_t = (1 - beta1 ** 2) / (1 - beta1 * 2)  # v / (1 - beta1 * t) at t = 2
    assert "1 - beta1 * t (times t, not to the power t)" in correction_relation(times_t, 2, adam)
    one_ahead = np.sqrt((1 - beta2 ** 4) / (1 - beta2 ** 3))  # s corrected with t + 1 at t = 3
    assert "second moment s's bias correction divides by 1 - beta2^(t + 1)" in correction_relation(one_ahead, 3, adam)
    assert correction_relation(0.37, 2, adam) == "" and correction_relation(times_t, 2, Optimizer("rmsprop")) == ""
    twice = (1 - beta1 ** 2) / (1 - beta1 ** 3) * np.sqrt((1 - beta2 ** 3) / (1 - beta2 ** 2))  # t = 3 at step 2
    assert "both bias corrections are taken at step count t = 3 where the rule's t = 2: the counter runs as 2t - 1" \
        in correction_relation(twice, 2, adam)  # t + 1 gives 3 at t = 2 too: the first reading is said
    ahead = (1 - beta1 ** 4) / (1 - beta1 ** 5) * np.sqrt((1 - beta2 ** 5) / (1 - beta2 ** 4))  # t = 5 at step 4
    assert "t + 1 (one ahead)" in correction_relation(ahead, 4, adam)
    from compare.checking.bias_corrections import _count_factor
    by_examples = _count_factor(1, 64, adam.values)  # t advanced by the batch: 64 at the first step
    assert "step count t = 64, the examples seen so far, where the rule's t = 1: the counter advances by the batch" \
           in correction_relation(by_examples, 1, adam, seen=64)
    assert correction_relation(by_examples, 1, adam, seen=32) == ""  # a count of no number's is not said


def test_a_per_channel_offset_needs_more_than_one_value_per_channel():
    from compare.checking.relations import offset_relation

    reference = GENERATOR.normal(0, 1, (1, 200))
    assert offset_relation(reference + GENERATOR.normal(0, 1, (1, 200)), reference, Numbers(), 1.0) == ""
    images = GENERATOR.normal(0, 1, (4, 3, 5, 5))
    shifted = images + np.array([0.5, -1.0, 2.0]).reshape(1, 3, 1, 1)
    assert "per channel" in offset_relation(shifted, images, Numbers(), 2.0)


def test_a_complement_squared_is_a_named_number():
    assert Numbers((("gamma", 0.9),)).name_of(0.01) == "(1 - gamma)^2"
    rate = Numbers((("the learning rate (0.2)", 0.2),))  # a hard-coded batch of 256 for 64 moves 0.25x: no lr's
    assert rate.name_of(0.25) == "" and rate.name_of(0.8) == "" and "the learning rate" in rate.name_of(0.2)


def test_a_convolution_whose_loops_miss_the_kernels_last_row_and_column_is_named():
    from compare.checking.layer_relations import Window, convolved, kernel_part_relation

    images = GENERATOR.random((3, 1, 10, 10))
    kernel, bias = GENERATOR.normal(0, 0.3, (2, 1, 5, 5)), GENERATOR.normal(0, 0.1, 2)
    reference = convolved(images, kernel, bias, Window("conv", 5, 1, 0))
    short = kernel.copy()
    short[:, :, 4, :] = 0
    short[:, :, :, 4] = 0
    actual = convolved(images, short, bias, Window("conv", 5, 1, 0))
    assert "without its last row and column" in kernel_part_relation("conv1", actual, reference, images, (kernel, bias))
    assert kernel_part_relation("conv1", reference * 1.1, reference, images, (kernel, bias)) == ""


def test_two_states_that_are_one_array_are_named_and_equal_states_of_the_reference_are_not():
    from compare.checking.state_terms import aliased_relation

    one = GENERATOR.random((4, 3))
    reported = {"fc1.weight:square_average": one, "fc1.weight:delta_average": one.copy()}
    reference = {"fc1.weight:square_average": one, "fc1.weight:delta_average": one * 0.5}
    assert "one array serves as both states" in aliased_relation("fc1.weight:square_average", reported, reference)
    assert aliased_relation("fc1.weight:square_average", reported, reported) == ""


def test_one_state_shared_by_two_parameters_of_a_shape_is_named():
    from compare.checking.state_terms import aliased_relation

    shared = GENERATOR.random(8)
    reported = {"fc1.bias:momentum": shared, "fc2.bias:momentum": shared.copy(), "fc1.weight:momentum": np.ones(3)}
    reference = {"fc1.bias:momentum": shared, "fc2.bias:momentum": shared * 0.3, "fc1.weight:momentum": np.ones(3)}
    words = aliased_relation("fc1.bias:momentum", reported, reference)
    assert "fc1.bias:momentum and fc2.bias:momentum hold the very same values" in words
    assert "one array serves both parameters" in words
    assert aliased_relation("fc1.bias:momentum", reported, reported) == ""


def test_a_state_scaled_inside_the_root_is_read_as_a_bias_correction():
    from compare.checking.move_terms import move_terms_relation

    rmsprop = Optimizer("rmsprop")
    gamma, epsilon = rmsprop.values["gamma"], rmsprop.values["epsilon"]
    g = GRADIENTS["fc1.weight"]
    state = (1 - gamma) * g * g
    theirs = -0.1 * g / np.sqrt(state + epsilon)
    mine = -0.1 * g / np.sqrt(state / (1 - gamma) + epsilon)  # Adam's correction at t = 1
    words = move_terms_relation("fc1.weight", 0, (mine, theirs), _steps(rmsprop),
                                {"fc1.weight:square_average": state}, Numbers())
    assert "divides by sqrt(10 * square_average + eps)" in words and "bias-corrected by 1 - gamma^t" in words


def test_a_sum_of_squares_divided_by_the_step_count_is_read_at_the_second_step():
    """adagrad's `sqrt(s / t + eps)`, a learner's "root mean square": the same as the rule at t = 1, half the sum
    inside the root at t = 2."""
    adagrad = Optimizer("adagrad")
    g = GRADIENTS["fc1.weight"]
    state = 2 * g * g  # the same gradient at both steps: s = g^2 + g^2
    root = np.sqrt(state + adagrad.values["epsilon"])
    mine = -0.1 * g / np.sqrt(state / 2 + adagrad.values["epsilon"])
    words = move_terms_relation("fc1.weight", 1, (mine, -0.1 * g / root), _two_steps(adagrad),
                                {"fc1.weight:square_sum": state}, Numbers())
    assert "divides by sqrt(0.5 * square_sum + eps)" in words and "1 / t at t = 2" in words
    words = move_terms_relation("fc1.weight", 1, (-0.1 * g / np.sqrt(state / 3 + adagrad.values["epsilon"]),
                                                  -0.1 * g / root), _two_steps(adagrad),
                                {"fc1.weight:square_sum": state}, Numbers())
    assert "1 / t" not in words  # a third is no step count at t = 2


def test_a_state_that_accumulates_where_the_rule_averages_is_read_from_its_second_step():
    from compare.checking.state_terms import recurrence_relation

    rho = 0.9
    first = {f"{n}:square_average": (1 - rho) * g * g for n, g in GRADIENTS.items()}
    later_g = {n: GENERATOR.normal(0, 0.3, g.shape) for n, g in GRADIENTS.items()}
    averaged = {f"{n}:square_average": rho * first[f"{n}:square_average"] + (1 - rho) * later_g[n] ** 2
                for n in GRADIENTS}
    summed = {f"{n}:square_average": first[f"{n}:square_average"] + later_g[n] ** 2 for n in GRADIENTS}
    words = recurrence_relation("fc1.weight:square_average", (later_g, later_g), (first, summed), (first, averaged))
    assert "from one step to the next it is s + g^2 where the rule's is 0.9 * s + 0.1 * g^2" in words
    assert "accumulates a running sum of g^2" in words
    assert recurrence_relation("fc1.weight:square_average", (later_g, later_g), (first, averaged),
                               (first, averaged)) == ""


def test_targets_made_whole_numbers_and_clipped_logits_are_named():
    from compare.checking.loss_relations import _clipped_logits, _rounded_targets

    targets = GENERATOR.normal(4, 3, 64)
    predictions = GENERATOR.normal(0, 0.1, 64)
    reference = (predictions - targets) ** 2 / 2
    truncated = (predictions - np.trunc(targets)) ** 2 / 2
    words = _rounded_targets(truncated, predictions, targets, float(np.abs(truncated - reference).max()))
    assert "truncated toward zero" in words
    assert _rounded_targets(reference * 2, predictions, targets, float(np.abs(reference).max())) == ""
    logits = GENERATOR.normal(0, 15, (64, 10))
    labels = GENERATOR.integers(0, 10, 64)
    rows = np.arange(64)

    def cross_entropy(z):
        top = z.max(axis=1, keepdims=True)
        return (np.log(np.exp(z - top).sum(axis=1, keepdims=True)) + top - z)[rows, labels]

    clipped = cross_entropy(np.clip(logits, -10, 10))
    words = _clipped_logits(clipped, logits, labels, float(np.abs(clipped - cross_entropy(logits)).max()))
    assert "clipped to [-10, 10]" in words
    assert _clipped_logits(cross_entropy(logits) * 1.1, logits, labels, 1.0) == ""


def test_near_misses_are_left_to_the_plainer_relations():
    from compare.checking.layer_relations import dense_bias_relation
    from compare.checking.move_terms import move_terms_relation

    rmsprop = Optimizer("rmsprop")
    g = GRADIENTS["fc1.weight"]
    state = (1 - rmsprop.values["gamma"]) * g * g
    theirs = -0.1 * g / np.sqrt(state + rmsprop.values["epsilon"])
    assert move_terms_relation("fc1.weight", 1, (2 * theirs, theirs), _two_steps(rmsprop),
                               {"fc1.weight:square_average": state}, Numbers()) == ""  # a step size: a factor
    given = GENERATOR.random((16, 30))
    weight, bias = GENERATOR.normal(0, 0.1, (30, 5)), GENERATOR.normal(0, 0.5, 5)
    reference = given @ weight + bias
    assert dense_bias_relation("fc1", reference + bias, reference, given, bias) == ""  # the bias twice: an offset
    momentum = Optimizer("momentum")
    assert move_terms_relation("fc1.weight", 0, (-g, -0.5 * g + 0.01), _steps(momentum), {}, Numbers()) == ""
    flipped = _relation(rmsprop, "square_average", lambda g, n: -0.1 * g * g, lambda g, n: 0.1 * g * g)
    assert "1 - gamma" not in flipped  # a weight of the other sign is the sign relation's to say


def test_a_recurrence_that_carries_the_state_as_the_rule_does_is_left_to_the_factor():
    from compare.checking.state_terms import recurrence_relation

    first = {f"{n}:square_average": 0.1 * g * g for n, g in GRADIENTS.items()}
    later_g = {n: GENERATOR.normal(0, 0.3, g.shape) for n, g in GRADIENTS.items()}
    rule = {k: 0.9 * v + 0.1 * later_g[k.split(":")[0]] ** 2 for k, v in first.items()}
    scaled = {k: 0.9 * v + 409.6 * later_g[k.split(":")[0]] ** 2 for k, v in first.items()}  # g not divided
    assert recurrence_relation("fc1.weight:square_average", (later_g, later_g), (first, scaled), (first, rule)) == ""



def test_a_move_divided_by_one_root_of_the_states_mean_is_said_as_the_state_reduced_over_the_array():
    rmsprop = Optimizer("rmsprop")
    g = GRADIENTS["fc1.weight"]
    state = (1 - rmsprop.values["gamma"]) * g * g  # the first step's square_average
    epsilon = rmsprop.values["epsilon"]
    per_element = -0.1 * g / np.sqrt(state + epsilon)
    one_root = -0.1 * g / np.sqrt(state.mean() + epsilon)  # `nd.sqrt(s.mean() + eps)`: one value per array
    states = {"fc1.weight:square_average": state}
    words = move_terms_relation("fc1.weight", 0, (one_root, per_element), _steps(rmsprop), states, Numbers())
    assert "square_average.mean()" in words and "one rate for the whole array" in words
    assert move_terms_relation("fc1.weight", 0, (per_element, per_element), _steps(rmsprop), states, Numbers()) == ""


def test_a_state_fed_the_weights_instead_of_the_gradient_is_said_so():
    adagrad = Optimizer("adagrad")
    words = _relation(adagrad, "square_sum", lambda g, n: WEIGHTS[n] ** 2, lambda g, n: g * g)
    assert "the parameter taken in place of its gradient" in words


def test_a_state_averaged_over_one_axis_is_said_with_the_axis():
    from compare.checking.relations import relation

    squares = GENERATOR.normal(size=(6, 5)) ** 2
    words = relation(np.broadcast_to(squares.mean(axis=0, keepdims=True), squares.shape), squares, Numbers())
    assert "mean over axis 0 (6 values)" in words


def test_a_move_that_multiplies_by_the_root_where_the_rule_divides_is_said_as_the_root_inverted():
    rmsprop = Optimizer("rmsprop")
    g = GRADIENTS["fc1.weight"]
    state = (1 - rmsprop.values["gamma"]) * g * g
    root = np.sqrt(state + rmsprop.values["epsilon"])
    states = {"fc1.weight:square_average": state}
    words = move_terms_relation("fc1.weight", 0, (-0.1 * g * root, -0.1 * g / root), _steps(rmsprop), states,
                                Numbers())
    assert "the root inverted" in words
    unrooted = -0.1 * g / root ** 2
    words = move_terms_relation("fc1.weight", 0, (unrooted, -0.1 * g / root), _steps(rmsprop), states, Numbers())
    assert "the root not taken" in words


def test_a_root_inverted_is_read_where_the_states_spread_is_narrow():
    """Gradients within 30% of each other: their squares spread over less than one e-fold, yet the logarithms fit
    exactly, so the power is still fixed to far better than the half that tells the root from its inverse."""
    rmsprop = Optimizer("rmsprop")
    g = 0.3 * (1 + 0.3 * GENERATOR.random((8, 6))) * np.sign(GRADIENTS["fc1.weight"])
    state = (1 - rmsprop.values["gamma"]) * g * g
    assert 0.1 < float(np.ptp(np.log(state + rmsprop.values["epsilon"]))) < 1.0
    root = np.sqrt(state + rmsprop.values["epsilon"])
    steps = Steps([dict(WEIGHTS)], [dict(WEIGHTS)], [{**GRADIENTS, "fc1.weight": g * 4}], [4], rmsprop, 0.1)
    words = move_terms_relation("fc1.weight", 0, (-0.1 * g * root, -0.1 * g / root), steps,
                                {"fc1.weight:square_average": state}, Numbers())
    assert "the root inverted" in words


def test_weight_decay_taken_of_the_velocity_is_read_off_the_second_step():
    from compare.checking.state_terms import recurrence_relation

    rng = np.random.default_rng(21)
    weight, bias = rng.normal(size=(10, 8)), rng.normal(size=(8,))
    v1 = {"fc1.weight": rng.normal(size=(10, 8)), "fc1.bias": rng.normal(size=(8,))}
    loss_gradient = {"fc1.weight": rng.normal(size=(10, 8)), "fc1.bias": rng.normal(size=(8,))}
    decay, rate, momentum = 3.0, 0.003, 0.5
    rule = {"fc1.weight": loss_gradient["fc1.weight"] + decay * weight, "fc1.bias": loss_gradient["fc1.bias"]}
    theirs = {n: momentum * v1[n] + rate * rule[n] for n in v1}
    mine = {"fc1.weight": momentum * v1["fc1.weight"] + rate * (loss_gradient["fc1.weight"] + decay * v1["fc1.weight"]),
            "fc1.bias": theirs["fc1.bias"]}  # `g + lambd * v`, v typed for the weight

    def side(second):
        first = {"fc1.weight": weight, "fc1.bias": bias, **{f"{n}:momentum": v for n, v in v1.items()}}
        return first, {f"{n}:momentum": v for n, v in second.items()}

    words = recurrence_relation("fc1.weight:momentum", (rule, rule), side(mine), side(theirs),
                                frozenset({"fc1.weight"}))
    assert "weight decay's term is taken of the state s (its momentum)" in words
    assert recurrence_relation("fc1.weight:momentum", (rule, rule), side(theirs), side(theirs),
                               frozenset({"fc1.weight"})) == ""


def test_a_move_whose_numerator_squares_the_gradient_is_not_read_as_the_root_alone():
    """After one step the state is (1 - gamma) * g^2: lr * g^2 / sqrt(s + eps) and a power of the state cannot be
    told apart there, and the words must say both readings."""
    rmsprop = Optimizer("rmsprop")
    g = GRADIENTS["fc1.weight"]
    state = (1 - rmsprop.values["gamma"]) * g * g
    root = np.sqrt(state + rmsprop.values["epsilon"])
    states = {"fc1.weight:square_average": state}
    words = move_terms_relation("fc1.weight", 0, (-0.1 * g * np.abs(g) / root, -0.1 * g / root), _steps(rmsprop),
                                states, Numbers())
    assert words == "" or "a power of |g| in the step itself" in words


def test_a_parameter_stepped_by_its_own_state_is_said_so_and_a_rule_step_is_not():
    from compare.checking.move_terms import stepped_by_state

    adadelta = Optimizer("adadelta")
    rho, epsilon = adadelta.values["rho"], adadelta.values["epsilon"]
    g = GRADIENTS["fc1.weight"]
    rescaled = np.sqrt(epsilon) / np.sqrt((1 - rho) * g * g + epsilon) * g  # g' at the first step
    delta = (1 - rho) * rescaled ** 2
    own = {"fc1.weight:square_average": (1 - rho) * g * g, "fc1.weight:delta_average": delta}
    start = WEIGHTS["fc1.weight"]
    words = stepped_by_state("fc1.weight", (start, -delta), own, 0.1)
    assert "minus its own delta_average" in words and "the wrong variable" in words
    assert stepped_by_state("fc1.weight", (start, -rescaled), own, 0.1) == ""  # the rule's own step
