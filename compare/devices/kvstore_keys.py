"""A key range of a shared dist_sync KVStore: what each model gets as `devices.store`.

A Trainer numbers its parameters' keys 0, 1, 2, ... and MXNet's parameter servers keep one key space per
cluster, so two models in one worker (gluon, then gluon-hybrid) would initialise the same keys twice and
corrupt each other's sums. `KeyRange` is a `KVStoreBase` (MXNet's extension point for stores, so a Gluon
Trainer takes it) that shifts every key by a base and hands the call to the real store; a hand-written
all-reduce uses its `init`, `push` and `pull` the same way. Each model numbers its keys from 0.
"""
from __future__ import annotations

from implementations.mxnet_compat import mx

KVStoreBase = mx.kvstore.KVStoreBase


class KeyRange(KVStoreBase):
    """`store` seen through keys `base`, `base + 1`, ...; what a Trainer needs: broadcast and pushpull."""

    def __init__(self, store: mx.kv.KVStore, base: int) -> None:
        self.store, self.base = store, base

    def broadcast(self, key, value, out, priority=0):  # noqa: ANN001, ANN201 (KVStoreBase's signature)
        self.store.broadcast(self.base + key, value, out, priority)
        # MXNet 1.9 can send a later gradient push on this key before this pull: the server would then
        # answer the pull with the summed gradient instead of the weights. Waiting here keeps the order.
        for array in out if isinstance(out, (list, tuple)) else [out]:
            array.wait_to_read()

    def pushpull(self, key, value, out=None, priority=0):  # noqa: ANN001, ANN201
        self.store.pushpull(self.base + key, value, out, priority)

    def init(self, key: int, value: mx.nd.NDArray) -> None:
        self.store.init(self.base + key, value)

    def push(self, key: int, value: mx.nd.NDArray) -> None:
        self.store.push(self.base + key, value)

    def pull(self, key: int, out: object) -> None:
        self.store.pull(self.base + key, out=out)

    def is_capable(self, capability: str) -> bool:
        return False  # updates stay on the workers: the last, smaller batch is normalised by its own size

    def set_optimizer(self, optimizer: object) -> None:
        raise NotImplementedError("KeyRange keeps updates on the workers")

    def save_optimizer_states(self, fname: str, dump_optimizer: bool = False) -> None:
        raise NotImplementedError("KeyRange keeps updates on the workers")

    def load_optimizer_states(self, fname: str) -> None:
        raise NotImplementedError("KeyRange keeps updates on the workers")

    @property
    def type(self) -> str:
        return self.store.type

    @property
    def rank(self) -> int:
        return self.store.rank

    @property
    def num_workers(self) -> int:
        return self.store.num_workers
