"""Layer readings from the twelfth corpus's round (2026-12-07), each held to arrays built here with a near miss: a
layer computed on operands rounded to a narrower float, a bias that cannot be said missing where it is zero."""
import numpy as np

from compare.checking.layer_relations import rounded_operands_relation

GENERATOR = np.random.default_rng(35)


def _dense(bias):
    return lambda x, w: x.reshape(len(x), -1) @ w.T + bias


def test_a_dense_layer_on_operands_rounded_to_float16_is_named_and_one_on_float32_is_not():
    given, weight, bias = GENERATOR.normal(size=(16, 40)), GENERATOR.normal(0, 0.1, (8, 40)), np.zeros(8)
    narrow = given.astype(np.float16).astype(np.float64) @ weight.astype(np.float16).astype(np.float64).T
    words = rounded_operands_relation("fc1", narrow, given, weight, _dense(bias))
    assert "its input and its weight rounded to float16" in words
    weight_only = given @ weight.astype(np.float16).astype(np.float64).T
    assert "on its weight rounded to float16" in rounded_operands_relation("fc1", weight_only, given, weight,
                                                                            _dense(bias))
    float32 = (given.astype(np.float32) @ weight.astype(np.float32).T).astype(np.float64)  # float32's own rounding
    assert rounded_operands_relation("fc1", float32, given, weight, _dense(bias)) == ""
    other = narrow * 1.01  # rounded, then scaled: not the layer's own computation on rounded values
    assert rounded_operands_relation("fc1", other, given, weight, _dense(bias)) == ""


def test_a_missing_bias_is_not_said_where_the_bias_is_zero():
    from compare.checking.mistakes import _dense_cause
    from implementations.mlp.spec import MLPSpec

    class Evidence:  # what _dense_cause reads: the spec's initial parameters
        spec, seed = MLPSpec(), 0

    initial = Evidence.spec.initial_parameters(0)
    weight, bias = initial["fc1.weight"].astype(np.float64), initial["fc1.bias"].astype(np.float64)
    given = GENERATOR.uniform(size=(4, weight.shape[1]))
    assert not np.any(bias)  # the MLP's biases start at zero: with or without them, the output is the same
    assert _dense_cause(Evidence, "fc1", given @ weight.T * (1 + 1e-7), given) == ""
    Evidence.spec = type("Biased", (MLPSpec,), {"initial_parameters": lambda self, seed: {
        **initial, "fc1.bias": np.full(bias.shape, 0.5, np.float32)}})()
    assert _dense_cause(Evidence, "fc1", given @ weight.T, given) == "fc1 adds no bias"


def test_a_state_that_stays_zero_is_told_apart_by_the_weights_step_where_it_can_be():
    from compare.checking.evidence import Evidence
    from compare.checking.probe import after_step
    from compare.checking.unmoved_states import never_moves
    from implementations.mlp.spec import MLPSpec

    weights = GENERATOR.normal(size=(4, 3))
    moved = f"{after_step(0)} fc1.weight"
    same = Evidence({moved: weights}, {moved: weights.copy()}, np.zeros((2, 3)), MLPSpec(), 0, lambda: None)
    both = never_moves("fc1.weight:square_average", 0, same)
    assert "Either the update is not written into the array" in both and "or the value written is 0" in both
    apart = Evidence({moved: weights * 1.1}, {moved: weights}, np.zeros((2, 3)), MLPSpec(), 0, lambda: None)
    written = never_moves("fc1.weight:square_average", 0, apart)
    assert "the value written into it is 0 at every step" in written and "rebound" not in written
    assert "a name rebound" in never_moves("fc1.weight", 0, apart)  # a weight that never moves: not written


