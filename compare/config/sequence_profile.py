"""`profile` for a language model (`rnn`, `gru`, `lstm`): K training steps of each implementation on one batch of
the text under MXNet's profiler, each in a fresh process. Resolved from the same options as the image models'
`ProfileConfig`; what only the image models take is refused in one line. No mxnet."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from compare.config.options import Options
from compare.config.sequence_run import (
    DEFAULT_MAX_CHARS,
    OfALanguageModel,
    TextChoice,
    check_one_batch,
    one_context,
    refuse_image_options,
    update_rule,
)
from compare.devices.contexts import ContextSpec, parse_contexts
from compare.measuring.mxnet_settings import MXNetChoice
from compare.validation import MAX_STEPS, check_bounded
from implementations.optimizers import SGD, Optimizer
from implementations.sequence_registry import sequence_models

PROFILED_STEPS = 5  # per implementation, after warm-up: a step of the chapters' batch is 35 time steps already
IMAGE_ONLY = {"kvstore": "it is profiled on one context", "precision": "it is profiled in float32"}


@dataclass(frozen=True)
class SequenceProfileConfig(OfALanguageModel):
    """`profile --model rnn|gru|lstm`, validated: the chapter's batch (32 x 35) and size unless told."""

    model: str
    batch_size: int
    num_steps: int
    num_hiddens: int
    steps: int = PROFILED_STEPS
    text: TextChoice = TextChoice()
    implementations: tuple[str, ...] = ()
    seed: int = 0
    context: ContextSpec = parse_contexts("cpu")[0]
    mxnet: MXNetChoice = MXNetChoice()
    json_path: Optional[Path] = None
    trace_dir: Optional[Path] = None  # MXNet's Chrome trace per implementation is kept here
    optimizer: Optimizer = SGD  # the update rule a profiled step takes, at its recipe's learning rate

    def __post_init__(self) -> None:
        check_one_batch(self)
        check_bounded("--steps", self.steps, 1, MAX_STEPS)

    @classmethod
    def resolve(cls, model: str, implementations: tuple[str, ...], options: Options) -> "SequenceProfileConfig":
        refuse_image_options(model, options, IMAGE_ONLY)
        context = one_context(model, options, "is profiled")
        recipe = sequence_models()[model].recipe
        batch, steps, hiddens = options.whole("batch_size"), options.whole("num_steps"), options.whole("num_hiddens")
        profiled, max_chars, seed = options.whole("steps"), options.whole("max_chars"), options.whole("seed")
        return cls(model, recipe.batch_size if batch is None else batch, recipe.num_steps if steps is None else steps,
                   recipe.num_hiddens if hiddens is None else hiddens, PROFILED_STEPS if profiled is None else profiled,
                   TextChoice(options.path("text"), DEFAULT_MAX_CHARS if max_chars is None else max_chars),
                   tuple(implementations), 0 if seed is None else seed, context, options.mxnet(),
                   options.file_path("json"), options.path("trace"),
                   update_rule(model, options, None))  # no --lr: timed at the rule's recipe
