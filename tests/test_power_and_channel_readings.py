"""Readings added after the fourteenth corpus's tuning (2026-12-07), each held to arrays built here with a near
miss: a move that is a power of the rule's move (its sign kept or lost); a batch norm whose output is gamma and beta
applied to the reference's; a batch-norm variance that is one of the two parts of the batch's; a loss read at spread
logits; a pooling taking another statistic of its windows; a bias gradient passed back through the layer's weight."""
import numpy as np

from compare.checking.move_powers import move_power_relation

GENERATOR = np.random.default_rng(41)


def test_a_move_squared_with_its_sign_lost_is_named_and_a_scaled_or_noisy_move_is_not():
    rule = GENERATOR.normal(0, 1e-2, 400)
    words = move_power_relation((-rule**2, rule))
    assert "the square of the rule's move with one sign: every element moves down" in words
    assert "its sign kept" in move_power_relation((0.5 * np.sign(rule) * np.sqrt(np.abs(rule)), rule))
    assert "0.5 x the square root" in move_power_relation((0.5 * np.sign(rule) * np.sqrt(np.abs(rule)), rule))
    assert move_power_relation((3 * rule, rule)) == ""  # a factor is the factor relation's
    noisy = -rule**2 * (1 + GENERATOR.normal(0, 0.05, rule.size))  # a square, but not of these numbers
    assert move_power_relation((noisy, rule)) == ""
    assert move_power_relation((-np.full(8, 1e-4), np.full(8, 1e-2))) == ""  # one size: no power to read


def _norm(channels: int):
    from compare.checking.batch_norm_relations import Normalization

    return Normalization(GENERATOR.normal(0, 0.5, channels), GENERATOR.normal(0, 0.2, channels), np.zeros(channels),
                         np.ones(channels), epsilon=1e-5, momentum=0.9)


def test_a_batch_norm_whose_scale_and_shift_are_applied_twice_is_named_and_a_channel_rescaled_is_not():
    from compare.checking.batch_norm_lines import reapplied_relation
    from compare.checking.batch_norm_relations import batch_norm_reference

    given, norm = GENERATOR.normal(1, 2, (8, 4, 5, 5)), _norm(4)
    reference = batch_norm_reference(given, norm)
    gamma, beta = norm.gamma.reshape(1, -1, 1, 1), norm.beta.reshape(1, -1, 1, 1)
    assert "gamma and beta applied twice" in reapplied_relation("bn1", (gamma * reference + beta, reference), norm)
    assert "scaled by gamma twice" in reapplied_relation("bn1", (gamma * reference, reference), norm)
    other = GENERATOR.normal(0, 0.5, (1, 4, 1, 1))  # a line per channel, but of no term of the layer
    assert reapplied_relation("bn1", (other * reference + beta, reference), norm) == ""


def test_a_variance_taken_over_the_maps_means_is_named_and_the_batchs_own_is_not():
    from compare.checking.batch_norm_lines import variance_parts_relation
    from compare.checking.batch_norm_relations import batch_norm_reference

    # per-map offsets: the maps' means spread between the examples, so both parts of the variance are large
    given, norm = GENERATOR.normal(0, 1, (8, 3, 6, 6)) + GENERATOR.normal(0, 1, (8, 3, 1, 1)), _norm(3)
    reference = batch_norm_reference(given, norm)
    shape = (1, -1, 1, 1)
    mean = given.mean(axis=(0, 2, 3)).reshape(shape)

    def normalized(variance):
        return norm.gamma.reshape(shape) * (given - mean) / np.sqrt(variance.reshape(shape) + norm.epsilon) + \
            norm.beta.reshape(shape)

    between = normalized(given.mean(axis=(2, 3)).var(axis=0))
    assert "the variance of each map's mean" in variance_parts_relation("bn1", (between, reference), given, norm)
    within = normalized(given.var(axis=(2, 3)).mean(axis=0))
    assert "the mean of each map's own variance" in variance_parts_relation("bn1", (within, reference), given, norm)
    unbiased = normalized(given.var(axis=(0, 2, 3), ddof=1))  # another variance, of no part
    assert variance_parts_relation("bn1", (unbiased, reference), given, norm) == ""
    assert variance_parts_relation("bn1", (reference, reference), given, norm) == ""


def _spread_evidence(loss_at):
    from compare.checking.evidence import Evidence
    from implementations.softmax.spec import SoftmaxSpec

    logits = GENERATOR.normal(0, 0.05, (32, 10))  # an untrained network's: near-uniform
    labels = GENERATOR.integers(0, 10, 32)
    return Evidence({}, {"logits": logits}, np.zeros((32, 784)), SoftmaxSpec(), 0, lambda: None, labels=labels,
                    loss_at=lambda spread: loss_at(spread, labels))


