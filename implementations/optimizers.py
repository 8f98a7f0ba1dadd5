"""The update rule as data: `Optimizer` names one of the tutorial's six rules (the optimization chapters: gd-sgd,
momentum, adagrad, rmsprop, adadelta, adam) with its hyperparameters, and reaches every implementation through
`use_optimizer` with its learning rate withheld (the rate comes with each `step`: see `implementations.protocol`).

What a rule trains with unless told is a `RuleRecipe`, and which one depends on the data: the gluon-tutorials'
optimization chapters (the edition this project follows) train every rule on linear regression's synthetic data, so
that model takes their recipes (`ON_LINEAR_REGRESSION`); no chapter trains the rules on any other model's data, so
the others take the later edition's (d2l-zh 1.0, chapter 7, tuned on the airfoil data: each `Rule.recipe`), and the
weight-decay model two recipes of its own where those diverge (`ON_WEIGHT_DECAY`). A model's entry in the registry
names its recipes; nothing else does. Imports no mxnet.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, Optional


@dataclass(frozen=True)
class RuleRecipe:
    """What a rule trains with unless told (its learning rate and hyperparameters) and where that comes from."""

    learning_rate: Optional[float]  # None: sgd's is the model's recipe's; adadelta takes none
    hyperparameters: tuple[tuple[str, float], ...]
    source: str  # a few words for the recipe line: "adam-scratch, on this data"


@dataclass(frozen=True)
class Rule:
    """One chapter's update rule: the state it keeps per parameter (canonical names: `fc1.weight:momentum`), MXNet's
    optimizer of the same rule, and its recipe where no chapter trains it on a model's data."""

    name: str
    chapter: str  # the gluon-tutorials chapter pair that writes it: momentum-scratch, momentum-gluon
    recipe: RuleRecipe  # the later edition's (d2l-zh 1.0, chapter 7, airfoil data)
    state: tuple[str, ...]
    mxnet: str  # the name gluon.Trainer takes
    mxnet_keys: tuple[tuple[str, str], ...] = ()  # our hyperparameter -> MXNet's keyword, where they differ

    @property
    def hyperparameters(self) -> tuple[str, ...]:
        """The hyperparameters it takes (besides the learning rate and weight decay)."""
        return tuple(dict(self.recipe.hyperparameters))


