"""The implementation contract, parametrized over the registry, and equivalence to scratch by oracle.

A new implementation registered in `implementations.registry` gets every test here for free.
"""
import numpy as np
import pytest
from built_ins import create_model

from compare.data.batches import Batch, synthetic_batch
from compare.results.params_files import read_parameters, save_parameters
from compare.training.inspection import shape_trace
from compare.training.steps import forward_backward, loss_function, training_step
from implementations.lenet.scratch import ScratchLeNet
from implementations.lenet.spec import LeNetSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.registry import implementation_names

NAMES = implementation_names()
BIT_IDENTICAL = ["gluon", "gluon-hybrid"]  # the claim: same operators and update rounding as scratch (tutorial: not)
SPEC = LeNetSpec()
CPU = Devices((mx.cpu(),))  # one device, no store
LR = 0.2
# Written out by hand from the tutorial's architecture, not from the code under test.
EXPECTED_TRACE = [
    ("conv1", (8, 20, 24, 24), 20 * 1 * 5 * 5 + 20),
    ("relu1", (8, 20, 24, 24), 0),
    ("pool1", (8, 20, 12, 12), 0),
    ("conv2", (8, 50, 10, 10), 50 * 20 * 3 * 3 + 50),
    ("relu2", (8, 50, 10, 10), 0),
    ("pool2", (8, 50, 5, 5), 0),
    ("flatten", (8, 1250), 0),
    ("fc1", (8, 128), 1250 * 128 + 128),
    ("relu3", (8, 128), 0),
    ("fc2", (8, 10), 128 * 10 + 10),
]


def _batch(size: int, seed: int = 0):
    return synthetic_batch(size, mx.cpu(), seed)


def _numpy(arrays: dict) -> dict:
    return {name: array.asnumpy().copy() for name, array in arrays.items()}


def test_unknown_name_lists_the_valid_ones_sorted():
    from compare.errors import UsageError
    from compare.loading import resolve_entry
    with pytest.raises(UsageError, match="unknown implementation torch; valid: gluon, gluon-hybrid, scratch, tutorial"):
        resolve_entry("torch")


def test_registry_holds_the_built_in_implementations_in_one_order():
    from implementations.registry import builtins
    assert NAMES == ["scratch", "gluon", "gluon-hybrid", "tutorial"] == list(builtins())
    assert [name for name, builtin in builtins().items() if builtin.known_difference] == ["tutorial"]


@pytest.mark.parametrize("name", NAMES)
def test_output_is_finite_logits_per_example(name):
    logits = create_model(name, SPEC, CPU, seed=0).forward(_batch(8)[0]).asnumpy()
    assert logits.shape == (8, 10) and np.isfinite(logits).all()


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_receives_a_nonzero_gradient(name):
    model = create_model(name, LeNetSpec(init="xavier"), CPU, seed=0)
    forward_backward(model, [Batch(*_batch(16))], loss_function(10))
    for parameter, gradient in _numpy(model.gradients()).items():
        assert np.abs(gradient).max() > 0, parameter


@pytest.mark.parametrize("name", NAMES)
def test_parameter_count_is_170988_with_the_right_count_per_layer(name):
    params = create_model(name, SPEC, CPU, seed=0).parameters()
    per_layer = {}
    for parameter, array in params.items():
        per_layer[parameter.split(".")[0]] = per_layer.get(parameter.split(".")[0], 0) + array.size
    assert per_layer == {"conv1": 520, "conv2": 9_050, "fc1": 160_128, "fc2": 1_290}
    assert sum(per_layer.values()) == 170_988
    assert tuple(params["fc1.weight"].shape) == (128, 1250)  # Gluon's (units, in_units) layout


@pytest.mark.parametrize("name", NAMES)
def test_shape_trace_is_the_expected_list(name):
    trace = shape_trace(create_model(name, SPEC, CPU, seed=0), _batch(8)[0])
    assert [(layer.name, layer.output_shape, layer.parameter_count) for layer in trace] == EXPECTED_TRACE


