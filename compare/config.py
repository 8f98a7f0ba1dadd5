"""Configuration of every command: frozen dataclasses, validated when built, defaults defined here only.

The CLI builds one from its flags and passes it down; nothing below the command layer sees argparse.
No mxnet behind this module, so `--help` can read the defaults instantly.
"""
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from compare.devices.topology import LAUNCHED_WORKER, check_splittable, choose_kvstore
from compare.errors import UsageError
from compare.validation import (
    MAX_BATCH_SIZES,
    MAX_REPEATS,
    MAX_STEPS,
    MAX_WEIGHT_SCALE,
    check_bounded,
    check_learning_rate,
)
from compare.workload import OnWorkload, Workload, fill_from_recipe
from implementations.registry import models
from implementations.spec_base import NetworkSpec

STDOUT = Path("-")  # `--json -`: the JSON goes to stdout, the tables to stderr


DEFAULT_BENCH_SIZES = (1, 64, 256)
CHECK_BATCH = 64  # check's batch unless told (a model drawing fewer training examples: all of them)


RECIPE_FIELDS = ("epochs", "batch_size", "init", "weight_scale")  # None: the chapter's


@dataclass(frozen=True)
class RunRecipe(OnWorkload):
    """What `compare run` trains and how; every field left None is the model's chapter recipe (from the
    registry). Recorded in the results file."""

    workload: Workload = Workload()
    epochs: Optional[int] = None
    batch_size: Optional[int] = None
    learning_rate: Optional[float] = None
    init: Optional[str] = None  # "normal" (N(0, weight_scale)) or "xavier"
    weight_scale: Optional[float] = None
    data_dir: Optional[Path] = None  # None: search MXNET_HOME, then Debian's package
    limit: Optional[int] = None  # use only the first `limit` training examples
    target_accuracy: Optional[float] = None  # report the time each model takes to reach it

    def __post_init__(self) -> None:
        if self.init == "xavier" and self.weight_scale is not None:
            raise UsageError(f"--weight-scale {self.weight_scale:g} applies to --init normal only; xavier scales "
                             "each layer by its fan-in and fan-out")
        fill_from_recipe(self, self.model, RECIPE_FIELDS)
        object.__setattr__(self, "learning_rate", self._resolve_learning_rate(self.learning_rate))
        if self.epochs <= 0:
            raise UsageError(f"--epochs must be at least 1, got {self.epochs}")
        if self.batch_size <= 0:
            raise UsageError(f"--batch-size must be at least 1, got {self.batch_size}")
        check_learning_rate(self.learning_rate)
        if self.limit is not None and self.limit < 1:
            raise UsageError(f"--limit must be at least 1, got {self.limit}")
        if self.target_accuracy is not None and not 0 < self.target_accuracy <= 1:
            raise UsageError(f"--target-accuracy must be in (0, 1], got {self.target_accuracy}")
        if self.target_accuracy is not None and models()[self.model].spec().task != "classification":
            raise UsageError(f"--target-accuracy: --model {self.model} is a regression; it has no accuracy (its "
                             "tables report the test loss)")
        if self.init == "xavier":
            object.__setattr__(self, "weight_scale", None)  # recorded as not used
        elif not (math.isfinite(self.weight_scale) and 0 < self.weight_scale <= MAX_WEIGHT_SCALE):
            raise UsageError(f"--weight-scale must be a positive number up to {MAX_WEIGHT_SCALE:g}, "
                             f"got {self.weight_scale}")
        try:
            self.spec()
        except ValueError as error:
            raise UsageError(str(error)) from error

    def spec(self) -> NetworkSpec:
        """The model specification this run trains."""
        return models()[self.model].spec(self.init, self.weight_scale)


LEARNING_CURVES, THROUGHPUT, PREDICTIONS = "learning_curves.png", "throughput.png", "predictions.png"
RUN_PLOT_FILES = (LEARNING_CURVES, THROUGHPUT, PREDICTIONS)  # what `--plots DIR` writes into DIR


