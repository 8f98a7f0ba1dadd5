"""The GRU language model as the gru chapter writes it with Gluon: `rnn.GRU(num_hiddens)` and a `Dense` output
(`SequenceBlock`), trained by `GluonSequenceNetwork`; imperative (`gluon`) or hybridized (`gluon-hybrid`)."""
from __future__ import annotations

from implementations.gru.spec import GRUSpec
from implementations.mxnet_compat import mx
from implementations.protocol import Devices
from implementations.sequence_gluon import GluonSequenceNetwork


class GluonGRU(GluonSequenceNetwork):
    def __init__(self, spec: GRUSpec, devices: Devices, hybridize: bool) -> None:
        super().__init__(spec, devices, lambda: mx.gluon.rnn.GRU(spec.num_hiddens, input_size=spec.vocab_size),
                         hybridize)
