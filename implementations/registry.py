"""The one registry of models and their built-in implementations: names, specs, chapter recipes, factories,
what `--help` lists and what `check` knows.

Adding a model is one folder (its spec and implementations) and one `ModelEntry` in `MODELS`; adding a
built-in to a model is one file in its folder and one `BuiltIn` appended to its entry's tuple. Listing names imports
no mxnet: a factory is named by `module:attr` and imported when first asked for. Implementations from
outside the package are found by `compare.loading` and built by the same `build_model`.
"""
from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import Callable, Optional

from implementations.dropout.spec import DropoutSpec
from implementations.lenet.spec import LeNetSpec
from implementations.lenet_bn.spec import LeNetBNSpec
from implementations.linear_regression.spec import LinearRegressionSpec
from implementations.mlp.spec import MLPSpec
from implementations.optimizers import LATER_EDITION, ON_LINEAR_REGRESSION, ON_WEIGHT_DECAY, SGD, Optimizer, RuleRecipes
from implementations.protocol import Devices, Model, give_rule, takes_optimizer
from implementations.softmax.spec import SoftmaxSpec
from implementations.spec_base import NetworkSpec
from implementations.weight_decay.spec import WeightDecaySpec

Factory = Callable[[NetworkSpec, Devices], Model]  # a class taking (spec, devices) is one too


@dataclass(frozen=True)
class KnownDifference:
    """Where a built-in is known to differ from `scratch`, and why: `check` shows these rows as explained
    rather than failed (an outside implementation with the same difference still fails)."""

    kinds: tuple[str, ...]  # the quantity kinds that may differ: "gradient", "weights"
    cause: str  # one line
    # a correct choice the chapter makes (not a mistake): an outside implementation that computes what this
    # built-in computes passes `check` with the difference named; UNSTABLE_SOFTMAX is the built-in's alone
    legitimate: bool = False
    measured: bool = False  # shown with its measured size even where it stays within float32's noise


@dataclass(frozen=True)
class BuiltIn:
    """A built-in implementation: its name, where its factory lives, and what `check` should expect of it."""

    name: str
    target: str  # "module:attr" of a class or function called as (spec, devices, **options)
    options: tuple[tuple[str, object], ...] = ()
    known_difference: Optional[KnownDifference] = None
    mxnet_optimizer: bool = False  # it updates through MXNet's optimizers (gluon.Trainer): their known differences

    def factory(self) -> Factory:
        """The `(spec, devices) -> Model` callable (imports its module, and so mxnet)."""
        module, _, attribute = self.target.partition(":")
        try:
            constructor = getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as error:  # a mistyped entry: one line naming it, not a traceback
            raise ImportError(f"the registry's built-in {self.name!r} names {self.target}, which cannot be loaded "
                              f"({type(error).__name__}: {error})") from error
        return functools.partial(constructor, **dict(self.options)) if self.options else constructor


@dataclass(frozen=True)
class Recipe:
    """A model's chapter recipe: what `run` trains it with unless flags say otherwise."""

    learning_rate: float  # plain SGD's
    init: str = "normal"
    weight_scale: float = 0.01
    epochs: int = 5
    batch_size: int = 256
    rules: RuleRecipes = LATER_EDITION  # each update rule's learning rate and hyperparameters on this model's data


@dataclass(frozen=True)
class ModelEntry:
    """A model: its spec, the chapters it comes from, its recipe and its built-in implementations (`scratch`,
    the reference every other one is checked against, first)."""

    name: str
    spec_class: type  # a NetworkSpec subclass, built as spec_class(init=..., weight_scale=...)
    chapters: tuple[str, str]  # the tutorial's chapters it comes from: from scratch, with Gluon
    recipe: Recipe
    builtins: tuple[BuiltIn, ...]

    def spec(self, init: Optional[str] = None, weight_scale: Optional[float] = None) -> NetworkSpec:
        """The spec with the recipe's initialisation, or the one given."""
        return self.spec_class(init=init or self.recipe.init,
                               weight_scale=self.recipe.weight_scale if weight_scale is None else weight_scale)


TUTORIAL_RELU = KnownDifference(
    kinds=("gradient", "weights"), legitimate=True,
    cause="its ReLU is maximum(x, 0), whose gradient at exactly 0 is 1 where relu's is 0; conv outputs on "
          "Fashion-MNIST's black background are exactly 0, so bias gradients and then weights differ",
)
UNSTABLE_SOFTMAX = KnownDifference(
    kinds=("layer", "logits", "loss", "gradient", "weights"),
    cause="its fc1 is nd.dot (another GEMM: ulps on N(0, 1) weights) and its loss the chapter's own softmax "
          "then -log(pick(...)): rounded unlike the fused log-sum-exp, and inf/NaN once a logit passes ~88, "
          "where the fused loss stays finite",
)
OWN_DROPOUT_MASK = KnownDifference(
    kinds=("gradient", "weights"), legitimate=True,
    cause="its dropout draws its own masks (uniform < keep) instead of calling the Dropout operator: where they "
          "differ from the operator's, so do its steps; its keep rate and 1/keep scaling are checked statistically",
)
def update_rule_difference(optimizer: Optimizer) -> Optional[KnownDifference]:
    """Where MXNet's optimizer of `optimizer`'s rule computes other than the chapter's hand-written rule (None where
    they agree): what `check` expects of a built-in that updates through gluon.Trainer."""
    if optimizer.name == "adam":
        return KnownDifference(("weights", "optimizer"), measured=True, cause=(
            "MXNet's Adam folds the bias correction into the learning rate, lr * sqrt(1 - beta2^t) / (1 - beta1^t), "
            "and adds epsilon to the uncorrected root, sqrt(s) + eps: in the chapter's terms its epsilon is "
            f"eps / sqrt(1 - beta2^t) ({1 / (1 - optimizer['beta2']) ** 0.5:.3g}x eps at the first step), so steps "
            "differ where a gradient is near it"))
    if optimizer.name in ("adagrad", "adadelta") and optimizer.weight_decay:
        return KnownDifference(("weights", "optimizer"), measured=True, cause=(
            f"MXNet's {optimizer.name} applies weight decay after its adaptive step (w -= ... + wd * w), outside the "
            "accumulated squares; the chapter's penalty is part of the gradient, so of the squares too"))
    return None