def test_a_loss_is_read_again_at_spread_logits_where_a_temperature_and_soft_targets_part():
    from compare.checking.loss_relations import classification_reading
    from compare.checking.loss_spread import cross_entropy, spread_reading
    from compare.checking.relations import Numbers

    numbers = Numbers()
    heated = _spread_evidence(lambda z, y: cross_entropy(z.astype(np.float64) / 2, y))
    words = spread_reading(heated, numbers, classification_reading)
    assert "divided by T = 2" in words and "soft targets" not in words
    smoothed = _spread_evidence(lambda z, y: 0.9 * cross_entropy(z.astype(np.float64), y) + 0.01 * sum(
        cross_entropy(z.astype(np.float64), np.full_like(y, k)) for k in range(10)))
    words = spread_reading(smoothed, numbers, classification_reading)
    assert "soft targets" in words and "T =" not in words
    assert spread_reading(_spread_evidence(lambda z, y: cross_entropy(z.astype(np.float64), y)), numbers,
                          classification_reading) is None  # the chapter's own loss: nothing to read
    assert spread_reading(_spread_evidence(lambda z, y: np.sin(cross_entropy(z.astype(np.float64), y))), numbers,
                          classification_reading) == ""  # differs, and no form reads it: a probe reading is dropped

    def refuses(z, y):
        raise ValueError("expects an NDArray")
    assert spread_reading(_spread_evidence(refuses), numbers, classification_reading) is None


def test_a_pooling_taking_the_windows_minimum_is_named_and_max_pooling_is_not():
    from compare.checking.pool_sources import window_statistic_relation

    given = np.abs(GENERATOR.normal(size=(4, 3, 8, 8)))
    blocks = given.reshape(4, 3, 4, 2, 4, 2)
    assert "takes the minimum of each 2x2 window" in window_statistic_relation("pool1", blocks.min(axis=(3, 5)),
                                                                                  given, 2)
    assert window_statistic_relation("pool1", blocks.max(axis=(3, 5)), given, 2) == ""
    assert window_statistic_relation("pool1", blocks.mean(axis=(3, 5)), given, 2) == ""  # no statistic listed here


def test_a_bias_gradient_passed_back_through_the_layers_weight_is_named_and_a_scaled_one_is_not():
    from compare.checking.evidence import Evidence
    from compare.checking.gradient_causes import gradient_cause
    from compare.results.measures import QuantityComparison
    from implementations.dropout.spec import DropoutSpec

    spec = DropoutSpec()
    weight = spec.initial_parameters(0)["fc2.weight"].astype(np.float64)  # (256, 256): as many inputs as outputs
    reference = GENERATOR.normal(size=weight.shape[0])

    def cause(actual):
        row = QuantityComparison("mine", "gradient fc2.bias", 1.0, 1.0, None, False)
        agreeing = {"gradient fc2.weight": weight}  # the other gradients agree: the loss is not scaled
        evidence = Evidence({"gradient fc2.bias": actual, **agreeing}, {"gradient fc2.bias": reference, **agreeing},
                            np.zeros((4, 784)), spec, 0, lambda: None)
        return gradient_cause(row, evidence)

    assert "passed back through fc2.weight" in cause(reference @ weight)
    assert "passed back through" not in cause(reference @ weight * 1.1)


def test_a_state_keeping_the_larger_of_its_carry_and_new_term_is_named_and_a_sum_is_not():
    from compare.checking.state_extremes import larger_of_relation

    before, g = GENERATOR.uniform(0, 1e-2, 500), GENERATOR.normal(0, 0.1, 500)
    terms, rule = {"s": before, "g^2": g * g}, {"s": 1.0, "g^2": 1.0}  # adagrad's s + g^2
    assert "max(s, g^2), where the rule adds them" in larger_of_relation(np.maximum(before, g * g), terms, rule)
    assert "min(0.9 * s, 0.1 * g^2)" in larger_of_relation(np.minimum(0.9 * before, 0.1 * g * g), terms,
                                                           {"s": 0.9, "g^2": 0.1})
    assert larger_of_relation(before + 2 * g * g, terms, rule) == ""  # a sum, weighted otherwise


