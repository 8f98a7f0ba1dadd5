"""Every program one change away from an update rule's (`rule_programs`): a variable read where the rule reads
another (the previous step's value, the other state, another hyperparameter, the step count off by one), an
operator typed otherwise (+ for -, max for +), a term or function left out, a function applied or changed (a root,
a square, an absolute value, a float16 rounding), a bracket moved (a precedence slip), a line left out, run twice
or run in the other order. Generic edits of the program's tree, not a list of known mistakes. No mxnet."""
from dataclasses import dataclass
from typing import Callable, Iterator

from compare.checking.rule_programs import PREVIOUS, REDUCTIONS, STATE_KEYS, Expression, Line, fn, num, op, red, var
from implementations.optimizers import RULES

OPERATORS = ("+", "-", "*", "/", "max", "min")
FUNCTIONS = ("sqrt", "square", "abs")
WRAPS = ("sqrt", "square", "abs", "float16")
TYPED = (0.0, 0.5, 1.0, 2.0, 10.0, 0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8)  # numbers typed for a name
INTERMEDIATES = ("v_hat", "s_hat", "change")  # values a line computes that the rule keeps out of its state


def _typed() -> tuple[float, ...]:
    """The numbers a learner may type where the rule names a hyperparameter: round ones, and every rule's
    recipe values (another rule's default, or another chapter's)."""
    recipes = [value for rule in RULES.values() for _, value in rule.recipe.hyperparameters]
    rates = [rule.recipe.learning_rate for rule in RULES.values() if rule.recipe.learning_rate is not None]
    return tuple(dict.fromkeys([*TYPED, *recipes, *rates]))


TYPED_VALUES = _typed()


@dataclass(frozen=True)
class Mutant:
    """The rule's program with one change: what kind of change, on which line, and the whole program after it."""

    kind: str  # one of program_fits.KINDS: variable, hyperparameter, value, schedule, operator, extreme (max, min),
    # left-out, function-left-out, function, reduction, axes, applied, bracket, distributed, in-place, line-...
    line: int  # the first line changed
    lines: tuple[Line, ...]
    node: tuple = ()  # (the node changed, what it became), where one node changed


CHILDREN = {"op": (2, 3), "fn": (2,), "red": (2,)}  # where a node keeps its operands


def _nodes(expression: Expression, path: tuple = ()) -> Iterator[tuple[tuple, Expression]]:
    yield path, expression
    for place in CHILDREN.get(expression[0], ()):
        yield from _nodes(expression[place], path + (place,))


def _mapped(expression: Expression, change: Callable[[Expression], Expression]) -> Expression:
    """The expression with `change` applied to every node, its operands first."""
    rebuilt = list(expression)
    for place in CHILDREN.get(expression[0], ()):
        rebuilt[place] = _mapped(expression[place], change)
    return change(tuple(rebuilt))


def _replaced(expression: Expression, path: tuple, new: Expression) -> Expression:
    if not path:
        return new
    head, rest = path[0], path[1:]
    return expression[:head] + (_replaced(expression[head], rest, new),) + expression[head + 1:]


def _arrays_before(lines: tuple[Line, ...], index: int, rule: str, inputs: tuple[str, ...]) -> list[str]:
    """The arrays a line may read: the inputs, the states, what earlier lines assigned, and (an update rule's)
    values of the step before."""
    states = list(STATE_KEYS.get(rule, {}))
    assigned = [target for target, _ in lines[:index]]
    previous = [f"{name}_prev" for name in (*states, *PREVIOUS) if name in (*states, *assigned, "w")] \
        if "w" in inputs else []
    return list(dict.fromkeys([*inputs, *states, *assigned, *previous]))


