"""Where a job runs, owned by one object: this process's contexts, the worker processes that share every
batch and the KVStore that joins them, how a global batch is cut into shards, and the `Devices` each model
is built with. One device in one process is its smallest case; nothing else branches on "one or several".

The models sum their own gradients (through their `Devices`); the topology sums only the runner's metrics
(batch loss, correct predictions) across workers, so every worker reaches the same verdict. The KVStore
rules (which store, how many workers, whether a batch can be split) need no mxnet: configs and `launch`
check flags with them before anything loads.
"""
from __future__ import annotations

import os
import signal
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator, Mapping, Optional, Sequence

import numpy as np

from compare.devices.contexts import ContextSpec
from compare.devices.launch_markers import report_connecting, report_joined
from compare.errors import UsageError
from compare.signals import Interrupt, SignalRecord, deferred_signals, signals_noted

if TYPE_CHECKING:
    import mxnet

    from compare.data.batches import Batch
    from implementations.protocol import Devices

DIST_KVSTORE = "dist_sync"
KVSTORE_CHOICES = ("device", "local", DIST_KVSTORE)
KEYS_PER_MODEL = 100  # each model's key range in the shared store; LeNet uses 8
LAUNCHED_WORKER = {"DMLC_ROLE": "worker"}  # the environment `compare launch` gives its workers, for checks made before


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


def devices_text(contexts: int, workers: int) -> str:
    """'2 context(s) x 1 worker': how messages name the devices a batch is split over."""
    return f"{contexts} context(s) x {workers} worker{'' if workers == 1 else 's'}"


def check_splittable(batch_size: int, contexts: int, workers: int = 1, needed: Optional[int] = None) -> None:
    """UsageError when a batch of `batch_size` leaves a device without an example (`needed`: the --batch-size
    to suggest, when it is not simply one example per device)."""
    if batch_size < contexts * workers:
        raise UsageError(f"a batch of {batch_size} cannot be split over {devices_text(contexts, workers)}: more "
                         f"contexts than examples in a batch; use --batch-size {needed or contexts * workers} or more")


def choose_kvstore(requested: Optional[str], environ: Mapping[str, str]) -> str:
    """`--kvstore` in force: dist_sync under a launcher (DMLC_ROLE=worker), else device; conflicts refused."""
    launched = environ.get("DMLC_ROLE") == "worker"
    if requested is None:
        return DIST_KVSTORE if launched else "device"
    if requested == DIST_KVSTORE and not launched:
        raise UsageError("--kvstore dist_sync needs a launcher's environment (DMLC_ROLE=worker, DMLC_PS_ROOT_URI, "
                         "...): run it as `python -m compare launch --workers N -- run ...`")
    if requested != DIST_KVSTORE and launched:
        raise UsageError(f"--kvstore {requested} under a launcher: the worker processes share dist_sync")
    return requested


def planned_workers(kvstore: str, environ: Mapping[str, str]) -> int:
    """How many worker processes the launcher started (known before joining them)."""
    if kvstore != DIST_KVSTORE:
        return 1
    try:
        return max(1, int(environ.get("DMLC_NUM_WORKER", "1")))
    except ValueError as error:
        raise UsageError(f"DMLC_NUM_WORKER must be a whole number, got {environ.get('DMLC_NUM_WORKER')!r}") from error


