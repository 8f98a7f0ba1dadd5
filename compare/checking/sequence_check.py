"""`check` for a language model: the reference (`scratch`, Gluon's parameterisation on raw NDArray) measured in
float32 and in float64 over the probe's batches; every other implementation measured the same way and held, row by
row, to float32's own noise (`tolerance.allowed_error`). The first row beyond it, in the order the computation
runs, is the difference; everything after it follows from it and is not judged apart. Why it differs is measured
(`sequence_causes`); a built-in's known difference of that kind is accepted. Then whether `detach` cuts the graph.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import Iterator, Optional

import numpy as np

from compare.checking.mxnet_updater import MXNetUpdater
from compare.checking.sequence_causes import DETACH_WORDS, SequenceEvidence, diagnose
from compare.checking.sequence_judged import judged_by_weights, judged_rows
from compare.checking.sequence_probe import (
    Quantity,
    SequenceProbe,
    change_under_a_loose_clip,
    gradient_through_detach,
    measure,
)
from compare.checking.tolerance import HELD_TO, Noise, allowed_error, own_noise
from compare.errors import one_line
from compare.loading import Implementation
from compare.results.sequence_check_types import SequenceRow, SequenceVerdict
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from implementations.protocol import Devices
from implementations.registry import update_rule_difference, updating_by
from implementations.sequence_spec import SequenceSpec

HELD = HELD_TO  # what every row is held to, in words (the image models' check holds the same)
ONE_BIAS_NOTE = ("one bias per gate, as the chapters' get_params writes it: held to the reference with its h2h "
                 "biases frozen at zero (the same function; Gluon's two biases step twice as fast)")
CHAPTER_NOTE = ("the gru chapter's own equations, the reset gate before the product ((R * H) W_hh) and one bias per "
                "gate: held to them, where Gluon's GRU multiplies the reset gate in after the product")
CHAPTER_TWO_BIASES_NOTE = ("the gru chapter's own equations, the reset gate before the product ((R * H) W_hh + b_hn), "
                           "with Gluon's two biases per gate: held to them")

MXNET_NOTE = "updating by MXNet's optimizer of the rule (gluon.Trainer's), held to it: {}"
MXNET_ONE_BIAS_NOTE = ("one bias per gate, as the chapters' get_params writes it, updating by MXNet's optimizer of "
                       "the rule, held to both: {}")


@dataclass(frozen=True)
class SequenceCheckJob:
    """What every implementation is checked on: the spec, the probe, the seed's initial weights, where it runs."""

    spec: SequenceSpec
    probe: SequenceProbe
    initial: dict
    devices: Devices


@dataclass(frozen=True)
class Reference:
    """The reference measured twice: float32 (its own rounding: the noise) and float64 (what every row is held
    to)."""

    float32: dict  # (name, batch) -> array
    float64: dict
    order: list  # [Quantity] of the float64 run: names, kinds, batches in computation order

    @functools.cached_property
    def undecidable_from(self) -> float:
        """`undecidable_from(self)`, found once for every implementation held to this reference."""
        return undecidable_from(self)


class References:
    """The reference measured once; the chapters' correct alternatives to it (one bias per gate; the gru chapter's
    own equations) measured when first needed, each with the note a verdict held to it carries."""

    def __init__(self, scratch_class: type, job: SequenceCheckJob, chapter_class: Optional[type] = None) -> None:
        self.job = job
        self.plain = measure_reference(scratch_class, job)
        # (note, model class, one bias per gate?)
        self.choices = [(ONE_BIAS_NOTE, scratch_class, True)]
        if chapter_class is not None:
            self.choices += [(CHAPTER_NOTE, chapter_class, True), (CHAPTER_TWO_BIASES_NOTE, chapter_class, False)]
        difference = update_rule_difference(job.probe.optimizer)
        if difference is not None:  # MXNet's formula of the rule, as the Gluon built-ins' Trainer computes it
            through_mxnet = type(f"{scratch_class.__name__}ByMXNet", (scratch_class,), {"updater": MXNetUpdater})
            self.choices += [(MXNET_NOTE.format(difference.cause), through_mxnet, False),
                             (MXNET_ONE_BIAS_NOTE.format(difference.cause), through_mxnet, True)]
        self._measured: dict[str, Reference] = {}

    def alternatives(self) -> "Iterator[tuple[str, Reference]]":
        for note, model_class, one_bias in self.choices:
            if note not in self._measured:
                self._measured[note] = measure_reference(model_class, self.job, one_bias_per_gate=one_bias)
            yield note, self._measured[note]


