"""What a state is fed, measured: an optimizer state whose accumulated term is the rule's times a power of the
gradient (adadelta's delta fed the squared ratio without g), and a moving variance fed another statistic of the
batch (the mean of the squares, E[x^2]) or no one factor of the variance. Arrays built here, each with a near miss."""
import numpy as np

from compare.checking.batch_norm_statistics import _averaged_statistic, _implied_variance, batch_statistics
from compare.checking.state_powers import gradient_power_relation
from compare.checking.update_replay import Steps
from implementations.optimizers import Optimizer

GENERATOR = np.random.default_rng(34)
GRADIENTS = {"fc1.weight": GENERATOR.normal(0, 0.3, (8, 6)), "fc1.bias": GENERATOR.normal(0, 0.3, (8,))}
WEIGHTS = {name: GENERATOR.normal(0, 0.5, value.shape) for name, value in GRADIENTS.items()}


def _adadelta_deltas(fed):
    """Adadelta's delta after its first step from zero, rho 0.9, eps 1e-5: 0.1 * fed(rate, g) per parameter, where
    rate = sqrt(0 + eps) / sqrt(s + eps) with s = 0.1 * g^2 (the batch of 4 divides the summed gradient)."""
    return {f"{name}:delta_average": 0.1 * fed(np.sqrt(1e-5) / np.sqrt(0.1 * g * g + 1e-5), g)
            for name, g in GRADIENTS.items()}


def _steps() -> Steps:
    return Steps([dict(WEIGHTS)], [dict(WEIGHTS)], [{n: g * 4 for n, g in GRADIENTS.items()}], [4],
                 Optimizer("adadelta"), 1.0)


def test_a_state_fed_the_squared_ratio_without_the_gradient_lacks_g_squared():
    rule = _adadelta_deltas(lambda rate, g: (rate * g) ** 2)
    words = gradient_power_relation("fc1.weight:delta_average", _steps(), _adadelta_deltas(lambda rate, g: rate ** 2),
                                    rule)
    assert "the rule's * g^-2" in words and "lacks a factor g^2" in words
    doubled = gradient_power_relation("fc1.bias:delta_average", _steps(), _adadelta_deltas(
        lambda rate, g: 3 * (rate * g) ** 2 * np.abs(g)), rule)
    assert "3 * the rule's * g^1" in doubled and "a factor g too many" in doubled


def test_no_power_is_said_where_the_ratio_is_not_a_whole_power_of_g_or_not_exact():
    rule = _adadelta_deltas(lambda rate, g: (rate * g) ** 2)
    half = _adadelta_deltas(lambda rate, g: (rate * g) ** 2 * np.abs(g) ** 0.5)
    assert gradient_power_relation("fc1.weight:delta_average", _steps(), half, rule) == ""
    noisy = {key: value * (1 + 0.01 * GENERATOR.standard_normal(value.shape)) / GRADIENTS[key.split(":")[0]] ** 2
             for key, value in rule.items()}
    assert gradient_power_relation("fc1.weight:delta_average", _steps(), noisy, rule) == ""
    flipped = {key: -value for key, value in rule.items()}  # g^0: a sign, which the sign relation says
    assert gradient_power_relation("fc1.weight:delta_average", _steps(), flipped, rule) == ""


def test_a_moving_variance_fed_the_mean_of_the_squares_is_named_and_a_scaled_one_only_where_one_factor_fits():
    given = GENERATOR.normal(0.7, 1.3, (2, 3, 5, 5)) * np.array([1, 2, 4]).reshape(1, 3, 1, 1)  # (N, C, H, W)
    statistics = batch_statistics(given, 1e-5)
    before = np.ones(3)
    second_moment = 0.9 * before + 0.1 * (given ** 2).mean(axis=(0, 2, 3))
    assert _averaged_statistic((before, second_moment), statistics, 0.9).startswith("the mean of the squares, E[x^2]")
    variance = given.var(axis=(0, 2, 3))
    assert _averaged_statistic((before, 0.9 * before + 0.1 * variance), statistics, 0.9) == "the batch variance"
    assert "0.5x the biased variance" in _implied_variance("bn1", 0.5 * variance, variance, 0.5)
    spread = _implied_variance("bn1", variance + np.array([0.1, 2.0, 9.0]), variance, 1.77)
    assert "no factor" in spread and "1.77x the biased" not in spread and "per channel" in spread


def test_an_affine_state_is_not_called_a_normalization_and_an_affine_input_still_is():
    from compare.checking.relations import Numbers, relation

    reference = np.random.default_rng(15).uniform(size=(16, 784))
    assert "normalization" in relation((reference - 0.1307) / 0.3081, reference, Numbers())
    state = relation(3 - 10 * reference, reference, Numbers(), forward=False)
    assert "-10x the reference's plus 3" in state and "normalization" not in state