@dataclass
class Topology:
    """This process's contexts (the first is home, where the data lives), the worker processes sharing every
    batch (this one is `rank` of them) and the KVStore joining them. Each global batch is cut into
    workers x contexts contiguous pieces; this worker trains pieces rank*K .. rank*K+K-1, one per context.

    Built from the flags before anything connects (`from_flags`: the worker count is then the launcher's
    plan); `join` connects a dist_sync worker to the others (a no-op in one process).
    """

    contexts: tuple  # mxnet Contexts
    kvstore: str = "device"  # device or local for Gluon in one process; dist_sync across processes
    workers: int = 1
    store: Optional["mxnet.kv.KVStore"] = field(default=None, repr=False)
    _next_key: int = field(default=KEYS_PER_MODEL, init=False, repr=False)
    _sum_keys: dict = field(default_factory=dict, init=False, repr=False)
    # while workers train together: a signal noted here rides along every sum, so all stop at the same one
    _noted: Optional[SignalRecord] = field(default=None, init=False, repr=False)

    @classmethod
    def from_flags(cls, specs: Sequence[ContextSpec], requested_kvstore: Optional[str],
                   environ: Mapping[str, str] = os.environ) -> "Topology":
        """--ctx and --kvstore, resolved: a GPU mxnet cannot reach or a KVStore the environment forbids is a
        UsageError here, before anything is built."""
        from compare.devices.contexts import resolve_contexts

        kvstore = choose_kvstore(requested_kvstore, environ)
        return cls(tuple(resolve_contexts(tuple(specs))), kvstore, planned_workers(kvstore, environ))

    def alone(self) -> "Topology":
        """The same job on the home context alone, in this process only: what data parallel is measured against."""
        return Topology((self.home,))

    @property
    def home(self) -> "mxnet.Context":
        return self.contexts[0]

    @property
    def pieces(self) -> int:
        """How many shards every global batch is cut into, over all workers."""
        return self.workers * len(self.contexts)

    @property
    def data_parallel(self) -> bool:
        return self.pieces > 1

    @property
    def gradients_whole_before_step(self) -> bool:
        """With one shard a backward pass leaves the whole batch's gradient; with several, each replica holds its
        shard's until the model's `step` sums them (its all-reduce)."""
        return self.pieces == 1

    @property
    def rank(self) -> int:
        return 0 if self.store is None else self.store.rank

    @property
    def reports(self) -> bool:
        """Rank 0 alone prints the tables and writes the files."""
        return self.rank == 0

    def join(self, environ: Mapping[str, str] = os.environ) -> None:
        """Connect to the scheduler and servers when dist_sync (blocks until every worker has joined)."""
        if self.kvstore != DIST_KVSTORE or self.store is not None:
            return
        from implementations.mxnet_compat import mx

        report_connecting(environ)
        # ps-lite starts its threads inside MXKVStoreCreate; a signal handled as that call returns would raise
        # before a KVStore object owns the handle, and a store never freed never stops them (ps::Finalize): at
        # exit C++ then destroys them still joinable and the worker aborts ("terminate called without an active
        # exception"). So the interrupt waits until the store is ours; freeing it ends ps-lite in order.
        with deferred_signals() if self._noted is None else nullcontext():  # noted: it rides the first sum
            self.store = mx.kv.create(DIST_KVSTORE)
            self.workers = self.store.num_workers
            report_joined(self.rank, environ)

    def check_training_batches(self, num_examples: int, batch_size: int) -> None:
        """UsageError unless every training batch, the last and smaller one too, gives each piece an example."""
        check_splittable(batch_size, len(self.contexts), self.workers)
        last = num_examples % batch_size
        if 0 < last < self.pieces:
            raise UsageError(f"the epoch's last batch has {last} example(s), too few for "
                             f"{devices_text(len(self.contexts), self.workers)}; change --limit or --batch-size")

    def local_bounds(self, size: int) -> list[tuple[int, int]]:
        """(start, stop) of this worker's pieces of a batch of `size`, one per context."""
        return piece_bounds(size, self.pieces)[self.rank * len(self.contexts):][:len(self.contexts)]

    def split(self, batch: "Batch") -> list["Batch"]:
        """This worker's non-empty pieces of `batch`, each copied to its context (one piece: the batch)."""
        from compare.data.batches import Batch

        if self.pieces == 1:
            return [batch]
        return [Batch(batch.images[start:stop].as_in_context(ctx), batch.labels[start:stop].as_in_context(ctx))
                for (start, stop), ctx in zip(self.local_bounds(batch.size), self.contexts) if stop > start]

    def devices(self) -> "Devices":
        """A new model's Devices: every context, and its own key range of the shared store (every worker must
        build its models in the same order)."""
        from compare.devices.kvstore_keys import KeyRange
        from implementations.protocol import Devices

        if self.store is None:
            return Devices(tuple(self.contexts), self.kvstore)
        key_base, self._next_key = self._next_key, self._next_key + KEYS_PER_MODEL
        return Devices(tuple(self.contexts), self.kvstore, KeyRange(self.store, key_base))

    @contextmanager
    def stopping_together(self) -> Iterator[SignalRecord]:
        """Across worker processes, a signal is noted, not raised, and travels with the next `sum`: every worker
        raises the Interrupt at that same sum (one stopping alone would leave the others waiting on it for
        ever). The record says whether a signal came after the last sum; in one process nothing changes."""
        if self.kvstore != DIST_KVSTORE:
            yield SignalRecord()
            return
        with signals_noted() as record:  # from before `join` on: the first sum carries what came meanwhile
            self._noted = record
            try:
                yield record
            finally:
                self._noted = None

    def sum(self, values: "Sequence[float] | np.ndarray") -> np.ndarray:
        """Element-wise sum of `values` over every worker (float64); alone, the values themselves. Inside
        `stopping_together`, an Interrupt in every worker at once when any of them has noted a signal."""
        local = np.asarray(values, dtype=np.float64)
        if self.store is None:
            return local
        if self._noted is not None:  # one more element: how many workers have a signal to stop for
            total = self._sum(np.append(local, 1.0 if self._noted.received else 0.0))
            if total[-1] > 0:
                raise Interrupt(self._noted.received or signal.SIGTERM)  # another worker's: the launcher sends both
            return total[:-1]
        return self._sum(local)

    def _sum(self, local: np.ndarray) -> np.ndarray:
        from implementations.mxnet_compat import mx

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

    def record(self) -> Optional[dict[str, object]]:
        """What the environment panel and JSON say about data parallelism (None: one device, one process)."""
        if self.store is None and len(self.contexts) == 1:
            return None
        return {"kvstore": self.kvstore, "workers": self.workers, "contexts_per_worker": len(self.contexts)}

    def describe(self) -> str:
        """'2 context(s) x 2 workers', for table titles."""
        return f"{len(self.contexts)} context(s)" + (f" x {self.workers} workers" if self.workers > 1 else "")
