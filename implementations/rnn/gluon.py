"""The RNN language model as Gluon writes it: `rnn.RNN(num_hiddens, activation='tanh')` and a `Dense` output
(`SequenceBlock`), trained by `GluonSequenceNetwork`; imperative (`gluon`) or hybridized (`gluon-hybrid`).

tanh, as the from-scratch chapter's equations: `rnn.RNN`'s default, which the rnn-gluon chapter keeps, is ReLU."""
from __future__ import annotations

from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.rnn.spec import RNNSpec
from implementations.sequence_gluon import GluonSequenceNetwork


class GluonRNN(GluonSequenceNetwork):
    def __init__(self, spec: RNNSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, lambda: mx.gluon.rnn.RNN(spec.num_hiddens, activation="tanh",
                                                                 input_size=spec.vocab_size), hybridize)
