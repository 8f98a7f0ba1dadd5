"""What `check` measures on, and the measuring: one batch and the SGD steps taken on it (`Probe`), the job that
names what is compared with what (`CheckJob`), and `measure`, every quantity of one model on the probe —
layers, logits, loss, gradients, weights and state, and each step's weights and state (hidden, for diagnosis
and replay). Prints nothing."""
import dataclasses
from dataclasses import dataclass
from typing import Mapping, Optional

import numpy as np

from compare.data.batches import Batch
from compare.devices.topology import Topology
from compare.errors import ProtocolViolation
from compare.loading import Implementation
from compare.training.steps import Objective, forward_backward
from implementations.mxnet_compat import mx
from implementations.optimizers import SGD, Optimizer
from implementations.protocol import Devices, Model, optimizer_state_of, state_of
from implementations.registry import Factory, build_model
from implementations.spec_base import NetworkSpec

# The names of what check measures, which the diagnosis (mistakes, penalty, drift) reads back.
LARGE_LOGITS_LOSS = "loss at large logits"  # a loss that overflows there is the unstable softmax


def gradient_at_step(index: int) -> str:
    """The kind of the hidden quantities holding the (summed) gradients step `index` applied (0-based)."""
    return f"gradient-at-step-{index}"


def after_step(index: int) -> str:
    """The kind of the hidden quantities holding the weights and state after step `index` (0-based)."""
    return f"after-step-{index}"


EVALUATED = "evaluated"  # the kind of the hidden quantities holding each layer's output in evaluation (predict mode)


def forward_in_training(spec: NetworkSpec) -> bool:
    """Whether `check` measures each layer's output in training mode, as the training step computes it: where the
    spec keeps state (batch norm: batch statistics in training, moving averages in evaluation) and draws no dropout
    masks (random in training). Its outputs in evaluation are then rows of their own (`evaluation bn1`), judged
    after the training they follow; elsewhere the two modes compute the same and the layers are measured once."""
    return bool(spec.state_shapes()) and not spec.drop_rates


MASK_SEED = 20_180_101  # MXNet's generator at check's first step; each step seeds it anew


def seed_step(seed: int) -> None:
    """MXNet's generator and numpy's global one seeded alike before a step: an implementation that draws its
    dropout masks with either (`nd.random`, or `np.random.rand` as learners write it) draws the same masks at the
    same step in every run check makes of it, so its own masks can be read back and applied to the reference.
    `run_check` puts numpy's global state back afterwards."""
    mx.random.seed(seed)
    np.random.seed(seed % 2**32)