def test_a_batch_norm_variance_centred_on_the_mean_of_every_channel_is_named_and_the_chapters_is_not():
    from compare.checking.batch_norm_relations import Normalization, batch_norm_relation

    channels = 4
    norm = Normalization(np.ones(channels), np.zeros(channels), np.zeros(channels), np.ones(channels), 1e-5, 0.9)
    given = GENERATOR.normal(loc=np.arange(channels).reshape(1, -1, 1, 1), size=(8, channels, 5, 5))
    mean = given.mean(axis=(0, 2, 3), keepdims=True)
    reference = (given - mean) / np.sqrt(given.var(axis=(0, 2, 3), keepdims=True) + 1e-5)
    spread = ((given - given.mean()) ** 2).mean(axis=(0, 2, 3), keepdims=True)
    words = batch_norm_relation("bn1", (given - mean) / np.sqrt(spread + 1e-5), reference, given, norm)
    assert "a variance centred on the mean of every channel together" in words
    assert batch_norm_relation("bn1", reference, reference, given, norm) == ""


def test_weights_replaced_by_the_step_are_named_on_a_parameter_that_starts_elsewhere():
    """rmsprop's `param[:] = div` for `param[:] -= div` on linear regression: the bias starts at 0, where the step
    assigned and the step added look alike; the weight, which starts elsewhere, tells them apart."""
    from compare.checking.assigned_steps import assigned_relation
    from compare.checking.evidence import Evidence
    from compare.checking.probe import after_step
    from implementations.linear_regression.spec import LinearRegressionSpec

    spec = LinearRegressionSpec()
    initial = {name: value.astype(np.float64) for name, value in spec.initial_parameters(0).items()}
    steps = {name: np.random.default_rng(4).normal(0, 0.1, value.shape) for name, value in initial.items()}
    reference = {f"{after_step(0)} {name}": initial[name] - steps[name] for name in initial}

    def read(after: dict) -> str:
        evidence = Evidence({f"{after_step(0)} {name}": value for name, value in after.items()}, reference,
                            np.zeros((4, 2)), spec, 0, lambda: None)
        return assigned_relation("fc1.bias", 0, (initial["fc1.bias"], after["fc1.bias"] - initial["fc1.bias"],
                                                 -steps["fc1.bias"]), evidence)

    assert not np.any(initial["fc1.bias"]) and np.any(initial["fc1.weight"])
    assert "w[:] = step" in read({name: steps[name] for name in initial})
    assert read({name: initial[name] + steps[name] for name in initial}) == ""  # the step added: a sign, not this
    small = {name: value * 1e-4 for name, value in initial.items()}  # weights all but 0: the two cannot be told
    told = assigned_relation("fc1.weight", 0, (small["fc1.weight"], steps["fc1.weight"] - small["fc1.weight"],
                                               -steps["fc1.weight"]), Evidence({}, {}, np.zeros((4, 2)), spec, 0,
                                                                               lambda: None))
    assert "(w += step) or the weights are replaced by it" in told and "too near 0" in told


def test_images_mirrored_before_flattening_are_named_and_unmoved_ones_are_not():
    from compare.checking.layer_relations import flatten_relation

    given = GENERATOR.uniform(size=(3, 1, 6, 6))
    mirrored = flatten_relation(np.flip(given, 3).reshape(3, -1), given)
    assert "flipped along axis 3" in mirrored and "mirrored left to right" in mirrored
    assert "upside down" in flatten_relation(np.flip(given, 2).reshape(3, -1), given)
    assert flatten_relation(given.reshape(3, -1), given) == ""


def test_labels_shifted_by_one_with_the_last_clipped_or_wrapped_are_named_and_a_shuffle_is_not_called_a_shift():
    from compare.checking.loss_relations import _labels_relation

    labels = np.arange(40) % 10
    per_class = GENERATOR.uniform(1, 3, (40, 10))  # (N, classes): each class's cross-entropy, all different
    rows = np.arange(40)
    clipped = _labels_relation(per_class[rows, np.clip(labels + 1, 0, 9)], per_class, labels)
    assert "as y + 1, the label past the end clipped" in clipped
    assert "as y + 1, wrapping around" in _labels_relation(per_class[rows, (labels + 1) % 10], per_class, labels)
    shuffled = GENERATOR.permutation(10)[labels]
    assert "y + 1" not in _labels_relation(per_class[rows, shuffled], per_class, labels)


