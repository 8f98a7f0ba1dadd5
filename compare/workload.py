"""What every command that builds a model's implementations shares (`Workload`: model, implementations,
contexts, KVStore, seeds, MXNet's settings, update rules), validated once, and the read-throughs every command
config has (`OnWorkload`); the chapter recipe the library fills defaults from. No mxnet."""
import dataclasses
from dataclasses import dataclass
from typing import Optional, Sequence

from compare.devices.contexts import ContextSpec
from compare.errors import UsageError
from compare.measuring.mxnet_settings import MXNetChoice
from compare.validation import MAX_SEEDS, check_implementations, check_kvstore, check_learning_rate, check_model, check_seed
from implementations.optimizers import SGD, Optimizer
from implementations.registry import DEFAULT_MODEL, Recipe, models
from implementations.spec_base import NetworkSpec

ONE_CPU = (ContextSpec("cpu"),)


def chapter_recipe(model: str) -> Recipe:
    """The recipe of `model`'s chapter (an unknown model is refused by check_model before this is asked)."""
    return models()[model].recipe


def fill_from_recipe(config: object, model: str, fields: Sequence[str]) -> None:
    """Set each of `fields` left None on the frozen `config` to `model`'s chapter recipe: the one place defaults
    are resolved, so `compare.run(model=M)` and `compare run --model M` train alike."""
    check_model(model)
    recipe = chapter_recipe(model)
    for name in fields:
        if getattr(config, name) is None:
            object.__setattr__(config, name, getattr(recipe, name))


@dataclass(frozen=True)
class Workload:
    """What every command that builds a model's implementations shares, validated once here: which model, which
    implementations, where they run (contexts, KVStore), from which seeds, under which MXNet load-time settings.
    A flag all of them take is one field here, not one per command."""

    model: str = DEFAULT_MODEL  # which network: a name in implementations.registry.MODELS
    implementations: tuple[str, ...] = ()  # --impl entries; empty: every built-in implementation
    contexts: tuple[ContextSpec, ...] = ONE_CPU  # several: data parallel, one replica per context
    kvstore: Optional[str] = None  # device, local, dist_sync; None: dist_sync under `launch`, else device
    seeds: tuple[int, ...] = (0,)  # a seed fixes the initial weights and every batch order; run takes several
    mxnet: MXNetChoice = MXNetChoice()  # MXNet's load-time settings; MXNet's own defaults unless given
    optimizers: tuple[Optimizer, ...] = (SGD,)  # the update rule(s); several: run trains each implementation with each

    def __post_init__(self) -> None:
        check_model(self.model)
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

    @property
    def seed(self) -> int:
        """The seed of a command that takes one (check, bench, profile, tune): the first."""
        return self.seeds[0]

    def with_learning_rates(self, given: Optional[float]) -> "Workload":
        """The workload with each optimizer's learning rate resolved: `given`, else its chapter's, else the
        model's chapter recipe's (sgd)."""
        model_rate = chapter_recipe(self.model).learning_rate
        return dataclasses.replace(self, optimizers=tuple(o.with_learning_rate(given, model_rate)
                                                          for o in self.optimizers))


class OnWorkload:
    """Every command config holds a `workload`; these read through to it, so a job asks `config.model`."""

    workload: Workload

    @property
    def model(self) -> str:
        return self.workload.model

    @property
    def implementations(self) -> tuple[str, ...]:
        return self.workload.implementations

    @property
    def implementation_entries(self) -> tuple[str, ...]:
        return self.workload.implementations

    @property
    def contexts(self) -> tuple[ContextSpec, ...]:
        return self.workload.contexts

    @property
    def kvstore(self) -> Optional[str]:
        return self.workload.kvstore

    @property
    def seed(self) -> int:
        return self.workload.seed

    @property
    def seeds(self) -> tuple[int, ...]:
        return self.workload.seeds

    @property
    def mxnet(self) -> MXNetChoice:
        return self.workload.mxnet

    @property
    def optimizer(self) -> Optimizer:
        """The update rule of a command that takes one (every command but run): the first."""
        return self.workload.optimizers[0]

    @property
    def optimizers(self) -> tuple[Optimizer, ...]:
        return self.workload.optimizers

    def _resolve_learning_rate(self, given: Optional[float]) -> float:
        """Resolve every optimizer's learning rate on the frozen config's workload; the first one's is returned
        (what the command records as its learning rate)."""
        if given is not None:
            check_learning_rate(given)
            if all(optimizer.name == "adadelta" for optimizer in self.workload.optimizers):
                raise UsageError("--lr: adadelta takes no learning rate (its step is sqrt(delta + eps) / "
                                 "sqrt(s + eps) * g)")
        object.__setattr__(self, "workload", self.workload.with_learning_rates(given))
        return self.workload.optimizers[0].learning_rate  # type: ignore[return-value]

    def _one_optimizer(self) -> None:
        optimizers = self.workload.optimizers
        if len({optimizer.name for optimizer in optimizers}) > 1:
            raise UsageError("--optimizer: this command takes one optimizer (run takes several)")
        if len(optimizers) > 1:
            raise UsageError("--weight-decay: this command takes one value (run takes several)")

    def spec(self) -> NetworkSpec:
        """The model's spec with its chapter's initialisation."""
        return models()[self.model].spec()

    def _one_seed(self) -> None:
        if len(self.workload.seeds) != 1:
            raise UsageError("--seeds: this command takes one --seed")
