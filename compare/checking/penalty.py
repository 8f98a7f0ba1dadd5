"""Weight decay written into the loss, recognised in `check`: at each step scratch computes the gradient of the
unpenalised loss at the implementation's own weights; what the implementation's gradient has beyond it, parameter
by parameter, is its penalty's gradient — batch * lambda * w on the weights alone (the reg-scratch chapter's way,
correct), or on the biases too (a mistake)."""
import functools
from typing import Optional

import numpy as np

from compare.checking.probe import CheckJob, after_step, gradient_at_step
from compare.devices.topology import Topology
from compare.training.steps import forward_backward

ON_WEIGHTS, ON_BIASES_TOO = "weights", "biases too"


def _carries_penalty(extra: np.ndarray, expected: np.ndarray, gradient: np.ndarray) -> Optional[bool]:
    """True when `extra` is the penalty's gradient, False when it is zero, None when it is neither (or the
    parameter is zero, so its penalty is too)."""
    if not np.any(expected):
        return None
    floor = 1e-4 * max(float(np.abs(gradient).max(initial=0.0)), float(np.abs(expected).max()))
    if np.allclose(extra, expected, rtol=1e-2, atol=floor):
        return True
    if np.allclose(extra, 0.0, atol=floor):
        return False
    return None


def penalty_in_loss(values: dict[str, np.ndarray], job: CheckJob, alone: Topology) -> Optional[str]:
    """ON_WEIGHTS or ON_BIASES_TOO where the implementation's gradients carry an L2 penalty of the optimizer's
    lambda (None where they carry none, or something else)."""
    optimizer, spec, probe = job.probe.optimizer, job.spec, job.probe
    if not optimizer.weight_decay or job.reference is None:
        return None
    weights = spec.initial_parameters(job.seed)
    seen: dict[str, bool] = {}
    for index, batch in enumerate(probe.step_batches()):
        mine = {name: values.get(f"{gradient_at_step(index)} {name}") for name in weights}
        if any(value is None for value in mine.values()):
            return None
        reference = functools.partial(job.reference.factory)(spec, alone.devices())
        reference.load_parameters(weights)
        forward_backward(reference, [batch], probe.loss)
        for name, gradient in reference.gradients().items():
            carries = _carries_penalty(mine[name] - gradient.asnumpy(), batch.size * optimizer.weight_decay *
                                       weights[name], gradient.asnumpy())
            if carries is not None:
                seen[name] = seen.get(name, carries) and carries
        weights = {name: values[f"{after_step(index)} {name}"] for name in weights}
    on_weights = [seen[name] for name in seen if optimizer.decays(name)]
    if not on_weights or not all(on_weights):
        return None
    on_biases = [carries for name, carries in seen.items() if not optimizer.decays(name)]
    return ON_BIASES_TOO if any(on_biases) else ON_WEIGHTS