def test_a_kernel_read_at_the_wrong_tap_index_is_said_as_the_taps_it_holds():
    from compare.checking.kernel_fit import FittedKernel, _taps_moved

    weight = GENERATOR.normal(size=(3, 2, 5, 5))
    diagonal = np.stack([weight[:, :, i, i] for i in range(5)], axis=-1)[:, :, :, None].repeat(5, axis=3)
    shown = np.ones(2, dtype=bool)
    assert "the weight's tap (i, i)" in _taps_moved(FittedKernel(diagonal, np.zeros(3), shown), weight)
    transposed = weight.transpose(0, 1, 3, 2)
    assert "the weight's tap (j, i)" in _taps_moved(FittedKernel(transposed, np.zeros(3), shown), weight)
    assert _taps_moved(FittedKernel(weight.copy(), np.zeros(3), shown), weight) == ""
    scaled = weight * 1.5  # no tap of the weight: a factor, said by the kernel's relation
    assert _taps_moved(FittedKernel(scaled, np.zeros(3), shown), weight) == ""


def test_a_parameter_without_gradient_whose_forward_agrees_is_said_cut_from_the_graph():
    from compare.checking.evidence import Evidence
    from compare.checking.gradient_causes import gradient_cause
    from compare.results.measures import QuantityComparison, Tolerance
    from implementations.mlp.spec import MLPSpec

    layer, gradient = GENERATOR.normal(size=(4, 8)), GENERATOR.normal(size=(8, 3))
    row = QuantityComparison("learner", "gradient fc1.weight", 1.0, 1.0, Tolerance(0.0, 0.0), False)
    reference = {"layer fc1": layer, "loss": np.ones(4), "gradient fc1.weight": gradient}

    def said(forward: np.ndarray) -> str:
        values = {"layer fc1": forward, "loss": np.ones(4), "gradient fc1.weight": np.zeros_like(gradient)}
        return gradient_cause(row, Evidence(values, reference, np.zeros((4, 3)), MLPSpec(), 0, lambda: None))

    assert "the recorded graph is cut between it and the loss" in said(layer.copy())
    assert said(layer + 1.0) == ("fc1.weight gets no gradient: it is not part of the recorded computation "
                                 "(attach_grad, or not used)")
    bias = QuantityComparison("learner", "gradient fc1.bias", 1.0, 1.0, Tolerance(0.0, 0.0), False)
    reference["gradient fc1.bias"] = GENERATOR.normal(size=256)  # the MLP's biases start at 0: unused, no change
    values = {"layer fc1": layer.copy(), "loss": np.ones(4), "gradient fc1.bias": np.zeros(256)}
    unused = gradient_cause(bias, Evidence(values, reference, np.zeros((4, 3)), MLPSpec(), 0, lambda: None))
    assert "its values start at 0, so the outputs agree with or without it" in unused


def test_smooth_relus_are_named_by_their_function_and_told_apart():
    from compare.checking.activation_relations import activation_relation

    given = GENERATOR.normal(0, 0.5, (16, 32))  # small inputs: GELU and SiLU differ from ReLU by ~0.1 here
    reference = np.maximum(given, 0)
    silu = given / (1 + np.exp(-given))
    tanh_gelu = 0.5 * given * (1 + np.tanh(np.sqrt(2 / np.pi) * (given + 0.044715 * given ** 3)))
    assert "computes SiLU" in activation_relation("relu3", silu, reference, given)
    assert "GELU" in activation_relation("relu3", tanh_gelu, reference, given)
    assert activation_relation("relu3", reference, reference, given) == ""


def test_a_penalty_multiplied_by_lambda_again_is_a_named_number_where_weight_decay_is_on():
    from compare.checking.evidence import Evidence, numbers_of
    from implementations.optimizers import Optimizer
    from implementations.weight_decay.spec import WeightDecaySpec

    spec = WeightDecaySpec()
    evidence = Evidence({}, {}, np.zeros((20, 200)), spec, 0, lambda: None, learning_rate=0.003,
                        optimizer=Optimizer("sgd", (), 3.0))
    penalty = 1.5 * float(np.sum(spec.initial_parameters(0)["fc1.weight"].astype(np.float64) ** 2))
    assert "lambda applied twice" in numbers_of(evidence).name_of(3 * penalty)
    assert "lambda applied twice" not in numbers_of(evidence).name_of(penalty)
    plain = Evidence({}, {}, np.zeros((20, 200)), spec, 0, lambda: None, learning_rate=0.003,
                     optimizer=Optimizer("sgd"))
    assert "lambda applied twice" not in numbers_of(plain).name_of(3 * penalty)


