"""check's structural measurements on arrays built by hand: values rearranged by a reshape, a pooling's larger
output cropped to fit, a convolution's kernel fitted to its output (which input channels, taps or bias it uses),
the gradient reaching a dense layer solved from its weight's gradient, a batch norm's per-channel slope and
offset fitted to its terms, and dropout masks that share their draws across layers. Each is found where it holds
and not where it does not."""
import numpy as np

from compare.checking.batch_norm_relations import Normalization
from compare.checking.batch_norm_terms import terms_relation
from compare.checking.dropout_statistics import shared_draws
from compare.checking.gradient_relations import upstream_relation
from compare.checking.kernel_fit import dense_relation, kernel_relation
from compare.checking.layer_relations import Window, convolved, pooled, window_relation
from compare.checking.pool_sources import source_relation
from compare.checking.relations import Numbers, relation
from compare.checking.state_terms import swapped_relation

RNG = np.random.default_rng(11)
NUMBERS = Numbers((("the batch size (8)", 8.0),))


def test_a_reshape_where_a_transpose_was_needed_is_named_by_the_axes_it_took():
    reference = RNG.normal(size=(8, 3, 5, 5))  # (N, C, H, W)
    scrambled = np.ascontiguousarray(reference.transpose(1, 0, 2, 3)).reshape(reference.shape)
    assert "axes taken as (C, N, H, W)" in relation(scrambled, reference, NUMBERS)


def test_values_rearranged_within_each_example_are_said_so_and_noise_is_not():
    reference = RNG.normal(size=(8, 40))
    shuffled = np.stack([RNG.permutation(row) for row in reference])
    assert "rearranged within each example" in relation(shuffled, reference, NUMBERS)
    assert relation(reference + 1e-2 * RNG.normal(size=reference.shape), reference, NUMBERS) == ""


def test_a_stride_one_pooling_cropped_to_the_references_shape_is_named_with_its_crop():
    given = RNG.normal(size=(4, 3, 12, 12))
    reference = pooled(given, Window("max", 2, 2, 0))  # (4, 3, 6, 6)
    cropped = pooled(given, Window("max", 2, 1, 0))[:, :, :6, :6]  # (4, 3, 11, 11) cut to its top-left 6x6
    words = window_relation("pool1", cropped, reference, lambda window: pooled(given, window), "pool")
    assert "stride 1" in words and "top-left 6x6" in words and "stride 2" in words


def _convolution_case():
    given = RNG.normal(size=(6, 4, 9, 9))
    weight, bias = RNG.normal(size=(5, 4, 3, 3)), RNG.normal(size=5)
    return given, weight, bias, convolved(given, weight, bias, Window("conv", 3, 1, 0))


def test_a_convolution_that_keeps_only_the_last_input_channel_is_named_from_its_fitted_kernel():
    given, weight, bias, reference = _convolution_case()
    only_last = weight * (np.arange(4) == 3).reshape(1, -1, 1, 1)
    actual = convolved(given, only_last, bias, Window("conv", 3, 1, 0))
    words = kernel_relation("conv2", (actual, reference), given, (weight, bias), NUMBERS)
    assert "uses only input channel 3 of 4 (the last)" in words and "bias" not in words


def test_a_convolution_without_its_bias_is_named_and_its_own_is_not_faulted():
    given, weight, bias, reference = _convolution_case()
    no_bias = convolved(given, weight, np.zeros_like(bias), Window("conv", 3, 1, 0))
    assert kernel_relation("conv1", (no_bias, reference), given, (weight, bias), NUMBERS).endswith("adds no bias")
    assert kernel_relation("conv1", (reference, reference), given, (weight, bias), NUMBERS) == ""


def test_an_output_no_convolution_reproduces_gets_no_kernel_words():
    given, weight, bias, reference = _convolution_case()
    assert kernel_relation("conv1", (np.maximum(reference, 0), reference), given, (weight, bias), NUMBERS) == ""


def _dense_case():
    given = RNG.normal(size=(8, 30))  # (N, inputs): fewer examples than inputs, so delta is pinned
    output = RNG.normal(size=(8, 5))  # the layer's output z
    upstream = RNG.normal(size=(8, 5))  # what reaches relu's output
    return given, output, upstream


def test_a_backward_that_passes_a_0_1_mask_is_named_from_the_solved_gradient():
    given, output, upstream = _dense_case()
    reference = (upstream * (output > 0)).T @ given  # grad W = delta^T X, delta through relu's mask
    mask = (upstream * output > 0).astype(float).T @ given  # `dy * x > 0`: the comparison itself
    words = upstream_relation("fc1.weight", (mask, reference), given, output, NUMBERS)
    assert "takes only the values 0, 1" in words


