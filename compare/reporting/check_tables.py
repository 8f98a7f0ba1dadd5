"""Rich view of `compare check`: one table per implementation against scratch, and where each first differs."""
from rich.console import Group
from rich.table import Table
from rich.text import Text

from compare.results.measures import (
    COMPUTATION_ORDER,
    TRAJECTORY_KINDS,
    CheckData,
    QuantityComparison,
    first_failure,
    in_computation_order,
    quantity_kind,
)

KIND_WORDS = {"optimizer": "the optimizer's state", "state": "the state (moving averages)"}
OUTPUTS = ("logits", "predictions")  # forward's outputs: a classification's logits, a regression's predictions


def _format_diff(value: float) -> str:
    return f"{value:.2e}"


def _result(row: QuantityComparison) -> Text:
    if row.passed:
        return Text("pass", style="green")
    if row.explained:
        return Text("borderline" if row.cause.startswith("borderline") else "known", style="yellow")
    if row.at_step:
        return Text(f"FAIL (step {row.at_step}" + (f", {row.problem})" if row.problem else ")"), style="bold red")
    return Text(f"FAIL ({row.problem})" if row.problem else "FAIL", style="bold red")


def _held_to(row: QuantityComparison) -> str:
    """What the row was held to: the distance from float64 allowed by float32's noise, or a fixed tolerance."""
    if row.allowed is not None:
        return f"≤ {row.allowed:.1e}"
    if row.tolerance is not None:
        return f"{row.tolerance.rtol:.0e}/{row.tolerance.atol:.0e}"
    return "—"


def check_table(check: CheckData) -> Group:
    """`compare check`: one table per implementation, each quantity against the reference with its verdict:
    max |Δ| from the reference as run (0: bit-identical), the distance from the reference in float64 and what
    that was held to (float32's own noise there), or a fixed rtol/atol where there is no float64 reference."""
    tables = []
    for implementation in check.implementations():
        rows = check.for_implementation(implementation)
        if not rows:
            continue  # it failed before anything could be compared: its verdict line says why
        table = Table(title=f"{implementation}{check.subject} against {check.reference} "
                            f"(weights after {check.steps} {check.update_rule} steps)")
        for column in ("quantity", "max |Δ|", "vs float64", "held to", "result"):
            # a long quantity ("optimizer conv1.weight:second_moment") wraps at its space and a long verdict at
            # its words; the numbers never wrap
            table.add_column(column, justify="left" if column in ("quantity", "result") else "right",
                             no_wrap=column not in ("quantity", "result"), overflow="fold",
                             min_width={"quantity": len("optimizer"), "result": len("known")}.get(column))
        for row in rows:
            table.add_row(
                row.quantity, "—" if row.problem else _format_diff(row.max_abs),
                "—" if row.problem or row.error is None else _format_diff(row.error), _held_to(row), _result(row),
            )
        tables.append(table)
    return Group(*tables)


def where_it_differs(rows: list[QuantityComparison], steps: int) -> str:
    """Why the first quantity that differs (in the order the computation runs) differs, then where the first
    difference of each kind is (layer, gradient, the rule's state, weights, state), and what follows from it.
    Never empty for rows that fail."""
    failed = in_computation_order([row for row in rows if row.failed])
    caused = next((row for row in failed if row.cause), None)
    parts = []
    if caused is not None:
        place = caused.quantity.split(" ", 1)[-1]
        parts.append(caused.cause if place in caused.cause else f"{caused.quantity}: {caused.cause}")
    for kind, what in (("layer", "first difference"), ("gradient", "first gradient difference"),
                       ("optimizer", "first optimizer state difference"), ("weights", "first weights difference"),
                       ("state", "first state difference")):
        row, agreeing = first_failure(rows, kind)
        if row is not None:
            before = f"; {agreeing} agrees" if agreeing and kind == "layer" else ""
            what += f" {_after(row, steps)}" if kind in TRAJECTORY_KINDS else ""
            size = row.problem or f"max |Δ| {row.max_abs:.1e}"
            parts.append(f"{what}: {row.quantity.split(' ', 1)[1]} ({size}){before}")
    dropout = [row for row in rows if row.failed and row.quantity.startswith("dropout ")]
    if dropout and not any(row.cause for row in dropout):
        parts.append(f"{dropout[0].quantity} outside its interval")
    if not parts and failed:  # nothing positioned it and no cause was measured (data parallel, against itself)
        parts.append(f"{failed[0].quantity} differ{'' if failed[0].quantity in OUTPUTS else 's'} "
                     f"({failed[0].problem or f'max |Δ| {failed[0].max_abs:.1e}'})")
    if caused is not None:
        rank = COMPUTATION_ORDER.index(quantity_kind(caused.quantity))
        later = [kind for kind in COMPUTATION_ORDER[rank + 1:] if any(quantity_kind(row.quantity) == kind
                                                                        for row in failed)]
        if later:
            parts.append(f"the later differences ({', '.join(later)}) follow from it")
    return "; ".join(parts)


