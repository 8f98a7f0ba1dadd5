"""Where a model's data comes from: Fashion-MNIST for the classification models, or the data the model's spec
draws itself from the seed (the regression chapters' synthetic sets). One function per use, so run and check
never ask which."""
from pathlib import Path
from typing import Optional

from compare.data.dataset import ArraySplit, FashionMNIST, load_fashion_mnist, load_split
from compare.errors import UsageError
from implementations.spec_base import NetworkSpec


def _named(spec: NetworkSpec) -> str:
    return str(getattr(spec, "data_name", "the model's synthetic data"))


def _drawn(spec: NetworkSpec, seed: int) -> Optional[FashionMNIST]:
    drawn = spec.synthetic_data(seed)
    if drawn is None:
        return None
    (train_x, train_y), (test_x, test_y) = drawn
    return FashionMNIST(ArraySplit(train_x, train_y), ArraySplit(test_x, test_y),
                        Path(f"{_named(spec)}, drawn from seed {seed}"))


def load_model_data(spec: NetworkSpec, data_dir: Optional[Path], limit: Optional[int], seed: int) -> FashionMNIST:
    """Both splits `spec` trains and is evaluated on (the training split cut to its first `limit`)."""
    drawn = _drawn(spec, seed)
    if drawn is None:
        data = load_fashion_mnist(data_dir, train_limit=limit)
        if limit is not None and len(data.train) < limit:  # cut to fewer than asked: said, not done silently
            raise UsageError(f"--limit {limit:,}: the training split has {len(data.train):,} examples "
                             f"({data.source}); give at most {len(data.train):,}, or leave --limit out for all of them")
        return data
    if data_dir is not None:
        raise UsageError(f"--data-dir: {_named(spec)} is drawn from the seed, not read from files")
    train = drawn.train if limit is None else ArraySplit(drawn.train.images[:limit], drawn.train.labels[:limit])
    return FashionMNIST(train, drawn.test, drawn.source)


def load_training_examples(spec: NetworkSpec, data_dir: Optional[Path], count: int, seed: int) -> ArraySplit:
    """The first `count` training examples (fewer where the split has fewer): what `check` measures on."""
    drawn = _drawn(spec, seed)
    if drawn is None:
        return load_split("train", data_dir, limit=count)
    if data_dir is not None:
        raise UsageError(f"--data-dir: {_named(spec)} is drawn from the seed, not read from files")
    return ArraySplit(drawn.train.images[:count], drawn.train.labels[:count])