def _substitutes(leaf: Expression, arrays: list[str], hyper: list[str]) -> Iterator[tuple[str, Expression]]:
    """(kind, what a variable may be mistaken for): another array for an array; another hyperparameter, or a
    number typed, for a hyperparameter; a schedule for the learning rate; t - 1, t + 1, 2t or 1 for the count."""
    name = leaf[1]
    if name == "t":
        yield from (("variable", new) for new in (op("-", var("t"), num(1.0)), op("+", var("t"), num(1.0)),
                                                  num(1.0), op("*", num(2.0), var("t"))))
    elif name in hyper or name == "wd":
        yield from (("hyperparameter", var(other)) for other in hyper if other != name)
        yield from (("value", num(value)) for value in TYPED_VALUES)
        if name == "lr":  # a schedule where the rule has a constant rate
            yield from (("schedule", new) for new in (op("/", var("lr"), fn("sqrt", var("t"))),
                                                      op("/", var("lr"), var("t")), op("*", var("lr"), var("t"))))
    elif name in arrays or name.endswith("_prev"):
        yield from (("variable", var(other)) for other in arrays if other != name)


def _edits(expression: Expression, arrays: list[str], hyper: list[str]) -> Iterator[tuple[str, Expression, tuple]]:
    """(kind, new expression, (the node changed, what it became)) for each single change of one line."""
    for path, node in _nodes(expression):
        yield from ((kind, _replaced(expression, path, new), (node, new))
                    for kind, new in _node_edits(node, arrays, hyper))
    yield from ((kind, new, ()) for kind, new in _everywhere(expression, hyper))


def _node_edits(node: Expression, arrays: list[str], hyper: list[str]) -> Iterator[tuple[str, Expression]]:
    """(kind, what the node becomes) for each change of one node."""
    kind = node[0]
    if kind == "var":
        yield from _substitutes(node, arrays, hyper)
    if kind == "op":
        symbol, left, right = node[1], node[2], node[3]
        yield from (("operator" if other in OPERATORS[:4] else "extreme", op(other, left, right))
                    for other in OPERATORS if other != symbol and symbol != "^")
        yield from (("left-out", side) for side in (left, right))
    if kind == "red":
        yield from _reduction_edits(node)
    if kind == "fn" and node[1] != "on_weights":  # the decay's mask is the chapter's, not the learner's to change
        yield "function-left-out", node[2]
        yield from (("function", fn(other, node[2])) for other in FUNCTIONS if other != node[1])
    yield from (("bracket", moved) for moved in _reassociated(node))
    if kind == "fn" and node[1] in FUNCTIONS and node[2][0] == "op" and node[2][1] in OPERATORS[:4]:
        inner = node[2]  # the function taken of each term: sqrt(s) + sqrt(eps) for sqrt(s + eps)
        yield "distributed", op(inner[1], fn(node[1], inner[2]), fn(node[1], inner[3]))
    if kind != "num" and not (kind == "var" and node[1] in (*hyper, "t", "wd", "batch")):
        yield from (("applied", fn(name, node)) for name in WRAPS if not (kind == "fn" and node[1] == name))


def _reduction_edits(node: Expression) -> Iterator[tuple[str, Expression]]:
    """Another statistic over the same axes, or the same statistic over other axes (any nonempty set)."""
    name, argument, axes, ndim = node[1], node[2], node[3], node[4]
    yield from (("reduction", red(other, argument, axes, ndim)) for other in REDUCTIONS if other != name)
    every = [tuple(axis for axis in range(ndim) if chosen >> axis & 1) for chosen in range(1, 2 ** ndim)]
    yield from (("axes", red(name, argument, other, ndim)) for other in every if other != axes)


def _everywhere(expression: Expression, hyper: list[str]) -> Iterator[tuple[str, Expression]]:
    """A name or function changed at every place it has in the line (beta2 for beta1 in both of a moving
    average's terms; both roots of a ratio left out)."""
    counts: dict[Expression, int] = {}
    for _, node in _nodes(expression):
        if node[0] == "var" and node[1] in hyper or node[0] == "fn" and node[1] != "on_weights":
            key = node[:2]
            counts[key] = counts.get(key, 0) + 1
    for key in (key for key, count in counts.items() if count > 1):
        if key[0] == "var":
            yield from (("hyperparameter", _renamed(expression, key, var(other))) for other in hyper if other != key[1])
        else:
            yield "function-left-out", _renamed(expression, key, None)
            yield from (("function", _renamed(expression, key, ("fn", other))) for other in FUNCTIONS
                        if other != key[1])


