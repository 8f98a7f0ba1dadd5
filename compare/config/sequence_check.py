"""`check` for a language model (`rnn`, `gru`, `lstm`): a few consecutive (or random) batches of the text, every
implementation against `scratch` over time. Resolved from the same options as the image models' `CheckConfig`;
what only the image models take is refused in one line. No mxnet."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from compare.config.options import Options
from compare.config.sequence_run import (
    DEFAULT_MAX_CHARS,
    OfALanguageModel,
    SequenceRecipeChoice,
    TextChoice,
    check_hiddens,
    one_context,
    refuse_image_options,
    update_rule,
)
from compare.devices.contexts import ContextSpec, parse_contexts
from compare.measuring.mxnet_settings import MXNetChoice
from compare.validation import MAX_STEPS, check_bounded, check_implementations, check_seed
from implementations.sequence_registry import sequence_models

# check's batch and sequence length: square, so inputs read along the wrong axis keep their shape and are named
CHECK_BATCH = CHECK_NUM_STEPS = 8
CHECK_STEPS = 3  # batches, each one update: the third shows a state carried twice
REFERENCE = "scratch"  # what every other implementation is held to (and its float64 twin, to float32's noise)
IMAGE_ONLY = {
    "synthetic": "it reads its text (--text)", "data_dir": "it reads its text from --text",
    "kvstore": "it is checked on one context", "precision": "it is checked in float32"}


@dataclass(frozen=True)
class SequenceCheckConfig(OfALanguageModel):
    """`check --model rnn|gru|lstm`, validated."""

    model: str
    recipe: SequenceRecipeChoice  # epochs unused: check takes `steps` batches
    text: TextChoice = TextChoice()
    implementations: tuple[str, ...] = ()  # as given (names, module:attr); empty: every built-in but scratch
    seed: int = 0
    context: ContextSpec = parse_contexts("cpu")[0]
    num_hiddens: int = 256
    mxnet: MXNetChoice = MXNetChoice()
    json_path: Optional[Path] = None

    def __post_init__(self) -> None:
        check_seed(self.seed, "--seed")
        check_implementations(self.implementations)
        check_bounded("--steps", self.recipe.epochs, 1, MAX_STEPS)
        check_hiddens(self.num_hiddens)

    @property
    def steps(self) -> int:
        """Batches checked, each one update (the recipe's `epochs` field holds it)."""
        return self.recipe.epochs

    @classmethod
    def resolve(cls, model: str, implementations: tuple[str, ...], options: Options) -> "SequenceCheckConfig":
        refuse_image_options(model, options, IMAGE_ONLY)
        context = one_context(model, options, "is checked")
        recipe = sequence_models()[model].recipe
        steps, batch_size = options.whole("steps"), options.whole("batch_size")
        if steps is not None:
            check_bounded("--steps", steps, 1, MAX_STEPS)  # before it is carried as the recipe's epochs
        optimizer, clip = update_rule(model, options, options.number("learning_rate")), options.number("clip")
        sampling, num_steps = options.get("sampling"), options.whole("num_steps")
        choice = SequenceRecipeChoice(
            CHECK_STEPS if steps is None else steps, CHECK_BATCH if batch_size is None else batch_size,
            CHECK_NUM_STEPS if num_steps is None else num_steps, optimizer.learning_rate,
            recipe.clipping_theta if clip is None else clip, recipe.samplings[-1] if sampling is None else sampling,
            optimizer)
        max_chars, hiddens = options.whole("max_chars"), options.whole("num_hiddens")
        text = TextChoice(options.path("text"), DEFAULT_MAX_CHARS if max_chars is None else max_chars)
        seed = options.whole("seed")
        return cls(model, choice, text, tuple(implementations), 0 if seed is None else seed, context,
                   recipe.num_hiddens if hiddens is None else hiddens, options.mxnet(), options.file_path("json"))
