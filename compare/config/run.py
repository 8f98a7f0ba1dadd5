"""`compare run`'s configuration: what is trained and how (the recipe a results file records) and where the
outputs go (never recorded). Every recipe field the options leave out is the model's chapter recipe, from the
registry, resolved once in `RunConfig.resolve`. No mxnet."""
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from compare.config.options import STDOUT, Options, given
from compare.config.workload import Workload
from compare.devices.topology import LAUNCHED_WORKER, check_splittable, choose_kvstore
from compare.errors import UsageError
from compare.validation import MAX_WEIGHT_SCALE
from implementations.registry import models
from implementations.spec_base import NetworkSpec

LEARNING_CURVES, THROUGHPUT, PREDICTIONS = "learning_curves.png", "throughput.png", "predictions.png"
RUN_PLOT_FILES = (LEARNING_CURVES, THROUGHPUT, PREDICTIONS)  # what `--plots DIR` writes into DIR


@dataclass(frozen=True)
class RunConfig:
    """`compare run`: the recipe (workload, epochs, batch size, initialisation, data) and the outputs (files,
    progress). The learning rates are the workload's update rules'."""

    workload: Workload
    epochs: int
    batch_size: int
    init: str  # "normal" (N(0, weight_scale)) or "xavier"
    weight_scale: Optional[float]  # the normal init's standard deviation; None under xavier (recorded as not used)
    data_dir: Optional[Path] = None  # None: search MXNET_HOME, then Debian's package
    limit: Optional[int] = None  # use only the first `limit` training examples
    target_accuracy: Optional[float] = None  # report the time each model takes to reach it
    json_path: Optional[Path] = None  # STDOUT: JSON to stdout, tables to stderr
    save_params_dir: Optional[Path] = None
    plots_dir: Optional[Path] = None
    quiet: bool = False  # only the final tables, no progress

    @classmethod
    def resolve(cls, model: str, implementations: Sequence[str], options: Options) -> "RunConfig":
        """The complete config the options give: each recipe field left out is the model's chapter recipe."""
        workload = Workload.resolve(model, tuple(implementations), options)
        epochs, batch_size = options.whole("epochs"), options.whole("batch_size")
        learning_rate = options.number("learning_rate")
        init, weight_scale = options.get("init"), options.number("weight_scale")
        progress = options.flag("progress")
        rest = given(data_dir=options.path("data_dir"), limit=options.whole("limit"),
                     target_accuracy=options.number("target_accuracy"), json_path=options.file_path("json"),
                     save_params_dir=options.path("save_params"), plots_dir=options.path("plots"),
                     quiet=None if progress is None else not progress)
        chapter = models()[model].recipe  # the one source of these defaults (the model was checked above)
        init = chapter.init if init is None else init
        if weight_scale is None and init != "xavier":  # xavier scales by fan-in and fan-out: none is recorded
            weight_scale = chapter.weight_scale
        return cls(workload.with_learning_rates(learning_rate), chapter.epochs if epochs is None else epochs,
                   chapter.batch_size if batch_size is None else batch_size, init, weight_scale,  # type: ignore[arg-type]
                   **rest)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self.init == "xavier" and self.weight_scale is not None:
            raise UsageError(f"--weight-scale {self.weight_scale:g} applies to --init normal only; xavier scales "
                             "each layer by its fan-in and fan-out")
        if self.epochs <= 0:
            raise UsageError(f"--epochs must be at least 1, got {self.epochs}")
        if self.batch_size <= 0:
            raise UsageError(f"--batch-size must be at least 1, got {self.batch_size}")
        if self.limit is not None and self.limit < 1:
            raise UsageError(f"--limit must be at least 1, got {self.limit}")
        if self.target_accuracy is not None and not 0 < self.target_accuracy <= 1:
            raise UsageError(f"--target-accuracy must be in (0, 1], got {self.target_accuracy}")
        if self.target_accuracy is not None and self.workload.spec().task != "classification":
            raise UsageError(f"--target-accuracy: --model {self.workload.model} is a regression; it has no accuracy "
                             "(its tables report the test loss)")
        if self.init != "xavier" and not (self.weight_scale is not None and math.isfinite(self.weight_scale)
                                          and 0 < self.weight_scale <= MAX_WEIGHT_SCALE):
            raise UsageError(f"--weight-scale must be a positive number up to {MAX_WEIGHT_SCALE:g}, "
                             f"got {self.weight_scale}")
        try:
            drawn = self.spec().training_examples()
        except ValueError as error:
            raise UsageError(str(error)) from error
        if self.limit is not None and drawn is not None and self.limit > drawn:  # Fashion-MNIST's: once it is read
            raise UsageError(f"--limit {self.limit:,}: --model {self.workload.model} draws {drawn:,} training "
                             f"examples; give at most {drawn:,}, or leave --limit out for all of them")
        if self.save_params_dir is not None and len(self.workload.seeds) > 1:
            raise UsageError(f"--save-params keeps one run's weights, and --seeds names {len(self.workload.seeds)}: "
                             "save them from a run of one --seed")
        if len(self.workload.precisions) > 1 and len(self.workload.optimizers) > 1:
            raise UsageError(f"--precision {','.join(self.workload.precisions)} with {len(self.workload.optimizers)} "
                             "update rules: compare precisions under one rule at a time")
        if self.save_params_dir is not None and len(self.workload.optimizers) > 1:
            raise UsageError(f"--save-params keeps one run's weights, and --optimizer and --weight-decay name "
                             f"{len(self.workload.optimizers)} update rules: save them from a run of one")

    def spec(self) -> NetworkSpec:
        """The model specification this run trains: its own initialisation, not only the chapter's."""
        return models()[self.workload.model].spec(self.init, self.weight_scale)

    def params_path(self, name: str) -> Path:
        """Where --save-params puts an implementation's weights."""
        return Path(self.save_params_dir or ".") / f"{name}.params"

    def planned_files(self, names: Sequence[str]) -> list[tuple[str, Path]]:
        """Every file this run will write, with the flag that asked for it (`--json -` writes none)."""
        files: list[tuple[str, Path]] = []
        if self.json_path is not None and self.json_path != STDOUT:
            files.append(("--json", self.json_path))
        if self.save_params_dir is not None:
            files += [("--save-params", self.params_path(name)) for name in names]
        if self.plots_dir is not None:
            files += [("--plots", self.plots_dir / file) for file in RUN_PLOT_FILES]
        return files

    def planned_folders(self) -> list[tuple[str, Path]]:
        return [(flag, path) for flag, path in (("--save-params", self.save_params_dir), ("--plots", self.plots_dir))
                if path is not None]

    def check_launchable(self, workers: int) -> None:
        """UsageError unless `workers` launched processes can run this (its KVStore, its batches split)."""
        choose_kvstore(self.workload.kvstore, LAUNCHED_WORKER)
        check_splittable(self.batch_size, len(self.workload.contexts), workers)
