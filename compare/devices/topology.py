"""Data parallel plumbing shared by run, check and bench: how one global batch is divided among the worker
processes and each worker's contexts, and the worker group (MXNet's dist_sync KVStore) that joins them.

The models sum their own gradients (`Devices`); the group only hands each model its key range and sums the
runner's metrics (batch loss, correct predictions) across workers, so every worker reaches the same verdict.
"""
import os
from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

import numpy as np

from compare.config import (
    DIST_KVSTORE,
    check_splittable,
    choose_kvstore,
    devices_text,
    planned_workers,
)
from compare.data.batches import Batch
from compare.devices.contexts import ContextSpec, resolve_contexts
from compare.devices.launch_markers import report_connecting, report_joined
from compare.errors import UsageError
from implementations.mxnet_compat import mx
from implementations.protocol import Devices

KEYS_PER_MODEL = 100  # each model's key range in the shared store; LeNet uses 8


def piece_bounds(size: int, pieces: int) -> list[tuple[int, int]]:
    """`size` examples in `pieces` contiguous pieces as even as possible: 7 over 4 -> 2, 2, 2, 1.

    (gluon.utils.split_data would give 1, 1, 1, 4: it puts the whole remainder on the last slice.)
    """
    base, extra = divmod(size, pieces)
    bounds, start = [], 0
    for index in range(pieces):
        stop = start + base + (1 if index < extra else 0)
        bounds.append((start, stop))
        start = stop
    return bounds


@dataclass(frozen=True)
class Sharding:
    """One global batch split into num_workers x len(contexts) pieces; this worker trains pieces
    rank*K .. rank*K+K-1, one per context. A worker's shard of an epoch is its pieces of every batch."""

    contexts: tuple  # this process's mxnet Contexts; the first is home (where the data lives)
    rank: int = 0
    num_workers: int = 1

    @property
    def pieces(self) -> int:
        return self.num_workers * len(self.contexts)

    def local_bounds(self, size: int) -> list[tuple[int, int]]:
        """(start, stop) of this worker's pieces of a batch of `size`, one per context."""
        return piece_bounds(size, self.pieces)[self.rank * len(self.contexts):][:len(self.contexts)]

    def split(self, batch: Batch) -> list[Batch]:
        """This worker's non-empty pieces of `batch`, each copied to its context (one piece: the batch)."""
        if self.pieces == 1:
            return [batch]
        local = self.local_bounds(batch.size)
        return [Batch(batch.images[start:stop].as_in_context(ctx), batch.labels[start:stop].as_in_context(ctx))
                for (start, stop), ctx in zip(local, self.contexts) if stop > start]

    def check_training_batches(self, num_examples: int, batch_size: int) -> None:
        """UsageError unless every training batch, the last and smaller one too, gives each piece an example."""
        check_splittable(batch_size, len(self.contexts), self.num_workers)
        last = num_examples % batch_size
        if 0 < last < self.pieces:
            raise UsageError(f"the epoch's last batch has {last} example(s), too few for "
                             f"{devices_text(len(self.contexts), self.num_workers)}; change --limit or --batch-size")


@dataclass(frozen=True)
class Placement:
    """Where a command trains, known before any worker connects: this process's contexts, the KVStore in
    force and how many worker processes share the work."""

    contexts: tuple  # mxnet Contexts; the first is home
    kvstore: str
    workers: int = 1

    @classmethod
    def from_flags(cls, specs: Sequence[ContextSpec], requested_kvstore: Optional[str],
                   environ: Mapping[str, str] = os.environ) -> "Placement":
        """--ctx and --kvstore, resolved: a GPU mxnet cannot reach or a KVStore the environment forbids is a
        UsageError here, before anything is built."""
        kvstore = choose_kvstore(requested_kvstore, environ)
        return cls(tuple(resolve_contexts(tuple(specs))), kvstore, planned_workers(kvstore, environ))

    @property
    def home(self) -> "mx.Context":
        return self.contexts[0]

    @property
    def plan(self) -> Sharding:
        """How batches will be split (as rank 0 sees it), for the checks made before joining."""
        return Sharding(self.contexts, 0, self.workers)

    @property
    def data_parallel(self) -> bool:
        return self.plan.pieces > 1

    def join(self) -> "WorkerGroup":
        return WorkerGroup.join(self.kvstore)




@dataclass
class WorkerGroup:
    """This process's place among the workers: alone (`store` None) or one of a dist_sync KVStore's."""

    kvstore: str = "device"  # device or local for Gluon in one process; dist_sync across processes
    store: Optional["mx.kv.KVStore"] = None
    _next_key: int = field(default=KEYS_PER_MODEL, init=False)
    _sum_keys: dict[tuple[int, ...], int] = field(default_factory=dict, init=False)

    @classmethod
    def join(cls, kvstore: str, environ: Mapping[str, str] = os.environ) -> "WorkerGroup":
        """Alone, or connected to the scheduler and servers (blocks until every worker has joined)."""
        if kvstore != DIST_KVSTORE:
            return cls(kvstore)
        report_connecting(environ)
        group = cls(kvstore, mx.kv.create(DIST_KVSTORE))
        report_joined(group.rank, environ)
        return group

    @property
    def rank(self) -> int:
        return 0 if self.store is None else self.store.rank

    @property
    def num_workers(self) -> int:
        return 1 if self.store is None else self.store.num_workers

    @property
    def reports(self) -> bool:
        """Rank 0 alone prints the tables and writes the files."""
        return self.rank == 0

    def record(self, contexts: Sequence["mx.Context"]) -> Optional[dict[str, object]]:
        """What the environment panel and JSON say about data parallelism (None: one device, one process)."""
        if self.store is None and len(contexts) == 1:
            return None
        return {"kvstore": self.kvstore, "workers": self.num_workers, "contexts_per_worker": len(contexts)}

    def sharding(self, contexts: Sequence["mx.Context"]) -> Sharding:
        return Sharding(tuple(contexts), self.rank, self.num_workers)

    def devices(self, contexts: Sequence["mx.Context"]) -> Devices:
        """A model's Devices with its own key range; every worker must ask in the same order."""
        key_base, self._next_key = self._next_key, self._next_key + KEYS_PER_MODEL
        return Devices(tuple(contexts), self.kvstore, self.store, key_base)

    def sum(self, values: "Sequence[float] | np.ndarray") -> np.ndarray:
        """Element-wise sum of `values` over every worker (float64); alone, the values themselves."""
        local = np.asarray(values, dtype=np.float64)
        if self.store is None:
            return local
        key = self._sum_keys.get(local.shape)
        if key is None:  # first use of this shape: a key of its own (init is a barrier, so same order everywhere)
            key = self._sum_keys[local.shape] = len(self._sum_keys)
            self.store.init(key, mx.nd.zeros(local.shape, dtype=np.float64))
        self.store.push(key, mx.nd.array(local, dtype=np.float64))
        total = mx.nd.zeros(local.shape, dtype=np.float64)
        self.store.pull(key, out=total)
        return total.asnumpy()

    def barrier(self) -> None:
        if self.store is not None:
            self.store._barrier()  # noqa: SLF001 (KVStore's public barrier in all but name)
