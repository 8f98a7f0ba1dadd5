"""The rule's state where it parts from the reference's, read from the recorded steps: after the first step as
terms of that step's gradient (or one state aliased to, or swapped with, another), and from the step before to the
step it parts at as a recurrence (s = a * s + b * g ...), the implementation's against the reference's."""
import numpy as np

from compare.checking.evidence import Evidence
from compare.checking.relations import Numbers
from compare.checking.state_powers import gradient_power_relation
from compare.checking.state_terms import aliased_relation, recurrence_relation, state_terms_relation, swapped_relation


def state_terms(name: str, evidence: Evidence, numbers: Numbers) -> str:
    """The rule's state after the first step as terms of the step's gradient, the implementation's against the
    reference's (where the steps were recorded)."""

    if evidence.steps is None:
        return ""
    reported, reference = at_step(evidence.values, 0), at_step(evidence.reference, 0)
    aliased = aliased_relation(name, reported, reference)
    second = (at_step(evidence.values, 1), at_step(evidence.reference, 1))
    if aliased and (not second[0] or aliased_relation(name, *second)):  # equal once may be the first step's chance
        return aliased
    swapped = swapped_relation(name, reported, reference)
    if swapped:
        return swapped
    first = state_terms_relation(name, evidence.steps, reported, reference, numbers) or \
        gradient_power_relation(name, evidence.steps, reported, reference)
    recurrence = _recurrence_at(name, 1, evidence, _corrections(evidence, 2))
    if recurrence:
        return f"{first}; {recurrence}" if first else f"{name} {recurrence}"
    return first


def _corrections(evidence: Evidence, step: int) -> Numbers:
    """The rule's bias corrections at `step` (1-based), 1 / (1 - beta^t) for each of its hyperparameters in (0, 1),
    as numbers a recurrence's factor may equal."""
    optimizer = evidence.optimizer
    values = optimizer.values if optimizer is not None and optimizer.name == "adam" else {}  # the one rule that
    return Numbers(tuple((f"1 / (1 - {key}^{step}), {key}'s bias correction at t = {step}", 1 / (1 - value**step))
                         for key, value in values.items() if key.startswith("beta") and 0 < value < 1))  # corrects


def at_step(values: dict[str, np.ndarray], index: int) -> dict[str, np.ndarray]:
    """The weights and rule state recorded after step `index` (0-based), by their own names."""
    from compare.checking.probe import after_step

    prefix = f"{after_step(index)} "
    return {key.removeprefix(prefix): value for key, value in values.items() if key.startswith(prefix)}


def rule_states(evidence: Evidence, index: int) -> dict[str, np.ndarray]:
    """The reference's rule state after step `index` (0-based; 'param:state' keys), float64."""
    return {key: value.astype(np.float64) for key, value in at_step(evidence.reference, index).items() if ":" in key}


def _gradients_at(evidence: Evidence, index: int, reported: dict, reference: dict) -> tuple[dict, dict]:
    """Each side's gradient at step `index` (0-based, from 1) as the rule takes it (the summed gradient over the
    batch, plus lambda * w on the weights after the step before, `reported` and `reference`): the implementation's
    and the reference's."""
    from compare.checking.probe import gradient_at_step

    optimizer, steps = evidence.optimizer, evidence.steps
    if optimizer is None or steps is None or len(steps.batch_sizes) <= index:
        return {}, {}
    batch, key = steps.batch_sizes[index], f"{gradient_at_step(index)} "

    def of(values: dict, weights: dict) -> dict:
        return {name.removeprefix(key): value.astype(np.float64) / batch + (
            optimizer.weight_decay * weights[name.removeprefix(key)].astype(np.float64)
            if optimizer.decays(name.removeprefix(key)) and name.removeprefix(key) in weights else 0.0)
            for name, value in values.items() if name.startswith(key)}

    return of(evidence.values, reported), of(evidence.reference, reference)


def _decayed(evidence: Evidence) -> frozenset:
    optimizer = evidence.optimizer
    return frozenset(n for n in evidence.spec.initial_parameters(evidence.seed)
                     if optimizer is not None and optimizer.weight_decay and optimizer.decays(n))


def later_recurrence(name: str, index: int, evidence: Evidence) -> str:
    """A state that agrees until step `index` (0-based, >= 1) and parts there: its recurrence from the step before
    to that step, the implementation's against the reference's (the heavy ball's carried move with its sign
    reversed: s = -0.9 * s + ...)."""
    if evidence.steps is None:
        return ""
    sizes = evidence.steps.batch_sizes
    batch = sizes[index] if index < len(sizes) else 0
    scalars = [(f"1 / the batch size at that step ({batch})", 1 / batch)] if batch else []
    if batch and sizes[index - 1] != batch:  # a state kept in summed gradients, rescaled by each step's batch
        ratio, kept = sizes[index - 1] / batch, f"{sizes[index - 1]} / {batch}"
        scalars += [(f"the batch size of the step before over this step's ({kept}): the state is kept in summed "
                     "gradients and rescaled by each step's batch, equal to the rule's only while every batch has one "
                     "size", ratio),
                    (f"the square of the batch size of the step before over this step's (({kept})^2): the state is "
                     "kept in summed squared gradients and rescaled by each step's batch squared, equal to the "
                     "rule's only while every batch has one size", ratio * ratio)]
    numbers = Numbers(tuple(scalars))
    found = _recurrence_at(name, index, evidence, numbers)
    return f"{name} at step {index + 1} (the steps before it agree) {found}" if found else ""


def _recurrence_at(name: str, index: int, evidence: Evidence, numbers: Numbers) -> str:
    """The state's recurrence from step `index - 1` to step `index` (0-based), each side's against its own
    gradient at that step: one reading for the second step (after the first step's terms) and any later one."""
    before = (at_step(evidence.values, index - 1), at_step(evidence.reference, index - 1))
    now = (at_step(evidence.values, index), at_step(evidence.reference, index))
    return recurrence_relation(name, _gradients_at(evidence, index, *before), (before[0], now[0]), (before[1], now[1]),
                               _decayed(evidence), numbers)