def test_same_seed_gives_bit_identical_initial_parameters_everywhere():
    reference = _numpy(create_model("scratch", SPEC, CPU, seed=5).parameters())
    for name in NAMES:
        params = _numpy(create_model(name, SPEC, CPU, seed=5).parameters())
        for parameter, value in reference.items():
            assert np.array_equal(params[parameter], value), (name, parameter)
    assert np.abs(reference["conv1.weight"]).max() > 0 and not reference["conv1.bias"].any()


def test_different_seed_gives_different_weights():
    first = SPEC.initial_parameters(seed=1)
    second = SPEC.initial_parameters(seed=2)
    assert not np.array_equal(first["conv1.weight"], second["conv1.weight"])


def test_normal_init_has_the_requested_scale_and_xavier_its_bound():
    weights = LeNetSpec(weight_scale=0.05).initial_parameters(seed=0)["fc1.weight"]
    assert abs(weights.std() - 0.05) < 0.001 and abs(weights.mean()) < 0.001
    xavier = LeNetSpec(init="xavier").initial_parameters(seed=0)["fc1.weight"]
    bound = np.sqrt(3.0 / ((1250 + 128) / 2))
    assert xavier.max() <= bound and xavier.max() > 0.95 * bound


@pytest.mark.parametrize("name", NAMES[1:])
def test_logits_and_loss_agree_with_scratch(name):
    images, labels = _batch(32)
    results = {}
    for each in ("scratch", name):
        model = create_model(each, SPEC, CPU, seed=3)
        (logits,), (losses,) = forward_backward(model, [Batch(images, labels)], loss_function(10))
        results[each] = (logits.asnumpy(), losses.asnumpy(), _numpy(model.gradients()))
    np.testing.assert_allclose(results[name][0], results["scratch"][0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(results[name][1], results["scratch"][1], rtol=1e-5, atol=1e-6)
    for parameter, gradient in results["scratch"][2].items():
        np.testing.assert_allclose(results[name][2][parameter], gradient, rtol=1e-4, atol=1e-5, err_msg=parameter)


def _weights_after(model, sizes: list[int]) -> dict:
    images, labels = _batch(max(sizes), seed=11)
    for size in sizes:
        training_step(model, [Batch(images[:size], labels[:size])], size, LR, loss_function(10))
    return _numpy(model.parameters())


def _step_mismatches(candidate, reference, sizes: list[int], rtol: float, atol: float) -> list[str]:
    """Names of the parameters that differ after training both models on the same batches."""
    got, expected = _weights_after(candidate, sizes), _weights_after(reference, sizes)
    return [name for name in expected if not np.allclose(got[name], expected[name], rtol=rtol, atol=atol)]


@pytest.mark.parametrize("name", NAMES[1:])
def test_weights_after_one_step_agree_with_scratch(name):
    candidate, reference = (create_model(n, SPEC, CPU, seed=3) for n in (name, "scratch"))
    assert _step_mismatches(candidate, reference, [32], rtol=1e-5, atol=1e-7) == []


@pytest.mark.parametrize("name", NAMES[1:])
def test_weights_after_ten_steps_agree_with_scratch(name):
    candidate, reference = (create_model(n, SPEC, CPU, seed=3) for n in (name, "scratch"))
    assert _step_mismatches(candidate, reference, [32] * 10, rtol=1e-4, atol=1e-6) == []


class DoubleNormalisedScratch(ScratchLeNet):
    """A deliberate bug: the gradient divided by the batch size twice."""

    def step(self, batch_size: int, learning_rate: float) -> None:
        super().step(batch_size, learning_rate / batch_size)


def test_step_equivalence_check_catches_a_gradient_divided_twice():
    mutant = DoubleNormalisedScratch(SPEC, CPU)
    mutant.load_parameters(SPEC.initial_parameters(3))
    reference = create_model("gluon", SPEC, CPU, seed=3)
    assert _step_mismatches(mutant, reference, [32], rtol=1e-5, atol=1e-7) != []


@pytest.mark.parametrize("name", NAMES)
def test_partial_last_batch_is_normalised_by_its_true_size(name):
    """After a step on 32, a step on 6 must apply exactly lr * grad / 6 (hybrid: a new static shape)."""
    model = create_model(name, LeNetSpec(init="xavier"), CPU, seed=4)
    images, labels = _batch(32, seed=9)
    training_step(model, [Batch(images, labels)], 32, LR, loss_function(10))
    before = _numpy(model.parameters())
    forward_backward(model, [Batch(images[:6], labels[:6])], loss_function(10))
    gradients = _numpy(model.gradients())
    model.step(6, LR)
    after = _numpy(model.parameters())
    for parameter in before:
        expected = before[parameter] - LR * gradients[parameter] / 6
        np.testing.assert_allclose(after[parameter], expected, rtol=1e-5, atol=1e-7, err_msg=parameter)


def test_scratch_gradients_match_central_finite_differences_in_float64():
    model = ScratchLeNet(LeNetSpec(init="xavier"), CPU, dtype=np.float64)
    model.load_parameters(LeNetSpec(init="xavier").initial_parameters(seed=6))
    generator = np.random.default_rng(6)
    images = mx.nd.array(generator.random((3, 1, 28, 28)), dtype=np.float64)
    labels = mx.nd.array([1, 4, 7], dtype=np.float64)
    loss = loss_function(10, dtype=np.float64)
    forward_backward(model, [Batch(images, labels)], loss)
    gradients = _numpy(model.gradients())
    epsilon = 1e-6
    for name, array in model.parameters().items():
        flat_indices = generator.choice(array.size, size=4, replace=False)
        for flat in flat_indices:
            index = np.unravel_index(flat, array.shape)
            original = array[index].asscalar()
            values = []
            for sign in (+1, -1):
                array[index] = original + sign * epsilon
                values.append(loss(model.forward(images), labels).sum().asscalar())
            array[index] = original
            numeric = (values[0] - values[1]) / (2 * epsilon)
            assert numeric == pytest.approx(gradients[name][index], rel=1e-4, abs=1e-7), (name, index)


@pytest.mark.parametrize("source", NAMES)
def test_a_parameter_file_from_one_implementation_loads_into_every_other(source, tmp_path):
    path = tmp_path / f"{source}.params"
    saved = create_model(source, SPEC, CPU, seed=21)
    save_parameters(saved, path)
    assert sorted(mx.nd.load(str(path))) == sorted(SPEC.parameter_shapes())
    for target in NAMES:
        model = create_model(target, SPEC, CPU, seed=22)
        model.load_parameters(read_parameters(path))
        for parameter, value in _numpy(saved.parameters()).items():
            assert np.array_equal(model.parameters()[parameter].asnumpy(), value), (target, parameter)


@pytest.mark.parametrize("name", BIT_IDENTICAL)
def test_trajectories_are_bit_identical_on_cpu_including_a_short_batch(name):
    """Same operators, same update rounding: on the CPU every weight matches scratch exactly."""
    candidate, reference = (create_model(n, SPEC, CPU, seed=3) for n in (name, "scratch"))
    assert _step_mismatches(candidate, reference, [32, 32, 7, 32], rtol=0, atol=0) == []


def test_relu_operators_agree_everywhere_except_on_nan():
    """Why bit-identity ends at extreme settings: nd.relu (scratch) keeps NaN, Activation('relu') (Gluon) gives 0."""
    values = mx.nd.array(np.array([np.nan, np.inf, -np.inf, 2.5, -2.5, 0.0], dtype=np.float32).reshape(1, 6, 1, 1))
    scratch = mx.nd.relu(values).asnumpy().ravel()
    gluon = mx.gluon.nn.Activation("relu")(values).asnumpy().ravel()
    np.testing.assert_array_equal(scratch[1:], gluon[1:])
    assert np.isnan(scratch[0]) and gluon[0] == 0.0


def test_the_tutorial_relu_passes_the_gradient_at_exactly_zero_and_nd_relu_does_not():
    """Why `tutorial` is not bit-identical on real images: the subgradient of ReLU at 0."""
    from implementations.ndarray_base import relu_as_written as tutorial_relu
    gradients = {}
    for name, function in (("tutorial", tutorial_relu), ("scratch", mx.nd.relu)):
        values = mx.nd.array([-1.0, 0.0, 2.0])
        values.attach_grad()
        with mx.autograd.record():
            output = function(values)
        output.backward()
        gradients[name] = values.grad.asnumpy().tolist()
    assert gradients == {"tutorial": [0.0, 1.0, 1.0], "scratch": [0.0, 0.0, 1.0]}
