"""Dropout's statistics in `check`: masks are random, so an implementation's own mask is proven by its keep
rate (a 99.9 % binomial interval) and its 1/keep scaling over many training-mode passes."""
import math

import numpy as np

from compare.checking.probe import MASK_SEED, Probe
from compare.results.measures import QuantityComparison, Tolerance
from implementations.mxnet_compat import mx
from implementations.protocol import Model

DROPOUT_DRAWS = 20  # training-mode passes over the probe batch for each dropout layer's statistics
Z_999 = 3.29  # two-sided 99.9 %: a right keep rate falls outside this binomial interval once in a thousand checks


def dropout_statistics(implementation: str, model: Model, probe: Probe, drop_rates: dict[str, float]
                       ) -> list[QuantityComparison]:
    """Per dropout layer, over DROPOUT_DRAWS training-mode passes: the fraction of its nonzero inputs it kept,
    against 1 - drop within a 99.9 % binomial interval, and the factor it scaled kept ones by, against
    1 / (1 - drop). Masks are random: this is as far as an implementation's own mask can be proven."""
    outputs: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {name: [] for name in drop_rates}
    with mx.autograd.train_mode():
        for draw in range(DROPOUT_DRAWS):
            mx.random.seed(MASK_SEED + 1000 + draw)
            layers = model.layer_outputs(probe.images)
            for (_, before), (name, after) in zip(layers, layers[1:]):
                if name in outputs:
                    outputs[name].append((before.asnumpy(), after.asnumpy()))
    rows = []
    for name, drop in drop_rates.items():
        keep = 1.0 - drop
        pairs = outputs[name]
        inputs = np.concatenate([before.ravel() for before, _ in pairs]) if pairs else np.zeros(0)
        kept = np.concatenate([after.ravel() for _, after in pairs]) if pairs else np.zeros(0)
        live = inputs != 0
        if not live.any():
            rows.append(QuantityComparison(implementation, f"dropout {name} kept", math.inf, math.inf,
                                           Tolerance(0.0, 0.0), False, "missing"))
            continue
        rate = float(np.count_nonzero(kept[live]) / np.count_nonzero(live))
        half = Z_999 * math.sqrt(keep * drop / np.count_nonzero(live))
        rows.append(QuantityComparison(implementation, f"dropout {name} kept", abs(rate - keep),
                                       abs(rate - keep) / keep, Tolerance(0.0, half), abs(rate - keep) <= half))
        ratios = kept[live & (kept != 0)] / inputs[live & (kept != 0)]
        scale = float(ratios.mean()) if ratios.size else 0.0
        error = abs(scale - 1.0 / keep)
        rows.append(QuantityComparison(implementation, f"dropout {name} scale", error, error * keep,
                                       Tolerance(1e-5, 0.0), error <= 1e-5 / keep))
    return rows