def test_a_relu_masked_by_another_layers_sign_is_named_and_its_own_mask_is_not():
    from compare.checking.evidence import Evidence
    from compare.checking.input_relations import other_mask_relation
    from implementations.dropout.spec import DropoutSpec

    fc1, fc2 = GENERATOR.normal(size=(8, 256)), GENERATOR.normal(size=(8, 256))
    reference = {"layer fc1": fc1, "layer relu1": np.maximum(fc1, 0), "layer dropout1": np.maximum(fc1, 0),
                 "layer fc2": fc2, "layer relu2": np.maximum(fc2, 0)}

    def said(relu2):
        return other_mask_relation("relu2", Evidence({"layer relu2": relu2}, reference, np.zeros((8, 784)),
                                                     DropoutSpec(), 0, lambda: None))

    assert "(fc1 > 0) where (x > 0) belongs" in said(fc2 * (fc1 > 0))
    assert said(np.maximum(fc2, 0)) == ""  # its own mask: ReLU itself
    assert said(fc2 * (GENERATOR.uniform(size=fc2.shape) > 0.5)) == ""  # a mask of no layer's sign


def test_a_states_weight_on_g_squared_read_as_the_gradient_scaled_by_the_batch():
    from compare.checking.recurrence_readings import gradient_scale_named

    assert "multiplied by the batch size where it is divided" in gradient_scale_named("g^2", 64.0**4, 64)
    assert "not divided by the batch" in gradient_scale_named("g", 64.0, 64)
    assert "divided by the batch size twice" in gradient_scale_named("g^2", 64.0**-2, 64)
    assert gradient_scale_named("g^2", 64.0**3, 64) == ""  # no square of a batch power
    assert gradient_scale_named("w", 64.0**4, 64) == ""  # a term of the weights: no gradient to scale


def test_a_carry_far_below_a_new_terms_size_is_kept_where_a_fit_with_it_is_exact():
    from compare.checking.recurrence_readings import fit_on

    carried, new = GENERATOR.uniform(0, 1e-3, 300), GENERATOR.uniform(1e3, 2e3, 300)
    terms = {"s": carried, "g^2": new}
    fitted = fit_on(carried + 5 * new, terms, ({"s", "g^2"}, 1e-5))
    assert fitted is not None and abs(fitted["s"] - 1) < 1e-6 and abs(fitted["g^2"] - 5) < 1e-9
    assert fit_on(carried + 5 * new + GENERATOR.normal(0, 1.0, 300), terms, ({"s", "g^2"}, 1e-5)) is None


def test_a_parameter_that_never_moves_is_said_with_every_other_when_none_moves():
    from compare.checking.evidence import Evidence
    from compare.checking.mistakes import _unmoved
    from compare.checking.probe import after_step
    from implementations.softmax.spec import SoftmaxSpec

    spec = SoftmaxSpec()
    initial = spec.initial_parameters(0)
    still = {f"{after_step(index)} {name}": value.copy() for name, value in initial.items() for index in (0, 1)}
    evidence = Evidence(still, {}, np.zeros((4, 784)), spec, 0, lambda: None)
    assert "nor does any other parameter" in _unmoved("fc1.weight", evidence, initial["fc1.weight"])
    moved = {**still, f"{after_step(0)} fc1.bias": initial["fc1.bias"] + 0.1}  # another parameter moves
    words = _unmoved("fc1.weight", Evidence(moved, {}, np.zeros((4, 784)), spec, 0, lambda: None),
                     initial["fc1.weight"])
    assert "left out of the update" in words and "any other" not in words


def test_a_recurrence_scaled_whole_by_a_bias_correction_is_named_and_a_changed_term_is_not():
    from compare.checking.recurrence_readings import scaled_recurrence_words

    rule, correction = {"s": 0.9, "g": 0.1}, {"1 / (1 - beta1^2), beta1's bias correction at t = 2": 1 / 0.19}
    words = scaled_recurrence_words({"s": 0.9 / 0.19, "g": 0.1 / 0.19}, rule, correction)
    assert "1 / (1 - beta1^2)" in words and "written back into the state" in words
    assert "5x the rule's (one factor" in scaled_recurrence_words({"s": 4.5, "g": 0.5}, rule, correction)
    assert scaled_recurrence_words({"s": 0.9, "g": 0.5}, rule, correction) == ""  # one term's weight alone


def test_dropout_keeping_a_fixed_count_per_example_is_named_and_independent_masks_are_not():
    from compare.checking.dropout_statistics import count_pattern

    live = GENERATOR.uniform(size=(20, 64, 256)) < 0.5  # a ReLU's output: about half its units live

    def fixed_count(alive):  # 205 of the 256 units kept in every example, whatever is live
        order = np.argsort(GENERATOR.uniform(size=alive.shape), axis=1)
        return np.argsort(order, axis=1) < 205

    independent = [(alive, alive & (GENERATOR.uniform(size=alive.shape) < 0.8)) for alive in live]
    fixed = [(alive, alive & fixed_count(alive)) for alive in live]
    assert count_pattern("dropout1", independent, 0.8) == ""
    assert "too steady a number of units" in count_pattern("dropout1", fixed, 0.8)
    assert count_pattern("dropout1", fixed[:1], 0.8) == ""  # 64 examples are too few to tell


