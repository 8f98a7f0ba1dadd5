"""The language models (`rnn`, `gru`, `lstm`) by oracle: from the same parameters, `scratch`, `gluon`,
`gluon-hybrid` and `tutorial` compute the logits, the final state and the clipped gradients that the equations give
in float64 NumPy, written here (gradients by central differences), within float32's noise; one SGD step moves
every parameter as written; the state carried across consecutive batches is detached; a uniform model's perplexity
is the vocabulary's size. Tiny sizes: vocabulary 20, 8 hidden units, 5 steps, batches of 3."""
import math

import numpy as np
import pytest

from compare.data.sequence_batches import consecutive_batches
from compare.data.text import Vocabulary
from compare.training.sequence_steps import as_arrays, perplexity, predict, sequence_loss, training_step
from implementations.mxnet_compat import mx
from implementations.protocol import Devices, missing
from implementations.registry import models
from implementations.sequence_protocol import SequenceModel
from implementations.sequence_registry import build_sequence_model, sequence_models

VOCAB, HIDDENS, STEPS, BATCH = 20, 8, 5, 3
CELLS = ("rnn", "gru", "lstm")
IMPLEMENTATIONS = ("scratch", "gluon", "gluon-hybrid", "tutorial")
PAIRS = [(cell, name) for cell in CELLS for name in IMPLEMENTATIONS]
IDS = [f"{cell}-{name}" for cell, name in PAIRS]
GATES = {"rnn": 1, "gru": 3, "lstm": 4}  # Gluon's packed orders: rnn h; gru r, z, n; lstm i, f, c, o
CPU = Devices((mx.cpu(),))


def _spec(cell):
    return sequence_models()[cell].spec(VOCAB, num_hiddens=HIDDENS, weight_scale=0.5)  # large enough to bend tanh


def _build(cell, name, values=None):
    spec = _spec(cell)
    model = build_sequence_model(sequence_models()[cell].builtins[IMPLEMENTATIONS.index(name)].factory(), spec,
                                 CPU, seed=0)
    if values is not None:
        model.load_parameters(values)
    return model


def _parameters(cell, tutorial):
    """The spec's weights with random biases; the tutorial's GRU has no h2h bias on its candidate: zero there."""
    values = _spec(cell).initial_parameters(seed=3)
    generator = np.random.default_rng(4)
    for name in values:
        if name.endswith("bias"):
            values[name] = generator.normal(0, 0.5, size=values[name].shape).astype(np.float32)
    if cell == "gru" and tutorial:
        values["gru.h2h_bias"][2 * HIDDENS:] = 0  # the candidate's block (r, z, n)
    return values


def _batch():
    generator = np.random.default_rng(5)
    X = generator.integers(0, VOCAB, size=(BATCH, STEPS))
    Y = generator.integers(0, VOCAB, size=(BATCH, STEPS))
    state = {"h": generator.normal(0, 0.5, size=(BATCH, HIDDENS)), "c": generator.normal(0, 0.5, size=(BATCH, HIDDENS))}
    return X, Y, state


# The reference: the equations in float64, nothing from the code under test.

def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def reference_forward(cell, p, X, state, reset_before=False):
    """Logits (steps * batch, vocab), time-major, and the final state, for X (batch, steps); `reset_before`: the
    GRU chapter's candidate, (r * h) W_hn, where Gluon's is r * (h W_hn + b_hn)."""
    h, c = state["h"], state["c"]
    outputs = []
    for t in range(X.shape[1]):
        x = np.eye(VOCAB)[X[:, t]]  # one-hot (batch, vocab)
        xi = np.split(x @ p[f"{cell}.i2h_weight"].T + p[f"{cell}.i2h_bias"], GATES[cell], axis=1)
        hh = np.split(h @ p[f"{cell}.h2h_weight"].T + p[f"{cell}.h2h_bias"], GATES[cell], axis=1)
        if cell == "rnn":
            h = np.tanh(xi[0] + hh[0])
        elif cell == "gru":
            r, z = _sigmoid(xi[0] + hh[0]), _sigmoid(xi[1] + hh[1])
            rows = slice(2 * h.shape[1], 3 * h.shape[1])
            n = (r * h) @ p[f"{cell}.h2h_weight"][rows].T + p[f"{cell}.h2h_bias"][rows] if reset_before else r * hh[2]
            h = z * h + (1 - z) * np.tanh(xi[2] + n)
        else:
            i, f, g, o = _sigmoid(xi[0] + hh[0]), _sigmoid(xi[1] + hh[1]), np.tanh(xi[2] + hh[2]), _sigmoid(xi[3] + hh[3])
            c = f * c + i * g
            h = o * np.tanh(c)
        outputs.append(h)
    logits = np.concatenate(outputs) @ p["output.weight"].T + p["output.bias"]
    return logits, {"h": h, "c": c}


def reference_loss(cell, p, X, Y, state, reset_before=False):
    logits, _ = reference_forward(cell, p, X, state, reset_before)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_softmax[np.arange(len(logits)), Y.T.reshape(-1)].mean()