def tutorial_pair(folder: str, stem: str, tutorial_difference: Optional[KnownDifference] = None,
                  tutorial: str = "") -> tuple[BuiltIn, ...]:
    """A chapter pair's four built-ins, from `implementations.<folder>`: `scratch` (Scratch<stem>), the Gluon
    block imperative and hybridized (Gluon<stem>, updating through MXNet's optimizers), and the chapter's own
    code (Tutorial<stem>, or the `tutorial` target given)."""
    package = f"implementations.{folder}"
    gluon = f"{package}.gluon:Gluon{stem}"
    return (
        BuiltIn("scratch", f"{package}.scratch:Scratch{stem}"),
        BuiltIn("gluon", gluon, (("hybridize", False),), mxnet_optimizer=True),
        BuiltIn("gluon-hybrid", gluon, (("hybridize", True),), mxnet_optimizer=True),
        BuiltIn("tutorial", tutorial or f"{package}.tutorial:Tutorial{stem}", known_difference=tutorial_difference),
    )


MODELS = (  # the default, `lenet`, first
    ModelEntry("lenet", LeNetSpec, ("cnn-scratch", "cnn-gluon"), Recipe(learning_rate=0.2),
               tutorial_pair("lenet", "LeNet", TUTORIAL_RELU)),
    ModelEntry("softmax", SoftmaxSpec, ("softmax-regression-scratch", "softmax-regression-gluon"),
               Recipe(learning_rate=0.1, weight_scale=1.0), tutorial_pair("softmax", "Softmax", UNSTABLE_SOFTMAX)),
    # mlp's and lenet-bn's tutorials agree with scratch within tolerance: nothing to explain
    ModelEntry("mlp", MLPSpec, ("mlp-scratch", "mlp-gluon"), Recipe(learning_rate=0.5), tutorial_pair("mlp", "MLP")),
    ModelEntry("dropout", DropoutSpec, ("dropout-scratch", "dropout-gluon"), Recipe(learning_rate=0.5),
               tutorial_pair("dropout", "Dropout", OWN_DROPOUT_MASK)),
    ModelEntry("lenet-bn", LeNetBNSpec, ("batch-norm-scratch", "batch-norm-gluon"), Recipe(learning_rate=0.2),
               tutorial_pair("lenet_bn", "LeNetBN")),
    # regression on the chapters' synthetic data, drawn from the seed: squared loss, no accuracy
    ModelEntry("linear-regression", LinearRegressionSpec, ("linear-regression-scratch", "linear-regression-gluon"),
               Recipe(learning_rate=0.03, epochs=3, batch_size=10, rules=ON_LINEAR_REGRESSION),
               tutorial_pair("linear_regression", "LinearRegression")),
    ModelEntry("weight-decay", WeightDecaySpec, ("reg-scratch", "reg-gluon"),
               Recipe(learning_rate=0.003, weight_scale=1.0, epochs=100, batch_size=1, rules=ON_WEIGHT_DECAY),
               tutorial_pair("linear_regression", "LinearRegression",
                             tutorial="implementations.weight_decay.tutorial:TutorialWeightDecay")),
)
DEFAULT_MODEL = "lenet"
CHAPTER = "tutorial"  # every model's built-in that is the chapter's own code (check measures its float32 noise)


def models() -> dict[str, ModelEntry]:
    """Every model by name, in registry order."""
    return {model.name: model for model in MODELS}


def builtins(model: str = DEFAULT_MODEL) -> dict[str, BuiltIn]:
    """Every built-in implementation of `model` by name, in registry order."""
    return {builtin.name: builtin for builtin in models()[model].builtins}


def implementation_names(model: str = DEFAULT_MODEL) -> list[str]:
    """Built-in names, `scratch` (the reference) first; listing them imports no mxnet."""
    return list(builtins(model))


class NoOptimizer(TypeError):
    """The implementation updates by plain SGD only (it has no `use_optimizer`) and another rule was asked for."""


def updating_by(model: object, optimizer: Optimizer) -> None:
    """`model` given `optimizer`'s rule (`use_optimizer`); NoOptimizer where it has none and the rule is not plain
    SGD."""
    if takes_optimizer(model):
        give_rule(model, optimizer)
    elif not optimizer.plain_sgd:
        raise NoOptimizer(f"it updates by plain SGD only (it has no use_optimizer(optimizer)), not by "
                          f"{optimizer.describe()}: run it with --optimizer sgd")


def build_model(factory: Factory, spec: NetworkSpec, devices: Devices, seed: int,
                optimizer: Optimizer = SGD) -> Model:
    """`factory(spec, devices)`, updating by `optimizer`, loaded with the initial weights that `seed` gives every
    implementation. One written for plain SGD alone (no `use_optimizer`) is built under `sgd` only."""
    model = factory(spec, devices)
    updating_by(model, optimizer)
    model.load_parameters(spec.initial_parameters(seed))
    if spec.state_shapes():  # batch norm's moving averages start where the chapter starts them
        model.load_state(spec.initial_state())
    return model