def _values(quantities: list[Quantity]) -> dict:
    return {(quantity.name, quantity.batch): quantity.value for quantity in quantities}


def built(factory, job: SequenceCheckJob):  # type: ignore[no-untyped-def]
    """`factory(spec, devices)` updating by the probe's rule, loaded with the seed's weights."""
    model = factory(job.spec, job.devices)
    updating_by(model, job.probe.optimizer)
    model.load_parameters(job.initial)
    return model


def measure_model(factory, job: SequenceCheckJob) -> list[Quantity]:  # type: ignore[no-untyped-def]
    """`factory(spec, devices)` updating by the probe's rule, loaded with the seed's weights, measured over the
    probe."""
    model = built(factory, job)
    return measure(model, job.spec, job.probe, job.devices.context)


def measure_reference(scratch_class: type, job: SequenceCheckJob, one_bias_per_gate: bool = False) -> Reference:
    """`scratch_class` measured in float32 and float64; `one_bias_per_gate`: with its h2h biases frozen at zero."""
    def build(dtype: str):  # type: ignore[no-untyped-def]
        def factory(spec: SequenceSpec, devices: Devices):  # type: ignore[no-untyped-def]
            model = scratch_class(spec, devices, dtype=dtype)
            return OneBiasPerGate(model) if one_bias_per_gate else model
        return factory

    float64 = measure_model(build("float64"), job)
    return Reference(_values(measure_model(build("float32"), job)), _values(float64), float64)


class OneBiasPerGate:
    """A scratch model with its h2h biases frozen at zero (they start at zero): the chapters' `get_params`, one
    bias per gate, in Gluon's parameterisation. Its h2h bias gradients are zeroed as soon as they are read after a
    backward, so clipping does not count them and the update does not move them."""

    def __init__(self, model) -> None:  # type: ignore[no-untyped-def]
        self.model = model
        self.frozen = f"{model.spec.cell}.h2h_bias"

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.model, name)

    def gradients(self) -> dict:
        self.model.params[self.frozen].grad[:] = 0
        return self.model.gradients()

    def clip_gradients(self, theta: float) -> None:
        self.model.params[self.frozen].grad[:] = 0
        self.model.clip_gradients(theta)


def held_to_the_closest(actual: dict, references: References) -> tuple[list[SequenceRow], Reference, str]:
    """The rows against the reference; where one fails, against each correct alternative in turn: the first that
    every row passes (with its note), else the one the implementation agrees with longest (the latest first
    difference in computation order, with its note), which the diagnosis then reads."""
    rows = compare_rows(actual, references.plain)
    best = (_agreeing(rows), rows, references.plain, "")
    if best[0] == len(rows):
        return rows, references.plain, ""
    for note, reference in references.alternatives():
        rows = compare_rows(actual, reference)
        if _agreeing(rows) == len(rows):
            return rows, reference, note
        best = max(best, (_agreeing(rows), rows, reference, note), key=lambda item: item[0])
    return best[1], best[2], best[3]  # the note says what it was held to (shown where it passes)


def _agreeing(rows: list[SequenceRow]) -> int:
    """How many rows pass before the first that does not."""
    return next((index for index, row in enumerate(rows) if not row.passed), len(rows))


def undecidable_from(reference: Reference) -> float:
    """The first batch the reference itself cannot decide (inf where it decides them all): where, over all of a
    batch's logits, its loss or all of its gradients together, its float32 run is UNJUDGEABLE of their size from
    float64, or not finite. Whole batches and whole sets, so one small gradient that cancels stops nothing."""
    by_batch: dict[tuple[int, str], list] = {}
    for quantity in reference.order:
        if quantity.kind in ("logits", "loss", "gradient before clipping"):
            by_batch.setdefault((quantity.batch, quantity.kind), []).append((quantity.name, quantity.batch))
    for (batch, _), keys in sorted(by_batch.items()):
        single = np.concatenate([np.ravel(reference.float32[key]) for key in keys])
        double = np.concatenate([np.ravel(reference.float64[key]) for key in keys])
        if not (np.all(np.isfinite(single)) and np.all(np.isfinite(double))):
            return batch
        if np.linalg.norm(single - double) > UNJUDGEABLE * max(float(np.linalg.norm(double)), 1e-300):
            return batch
    return math.inf