def step_sizes(batch_size: int, steps: int) -> list[int]:
    """Alternating full and two-thirds batches: 64 -> [64, 43, 64, 43, ...]."""
    smaller = max(1, batch_size - batch_size // 3)
    return [batch_size if step % 2 == 0 else smaller for step in range(steps)]


@dataclass(frozen=True)
class Probe:
    """What every implementation is measured on: one batch, the SGD steps taken on it, and the objective."""

    images: mx.nd.NDArray  # (N, 1, 28, 28) on the home context
    labels: mx.nd.NDArray  # (N,)
    steps: int
    learning_rate: float
    loss: Objective
    optimizer: Optimizer = SGD  # the update rule of the steps (its learning rate is `learning_rate`)
    training_forward: bool = False  # each layer measured in training mode too: `forward_in_training(spec)`

    @property
    def size(self) -> int:
        return int(self.labels.shape[0])

    def in_float64(self) -> "Probe":
        """The same batch, steps and objective in float64: the reference measured on it shows what float32's
        rounding does to every quantity."""
        return dataclasses.replace(self, images=self.images.astype("float64"), labels=self.labels.astype("float64"),
                                   loss=self.loss.in_dtype(np.float64))

    def build(self, factory: Factory, spec: NetworkSpec, devices: Devices, seed: int) -> Model:
        """A model of `factory` with the seed's weights, updating by the probe's rule: every model check measures."""
        return build_model(factory, spec, devices, seed, self.optimizer)

    def step_batches(self) -> list[Batch]:
        """The batches of the SGD steps: the full batch and its first two thirds, alternating."""
        return [Batch(self.images[:size], self.labels[:size]) for size in step_sizes(self.size, self.steps)]


@dataclass(frozen=True)
class CheckJob:
    """What `check` measures: the implementations, what each is compared with, on which batch and steps, and
    where. With a `reference` every implementation is compared with it, all on the home context alone; without
    one each implementation runs on `topology` and is compared with itself on the home context alone."""

    implementations: list[Implementation]
    reference: Optional[Implementation]
    spec: NetworkSpec
    seed: int
    probe: Probe
    topology: Topology
    chapter: Optional[Implementation] = None  # the chapter's own formulation, `tutorial` (one device only)


def measure(model: Model, probe: Probe, topology: Topology) -> dict[str, np.ndarray]:
    """Every layer's output on the whole batch (the home replica), then `steps` SGD steps on batches split
    by `topology`: the logits and loss of the first step (every worker's pieces put back together), its
    gradient once whole (summed over every shard), and the weights after the last step."""
    values = _layer_values(model, probe)
    for index, batch in enumerate(probe.step_batches()):
        shards = topology.split(batch)
        seed_step(MASK_SEED + index)  # every implementation draws the same dropout masks (Dropout operator)
        logits, losses = forward_backward(model, shards, probe.loss.of(model))
        if index == 0:
            values.update(_gathered(logits, losses, topology, batch.size))
        if index == 0 and probe.loss.task == "classification":
            # the loss of fixed logits, not of the model's: only its formula is tested (does it overflow?)
            values[LARGE_LOGITS_LOSS] = loss_of_logits(model, probe, large_logits(probe))
        if index == 0 and topology.gradients_whole_before_step:
            values.update(_named("gradient", model.gradients()))
        if topology.gradients_whole_before_step and not probe.optimizer.plain_sgd:  # what each step's rule was fed
            values.update(_named(gradient_at_step(index), model.gradients()))
        model.step(batch.size, probe.learning_rate)
        if index == 0 and not topology.gradients_whole_before_step:  # the step's all-reduce made it whole
            values.update(_named("gradient", model.gradients()))
        # not rows: every step's weights and state, what a mistaken update is diagnosed from (the first step:
        # one batch, one size) and what a drift over the steps is replayed from, step by step
        values.update(_named(after_step(index), {**model.parameters(), **state_of(model),
                                                  **optimizer_state_of(model)}))
    return {**values, **_named("weights", model.parameters()), **_named("optimizer", optimizer_state_of(model)),
            **_named("state", state_of(model))}


def _layer_values(model: Model, probe: Probe) -> dict[str, np.ndarray]:
    """Every layer's output on the whole batch: in evaluation (predict mode) as `layer`; with `training_forward`,
    in training mode as `layer` (the state the pass moves put back after it), in evaluation as hidden `evaluated`
    quantities and, for the batch-norm layers, as `evaluation` rows."""
    evaluated = {name: output.asnumpy() for name, output in model.layer_outputs(probe.images)}
    if not probe.training_forward or not hasattr(model, "load_state"):
        return {f"layer {name}": output for name, output in evaluated.items()}
    state = {name: array.asnumpy() for name, array in state_of(model).items()}
    with mx.autograd.train_mode():  # batch statistics; not recorded, so nothing is differentiated
        trained = {name: output.asnumpy() for name, output in model.layer_outputs(probe.images)}
    model.load_state(state)  # the pass may have moved the moving averages (the chapter's batch_norm does)
    return {**{f"layer {name}": output for name, output in trained.items()},
            **{f"{EVALUATED} {name}": output for name, output in evaluated.items()},
            **{f"evaluation {name}": output for name, output in evaluated.items() if name.startswith("bn")}}


def loss_of_logits(model: Model, probe: Probe, logits: object) -> np.ndarray:
    """`model`'s own loss (its objective) of the given logits (N, classes; an NDArray or a numpy array, cast to the
    loss's dtype) and the probe's labels, per example: the loss's formula alone, away from the model's logits."""
    if isinstance(logits, np.ndarray):
        logits = mx.nd.array(logits.astype(probe.loss.dtype), ctx=probe.images.context, dtype=probe.loss.dtype)
    return probe.loss.of(model)(logits, probe.labels).asnumpy()


def large_logits(probe: Probe) -> mx.nd.NDArray:
    """Logits (N, classes) from 0 up to 100, where exp overflows float32 past ~88 (a fused log-sum-exp does not);
    in every other row the true class sits 104 below the row's largest logit, where its softmax probability is 0 in
    float32 and -log of it inf (the fused loss is ~104)."""
    size, classes = probe.size, probe.loss.num_classes
    values = np.linspace(0.0, 100.0, size * classes, dtype=np.float64).reshape(size, classes)
    labels = probe.labels.asnumpy().astype(np.int64)
    rows = np.arange(0, size, 2)
    values[rows, labels[rows]] = values[rows].max(axis=1) - 104.0
    values = values.astype(probe.loss.dtype)
    return mx.nd.array(values, ctx=probe.images.context, dtype=values.dtype)


def _gathered(logits: list, losses: list, topology: Topology, size: int) -> dict[str, np.ndarray]:
    """The whole batch's logits and per-example loss from this worker's shards and every other worker's."""
    gathered_logits = np.zeros((size, logits[0].shape[1]), dtype=np.float64)
    gathered_loss = np.zeros(size, dtype=np.float64)
    for (start, stop), shard_logits, shard_losses in zip(topology.local_bounds(size), logits, losses):
        gathered_logits[start:stop], gathered_loss[start:stop] = shard_logits.asnumpy(), shard_losses.asnumpy()
    # each worker filled only its own pieces: the sum over workers is the whole batch, exactly, in the model's dtype
    return {"logits": topology.sum(gathered_logits).astype(logits[0].dtype),
            "loss": topology.sum(gathered_loss).astype(losses[0].dtype)}


def _named(kind: str, arrays: object) -> dict[str, np.ndarray]:
    """{'gradient conv1.weight': array, ...}: quantities named by kind and parameter; what `gradients()` or
    `parameters()` returned must be a name -> NDArray mapping (a ProtocolViolation otherwise)."""
    method = {"state": "state()", "optimizer": "optimizer_state()"}.get(kind, "parameters()")
    method = "gradients()" if kind.startswith("gradient") else method
    if not isinstance(arrays, Mapping):
        raise ProtocolViolation(f"{method} returned {type(arrays).__name__}, expected a dict of arrays by name")
    values = {}
    for name, array in arrays.items():
        if not hasattr(array, "asnumpy"):
            raise ProtocolViolation(f"{method}[{name!r}] is {type(array).__name__}, expected an NDArray")
        values[f"{kind} {name}"] = array.asnumpy()
    return values
