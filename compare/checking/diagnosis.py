"""Why the first quantity that differs differs: the quantity is the earliest in the order the computation runs
(layers forward, logits, loss, gradients backwards, the update, then the state); its relation to the reference is
measured on the same input — a chapter's classic mistake where one reproduces it, else a relation (a factor, a
function, an offset, axes, a window, labels), else where the difference sits and how large it is. Never empty:
a wrong cause is worse than none, but a measured description is always true."""
import dataclasses
import re
from types import MappingProxyType
from typing import Optional

import numpy as np

from compare.checking.activation_relations import activation_relation
from compare.checking.batch_norm_lines import divisor_statistic_relation, reapplied_relation, variance_parts_relation
from compare.checking.batch_norm_parts import divisor_power_relation, split_batch_relation
from compare.checking.batch_norm_relations import batch_norm_relation, normalization_of
from compare.checking.batch_norm_terms import terms_relation
from compare.checking.determinism import random_loss_relation
from compare.checking.elementwise_pieces import pieces_relation, rounding_relation
from compare.checking.evidence import Evidence, forward_numbers, layer_input, layer_numbers, numbers_of
from compare.checking.example_relations import per_example_affine_relation
from compare.checking.fits import explains
from compare.checking.gradient_relations import loss_gradient_parts, upstream_gradient, upstream_relation
from compare.checking.input_relations import other_mask_relation, wrong_input_relation
from compare.checking.kernel_fit import dense_relation, elementwise_dense_relation, kernel_relation
from compare.checking.layer_programs import layer_program_relation
from compare.checking.layer_relations import (
    Window,
    convolved,
    dense_bias_relation,
    flatten_relation,
    input_transform_relation,
    kernel_part_relation,
    pooled,
    product_factor_relation,
    rounded_operands_relation,
    window_relation,
)
from compare.checking.loss_relations import loss_relation
from compare.checking.mistakes import diagnose
from compare.checking.placement import examples_relation
from compare.checking.pool_sources import (
    reshape_pool_relation,
    smooth_max_relation,
    source_relation,
    stray_sources_relation,
    window_positions_relation,
    window_statistic_relation,
)
from compare.checking.probe import after_step
from compare.checking.relations import ZERO, Numbers, relation, where_it_sits
from compare.checking.unused_parameters import unused_relation
from compare.checking.update_relations import UPDATE_KINDS, first_parting, parting_rows, update_relation
from compare.results.measures import QuantityComparison, in_computation_order, quantity_kind

NOTHING_FITS = "(not a constant factor, sign, offset, axes, shift or elementwise function of it)"  # what was tried


def _first_group(failed: list[QuantityComparison], evidence: Evidence) -> list[QuantityComparison]:
    """The failing rows of the first one's kind (the update's two kinds together: its state and its weights,
    the one that parts first step by step leading)."""
    kind = quantity_kind(failed[0].quantity)
    if kind not in UPDATE_KINDS:
        return [row for row in failed if quantity_kind(row.quantity) == kind]
    group = [row for row in failed if quantity_kind(row.quantity) in UPDATE_KINDS]
    first = first_parting(group, evidence)
    return sorted(group, key=lambda row: row is not first)