@dataclass(frozen=True)
class RunOutputs:
    """Where `compare run` writes, and how much it prints; never recorded in the results file."""

    json_path: Optional[Path] = None  # STDOUT: JSON to stdout, tables to stderr
    save_params_dir: Optional[Path] = None
    plots_dir: Optional[Path] = None
    quiet: bool = False

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


@dataclass(frozen=True)
class RunConfig(OnWorkload):
    """`compare run`: the recipe (with its workload) and where its outputs go, kept apart; the workload's
    fields read through as every config's do."""

    recipe: RunRecipe = RunRecipe()
    outputs: RunOutputs = RunOutputs()

    @property
    def workload(self) -> Workload:  # type: ignore[override]
        return self.recipe.workload

    def spec(self) -> NetworkSpec:
        """The recipe's spec: its own initialisation, not only the chapter's."""
        return self.recipe.spec()

    def __post_init__(self) -> None:
        if self.outputs.save_params_dir is not None and len(self.recipe.seeds) > 1:
            raise UsageError(f"--save-params keeps one run's weights, and --seeds names {len(self.recipe.seeds)}: "
                             "save them from a run of one --seed")
        if self.outputs.save_params_dir is not None and len(self.optimizers) > 1:
            raise UsageError(f"--save-params keeps one run's weights, and --optimizer and --weight-decay name "
                             f"{len(self.optimizers)} update rules: save them from a run of one")

    def check_launchable(self, workers: int) -> None:
        """UsageError unless `workers` launched processes can run this (its KVStore, its batches split)."""
        choose_kvstore(self.recipe.kvstore, LAUNCHED_WORKER)
        check_splittable(self.recipe.batch_size, len(self.recipe.contexts), workers)


@dataclass(frozen=True)
class CheckConfig(OnWorkload):
    """`compare check`: one batch, every implementation against scratch (several contexts: also the
    data-parallel step against one device)."""

    workload: Workload = Workload()
    steps: int = 10  # update steps before the weights are compared
    batch_size: Optional[int] = None  # None: 64, or the whole training split of a model that draws fewer
    learning_rate: Optional[float] = None  # None: the model's chapter recipe
    synthetic: bool = False  # random images instead of real Fashion-MNIST
    data_dir: Optional[Path] = None
    json_path: Optional[Path] = None  # STDOUT: JSON to stdout, tables to stderr

    def __post_init__(self) -> None:
        self._one_seed()
        check_bounded("--steps", self.steps, 1, MAX_STEPS)
        if self.batch_size is None:
            object.__setattr__(self, "batch_size", min(CHECK_BATCH, self.spec().training_examples() or CHECK_BATCH))
        if self.batch_size < 2:
            raise UsageError(f"--batch-size must be at least 2 (steps alternate full and two-thirds batches), "
                             f"got {self.batch_size}")
        self._one_optimizer()
        object.__setattr__(self, "learning_rate", self._resolve_learning_rate(self.learning_rate))

    def check_launchable(self, workers: int) -> None:
        """UsageError unless `workers` launched processes can run this (its KVStore, its batch split, a model
        whose data-parallel steps can match one device's)."""
        choose_kvstore(self.kvstore, LAUNCHED_WORKER)
        check_splittable(self.batch_size, len(self.contexts), workers)
        self.refuse_data_parallel(f"launch --workers {workers} -- check")

    def refuse_data_parallel(self, where: str) -> None:
        """Models whose data-parallel steps differ from one device's by design are checked on one device only."""
        spec = self.spec()
        if spec.state_shapes():
            raise UsageError(f"{where} --model {self.model}: each device normalizes its own shard with its own batch "
                             "statistics, so data-parallel batch norm differs from one device's by design; check it "
                             "on one device")
        if spec.drop_rates:
            raise UsageError(f"{where} --model {self.model}: every shard draws its own dropout masks, so data-parallel "
                             "steps cannot match one device's; check dropout on one device (its keep rates and "
                             "scaling are tested there)")