def _adam_first_move(g, corrections, eps=1e-6, lr=0.01):
    """Adam's first move from zero moments, beta1 0.9, beta2 0.999: v = 0.1 g, s = 0.001 g^2; `corrections`
    (c1, c2) multiply v and sqrt(s); epsilon is the rule's default."""
    v, s = 0.1 * g, 0.001 * g * g
    return -lr * corrections[0] * v / (corrections[1] * np.sqrt(s) + eps), (v, s)


def test_adams_corrections_are_fitted_from_a_move_where_epsilon_tells_them_apart():
    from compare.checking.bias_corrections import measured_corrections

    adam = Optimizer("adam")
    g = GENERATOR.normal(0, 1, 200) * 10.0 ** GENERATOR.uniform(-7, -1, 200)  # some roots near epsilon
    rule = (10.0, 1 / np.sqrt(1e-3))
    move, moments = _adam_first_move(g, (0.1, np.sqrt(1e-3)))
    words = measured_corrections(move, moments, 1, adam, 0.01)
    assert "c1 = 0.1 and c2 = 0.03162" in words
    assert "the first moment v is multiplied by (1 - beta1^t)" in words and "s is multiplied by" in words
    move, moments = _adam_first_move(g, (1.0, rule[1]))
    words = measured_corrections(move, moments, 1, adam, 0.01)
    assert "the first moment v is not bias-corrected" in words and "second moment" not in words.split("; ", 1)[1]
    assert measured_corrections(*_adam_first_move(g, rule), 1, adam, 0.01) == ""  # the rule's own move


def test_adams_corrections_are_not_fitted_where_only_their_ratio_shows_or_the_move_is_noisy():
    from compare.checking.bias_corrections import measured_corrections

    adam = Optimizer("adam")
    large = GENERATOR.normal(0, 1e3, 200)  # every root far above epsilon: the move is c1 / c2 * sign(g) alone
    assert measured_corrections(*_adam_first_move(large, (0.1, np.sqrt(1e-3))), 1, adam, 0.01) == ""
    g = GENERATOR.normal(0, 1, 200) * 10.0 ** GENERATOR.uniform(-7, -1, 200)
    move, moments = _adam_first_move(g, (0.1, np.sqrt(1e-3)))
    noisy = move * (1 + 0.01 * GENERATOR.standard_normal(move.shape))
    assert measured_corrections(noisy, moments, 1, adam, 0.01) == ""
    assert measured_corrections(move, moments, 1, Optimizer("rmsprop"), 0.01) == ""


def test_an_adam_moment_weighted_by_a_number_the_learning_rate_also_equals_is_named_by_the_rule():
    """s = beta2 * s + (1 - beta1) * g^2 at learning rate 0.1: its weight 0.1 is 1 - beta1, never 'the learning
    rate' (Adam's state holds none); a momentum velocity may hold it, and there it is still offered."""
    from compare.checking.relations import Numbers
    from compare.checking.state_terms import state_terms_relation

    adam = Optimizer("adam")
    steps = Steps([dict(WEIGHTS)], [dict(WEIGHTS)], [{n: g * 4 for n, g in GRADIENTS.items()}], [4], adam, 0.1)
    numbers = Numbers((("the learning rate (0.1)", 0.1), *((f"{key} ({value:g})", value)
                                                            for key, value in adam.values.items())))
    mine = {f"{name}:second_moment": 0.1 * g * g for name, g in GRADIENTS.items()}
    theirs = {f"{name}:second_moment": 0.001 * g * g for name, g in GRADIENTS.items()}
    words = state_terms_relation("fc1.weight:second_moment", steps, mine, theirs, numbers)
    assert "1 - beta1 (0.1)" in words and "learning rate" not in words
    momentum = Optimizer("momentum")
    steps = Steps([dict(WEIGHTS)], [dict(WEIGHTS)], [{n: g * 4 for n, g in GRADIENTS.items()}], [4], momentum, 0.1)
    velocity = state_terms_relation("fc1.weight:momentum", steps, {f"{n}:momentum": 0.1 * g for n, g in
                                                                   GRADIENTS.items()},
                                    {f"{n}:momentum": g for n, g in GRADIENTS.items()},
                                    Numbers((("the learning rate (0.1)", 0.1), ("momentum (0.9)", 0.9))))
    assert "the learning rate" in velocity


def test_a_run_of_weights_without_gradient_is_found_and_a_single_silent_unit_is_not_enough():
    from compare.checking.unused_parameters import zero_run

    theirs = GENERATOR.normal(size=(6, 10))
    theirs[:, 7] = 0  # an input that is 0 in every example: no gradient in either
    mine = theirs.copy()
    mine[:, 5:] = 0  # inputs 5-9 never read
    assert zero_run(mine, theirs) == (1, 5, 10, 4)
    one = theirs.copy()
    one[2, :] = 0  # one unit with no gradient on this batch
    assert zero_run(one, theirs)[3] == 1
    assert zero_run(np.zeros_like(theirs), theirs) == (-1, 0, 0, 0)  # the whole array: said as no gradient at all