def _after(row: QuantityComparison, steps: int) -> str:
    """When a trajectory row was judged: after the last step, or after the earlier step where it first failed."""
    if row.at_step:
        return f"after step {row.at_step} of {steps} (within the noise after the last)"
    return f"after {steps} step{'' if steps == 1 else 's'}"


def check_verdict_lines(check: CheckData) -> list[str]:
    """Where each failing implementation first differs (layer, gradient, weights), the known differences and
    their causes, the counts, and in one line what the check proved."""
    lines = []
    for implementation in check.implementations():
        rows = check.for_implementation(implementation)
        if check.unmatched_layers.get(implementation):
            lines.append(f"{implementation}: layers only one side has (not compared): "
                         f"{', '.join(check.unmatched_layers[implementation])}")
        if implementation in check.failures:
            lines.append(f"{implementation}: failed ({check.failures[implementation]}); -v shows the traceback")
        elif any(row.failed for row in rows):
            lines.append(f"{implementation}: {where_it_differs(rows, check.steps)}")
        if implementation in check.explanations:
            kinds = sorted({row.quantity.split(" ")[0] for row in rows if row.explained and not row.follows})
            carried = sorted({KIND_WORDS.get(row.quantity.split(" ")[0], row.quantity.split(" ")[0])
                              for row in rows if row.follows} - set(kinds))
            after = f" (and in {' and '.join(carried)}, which follow{'s' if len(carried) == 1 else ''} from it)" \
                if carried else ""
            if kinds or carried:
                lines.append(f"{implementation}: known difference in {' and '.join(kinds) or 'nothing'}{after}, not "
                             f"a failure: {check.explanations[implementation]}")
            else:  # it showed nowhere beyond the noise this time
                lines.append(f"{implementation}: a known difference, within float32's noise on this check: "
                             f"{check.explanations[implementation]}")
    total = len(check.comparisons)
    within = sum(row.passed for row in check.comparisons)
    explained = sum(row.explained for row in check.comparisons)
    compared = [row for row in check.comparisons if not _statistic(row)]
    identical = sum(row.max_abs == 0 for row in compared)
    known = f"; {explained} known differences, explained above" if explained else ""
    statistics = total - len(compared)
    only_dropout = all(row.quantity.startswith("dropout ") for row in check.comparisons if _statistic(row))
    what = f"{'dropout ' if only_dropout else ''}statistic{'' if statistics == 1 else 's'}"
    stats = f" ({statistics} {what} among them)" if statistics else ""
    noise = any(row.allowed is not None for row in check.comparisons)
    held = f"{_precision(check)}'s noise" if noise else "tolerance"
    lines.append(f"{within} of {total} comparisons within {held}{known}{stats}; {identical} of {len(compared)} "
                 "bit-identical")
    if noise:
        lines.append(f"precision: each quantity held to {check.held_to}")
    lines.append(_proved(check))
    return lines


def _precision(check: CheckData) -> str:
    return "bf16" if "bf16" in check.held_to else "float32"  # held_to names the precision checked


def _statistic(row: QuantityComparison) -> bool:
    """A dropout layer's keep rate or scale, batch norm's variance on two examples: measured against the spec's
    formula, never bit-identical to anything."""
    return row.quantity.startswith(("dropout ", "batchnorm "))


def _proved(check: CheckData) -> str:
    """What the check proved, in one line."""
    if not check.passed:
        bad = [name for name in check.implementations() if name in check.failures or
               any(row.failed for row in check.for_implementation(name))]
        if check.reference.startswith("itself"):  # data parallel: each against its own single-device steps
            return f"check failed: {', '.join(bad)}: each differs from {check.reference}"
        first = bad[0]
        why = check.failures.get(first) or where_it_differs(check.for_implementation(first), check.steps).split("; ")[0]
        return (f"check failed: {', '.join(bad)} differ{'s' if len(bad) == 1 else ''} from {check.reference}; "
                f"first, {first}: {why}")
    identical = [name for name in check.implementations()
                 if all(row.max_abs == 0 for row in check.for_implementation(name) if not _statistic(row))]
    within = [name for name in check.implementations() if name not in identical and name not in check.explanations]
    parts = [f"{', '.join(identical)} bit-identical to {check.reference}"] if identical else []
    noise = any(row.allowed is not None for row in check.comparisons)
    parts += [f"{', '.join(within)} within {_precision(check) + chr(39) + 's noise' if noise else 'tolerance'}"
              ] if within else []
    parts += [f"{name} differs only as known and explained" for name in check.explanations]
    state = ", state" if any(row.quantity.startswith("state ") for row in check.comparisons) else ""
    state += (f", {check.update_rule}'s state" if any(row.quantity.startswith("optimizer ")
                                                      for row in check.comparisons) else "")
    outputs = next((row.quantity for row in check.comparisons if row.quantity in OUTPUTS), "logits")
    layers = "every layer in training and evaluation" if any(row.quantity.startswith("evaluation ")
                                                               for row in check.comparisons) else "every layer"
    return (f"check passed: {'; '.join(parts)} ({outputs}, loss, {layers}, gradients, weights{state} after "
            f"{check.steps} steps)")
