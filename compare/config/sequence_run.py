"""`run` for a language model (`rnn`, `gru`, `lstm`): what it trains on (the text), by which recipe (the chapters'
unless told), which implementations, where, and which files it writes. Resolved from the same options as the
image models' `RunConfig`; the options that only the image models take are refused in one line. No mxnet."""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from compare.config.options import Options
from compare.devices.contexts import ContextSpec, parse_contexts
from compare.errors import UsageError
from compare.measuring.mxnet_settings import MXNetChoice
from compare.validation import MAX_WEIGHT_SCALE, check_implementations, check_learning_rate, check_seed
from implementations.optimizers import SGD, Optimizer
from implementations.sequence_registry import SAMPLINGS, SequenceEntry, sequence_models

DEFAULT_MAX_CHARS = 10_000  # the chapters keep their text's first 10,000 characters
MAX_HIDDENS = 8192  # an LSTM of 8,192 units already holds 4 x 8,192^2 h2h weights: 1 GiB in float32
# what only the image models take, each with why: refused for a language model rather than ignored
IMAGE_ONLY = {
    "limit": "its text is cut by --max-chars",
    "target_accuracy": "a language model reports perplexity, not accuracy",
    "kvstore": "it trains on one context (the chapters train on one)",
    "precision": "it computes in float32 only",
    "save_params": "not offered for the language models yet",
    "data_dir": "it reads its text from --text",
}
# what only the language models take: refused for an image model
SEQUENCE_ONLY = ("sampling", "clip", "text", "num_steps", "num_hiddens", "max_chars", "prefixes", "holdout")


def check_hiddens(value: int) -> None:
    """UsageError unless 1 <= value <= MAX_HIDDENS (a bad value, not a model that fails to allocate)."""
    if not 1 <= value <= MAX_HIDDENS:
        raise UsageError(f"--num-hiddens must be 1 to {MAX_HIDDENS:,}, got {value:,}")


def check_one_batch(config: object) -> None:
    """What `bench` and `profile` of a language model time, validated: one batch (`batch_size` x `num_steps`) of a
    model of `num_hiddens` units, from `seed`, of the implementations named (a UsageError for a bad value)."""
    check_seed(config.seed, "--seed")  # type: ignore[attr-defined]
    check_implementations(config.implementations)  # type: ignore[attr-defined]
    check_hiddens(config.num_hiddens)  # type: ignore[attr-defined]
    sizes = (("--batch-size", config.batch_size), ("--num-steps", config.num_steps))  # type: ignore[attr-defined]
    for flag, value in sizes:
        if value < 1:
            raise UsageError(f"{flag} must be at least 1, got {value}")


def is_sequence_model(model: object) -> bool:
    """Whether `model` names one of the language models."""
    return isinstance(model, str) and model in sequence_models()


def one_context(model: str, options: Options, verb: str) -> ContextSpec:
    """The one context a language model `verb` on (--ctx, default cpu); a list is refused in one line."""
    contexts = options.contexts() or parse_contexts("cpu")
    if len(contexts) > 1:
        raise UsageError(f"--ctx: --model {model} {verb} on one context, got {len(contexts)}")
    return contexts[0]


def refuse_launch(model: str) -> None:
    """`launch` takes no language model: they train, check and time on one context, in one process."""
    raise UsageError(f"launch: --model {model} is a language model, which trains, is checked and is timed in one "
                     "process on one context; run it without launch")


def refuse_image_options(model: str, options: Options, image_only: dict[str, str]) -> None:
    """A UsageError for a language model given an option only the image models take (`image_only`: each with why)."""
    for name, why in image_only.items():
        if options.get(name) is not None:
            raise UsageError(f"--{name.replace('_', '-')} does not apply to --model {model}: {why}")


def refuse_sequence_options(model: str, options: Options) -> None:
    """A UsageError for an image model given an option only the language models take."""
    for name in SEQUENCE_ONLY:
        if options.get(name) is not None:
            flag = "--" + name.replace("_", "-")
            raise UsageError(f"{flag} applies to the language models ({', '.join(sequence_models())}), "
                             f"not --model {model}")


def update_rule(model: str, options: Options, learning_rate: Optional[float]) -> Optimizer:
    """The one update rule a language model trains, is checked or timed with (--optimizer, --optimizer-params,
    --weight-decay; the chapters' plain SGD unless told), its learning rate resolved: `learning_rate` if given,
    else the rule's recipe on text, else (sgd; adadelta takes none) the model's chapter recipe's."""
    optimizers = options.optimizers(sequence_models()[model].recipe.rules)
    if len(optimizers) > 1:
        raise UsageError(f"--optimizer/--weight-decay: --model {model} takes one update rule at a time, got "
                         f"{len(optimizers)}; run it once for each")
    if learning_rate is not None:
        check_learning_rate(learning_rate)
    if learning_rate is not None and optimizers[0].name == "adadelta":
        raise UsageError("--lr: adadelta takes no learning rate (its step is sqrt(delta + eps) / sqrt(s + eps) * g)")
    return optimizers[0].with_learning_rate(learning_rate, sequence_models()[model].recipe.learning_rate)


@dataclass(frozen=True)
class SequenceRecipeChoice:
    """How a language model trains: the chapter's `train_and_predict_rnn` arguments, each as given or the recipe's."""

    epochs: int
    batch_size: int
    num_steps: int  # characters per sequence: the time steps of one batch
    learning_rate: float  # the update rule's (`optimizer`'s), on the mean loss per character
    clipping_theta: float  # the global gradient norm clipped to
    sampling: str  # "random" (state begun every batch) or "consecutive" (carried over, detached)
    optimizer: Optimizer = SGD  # the update rule, its learning rate resolved (the chapters': plain SGD)

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "num_steps"):
            if getattr(self, name) < 1:
                raise UsageError(f"--{name.replace('_', '-')} must be at least 1, got {getattr(self, name)}")
        check_learning_rate(self.learning_rate)
        if not (math.isfinite(self.clipping_theta) and self.clipping_theta > 0):
            raise UsageError(f"--clip must be a positive number (the global gradient norm clipped to), got "
                             f"{self.clipping_theta}")
        if self.sampling not in SAMPLINGS:
            raise UsageError(f"unknown --sampling {self.sampling!r}; valid: {', '.join(SAMPLINGS)}")