def test_a_backward_that_forgets_the_mask_is_placed_by_the_sign_of_the_layers_output():
    given, output, upstream = _dense_case()
    reference = (upstream * (output > 0)).T @ given
    unmasked = upstream.T @ given
    words = upstream_relation("fc1.weight", (unmasked, reference), given, output, NUMBERS)
    assert "agrees wherever the layer's output is positive" in words


def test_a_gradient_that_cannot_be_solved_gets_no_upstream_words():
    given = RNG.normal(size=(40, 3))  # more examples than inputs: delta is not pinned
    output = RNG.normal(size=(40, 2))
    gradient = RNG.normal(size=(2, 3))
    assert upstream_relation("fc1.weight", (gradient, 2 * gradient), given, output, NUMBERS) == ""


def _normalization(channels: int) -> Normalization:
    return Normalization(np.ones(channels), np.zeros(channels), np.zeros(channels), np.ones(channels), 1e-5, 0.9)


def test_a_batch_norm_dividing_only_the_mean_is_named_by_its_slope_and_offset():
    channels = 12  # per-channel terms are fitted over the channels: a handful per term at least
    given = RNG.normal(loc=RNG.uniform(1, 3, (1, channels, 1, 1)), scale=RNG.uniform(1, 4, (1, channels, 1, 1)),
                       size=(8, channels, 4, 4))
    mean, var = given.mean(axis=(0, 2, 3), keepdims=True), given.var(axis=(0, 2, 3), keepdims=True)
    reference = (given - mean) / np.sqrt(var + 1e-5)
    unbracketed = given - mean / np.sqrt(var + 1e-5)
    words = terms_relation("bn1", (unbracketed, reference), given, _normalization(channels), NUMBERS)
    assert "multiplies its input by gamma where the reference multiplies it by gamma / sqrt(var + eps)" in words
    assert "brackets missing" in words


def test_a_batch_norm_that_is_no_line_of_its_input_gets_no_term_words():
    given = RNG.normal(size=(8, 3, 4, 4))
    reference = (given - given.mean(axis=(0, 2, 3), keepdims=True)) / given.std(axis=(0, 2, 3), keepdims=True)
    assert terms_relation("bn1", (np.tanh(reference), reference), given, _normalization(3), NUMBERS) == ""


def _passes(draws: list[np.ndarray], keep: float) -> list[tuple[np.ndarray, np.ndarray]]:
    inputs = np.ones((16, 64))
    return [(inputs, (u < keep) * inputs / keep) for u in draws]


def test_dropout_masks_drawn_from_the_same_numbers_are_named_and_independent_ones_are_not():
    draws = [RNG.uniform(size=(16, 64)) for _ in range(5)]
    first = _passes(draws, 0.8)
    drops = {"dropout1": 0.2, "dropout2": 0.5}
    nested = shared_draws("dropout2", _passes(draws, 0.5), ({"dropout1": first}, drops))
    assert "not independent of dropout1's" in nested and "reuse the same random draws" in nested
    fresh = _passes([RNG.uniform(size=(16, 64)) for _ in range(5)], 0.5)
    assert shared_draws("dropout2", fresh, ({"dropout1": first}, drops)) == ""
    rate_of_the_first = _passes([RNG.uniform(size=(16, 64)) for _ in range(5)], 0.8)  # dropout2 at dropout1's rate:
    assert shared_draws("dropout2", rate_of_the_first, ({"dropout1": first}, drops)) == ""  # 68 % agree by chance


def test_a_max_pooling_over_runs_of_a_row_is_named_by_where_its_values_come_from():
    given = RNG.normal(size=(2, 3, 8, 8))
    reference = given.reshape(2, 3, 4, 2, 4, 2).max(axis=(3, 5))  # 2x2 blocks
    runs = given.reshape(2, 3, 4, 4, 4).max(axis=4).reshape(2, 3, 4, 4)  # (N, C, 4, 4, 4): 4 values of a row
    words = source_relation("pool1", runs, reference, given)
    assert "a 1x4 block (1 row by 4 columns)" in words and "a 2x2 block (2 rows by 2 columns)" in words
    assert source_relation("pool1", reference, reference, given) == ""