def layer_relation(layer: str, evidence: Evidence, numbers: Numbers) -> str:
    """A layer's output against its own input and against the reference's output: a function, a window, an axis
    order, a relation to the reference's output, or another layer's output."""
    actual, reference = evidence.values[f"layer {layer}"], evidence.reference[f"layer {layer}"]
    given = layer_input(evidence, layer).astype(np.float64)
    actual64, reference64 = actual.astype(np.float64), reference.astype(np.float64)
    found = ""
    initial = evidence.spec.initial_parameters(evidence.seed)  # drawn once: the weights every relation is set against
    if layer.startswith("relu"):
        found = activation_relation(layer, actual64, reference64, given)
    elif layer.startswith("pool") and given.ndim == 4:
        size = getattr(evidence.spec, "pool_size", 2)
        found = window_relation(layer, actual64, reference64, lambda window: pooled(given, window), "pool") or \
            reshape_pool_relation(layer, actual64, given, size) or \
            window_positions_relation(layer, actual64, given, size) or \
            stray_sources_relation(layer, actual64, given, size) or \
            smooth_max_relation(layer, actual64, given, size) or \
            window_statistic_relation(layer, actual64, given, size)
    elif layer.startswith("conv") and given.ndim == 4:
        weight, bias = initial[f"{layer}.weight"].astype(np.float64), initial[f"{layer}.bias"].astype(np.float64)
        found = rounded_operands_relation(layer, actual64, given, weight, lambda x, w: convolved(
            x, w, bias, Window("conv", w.shape[2], 1, 0))) or \
            window_relation(layer, actual64, reference64, lambda window: convolved(given, weight, bias, window),
                            "conv", weight.shape[2]) or \
            input_transform_relation(layer, (actual64, reference64), given,
                                     lambda window, x: convolved(x, weight, bias, window), "conv", weight.shape[2]) \
            or kernel_part_relation(layer, actual64, reference64, given, (weight, bias)) \
            or kernel_relation(layer, (actual64, reference64), given, (weight, bias), numbers)
    elif layer.startswith("fc") and f"{layer}.bias" in initial:
        weight, bias = initial[f"{layer}.weight"].astype(np.float64), initial[f"{layer}.bias"].astype(np.float64)
        found = rounded_operands_relation(layer, actual64, given, weight,
                                          lambda x, w: x.reshape(len(x), -1) @ w.T + bias) or \
            dense_bias_relation(layer, actual64, reference64, given, bias) or \
            product_factor_relation(layer, (actual64, reference64), bias, numbers) or \
            dense_relation(layer, (actual64, reference64), given, (weight, bias), numbers) or \
            elementwise_dense_relation(layer, (actual64, reference64), given, (weight, bias))
    elif layer == "flatten":
        found = flatten_relation(actual64, given)
    elif layer.startswith("bn") and given.ndim in (2, 4):
        norm = normalization_of(evidence.spec, evidence.seed, layer)
        found = batch_norm_relation(layer, actual64, reference64, given, norm) or \
            variance_parts_relation(layer, (actual64, reference64), given, norm) or \
            divisor_statistic_relation(layer, (actual64, reference64), given, norm) or \
            reapplied_relation(layer, (actual64, reference64), norm) or \
            terms_relation(layer, (actual64, reference64), given, norm, numbers) or \
            divisor_power_relation(layer, (actual64, reference64), given, norm) or \
            split_batch_relation(layer, (actual64, reference64), given, norm)
    found = found or wrong_input_relation(layer, evidence) or other_mask_relation(layer, evidence) or \
        rounding_relation(layer, (actual64, reference64), given)
    if found:
        return found
    found = relation(actual64, reference64, numbers)
    if found:
        return f"{layer}'s output {_axes_named(found, actual.ndim)}"
    found = examples_relation(actual64, reference64, float(np.abs(actual64 - reference64).max())) \
        if actual.shape == reference.shape else ""
    found = found or per_example_affine_relation(actual64, reference64)
    if found:
        return f"{layer}'s output {found}"
    found = pieces_relation(layer, (actual64, reference64), given)  # after the named functions: |x| is |x|
    if found:
        return found
    if layer.startswith("pool") and given.ndim == 4:  # after the array relations: a transpose is said as one
        found = source_relation(layer, actual64, reference64, given)
        if found:
            return found
    for other in evidence.spec.layer_order:
        theirs = evidence.reference.get(f"layer {other}")
        if other != layer and theirs is not None and theirs.shape == actual.shape and \
                explains(actual64, theirs.astype(np.float64), float(np.abs(actual64 - reference64).max())):
            return f"{layer}'s output equals the reference's {other} output: it computes on the wrong layer's values"
    return layer_program_relation(layer, evidence, (actual64, reference64), given, initial) or \
        unused_relation(layer, evidence)


