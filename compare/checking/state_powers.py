"""An update rule's state after its first step as the reference's times a power of that step's gradient, element
by element: mine = c * theirs * |g|^k. Where the learner's state is no sparse sum of the gradient's terms (a
ratio, a root, a term of another state), this still says which factor of g its accumulated term lacks or has too
many (k = -2: a g^2 left out of what it squares). Measured by a least-squares fit of log|mine / theirs| on log|g|
over every parameter's state of that kind; said only where the fit is exact to float32's rounding and k is a
whole number. Float64; numpy only."""
from types import MappingProxyType

import numpy as np

from compare.checking.update_fitting import rule_gradients
from compare.checking.update_replay import Steps

FLOOR = 1e-30  # values below it carry no ratio
EXACT = 1e-4  # the largest residual of log|ratio| a fit may leave: float32's rounding is ~1e-7 per value
SPREAD = 0.5  # log|g| must spread this much (a factor ~1.6) for the power to be measured, not assumed
POWERS = MappingProxyType({
    -2: "lacks a factor g^2: the term it accumulates is the rule's divided by the gradient squared (a g left out of "
        "what it squares)",
    -1: "lacks a factor g: the term it accumulates is the rule's divided by the gradient (a g left out)",
    1: "has a factor g too many: the term it accumulates is the rule's times the gradient",
    2: "has a factor g^2 too many: the term it accumulates is the rule's times the gradient squared"})


def gradient_power_relation(state: str, steps: Steps, reported: dict[str, np.ndarray],
                            reference: dict[str, np.ndarray]) -> str:
    """`state` ('fc1.weight:delta_average') after the first step as c * the reference's * |g|^k, with g that
    step's gradient as the rule takes it; `reported`/`reference` hold every parameter's state of that kind after
    the step. '' where no whole power fits exactly, or the gradient's sizes are too alike to tell."""
    kind = state.split(":", 1)[1]
    gradients = rule_gradients(steps, 0)
    names = [name for name in gradients if f"{name}:{kind}" in reported and f"{name}:{kind}" in reference
             and np.shape(reported[f"{name}:{kind}"]) == np.shape(reference[f"{name}:{kind}"]) == gradients[name].shape]
    if state.split(":", 1)[0] not in names:
        return ""
    mine, theirs, g = (np.concatenate([np.asarray(source[name], dtype=np.float64).ravel() for name in names])
                       for source in ({n: reported[f"{n}:{kind}"] for n in names},
                                      {n: reference[f"{n}:{kind}"] for n in names}, gradients))
    used = (np.abs(mine) > FLOOR) & (np.abs(theirs) > FLOOR) & (np.abs(g) > FLOOR) & np.isfinite(mine) & \
        np.isfinite(theirs) & np.isfinite(g)
    if np.count_nonzero(used) < 8:
        return ""
    ratio, size = mine[used] / theirs[used], np.log(np.abs(g[used]))
    if not (np.all(ratio > 0) or np.all(ratio < 0)) or float(size.std()) < SPREAD:
        return ""  # a ratio that changes sign is no power of |g|
    design = np.stack([np.ones_like(size), size], axis=1)
    (_, power), *_ = np.linalg.lstsq(design, np.log(np.abs(ratio)), rcond=None)
    whole = int(round(float(power)))
    if whole not in POWERS or abs(power - whole) > 1e-3:
        return ""
    rest = np.log(np.abs(ratio)) - whole * size  # log |c| in every element, where the power fits
    if float(np.abs(rest - rest.mean()).max()) > EXACT:
        return ""
    constant = float(np.sign(ratio[0]) * np.exp(rest.mean()))
    scale = "" if abs(constant - 1) <= 1e-3 else f"{constant:.4g} * "
    return (f"{state} after the first step is {scale}the rule's * g^{whole} element by element (g: that step's "
            f"gradient; fitted over every parameter's {kind}, exact to rounding): it {POWERS[whole]}")
