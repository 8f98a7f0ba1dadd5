"""The update rule's slip read as one change (or a state's change and one more) of the rule's program, replayed
from an implementation's own steps: each learner update here is written in NumPy the way a learner slips, run for
six steps on made-up gradients, and the search must name the changed line, or say nothing where no single change
(or too many) replays."""
from typing import Callable

import numpy as np
import pytest

from compare.checking.formula_fit import formula_slip
from compare.checking.program_mutations import mutants
from compare.checking.rule_programs import evaluate, program, shown_line
from compare.checking.update_replay import Steps
from implementations.optimizers import Optimizer

BATCH = 8
SHAPES = {"fc1.weight": (100, 5), "fc1.bias": (5,)}  # 500 elements: more than a sample's


def _steps(rule: str, update: Callable, scale: float = 1.0) -> Steps:
    """`update(w, g, state, t, hyper)` run for six steps on made-up summed gradients (their size `scale` per
    example), recorded as `check` records a learner."""
    optimizer = Optimizer(rule)
    rates = {"adadelta": 1.0}
    learning_rate = rates.get(rule, 0.05)
    hyper = {**optimizer.values, "lr": learning_rate}
    generator = np.random.default_rng(0)
    weights = {name: generator.normal(size=shape) for name, shape in SHAPES.items()}
    states = {name: {} for name in SHAPES}
    before, after, gradients, reported = [], [], [], []
    for index in range(6):
        grads = {name: generator.normal(size=shape) * BATCH * scale for name, shape in SHAPES.items()}
        before.append(dict(weights))
        weights = {name: update(weights[name], grads[name] / BATCH, states[name], index + 1, hyper)
                   for name in SHAPES}
        after.append(dict(weights))
        gradients.append(grads)
        reported.append({f"{name}:{key}": value.copy() for name in SHAPES for key, value in states[name].items()})
    return Steps(before, after, gradients, [BATCH] * 6, optimizer, learning_rate, reported)


def _rmsprop_max(w, g, state, t, hyper):
    s = state.setdefault("square_average", np.zeros_like(w))
    state["square_average"] = np.maximum(hyper["gamma"] * s, (1 - hyper["gamma"]) * g * g)  # + typed as max
    return w - hyper["lr"] * g / np.sqrt(state["square_average"] + hyper["epsilon"])


def _adam(w, g, state, t, hyper, slip: str = ""):
    v = state["first_moment"] = hyper["beta1"] * state.get("first_moment", 0.0 * w) + (1 - hyper["beta1"]) * g
    magnitude = slip == "magnitude"
    taken = np.abs(g) if magnitude else g * g
    s = state["second_moment"] = hyper["beta2"] * state.get("second_moment", 0.0 * w) + (1 - hyper["beta2"]) * taken
    v_hat = v / 1 - hyper["beta1"] ** t if slip == "unbracketed" else v / (1 - hyper["beta1"] ** t)  # precedence
    s_hat = s / (1 - hyper["beta2"] ** t)
    root = s_hat if magnitude else np.sqrt(s_hat)  # AdaMax half remembered: no root of an average magnitude
    return w - hyper["lr"] * v_hat / (root + hyper["epsilon"])


def _adagrad_half(w, g, state, t, hyper):
    s = state["square_sum"] = (state.get("square_sum", 0.0 * w) + g * g).astype(np.float16).astype(np.float64)
    return w - hyper["lr"] * g / np.sqrt(s + hyper["epsilon"])


def _adagrad(w, g, state, t, hyper, slip: str = ""):
    s = state["square_sum"] = state.get("square_sum", 0.0 * w) + g * g
    root = np.sqrt(s) + np.sqrt(hyper["epsilon"]) if slip == "split root" else np.sqrt(s + hyper["epsilon"])
    step = hyper["lr"] * g / root
    noisy = slip == "noisy"
    return w - step * (1 + 0.3 * np.sin(7 * w)) if noisy else w - step


