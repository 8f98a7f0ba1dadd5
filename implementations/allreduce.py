"""The from-scratch all-reduce the hand-written implementations share: sum one gradient's copies, hand the
sum back to every copy. Across contexts by hand (as the book's from-scratch multi-GPU chapter does), and
across worker processes through the KVStore API by hand (push the local sum, pull the global one).
"""
from __future__ import annotations

from typing import Optional, Sequence

from implementations.mxnet_compat import mx


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


def register_keys(store: Optional[mx.kv.KVStore], key_base: int, shapes: Sequence[tuple[int, ...]]) -> list[int]:
    """Keys key_base, key_base+1, ... for arrays of `shapes`, initialised in `store` (a barrier across the
    workers, so every worker must register in the same order)."""
    keys = [key_base + index for index in range(len(shapes))]
    if store is not None:
        for key, shape in zip(keys, shapes):
            store.init(key, mx.nd.zeros(shape))
    return keys
