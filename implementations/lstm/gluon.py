"""The LSTM language model as the lstm chapter writes it with Gluon: `rnn.LSTM(num_hiddens)` and a `Dense` output
(`SequenceBlock`), trained by `GluonSequenceNetwork`; imperative (`gluon`) or hybridized (`gluon-hybrid`)."""
from __future__ import annotations

from implementations.lstm.spec import LSTMSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.sequence_gluon import GluonSequenceNetwork


class GluonLSTM(GluonSequenceNetwork):
    def __init__(self, spec: LSTMSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, lambda: mx.gluon.rnn.LSTM(spec.num_hiddens, input_size=spec.vocab_size),
                         hybridize)
