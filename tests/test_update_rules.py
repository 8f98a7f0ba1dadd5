"""Each update rule against a NumPy oracle over several steps from the chapter's initial weights: scratch and the
chapter's own code follow the chapters' formulas, the Gluon built-ins MXNet's, on linear regression, whose gradient
the oracle computes in closed form. The state is checked by its canonical names too."""
import numpy as np
import pytest

from implementations.mxnet_compat import mx
from implementations.optimizers import OPTIMIZERS, Optimizer
from implementations.protocol import Devices
from implementations.registry import build_model, builtins, models

STEPS, BATCH = 6, 10


def _gradients(weights: dict, inputs: np.ndarray, targets: np.ndarray) -> dict:
    """d/dparams of sum((X w^T + b - y)^2 / 2), float64: the summed gradient the runner's backward gives."""
    residual = inputs @ weights["fc1.weight"][0] + weights["fc1.bias"][0] - targets  # (N,)
    return {"fc1.weight": (residual @ inputs)[None, :], "fc1.bias": np.array([residual.sum()])}


def _oracle(optimizer: Optimizer, rate: float, batches: list, start: dict, mxnet_formula: bool) -> tuple[dict, dict]:
    """The weights and state after every batch, written from the chapters' formulas (or MXNet's where they differ:
    Adam's bias correction and epsilon; AdaGrad's and AdaDelta's weight decay)."""
    h, w = optimizer.values, {name: value.astype(np.float64) for name, value in start.items()}
    state: dict = {name: {key: np.zeros_like(value) for key in optimizer.rule.state} for name, value in w.items()}
    for t, (inputs, targets) in enumerate(batches, start=1):
        summed = _gradients(w, inputs, targets)
        for name in w:
            g, s = summed[name] / len(targets), state[name]
            decay = optimizer.weight_decay if name.endswith(".weight") else 0.0
            decay_after = mxnet_formula and optimizer.name in ("adagrad", "adadelta")
            if not decay_after:
                g = g + decay * w[name]
            if optimizer.name == "sgd":
                step = rate * g
            elif optimizer.name == "momentum":
                s["momentum"] = h["momentum"] * s["momentum"] + rate * g
                step = s["momentum"]
            elif optimizer.name == "adagrad":
                s["square_sum"] += g**2
                step = rate * g / np.sqrt(s["square_sum"] + h["epsilon"])
            elif optimizer.name == "rmsprop":
                s["square_average"] = h["gamma"] * s["square_average"] + (1 - h["gamma"]) * g**2
                step = rate * g / np.sqrt(s["square_average"] + h["epsilon"])
            elif optimizer.name == "adadelta":
                s["square_average"] = h["rho"] * s["square_average"] + (1 - h["rho"]) * g**2
                step = np.sqrt(s["delta_average"] + h["epsilon"]) / np.sqrt(s["square_average"] + h["epsilon"]) * g
                s["delta_average"] = h["rho"] * s["delta_average"] + (1 - h["rho"]) * step**2
            else:
                s["first_moment"] = h["beta1"] * s["first_moment"] + (1 - h["beta1"]) * g
                s["second_moment"] = h["beta2"] * s["second_moment"] + (1 - h["beta2"]) * g**2
                if mxnet_formula:
                    step = (rate * np.sqrt(1 - h["beta2"]**t) / (1 - h["beta1"]**t) * s["first_moment"]
                            / (np.sqrt(s["second_moment"]) + h["epsilon"]))
                else:
                    step = rate * (s["first_moment"] / (1 - h["beta1"]**t)) / (
                        np.sqrt(s["second_moment"] / (1 - h["beta2"]**t)) + h["epsilon"])
            if decay_after:
                step = step + (rate if optimizer.name == "adagrad" else 1.0) * decay * w[name]
            w[name] = w[name] - step
    return w, {f"{name}:{key}": value for name, states in state.items() for key, value in states.items()}


