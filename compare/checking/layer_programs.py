"""A layer's mistake read from its numbers, not from a list: batch norm (training mode) and a dense layer written
as small programs (`rule_programs`' expressions, with reductions), every program one change away from the chapter's
(`program_mutations`: another statistic, other axes, a term left out, another operator, a function applied, a line
run twice) computed on the layer's own input, and the one that gives the learner's output is what it computes. Where
none or too many do, it says nothing. Float64; no mxnet."""
from typing import Optional

import numpy as np

from compare.checking.batch_norm_relations import Normalization
from compare.checking.fits import explains
from compare.checking.formula_words import KINDS, said_all
from compare.checking.program_mutations import Fit, add_distinct, mutants
from compare.checking.rule_programs import Line, evaluate, fn, op, red, var

MOST_FITS = 3  # more single changes than this reproducing the output: the numbers cannot tell them apart
LAYER_INPUTS = ("x", "gamma", "beta", "xw", "b")


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
        except (KeyError, ValueError):  # a line left out that a later line reads; shapes that do not broadcast
            return None
    return np.asarray(env["y"], dtype=np.float64)


def program_relation(name: str, lines: list[Line], env: dict, outputs: tuple[np.ndarray, np.ndarray]) -> str:
    """The single change of `lines` (the chapter's `name`) that reproduces the learner's output from the layer's
    input, said against the chapter's line; '' where the chapter's own program does not reproduce the reference's
    output, or none or too many changes reproduce the learner's."""
    actual, reference = outputs
    difference = float(np.abs(actual - reference).max(initial=0.0))
    original = tuple(lines)
    own = _output(original, env)
    if own is None or own.shape != reference.shape or not explains(reference, own, difference):
        return ""  # the program is not the reference's layer here: nothing it says would be true
    distinct: list[Fit] = []
    for mutant in sorted(mutants(lines, name, ["eps"], LAYER_INPUTS), key=lambda mutant: KINDS.index(mutant.kind)):
        output = _output(mutant.lines, env)
        if output is None or output.shape != actual.shape or not explains(actual, output, difference):
            continue
        add_distinct(distinct, output, mutant)
        if len(distinct) > MOST_FITS:
            return ""
    if not distinct or any(fit.alike > MOST_FITS for fit in distinct):
        return ""  # many writings give these numbers: none can be told
    said = [said_all([fit.mutant], original, name) for fit in distinct]
    return f"its output is computed from its own input as {name} with one change: {said[0]}" + \
        "".join(f"; or, the same on these numbers, {other}" for other in said[1:])


def batch_norm_program_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                                norm: Normalization) -> str:
    """Batch norm's one change, on the layer's input: gamma and beta and eps as the chapter's layer has them."""
    shape = (1, -1) + (1,) * (given.ndim - 2)
    env = {"x": given, "gamma": np.asarray(norm.gamma, np.float64).reshape(shape),
           "beta": np.asarray(norm.beta, np.float64).reshape(shape), "eps": float(norm.epsilon)}
    found = program_relation("batch norm", batch_norm_program(given.ndim), env, outputs)
    return f"{layer}: {found}" if found else ""


def dense_program_relation(layer: str, outputs: tuple[np.ndarray, np.ndarray], given: np.ndarray,
                           parameters: tuple[np.ndarray, np.ndarray]) -> str:
    """A dense layer's one change around its product (the bias multiplied, subtracted, left out, ...)."""
    weight, bias = parameters
    env = {"xw": given.reshape(len(given), -1) @ weight.T, "b": bias.reshape(1, -1)}
    found = program_relation("a dense layer", dense_program(), env, outputs)
    return f"{layer}: {found}" if found else ""
