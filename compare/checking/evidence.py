"""What a diagnosis of one implementation may use (`Evidence`): its measured values and the reference's, the
checked batch, the spec, a fresh copy to probe; and what is read off it by every cause: the numbers a factor may
equal, a layer's input, whether a candidate matches at float32's precision."""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from compare.checking.relations import Numbers
from compare.checking.update_replay import Steps
from implementations.optimizers import Optimizer
from implementations.protocol import Model
from implementations.spec_base import NetworkSpec

CLOSE_RTOL, CLOSE_ATOL = 1e-4, 1e-5  # a candidate matches at float32 precision (mistakes differ by far more)


@dataclass(frozen=True)
class Evidence:
    """What a diagnosis may use: the implementation's measured values, the reference's (float32), the checked
    images, the spec and seed, and a way to build a fresh copy of the implementation (weights loaded)."""

    values: dict[str, np.ndarray]
    reference: dict[str, np.ndarray]
    images: np.ndarray
    spec: NetworkSpec
    seed: int
    fresh: Callable[[], Model]
    steps: Optional[Steps] = None  # each step's weights and gradients, where recorded (an update rule other than SGD)
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the checked batch's labels (N,)
    learning_rate: float = 0.0  # the steps' learning rate
    optimizer: Optional[Optimizer] = None  # the steps' update rule and its hyperparameters
    loss_at: Optional[Callable[[np.ndarray], np.ndarray]] = None  # its loss of other logits (N, classes), same labels


def numbers_of(evidence: Evidence) -> Numbers:
    """The numbers of this computation a factor may equal: the batch, the learning rate, the rule's
    hyperparameters, the classes, and the initial biases an offset may equal."""
    scalars = [(f"the batch size ({len(evidence.images)})", float(len(evidence.images))),
               ("ln 10: a base-10 logarithm", float(np.log(10))), ("ln 2: a base-2 logarithm", float(np.log(2)))]
    if evidence.learning_rate:
        scalars.append((f"the learning rate ({evidence.learning_rate:g})", float(evidence.learning_rate)))
    if evidence.optimizer is not None:
        scalars += [(f"{key} ({value:g})", float(value)) for key, value in evidence.optimizer.values.items()]
    if evidence.optimizer is not None and evidence.learning_rate:  # two arguments passed the wrong way round
        scalars += [(f"{key} / the learning rate ({value:g} / {evidence.learning_rate:g}): are {key} and the "
                     "learning rate swapped?", float(value) / evidence.learning_rate)
                    for key, value in evidence.optimizer.values.items() if value and value != evidence.learning_rate]
    if evidence.optimizer is not None and evidence.optimizer.weight_decay:
        initial = evidence.spec.initial_parameters(evidence.seed)
        penalty = evidence.optimizer.weight_decay / 2 * sum(float(np.sum(value.astype(np.float64) ** 2))
                                                            for name, value in initial.items()
                                                            if evidence.optimizer.decays(name))
        norm = float(np.sqrt(2 * penalty / evidence.optimizer.weight_decay))
        scalars += [(f"the L2 penalty lambda / 2 * ||w||^2 ({penalty:.4g})", penalty),
                    (f"lambda / 2 * ||w|| ({evidence.optimizer.weight_decay / 2 * norm:.4g}): the norm, not its "
                     "square", evidence.optimizer.weight_decay / 2 * norm),
                    (f"the L2 penalty lambda / 2 * ||w||^2 divided by the batch size ({penalty:.4g} / "
                     f"{len(evidence.images)}): the penalty shared among the examples, then divided by the batch "
                     "again", penalty / len(evidence.images))]
        batch = len(evidence.images)
        scalars.append((f"the L2 penalty lambda / 2 * ||w||^2 times the batch size ({penalty:.4g} x {batch}): the "
                        "penalty multiplied by the batch (to make up for a mean over the examples?), where it is "
                        "added once", penalty * batch))
        twice = evidence.optimizer.weight_decay * penalty
        if evidence.optimizer.weight_decay not in (1.0, 2.0):  # lambda times the penalty: lambda applied twice
            scalars.append((f"lambda x the L2 penalty, lambda^2 / 2 * ||w||^2 ({twice:.4g}): lambda applied twice "
                            "(a penalty that already holds lambda multiplied by it again)", twice))
    if evidence.spec.task == "classification":
        scalars.append((f"the number of classes ({evidence.spec.num_classes})", float(evidence.spec.num_classes)))
    for layer in (name for name in evidence.spec.layer_order if name.startswith("bn")):
        shape = layer_input(evidence, layer).shape  # (N, C, H, W) or (N, C): the statistics' count m per channel
        count = int(np.prod(shape)) // shape[1]
        scalars.append((f"m / (m - 1) with m = {count} values per channel of {layer}: the unbiased variance",
                        count / (count - 1)))
        if len(shape) == 4:  # a sum over the grid divided by the batch alone, or the other way round
            spatial = shape[2] * shape[3]
            scalars += [(f"H * W = {spatial}, the values per channel of one example in {layer}'s input", spatial),
                        (f"m = {count}, the values per channel of {layer}'s input", count)]
    initial = evidence.spec.initial_parameters(evidence.seed)
    vectors = {name: value for name, value in initial.items() if name.endswith(".bias")}
    return Numbers(tuple(scalars), vectors)


