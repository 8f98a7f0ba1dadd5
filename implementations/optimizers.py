"""The update rule as data: `Optimizer` names one of the tutorial's six rules (the optimization chapters of
*Dive into Deep Learning*, first edition, MXNet: gd-sgd, momentum, adagrad, rmsprop, adadelta, adam) with its
hyperparameters, and reaches every implementation through `use_optimizer` with its learning rate withheld (the rate
comes with each `step`: see `implementations.protocol`). Each rule's defaults, learning rate and state names are the
chapter's. Imports no mxnet.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Mapping, Optional


@dataclass(frozen=True)
class Rule:
    """One chapter's update rule: its hyperparameters' defaults, the chapter's learning rate, the state it keeps
    per parameter (canonical names: `fc1.weight:momentum`) and MXNet's optimizer of the same rule."""

    name: str
    chapter: str
    defaults: tuple[tuple[str, float], ...]
    learning_rate: Optional[float]  # the chapter's; None: the model's recipe (sgd) or none at all (adadelta)
    state: tuple[str, ...]
    mxnet: str  # the name gluon.Trainer takes
    mxnet_keys: tuple[tuple[str, str], ...] = ()  # our hyperparameter -> MXNet's keyword, where they differ


RULES = {rule.name: rule for rule in (
    Rule("sgd", "gd-sgd", (), None, (), "sgd"),
    Rule("momentum", "momentum", (("momentum", 0.5),), 0.02, ("momentum",), "sgd"),
    Rule("adagrad", "adagrad", (("epsilon", 1e-6),), 0.1, ("square_sum",), "adagrad", (("epsilon", "eps"),)),
    Rule("rmsprop", "rmsprop", (("gamma", 0.9), ("epsilon", 1e-6)), 0.01, ("square_average",), "rmsprop",
         (("gamma", "gamma1"),)),
    Rule("adadelta", "adadelta", (("rho", 0.9999), ("epsilon", 1e-5)), None, ("square_average", "delta_average"),
         "adadelta"),
    Rule("adam", "adam", (("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-6)), 0.01,
         ("first_moment", "second_moment"), "adam"),
)}
OPTIMIZERS = tuple(RULES)
HYPERPARAMETERS = ("momentum", "gamma", "rho", "beta1", "beta2", "epsilon", "weight_decay")
UNIT_INTERVAL = ("momentum", "gamma", "rho", "beta1", "beta2")  # decay rates: in [0, 1)


@dataclass(frozen=True)
class Optimizer:
    """One update rule and its hyperparameters (the chapter's unless given); `weight_decay` is the L2 penalty
    lambda on the weights (never the biases), as the weight-decay chapter writes it."""

    name: str = "sgd"
    hyperparameters: tuple[tuple[str, float], ...] = ()  # given ones; the rule's defaults fill the rest
    weight_decay: float = 0.0
    learning_rate: Optional[float] = None  # None until a command resolves it: the chapter's, or the model's (sgd)
    values: Mapping[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.name not in RULES:
            raise ValueError(f"unknown optimizer {self.name!r}; valid: {', '.join(OPTIMIZERS)}")
        rule, given = RULES[self.name], dict(self.hyperparameters)
        for key, value in given.items():
            if key not in dict(rule.defaults):
                takes = ", ".join(dict(rule.defaults)) or "none but weight_decay"
                raise ValueError(f"{self.name} has no hyperparameter {key!r}; it takes {takes}")
            _check_value(key, value)
        _check_value("weight_decay", self.weight_decay)
        if self.learning_rate is not None:
            _check_value("learning_rate", self.learning_rate)
        object.__setattr__(self, "values", {**dict(rule.defaults), **{k: float(v) for k, v in given.items()}})
        if self.name == "momentum" and self.values["momentum"] == 0:  # MXNet then keeps no velocity at all
            raise ValueError("momentum 0 is plain SGD: use --optimizer sgd")

    @property
    def rule(self) -> Rule:
        return RULES[self.name]

    def __getitem__(self, key: str) -> float:
        """A hyperparameter's value: `optimizer["beta1"]`."""
        return self.values[key]

    @property
    def plain_sgd(self) -> bool:
        """w -= lr * grad / batch and nothing else: what every implementation written for SGD alone does."""
        return self.name == "sgd" and not self.weight_decay

    def state_names(self, parameter: str) -> list[str]:
        """The canonical names of the state kept for `parameter`: ['fc1.weight:momentum']."""
        return [f"{parameter}:{state}" for state in self.rule.state]

    def decays(self, parameter: str) -> bool:
        """Whether weight decay reaches `parameter`: the weights, never the biases (the chapter's choice)."""
        return self.weight_decay > 0 and parameter.endswith(".weight")

    def with_learning_rate(self, given: Optional[float], model_rate: float) -> "Optimizer":
        """This optimizer with its learning rate resolved: the one given, else the chapter's, else (sgd, and
        adadelta, which takes none) the model's recipe's."""
        if self.learning_rate is not None:
            return self
        rate = given if given is not None else self.rule.learning_rate or model_rate
        return dataclasses.replace(self, learning_rate=rate)

    def describe(self) -> str:
        """'adam (lr 0.01, beta1 0.9, beta2 0.999, epsilon 1e-06)', with weight decay when there is some."""
        rate = [] if self.learning_rate is None or self.name == "adadelta" else [f"lr {self.learning_rate:g}"]
        parts = rate + [f"{key} {value:g}" for key, value in self.values.items()]
        if self.weight_decay:
            parts.append(f"weight decay {self.weight_decay:g}")
        return self.name + (f" ({', '.join(parts)})" if parts else "")

    def recorded(self) -> dict[str, object]:
        """As the results file records it."""
        rate = None if self.name == "adadelta" else self.learning_rate  # adadelta takes none
        return {"name": self.name, "learning_rate": rate, **self.values,
                "weight_decay": self.weight_decay}


def _check_value(key: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{key.replace('_', ' ')} must be a finite number, got {value!r}")
    if key in UNIT_INTERVAL and not 0 <= value < 1:
        raise ValueError(f"{key} must be in [0, 1), got {value:g}")
    if key == "epsilon" and not value > 0:
        raise ValueError(f"epsilon must be positive, got {value:g}")
    if key == "learning_rate" and not value > 0:
        raise ValueError(f"the learning rate must be positive, got {value:g}")
    if key == "weight_decay" and value < 0:
        raise ValueError(f"weight decay must be 0 or more, got {value:g}")


SGD = Optimizer()

