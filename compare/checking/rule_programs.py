"""The six update rules written as small programs, one line per assignment, the way the chapters write them
(`implementations.update_rules`), so that a line can be changed one node at a time (`program_mutations`) and the
result replayed (`formula_fit`). An expression is a nested tuple: ("var", name), ("num", value),
("op", symbol, left, right) with symbol in + - * / ^ max min, ("fn", name, argument) with name in sqrt, square,
abs, neg, float16 (and on_weights, weight decay's mask: 0 on a bias), or ("red", name, argument, axes, ndim), a
reduction over `axes` of an ndim-axis array kept broadcastable (a layer's program: `layer_programs`). Float64; no
mxnet."""
from typing import Union

import numpy as np

Expression = tuple
Line = tuple[str, Expression]  # (target, expression)
Value = Union[float, np.ndarray]

STATE_KEYS = {"momentum": {"v": "momentum"}, "adagrad": {"s": "square_sum"}, "rmsprop": {"s": "square_average"},
              "adadelta": {"s": "square_average", "delta": "delta_average"},
              "adam": {"v": "first_moment", "s": "second_moment"}}  # program variable -> the rule's state name
SHOWN = {"epsilon": "eps", "wd": "lambda", "grad": "grad_sum", "v_prev": "the previous step's v",
         "s_prev": "the previous step's s", "delta_prev": "the previous step's delta",
         "w_prev": "the previous step's weights", "g_prev": "the previous step's g",
         "change_prev": "the previous step's change"}
PREVIOUS = ("w", "g", "change")  # besides the states: what a line may take from the step before by mistake
REDUCTIONS = ("mean", "sum", "max", "min", "median", "first")  # first: the first example's values, averaged
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}


def var(name: str) -> Expression:
    return ("var", name)


def num(value: float) -> Expression:
    return ("num", value)


def op(symbol: str, left: Expression, right: Expression) -> Expression:
    return ("op", symbol, left, right)


def fn(name: str, argument: Expression) -> Expression:
    return ("fn", name, argument)


def red(name: str, argument: Expression, axes: tuple[int, ...], ndim: int) -> Expression:
    return ("red", name, argument, axes, ndim)