def forward_numbers(numbers: Numbers, evidence: Evidence) -> Numbers:
    """The numbers a forward or backward quantity (a layer's output, the logits, the loss, a gradient) may be
    scaled by: these never see the update rule, so its learning rate and hyperparameters are left out (a factor
    0.04 there is not "the learning rate squared" at lr 0.2, nor 0.01 "(1 - beta1)^2")."""
    rule = set(evidence.optimizer.values) if evidence.optimizer is not None else set()
    return Numbers(tuple((label, value) for label, value in numbers.scalars
                         if not label.startswith("the learning rate")
                         and label.split(" (")[0].split(" / ")[0] not in rule), numbers.vectors)


def layer_numbers(numbers: Numbers, evidence: Evidence, layer: str) -> Numbers:
    """A layer output's numbers: `forward_numbers` without weight decay's penalty (a loss's term), and with a
    window's taps (1/25: a mean over a 5x5 window where the layer sums it; the label names the number alone, as
    its inverse, root or square are named from it too)."""
    scalars = [(label, value) for label, value in forward_numbers(numbers, evidence).scalars
               if not label.startswith(("the L2 penalty", "lambda / 2"))]
    weight = evidence.spec.initial_parameters(evidence.seed).get(f"{layer}.weight")
    if layer.startswith("conv") and weight is not None and weight.ndim == 4:  # (filters, channels, k, k)
        taps = weight.shape[2] * weight.shape[3]
        scalars.append((f"the {weight.shape[2]}x{weight.shape[3]} window's taps ({taps})", float(taps)))
        if weight.shape[1] > 1:
            scalars.append((f"{layer}'s inputs per output, channels x taps ({weight.shape[1] * taps})",
                            float(weight.shape[1] * taps)))
    if layer.startswith("fc") and weight is not None and weight.ndim == 2:  # (units, inputs): 1 / sqrt(inputs), the
        scalars.append((f"{layer}'s inputs ({weight.shape[1]})", float(weight.shape[1])))  # scaled dot product's
    return Numbers(tuple(scalars), numbers.vectors)


def close(actual: np.ndarray, candidate: np.ndarray) -> bool:
    return actual.shape == candidate.shape and bool(np.allclose(actual, candidate, rtol=CLOSE_RTOL, atol=CLOSE_ATOL))


def layer_input(evidence: Evidence, layer: str) -> np.ndarray:
    """What `layer` was given: the reference's output of the layer before it (the images for the first)."""
    order = list(evidence.spec.layer_order)
    index = order.index(layer)
    return evidence.images if index == 0 else evidence.reference[f"layer {order[index - 1]}"]