def test_a_dense_layer_whose_second_half_of_weights_is_never_read_is_said_so():
    """The eleventh corpus's pasted weight half: fc1 computes X[:, :392] W[:, :392]^T + X[:, 392:] W[:, :392]^T,
    so W[:, 392:] gets no gradient; the reference's does (but in pixels dark in every image)."""
    from compare.checking.evidence import Evidence
    from compare.checking.unused_parameters import unused_relation
    from implementations.mlp.spec import MLPSpec

    theirs = GENERATOR.normal(size=(256, 784))
    theirs[:, 700:] = 0
    mine = theirs.copy()
    mine[:, 392:] = 0
    evidence = Evidence({"gradient fc1.weight": mine}, {"gradient fc1.weight": theirs}, np.zeros((4, 784)), MLPSpec(),
                        0, lambda: None)
    assert "inputs (columns) 392-783 (of 784)" in unused_relation("fc1", evidence)
    assert "take no part in fc1's output" in unused_relation("fc1", evidence)
    evidence.values["gradient fc1.weight"] = theirs
    assert unused_relation("fc1", evidence) == ""


def test_adams_move_is_read_as_a_power_of_its_second_moment_dividing_the_first():
    """Adam's step with a fourth root: |move| goes as |v| * s^-0.25, the rule's as |v| * s^-0.5. Epsilon sits
    outside the root, so a fit of (s + eps)^p would not hold where s is near epsilon (here s ~ 1e-7 to 1e-6);
    the rule's own move reads as the rule's power, and nothing is said."""
    from compare.checking.move_terms import _state_power

    g = GENERATOR.choice([-1.0, 1.0], (8, 6)) * GENERATOR.uniform(0.01, 0.03, (8, 6))  # every s above 5 % of the
    v, s = 0.1 * g, 0.001 * g * g  # largest, and s beside epsilon (1e-6)
    states = {"fc1.weight:first_moment": v, "fc1.weight:second_moment": s}
    steps = Steps([{"fc1.weight": g}], [{"fc1.weight": g}], [{"fc1.weight": g}], [1], Optimizer("adam"), 0.01)
    rule = -0.01 * (v / 0.1) / (np.sqrt(s / 0.001) + 1e-6)
    fourth = -0.01 * (v / 0.1) / ((s / 0.001) ** 0.25 + 1e-6)
    assert "^-0.25 where the rule's goes as" in _state_power("fc1.weight", (fourth, rule, g), steps, states)
    assert _state_power("fc1.weight", (rule, rule, g), steps, states) == ""


def test_a_move_dividing_by_the_state_of_the_step_before_is_named_and_the_rules_is_not():
    """adagrad's rate lr / sqrt(s + eps) cached at the first step: the second move divides g_2 by s_1's root."""
    from compare.checking.move_terms import stale_state_relation

    first, second = GENERATOR.normal(size=(5, 4)), GENERATOR.normal(size=(5, 4))
    s1, s2 = first ** 2, first ** 2 + second ** 2
    steps = Steps([dict(WEIGHTS)] * 2, [dict(WEIGHTS)] * 2, [{"fc1.weight": first}, {"fc1.weight": second}], [1, 1],
                  Optimizer("adagrad"), 0.1)
    eps = Optimizer("adagrad").values["epsilon"]
    cached = -0.1 * second / np.sqrt(s1 + eps)
    words = stale_state_relation("fc1.weight", 1, cached, steps, {"fc1.weight:square_sum": s1})
    assert "with the square_sum of the step before (step 1)" in words
    rule = -0.1 * second / np.sqrt(s2 + eps)
    assert stale_state_relation("fc1.weight", 1, rule, steps, {"fc1.weight:square_sum": s1}) == ""
    assert stale_state_relation("fc1.weight", 0, cached, steps, {"fc1.weight:square_sum": s1}) == ""


def test_adams_first_moment_shifted_by_beta1_to_the_t_is_read_as_its_brackets_left_out():
    """`v / 1 - beta1 ** t` on a linear regression's three numbers: the move is -lr (v - 0.9) / (sqrt(s_hat) + eps),
    one fit over every parameter; a move scaled, not shifted, is not read so."""
    from compare.checking.bias_corrections import measured_corrections

    adam = Optimizer("adam")
    g = np.array([0.8, -1.3, 2.1])
    v, s = 0.1 * g, 0.001 * g * g
    root = np.sqrt(s / 0.001) + 1e-6
    words = measured_corrections(-0.01 * (v - 0.9) / root, (v, s), 1, adam, 0.01)
    assert "c1 = 1 and c0 = -0.9" in words and "the brackets around (1 - beta1^t) left out" in words
    assert measured_corrections(-0.01 * 3 * v / root, (v, s), 1, adam, 0.01) == ""