def test_each_example_standardized_by_its_own_statistics_is_named_and_one_map_for_all_is_left_to_the_affine():
    from compare.checking.example_relations import per_example_affine_relation

    images = GENERATOR.uniform(size=(6, 784)) * GENERATOR.uniform(0.2, 1, (6, 1))
    own = (images - images.mean(axis=1, keepdims=True)) / images.std(axis=1, keepdims=True)
    assert "standardized by its own statistics" in per_example_affine_relation(own, images)
    scaled = images * np.arange(1, 7).reshape(6, 1) + 0.5
    assert "a number of its own (1 to 6)" in per_example_affine_relation(scaled, images)
    assert per_example_affine_relation((images - 0.5) / 0.25, images) == ""  # one map for all: the affine's


def test_a_temperature_and_soft_targets_are_told_apart_by_their_gradient_at_the_logits():
    """The cross-entropy of z / 2 against soft targets: told apart by value and by the gradient at the logits,
    (softmax(z / 2) - onehot) / 2, where the logits spread (at uniform logits the two are one: T = 1 / (1 - eps))."""
    from compare.checking.loss_gradients import softmax, target_weights_relation, temperature_relation

    logits, labels = np.random.default_rng(8).normal(0, 1, (64, 10)), np.random.default_rng(9).integers(0, 10, 64)
    rows, onehot = np.arange(64), np.eye(10)[labels]
    per_class = -np.log(softmax(logits))
    halved = -np.log(softmax(logits / 2))[rows, labels]
    difference = float(np.abs(halved - per_class[rows, labels]).max())
    gradient = (softmax(logits / 2) - onehot) / 2
    assert "divided by T = 2" in temperature_relation(halved, (logits, labels), difference, gradient)
    assert target_weights_relation(halved, (logits, per_class, labels), difference, gradient) == ""
    smoothed = 0.9 * per_class[rows, labels] + 0.01 * per_class.sum(axis=1)
    targets = 0.01 + 0.9 * onehot
    soft_gradient = targets.sum(axis=1, keepdims=True) * softmax(logits) - targets
    assert "soft targets" in target_weights_relation(smoothed, (logits, per_class, labels), difference, soft_gradient)
    assert temperature_relation(smoothed, (logits, labels), difference, soft_gradient) == ""


def test_twice_the_learning_rate_is_no_name_for_a_factor_and_twice_another_number_still_is():
    from compare.checking.relations import Numbers

    assert Numbers((("the learning rate (0.1)", 0.1),)).name_of(0.2, plain=False) == ""
    assert Numbers((("momentum (0.1)", 0.1),)).name_of(0.2, plain=False) == "2 x momentum (0.1)"
    assert Numbers((("the learning rate (0.1)", 0.1),)).name_of(0.1, plain=False) == "the learning rate (0.1)"


def _bn_norm(channels: int):
    from compare.checking.batch_norm_relations import Normalization

    return Normalization(np.ones(channels), np.zeros(channels), np.zeros(channels), np.ones(channels), 1e-5, 0.9)