def _reduced(name: str, value: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    value = np.asarray(value, dtype=np.float64)
    if name == "first":  # the statistic of the first example alone, where the axes hold the examples
        value, axes = value[:1], tuple(axis for axis in axes if axis != 0)
        return np.mean(value, axis=axes, keepdims=True) if axes else value
    return {"mean": np.mean, "sum": np.sum, "max": np.max, "min": np.min, "median": np.median}[name](
        value, axis=axes, keepdims=True)


def _average(rate: str, state: str, term: Expression) -> Expression:
    """rate * state + (1 - rate) * term: a moving average's line."""
    return op("+", op("*", var(rate), var(state)), op("*", op("-", num(1.0), var(rate)), term))


def _scaled_by_root(numerator: Expression, state: str) -> Expression:
    """numerator / sqrt(state + eps): adagrad's and rmsprop's step."""
    return op("/", numerator, fn("sqrt", op("+", var(state), var("epsilon"))))


def program(rule: str, weight_decay: bool) -> list[Line]:
    """The rule's lines for one step: the gradient as the rule takes it, the state, the step on the weights."""
    gradient = op("/", var("grad"), var("batch"))
    if weight_decay:  # on the weights only: a bias's `decays` is 0, whatever a change writes inside
        gradient = op("+", gradient, fn("on_weights", op("*", var("wd"), var("w"))))
    lines: list[Line] = [("g", gradient)]
    rate_g = op("*", var("lr"), var("g"))
    if rule == "sgd":
        return lines + [("w", op("-", var("w"), rate_g))]
    if rule == "momentum":
        return lines + [("v", op("+", op("*", var("momentum"), var("v")), rate_g)), ("w", op("-", var("w"), var("v")))]
    if rule == "adagrad":
        return lines + [("s", op("+", var("s"), fn("square", var("g")))),
                        ("w", op("-", var("w"), _scaled_by_root(rate_g, "s")))]
    if rule == "rmsprop":
        return lines + [("s", _average("gamma", "s", fn("square", var("g")))),
                        ("w", op("-", var("w"), _scaled_by_root(rate_g, "s")))]
    if rule == "adadelta":
        change = op("*", op("/", fn("sqrt", op("+", var("delta"), var("epsilon"))),
                            fn("sqrt", op("+", var("s"), var("epsilon")))), var("g"))
        return lines + [("s", _average("rho", "s", fn("square", var("g")))), ("change", change),
                        ("delta", _average("rho", "delta", fn("square", var("change")))),
                        ("w", op("-", var("w"), var("change")))]
    if rule != "adam":
        raise ValueError(f"no program for the rule {rule!r}")
    corrected = {name: op("/", var(state), op("-", num(1.0), op("^", var(name), var("t"))))
                 for name, state in (("beta1", "v"), ("beta2", "s"))}
    step = op("/", op("*", var("lr"), var("v_hat")), op("+", fn("sqrt", var("s_hat")), var("epsilon")))
    return lines + [("v", _average("beta1", "v", var("g"))), ("s", _average("beta2", "s", fn("square", var("g")))),
                    ("v_hat", corrected["beta1"]), ("s_hat", corrected["beta2"]), ("w", op("-", var("w"), step))]


def evaluate(expression: Expression, env: dict[str, Value]) -> Value:
    """The expression's value, its variables read from `env` (NumPy errors ignored by the caller)."""
    kind = expression[0]
    if kind == "var":
        return env[expression[1]]
    if kind == "num":
        return expression[1]
    if kind == "red":
        return _reduced(expression[1], evaluate(expression[2], env), expression[3])
    if kind == "fn":
        value = evaluate(expression[2], env)
        name = expression[1]
        if name == "float16":
            return np.asarray(value, dtype=np.float16).astype(np.float64)
        if name == "on_weights":
            return value * env["decays"]
        return {"sqrt": np.sqrt, "square": np.square, "abs": np.abs, "neg": np.negative}[name](value)
    left, right = evaluate(expression[2], env), evaluate(expression[3], env)
    return {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power,
            "max": np.maximum, "min": np.minimum}[expression[1]](left, right)


def shown(expression: Expression, outer: str = "", right_side: bool = False) -> str:
    """The expression as a learner writes it, brackets only where precedence needs them: lr * g / sqrt(s + eps).
    `outer`: the operator it is an operand of ("^" also for a square), on its right side or not."""
    kind = expression[0]
    if kind == "var":
        return SHOWN.get(expression[1], expression[1])
    if kind == "num":
        return f"{expression[1]:g}"
    if kind == "red":
        axes = shown_axes(expression[3])
        if expression[1] == "first":  # the first example's values alone
            inner = shown(expression[2])
            return f"mean({inner if expression[2][0] == 'var' else f'({inner})'}[:1], axis={axes})"
        return f"{expression[1]}({shown(expression[2])}, axis={axes})"
    if kind == "fn":
        name = expression[1]
        if name == "square":
            return f"{shown(expression[2], '^')}^2"
        if name == "abs":
            return f"|{shown(expression[2])}|"
        if name == "neg":
            text = f"-{shown(expression[2], '*', True)}"
            return f"({text})" if outer == "^" else text
        if name == "on_weights":  # the decay's mask is the chapter's, not a function the learner writes
            return shown(expression[2], outer, right_side)
        return f"{name}({shown(expression[2])})"
    symbol = expression[1]
    if symbol in ("max", "min"):
        return f"{symbol}({shown(expression[2])}, {shown(expression[3])})"
    level, around = PRECEDENCE[symbol], PRECEDENCE.get(outer, 0)
    gap = "" if symbol == "^" else " "
    text = f"{shown(expression[2], symbol)}{gap}{symbol}{gap}{shown(expression[3], symbol, True)}"
    tight = level < around or (level == around and (outer == "^" or right_side and outer in "-/"))
    return f"({text})" if tight else text


def shown_axes(axes: tuple[int, ...]) -> str:
    """'0' or '(0, 2, 3)', as numpy's axis= takes them."""
    return str(axes[0]) if len(axes) == 1 else str(axes)


def shown_line(line: Line) -> str:
    target, expression = line
    return f"{SHOWN.get(target, target)} = {shown(expression)}"