def test_an_activation_read_in_pieces_and_an_input_rounded_to_whole_numbers_are_named():
    from compare.checking.elementwise_pieces import pieces_relation, rounding_relation

    given = GENERATOR.normal(size=(16, 32))
    relu = np.maximum(given, 0)
    words = pieces_relation("relu1", (given + (given > 0), relu), given)
    assert "computes x + 1 where its input x > 0 and x where x <= 0, where the reference computes x and 0" in words
    assert pieces_relation("relu1", (relu, relu), given) == ""
    assert pieces_relation("relu1", (np.tanh(given), relu), given) == ""  # a curve: no two lines reproduce it
    pixels = GENERATOR.uniform(0, 255, (4, 1, 28, 28))  # values over many whole numbers
    flat = pixels.reshape(4, -1)
    assert "truncated toward zero" in rounding_relation("flatten", (np.trunc(flat), flat), pixels)
    assert rounding_relation("flatten", (flat * 0.5, flat), pixels) == ""
    small = pixels * 1e-4  # every value rounds to 0: an output of zeros tells no rounding from a zeroed layer
    assert rounding_relation("flatten", (np.zeros_like(flat), small.reshape(4, -1)), small) == ""


def test_a_cross_entropy_weighted_by_a_power_of_one_minus_p_is_named_and_a_constant_weight_is_not():
    from compare.checking.loss_forms import weighted_cross_entropy
    from compare.checking.loss_spread import cross_entropy

    logits, labels = GENERATOR.normal(0, 2, (64, 10)), GENERATOR.integers(0, 10, 64)
    label_losses = cross_entropy(logits, labels)
    focal = (1 - np.exp(-label_losses)) ** 2 * label_losses
    assert "weighted by (1 - p)^2" in weighted_cross_entropy(focal, label_losses, 1.0)
    assert weighted_cross_entropy(0.5 * label_losses, label_losses, 1.0) == ""  # a factor: no power of 1 - p


def test_a_move_shrinking_the_weights_where_the_rule_decays_none_is_named_and_a_scaled_move_is_not():
    from compare.checking.decay_terms import decay_term_relation, shrink_relation

    start, rule = GENERATOR.normal(0, 0.05, (20, 25)), GENERATOR.normal(0, 1e-3, (20, 25))
    words = shrink_relation("conv1.weight", start, (rule - 0.1 * 5e-4 * start, rule), 0.1)
    assert "lambda = 0.0005" in words and "decays no weight of conv1.weight" in words
    assert shrink_relation("conv1.weight", start, (1.01 * rule, rule), 0.1) == ""  # no term of w
    constant = decay_term_relation("fc1.weight", start, (rule + 0.1 * 3.0 * start - 0.1 * 0.03, rule), 3.0, 0.1)
    assert "adds 0.03 for weight decay" in constant and "not of the weights w" in constant


def test_a_batch_norm_dividing_by_the_mean_absolute_deviation_or_over_axes_0_2_is_named():
    from compare.checking.batch_norm_lines import divisor_statistic_relation
    from compare.checking.batch_norm_relations import batch_norm_reference

    given, norm = GENERATOR.normal(1, 2, (8, 3, 6, 6)), _norm(3)
    reference = batch_norm_reference(given, norm)
    shape, axes = (1, -1, 1, 1), (0, 2, 3)
    centred = given - given.mean(axis=axes, keepdims=True)
    mad = np.abs(centred).mean(axis=axes, keepdims=True)
    learner = norm.gamma.reshape(shape) * centred / (mad + norm.epsilon) + norm.beta.reshape(shape)
    words = divisor_statistic_relation("bn1", (learner, reference), given, norm)
    assert "the mean absolute deviation, mean |x - mean| (with or without eps: not told apart)" in words
    assert divisor_statistic_relation("bn1", (reference, reference), given, norm) == ""  # its own divisor
    halved = norm.gamma.reshape(shape) * centred / (0.5 * mad) + norm.beta.reshape(shape)  # a spread of no name
    assert divisor_statistic_relation("bn1", (halved, reference), given, norm) == ""


