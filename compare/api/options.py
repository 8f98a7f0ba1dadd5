"""The Python API's keyword options -> the same validated configs the flags build. Option names are the flags'
in Python form (`--batch-size` -> `batch_size`, `--lr` -> `learning_rate`); every default the caller leaves out
is the library's (the model's chapter recipe from the registry), never repeated here."""
import difflib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Optional, Sequence

from compare.api.objects import Given, implementation_entries, recorded
from compare.config import (
    BenchConfig,
    CheckConfig,
    ProfileConfig,
    RunConfig,
    RunOutputs,
    RunRecipe,
    TuneConfig,
    Workload,
)
from compare.devices.contexts import parse_contexts
from compare.devices.topology import KVSTORE_CHOICES
from compare.errors import UsageError
from compare.measuring.mxnet_settings import MXNetChoice, MXNetSettings
from compare.validation import parse_batch_sizes, parse_seeds

KVSTORES = KVSTORE_CHOICES  # what `kvstore` (--kvstore) accepts


def installed_implementations() -> list[str]:
    """The implementation names installed packages register, sorted (reads package metadata only)."""
    from compare.loading import installed_entry_points

    return sorted(installed_entry_points())


SETTINGS = ("threads", "engine", "omp_bind", "engine_workers", "aggregation", "tuned")
OPTIMIZER = ("optimizer", "optimizer_params", "weight_decay")
COMMON = ("seed", "ctx", "json", *OPTIMIZER, *SETTINGS)
OPTIONS = MappingProxyType({  # what each API function accepts besides `model` and `implementations`
    "run": ("epochs", "batch_size", "learning_rate", "init", "weight_scale", "seeds", "repeats", "data_dir", "limit",
            "target_accuracy", "save_params", "plots", "kvstore", "progress", *COMMON),
    "check": ("steps", "batch_size", "learning_rate", "synthetic", "data_dir", "kvstore", *COMMON),
    "bench": ("batch_size", "repeat", "kvstore", *COMMON),
    "profile": ("batch_size", "steps", "trace", *COMMON),
    "tune": ("batch_size", "rounds", "repeat", "seed", "ctx", "json"),  # tunes MXNet's settings under SGD
})


