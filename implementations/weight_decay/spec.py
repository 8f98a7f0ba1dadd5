"""`WeightDecaySpec`: the weight-decay chapters' overfitting set-up — linear regression with 200 features, 20
training and 100 test examples, true w = 0.01 each, b = 0.05, noise N(0, 0.01), weights from N(0, 1). The L2
penalty itself is the optimizer's `--weight-decay`. Imports no mxnet.
"""
from __future__ import annotations

from dataclasses import dataclass

from implementations.linear_regression.spec import LinearRegressionSpec


@dataclass(frozen=True)
class WeightDecaySpec(LinearRegressionSpec):
    """dense 200 -> 1 on 20 training examples: enough parameters to fit them exactly, and overfit."""

    features: int = 200
    train_examples: int = 20
    test_examples: int = 100
    true_weight: tuple[float, ...] = (0.01,)  # every one of the 200
    true_bias: float = 0.05
    weight_scale: float = 1.0  # the chapter draws w from N(0, 1)
    data_name: str = "the weight-decay chapter's synthetic data"