def compare_rows(actual: dict, reference: Reference) -> list[SequenceRow]:
    """Every quantity of the reference, in order, against the implementation's."""
    rows = []
    chaotic_from = reference.undecidable_from
    for quantity in reference.order:
        key = (quantity.name, quantity.batch)
        expected, mine = reference.float64[key], actual.get(key)
        noise = own_noise(reference.float32[key], expected)
        allowed = allowed_error(Noise(noise), expected)
        decidable = quantity.batch < chaotic_from
        if mine is None and quantity.kind == "state":
            continue  # the per-step states could not be read off this model (see `state_per_step`)
        if mine is None and quantity.kind == "optimizer state":
            continue  # it reports no rule state (`optimizer_state` is optional): its weights tell
        row = SequenceRow(quantity.kind, quantity.name, quantity.batch, 0.0, allowed, decidable=bool(decidable))
        if mine is None:
            row = dataclasses.replace(row, problem="not measured (its shape differs: see the logits)")
        elif mine.shape != expected.shape:
            row = dataclasses.replace(row, problem=f"shape {mine.shape}, expected {expected.shape}")
        elif not np.all(np.isfinite(mine)):
            bad = int(np.count_nonzero(~np.isfinite(mine)))
            row = dataclasses.replace(row, problem=f"{bad:,} of {mine.size:,} values inf/NaN")
        elif decidable:
            row = dataclasses.replace(row, error=float(np.abs(mine - expected).max(initial=0.0)))
        rows.append(row)
    return rows


def check_one(implementation: Implementation, job: SequenceCheckJob, references: "References") -> SequenceVerdict:
    """One implementation's verdict: its rows, the first difference and why, or its exception. One bias per gate
    (the chapters' parameterisation) is held to the reference with its h2h biases frozen, and said."""
    verdict = SequenceVerdict(implementation.name)
    try:
        quantities = measure_model(implementation.factory, job)
        actual = _values(quantities)
        verdict.rows, reference, verdict.note = held_to_the_closest(actual, references)
        verdict.rows, verdict.unjudged = judged_rows(verdict.rows)
        verdict.rows, verdict.note = judged_by_weights(verdict.rows, verdict.note)
        verdict.first = next((row for row in verdict.rows if not row.passed), None)
        if verdict.first is None:
            verdict.first, verdict.cause = detach_row(implementation, job)
            return verdict
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS as error:  # the learner's code, building, measured or probed
        verdict.error, verdict.rows, verdict.first = one_line(error), [], None
        return verdict
    # a built-in's known difference is not accepted here: the chapters' formulations are references of their own
    evidence = SequenceEvidence(job.spec, job.probe, job.initial, actual, reference.float64)  # its own reference
    verdict.cause = diagnose(verdict.first, evidence)
    return verdict


# a reference whose own float32 run is this far from float64 (a share of the values' size) decides nothing: its
# rounding, ~1e-7 of the values in a well-conditioned step, has grown ten-thousandfold (chaotic training)
UNJUDGEABLE = 1e-3
LOOSE_CLIP_NOISE = 1e-6  # Gluon's clip_global_norm divides by norm + 1e-8: below theta it leaves them exactly


def detach_row(implementation: Implementation, job: SequenceCheckJob) -> tuple[Optional[SequenceRow], str]:
    # runs the learner's code: the caller catches what it raises
    """Two probes of a fresh copy, after every row passed: under consecutive sampling, whether a backward from the
    state `detach` returns reaches the parameters; then whether clipping leaves gradients below theta alone."""
    if job.probe.sampling == "consecutive":
        model = built(implementation.factory, job)
        reached = gradient_through_detach(model, job.probe, job.devices.context)
        if reached != 0:
            return (SequenceRow("detach", "gradient through the detached state", 1, reached, 0.0),
                    DETACH_WORDS.format(reached))
    model = built(implementation.factory, job)
    moved = change_under_a_loose_clip(model, job.probe, job.devices.context)
    if moved <= LOOSE_CLIP_NOISE:
        return None, ""
    return (SequenceRow("clipping", "gradients clipped at ten times their norm", 1, moved, LOOSE_CLIP_NOISE),
            "clip_gradients changes the gradients although their global norm is a tenth of theta (the largest "
            f"moves by {moved:.3g} of the largest gradient): the chapters' clipping only ever scales down, "
            "min(1, theta / norm), and leaves gradients below theta as they are")
