"""A layer's mistake read from its numbers, not from a list: batch norm (training mode) and a dense layer written
as small programs (`rule_programs`' expressions, with reductions), every program one change away from the chapter's
(`program_mutations`: another statistic, other axes, a term left out, another operator, a function applied, a line
run twice) computed on the layer's own input, and the one that gives the learner's output is what it computes. Where
none or too many do, it says nothing. Float64; no mxnet."""
from typing import Optional

import numpy as np

from compare.checking.batch_norm_relations import normalization_of
from compare.checking.evidence import Evidence
from compare.checking.fits import explains
from compare.checking.formula_words import said_all
from compare.checking.program_fits import Fit, add_distinct, in_said_order, single_out
from compare.checking.program_mutations import Mutant, mutants
from compare.checking.rule_programs import Expression, Line, evaluate, fn, op, red, var


def batch_norm_program(ndim: int) -> list[Line]:
    """The batch-norm chapter's training-mode forward: the batch's mean and (biased) variance per channel, over
    (N, H, W) for a convolution's output (N, C, H, W), over N for a dense layer's (N, C)."""
    axes = (0, 2, 3) if ndim == 4 else (0,)
    centred = op("-", var("x"), var("mean"))
    return [("mean", red("mean", var("x"), axes, ndim)),
            ("var", red("mean", fn("square", centred), axes, ndim)),
            ("y", op("+", op("*", var("gamma"), op("/", centred, fn("sqrt", op("+", var("var"), var("eps"))))),
                     var("beta")))]


def dense_program() -> list[Line]:
    """A dense layer: xw = x . W^T (the product, measured as it is), plus the bias."""
    return [("y", op("+", var("xw"), var("b")))]


def _output(lines: tuple[Line, ...], env: dict) -> Optional[np.ndarray]:
    env = dict(env)
    with np.errstate(all="ignore"):
        try:
            for target, expression in lines:
                env[target] = evaluate(expression, env)
        except (KeyError, ValueError, IndexError):  # a line left out that a later line reads; shapes that do not
            return None  # broadcast
    return np.asarray(env["y"], dtype=np.float64)


def program_relation(name: str, lines: list[Line], env: dict, outputs: tuple[np.ndarray, np.ndarray]) -> str:
    """The single change of `lines` (the chapter's `name`) that reproduces the learner's output from the layer's
    input, said against the chapter's line; '' where the chapter's own program does not reproduce the reference's
    output or does reproduce the learner's, or the numbers do not single out one change."""
    actual, reference = outputs
    difference = float(np.abs(actual - reference).max(initial=0.0))
    original = tuple(lines)
    own = _output(original, env)
    if own is None or own.shape != reference.shape or not explains(reference, own, difference) or \
            explains(actual, own, difference):
        return ""  # not the reference's layer here, or the learner's is it within rounding: nothing to say
    inputs = tuple(key for key, value in env.items() if isinstance(value, np.ndarray))
    distinct: list[Fit] = []
    for mutant in in_said_order(mutants(lines, name, ["eps"], inputs)):
        output = _output(mutant.lines, env)
        if output is not None and output.shape == actual.shape and explains(actual, output, difference) and \
                not _reads_a_constant(mutant, env):
            add_distinct(distinct, output, mutant)
    chosen = single_out(distinct)
    if not chosen:
        return ""
    said = [said_all([mutant], original, name) for mutant in chosen]
    return f"its output is computed from its own input as {name} with one change: {said[0]}" + \
        "".join(f"; or, the same on these numbers, {other}" for other in said[1:])


def _reads_a_constant(mutant: Mutant, env: dict) -> bool:
    """Whether the change is made at a term that is 0 or 1 everywhere here (a bias or beta at its initial 0, gamma
    at 1): max(xw, b) is relu(xw) then, and saying it as a max of two terms would mislead."""
    def names(expression: Expression) -> set:
        if expression[0] == "var":
            return {expression[1]}
        return set().union(*(names(part) for part in expression[2:] if isinstance(part, tuple) and part
                             and isinstance(part[0], str)))

    read = names(mutant.node[0]) if mutant.node else set()
    for name in read:
        value = env.get(name)
        if isinstance(value, np.ndarray) and value.size and np.ptp(value) == 0 and float(value.flat[0]) in (0., 1.):
            return True
    return False


def layer_program_relation(layer: str, evidence: Evidence, outputs: tuple[np.ndarray, np.ndarray],
                           given: np.ndarray, initial: dict[str, np.ndarray]) -> str:
    """A batch norm's (in training mode) or a dense layer's one change, on the layer's own input `given` (the
    reference's output of the layer before it), with its `initial` parameters; '' for other layers."""
    if layer.startswith("bn") and given.ndim in (2, 4):
        norm = normalization_of(evidence.spec, evidence.seed, layer)
        shape = (1, -1) + (1,) * (given.ndim - 2)
        env = {"x": given, "gamma": np.asarray(norm.gamma, np.float64).reshape(shape),
               "beta": np.asarray(norm.beta, np.float64).reshape(shape), "eps": float(norm.epsilon)}
        found = program_relation("batch norm", batch_norm_program(given.ndim), env, outputs)
    elif layer.startswith("fc") and f"{layer}.weight" in initial and f"{layer}.bias" in initial:
        weight, bias = initial[f"{layer}.weight"].astype(np.float64), initial[f"{layer}.bias"].astype(np.float64)
        env = {"xw": given.reshape(len(given), -1) @ weight.T, "b": bias.reshape(1, -1)}
        found = program_relation("a dense layer", dense_program(), env, outputs)
    else:
        return ""
    return f"{layer}: {found}" if found else ""