def _renamed(expression: Expression, key: Expression, new: "Expression | None") -> Expression:
    """Every node matching `key` (a variable, or a function by name) replaced by `new` (a function by name: its
    argument kept; None: the function left out)."""
    def change(node: Expression) -> Expression:
        if node[0] == "fn" and node[:2] == key:
            return node[2] if new is None else fn(new[1], node[2])
        return new if node == key and new is not None else node

    return _mapped(expression, change)


def _reassociated(node: Expression) -> Iterator[Expression]:
    """The node with a bracket moved: a o (b * c) -> (a o b) * c and back; f(a o b) -> f(a) o b, a o f(b) or
    f(a) o f(b) (the function taken of each term); and f(a) o b -> f(a o b)."""
    if node[0] == "fn":
        inner = node[2]
        if inner[0] == "op" and inner[1] in OPERATORS[:4] and node[1] != "on_weights":
            yield op(inner[1], fn(node[1], inner[2]), inner[3])
            yield op(inner[1], inner[2], fn(node[1], inner[3]))
        return
    if node[0] != "op" or node[1] not in OPERATORS[:4]:
        return
    symbol, left, right = node[1], node[2], node[3]
    if right[0] == "op" and right[1] in OPERATORS[:4]:
        yield op(right[1], op(symbol, left, right[2]), right[3])
    if left[0] == "op" and left[1] in OPERATORS[:4]:
        yield op(left[1], left[2], op(symbol, left[3], right))
    if left[0] == "fn":
        yield fn(left[1], op(symbol, left[2], right))


def mutants(lines: list[Line], rule: str, hyper: list[str], inputs: tuple[str, ...] = ("grad", "w")) -> list[Mutant]:
    """Every program one change away from `lines`, each once (`hyper`: the rule's hyperparameters and lr;
    `inputs`: the arrays the program is given)."""
    original, found, seen = tuple(lines), [], {tuple(lines)}

    def add(kind: str, index: int, changed: tuple[Line, ...], node: tuple = ()) -> None:
        if changed not in seen:
            seen.add(changed)
            found.append(Mutant(kind, index, changed, node))

    for index, (target, expression) in enumerate(original):
        arrays = _arrays_before(original, index, rule, inputs)
        for kind, new, node in _edits(expression, arrays, hyper):
            add(kind, index, original[:index] + ((target, new),) + original[index + 1:], node)
        if target not in ("g", "w", "y"):
            add("line-left-out", index, original[:index] + original[index + 1:])
            add("line-twice", index, original[:index + 1] + original[index:])
        if target in INTERMEDIATES:  # written into a state in place, and read from there after
            for state in STATE_KEYS.get(rule, {}):
                later = tuple((name, _renamed(read, var(target), var(state))) for name, read in original[index + 1:])
                add("in-place", index, original[:index] + ((state, expression),) + later)
        if 0 < index and original[index - 1][0] != "g":
            add("lines-swapped", index - 1, original[:index - 1] + (original[index], original[index - 1])
                + original[index + 1:])
    for kind, old, new in _statistics_everywhere(original):  # every statistic of the program taken otherwise
        changed = tuple((target, _restated(expression, old, new)) for target, expression in original)
        add(kind, next(index for index, line in enumerate(changed) if line != original[index]), changed,
            (old, new))
    return found


def _statistics_everywhere(lines: tuple[Line, ...]) -> Iterator[tuple[str, Expression, Expression]]:
    """(kind, a reduction, what it becomes) for another statistic or other axes in every reduction of the lines,
    where there are two or more (a mean and a variance taken over the same axes)."""
    reductions = [node for _, expression in lines for _, node in _nodes(expression) if node[0] == "red"]
    if len(reductions) < 2 or len({(node[3], node[1]) for node in reductions}) > 1:
        return
    yield from ((kind, reductions[0], new) for kind, new in _reduction_edits(reductions[0]))


def _restated(expression: Expression, old: Expression, new: Expression) -> Expression:
    """Every reduction in `expression` with `old`'s statistic and axes given `new`'s."""
    def change(node: Expression) -> Expression:
        if node[0] == "red" and node[1] == old[1] and node[3] == old[3]:
            return red(new[1], node[2], new[3], new[4])
        return node

    return _mapped(expression, change)