def test_a_batch_norm_over_two_halves_of_the_batch_and_one_over_the_fourth_root_are_named():
    from compare.checking.batch_norm_parts import divisor_power_relation, split_batch_relation

    norm = _bn_norm(6)
    given = np.random.default_rng(5).normal(np.arange(6).reshape(1, -1, 1, 1), np.linspace(0.02, 2, 6).reshape(
        1, -1, 1, 1), (8, 6, 4, 4))
    axes = (0, 2, 3)

    def chapter(x, power=0.5):
        return (x - x.mean(axis=axes, keepdims=True)) / (x.var(axis=axes, keepdims=True) + 1e-5) ** power

    reference = chapter(given)
    halves = np.concatenate([chapter(given[:4]), chapter(given[4:])])
    assert "each of 2 parts of the batch (4 examples each" in split_batch_relation("bn1", (halves, reference), given,
                                                                                     norm)
    assert split_batch_relation("bn1", (reference * 1.5, reference), given, norm) == ""
    fourth = chapter(given, 0.25)
    assert "(var + eps)^0.25" in divisor_power_relation("bn1", (fourth, reference), given, norm)
    assert "the root taken twice" in divisor_power_relation("bn1", (fourth, reference), given, norm)
    assert divisor_power_relation("bn1", (halves, reference), given, norm) == ""


def test_a_max_pool_with_one_slice_reading_a_single_column_is_named_and_the_chapters_is_not():
    from compare.checking.pool_sources import stray_sources_relation

    given = np.maximum(np.random.default_rng(0).normal(size=(4, 3, 10, 10)), 0)
    corners = (given[:, :, ::2, ::2], given[:, :, 1::2, ::2], given[:, :, ::2, 1::2])
    typed = np.maximum(np.maximum(*corners[:2]), np.maximum(corners[2], given[:, :, 1::2, 1:2]))  # 1:2 for 1::2
    words = stray_sources_relation("pool2", typed, given, 2)
    assert "but its (1, 1) one" in words and "input column 1" in words and "(1:2 where 1::2" in words
    chapter = given.reshape(4, 3, 5, 2, 5, 2).max(axis=(3, 5))
    assert stray_sources_relation("pool2", chapter, given, 2) == ""


def test_a_kernel_of_which_only_one_column_is_used_names_the_taps_it_keeps():
    from compare.checking.kernel_fit import FittedKernel, _parts_used

    weight = GENERATOR.normal(size=(3, 2, 5, 5))
    last_column = np.zeros_like(weight)
    last_column[..., 4] = weight[..., 4]
    words = _parts_used(FittedKernel(last_column, np.zeros(3), np.ones(2, dtype=bool)), weight)
    assert "uses only 5 of the kernel's 25 taps" in words and "only the kernel's column 4" in words
    most = weight.copy()
    most[..., 4, 4] = 0  # one tap left out: the taps it leaves out are the fewer, and named
    assert "leaving out (row, column) (4, 4)" in _parts_used(FittedKernel(most, np.zeros(3), np.ones(2, dtype=bool)),
                                                            weight)


def test_a_one_value_parameters_move_is_fitted_with_every_parameters_and_never_alone():
    """A linear regression's bias has one value: any factor fits it. Its move is read with the whole model's."""
    from compare.checking.evidence import Evidence
    from compare.checking.probe import after_step
    from compare.checking.relations import Numbers
    from compare.checking.update_relations import update_relation
    from compare.results.measures import QuantityComparison, Tolerance
    from implementations.linear_regression.spec import LinearRegressionSpec

    spec = LinearRegressionSpec()
    initial = {name: value.astype(np.float64) for name, value in spec.initial_parameters(0).items()}
    steps = {name: np.random.default_rng(6).normal(0, 0.1, value.shape) for name, value in initial.items()}
    reference = {f"{after_step(0)} {name}": initial[name] - steps[name] for name in initial}
    row = QuantityComparison("learner", "weights fc1.bias", 1.0, 1.0, Tolerance(0.0, 0.0), False)

    def said(factors: dict) -> str:
        values = {f"{after_step(0)} {name}": initial[name] - factors[name] * steps[name] for name in initial}
        return update_relation(row, Evidence(values, reference, np.zeros((4, 2)), spec, 0, lambda: None,
                                             learning_rate=0.03), Numbers())

    assert "0.5x the reference's" in said({"fc1.weight": 0.5, "fc1.bias": 0.5})
    assert "fitted over every parameter's move" in said({"fc1.weight": 0.5, "fc1.bias": 0.5})
    assert said({"fc1.weight": 1.7, "fc1.bias": 0.5}) == ""  # no one factor: the bias's own 0.5 is not said