LAYOUT = MappingProxyType({4: ("the examples", "the channels", "the rows", "the columns"),
                           2: ("the examples", "the features")})  # a layer output's axes, by its number of axes


def _axes_named(found: str, ndim: int) -> str:
    """A relation over a layer output's axes, each axis said by what it holds ((N, C, H, W) or (N, features))."""
    names = LAYOUT.get(ndim)
    if names is None:
        return found

    def named(match: re.Match) -> str:
        axes = [int(axis) for axis in match.groups()[1:] if axis is not None]
        if any(axis >= len(names) for axis in axes):
            return match.group(0)
        return f"over {match.group(1)} " + " and ".join(f"{axis} [{names[axis]}]" for axis in axes)

    return re.sub(r"over (axis|axes) (\d)(?: and (\d))?", named, found)


def unchanged_relation(layer: str, evidence: Evidence) -> str:
    """The layer's output is its very input, where the reference's layer changes it: its computation left out."""
    actual = evidence.values.get(f"layer {layer}")
    if actual is None or layer not in evidence.spec.layer_order or layer.startswith("relu"):
        return ""  # an activation that passes its input: the activation relation names it (no activation)
    given = layer_input(evidence, layer).astype(np.float64)
    if actual.shape != given.shape or float(np.ptp(given)) == 0 or np.allclose(
            evidence.reference[f"layer {layer}"], given, rtol=1e-6, atol=1e-7 * float(np.abs(given).max())):
        return ""
    if not np.allclose(actual.astype(np.float64), given, rtol=1e-6, atol=1e-7 * float(np.abs(given).max())):
        return ""
    return (f"{layer}'s output is its input, unchanged, where the reference's {layer} changes it: the layer's "
            "computation is left out (its result not used, or its input returned in its place)")


def _relation_of(row: QuantityComparison, evidence: Evidence, numbers: Numbers) -> str:
    kind, name = quantity_kind(row.quantity), row.quantity.split(" ", 1)[-1]
    if kind == "layer" and name in evidence.spec.layer_order:
        return layer_relation(name, evidence, layer_numbers(numbers, evidence, name))
    if kind not in UPDATE_KINDS and kind != "state":
        numbers = forward_numbers(numbers, evidence)
    if kind == "loss":
        return loss_relation(row, evidence, numbers) or random_loss_relation(evidence)
    if kind in UPDATE_KINDS or kind == "state":
        return update_relation(row, evidence, numbers)
    actual, reference = evidence.values.get(row.quantity), evidence.reference.get(row.quantity)
    if actual is None or reference is None:
        return ""
    found = relation(actual.astype(np.float64), reference.astype(np.float64), numbers)
    if kind == "gradient" and found.startswith(ZERO):
        found += (f": {name} takes no part in the loss that is differentiated (not used in forward, or used through "
                  "a detached copy or a value computed outside autograd.record())")
    if found:
        return f"{row.quantity} {found}"
    return _upstream_of(name, evidence, numbers) if kind == "gradient" else ""


def _upstream_of(parameter: str, evidence: Evidence, numbers: Numbers) -> str:
    """A dense layer's gradient that differs while its forward agrees: the gradient reaching its output, solved."""
    layer = parameter.rsplit(".", 1)[0]
    weight = f"gradient {layer}.weight"
    output = evidence.reference.get(f"layer {layer}")
    if layer not in evidence.spec.layer_order or output is None or output.ndim != 2 or \
            weight not in evidence.values or weight not in evidence.reference:
        return ""
    gradients = (evidence.values[weight].astype(np.float64), evidence.reference[weight].astype(np.float64))
    given = layer_input(evidence, layer).astype(np.float64)
    if layer == evidence.spec.layer_order[-1] and evidence.spec.task == "classification" and \
            len(evidence.labels) == len(output):  # the logits: the loss's gradient, read as its two parts
        mine = upstream_gradient(gradients[0], given)
        parts = loss_gradient_parts(mine, output.astype(np.float64), evidence.labels) if mine is not None else ""
        if parts:
            return (f"the gradient reaching the logits (solved from {layer}.weight's gradient and {layer}'s input) "
                    f"{parts}")
    return upstream_relation(parameter, gradients, given, output.astype(np.float64), numbers)


