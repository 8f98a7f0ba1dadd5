"""Layer, dropout and loss readings added after the fourteenth corpus's tuning (2026-12-07, a second session), each
held to arrays built here with a near miss: a batch norm whose output is gamma and beta applied to the reference's,
whose variance is one part of the batch's, or whose divisor is another spread; a loss read at spread logits, weighted
by a power of 1 - p, or against the batch's label frequencies; a pool taking another statistic of its windows; a
bias gradient passed back through the layer's weight; a relu masked by another layer; dropout keeping a fixed count;
an activation read in pieces; an input rounded to whole numbers. The update rules' are in test_update_readings.py."""
import numpy as np

GENERATOR = np.random.default_rng(41)


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


def _spread_evidence(loss_at, scale: float = 0.05):
    from compare.checking.evidence import Evidence
    from implementations.softmax.spec import SoftmaxSpec

    logits = GENERATOR.normal(0, scale, (32, 10))  # an untrained network's: near-uniform
    labels = GENERATOR.integers(0, 10, 32)
    return Evidence({}, {"logits": logits}, np.zeros((32, 784)), SoftmaxSpec(), 0, lambda: None, labels=labels,
                    loss_at=lambda spread: loss_at(spread, labels))


def test_a_loss_is_read_again_at_spread_logits_where_a_temperature_and_soft_targets_part():
    from compare.checking.loss_forms import label_losses as cross_entropy
    from compare.checking.loss_relations import classification_reading
    from compare.checking.loss_spread import spread_reading
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
    from compare.checking.loss_forms import label_losses as cross_entropy
    from compare.checking.loss_forms import weighted_cross_entropy

    logits, labels = GENERATOR.normal(0, 2, (64, 10)), GENERATOR.integers(0, 10, 64)
    label_losses = cross_entropy(logits, labels)
    focal = (1 - np.exp(-label_losses)) ** 2 * label_losses
    assert "weighted by (1 - p)^2" in weighted_cross_entropy(focal, label_losses, 1.0)
    assert weighted_cross_entropy(0.5 * label_losses, label_losses, 1.0) == ""  # a factor: no power of 1 - p


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
    from compare.checking.loss_forms import label_losses as cross_entropy
    from compare.checking.loss_forms import shared_targets

    logits, labels = GENERATOR.normal(0, 2, (64, 10)), GENERATOR.integers(0, 10, 64)
    per_class = np.stack([cross_entropy(logits, np.full(64, k)) for k in range(10)], axis=1)  # (64, 10)
    take = per_class[:, labels].mean(axis=1)  # every example against every label of the batch
    assert "the batch's label frequencies" in shared_targets(take, per_class, labels, 1.0)
    assert shared_targets(per_class[np.arange(64), labels], per_class, labels, 1.0) == ""  # its own label


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


def test_a_loss_that_looks_constant_at_near_uniform_logits_is_no_constant_where_it_parts_at_spread_ones():
    """A softmax over nine of the ten classes is about ln 9 for every example at an untrained network's logits:
    "one value everywhere" there, and nothing of the kind at spread logits. A loss truly constant stays read."""
    from compare.checking.loss_forms import label_losses as cross_entropy
    from compare.checking.loss_relations import loss_relation
    from compare.checking.relations import Numbers
    from compare.results.measures import QuantityComparison, Tolerance

    def nine_classes(z, y):
        return cross_entropy(z.astype(np.float64)[:, :-1], np.minimum(y, 8))

    def constant(z, y):
        return np.full(len(y), 0.5)

    row = QuantityComparison("learner", "loss", 1.0, 1.0, Tolerance(0.0, 0.0), False)
    for loss, said in ((nine_classes, False), (constant, True)):
        evidence = _spread_evidence(loss, scale=1e-4)  # LeNet's logits at its initial weights: nearly equal
        logits, labels = evidence.reference["logits"], evidence.labels
        evidence.values["loss"] = loss(logits, labels)
        evidence.reference["loss"] = cross_entropy(logits, labels)
        assert ("one value everywhere" in loss_relation(row, evidence, Numbers())) is said
