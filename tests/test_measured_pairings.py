"""check's measured relations for slips around the labels and the loss's gradient: labels paired with the wrong
examples, and the gradient at the logits read as the softmax's and the label's parts. Numpy only: each relation is
given numbers with a known cause and must say it, and must stay silent on the reference's own numbers."""
import numpy as np

from compare.checking.loss_relations import _labels_relation


def _per_class(logits: np.ndarray) -> np.ndarray:
    top = logits.max(axis=1, keepdims=True)
    return np.log(np.exp(logits - top).sum(axis=1, keepdims=True)) + top - logits  # -log softmax, (N, classes)


def _batch(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(64, 10)), rng.integers(0, 10, 64)


def test_labels_shuffled_apart_from_the_images_are_said_as_a_lost_pairing():
    logits, labels = _batch(1)
    per_class = _per_class(logits)
    shuffled = np.random.default_rng(2).permutation(labels)
    words = _labels_relation(per_class[np.arange(64), shuffled], per_class, labels)
    assert "shuffled apart from the images" in words


def test_labels_moved_by_one_index_are_said_as_misaligned_by_that_many_places():
    logits, labels = _batch(3)
    per_class = _per_class(logits)
    words = _labels_relation(per_class[np.arange(64), np.roll(labels, 1)], per_class, labels)
    assert "1 place(s) before it" in words and "misaligned" in words


def test_labels_of_another_batch_are_not_called_a_shuffle():
    logits, labels = _batch(4)
    per_class = _per_class(logits)
    other = (labels + np.random.default_rng(5).integers(1, 3, 64)) % 10  # other classes, other counts
    words = _labels_relation(per_class[np.arange(64), other], per_class, labels)
    assert "remapped" in words and "shuffled" not in words and "misaligned" not in words


def _softmax(logits: np.ndarray) -> np.ndarray:
    return np.exp(-_per_class(logits))


def test_a_loss_whose_log_sum_exp_is_detached_passes_only_the_labels_gradient():
    from compare.checking.gradient_relations import loss_gradient_parts

    logits, labels = _batch(6)
    detached = -np.eye(10)[labels]  # d/dz of -z[y] + lse(z) with lse held constant
    words = loss_gradient_parts(detached, logits, labels)
    assert "the softmax's part (the log-sum-exp, the normaliser) passes none" in words
    assert loss_gradient_parts(_softmax(logits) - np.eye(10)[labels], logits, labels) == ""  # the loss's own


def test_a_loss_whose_label_term_is_detached_passes_only_the_softmax():
    from compare.checking.gradient_relations import loss_gradient_parts

    logits, labels = _batch(7)
    assert "the label's logit passes no gradient" in loss_gradient_parts(_softmax(logits) / 64, logits, labels)


def test_a_relu_whose_mask_is_cast_to_integers_is_said_to_cut_values_below_1():
    from compare.checking.activation_relations import activation_relation

    given = np.random.default_rng(8).normal(scale=2.0, size=(16, 6, 4, 4))
    truncated = given * (given.astype(np.int32) > 0)
    words = activation_relation("relu1", truncated, np.maximum(given, 0), given)
    assert "every positive value below 1 is cut" in words and "between" in words
    tiny = given / 100  # every positive value below 1: all are cut
    words = activation_relation("relu1", tiny * (tiny.astype(np.int32) > 0), np.maximum(tiny, 0), tiny)
    assert "gives 0 for every value" in words and "truncated to integers" in words and "never written" in words
    assert activation_relation("relu1", np.maximum(given, 0), np.maximum(given, 0), given) == ""


def _evidence(model: str, reference: dict, values: dict, images: np.ndarray):
    from compare.checking.evidence import Evidence
    from implementations.registry import models

    return Evidence(values, reference, images, models()[model].spec(), 0, fresh=lambda: None)


def test_features_standardised_per_batch_before_a_dense_layer_are_named():
    from compare.checking.input_relations import wrong_input_relation
    from implementations.registry import models

    spec = models()["linear-regression"].spec()
    weight, bias = (spec.initial_parameters(0)[f"fc1.{part}"].astype(np.float64) for part in ("weight", "bias"))
    features = np.random.default_rng(9).normal(loc=3.0, scale=2.0, size=(64, 2))
    standardised = (features - features.mean(axis=0)) / features.std(axis=0)
    evidence = _evidence("linear-regression", {"layer fc1": features @ weight.T + bias},
                         {"layer fc1": standardised @ weight.T + bias}, features)
    assert "standardised per feature over the batch, (x - mean) / std" in wrong_input_relation("fc1", evidence)


def test_a_dense_layer_applied_again_inside_the_activation_after_it_is_named():
    from compare.checking.input_relations import wrong_input_relation
    from implementations.registry import models

    initial = {name: value.astype(np.float64) for name, value in models()["dropout"].spec().initial_parameters(0)
               .items()}
    given = np.maximum(np.random.default_rng(10).normal(size=(16, 256)), 0)  # dropout1's output (N, 256)

    def fc2(x):
        return x @ initial["fc2.weight"].T + initial["fc2.bias"]

    reference = {"layer dropout1": given, "layer fc2": fc2(given), "layer relu2": np.maximum(fc2(given), 0)}
    values = {**reference, "layer relu2": np.maximum(fc2(fc2(given)), 0)}
    words = wrong_input_relation("relu2", _evidence("dropout", reference, values, np.zeros((16, 1, 28, 28))))
    assert "fc2 is applied twice" in words


