"""A change of an update rule's program (`program_mutations`) in the learner's words: the line it writes against
the rule's line, and what the changed node does (`+ eps` left out; grad_sum multiplied by batch, where the rule
divides by it). No mxnet."""
from compare.checking.program_fits import KINDS
from compare.checking.program_mutations import Mutant
from compare.checking.rule_programs import Expression, Line, shown, shown_axes, shown_line

LINE_KINDS = ("in-place", "lines-swapped", "line-left-out", "line-twice", "applied")  # not merged into one line
NODE_KINDS = tuple(kind for kind in KINDS if kind not in LINE_KINDS)  # one node (or one name) of one line changed
VERBS = {"+": "adds", "-": "subtracts", "*": "multiplies", "/": "divides", "max": "takes the larger of two terms",
         "min": "takes the smaller of two terms"}
FUNCTION_NAMES = {"sqrt": "square root", "square": "square", "abs": "absolute value", "float16": "float16 rounding"}
SUMMED = "grad_sum: the summed gradient, over the batch, not divided by the batch"


def said_all(changes: list[Mutant], lines: tuple[Line, ...], subject: str = "the rule") -> str:
    """The changes in words, each against the lines it changed (`subject` has them); one line changed twice, as one
    line."""
    if len(changes) == 2 and changes[0].line == changes[1].line and changes[0].kind in NODE_KINDS \
            and changes[1].kind in NODE_KINDS and len(changes[1].lines) == len(lines):
        index = changes[1].line
        return (f"`{shown_line(changes[1].lines[index])}` where {subject} has `{shown_line(lines[index])}` (two "
                f"changes in one line: {_node_words(changes[0])}; {_node_words(changes[1])})")
    said, base = [], lines
    for change in changes:
        said.append(_said(change, base, subject))
        base = change.lines
    return "; and ".join(said)


def _said(mutant: Mutant, lines: tuple[Line, ...], subject: str) -> str:
    """The changed line against the rule's: '`s = s` where the rule has `s = s + g^2` (+ g^2 left out)'."""
    index, changed = mutant.line, mutant.lines
    if mutant.kind == "line-left-out":
        return f"the line `{shown_line(lines[index])}` is left out (what it assigns is never updated)"
    if mutant.kind == "line-twice":
        return f"the line `{shown_line(lines[index])}` runs twice in a step"
    if mutant.kind == "lines-swapped":
        return (f"`{shown_line(lines[index + 1])}` runs before `{shown_line(lines[index])}`, where {subject} runs "
                "them in the other order")
    parts = [place for place, line in enumerate(changed) if len(changed) == len(lines) and line != lines[place]]
    if len(parts) > 1:  # one statistic changed in every line that takes it; a value kept in place and read there
        mine, theirs = (", ".join(f"`{shown_line(version[place])}`" for place in parts) for version in (changed, lines))
        every = ", in every statistic" if mutant.kind in ("reduction", "axes") else ""
        return f"{mine} where {subject} has {theirs} ({_node_words(mutant)}{every})"
    return f"`{shown_line(changed[index])}` where {subject} has `{shown_line(lines[index])}` ({_node_words(mutant)})"


def _node_words(mutant: Mutant) -> str:
    """What the changed node does, in words."""
    kind = mutant.kind
    if kind == "in-place":
        return "the value written into the state in place, and read from there after"
    if kind == "schedule":
        return "a learning rate that changes with the step count t, where the chapter's is constant"
    if not mutant.node:
        return {"hyperparameter": "another hyperparameter at each place the line names one",
                "function-left-out": "a function left out at each place the line takes it",
                "function": "another function at each place the line takes one"}.get(kind, "one change")
    old, new = mutant.node
    words = _words(kind, old, new)
    return f"{words}; {SUMMED}" if "grad_sum" in shown(new) and "grad_sum" not in shown(old) else words


def _words(kind: str, old: Expression, new: Expression) -> str:
    if kind in ("variable", "hyperparameter"):
        return f"{shown(new)} read where the chapter reads {shown(old)}"
    if kind == "value":
        return f"the number {shown(new)} typed where the chapter names {shown(old)}"
    if kind in ("operator", "extreme"):
        if {old[1], new[1]} == {"*", "/"}:
            verb, other = ("multiplied by", "divides by") if new[1] == "*" else ("divided by", "multiplies by")
            return f"{shown(new[2], '*')} {verb} {shown(new[3], '/', True)}, where the chapter {other} it"
        return f"it {VERBS[new[1]]} where the chapter {VERBS[old[1]]}"
    if kind == "left-out" and old[0] == "op":
        kept_left = new == old[2]
        removed = f"{old[1]} {shown(old[3], old[1], True)}" if kept_left else f"{shown(old[2], old[1])} {old[1]}"
        return f"`{removed}` left out"
    if kind == "reduction":
        if new[1] == "first":
            return "statistics of the first example alone where the chapter takes the whole batch's"
        return f"a {new[1]} where the chapter takes a {old[1]}"
    if kind == "axes":
        return f"taken over axes {shown_axes(new[3])} where the chapter takes axes {shown_axes(old[3])}"
    if kind == "distributed":
        noun = {"+": "sum", "-": "difference", "*": "product", "/": "ratio"}[new[1]]
        return f"{_a(new[2][1])} taken of each term, where the chapter takes it of their {noun}"
    if kind == "function-left-out":
        return f"the {FUNCTION_NAMES.get(old[1], old[1])} left out"
    if kind == "function":
        return f"{_a(new[1])} where the chapter takes {_a(old[1])}"
    if kind == "applied":
        if new[1] == "float16":
            return "rounded to float16: kept or summed in half precision"
        return f"{_a(new[1])} taken of {shown(old)}, where the chapter takes none"
    return "a bracket in another place (precedence)"


def _a(function: str) -> str:
    """'a square root', 'an absolute value'."""
    name = FUNCTION_NAMES.get(function, function)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"

