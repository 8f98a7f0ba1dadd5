"""The language models (`rnn`, `gru`, `lstm`) and their built-ins, with the chapters' recipes: kept apart from
`registry.MODELS` (the image models, which the contract tests feed images): `run`, `check` and `bench` take them
by their own configs (`compare/config/sequence_*.py`). Listing them imports no mxnet.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from implementations.gru.spec import GRUSpec
from implementations.lstm.spec import LSTMSpec
from implementations.optimizers import ON_TEXT, SGD, Optimizer, RuleRecipes
from implementations.protocol import Devices
from implementations.registry import BuiltIn, KnownDifference, tutorial_pair, updating_by
from implementations.rnn.spec import RNNSpec
from implementations.sequence_protocol import SequenceModel
from implementations.sequence_spec import SequenceSpec

SequenceFactory = Callable[[SequenceSpec, Devices], SequenceModel]
SAMPLINGS = ("random", "consecutive")


@dataclass(frozen=True)
class SequenceRecipe:
    """A language model's chapter recipe (train_and_predict_rnn's arguments)."""

    epochs: int  # 200 in the rnn chapters, 160 in the gru and lstm chapters
    samplings: tuple[str, ...]  # the rnn-scratch chapter trains with each; the others with consecutive only
    learning_rate: float = 100.0  # SGD on the mean loss: the chapters' sgd(params, lr, 1)
    clipping_theta: float = 0.01  # gradients clipped to this global L2 norm
    batch_size: int = 32
    num_steps: int = 35
    num_hiddens: int = 256
    init: str = "normal"
    weight_scale: float = 0.01
    pred_len: int = 50  # characters predicted after each prefix
    pred_period: int = 50  # epochs between predictions: 50 in the rnn chapters, 40 in the gru and lstm chapters
    rules: RuleRecipes = ON_TEXT  # each update rule's learning rate and hyperparameters (no chapter's: see there)


@dataclass(frozen=True)
class SequenceEntry:
    """A language model: its spec class, its chapters (from scratch, with Gluon), recipe and built-ins."""

    name: str
    spec_class: type  # a SequenceSpec subclass
    chapters: tuple[str, str]
    recipe: SequenceRecipe
    builtins: tuple[BuiltIn, ...]

    def spec(self, vocab_size: int, num_hiddens: Optional[int] = None, init: Optional[str] = None,
             weight_scale: Optional[float] = None) -> SequenceSpec:
        """The spec for a vocabulary of `vocab_size` characters, with the recipe's sizes and init unless given."""
        recipe = self.recipe
        hiddens = recipe.num_hiddens if num_hiddens is None else num_hiddens
        return self.spec_class(vocab_size=vocab_size, num_hiddens=hiddens, init=init or recipe.init,
                               weight_scale=recipe.weight_scale if weight_scale is None else weight_scale)


ONE_BIAS_PER_GATE = KnownDifference(
    kinds=("gradient", "weights"), legitimate=True,
    cause="its get_params keeps one bias per gate where Gluon's layer keeps two (i2h and h2h): the same function, "
          "but Gluon steps both by the same gradient (the sum moves twice as fast) and its clipping norm counts that "
          "gradient twice",
)

CHAPTER_GRU = KnownDifference(
    kinds=("state", "logits", "gradient", "weights"), legitimate=True,
    cause="the chapter's GRU multiplies the reset gate in before the product, (R * H) W_hh, where Gluon's rnn.GRU "
          "(cuDNN's formulation) multiplies it in after, R * (H W_hh + b): another function from the second time "
          "step on; and one bias per gate, as for the other chapters",
)

SEQUENCE_MODELS = (
    SequenceEntry("rnn", RNNSpec, ("rnn-scratch", "rnn-gluon"), SequenceRecipe(epochs=200, samplings=SAMPLINGS),
                  tutorial_pair("rnn", "RNN", ONE_BIAS_PER_GATE)),
    SequenceEntry("gru", GRUSpec, ("gru", "gru"), SequenceRecipe(epochs=160, samplings=("consecutive",),
                                                                 pred_period=40),
                  tutorial_pair("gru", "GRU", CHAPTER_GRU)),
    SequenceEntry("lstm", LSTMSpec, ("lstm", "lstm"), SequenceRecipe(epochs=160, samplings=("consecutive",),
                                                                    pred_period=40),
                  tutorial_pair("lstm", "LSTM", ONE_BIAS_PER_GATE)),
)


def sequence_models() -> dict[str, SequenceEntry]:
    """Every language model by name, in registry order."""
    return {entry.name: entry for entry in SEQUENCE_MODELS}


def build_sequence_model(factory: SequenceFactory, spec: SequenceSpec, devices: Devices, seed: int,
                         optimizer: Optimizer = SGD) -> SequenceModel:
    """`factory(spec, devices)`, updating by `optimizer`, loaded with the initial weights that `seed` gives every
    implementation. One written for plain SGD alone (no `use_optimizer`) is built under `sgd` only."""
    model = factory(spec, devices)
    updating_by(model, optimizer)
    model.load_parameters(spec.initial_parameters(seed))
    return model
