"""What the hand-written implementations share for data parallel: one copy of the parameters per context,
and the from-scratch all-reduce over them — sum one gradient's copies onto the first context and hand the
sum back to every copy (as the book's from-scratch multi-GPU chapter does), and across worker processes
through the KVStore API by hand (push the local sum, pull the global one).
"""
from __future__ import annotations

from typing import Mapping, Optional, Sequence

import numpy as np

from implementations.mxnet_compat import mx
from implementations.protocol import Devices


def allreduce(copies: Sequence[mx.nd.NDArray], store: Optional[mx.kv.KVStore] = None, key: int = 0) -> None:
    """In place: every array in `copies` (one per context) becomes their sum, and with `store` the sum
    over every worker too. One copy and no store: nothing to do, so single-device training is untouched."""
    home = copies[0]
    for other in copies[1:]:  # sum onto the first context
        home += other.copyto(home.context)
    if store is not None:  # dist_sync: the servers add up one push per worker; the pull returns that sum
        store.push(key, home)
        store.pull(key, out=list(copies))
        return
    for other in copies[1:]:  # broadcast back
        home.copyto(other)


class Replicas(dict):
    """context -> {parameter name -> NDArray with a gradient attached}: one copy per context of `devices`.

    `home` is the copy on the home context. The parameters' keys in a dist_sync store are registered here
    (an init is a barrier across the workers, so every worker builds its models in the same order).
    """

    def __init__(self, shapes: Mapping[str, tuple[int, ...]], devices: Devices, dtype: type = np.float32) -> None:
        super().__init__({ctx: self._zeros(shapes, ctx, dtype) for ctx in devices.contexts})
        self.home = self[devices.context]
        self.home_context = devices.context
        self.store = devices.store  # this model's own key range of the shared store, keys from 0
        self.keys = list(range(len(shapes)))
        if self.store is not None:
            for key, shape in zip(self.keys, shapes.values()):
                self.store.init(key, mx.nd.zeros(shape))
        self.summed_by = "by hand" + (" + KVStore push/pull" if self.store is not None else "")

    @staticmethod
    def _zeros(shapes: Mapping[str, tuple[int, ...]], ctx: mx.Context, dtype: type) -> dict[str, mx.nd.NDArray]:
        params = {name: mx.nd.zeros(shape, ctx=ctx, dtype=dtype) for name, shape in shapes.items()}
        for array in params.values():
            array.attach_grad()
        return params

    def allreduce_gradients(self) -> None:
        """Every copy's gradients become their sum over the contexts (and the workers)."""
        for key, name in zip(self.keys, self.home):
            allreduce([params[name].grad for params in self.values()], self.store, key)