@dataclass(frozen=True)
class TextChoice:
    """Which text: the embedded Time Machine (`path` None) or a file; its first `max_chars` characters (None: all).
    Prefixes the models predict from: empty means the text's defaults (`compare.data.text.default_prefixes`)."""

    path: Optional[Path] = None
    max_chars: Optional[int] = DEFAULT_MAX_CHARS
    prefixes: tuple[str, ...] = ()
    holdout: Optional[float] = None  # the share of the text, at its end, kept out of training (run only)

    def __post_init__(self) -> None:
        if self.max_chars is not None and self.max_chars < 1:
            raise UsageError(f"--max-chars must be at least 1, got {self.max_chars}")
        if self.holdout is not None and not (math.isfinite(self.holdout) and 0 < self.holdout < 1):
            raise UsageError(f"--holdout must be a share of the text between 0 and 1, e.g. 0.2, got {self.holdout}")
        for prefix in self.prefixes:
            if not prefix:
                raise UsageError("--prefixes: a prefix is empty; give comma-separated text, e.g. 'The Time,He'")


class OfALanguageModel:
    """What run's, check's and bench's configs of a language model share: the registry's entry, and launch refused."""

    model: str

    @property
    def entry(self) -> SequenceEntry:
        return sequence_models()[self.model]

    def check_launchable(self, workers: int) -> None:
        refuse_launch(self.model)


@dataclass(frozen=True)
class SequenceRunConfig(OfALanguageModel):
    """`run --model rnn|gru|lstm`, validated: every field is what runs (no None left to resolve but the text's)."""

    model: str
    recipe: SequenceRecipeChoice
    text: TextChoice = TextChoice()
    implementations: tuple[str, ...] = ()  # built-in names; empty: all four
    seed: int = 0
    context: ContextSpec = parse_contexts("cpu")[0]
    num_hiddens: int = 256
    init: str = "normal"
    weight_scale: float = 0.01
    mxnet: MXNetChoice = MXNetChoice()
    json_path: Optional[Path] = None
    quiet: bool = False
    plots_dir: Optional[Path] = None  # perplexity per epoch and characters/s as PNGs

    def __post_init__(self) -> None:
        check_seed(self.seed, "--seed")
        check_implementations(self.implementations)
        known = [builtin.name for builtin in self.entry.builtins]
        for name in self.implementations:
            if name not in known:
                raise UsageError(f"--impl {name!r}: --model {self.model} has the built-ins {', '.join(known)} "
                                 "(a language model takes no other implementation yet)")
        check_hiddens(self.num_hiddens)
        if self.init != "normal":
            raise UsageError(f"--init {self.init}: the language models draw N(0, scale) as the chapters do; "
                             "give --init normal")
        if not (math.isfinite(self.weight_scale) and 0 < self.weight_scale <= MAX_WEIGHT_SCALE):
            raise UsageError(f"--weight-scale must be a positive number up to {MAX_WEIGHT_SCALE:g}, "
                             f"got {self.weight_scale}")

    @property
    def implementation_names(self) -> tuple[str, ...]:
        """The built-ins trained, in the registry's order unless named."""
        return self.implementations or tuple(builtin.name for builtin in self.entry.builtins)

    @classmethod
    def resolve(cls, model: str, implementations: tuple[str, ...], options: Options) -> "SequenceRunConfig":
        """The config the options give (flags or keywords); what is left out is the model's chapter recipe."""
        refuse_image_options(model, options, IMAGE_ONLY)
        seeds = options.seeds(0)
        if len(seeds) > 1:
            raise UsageError(f"--seeds/--repeats: --model {model} trains from one --seed for now")
        context = one_context(model, options, "trains")
        recipe = sequence_models()[model].recipe
        optimizer = update_rule(model, options, options.number("learning_rate"))
        choice = SequenceRecipeChoice(
            _or(options.whole("epochs"), recipe.epochs), _or(options.whole("batch_size"), recipe.batch_size),
            _or(options.whole("num_steps"), recipe.num_steps), optimizer.learning_rate,
            _or(options.number("clip"), recipe.clipping_theta), _or(options.get("sampling"), recipe.samplings[-1]),
            optimizer)
        max_chars = options.whole("max_chars")
        text = TextChoice(options.path("text"), DEFAULT_MAX_CHARS if max_chars is None else max_chars,
                          _prefixes(options.get("prefixes")), options.number("holdout"))
        progress = options.flag("progress")
        return cls(model, choice, text, tuple(implementations), seeds[0], context,
                   _or(options.whole("num_hiddens"), recipe.num_hiddens), _or(options.get("init"), recipe.init),
                   _or(options.number("weight_scale"), recipe.weight_scale), options.mxnet(),
                   options.file_path("json"), bool(progress is not None and not progress), options.path("plots"))


def _or(value: object, default: object):  # type: ignore[no-untyped-def]
    return default if value is None else value


def _prefixes(value: object) -> tuple[str, ...]:
    """prefixes: "The Time,He" or a list of strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(value.split(","))
    if isinstance(value, (list, tuple)) and all(isinstance(part, str) for part in value):
        return tuple(value)
    raise UsageError(f"prefixes must be text (comma-separated) or a list of strings, got {value!r}")
