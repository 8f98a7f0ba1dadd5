"""What `run` measures of a language model (`rnn`, `gru`, `lstm`): per implementation, every epoch's perplexity and
throughput in characters per second, the text it predicts from the same prefixes, and the shapes a batch takes
through it; with the recipe, the text (its source and vocabulary) and the machine. JSON in and out. No mxnet."""
from __future__ import annotations

import json
import math
import statistics
from dataclasses import asdict, dataclass, field
from typing import Optional

from compare.results.json_io import SCHEMA_VERSION
from compare.results.types import Status

KIND = "sequence-run"  # the JSON's "kind": what `compare.load` and `diff` tell apart from an image model's run


@dataclass(frozen=True)
class SequenceEpoch:
    """One epoch: exp of the mean loss per character, its seconds (waited for: the engine synchronised) and the
    characters it trained on (batches x batch_size x num_steps)."""

    epoch: int  # 1-based
    perplexity: float
    seconds: float
    characters: int

    @property
    def characters_per_second(self) -> float:
        return self.characters / self.seconds if self.seconds > 0 else math.inf


@dataclass(frozen=True)
class ShapeStep:
    """One row of a shape trace: what it is, and its shape, over one time step or the whole sequence."""

    what: str
    shape: tuple[int, ...]


@dataclass
class SequenceResult:
    """One implementation's run: how it ended, its epochs, and its predictions by epoch (prefix -> text)."""

    name: str
    status: Status = Status.OK
    error: str = ""  # the implementation's exception in one line where it failed
    epochs: list[SequenceEpoch] = field(default_factory=list)
    predictions: dict[int, dict[str, str]] = field(default_factory=dict)  # epoch -> prefix -> predicted text
    heldout: dict[int, float] = field(default_factory=dict)  # epoch -> held-out perplexity (--holdout)
    shapes: list[ShapeStep] = field(default_factory=list)

    def perplexity(self) -> Optional[float]:
        """The last epoch's perplexity where the run ended well, else None."""
        return self.epochs[-1].perplexity if self.epochs and self.status is Status.OK else None

    def characters_per_second(self) -> Optional[float]:
        """The median epoch's rate, the first epoch left out where there are more (it builds gluon-hybrid's graph
        and warms every allocator)."""
        timed = self.epochs[1:] or self.epochs
        return statistics.median(epoch.characters_per_second for epoch in timed) if timed else None

    def final_predictions(self) -> dict[str, str]:
        """The predictions after the last epoch that made any."""
        return self.predictions[max(self.predictions)] if self.predictions else {}


@dataclass
class SequenceRunData:
    """A language model's run: recipe, text (source, characters, vocabulary), environment, and each result."""

    recipe: dict
    text: dict
    environment: dict
    results: list[SequenceResult] = field(default_factory=list)
    interrupted: bool = False

    def names(self) -> list[str]:
        return [result.name for result in self.results]

    def result(self, name: str) -> SequenceResult:
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(f"no implementation {name!r} in this run; it has {', '.join(self.names())}")

    def has_failures(self) -> bool:
        return any(result.status in (Status.DIVERGED, Status.FAILED) for result in self.results)

    def to_json(self) -> str:
        return json.dumps({"schema": SCHEMA_VERSION, "kind": KIND, "recipe": self.recipe, "text": self.text,
                           "environment": self.environment,
                           "interrupted": self.interrupted,
                           "results": [_result_record(result) for result in self.results]}, indent=2,
                          ensure_ascii=False)

    @classmethod
    def from_record(cls, record: dict) -> "SequenceRunData":
        """The run a `to_json` record describes (a KeyError or ValueError where it is not one)."""
        if record.get("kind") != KIND:
            raise ValueError(f"not a language model's run (kind {record.get('kind')!r})")
        return cls(record["recipe"], record["text"], record["environment"],
                   [_result_from(item) for item in record["results"]], bool(record.get("interrupted", False)))


def _result_record(result: SequenceResult) -> dict:
    return {"name": result.name, "status": result.status.value, "error": result.error,
            "epochs": [{**asdict(epoch), "perplexity": _finite(epoch.perplexity)} for epoch in result.epochs],
            "predictions": {str(epoch): texts for epoch, texts in result.predictions.items()},
            "heldout_perplexity": {str(epoch): _finite(value) for epoch, value in result.heldout.items()},
            "shapes": [{"what": step.what, "shape": list(step.shape)} for step in result.shapes]}


def _result_from(item: dict) -> SequenceResult:
    return SequenceResult(item["name"], Status(item["status"]), item.get("error", ""),
                          [SequenceEpoch(**{**epoch, "perplexity": math.inf if epoch["perplexity"] is None
                                            else float(epoch["perplexity"])}) for epoch in item["epochs"]],
                          {int(epoch): dict(texts) for epoch, texts in item["predictions"].items()},
                          heldout={int(epoch): math.inf if value is None else float(value)
                                   for epoch, value in item.get("heldout_perplexity", {}).items()},
                          shapes=[ShapeStep(step["what"], tuple(step["shape"])) for step in item["shapes"]])


def _finite(value: float) -> Optional[float]:
    """A number JSON can hold: a non-finite perplexity (a diverged epoch) is null."""
    return value if math.isfinite(value) else None