LATER = "d2l-zh 1.0 ch. 7, airfoil data"  # the later edition's chapters, tuned on another data set
RULES = {rule.name: rule for rule in (
    Rule("sgd", "gd-sgd", RuleRecipe(None, (), "the model's chapter"), (), "sgd"),
    Rule("momentum", "momentum", RuleRecipe(0.02, (("momentum", 0.5),), LATER), ("momentum",), "sgd"),
    Rule("adagrad", "adagrad", RuleRecipe(0.1, (("epsilon", 1e-6),), LATER), ("square_sum",), "adagrad",
         (("epsilon", "eps"),)),
    Rule("rmsprop", "rmsprop", RuleRecipe(0.01, (("gamma", 0.9), ("epsilon", 1e-6)), LATER), ("square_average",),
         "rmsprop", (("gamma", "gamma1"),)),
    Rule("adadelta", "adadelta", RuleRecipe(None, (("rho", 0.9999), ("epsilon", 1e-5)), LATER),
         ("square_average", "delta_average"), "adadelta"),
    Rule("adam", "adam", RuleRecipe(0.01, (("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-6)), LATER),
         ("first_moment", "second_moment"), "adam"),
)}
OPTIMIZERS = tuple(RULES)
HYPERPARAMETERS = ("momentum", "gamma", "rho", "beta1", "beta2", "epsilon", "weight_decay")
UNIT_INTERVAL = ("momentum", "gamma", "rho", "beta1", "beta2")  # decay rates: in [0, 1)


@dataclass(frozen=True)
class RuleRecipes:
    """Which recipe each rule takes on one model's data: `by_rule` where given, else the rule's own (`Rule.recipe`)."""

    label: str  # at most 10 characters, for `compare models`: "chapters'"
    description: str  # one sentence, for the caption and the docs
    by_rule: Mapping[str, RuleRecipe] = field(default_factory=lambda: MappingProxyType({}))

    def recipe(self, rule: str) -> RuleRecipe:
        return self.by_rule.get(rule, RULES[rule].recipe)


def _on_this_data(chapter: str) -> str:
    return f"{chapter}-scratch, on this data"


# The gluon-tutorials' optimization chapters: each trains its rule on exactly linear regression's synthetic data
# (1,000 examples, w = [2, -3.4], b = 4.2, batch 10, 3 epochs) until "the learned parameters are close to the true
# values", epsilon as each writes it. gd-sgd and momentum also decay the rate tenfold after epoch 2; these rates
# converge without it. Plain SGD keeps the linear-regression chapter's own rate (the model's recipe).
ON_LINEAR_REGRESSION = RuleRecipes("chapters'", "each rule's own chapter's (momentum, adagrad, rmsprop, adadelta, "
                                   "adam), trained on this very data", MappingProxyType({
    "momentum": RuleRecipe(0.2, (("momentum", 0.9),), _on_this_data("momentum")),
    "adagrad": RuleRecipe(0.9, (("epsilon", 1e-7),), _on_this_data("adagrad")),
    "rmsprop": RuleRecipe(0.03, (("gamma", 0.9), ("epsilon", 1e-8)), _on_this_data("rmsprop")),
    "adadelta": RuleRecipe(None, (("rho", 0.9999), ("epsilon", 1e-5)), _on_this_data("adadelta")),
    "adam": RuleRecipe(0.1, (("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)), _on_this_data("adam")),
}))
# No chapter trains the rules on the classification models' data: the later edition's recipes.
LATER_EDITION = RuleRecipes("d2l 1.0", f"no chapter trains the rules on this data: the later edition's ({LATER})")
NO_CHAPTER = "no chapter on this data; chosen so that it trains"
# Weight decay's 200 features at batch 1: the later edition's momentum (lr 0.02) and AdaDelta (rho 0.9999, whose
# first steps are about sqrt(eps / (1 - rho)) = 0.3 per weight) diverge there; these train like its SGD.
ON_WEIGHT_DECAY = RuleRecipes("d2l 1.0*", "the same, but momentum at the model's rate and adadelta with rho 0.999: "
                              "the later edition's diverge there", MappingProxyType({
                                  "momentum": RuleRecipe(None, (("momentum", 0.5),), NO_CHAPTER),
                                  "adadelta": RuleRecipe(None, (("rho", 0.999), ("epsilon", 1e-5)), NO_CHAPTER),
                              }))


# No chapter trains the rules on the language models (they train with SGD at lr 100 alone, gradients clipped to a
# global norm of 0.01). Clipped so hard, each of rnn's ~99,000 gradients is ~1e-5: below the later edition's epsilons,
# which then set the adaptive rules' step sizes. Rates chosen by training `rnn` 40 epochs on the Time Machine
# (perplexity, scratch, seed 0): momentum 0.5 at 50 takes SGD's step in the long run (lr / (1 - momentum) = 100);
# adam at 0.003 (9.7; 0.001: 13.9, 0.01: 11.5, 0.03: 22.6); rmsprop at 0.1 (9.3; 0.03: 13.4); adagrad at 0.1 (9.3;
# 0.3: 32.1); SGD's own 9.1. AdaDelta keeps the later edition's: its step is about g itself while g is below
# epsilon, so under this clipping it learns only the characters' frequencies (22.6 at every rho and epsilon tried;
# 21.2 after 200 epochs) and trains only with the clipping raised (--clip 1: 12.1 after 40 epochs).
ON_TEXT_SOURCE = "no chapter on text; chosen by training rnn (docs/models.md)"
ON_TEXT = RuleRecipes("measured", "no chapter trains the rules on text: rates chosen by training rnn under the "
                      "chapters' clipping; adadelta keeps the later edition's", MappingProxyType({
                          "momentum": RuleRecipe(50.0, (("momentum", 0.5),), ON_TEXT_SOURCE),
                          "adagrad": RuleRecipe(0.1, (("epsilon", 1e-6),), ON_TEXT_SOURCE),
                          "rmsprop": RuleRecipe(0.1, (("gamma", 0.9), ("epsilon", 1e-6)), ON_TEXT_SOURCE),
                          "adam": RuleRecipe(0.003, (("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-6)),
                                             ON_TEXT_SOURCE),
                      }))


@dataclass(frozen=True)
class Optimizer:
    """One update rule and its hyperparameters (its recipe's unless given); `weight_decay` is the L2 penalty lambda on
    the weights (never the biases), as the weight-decay chapter writes it."""

    name: str = "sgd"
    hyperparameters: tuple[tuple[str, float], ...] = ()  # given ones; the recipe's fill the rest
    weight_decay: float = 0.0
    learning_rate: Optional[float] = None  # None until a command resolves it: given, the recipe's, or the model's
    recipe: Optional[RuleRecipe] = None  # what it trains with unless told; None: the rule's own (`Rule.recipe`)

    def __post_init__(self) -> None:
        if self.name not in RULES:
            raise ValueError(f"unknown optimizer {self.name!r}; valid: {', '.join(OPTIMIZERS)}")
        rule, given = RULES[self.name], dict(self.hyperparameters)
        for key, value in given.items():
            if key not in rule.hyperparameters:
                takes = ", ".join(rule.hyperparameters) or "none but weight_decay"
                raise ValueError(f"{self.name} has no hyperparameter {key!r}; it takes {takes}")
            _check_value(key, value)
        _check_value("weight_decay", self.weight_decay)
        if self.learning_rate is not None:
            _check_value("learning_rate", self.learning_rate)
        if self.name == "momentum" and self.values["momentum"] == 0:  # MXNet then keeps no velocity at all
            raise ValueError("momentum 0 is plain SGD: use --optimizer sgd")

    @functools.cached_property  # derived from the frozen fields, once (cached_property writes __dict__ directly)
    def values(self) -> Mapping[str, float]:
        """Every hyperparameter of the rule: the given ones over the recipe's defaults."""
        return {**dict(self.defaults.hyperparameters), **{key: float(value) for key, value in self.hyperparameters}}

    @property
    def rule(self) -> Rule:
        return RULES[self.name]

    @property
    def defaults(self) -> RuleRecipe:
        """The recipe that fills what was not given: the model's for this rule, else the rule's own."""
        return self.recipe or self.rule.recipe

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
        """Whether weight decay reaches `parameter`: the weights (`fc1.weight`, and a recurrent layer's
        `rnn.i2h_weight`, `rnn.h2h_weight`), never the biases (the chapter's choice)."""
        return self.weight_decay > 0 and parameter.rsplit(".", 1)[-1].endswith("weight")

    def with_learning_rate(self, given: Optional[float], model_rate: float) -> "Optimizer":
        """This optimizer with its learning rate resolved: the one given, else its recipe's, else (sgd, and
        adadelta, which takes none) the model's recipe's."""
        if self.learning_rate is not None:
            return self
        rate = given if given is not None else self.defaults.learning_rate or model_rate
        return dataclasses.replace(self, learning_rate=rate)

    def describe(self) -> str:
        """'adam (lr 0.1, beta1 0.9, beta2 0.999, epsilon 1e-08)', with weight decay when there is some."""
        rate = [] if self.learning_rate is None or self.name == "adadelta" else [f"lr {self.learning_rate:g}"]
        parts = rate + [f"{key} {value:g}" for key, value in self.values.items()]
        if self.weight_decay:
            parts.append(f"weight decay {self.weight_decay:g}")
        return self.name + (f" ({', '.join(parts)})" if parts else "")

    @classmethod
    def from_recorded(cls, recorded: Mapping[str, object]) -> "Optimizer":
        """The rule as `recorded()` wrote it, every hyperparameter given, its learning rate withheld (None); a
        ValueError (or KeyError) where it is not one."""
        rule = RULES[str(recorded["name"])]
        return cls(rule.name, tuple((key, recorded[key]) for key in rule.hyperparameters if key in recorded),
                   recorded.get("weight_decay") or 0.0)  # type: ignore[arg-type]

    def recorded(self) -> dict[str, object]:
        """As the results file records it, with where the defaults came from."""
        rate = None if self.name == "adadelta" else self.learning_rate  # adadelta takes none
        return {"name": self.name, "learning_rate": rate, **self.values,
                "weight_decay": self.weight_decay, "defaults": self.defaults.source}


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