def test_a_whole_steps_factor_is_never_named_by_the_learning_rates_square_or_root():
    from compare.checking.mistakes import _step_factor_named
    from compare.checking.relations import Numbers

    numbers = Numbers((("the learning rate (0.5)", 0.5), ("the batch size (64)", 64.0)))
    assert "the learning rate (0.5)" in _step_factor_named(numbers, 0.5)  # lr applied twice (or 1/2)
    assert "learning rate" not in _step_factor_named(numbers, 0.25)  # 64 / 256, not lr^2
    assert "learning rate" not in _step_factor_named(numbers, float(np.sqrt(0.5)))


def test_a_squared_loss_plus_a_large_constant_is_no_polynomial_short_of_a_term():
    from compare.checking.loss_relations import _polynomial

    rng = np.random.default_rng(12)
    predictions, targets = rng.normal(0, 0.01, 20), rng.normal(0, 3, 20)
    chapter = (predictions - targets) ** 2 / 2
    plus = chapter + 5545.0  # y^2 / 2 (at most ~40) hides in the constant's float32 rounding
    assert _polynomial(plus, predictions, targets, float(np.abs(plus - chapter).max())) == ""
    predictions = rng.normal(0, 2, 20)
    chapter = (predictions - targets) ** 2 / 2
    halved = predictions ** 2 / 2 - predictions * targets + 0.25 * targets ** 2  # no constant: still read
    assert "y_hat y" in _polynomial(halved, predictions, targets, float(np.abs(halved - chapter).max()))


def test_the_penalty_times_the_batch_is_a_named_number_where_weight_decay_is_on():
    from compare.checking.evidence import Evidence, numbers_of
    from implementations.optimizers import Optimizer
    from implementations.weight_decay.spec import WeightDecaySpec

    spec = WeightDecaySpec()
    evidence = Evidence({}, {}, np.zeros((20, 200)), spec, 0, lambda: None, learning_rate=0.003,
                        optimizer=Optimizer("sgd", (), 3.0))
    penalty = 1.5 * float(np.sum(spec.initial_parameters(0)["fc1.weight"].astype(np.float64) ** 2))
    assert "times the batch size" in numbers_of(evidence).name_of(20 * penalty)


def test_a_dense_product_scaled_with_its_bias_left_alone_is_named_and_a_whole_output_factor_is_not():
    from compare.checking.layer_relations import product_factor_relation
    from compare.checking.relations import Numbers

    given, weight, bias = GENERATOR.uniform(size=(8, 784)), GENERATOR.normal(0, 0.01, (10, 784)), np.full(10, 0.3)
    reference = given @ weight.T + bias
    numbers = Numbers((("fc1's inputs (784)", 784.0),))
    words = product_factor_relation("fc1", ((given @ weight.T) / 28 + bias, reference), bias, numbers)
    assert "1 / sqrt(fc1's inputs (784))" in words and "its bias added unscaled" in words
    assert product_factor_relation("fc1", (reference / 28, reference), bias, numbers) == ""
    assert product_factor_relation("fc1", ((given @ weight.T) / 28, given @ weight.T), np.zeros(10), numbers) == ""


def test_a_smooth_maximum_pool_is_named_with_its_sharpness_and_a_sum_pool_by_its_window():
    from compare.checking.layer_relations import Window, pooled, window_relation
    from compare.checking.pool_sources import smooth_max_relation

    given = np.maximum(GENERATOR.normal(0, 0.1, (2, 3, 8, 8)), 0)
    blocks = given.reshape(2, 3, 4, 2, 4, 2)
    smooth = np.log(np.exp(10 * blocks).sum(axis=(3, 5))) / 10
    assert "beta = 10" in smooth_max_relation("pool2", smooth, given, 2)
    assert smooth_max_relation("pool2", blocks.max(axis=(3, 5)), given, 2) == ""
    reference = pooled(given, Window("max", 2, 2, 0))
    assert "sum pooling over a 2x2 window" in window_relation("pool2", blocks.sum(axis=(3, 5)), reference,
                                                               lambda window: pooled(given, window), "pool")
