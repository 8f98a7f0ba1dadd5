"""Learner code for the language models, written the ways the rnn-scratch, gru and lstm chapters write it (their
`get_params`, cell functions, `grad_clipping`, `sgd`, over `SequenceAsWritten`): correct formulations `check` must
pass on every seed, and the chapters' classic mistakes it must name — the time step or quantity, the gate, the
cause. Each mistake changes one thing of the chapter's code. `CORRECT[model]` and `MISTAKES[model]` (class, words
the cause must contain) are what tests/test_sequence_check.py runs."""
from implementations.gru.tutorial import TutorialGRU
from implementations.lstm.tutorial import TutorialLSTM
from implementations.mxnet_compat import mx
from implementations.rnn.tutorial import TutorialRNN
from implementations.sequence_ndarray import SequenceAsWritten

nd = mx.nd


# ---- the rnn-scratch chapter --------------------------------------------------------------------------------------

def rnn_concatenated(inputs, state, params):
    """Correct: one product of [X, H] with the stacked [W_xh; W_hh] (the chapter's exercise)."""
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = nd.tanh(nd.dot(nd.concat(X, H, dim=1), nd.concat(W_xh, W_hh, dim=0)) + b_h)
        outputs.append(nd.dot(H, W_hq) + b_q)
    return outputs, (H,)


class ConcatenatedRNN(TutorialRNN):
    cell = staticmethod(rnn_concatenated)


class ClippedOnTheDeviceRNN(TutorialRNN):
    """Correct: the global norm's clipping kept on the device (no asscalar), min(1, theta / norm) on every gradient."""

    def clip_gradients(self, theta):
        norm = nd.sqrt(nd.add_n(*[(param.grad ** 2).sum() for param in self.params]))
        scale = nd.minimum(theta / norm, 1.0)
        for param in self.params:
            param.grad[:] *= scale


def rnn_relu(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = nd.relu(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)  # the rnn-gluon layer's default, not the chapter's tanh
        outputs.append(nd.dot(H, W_hq) + b_q)
    return outputs, (H,)


class ReluRNN(TutorialRNN):
    cell = staticmethod(rnn_relu)


def rnn_without_recurrence(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = nd.tanh(nd.dot(X, W_xh) + b_h)  # H W_hh left out
        outputs.append(nd.dot(H, W_hq) + b_q)
    return outputs, (H,)


class NoRecurrenceRNN(TutorialRNN):
    cell = staticmethod(rnn_without_recurrence)


class UnclippedRNN(TutorialRNN):
    def clip_gradients(self, theta):
        pass  # grad_clipping never called


class ClippedPerParameterRNN(TutorialRNN):
    def clip_gradients(self, theta):
        for param in self.params:  # each gradient to norm theta on its own
            norm = (param.grad ** 2).sum().sqrt().asscalar()
            if norm > theta:
                param.grad[:] *= theta / norm


class NotDetachedRNN(TutorialRNN):
    def detach(self, state):
        for s in state:
            s.detach()  # the chapters' own line: detach's result discarded
        return state


class TransposedInputsRNN(TutorialRNN):
    def forward(self, inputs, state):
        onehot = [nd.one_hot(x, self.spec.vocab_size) for x in inputs]  # rows of X, not X.T
        outputs, state = self.cell(onehot, state, self.params)
        return nd.concat(*outputs, dim=0), state


class StatefulRNN(TutorialRNN):
    """Keeps its last state and begins every batch from it: under random sampling the state is never reset."""

    last = None

    def begin_state(self, batch_size):
        if self.last is not None and self.last[0].shape[0] == batch_size:
            return self.last
        return super().begin_state(batch_size)

    def forward(self, inputs, state):
        logits, state = super().forward(inputs, state)
        self.last = tuple(array.detach() for array in state)
        return logits, state


# ---- the gru chapter ---------------------------------------------------------------------------------------------

def gru_with(update_swapped=False, reset=nd.sigmoid, candidate=nd.tanh):
    def gru(inputs, state, params):
        W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            Z = nd.sigmoid(nd.dot(X, W_xz) + nd.dot(H, W_hz) + b_z)
            R = reset(nd.dot(X, W_xr) + nd.dot(H, W_hr) + b_r)
            H_tilda = candidate(nd.dot(X, W_xh) + nd.dot(R * H, W_hh) + b_h)
            H = (1 - Z) * H + Z * H_tilda if update_swapped else Z * H + (1 - Z) * H_tilda
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H,)
    return staticmethod(gru)


class SwappedUpdateGRU(TutorialGRU):
    cell = gru_with(update_swapped=True)


class TanhResetGRU(TutorialGRU):
    cell = gru_with(reset=nd.tanh)


class SigmoidCandidateGRU(TutorialGRU):
    cell = gru_with(candidate=nd.sigmoid)


# ---- the lstm chapter --------------------------------------------------------------------------------------------

def lstm_with(output=nd.sigmoid, forget_bias="b_f", candidate_weights="c", cell_tanh=True):
    def lstm(inputs, state, params):
        [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q] = params
        (H, C) = state
        bias_f = {"b_f": b_f, "b_i": b_i}[forget_bias]
        W_xcand, W_hcand = (W_xc, W_hc) if candidate_weights == "c" else (W_xo, W_ho)
        outputs = []
        for X in inputs:
            I = nd.sigmoid(nd.dot(X, W_xi) + nd.dot(H, W_hi) + b_i)
            F = nd.sigmoid(nd.dot(X, W_xf) + nd.dot(H, W_hf) + bias_f)
            O = output(nd.dot(X, W_xo) + nd.dot(H, W_ho) + b_o)
            C_tilda = nd.tanh(nd.dot(X, W_xcand) + nd.dot(H, W_hcand) + b_c)
            C = F * C + I * C_tilda
            H = O * (C.tanh() if cell_tanh else C)
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H, C)
    return staticmethod(lstm)