@dataclass(frozen=True)
class Options:
    """One API call's keyword options, checked against what its command takes."""

    command: str
    values: Mapping[str, object]

    def __post_init__(self) -> None:
        valid = OPTIONS[self.command]
        for name in self.values:
            if name not in valid:
                close = difflib.get_close_matches(name, valid, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise UsageError(f"{self.command}() has no option {name!r}{hint}; valid: {', '.join(sorted(valid))}")

    def get(self, name: str, default: object = None) -> object:
        """The option as given (validated by the config it goes into)."""
        return self.values.get(name, default)

    def whole(self, name: str, default: Optional[int] = None) -> Optional[int]:
        """A whole-number option (not a bool, not 1.5)."""
        value = self.values.get(name, default)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise UsageError(f"{name} must be a whole number, got {value!r}")
        return value  # type: ignore[return-value]

    def number(self, name: str) -> Optional[float]:
        """A numeric option (not a bool, not text)."""
        value = self.values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise UsageError(f"{name} must be a number, got {value!r}")
        return None if value is None else float(value)

    def path(self, name: str) -> Optional[Path]:
        """A path option (json '-' is the command line's stdout; the Python API refuses it)."""
        value = self.values.get(name)
        if value is not None and (not isinstance(value, (str, Path)) or not str(value).strip()):
            raise UsageError(f"{name} must be a path, got {value!r}")
        return None if value is None else Path(value)

    def flag(self, name: str, default: bool = False) -> bool:
        """A True/False option."""
        value = self.values.get(name, default)
        if not isinstance(value, bool):
            raise UsageError(f"{name} must be True or False, got {value!r}")
        return value

    def contexts(self) -> tuple:
        """ctx: 'cpu', 'cpu:0,cpu:1', or a list of such names."""
        value = self.values.get("ctx", "cpu")
        if isinstance(value, (list, tuple)) and value and all(isinstance(part, str) for part in value):
            value = ",".join(value)
        if not isinstance(value, str):
            raise UsageError(f"ctx must be a context name like 'cpu' or 'cpu:0,cpu:1', or a list of them, "
                             f"got {value!r}")
        return parse_contexts(value)

    def optimizers(self) -> tuple:
        """optimizer ('adam', 'sgd,adam', 'all', a list, or an Optimizer), optimizer_params, weight_decay."""
        from compare.optimizer_choice import optimizers_from

        return optimizers_from(self.values.get("optimizer"), self.values.get("optimizer_params"),  # type: ignore[arg-type]
                               self.values.get("weight_decay"))

    def seed(self) -> int:
        """seed, 0 unless given."""
        return self.whole("seed", 0)  # type: ignore[return-value]

    def mxnet(self) -> MXNetChoice:
        """MXNet's load-time settings asked for (in a kernel that has loaded mxnet: only those in force pass)."""
        bind = self.values.get("omp_bind")
        if isinstance(bind, str):
            bind = {"on": True, "off": False}.get(bind, bind)
        if bind is not None and not isinstance(bind, bool):
            raise UsageError(f"omp_bind must be True, False, 'on' or 'off', got {bind!r}")
        engine = self.values.get("engine")
        settings = MXNetSettings(threads=self.whole("threads"), bind=bind, engine=engine,  # type: ignore[arg-type]
                                 engine_workers=self.whole("engine_workers"), aggregation=self.whole("aggregation"))
        return MXNetChoice(settings, self.path("tuned"))


def _seeds(options: Options) -> tuple[int, ...]:
    """seed, seeds (a list or "0,1,2") or repeats, as `--seed`, `--seeds` and `--repeats` combine."""
    seeds = options.get("seeds")
    if seeds is not None and not isinstance(seeds, str):
        if not isinstance(seeds, (list, tuple, range)) or not all(
                isinstance(seed, int) and not isinstance(seed, bool) for seed in seeds):
            raise UsageError(f"seeds must be a list of whole numbers, got {seeds!r}")
        seeds = ",".join(map(str, seeds))
    return parse_seeds(options.seed(), seeds, options.whole("repeats"))  # type: ignore[arg-type]


def workload(model: str, recorded: Sequence[str], options: Options, seeds: Optional[tuple[int, ...]] = None
             ) -> Workload:
    """The Workload the same flags give: model, implementations, contexts, KVStore, seed(s), MXNet settings."""
    return Workload(model=model, implementations=tuple(recorded), contexts=options.contexts(),
                    kvstore=options.get("kvstore"), seeds=(options.seed(),) if seeds is None else seeds,  # type: ignore[arg-type]
                    mxnet=options.mxnet(), optimizers=options.optimizers())


def run_config(model: str, recorded: Sequence[str], options: Options) -> RunConfig:
    """`compare.run`'s options as the RunConfig `compare run` builds from the same flags."""
    recipe = RunRecipe(
        workload(model, recorded, options, _seeds(options)), epochs=options.whole("epochs"),
        batch_size=options.whole("batch_size"), learning_rate=options.number("learning_rate"),
        init=options.get("init"), weight_scale=options.number("weight_scale"),  # type: ignore[arg-type]
        data_dir=options.path("data_dir"), limit=options.whole("limit"),
        target_accuracy=options.number("target_accuracy"))
    outputs = RunOutputs(json_path=options.path("json"), save_params_dir=options.path("save_params"),
                         plots_dir=options.path("plots"), quiet=not options.flag("progress", default=True))
    return RunConfig(recipe, outputs)


def check_config(model: str, recorded: Sequence[str], options: Options) -> CheckConfig:
    """`compare.check`'s options as the CheckConfig `compare check` builds."""
    return CheckConfig(workload(model, recorded, options),
                       steps=options.whole("steps", CheckConfig.steps),  # type: ignore[arg-type]
                       batch_size=options.whole("batch_size", CheckConfig.batch_size),  # type: ignore[arg-type]
                       learning_rate=options.number("learning_rate"), synthetic=options.flag("synthetic"),
                       data_dir=options.path("data_dir"), json_path=options.path("json"))


def _batch_sizes(options: Options) -> Optional[tuple[int, ...]]:
    value = options.get("batch_size")
    if value is None or isinstance(value, str):
        return None if value is None else parse_batch_sizes(value)
    sizes = (value,) if isinstance(value, int) else tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if not all(isinstance(size, int) and not isinstance(size, bool) for size in sizes):
        raise UsageError(f"batch_size must be a whole number or a list of them, got {value!r}")
    return sizes


def bench_config(model: str, recorded: Sequence[str], options: Options) -> BenchConfig:
    """`compare.bench`'s options as the BenchConfig `compare bench` builds."""
    return BenchConfig(workload(model, recorded, options), batch_sizes=_batch_sizes(options),
                       repeat=options.whole("repeat", BenchConfig.repeat),  # type: ignore[arg-type]
                       json_path=options.path("json"))


def profile_config(model: str, recorded: Sequence[str], options: Options) -> ProfileConfig:
    """`compare.profile`'s options as the ProfileConfig `compare profile` builds."""
    return ProfileConfig(workload(model, recorded, options),
                         batch_size=options.whole("batch_size", ProfileConfig.batch_size),  # type: ignore[arg-type]
                         steps=options.whole("steps", ProfileConfig.steps),  # type: ignore[arg-type]
                         trace_dir=options.path("trace"), json_path=options.path("json"))


def tune_config(model: str, recorded: Sequence[str], options: Options) -> TuneConfig:
    """`compare tune`'s flags as its TuneConfig (tune has no Python function: it starts processes)."""
    return TuneConfig(workload(model, recorded, options),
                      batch_size=options.whole("batch_size", TuneConfig.batch_size),  # type: ignore[arg-type]
                      rounds=options.whole("rounds", TuneConfig.rounds),  # type: ignore[arg-type]
                      repeat=options.whole("repeat", TuneConfig.repeat),  # type: ignore[arg-type]
                      json_path=options.path("json"))


BUILDERS = MappingProxyType({"run": run_config, "check": check_config, "bench": bench_config,
                             "profile": profile_config, "tune": tune_config})


def config_for(command: str, model: str, implementations: Given, values: Mapping[str, object]) -> object:
    """The validated config of `command` from its options (the Python API's keywords, or a command's flags
    in Python form): the one way either becomes a config."""
    return BUILDERS[command](model, recorded(implementation_entries(implementations)), Options(command, values))