def reference_gradients(cell, p, X, Y, state, reset_before=False):
    """d loss / d every parameter by central differences (a step of 1e-6), in float64."""
    eps = 1e-6
    grads = {}
    for name, value in p.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            up, down = dict(p), dict(p)
            up[name], down[name] = value.copy(), value.copy()
            up[name][index] += eps
            down[name][index] -= eps
            grad[index] = (reference_loss(cell, up, X, Y, state, reset_before)
                           - reference_loss(cell, down, X, Y, state, reset_before)) / (2 * eps)
        grads[name] = grad
    return grads


def clipped(grads, theta):
    norm = math.sqrt(sum(float((g ** 2).sum()) for g in grads.values()))
    return {name: g * min(1.0, theta / norm) for name, g in grads.items()}, norm


@pytest.fixture(scope="module")
def references():
    """Per (cell, tutorial?): parameters, batch, logits, final state, raw gradients (computed once)."""
    found = {}
    X, Y, state = _batch()
    for cell in CELLS:
        for tutorial in (False, True):
            p = {name: value.astype(np.float64) for name, value in _parameters(cell, tutorial).items()}
            reset_before = tutorial and cell == "gru"  # the chapter's GRU: the reset gate before the product
            logits, final = reference_forward(cell, p, X, state, reset_before)
            grads = reference_gradients(cell, p, X, Y, state, reset_before)
            if tutorial:  # the chapter's model: Gluon's with its h2h biases frozen at zero (no gradient, no norm)
                grads[f"{cell}.h2h_bias"] = np.zeros_like(grads[f"{cell}.h2h_bias"])
            found[cell, tutorial] = (p, logits, final, grads)
    return found


def _close(actual, expected, what):
    scale = max(float(np.abs(expected).max()), 1e-3)
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-5 * scale, err_msg=what)


@pytest.mark.parametrize("cell, name", PAIRS, ids=IDS)
def test_each_implementation_computes_the_float64_equations_within_float32_noise(references, cell, name):
    """Logits, final state, clipped gradients and one SGD step, from a given state and the same parameters."""
    tutorial = name == "tutorial"
    p, logits, final, grads = references[cell, tutorial]
    X, Y, state = _batch()
    model = _build(cell, name, _parameters(cell, tutorial))
    state_in = tuple(mx.nd.array(state[key]) for key in _spec(cell).state_names)
    with mx.autograd.record():
        actual_logits, actual_state = model.forward(mx.nd.array(X), state_in)
        loss = sequence_loss(actual_logits, mx.nd.array(Y))
    loss.backward()
    assert actual_logits.shape == (STEPS * BATCH, VOCAB) and actual_logits.dtype == np.float32
    _close(actual_logits.asnumpy(), logits, "logits")
    assert len(actual_state) == len(_spec(cell).state_names)
    for key, array in zip(_spec(cell).state_names, actual_state):
        _close(array.asnumpy(), final[key], f"state {key}")
    _close(loss.asscalar(), reference_loss(cell, p, X, Y, state, tutorial and cell == "gru"), "loss")

    expected, norm = clipped(grads, theta=0.02)
    assert norm > 0.02  # clipping bites
    before = {key: value.asnumpy() for key, value in model.parameters().items()}
    model.clip_gradients(0.02)
    for key, gradient in model.gradients().items():
        _close(gradient.asnumpy(), expected[key], f"clipped gradient {key}")
    model.step(1, 0.5)
    for key, value in model.parameters().items():
        _close(value.asnumpy(), before[key] - 0.5 * expected[key], f"{key} after one step")


@pytest.mark.parametrize("cell, name", PAIRS, ids=IDS)
def test_each_implementation_keeps_the_sequence_protocol_and_the_canonical_layout(cell, name):
    spec = _spec(cell)
    model = _build(cell, name)
    assert missing(model, SequenceModel) == []
    assert {key: tuple(value.shape) for key, value in model.parameters().items()} == spec.parameter_shapes()
    for key, value in spec.initial_parameters(0).items():  # loaded as drawn (zero biases fold exactly)
        assert np.array_equal(model.parameters()[key].asnumpy(), value), key
    state = model.begin_state(BATCH)
    assert [tuple(array.shape) for array in state] == list(spec.state_shapes(BATCH).values())
    assert all(not array.asnumpy().any() for array in state)


@pytest.mark.parametrize("cell", CELLS)
def test_the_tutorial_sums_gluons_two_biases_into_its_one_and_refuses_what_it_cannot_hold(cell):
    values = _parameters(cell, tutorial=False)
    model = _build(cell, "tutorial", _parameters(cell, tutorial=True))
    if cell == "gru":  # Gluon's candidate h2h bias sits inside the reset gate: the chapter has no such parameter
        with pytest.raises(ValueError, match="the chapter's gru has no bias inside its gate 'n'"):
            model.load_parameters(values)
        return
    model.load_parameters(values)
    folded = values[f"{cell}.i2h_bias"] + values[f"{cell}.h2h_bias"]
    assert np.array_equal(model.parameters()[f"{cell}.i2h_bias"].asnumpy(), folded)
    assert not model.parameters()[f"{cell}.h2h_bias"].asnumpy().any()


