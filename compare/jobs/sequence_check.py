"""`check` for a language model as a library call: the text's first batches, the reference measured twice, every
implementation held to it; returns the verdict with the environment it was reached in. Prints nothing."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional, Sequence

from compare.config.sequence_check import REFERENCE, SequenceCheckConfig
from compare.errors import UsageError
from compare.jobs.apply_settings import apply_mxnet_settings
from compare.jobs.sequence_run import check_outputs, read_corpus

if TYPE_CHECKING:
    from compare.checking.sequence_probe import SequenceProbe
    from compare.data.text import Corpus
    from compare.loading import Entry, Implementation
    from compare.results.sequence_check_types import SequenceCheckData
    from implementations.sequence_registry import SequenceEntry


CHAPTER_EQUATIONS = {"gru": "implementations.gru.scratch:ChapterGRU"}  # where a chapter's equations are not Gluon's


def _import(target: str) -> type:
    import importlib

    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass
class SequenceCheckOutcome:
    result: "SequenceCheckData"
    environment: dict


def probe_of(config: SequenceCheckConfig, corpus: "Corpus") -> "SequenceProbe":
    """The first `steps` batches of the text by the config's sampling (random: the seed's order)."""
    import numpy as np

    from compare.checking.sequence_probe import SequenceProbe
    from compare.data.sequence_batches import sampler

    recipe = config.recipe
    batches = tuple(itertools.islice(sampler(recipe.sampling)(corpus.indices, recipe.batch_size, recipe.num_steps,
                                                              np.random.default_rng([config.seed, 1])), config.steps))
    if len(batches) < config.steps:
        raise UsageError(f"--steps {config.steps}: the text makes {len(batches)} batch(es) of {recipe.batch_size} x "
                         f"{recipe.num_steps} by {recipe.sampling} sampling; give fewer steps or more text")
    return SequenceProbe(batches, recipe.sampling, recipe.learning_rate, recipe.clipping_theta, recipe.optimizer)


def implementations_of(entry: "SequenceEntry", given: "Sequence[Entry]",
                       default: "Sequence[str]") -> "list[Implementation]":
    """The implementations named (names, module:attr strings and objects as `run` takes them; `default` where none
    is), each a class with the language models' protocol or a factory: a class lacking a method is refused in one
    line (exit 2), as an image model's that breaks its protocol is."""
    from compare.loading import Implementation, resolve_entry
    from implementations.sequence_protocol import METHODS, missing_methods

    known = {builtin.name: builtin for builtin in entry.builtins}
    resolved = [item if isinstance(item, Implementation) else resolve_entry(item, known, {})
                for item in (list(given) or list(default))]
    for implementation in resolved:
        missing = missing_methods(implementation.factory)
        if missing:
            raise UsageError(f"--impl {implementation.name}: it has no {', '.join(missing)}; a language model "
                             f"implements {', '.join(METHODS)} (implementations/sequence_protocol.py)")
    return resolved


def check_sequence(config: SequenceCheckConfig, warn: Callable[[str], None],
                   entries: "Optional[Sequence[Entry]]" = None) -> SequenceCheckOutcome:
    from compare.checking.sequence_check import HELD, References, SequenceCheckJob, check_one
    from compare.devices.contexts import resolve_context
    from compare.measuring.environment import capture_environment
    from compare.results.sequence_check_types import SequenceCheckData
    from implementations.protocol import Devices

    check_outputs(config.json_path, config.text.path)
    text = read_corpus(config)
    corpus = text.whole
    probe = probe_of(config, corpus)
    apply_mxnet_settings(config.mxnet, (config.context,), warn)
    implementations = implementations_of(config.entry, list(entries or config.implementations),
                                         [builtin.name for builtin in config.entry.builtins
                                          if builtin.name != REFERENCE])
    entry = config.entry
    spec = entry.spec(len(corpus.vocabulary), config.num_hiddens)
    job = SequenceCheckJob(spec, probe, spec.initial_parameters(config.seed),
                           Devices((resolve_context(config.context),)))
    scratch = next(builtin for builtin in entry.builtins if builtin.name == REFERENCE).factory()
    chapter = CHAPTER_EQUATIONS.get(config.model)
    references = References(scratch, job, _import(chapter) if chapter else None)
    recipe = config.recipe
    data = SequenceCheckData(
        recipe={"model": config.model, "steps": config.steps, "batch_size": recipe.batch_size,
                "num_steps": recipe.num_steps, "learning_rate": recipe.learning_rate,
                "clipping_theta": recipe.clipping_theta, "optimizer": recipe.optimizer.recorded(),
                "sampling": recipe.sampling,
                "num_hiddens": config.num_hiddens, "seed": config.seed, "reference": REFERENCE},
        text={**text.record(None), "prefixes": []}, held_to=HELD,
        verdicts=[check_one(implementation, job, references) for implementation in implementations])
    return SequenceCheckOutcome(data, capture_environment(str(config.context)))