TRIED_ALIKE = 3  # how many more parameters parting at the same step a relation is tried on


def _parting_alike(first: QuantityComparison, group: list[QuantityComparison],
                   evidence: Evidence) -> list[QuantityComparison]:
    """Other update rows parting at the same step as `first`, the best resolved first: a move that float32 keeps
    few digits of fits no relation, where another parameter's, moved by the same mistake, may."""
    if quantity_kind(first.quantity) not in UPDATE_KINDS:
        return []
    return [row for row in parting_rows(group, evidence) if row is not first][:TRIED_ALIKE]


def measured(row: QuantityComparison, evidence: Evidence) -> str:
    """What was measured where no relation fits: where the difference sits and its size."""
    quantity = row.quantity  # a trajectory that failed at an earlier step: its values there
    if row.at_step:
        quantity = f"{after_step(row.at_step - 1)} {row.quantity.split(' ', 1)[1]}"
    actual, reference = evidence.values.get(quantity), evidence.reference.get(quantity)
    after = f" after step {row.at_step}" if row.at_step else ""
    if row.problem:
        return f"{row.quantity}{after}: {row.problem}; no relation to the reference was measured"
    if actual is None or reference is None:
        return f"{row.quantity}{after} differs by up to {row.max_abs:.2e}; no relation to the reference fits"
    where = where_it_sits(actual, reference, row.allowed, quantity_kind(row.quantity))
    return f"{row.quantity}{after}: {where}; no relation to the reference fits {NOTHING_FITS}"


def first_cause(rows: list[QuantityComparison], evidence: Evidence) -> tuple[Optional[QuantityComparison], str]:
    """The first failing row in the order the computation runs (or the one of its kind a classic mistake names)
    and why it differs, in words; (None, '') when nothing fails."""
    failed = in_computation_order([row for row in rows if row.failed], evidence.spec.layer_order)
    if not failed:
        return None, ""
    if quantity_kind(failed[0].quantity) == "layer":
        unchanged = unchanged_relation(failed[0].quantity.split(" ", 1)[1], evidence)
        if unchanged:
            return failed[0], unchanged
    if failed[0].cause:  # measured with its cause already (dropout's and batch norm's statistics)
        return failed[0], failed[0].cause
    named = next((row for row in failed if row.cause and quantity_kind(row.quantity) in UPDATE_KINDS), None)
    if named is not None:  # a correct-formulation check named the update already (penalty on biases, neither formula)
        return named, named.cause
    group = _first_group(failed, evidence)
    first, numbers = group[0], numbers_of(evidence)
    row, cause = diagnose([first], evidence, tuple(group))  # the first row: a classic mistake, then a relation
    if row is not None and cause:
        return row, cause
    cause = _relation_of(first, evidence, numbers)
    if cause:
        return first, cause
    for other in _parting_alike(first, group, evidence):  # the same step and kind: the next best resolved
        cause = _relation_of(other, evidence, numbers)
        if cause:
            return other, cause
    row, cause = diagnose(group, evidence)  # then the others of its kind (one parameter's update, the probe)
    if row is not None and cause:
        return row, cause
    return first, measured(first, evidence)


def with_first_cause(rows: list[QuantityComparison], evidence: Evidence) -> list[QuantityComparison]:
    """The rows with the first difference's cause on its row."""
    row, cause = first_cause(rows, evidence)
    if row is None:
        return rows
    return [dataclasses.replace(r, cause=cause) if r is row else r for r in rows]
