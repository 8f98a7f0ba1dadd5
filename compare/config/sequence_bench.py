"""`bench` for a language model (`rnn`, `gru`, `lstm`): steady-state characters per second of a training step and
of a forward pass, every implementation on the same batch of the text. Resolved from the same options as the image
models' `BenchConfig`; what only the image models take is refused in one line. No mxnet."""
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
from compare.errors import UsageError
from compare.measuring.mxnet_settings import MXNetChoice
from compare.validation import MAX_STEPS, check_bounded
from implementations.optimizers import SGD, Optimizer
from implementations.sequence_registry import sequence_models

BENCH_REPEAT = 5  # timed rounds, the implementations taking turns
BENCH_ITERATIONS = 10  # steps per timed round
IMAGE_ONLY = {"kvstore": "it is timed on one context", "precision": "it is timed in float32"}


@dataclass(frozen=True)
class SequenceBenchConfig(OfALanguageModel):
    """`bench --model rnn|gru|lstm`, validated: the chapter's batch (32 x 35) and size unless told."""

    model: str
    batch_size: int
    num_steps: int
    num_hiddens: int
    repeat: int = BENCH_REPEAT
    text: TextChoice = TextChoice()
    implementations: tuple[str, ...] = ()
    seed: int = 0
    context: ContextSpec = parse_contexts("cpu")[0]
    mxnet: MXNetChoice = MXNetChoice()
    json_path: Optional[Path] = None
    optimizer: Optimizer = SGD  # the update rule a training step takes, at its recipe's learning rate

    def __post_init__(self) -> None:
        check_one_batch(self)
        check_bounded("--repeat", self.repeat, 1, MAX_STEPS)

    @classmethod
    def resolve(cls, model: str, implementations: tuple[str, ...], options: Options) -> "SequenceBenchConfig":
        refuse_image_options(model, options, IMAGE_ONLY)
        context = one_context(model, options, "is timed")
        sizes = options.batch_sizes()
        if sizes is not None and len(sizes) > 1:
            raise UsageError(f"--batch-size: --model {model} is timed at one batch size, got {len(sizes)}")
        recipe = sequence_models()[model].recipe
        steps, hiddens, repeat = options.whole("num_steps"), options.whole("num_hiddens"), options.whole("repeat")
        max_chars, seed = options.whole("max_chars"), options.whole("seed")
        return cls(model, sizes[0] if sizes else recipe.batch_size, recipe.num_steps if steps is None else steps,
                   recipe.num_hiddens if hiddens is None else hiddens, BENCH_REPEAT if repeat is None else repeat,
                   TextChoice(options.path("text"), DEFAULT_MAX_CHARS if max_chars is None else max_chars),
                   tuple(implementations), 0 if seed is None else seed, context, options.mxnet(),
                   options.file_path("json"), update_rule(model, options, None))