@pytest.mark.parametrize("rule, update, said", [
    ("rmsprop", _rmsprop_max, "`s = max(gamma * s, (1 - gamma) * g^2)` where the rule has "
                              "`s = gamma * s + (1 - gamma) * g^2`"),
    ("adagrad", lambda *a: _adagrad(*a, slip="split root"),
     "`w = w - lr * g / (sqrt(s) + sqrt(eps))` where the rule has `w = w - lr * g / sqrt(s + eps)`"),
    ("adam", lambda *a: _adam(*a, slip="unbracketed"), "`v_hat = v / 1 - beta1^t` where the rule has "
                                                     "`v_hat = v / (1 - beta1^t)` (a bracket in another place"),
])
def test_a_single_change_of_a_line_is_named_against_the_rules_line(rule, update, said):
    slip = formula_slip(_steps(rule, update))
    assert slip is not None and said in slip.cause
    assert "one change" in slip.cause


def test_a_sum_kept_in_float16_is_named_where_its_rounding_shows():
    """Gradients of 3e-4 square to 1e-7, where float16's spacing is 6e-8: the sum rounds by a third or more."""
    slip = formula_slip(_steps("adagrad", _adagrad_half, scale=3e-4))
    assert slip is not None and "float16(s + g^2)" in slip.cause and "half precision" in slip.cause


def _adam_in_place(w, g, state, t, hyper):
    v = state["first_moment"] = hyper["beta1"] * state.get("first_moment", 0.0 * w) + (1 - hyper["beta1"]) * g
    s = state["second_moment"] = hyper["beta2"] * state.get("second_moment", 0.0 * w) + (1 - hyper["beta2"]) * g * g
    v = state["first_moment"] = v / (1 - hyper["beta1"] ** t)  # the correction written back into the state
    return w - hyper["lr"] * v / (np.sqrt(s / (1 - hyper["beta2"] ** t)) + hyper["epsilon"])


def test_a_value_written_into_the_state_in_place_is_said_so():
    slip = formula_slip(_steps("adam", _adam_in_place))
    assert slip is not None and "`v = v / (1 - beta1^t)`" in slip.cause
    assert "written into the state in place" in slip.cause and "every statistic" not in slip.cause


def test_a_change_to_a_state_and_one_more_are_both_named():
    slip = formula_slip(_steps("adam", lambda *a: _adam(*a, slip="magnitude")))
    assert slip is not None and "two changes" in slip.cause
    assert "(1 - beta2) * |g|`" in slip.cause and "`w = w - lr * v_hat / (s_hat + eps)`" in slip.cause


def _rmsprop_stays_zero(w, g, state, t, hyper):
    s = state.setdefault("square_average", np.zeros_like(w))
    state["square_average"] = s * (hyper["gamma"] + (1 - hyper["gamma"]) * g * g)  # two in-place lines joined
    return w - hyper["lr"] * g / np.sqrt(state["square_average"] + hyper["epsilon"])


def test_the_rule_itself_and_an_update_no_single_change_writes_say_nothing():
    assert formula_slip(_steps("adagrad", _adagrad)) is None
    assert formula_slip(_steps("adagrad", lambda *a: _adagrad(*a, slip="noisy"))) is None


def test_numbers_many_writings_give_say_nothing():
    """A state that stays 0 is `gamma * s`, `s * g^2`, `s^2`, ... alike: no one of them can be named."""
    assert formula_slip(_steps("rmsprop", _rmsprop_stays_zero)) is None


def test_every_rules_program_computes_the_rule_and_every_mutant_differs_from_it():
    generator = np.random.default_rng(3)
    for rule in ("sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam"):
        optimizer = Optimizer(rule)
        env = {**optimizer.values, "lr": 0.1, "batch": 4.0, "wd": 0.0, "t": 2.0, "grad": generator.normal(size=6),
               "w": generator.normal(size=6), "v": np.abs(generator.normal(size=6)),
               "s": np.abs(generator.normal(size=6)), "delta": np.abs(generator.normal(size=6))}
        lines = program(rule, False)
        assert [shown_line(line) for line in lines][0] == "g = grad_sum / batch"
        for target, expression in lines:
            env[target] = evaluate(expression, env)
        assert np.all(np.isfinite(env["w"]))
        changed = mutants(lines, rule, ["lr", *optimizer.values])
        assert len(changed) == len({mutant.lines for mutant in changed}) > 20
        assert all(mutant.lines != tuple(lines) for mutant in changed)
