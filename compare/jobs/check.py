"""`check` as a library call: every implementation against scratch on one batch (or, data parallel, against
itself on one device). Returns the verdict with what it was run on; prints nothing."""
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from compare.config.check import CheckConfig
from compare.errors import UsageError
from compare.jobs.apply_settings import apply_mxnet_settings

if TYPE_CHECKING:
    import mxnet

    from compare.checking.probe import CheckJob
    from compare.loading import Entry, Implementation
    from compare.results.measures import CheckData


@dataclass
class CheckOutcome:
    """The verdict, the settings and environment it was reached under (its JSON's), and whether this process
    reports (rank 0 under `compare launch`)."""

    result: "CheckData"
    settings: dict
    environment: dict
    reports: bool


def _batch(config: CheckConfig, ctx: "mxnet.Context") -> tuple:
    """The checked batch on `ctx`: real training images, or seeded uniform noise with --synthetic."""
    from compare.data.batches import DeviceSplit, synthetic_batch

    workload = config.workload
    if config.synthetic:
        return synthetic_batch(config.batch_size, ctx, workload.seed, workload.spec())
    from compare.data.sources import load_training_examples
    train = DeviceSplit.from_arrays(load_training_examples(workload.spec(), config.data_dir, config.batch_size,
                                                           workload.seed), ctx)
    if len(train) < config.batch_size:
        raise UsageError(f"--batch-size {config.batch_size:,}: the training split has {len(train):,} examples; "
                         f"check at most that many")
    return train.images, train.labels


def with_rule_difference(implementation: "Implementation", config: CheckConfig) -> "Implementation":
    """A built-in that updates through MXNet's optimizers, expected to differ from scratch where MXNet's formula of
    the rule differs from the chapter's (Adam's epsilon, for one); any other implementation as it is."""
    from implementations.registry import builtins, update_rule_difference

    builtin = builtins(config.workload.model).get(implementation.name)
    difference = update_rule_difference(config.workload.optimizer)
    if implementation.source != "built-in" or builtin is None or not builtin.mxnet_optimizer or difference is None:
        return implementation
    return dataclasses.replace(implementation, known_difference=difference)


def _outputs_named(result: "CheckData", name: str) -> "CheckData":
    """The check's rows with forward's outputs called what the model calls them: a regression's predictions, not
    logits (the probe measures both under one key)."""
    if name == "logits":
        return result
    rows = [dataclasses.replace(row, quantity=name) if row.quantity == "logits" else row for row in result.comparisons]
    return dataclasses.replace(result, comparisons=rows)


def _in_precision(job: "CheckJob", precision: str) -> "CheckData":
    """`run_check` in `precision`: under bf16 every implementation, scratch and the chapter's code alike are built
    and run with AMP's bf16 operators (held over the whole check), their float64 twins untouched by them (AMP casts
    only float32), and every row is held to bf16's own noise."""
    from compare.checking.equivalence import run_check
    from compare.checking.tolerance import held_to
    from compare.measuring.precision import BF16, Bf16Operators
    from compare.training.precision import in_bf16

    if precision != BF16:
        return run_check(job)
    operators = Bf16Operators.capture()

    def converted(implementation: "Optional[Implementation]") -> "Optional[Implementation]":
        return None if implementation is None else in_bf16(implementation, operators)

    job = dataclasses.replace(job, implementations=[in_bf16(i, operators) for i in job.implementations],
                              reference=converted(job.reference), chapter=converted(job.chapter))
    with operators:
        result = run_check(job)
    return dataclasses.replace(result, held_to=held_to(BF16) if result.held_to else "")


def check(config: CheckConfig, warn: Callable[[str], None],
          entries: "Optional[Sequence[Entry]]" = None) -> CheckOutcome:
    """Compare logits, loss, every layer, gradients and the weights (and state) after the steps; refusals
    (a model whose data-parallel steps cannot match, nothing to compare) are UsageErrors before any work."""
    workload = config.workload
    apply_mxnet_settings(workload.mxnet, workload.contexts, warn)  # before anything loads mxnet
    from compare.checking.probe import CheckJob, Probe, forward_in_training, step_sizes
    from compare.devices.contexts import contexts_text
    from compare.devices.topology import Topology, check_splittable
    from compare.loading import resolve_entry, select_implementations
    from compare.measuring.environment import capture_environment
    from compare.measuring.memory import MemoryNeed, available_bytes, check_fits
    from compare.results.types import REFERENCE
    from compare.training.steps import objective_for
    from implementations.registry import CHAPTER, builtins

    spec = workload.spec()
    check_fits(MemoryNeed(config.batch_size, spec.activation_values()), "--batch-size", available_bytes())
    topology = Topology.from_flags(workload.contexts, workload.kvstore)
    implementations = select_implementations(tuple(entries or workload.implementations), spec, workload.model,
                                             topology.home, data_parallel=topology.data_parallel,
                                             optimizers=workload.optimizers)
    if topology.data_parallel:
        config.refuse_data_parallel(f"check --ctx {contexts_text(workload.contexts)}")
        check_splittable(min(step_sizes(config.batch_size, config.steps)), len(topology.contexts), topology.workers,
                         needed=-(-3 * topology.pieces // 2))  # the two-thirds batches must be split too
    elif not [i for i in implementations if i.name != REFERENCE]:
        raise UsageError(f"check compares implementations against {REFERENCE}: name at least one other in --impl")
    if not topology.data_parallel:  # data parallel, each is held to itself: no formula is compared with another
        implementations = [with_rule_difference(i, config) for i in implementations]
    images, labels = _batch(config, topology.home)
    topology.join()
    probe = Probe(images, labels, config.steps, workload.learning_rate, objective_for(spec), workload.optimizer,
                  training_forward=forward_in_training(spec))
    # one device: each against scratch; data parallel: each against itself on one device
    reference = None if topology.data_parallel else resolve_entry(REFERENCE, builtins(workload.model))
    chapter = None if topology.data_parallel else resolve_entry(CHAPTER, builtins(workload.model))
    job = CheckJob(implementations, reference, spec, workload.seed, probe, topology, chapter)
    result = _outputs_named(_in_precision(job, workload.precisions[0]), spec.output_name)
    where = contexts_text(workload.contexts)
    settings = {"model": workload.model, "implementations": [i.name for i in implementations],
                "batch_size": config.batch_size, "steps": config.steps, "learning_rate": workload.learning_rate,
                "seed": workload.seed, "context": where,
                "data": "synthetic" if config.synthetic else "fashion-mnist" if spec.training_examples() is None
                else "drawn from the seed",
                "optimizer": workload.optimizer.recorded(), "precision": workload.precisions[0]}
    return CheckOutcome(result, settings, capture_environment(where), topology.reports)
