"""What every command that builds a model's implementations shares (`Workload`: model, implementations,
contexts, KVStore, seeds, MXNet's settings, update rules), resolved from the options and validated once. The
defaults of these are defined here only; the learning rate of each update rule is resolved here, once. No mxnet."""
import dataclasses
from dataclasses import dataclass
from typing import Optional

from compare.config.optimizers import DEFAULT_OPTIMIZERS
from compare.config.options import Options, given
from compare.devices.contexts import ContextSpec, parse_contexts
from compare.errors import UsageError
from compare.measuring.mxnet_settings import MXNetChoice
from compare.measuring.precision import BF16, FLOAT32, check_precision_contexts, parse_precisions
from compare.validation import (
    MAX_SEEDS,
    check_implementations,
    check_kvstore,
    check_learning_rate,
    check_model,
    check_seed,
)
from implementations.optimizers import Optimizer
from implementations.registry import models
from implementations.spec_base import NetworkSpec

DEFAULT_CONTEXT = "cpu"  # --ctx unless given
DEFAULT_SEED = 0  # --seed unless given
# Steps taken only to be timed (bench, profile, tune). Their learning rate: small, so thousands of steps on one
# batch stay finite; their cost does not depend on it (not recorded: bench's and profile's rules carry none).
TIMED_LEARNING_RATE = 0.01
TIMED_BATCH = 256  # profile's and tune's batch unless told, and bench's largest: the chapters' training batch


@dataclass(frozen=True)
class Workload:
    """What every command that builds a model's implementations shares, validated once here: which model, which
    implementations, where they run (contexts, KVStore), from which seeds, under which MXNet load-time settings,
    by which update rules. A flag all of them take is one field here, not one per command."""

    model: str  # which network: a name in implementations.registry.MODELS
    implementations: tuple[str, ...] = ()  # --impl entries; empty: every built-in implementation
    contexts: tuple[ContextSpec, ...] = parse_contexts(DEFAULT_CONTEXT)  # several: data parallel, a replica each
    kvstore: Optional[str] = None  # device, local, dist_sync; None: dist_sync under `launch`, else device
    seeds: tuple[int, ...] = (DEFAULT_SEED,)  # a seed fixes the initial weights and every batch order
    mxnet: MXNetChoice = MXNetChoice()  # MXNet's load-time settings; MXNet's own defaults unless given
    # the update rule(s); several: run trains each implementation with each. Their learning rates are resolved
    # for the commands that train at one (run, check: `with_learning_rates`); bench and profile time steps at
    # TIMED_LEARNING_RATE, and record none
    optimizers: tuple[Optimizer, ...] = DEFAULT_OPTIMIZERS
    # the precisions every implementation computes in, in order (run and bench: each implementation in each);
    # bf16 is MXNet's AMP (`compare.measuring.precision`)
    precisions: tuple[str, ...] = (FLOAT32,)

    def __post_init__(self) -> None:
        check_model(self.model)
        parse_precisions(list(self.precisions))
        check_precision_contexts(self.precisions, tuple(context.device_type for context in self.contexts))
        if not self.optimizers:
            raise UsageError("--optimizer and --weight-decay must name at least one update rule")
        if not self.seeds:
            raise UsageError("--seeds must name at least one seed")
        if len(self.seeds) > MAX_SEEDS:
            raise UsageError(f"--seeds names {len(self.seeds):,} seeds; at most {MAX_SEEDS:,}")
        for seed in self.seeds:
            check_seed(seed, "--seeds" if len(self.seeds) > 1 else "--seed")
        if len(set(self.seeds)) != len(self.seeds):
            raise UsageError(f"--seeds repeats a seed: {','.join(map(str, self.seeds))}")
        check_implementations(self.implementations)
        check_kvstore(self.kvstore)

    @classmethod
    def resolve(cls, model: str, implementations: tuple[str, ...], options: Options) -> "Workload":
        """The workload the options give, the same from flags and from keywords."""
        check_model(model)
        seeds = options.seeds(DEFAULT_SEED)  # --seed, or run's --seeds and --repeats
        return cls(model, tuple(implementations), seeds=seeds, **given(
            contexts=options.contexts(), kvstore=options.get("kvstore"), mxnet=options.mxnet(),
            optimizers=options.optimizers(models()[model].recipe.rules),
            precisions=parse_precisions(options.get("precision"))))

    def with_learning_rates(self, learning_rate: Optional[float]) -> "Workload":
        """The workload with each update rule's learning rate resolved, the one place it is: `learning_rate` if
        given, else the rule's recipe's for this model, else (sgd; adadelta takes none) the model's chapter recipe's."""
        if learning_rate is not None:
            check_learning_rate(learning_rate)
            if all(optimizer.name == "adadelta" for optimizer in self.optimizers):
                raise UsageError("--lr: adadelta takes no learning rate (its step is sqrt(delta + eps) / "
                                 "sqrt(s + eps) * g)")
        model_rate = models()[self.model].recipe.learning_rate
        return dataclasses.replace(self, optimizers=tuple(optimizer.with_learning_rate(learning_rate, model_rate)
                                                          for optimizer in self.optimizers))

    @property
    def seed(self) -> int:
        """The seed of a command that takes one (check, bench, profile, tune): the first."""
        return self.seeds[0]

    @property
    def optimizer(self) -> Optimizer:
        """The update rule of a command that takes one (every command but run): the first."""
        return self.optimizers[0]

    @property
    def timed_optimizer(self) -> Optimizer:
        """The update rule of bench and profile at the learning rate their timed steps take (TIMED_LEARNING_RATE:
        the recipe's could make thousands of steps on one batch overflow, and the cost does not depend on it)."""
        return dataclasses.replace(self.optimizer, learning_rate=TIMED_LEARNING_RATE)

    @property
    def learning_rate(self) -> Optional[float]:
        """The learning rate a command that trains at one records: the first update rule's (None until resolved)."""
        return self.optimizers[0].learning_rate

    @property
    def bf16(self) -> bool:
        """Whether any implementation computes in bf16 (AMP's operators are then captured once, for the job)."""
        return BF16 in self.precisions

    def spec(self) -> NetworkSpec:
        """The model's spec with its chapter's initialisation."""
        return models()[self.model].spec()

    def check_one_seed(self) -> None:
        if len(self.seeds) != 1:
            raise UsageError("--seeds: this command takes one --seed")

    def check_one_optimizer(self) -> None:
        if len({optimizer.name for optimizer in self.optimizers}) > 1:
            raise UsageError("--optimizer: this command takes one optimizer (run takes several)")
        if len(self.optimizers) > 1:
            raise UsageError("--weight-decay: this command takes one value (run takes several)")
