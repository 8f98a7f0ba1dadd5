"""A layer's slip read as one change of the chapter's program, computed on the layer's own input: batch norm's
statistics taken from the first example alone or over other axes, a dense layer's bias multiplied; and nothing
said where the learner's output is the chapter's or no single change gives it."""
import numpy as np

from compare.checking.batch_norm_relations import Normalization
from compare.checking.layer_programs import batch_norm_program, dense_program, program_relation

EPS = 1e-5


def _norm(channels: int, generator: np.random.Generator) -> Normalization:
    return Normalization(gamma=1 + 0.1 * generator.normal(size=channels), beta=0.1 * generator.normal(size=channels),
                         moving_mean=np.zeros(channels), moving_var=np.ones(channels), epsilon=EPS, momentum=0.9)


def batch_norm_program_relation(outputs: tuple[np.ndarray, np.ndarray], x: np.ndarray, norm: Normalization) -> str:
    env = {"x": x, "gamma": norm.gamma.reshape(1, -1, 1, 1), "beta": norm.beta.reshape(1, -1, 1, 1), "eps": EPS}
    return program_relation("batch norm", batch_norm_program(x.ndim), env, outputs)


def _batch_norm(x: np.ndarray, norm: Normalization, statistics_of: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """The chapter's batch norm of x, its mean and variance taken from `statistics_of` over `axes`."""
    shape = (1, -1, 1, 1)
    mean = statistics_of.mean(axis=axes, keepdims=True)
    var = ((statistics_of - mean) ** 2).mean(axis=axes, keepdims=True)
    return norm.gamma.reshape(shape) * (x - mean) / np.sqrt(var + EPS) + norm.beta.reshape(shape)


def test_statistics_of_the_first_example_alone_or_over_other_axes_are_named():
    generator = np.random.default_rng(0)
    x = generator.normal(size=(8, 3, 6, 6)) * 2 + 1
    norm = _norm(3, generator)
    reference = _batch_norm(x, norm, x, (0, 2, 3))
    first = batch_norm_program_relation((_batch_norm(x, norm, x[:1], (0, 2, 3)), reference), x, norm)
    assert "mean(x[:1], axis=(0, 2, 3))" in first and "statistics of the first example alone" in first
    per_example = batch_norm_program_relation((_batch_norm(x, norm, x, (2, 3)), reference), x, norm)
    assert "taken over axes (2, 3) where the chapter takes axes (0, 2, 3)" in per_example


def test_an_output_no_single_change_gives_says_nothing():
    generator = np.random.default_rng(1)
    x = generator.normal(size=(8, 3, 6, 6))
    norm = _norm(3, generator)
    reference = _batch_norm(x, norm, x, (0, 2, 3))
    assert batch_norm_program_relation((reference + 0.25, reference), x, norm) == ""
    noisy = reference + 0.3 * generator.normal(size=reference.shape)
    assert batch_norm_program_relation((noisy, reference), x, norm) == ""


def test_a_dense_layers_bias_multiplied_is_named():
    generator = np.random.default_rng(2)
    x, weight, bias = generator.normal(size=(16, 10)), generator.normal(size=(4, 10)), generator.normal(size=4)
    reference = x @ weight.T + bias
    env = {"xw": x @ weight.T, "b": bias.reshape(1, -1)}
    found = program_relation("a dense layer", dense_program(), env, (x @ weight.T * bias, reference))
    assert "`y = xw * b` where a dense layer has `y = xw + b`" in found and "multiplies where the chapter adds" in found


def test_a_change_at_a_bias_of_zeros_or_an_output_equal_to_the_chapters_says_nothing():
    """A bias at its initial 0 makes max(xw, b) a ReLU of the product: said as a max of two terms, it misleads."""
    generator = np.random.default_rng(3)
    x, weight = generator.normal(size=(16, 10)), generator.normal(size=(4, 10))
    env = {"xw": x @ weight.T, "b": np.zeros((1, 4))}
    reference = x @ weight.T
    assert program_relation("a dense layer", dense_program(), env, (np.maximum(reference, 0), reference)) == ""
    assert program_relation("a dense layer", dense_program(), env, (reference * (1 + 1e-9), reference)) == ""
