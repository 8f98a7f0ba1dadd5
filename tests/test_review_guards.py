"""A reviewer's reading of this round's relations (2026-12-07): inputs that made them raise (a diagnosis that
raises is replaced by a bare size) or fit by construction (as many numbers fitted as values), each held here."""
import numpy as np

GENERATOR = np.random.default_rng(36)


def test_a_layer_of_another_shape_gets_no_rounded_operands_reading_and_no_error():
    from compare.checking.layer_relations import rounded_operands_relation

    given, weight = GENERATOR.normal(size=(4, 10)), GENERATOR.normal(size=(3, 10))
    assert rounded_operands_relation("fc1", GENERATOR.normal(size=(4, 5)), given, weight, lambda x, w: x @ w.T) == ""
    assert rounded_operands_relation("fc1", GENERATOR.normal(size=(4, 3)), given, weight, lambda x, w: None) == ""


def test_a_pool_of_another_shape_gets_no_stray_sources_reading_and_no_error():
    from compare.checking.pool_sources import stray_sources_relation

    given = GENERATOR.normal(size=(2, 3, 8, 8))
    assert stray_sources_relation("pool1", GENERATOR.normal(size=(2, 3, 3, 3)), given, 2) == ""
    assert stray_sources_relation("pool1", GENERATOR.normal(size=(2, 48)), given, 2) == ""


def test_weights_all_but_zeroed_are_not_read_as_replaced_by_the_step():
    from compare.checking.assigned_steps import _replaced_by_step

    start = GENERATOR.normal(0, 1, (5, 4))
    step = GENERATOR.normal(0, 1e-3, (5, 4))  # the rule's step, a thousandth of the weights
    assert _replaced_by_step((start, -start, -step)) == ""  # w[:] = 0, not w[:] = step
    assert _replaced_by_step((start, step - start, -step)) == "w[:] = step"


def test_an_output_of_two_values_per_example_is_no_per_example_affine_map():
    from compare.checking.example_relations import per_example_affine_relation

    reference = GENERATOR.normal(size=(6, 2))  # any two values are some a * x + b
    assert per_example_affine_relation(GENERATOR.normal(size=(6, 2)), reference) == ""


def test_adam_fitted_numbers_no_correction_explains_are_left_to_the_factor_and_zero_moments_do_not_raise():
    from compare.checking.bias_corrections import measured_corrections
    from implementations.optimizers import Optimizer

    adam = Optimizer("adam")
    g = GENERATOR.normal(0, 1, 200) * 10.0 ** GENERATOR.uniform(-7, -1, 200)
    v, s = 0.1 * g, 0.001 * g * g
    doubled = -0.02 * (v / 0.1) / (np.sqrt(s / 0.001) + 1e-6)  # the learning rate doubled: no correction's doing
    assert measured_corrections(doubled, (v, s), 1, adam, 0.01) == ""
    assert measured_corrections(-0.01 * np.sign(g), (v, np.zeros_like(s)), 1, adam, 0.01) == ""  # s never written


def test_a_momentum_rules_extra_carry_is_said_as_its_weight_on_the_velocity():
    from compare.checking.update_relations import _carried_over

    previous, wanted = GENERATOR.normal(size=(5, 4)), GENERATOR.normal(size=(5, 4))
    words = _carried_over(wanted + 0.4 * previous, wanted, previous, carries=False)
    assert "more than the rule's momentum does" in words and "in a rule that has none" not in words
