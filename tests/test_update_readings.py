"""Update-rule readings added after the fourteenth corpus's tuning (2026-12-07, a second session), each held to
arrays built here with a near miss: a move that is a power of the rule's move; a state keeping the larger or smaller
of its carry and its new term; a state's weight read as the gradient scaled by the batch; a carry kept where a fit
with it is exact; a recurrence scaled whole by a bias correction, or squaring a sum; a move shrinking the weights
where the rule decays none; a parameter that never moves when none does."""
import numpy as np

from compare.checking.move_powers import move_power_relation

GENERATOR = np.random.default_rng(43)


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


def test_a_state_keeping_the_larger_of_its_carry_and_new_term_is_named_and_a_sum_is_not():
    from compare.checking.state_extremes import larger_of_relation

    before, g = GENERATOR.uniform(0, 1e-2, 500), GENERATOR.normal(0, 0.1, 500)
    terms, rule = {"s": before, "g^2": g * g}, {"s": 1.0, "g^2": 1.0}  # adagrad's s + g^2
    assert "max(s, g^2), where the rule adds them" in larger_of_relation(np.maximum(before, g * g), terms, rule)
    assert "min(0.9 * s, 0.1 * g^2)" in larger_of_relation(np.minimum(0.9 * before, 0.1 * g * g), terms,
                                                           {"s": 0.9, "g^2": 0.1})
    assert larger_of_relation(before + 2 * g * g, terms, rule) == ""  # a sum, weighted otherwise
    sparse = np.where(np.arange(500) % 2 == 0, g, 0.0)  # half the gradients 0: a state that stays 0 takes either side
    assert larger_of_relation(np.zeros(500), {"s": np.zeros(500), "g^2": sparse**2}, {"s": 0.9, "g^2": 0.1}) == ""


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


def test_a_move_shrinking_the_weights_where_the_rule_decays_none_is_named_and_a_scaled_move_is_not():
    from compare.checking.decay_terms import decay_term_relation, shrink_relation

    start, rule = GENERATOR.normal(0, 0.05, (20, 25)), GENERATOR.normal(0, 1e-3, (20, 25))
    words = shrink_relation("conv1.weight", start, (rule - 0.1 * 5e-4 * start, rule), 0.1)
    assert "lambda = 0.0005" in words and "decays no weight of conv1.weight" in words
    assert shrink_relation("conv1.weight", start, (1.01 * rule, rule), 0.1) == ""  # no term of w
    constant = decay_term_relation("fc1.weight", start, (rule + 0.1 * 3.0 * start - 0.1 * 0.03, rule), 3.0, 0.1)
    assert "adds 0.03 for weight decay" in constant and "not of the weights w" in constant


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


def test_weight_decays_term_is_not_fitted_where_it_is_within_the_weights_float32_rounding():
    from compare.checking.decay_terms import decay_term_relation

    start = GENERATOR.normal(0, 1.0, (20, 10))
    rule = GENERATOR.normal(0, 1e-3, (20, 10))
    tiny = 1e-7  # lr * lambda: the decay's whole effect is under a weight's float32 ulp
    assert decay_term_relation("fc1.weight", start, (rule + 0.5 * tiny * start, rule), tiny / 1e-3, 1e-3) == ""