def _trained(implementation: str, optimizer: Optimizer, rate: float, batches: list, seed: int,
             start: "dict | None" = None) -> tuple[dict, dict]:
    spec = models()["linear-regression"].spec()
    model = build_model(builtins("linear-regression")[implementation].factory(), spec, Devices((mx.cpu(),)), seed,
                        optimizer)
    if start is not None:
        model.load_parameters(start)
    loss = mx.gluon.loss.L2Loss()
    for inputs, targets in batches:
        with mx.autograd.record():
            losses = loss(model.forward(mx.nd.array(inputs)), mx.nd.array(targets))
        losses.backward()
        model.step(len(targets), rate)
    return ({name: array.asnumpy() for name, array in model.parameters().items()},
            {name: array.asnumpy() for name, array in model.optimizer_state().items()})


def _batches(seed: int) -> list:
    (inputs, targets), _ = models()["linear-regression"].spec().synthetic_data(seed)
    return [(inputs[i * BATCH:(i + 1) * BATCH], targets[i * BATCH:(i + 1) * BATCH]) for i in range(STEPS)]


@pytest.mark.parametrize("implementation", ["scratch", "gluon", "gluon-hybrid", "tutorial"])
@pytest.mark.parametrize("name, decay", [(name, 0.0) for name in OPTIMIZERS] +
                         [(name, 0.1) for name in ("sgd", "momentum", "adagrad", "adadelta", "adam")])
def test_every_rule_follows_its_formula_over_several_steps(implementation, name, decay):
    optimizer = Optimizer(name, weight_decay=decay)
    rate = optimizer.defaults.learning_rate or 0.03
    seed = 3
    start = models()["linear-regression"].spec().initial_parameters(seed)
    mxnet = implementation.startswith("gluon")
    expected_weights, expected_state = _oracle(optimizer, rate, _batches(seed), start, mxnet_formula=mxnet)
    weights, state = _trained(implementation, optimizer, rate, _batches(seed), seed)
    for key, value in expected_weights.items():
        np.testing.assert_allclose(weights[key], value, rtol=2e-5, atol=1e-6, err_msg=key)
    if implementation != "tutorial" or name != "sgd":  # the chapter's own SGD keeps no state to report
        assert sorted(state) == sorted(expected_state)
    for key, value in expected_state.items():
        np.testing.assert_allclose(state[key], value, rtol=1e-4, atol=1e-7 * max(1.0, np.abs(value).max()),
                                   err_msg=key)


def test_adam_in_mxnet_and_in_the_chapter_differ_where_the_gradient_is_near_epsilon():
    """The known difference is real, not rounding: one step from exact data (small whole inputs, w = [2, -3.5],
    b 2^-18 off), where the gradient (~4e-6) is near epsilon (1e-6), parts scratch and gluon by thousands of float32
    ulps, each following its own formula."""
    optimizer, seed = Optimizer("adam"), 3
    inputs = np.random.default_rng(seed).integers(-2, 3, size=(BATCH, 2)).astype(np.float32)
    exact = [(inputs, inputs @ np.array([2.0, -3.5], dtype=np.float32) + np.float32(4.0))]
    start = {"fc1.weight": np.array([[2.0, -3.5]], dtype=np.float32), "fc1.bias": np.array([4.0 + 2**-18], np.float32)}
    trained = {}
    for implementation in ("scratch", "gluon"):
        trained[implementation], _ = _trained(implementation, optimizer, 0.01, exact, seed, start)
        oracle, _ = _oracle(optimizer, 0.01, exact, start, mxnet_formula=implementation == "gluon")
        np.testing.assert_allclose(trained[implementation]["fc1.bias"], oracle["fc1.bias"], rtol=1e-6)
    apart = abs(float(trained["scratch"]["fc1.bias"][0]) - float(trained["gluon"]["fc1.bias"][0]))
    assert apart > 1000 * np.spacing(np.float32(4.0))


def test_an_optimizer_is_refused_by_name_with_the_valid_ones():
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'; valid: sgd, momentum, adagrad"):
        Optimizer("adamw")
    with pytest.raises(ValueError, match="adam has no hyperparameter 'momentum'"):
        Optimizer("adam", (("momentum", 0.9),))
    with pytest.raises(ValueError, match=r"beta2 must be in \[0, 1\), got 1"):
        Optimizer("adam", (("beta2", 1.0),))
    with pytest.raises(ValueError, match="momentum 0 is plain SGD: use --optimizer sgd"):
        Optimizer("momentum", (("momentum", 0.0),))