@dataclass(frozen=True)
class BenchConfig(OnWorkload):
    """`compare bench`: steady-state samples/s per implementation and batch size (several contexts: also the
    scaling against one device)."""

    workload: Workload = Workload()
    batch_sizes: Optional[tuple[int, ...]] = None  # None: DEFAULT_BENCH_SIZES those the devices can split
    repeat: int = 5  # timed repeats per measurement, the implementations taking turns
    json_path: Optional[Path] = None

    def sizes_for(self, workers: int) -> tuple[int, ...]:
        """The batch sizes to measure over the contexts of `workers` processes; a given size too small to split
        is a UsageError, a default one is left out."""
        pieces = workers * len(self.contexts)
        if self.batch_sizes is None:
            return tuple(size for size in DEFAULT_BENCH_SIZES if size >= pieces) or (pieces,)
        check_splittable(min(self.batch_sizes), len(self.contexts), workers)
        return self.batch_sizes

    def __post_init__(self) -> None:
        self._one_seed()
        self._one_optimizer()
        if self.batch_sizes is not None and (not self.batch_sizes or min(self.batch_sizes) < 1):
            raise UsageError(f"--batch-size values must be at least 1, got {','.join(map(str, self.batch_sizes))}")
        if self.batch_sizes is not None and len(set(self.batch_sizes)) != len(self.batch_sizes):
            raise UsageError(f"--batch-size repeats a size: {','.join(map(str, self.batch_sizes))}")
        if self.batch_sizes is not None and len(self.batch_sizes) > MAX_BATCH_SIZES:
            raise UsageError(f"--batch-size names {len(self.batch_sizes)} sizes; at most {MAX_BATCH_SIZES}")
        check_bounded("--repeat", self.repeat, 1, MAX_REPEATS)

    def check_launchable(self, workers: int) -> None:
        """UsageError unless `workers` launched processes can run this (its KVStore, its batch sizes split)."""
        choose_kvstore(self.kvstore, LAUNCHED_WORKER)
        self.sizes_for(workers)


@dataclass(frozen=True)
class ProfileConfig(OnWorkload):
    """`compare profile`: K training steps per implementation under MXNet's profiler (several contexts: each
    step data parallel over them)."""

    workload: Workload = Workload()
    batch_size: int = 256
    steps: int = 10  # profiled steps, after warm-up; the tables show per-step means
    trace_dir: Optional[Path] = None  # Chrome trace per implementation and the stacked-bar PNG go here
    json_path: Optional[Path] = None  # STDOUT: JSON to stdout, tables to stderr

    def __post_init__(self) -> None:
        self._one_seed()
        self._one_optimizer()
        if self.batch_size < 1:
            raise UsageError(f"--batch-size must be at least 1, got {self.batch_size}")
        check_bounded("--steps", self.steps, 1, MAX_STEPS)
        check_splittable(self.batch_size, len(self.contexts))


@dataclass(frozen=True)
class DiffConfig:
    """`compare diff`: two results files of the same kind."""

    old_path: Path
    new_path: Path
    threshold_percent: float = 10.0  # used where a file has a single sample (one seed, one repeat)
    fail_on_regression: bool = False
    json_path: Optional[Path] = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.threshold_percent) and self.threshold_percent >= 0):
            raise UsageError(f"--threshold must be a percentage ≥ 0, got {self.threshold_percent}")


@dataclass(frozen=True)
class PlotConfig:
    """`compare plot`: redraw the pictures of a saved run."""

    results_path: Path
    out_dir: Path




MAX_TUNE_ROUNDS = 20


@dataclass(frozen=True)
class TuneConfig(OnWorkload):
    """`compare tune`: MXNet's load-time settings measured for these implementations, batch size and contexts
    (several contexts: the synchronous engine is not a candidate; the workload's own settings are not used)."""

    workload: Workload = Workload()
    batch_size: int = 256
    rounds: int = 3  # each stage's candidates measured this many times, the order rotating
    repeat: int = 5  # bench's timed repeats inside each candidate's process (their median is its rate)
    json_path: Optional[Path] = None

    def __post_init__(self) -> None:
        self._one_seed()
        check_bounded("--batch-size", self.batch_size, 1, 65536)
        check_bounded("--rounds", self.rounds, 2, MAX_TUNE_ROUNDS)  # one round has no interval
        check_bounded("--repeat", self.repeat, 1, MAX_REPEATS)
        check_splittable(self.batch_size, len(self.contexts), 1)
