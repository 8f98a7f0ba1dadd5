"""Whether an update's scale is a gradient clipping: every parameter's first move a common factor f of the
reference's where f times the gradients' global norm is a round threshold θ (clipping by the global norm, the RNN
chapter's `grad_clipping`), or each parameter's own factor times its own gradient's norm the same θ (clipping per
parameter). Measured from the factors and the reference's gradients; numpy only."""
import math

import numpy as np

ROUND_MANTISSAS = (1.0, 2.0, 2.5, 5.0)  # a threshold a person writes: 1e-2, 0.5, 5, 2.5e-1
AGREE = 1e-3


def round_threshold(value: float) -> bool:
    """1e-2, 5, 0.25: a number a person would write as a threshold (within AGREE)."""
    if not (value > 0 and math.isfinite(value)):
        return False
    mantissa = value / 10 ** math.floor(math.log10(value))
    return any(abs(mantissa - candidate) <= AGREE * candidate or abs(mantissa - 10 * candidate) <= AGREE * candidate
               for candidate in ROUND_MANTISSAS)


def clipping_relation(factors: dict[str, float], gradients: dict[str, np.ndarray],
                      reference_clips: bool = False) -> str:
    """`factors`: each parameter's first move over the reference's; `gradients`: the step's gradient per parameter
    (divided by the batch). Words for a clipping these factors are, or ''. `reference_clips`: the reference clips
    by the global norm (a language model's), so the words do not say it does not."""
    norms = {name: float(np.linalg.norm(gradients[name].astype(np.float64))) for name in factors if name in gradients}
    if len(norms) != len(factors) or not norms:
        return ""
    values = list(factors.values())
    if np.allclose(values, values[0], rtol=AGREE) and 0 < values[0] < 1:
        total = math.sqrt(sum(norm * norm for norm in norms.values()))
        theta = values[0] * total
        if round_threshold(theta):
            return (f"the factor is {theta:g} / the gradients' global norm ({total:.4g}): every gradient is rescaled "
                    f"so that their norm over all parameters is {theta:g} — gradient clipping by the global norm with "
                    f"theta = {theta:g} (the RNN chapter's grad_clipping), which the reference does not do")
        return ""
    clipped = {name: factor * norms[name] for name, factor in factors.items() if 0 < factor < 1 - AGREE}
    untouched = [name for name, factor in factors.items() if abs(factor - 1) <= AGREE]
    if not clipped or len(clipped) + len(untouched) != len(factors):
        return ""
    thetas = list(clipped.values())
    theta = thetas[0]
    if not (np.allclose(thetas, theta, rtol=AGREE) and round_threshold(theta)
            and all(norms[name] <= theta * (1 + AGREE) for name in untouched)):
        return ""
    return (f"each parameter's gradient is rescaled to norm {theta:g} on its own ({', '.join(clipped)}; the others' "
            f"norms are below it): gradient clipping per parameter with theta = {theta:g}, where clipping by the "
            "global norm rescales all of them by one factor" + ("" if reference_clips else
                                                                 " — and the reference does not clip"))
