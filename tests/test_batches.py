"""Batches: one order per (seed, epoch) for every consumer, true-size last batch, no global RNG."""
import numpy as np

from compare.data.batches import DeviceSplit, epoch_permutation
from compare.data.dataset import ArraySplit
from implementations.mxnet_compat import mx


def _split(num: int) -> DeviceSplit:
    images = np.arange(num, dtype=np.float32).reshape(num, 1, 1, 1) * np.ones((1, 1, 28, 28), np.float32)
    return DeviceSplit.from_arrays(ArraySplit(images, np.arange(num, dtype=np.int32) % 10), mx.cpu())


def _batch_ids(split: DeviceSplit, batch_size: int, order) -> list[list[int]]:
    return [batch.images[:, 0, 0, 0].asnumpy().astype(int).tolist() for batch in split.batches(batch_size, order)]


def test_two_consumers_with_one_seed_see_the_same_batches():
    split = _split(70)
    first = _batch_ids(split, 32, epoch_permutation(seed=7, epoch=1, num_examples=70))
    np.random.seed(123)  # the global RNG must not matter
    second = _batch_ids(split, 32, epoch_permutation(seed=7, epoch=1, num_examples=70))
    assert first == second


def test_another_seed_or_epoch_gives_another_order():
    base = epoch_permutation(7, 1, 70)
    assert not np.array_equal(base, epoch_permutation(8, 1, 70))
    assert not np.array_equal(base, epoch_permutation(7, 2, 70))
    assert sorted(base.tolist()) == list(range(70))


def test_every_example_once_per_epoch_and_last_batch_at_true_size():
    split = _split(70)
    batches = list(split.batches(32, epoch_permutation(0, 1, 70)))
    assert [batch.size for batch in batches] == [32, 32, 6]
    assert split.num_batches(32) == 3
    seen = sorted(i for ids in _batch_ids(split, 32, epoch_permutation(0, 1, 70)) for i in ids)
    assert seen == list(range(70))


def test_labels_travel_with_their_images():
    split = _split(70)
    for batch in split.batches(16, epoch_permutation(3, 1, 70)):
        np.testing.assert_array_equal(batch.images[:, 0, 0, 0].asnumpy() % 10, batch.labels.asnumpy())


def test_no_order_means_stored_order():
    assert _batch_ids(_split(5), 2, None) == [[0, 1], [2, 3], [4]]