def test_a_state_kept_in_summed_gradients_is_named_by_the_ratio_of_two_steps_batches():
    """momentum's velocity of the raw summed gradients, reported as lr / n * V: right while the batch is 64, and
    carried at 64 / 43 of the rule's weight where the next batch is 43."""
    from compare.checking.relations import Numbers
    from compare.checking.state_terms import recurrence_relation

    first, second = GENERATOR.normal(size=(4, 3)), GENERATOR.normal(size=(4, 3))
    rule = {"fc1.weight:momentum": 0.1 * first}
    rule_next = {"fc1.weight:momentum": 0.5 * 0.1 * first + 0.1 * second}
    kept = {"fc1.weight:momentum": 0.5 * (64 / 43) * 0.1 * first + 0.1 * second}
    numbers = Numbers((("1 / the batch size at that step (43)", 1 / 43),
                       ("the batch size of the step before over this step's (64 / 43): the state is kept in summed "
                        "gradients", 64 / 43)))
    words = recurrence_relation("fc1.weight:momentum", ({"fc1.weight": second}, {"fc1.weight": second}),
                                (rule, kept), (rule, rule_next), numbers=numbers)
    assert "(64 / 43)" in words and "a bracket around" not in words
    assert recurrence_relation("fc1.weight:momentum", ({"fc1.weight": second}, {"fc1.weight": second}),
                               (rule, rule_next), (rule, rule_next), numbers=numbers) == ""


def test_a_learning_rate_folded_into_a_squared_state_is_named_and_a_moment_weight_is_the_rules_number_first():
    from compare.checking.relations import Numbers
    from compare.checking.state_terms import state_terms_relation

    adagrad = Optimizer("adagrad")
    steps = Steps([dict(WEIGHTS)], [dict(WEIGHTS)], [{n: g * 4 for n, g in GRADIENTS.items()}], [4], adagrad, 0.1)
    folded = {f"{name}:square_sum": 0.01 * g * g for name, g in GRADIENTS.items()}  # s += (lr * g)^2
    rule = {f"{name}:square_sum": g * g for name, g in GRADIENTS.items()}
    words = state_terms_relation("fc1.weight:square_sum", steps, folded, rule, Numbers())
    assert "the learning rate squared times the rule's: the learning rate folded into the gradient before" in words
    other = {f"{name}:square_sum": 0.03 * g * g for name, g in GRADIENTS.items()}
    assert "learning rate" not in state_terms_relation("fc1.weight:square_sum", steps, other, rule, Numbers())


def test_epsilon_placed_otherwise_in_the_denominator_is_read_from_the_move_and_the_rules_form_is_not():
    from compare.checking.denominator_forms import denominator_relation

    g = GENERATOR.normal(0, 1, 64) * 10.0 ** GENERATOR.uniform(-5, 0, 64)  # some roots near epsilon (1e-6)
    v_hat, q = g, g * g
    clamped = -0.01 * v_hat / np.maximum(np.sqrt(q), 1e-6)
    words = denominator_relation(clamped, v_hat, q, ("adam", 0.01, 1e-6))
    assert "divides by max(sqrt(q), eps) where the rule divides by sqrt(q) + eps" in words
    assert denominator_relation(-0.01 * v_hat / (np.sqrt(q) + 1e-6), v_hat, q, ("adam", 0.01, 1e-6)) == ""
    inside = -0.01 * g / (np.sqrt(q) + 1e-6)  # rmsprop with adam's form
    assert "divides by sqrt(q) + eps where the rule divides by sqrt(q + eps)" in denominator_relation(
        inside, g, q, ("rmsprop", 0.01, 1e-6))


def test_a_plain_gradient_step_on_top_of_the_rules_is_named_and_the_rules_own_move_is_not():
    from compare.checking.move_terms import extra_step_relation
    from compare.checking.relations import Numbers

    g = GENERATOR.normal(size=(6, 5))
    steps = Steps([{"fc1.weight": g}], [{"fc1.weight": g}], [{"fc1.weight": g * 4}], [4], Optimizer("adagrad"), 0.1)
    rule = -0.1 * g / np.sqrt(g * g + 1e-7)
    words = extra_step_relation("fc1.weight", 0, (rule - 0.1 * g, rule), steps, Numbers())
    assert "plus -0.1 x its gradient (the learning rate)" in words and "an SGD update left in" in words
    assert extra_step_relation("fc1.weight", 0, (rule, rule), steps, Numbers()) == ""
    assert extra_step_relation("fc1.weight", 0, (-0.3 * g, rule), steps, Numbers()) == ""  # a plain step alone