class OneProductLSTM(SequenceAsWritten):
    """Correct: the four gates from one product with their weights side by side, then split (one GEMM a step)."""

    layout = TutorialLSTM.layout
    get_params, init_state = staticmethod(TutorialLSTM.get_params), staticmethod(TutorialLSTM.init_state)

    @staticmethod
    def cell(inputs, state, params):
        [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q] = params
        (H, C) = state
        W_x = nd.concat(W_xi, W_xf, W_xo, W_xc, dim=1)
        W_h = nd.concat(W_hi, W_hf, W_ho, W_hc, dim=1)
        b = nd.concat(b_i, b_f, b_o, b_c, dim=0)
        outputs = []
        for X in inputs:
            I, F, O, C_tilda = nd.split(nd.dot(X, W_x) + nd.dot(H, W_h) + b, num_outputs=4, axis=1)
            C = nd.sigmoid(F) * C + nd.sigmoid(I) * nd.tanh(C_tilda)
            H = nd.sigmoid(O) * C.tanh()
            outputs.append(nd.dot(H, W_hq) + b_q)
        return outputs, (H, C)


class TanhOutputGateLSTM(TutorialLSTM):
    cell = lstm_with(output=nd.tanh)


class ForgetGateOnTheInputBiasLSTM(TutorialLSTM):
    cell = lstm_with(forget_bias="b_i")


class CandidateOnTheOutputWeightsLSTM(TutorialLSTM):
    cell = lstm_with(candidate_weights="o")


class NoCellTanhLSTM(TutorialLSTM):
    cell = lstm_with(cell_tanh=False)


CORRECT = {"rnn": [ConcatenatedRNN, ClippedOnTheDeviceRNN], "gru": [], "lstm": [OneProductLSTM]}
# (class, sampling, words the cause must contain); every other mistake is checked under consecutive sampling
MISTAKES = {
    "rnn": [(ReluRNN, "consecutive", "the hidden state (h) applies relu where the equations apply tanh"),
            (NoRecurrenceRNN, "consecutive", "the hidden state does not reach the next time step"),
            (UnclippedRNN, "consecutive", "the gradients are not clipped"),
            (ClippedPerParameterRNN, "consecutive", "gradient clipping per parameter"),
            (NotDetachedRNN, "consecutive", "the state `detach` returns is still attached"),
            (TransposedInputsRNN, "consecutive", "the one-hot inputs are taken along the wrong axis"),
            (StatefulRNN, "random", "begins from the previous batch's final state")],
    "gru": [(SwappedUpdateGRU, "consecutive", "the update gate weighs the other way"),
            (TanhResetGRU, "consecutive", "the reset gate (r) applies tanh where the equations apply sigmoid"),
            (SigmoidCandidateGRU, "consecutive",
             "the candidate hidden state (n) applies sigmoid where the equations apply tanh")],
    "lstm": [(TanhOutputGateLSTM, "consecutive", "the output gate (o) applies tanh where the equations apply sigmoid"),
             (ForgetGateOnTheInputBiasLSTM, "consecutive", "the forget gate's rows get no gradient"),
             (CandidateOnTheOutputWeightsLSTM, "consecutive",
              "the candidate memory cell (c) is computed with the output gate's weights"),
             (NoCellTanhLSTM, "consecutive", "tanh of the memory cell is left out")],
}


