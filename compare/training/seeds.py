"""Every implementation trained in turn, seed by seed, from the same weights and batch order (runner.py's loop
for each): a failing implementation recorded and the others trained, Ctrl-C keeping what was measured. Prints
nothing."""
import logging
from dataclasses import dataclass

from compare.errors import one_line
from compare.loading import Implementation
from compare.results.types import PREDICTION_SAMPLES, ImplementationResult, RunData, SeedRun, Status, StopPoint
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt, deferred_signals
from compare.training.inspection import parameter_errors, predict, shape_trace
from compare.training.precision import operators_for, precision_of
from compare.training.runner import Interrupted, TrainingJob, optimizer_of, train_implementation
from implementations.protocol import Model
from implementations.registry import build_model

LOG = logging.getLogger(__name__)


@dataclass
class SeedOutcome:
    """One seed's training: its results per implementation, its models, and whether Ctrl-C ended it."""

    run: SeedRun
    models: dict[str, Model]
    interrupted: bool = False


def train_all(job: TrainingJob, seed: int, implementations: list[Implementation]) -> SeedOutcome:
    """Train each implementation in turn from the weights and batch order of `seed`, on the job's topology.

    After Ctrl-C the implementation in progress and those not yet started are marked `interrupted`,
    and what was measured so far is returned.
    """
    spec = job.config.spec()
    results = {i.name: ImplementationResult(name=i.name, precision=precision_of(i)) for i in implementations}
    outcome = SeedOutcome(SeedRun(seed, results), {})
    probe = next(job.train.batches(job.config.batch_size)).images
    for index, implementation in enumerate(implementations):
        result = results[implementation.name]
        label = implementation.name if len(job.config.workload.seeds) == 1 else f"{implementation.name} (seed {seed})"
        try:
            optimizer = optimizer_of(job, implementation)
            model = build_model(implementation.factory, spec, job.topology.devices(), seed, optimizer)
            result.shape_trace = shape_trace(model, probe)
            with operators_for(implementation):  # bf16: AMP's operators held over every epoch, not switched per call
                train_implementation(job, model, result, seed, label, optimizer.learning_rate)
        except (Interrupted, Interrupt) as stop:
            step = stop.step if isinstance(stop, Interrupted) else 0  # 0: during warm-up or evaluation
            result.status, result.stopped_at = Status.INTERRUPTED, StopPoint(len(result.epochs) + 1, step)
            return _interrupted(outcome, job, result, implementations[index + 1:])
        except IMPLEMENTATION_ERRORS as error:  # its own code failed (even by sys.exit): record it, go on
            LOG.debug("%s failed", implementation.name, exc_info=True)
            result.status, result.message = Status.FAILED, one_line(error)
            result.stopped_at = StopPoint(len(result.epochs) + 1, 0)
            job.listener.implementation_done(result)
            continue
        try:
            with deferred_signals():  # it finished: its predictions and its model are kept whatever signal comes
                if result.status == Status.OK and job.loss.task == "classification":  # diverged: they mean nothing
                    result.sample_predictions = predict(model, job.test.images[:PREDICTION_SAMPLES])
                result.parameter_errors = parameter_errors(model, spec.true_parameters())
                outcome.models[implementation.name] = model
        except Interrupt:
            return _interrupted(outcome, job, result, implementations[index + 1:])
        except IMPLEMENTATION_ERRORS as error:  # predicting failed: its own code, after training
            LOG.debug("%s failed", implementation.name, exc_info=True)
            result.status, result.message = Status.FAILED, one_line(error)
            result.stopped_at = StopPoint(len(result.epochs) + 1, 0)
        job.listener.implementation_done(result)
    return outcome


def _interrupted(outcome: SeedOutcome, job: TrainingJob, result: ImplementationResult,
                 later: list[Implementation]) -> SeedOutcome:
    """The seed's outcome after a signal: the implementations not yet started marked interrupted too."""
    for implementation in later:
        outcome.run.results[implementation.name].status = Status.INTERRUPTED
    outcome.interrupted = True
    job.listener.implementation_done(result)
    return outcome


def train_seeds(job: TrainingJob, implementations: list[Implementation], run: RunData) -> dict[str, Model]:
    """`train_all` once per seed of the recipe, each seed's results added to `run` as it starts (so an interrupt
    keeps what was measured); an interrupt ends the run where it is. Returns the first seed's models, the
    ones the tables show first (for --save-params)."""
    models: dict[str, Model] = {}
    for seed in job.config.workload.seeds:
        one = train_all(job, seed, implementations)
        run.runs.append(one.run)
        models = models or one.models
        if one.interrupted:
            run.interrupted = True
            break
    return models
