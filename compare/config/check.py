"""`compare check`'s configuration: one batch, every implementation against scratch. Its batch size and learning
rate left out are the model's (64, or every example of a model that draws fewer; the chapter's rate), resolved
once in `CheckConfig.resolve`. No mxnet."""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from compare.config.options import Options, given
from compare.config.workload import Workload
from compare.devices.topology import LAUNCHED_WORKER, check_splittable, choose_kvstore
from compare.errors import UsageError
from compare.validation import MAX_STEPS, check_bounded
from implementations.spec_base import NetworkSpec

CHECK_BATCH = 64  # check's batch unless told (a model drawing fewer training examples: all of them)


@dataclass(frozen=True)
class CheckConfig:
    """`compare check`: one batch, every implementation against scratch (several contexts: also the
    data-parallel step against one device). The learning rate is the workload's update rule's."""

    workload: Workload
    batch_size: int
    steps: int = 10  # update steps before the weights are compared
    synthetic: bool = False  # random images instead of real Fashion-MNIST
    data_dir: Optional[Path] = None
    json_path: Optional[Path] = None  # STDOUT: JSON to stdout, tables to stderr

    @classmethod
    def resolve(cls, model: str, implementations: Sequence[str], options: Options) -> "CheckConfig":
        """The complete config the options give."""
        workload = Workload.resolve(model, tuple(implementations), options)
        steps, batch_size = options.whole("steps"), options.whole("batch_size")
        learning_rate = options.number("learning_rate")
        rest = given(steps=steps, synthetic=options.flag("synthetic"), data_dir=options.path("data_dir"),
                     json_path=options.file_path("json"))
        if batch_size is None:
            batch_size = min(CHECK_BATCH, workload.spec().training_examples() or CHECK_BATCH)
        return cls(workload.with_learning_rates(learning_rate), batch_size, **rest)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        self.workload.check_one_seed()
        check_bounded("--steps", self.steps, 1, MAX_STEPS)
        if self.batch_size < 2:
            raise UsageError(f"--batch-size must be at least 2 (steps alternate full and two-thirds batches), "
                             f"got {self.batch_size}")
        self.workload.check_one_optimizer()
        if len(self.workload.precisions) > 1:
            raise UsageError(f"--precision {','.join(self.workload.precisions)}: check takes one precision (the "
                             "implementations and scratch all run in it); run and bench take several")

    def spec(self) -> NetworkSpec:
        """The spec its implementations are built from: the model's, with its chapter's initialisation."""
        return self.workload.spec()

    def check_launchable(self, workers: int) -> None:
        """UsageError unless `workers` launched processes can run this (its KVStore, its batch split, a model
        whose data-parallel steps can match one device's)."""
        choose_kvstore(self.workload.kvstore, LAUNCHED_WORKER)
        check_splittable(self.batch_size, len(self.workload.contexts), workers)
        self.refuse_data_parallel(f"launch --workers {workers} -- check")

    def refuse_data_parallel(self, where: str) -> None:
        """Models whose data-parallel steps differ from one device's by design are checked on one device only."""
        spec, model = self.workload.spec(), self.workload.model
        if spec.state_shapes():
            raise UsageError(f"{where} --model {model}: each device normalizes its own shard with its own batch "
                             "statistics, so data-parallel batch norm differs from one device's by design; check it "
                             "on one device")
        if spec.drop_rates:
            raise UsageError(f"{where} --model {model}: every shard draws its own dropout masks, so data-parallel "
                             "steps cannot match one device's; check dropout on one device (its keep rates and "
                             "scaling are tested there)")