def test_a_loss_that_adds_the_labels_logit_to_the_log_sum_exp_is_said_as_a_flipped_sign():
    from compare.checking.fits import best_fit
    from compare.checking.loss_forms import classification_losses

    logits, labels = _batch(12)
    per_class = _per_class(logits)
    rows = np.arange(64)
    flipped = per_class[rows, labels] + 2 * logits[rows, labels]  # lse + z_y, where the loss is lse - z_y
    words = best_fit(flipped, classification_losses(logits, labels, per_class), 1.0)
    assert "the label's term has its sign flipped" in words


def test_values_rounded_to_half_precision_and_one_value_everywhere_are_named_by_the_general_relation():
    from compare.checking.relations import Numbers, relation

    images = np.random.default_rng(13).random((4, 784))
    assert "rounded to float16" in relation(images.astype(np.float16).astype(np.float64), images, Numbers())
    varied = np.random.default_rng(14).normal(size=(3, 4))
    assert "one value everywhere (0.5)" in relation(np.full((3, 4), 0.5), varied, Numbers())


def test_flattening_that_moves_only_an_axis_of_size_one_is_not_called_a_transpose():
    from compare.checking.layer_relations import flatten_relation

    images = np.random.default_rng(15).random((4, 1, 28, 28))
    nudged = images.reshape(4, -1) + 1e-4  # (N, H, C, W) is (N, C, H, W) when C = 1: no other order
    assert flatten_relation(nudged, images) == ""
    maps = np.random.default_rng(17).random((4, 3, 5, 5))
    assert "(N, H, W, C)" in flatten_relation(_hwc(maps), maps)
    shifted = np.zeros_like(images)  # padded by 2, cropped at (0, 0): the images moved 2 pixels down and right
    shifted[:, :, 2:, 2:] = images[:, :, :-2, :-2]
    words = flatten_relation(shifted.reshape(4, -1), images)
    assert "read back as (N, C, H, W)" in words and "shifted by 2 rows and 2 columns" in words, words


def _hwc(maps: np.ndarray) -> np.ndarray:
    return maps.transpose(0, 2, 3, 1).reshape(len(maps), -1)


def test_a_layer_that_returns_its_input_is_said_to_leave_its_computation_out():
    from compare.checking.diagnosis import unchanged_relation

    given = np.random.default_rng(18).normal(size=(8, 2))  # what fc1 is given (its input)
    doubled = given * 2  # a stand-in for the reference's output of the layer
    evidence = _evidence("linear-regression", {"layer fc1": doubled}, {"layer fc1": doubled + 1}, given)
    assert unchanged_relation("fc1", evidence) == ""  # it computes something else, not its input
    evidence = _evidence("linear-regression", {"layer fc1": doubled}, {"layer fc1": given.copy()}, given)
    assert "its input, unchanged" in unchanged_relation("fc1", evidence)


def test_a_weight_moved_by_another_parameters_gradient_names_that_parameter():
    from compare.checking.update_relations import _other_gradient

    rng = np.random.default_rng(19)
    reference = {"gradient fc1.weight": rng.normal(size=(3, 4)), "gradient fc2.weight": rng.normal(size=(3, 4)),
                 "gradient fc1.bias": rng.normal(size=(1,))}
    evidence = _evidence("mlp", reference, dict(reference), np.zeros((8, 1, 28, 28)))
    assert "fc2.weight's gradient" in _other_gradient("fc1.weight", -0.03 * reference["gradient fc2.weight"], evidence)
    assert _other_gradient("fc1.weight", -0.03 * reference["gradient fc1.weight"], evidence) == ""
    assert _other_gradient("fc1.weight", np.full((3, 4), 0.1), evidence) == ""  # uniform: no one-value gradient fits


def test_two_classes_exchanged_are_named_class_by_class_and_a_map_of_many_classes_is_not_listed():
    logits, labels = _batch(6)
    per_class = _per_class(logits)
    swapped = np.where(labels == 0, 6, np.where(labels == 6, 0, labels))
    words = _labels_relation(per_class[np.arange(64), swapped], per_class, labels)
    assert "class 0 as 6, class 6 as 0" in words and "swapped in pairs" in words
    one_way = np.where(labels == 3, 5, labels)  # 3 read as 5, 5 still 5: remapped, not swapped
    words = _labels_relation(per_class[np.arange(64), one_way], per_class, labels)
    assert "class 3 as 5" in words and "swapped" not in words
    rotated = (labels + 1) % 10  # every class moved: more than a few, said as the rule y + 1 or not listed
    assert "class 0 as" not in _labels_relation(per_class[np.arange(64), rotated], per_class, labels)


def test_a_squared_loss_rescaled_and_shifted_is_said_and_a_gaussian_likelihood_named():
    from compare.checking.loss_forms import scaled_squared_loss

    rng = np.random.default_rng(8)
    chapter = (rng.normal(size=64) - rng.normal(size=64)) ** 2 / 2
    sigma = 0.01
    likelihood = chapter / sigma ** 2 + np.log(sigma * np.sqrt(2 * np.pi))
    words = scaled_squared_loss(likelihood, chapter, float(np.abs(likelihood - chapter).max()))
    assert "1e+04x the chapter's squared loss" in words and "Gaussian negative log-likelihood with sigma = 0.01" in words
    shifted = 3 * chapter + 0.5
    words = scaled_squared_loss(shifted, chapter, float(np.abs(shifted - chapter).max()))
    assert "3x the chapter's squared loss plus 0.5" in words and "Gaussian" not in words
    assert scaled_squared_loss(chapter ** 1.5, chapter, float(np.abs(chapter ** 1.5 - chapter).max())) == ""