class FusedOperatorLSTM:
    """Correct: Gluon's two biases per gate and the fused `nd.RNN` operator (mode 'lstm') over the whole sequence,
    its parameters flattened into the one vector the operator takes (i2h weight, h2h weight, i2h bias, h2h bias),
    clipped by `gluon.utils.clip_global_norm`. Written against the protocol, not over the chapter's code."""

    def __init__(self, spec, devices):
        self.spec, self.context = spec, devices.context
        self.params = {name: nd.zeros(shape, ctx=self.context) for name, shape in spec.parameter_shapes().items()}
        for array in self.params.values():
            array.attach_grad()

    def begin_state(self, batch_size):
        return tuple(nd.zeros((batch_size, self.spec.num_hiddens), ctx=self.context) for _ in range(2))

    def detach(self, state):
        return tuple(array.detach() for array in state)

    def forward(self, inputs, state):
        p, hiddens = self.params, self.spec.num_hiddens
        flat = nd.concat(*[p[f"lstm.{name}"].reshape((-1,))
                           for name in ("i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias")], dim=0)
        steps = nd.one_hot(inputs.T, self.spec.vocab_size)  # (num_steps, batch, vocab)
        H, C = state
        outputs, H, C = nd.RNN(steps, flat, H.expand_dims(0), C.expand_dims(0), state_size=hiddens, num_layers=1,
                               mode="lstm", state_outputs=True)
        logits = nd.FullyConnected(outputs.reshape((-1, hiddens)), p["output.weight"], p["output.bias"],
                                   num_hidden=self.spec.vocab_size)
        return logits, (H[0], C[0])

    def clip_gradients(self, theta):
        mx.gluon.utils.clip_global_norm([array.grad for array in self.params.values()], theta, check_isfinite=False)

    def step(self, batch_size, learning_rate):
        for array in self.params.values():
            array[:] = array - learning_rate * array.grad / batch_size

    def parameters(self):
        return dict(self.params)

    def gradients(self):
        return {name: array.grad for name, array in self.params.items()}

    def load_parameters(self, values):
        for name, array in self.params.items():
            array[:] = values[name]


CORRECT["lstm"].append(FusedOperatorLSTM)


# ---- more mistakes: the state a batch begins from, the state forward returns, a rate twice the recipe's ---------

class OnesStateRNN(TutorialRNN):
    def begin_state(self, batch_size):
        return (nd.ones((batch_size, self.spec.num_hiddens), ctx=self.context),)  # not the chapters' zeros


class ReturnsGivenStateRNN(TutorialRNN):
    def forward(self, inputs, state):
        logits, _ = super().forward(inputs, state)
        return logits, state  # the state it was given, not the one after the last step


class DoubleRateRNN(TutorialRNN):
    def step(self, batch_size, learning_rate):
        super().step(batch_size, 2 * learning_rate)


MISTAKES["rnn"] += [(OnesStateRNN, "consecutive", "the state a batch begins from is not zeros"),
                    (ReturnsGivenStateRNN, "consecutive", "forward returns the state it was given"),
                    (DoubleRateRNN, "consecutive", "is 2x the reference's")]


class AlwaysRescaledRNN(TutorialRNN):
    def clip_gradients(self, theta):
        norm = nd.sqrt(nd.add_n(*[(param.grad ** 2).sum() for param in self.params]))
        for param in self.params:
            param.grad[:] *= theta / norm  # min(1, ...) left out: scales up below theta


MISTAKES["rnn"].append((AlwaysRescaledRNN, "consecutive", "the chapters' clipping only ever scales down"))
