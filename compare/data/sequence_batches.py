"""The chapters' two ways of cutting a text's indices into batches for a language model: random sampling and
consecutive sampling, each yielding (X, Y) numpy index arrays (batch_size, num_steps), Y being X one character on,
so the runner can feed any framework. A text too short for one batch is a `DatasetError` in one line. No mxnet.
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional, Sequence, Union

import numpy as np

from compare.errors import DatasetError, UsageError

Seed = Union[None, int, Sequence[int], np.random.Generator]  # what np.random.default_rng takes
Batches = Iterator[tuple[np.ndarray, np.ndarray]]


def _checked(corpus: Union[Sequence[int], np.ndarray], batch_size: int, num_steps: int) -> np.ndarray:
    for name, value in (("batch_size", batch_size), ("num_steps", num_steps)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise UsageError(f"{name} must be a positive integer, got {value!r}")
    indices = np.asarray(corpus)
    if indices.ndim != 1 or not (indices.size == 0 or np.issubdtype(indices.dtype, np.integer)):
        raise UsageError(f"the corpus must be a flat sequence of character indices, got shape {indices.shape} "
                         f"of {indices.dtype}")
    return indices


def batches_per_epoch(length: int, batch_size: int, num_steps: int, sampling: str) -> int:
    """How many batches an epoch of `sampling` cuts from `length` characters (the chapters' epoch_size)."""
    if sampling == "random":
        return ((length - 1) // num_steps) // batch_size
    if sampling == "consecutive":
        return max(length // batch_size - 1, 0) // num_steps
    raise UsageError(f"unknown sampling {sampling!r}; valid: {', '.join(SAMPLERS)}")


def minimum_length(batch_size: int, num_steps: int, sampling: str) -> int:
    """The fewest characters that make one batch: batch_size * num_steps + 1 for random sampling (every sequence
    and the character after the last), batch_size * (num_steps + 1) for consecutive (every row and its next)."""
    return batch_size * num_steps + 1 if sampling == "random" else batch_size * (num_steps + 1)


def check_long_enough(length: int, batch_size: int, num_steps: int, sampling: str, source: str = "the text") -> None:
    """A DatasetError unless `length` characters make at least one batch of `sampling`."""
    if batches_per_epoch(length, batch_size, num_steps, sampling) < 1:
        raise DatasetError(f"{source}: {length:,} characters, too few for one batch of {batch_size} x {num_steps} "
                           f"by {sampling} sampling, which needs {minimum_length(batch_size, num_steps, sampling):,}")


def random_batches(corpus: Union[Sequence[int], np.ndarray], batch_size: int, num_steps: int,
                   rng: Seed = None) -> Batches:
    """The chapters' random sampling (`data_iter_random`): the text cut into (length - 1) // num_steps sequences
    of num_steps characters starting at multiples of num_steps, taken in a random order, batch_size to a batch
    (the rest dropped); Y is each sequence one character on. Neighbouring batches are not neighbours in the text,
    so the state starts afresh every batch.

    Where ours differs: the order is `rng`'s permutation (a numpy Generator, or a seed for one: the same seed, the
    same batches) where the chapter shuffles with Python's global, unseeded `random`."""
    indices = _checked(corpus, batch_size, num_steps)
    check_long_enough(len(indices), batch_size, num_steps, "random")
    count = (len(indices) - 1) // num_steps
    epoch_size = count // batch_size
    order = np.random.default_rng(rng).permutation(count)  # drawn now: the generator moves as the call is made
    starts = order[:epoch_size * batch_size].reshape(epoch_size, batch_size) * num_steps
    offsets = np.arange(num_steps)

    def batches() -> Batches:
        for batch_starts in starts:
            positions = batch_starts[:, None] + offsets  # (batch_size, num_steps)
            yield indices[positions], indices[positions + 1]

    return batches()


def consecutive_batches(corpus: Union[Sequence[int], np.ndarray], batch_size: int, num_steps: int,
                        rng: Seed = None) -> Batches:
    """The chapters' consecutive sampling (`data_iter_consecutive`): the text's first batch_size * (length //
    batch_size) characters laid out as batch_size rows, each read left to right num_steps characters at a time, so
    row b of a batch continues row b of the batch before: the state carries over (detached) from batch to batch.

    Deterministic, as the chapter's (every epoch the same batches): `rng` is taken only so that both samplers are
    called alike, and is not used."""
    indices = _checked(corpus, batch_size, num_steps)
    check_long_enough(len(indices), batch_size, num_steps, "consecutive")
    row_length = len(indices) // batch_size
    rows = indices[:batch_size * row_length].reshape(batch_size, row_length)
    epoch_size = (row_length - 1) // num_steps

    def batches() -> Batches:
        for start in range(0, epoch_size * num_steps, num_steps):
            yield rows[:, start:start + num_steps].copy(), rows[:, start + 1:start + num_steps + 1].copy()

    return batches()


Sampler = Callable[[Union[Sequence[int], np.ndarray], int, int, Seed], Batches]
SAMPLERS: dict[str, Sampler] = {"random": random_batches, "consecutive": consecutive_batches}


def sampler(name: str) -> Sampler:
    """The sampler called `name` ("random" or "consecutive"); another name is a UsageError listing them."""
    found: Optional[Sampler] = SAMPLERS.get(name)
    if found is None:
        raise UsageError(f"unknown sampling {name!r}; valid: {', '.join(SAMPLERS)}")
    return found