def test_a_dense_layer_with_its_bias_joined_on_the_wrong_side_is_named_from_its_fitted_weights():
    given = RNG.normal(size=(32, 2))
    weight, bias = np.array([[2.0, -3.4]]), np.array([4.2])
    reference = given @ weight.T + bias
    shifted = given @ np.array([[4.2, 2.0]]).T - 3.4  # [b, w1] on the inputs, w2 as the bias
    words = dense_relation("fc1", (shifted, reference), given, (weight, bias), NUMBERS)
    assert "uses its own weights and bias in other places" in words
    assert dense_relation("fc1", (reference, reference), given, (weight, bias), NUMBERS) == ""


def test_a_batch_norm_variance_summed_over_the_grid_is_solved_from_its_line_and_named():
    channels = 12
    given = RNG.normal(loc=RNG.uniform(-1, 1, (1, channels, 1, 1)), scale=RNG.uniform(0.5, 2, (1, channels, 1, 1)),
                       size=(4, channels, 6, 6))
    norm = Normalization(RNG.uniform(0.5, 2, channels), RNG.normal(size=channels), np.zeros(channels),
                         np.ones(channels), 1e-5, 0.9)
    shape = (1, -1, 1, 1)
    mean, var = given.mean(axis=(0, 2, 3), keepdims=True), given.var(axis=(0, 2, 3), keepdims=True)

    def normalized(variance):
        return norm.gamma.reshape(shape) * (given - mean) / np.sqrt(variance + 1e-5) + norm.beta.reshape(shape)

    numbers = Numbers((("H * W = 36", 36.0),))
    words = terms_relation("bn1", (normalized(36 * var), normalized(var)), given, norm, numbers)
    assert "its variance is 36x the batch's (H * W = 36)" in words


def test_two_states_kept_under_each_others_names_are_said_swapped():
    square, delta = RNG.random(6), RNG.random(6) * 0.01
    reported = {"fc1.weight:square_average": delta, "fc1.weight:delta_average": square}
    reference = {"fc1.weight:square_average": square, "fc1.weight:delta_average": delta}
    assert "the two states are swapped" in swapped_relation("fc1.weight:square_average", reported, reference)
    assert swapped_relation("fc1.weight:square_average", reference, reference) == ""


def test_examples_that_hold_other_examples_values_are_said_with_which():
    from compare.checking.placement import examples_relation

    reference = np.random.default_rng(4).normal(size=(8, 3, 4, 4))
    halves = np.concatenate([reference[:4], reference[:4]])  # the second half computed on the first half's inputs
    words = examples_relation(halves, reference, float(np.abs(halves - reference).max()))
    assert "for examples 4 to 7, the reference's values of examples 0 to 3" in words, words
    assert examples_relation(reference * 1.5, reference, float(np.abs(reference * 0.5).max())) == ""
    same = np.broadcast_to(reference[:1], reference.shape)  # one example's values everywhere
    assert "for every example, the reference's values of example 0" in \
        examples_relation(same, reference, float(np.abs(same - reference).max()))
    assert examples_relation(reference, reference, 1e-9) == ""


def test_a_gradient_collected_in_one_element_is_said_with_which():
    from compare.checking.placement import collected_relation

    reference = np.random.default_rng(6).normal(size=50)
    collected = np.zeros(50)
    collected[0] = reference.sum()  # b[0:1] added to every channel: its gradient gathers every channel's
    words = collected_relation(collected, reference, float(np.abs(collected - reference).max()))
    assert "zero but at element 0" in words and f"({reference.sum():.4g})" in words, words
    halved = np.zeros(50)
    halved[0] = reference.sum() / 2  # one element, but not the sum: no reading
    assert collected_relation(halved, reference, float(np.abs(halved - reference).max())) == ""


def test_near_misses_of_the_examples_and_collected_readings_are_not_said():
    from compare.checking.placement import collected_relation, examples_relation

    reference = np.random.default_rng(7).normal(size=(8, 3, 4, 4))
    reference[5] = reference[2]  # two equal examples: each holding its own is no move
    assert examples_relation(reference + 1e-9, reference, 1e-9) == ""
    scalars = np.random.default_rng(8).normal(size=(8, 1))  # one value per example: any nearest one would "fit"
    assert examples_relation(scalars[::-1].copy(), scalars, float(np.abs(scalars[::-1] - scalars).max())) == ""
    cancelling = np.random.default_rng(9).normal(size=10)
    cancelling -= cancelling.mean()  # a softmax gradient's bias: its sum is 0
    tiny = np.zeros(10)
    tiny[3] = 1e-9
    assert collected_relation(tiny, cancelling, float(np.abs(tiny - cancelling).max())) == ""