def test_batch_norm_statistics_over_axes_0_2_per_channel_and_column_are_named():
    from compare.checking.batch_norm_causes import _affine, _normalized, batch_norm_cause
    from compare.checking.evidence import Evidence
    from implementations.lenet_bn.spec import LeNetBNSpec

    evidence = Evidence({}, {}, np.zeros((8, 1, 28, 28)), LeNetBNSpec(), 0, lambda: None)
    given = GENERATOR.normal(1, 2, (8, 20, 24, 24))
    columns = _affine(evidence, "bn1", _normalized(given, (0, 2), 1e-5))  # per channel and column: axes (0, 2)
    assert "takes its statistics over axes (0, 2)" in batch_norm_cause(evidence, "bn1", columns, given, "training")
    chapter = _affine(evidence, "bn1", _normalized(given, (0, 2, 3), 1e-5))
    assert batch_norm_cause(evidence, "bn1", chapter, given, "training") == ""


def test_a_loss_against_the_batchs_label_frequencies_is_named_and_the_labels_own_is_not():
    from compare.checking.loss_forms import shared_targets
    from compare.checking.loss_spread import cross_entropy

    logits, labels = GENERATOR.normal(0, 2, (64, 10)), GENERATOR.integers(0, 10, 64)
    per_class = np.stack([cross_entropy(logits, np.full(64, k)) for k in range(10)], axis=1)  # (64, 10)
    take = per_class[:, labels].mean(axis=1)  # every example against every label of the batch
    assert "the batch's label frequencies" in shared_targets(take, per_class, labels, 1.0)
    assert shared_targets(per_class[np.arange(64), labels], per_class, labels, 1.0) == ""  # its own label


def test_a_recurrence_that_squares_the_sum_of_state_and_gradient_is_named_and_a_sum_of_squares_is_not():
    from compare.checking.recurrence_readings import squared_sum_words

    assert "it is (s + g)^2, the square of the sum" in squared_sum_words({"s^2": 1.0, "s * g": 2.0, "g^2": 1.0})
    assert squared_sum_words({"s^2": 1.0, "s * g": 1.0, "g^2": 1.0}) == ""  # no perfect square
    assert squared_sum_words({"s": 1.0, "g^2": 1.0}) == ""  # the rule's own


def test_a_state_that_stays_zero_is_not_read_as_the_smaller_of_its_carry_and_new_term():
    from compare.checking.state_extremes import larger_of_relation

    g = GENERATOR.normal(0, 0.1, 500)
    zeros = np.zeros(500)  # min(0.9 * 0, 0.1 * g^2) is 0 everywhere: one side taken always
    assert larger_of_relation(zeros, {"s": zeros, "g^2": g * g}, {"s": 0.9, "g^2": 0.1}) == ""


def test_a_squared_sum_keeps_its_coefficients_and_sign_and_batch_norm_terms_at_the_specs_scale():
    from compare.checking.batch_norm_lines import reapplied_relation
    from compare.checking.batch_norm_relations import Normalization, batch_norm_reference
    from compare.checking.recurrence_readings import squared_sum_words

    assert "(0.9 * s + 0.1 * g)^2, the square of the sum" in squared_sum_words(
        {"s^2": 0.81, "s * g": 0.18, "g^2": 0.01})
    assert "(s - g)^2, the square of the difference" in squared_sum_words({"s^2": 1.0, "s * g": -2.0, "g^2": 1.0})
    # gamma and beta as the spec draws them, N(0, 0.01): gamma * (reference + beta) is no "gamma twice"
    norm = Normalization(GENERATOR.normal(0, 0.01, 4), GENERATOR.normal(0, 0.01, 4), np.zeros(4), np.ones(4),
                         epsilon=1e-5, momentum=0.9)
    given = GENERATOR.normal(1, 2, (8, 4, 5, 5))
    reference = batch_norm_reference(given, norm)
    gamma, beta = norm.gamma.reshape(1, -1, 1, 1), norm.beta.reshape(1, -1, 1, 1)
    words = reapplied_relation("bn1", (gamma * (reference + beta), reference), norm)
    assert "gamma * beta" in words and "scaled by gamma twice" not in words


def test_weight_decays_term_is_not_fitted_where_it_is_within_the_weights_float32_rounding():
    from compare.checking.decay_terms import decay_term_relation

    start = GENERATOR.normal(0, 1.0, (20, 10))
    rule = GENERATOR.normal(0, 1e-3, (20, 10))
    tiny = 1e-7  # lr * lambda: the decay's whole effect is under a weight's float32 ulp
    assert decay_term_relation("fc1.weight", start, (rule + 0.5 * tiny * start, rule), tiny / 1e-3, 1e-3) == ""