@pytest.mark.parametrize("cell, name", PAIRS, ids=IDS)
def test_the_state_is_carried_across_consecutive_batches_and_detached(cell, name):
    """Batch 2 starts from batch 1's final state, detached: its gradients are those of a model handed that state
    as a constant, so no gradient reaches back into batch 1."""
    values = _parameters(cell, tutorial=True)
    corpus = np.random.default_rng(6).integers(0, VOCAB, size=200)
    (X1, Y1), (X2, Y2) = list(consecutive_batches(corpus, BATCH, STEPS))[:2]
    model = _build(cell, name, values)
    state = model.begin_state(BATCH)
    _, state = training_step(model, *as_arrays(X1, Y1, mx.cpu()), state, learning_rate=0.0, clipping_theta=1e9)
    carried = [array.asnumpy() for array in state]
    _, state = training_step(model, *as_arrays(X2, Y2, mx.cpu()), model.detach(state), 0.0, 1e9)

    fresh = _build(cell, name, values)
    constant = tuple(mx.nd.array(array) for array in carried)
    _, fresh_state = training_step(fresh, *as_arrays(X2, Y2, mx.cpu()), constant, 0.0, 1e9)
    for key, gradient in model.gradients().items():
        np.testing.assert_allclose(gradient.asnumpy(), fresh.gradients()[key].asnumpy(), rtol=1e-6, atol=1e-9,
                                   err_msg=key)
    for array, expected in zip(state, fresh_state):
        np.testing.assert_allclose(array.asnumpy(), expected.asnumpy(), rtol=1e-6, atol=1e-9)

    # detach itself, where the first batch's graph is still alive: both batches recorded, one backward
    X1, Y1, X2, Y2 = (mx.nd.array(array) for array in (X1, Y1, X2, Y2))
    strict = _build(cell, name, values)
    with mx.autograd.record():
        _, state = strict.forward(X1, strict.begin_state(BATCH))
        logits, _ = strict.forward(X2, strict.detach(state))
        loss = sequence_loss(logits, Y2)
    loss.backward()
    for key, gradient in strict.gradients().items():
        np.testing.assert_allclose(gradient.asnumpy(), fresh.gradients()[key].asnumpy(), rtol=1e-6, atol=1e-9,
                                   err_msg=f"{key}: a gradient reached back through the detached state")


@pytest.mark.parametrize("cell, name", PAIRS, ids=IDS)
def test_a_uniform_model_has_the_vocabularys_size_as_perplexity(cell, name):
    values = _parameters(cell, tutorial=True)
    values["output.weight"][:] = 0
    values["output.bias"][:] = 0  # every logit 0: every character equally likely
    model = _build(cell, name, values)
    X, Y, _ = _batch()
    logits, _ = model.forward(mx.nd.array(X), model.begin_state(BATCH))
    loss = sequence_loss(logits, mx.nd.array(Y)).asscalar()
    assert perplexity(loss * X.size, X.size) == pytest.approx(VOCAB, rel=1e-5)  # ln 20 within float32 ulps


@pytest.mark.parametrize("cell", CELLS)
def test_every_implementation_predicts_the_same_text_from_a_prefix(cell):
    vocabulary = Vocabulary.of("abcdefghijklmnopqrst")
    values = _parameters(cell, tutorial=True)
    texts = {name: predict(_build(cell, name, values), vocabulary, "tea", 12, mx.cpu()) for name in IMPLEMENTATIONS}
    if cell == "gru":  # the chapter's GRU is another function (the reset gate before the product): its own text
        texts.pop("tutorial")
    assert len(set(texts.values())) == 1, texts
    assert texts["scratch"].startswith("tea") and len(texts["scratch"]) == 3 + 12


def test_the_recipes_are_the_chapters_and_the_models_stay_out_of_the_image_registry():
    entries = sequence_models()
    assert list(entries) == ["rnn", "gru", "lstm"] and not set(entries) & set(models())
    for name, entry in entries.items():
        recipe = entry.recipe
        assert (recipe.learning_rate, recipe.clipping_theta, recipe.batch_size, recipe.num_steps,
                recipe.num_hiddens, recipe.weight_scale, recipe.pred_len) == (100.0, 0.01, 32, 35, 256, 0.01, 50)
        assert recipe.epochs == (200 if name == "rnn" else 160)
        assert [builtin.name for builtin in entry.builtins] == list(IMPLEMENTATIONS)
    assert entries["rnn"].recipe.samplings == ("random", "consecutive")
    assert entries["lstm"].spec(1027).parameter_shapes()["lstm.i2h_weight"] == (4 * 256, 1027)
    assert entries["gru"].spec(1027).parameter_count() == 3 * 256 * (1027 + 256 + 2) + 1027 * 256 + 1027
