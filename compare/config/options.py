"""What a command is asked: its options, from flags or the Python API's keywords, by the flags' names in Python
form (`--batch-size` -> `batch_size`, `--lr` -> `learning_rate`). An unknown name is refused with the closest
one; each value is read as its flag reads it. None means not given: the default is the config's (the flags
pass None for every flag left out), never repeated here. No mxnet."""
import difflib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Optional

from compare.devices.contexts import ContextSpec, parse_contexts
from compare.errors import UsageError
from compare.measuring.blas_core import core_type
from compare.measuring.mxnet_settings import MXNetChoice, MXNetSettings
from compare.validation import folder_named, parse_batch_sizes, parse_seeds

STDOUT = Path("-")  # `--json -`: the JSON goes to stdout, the tables to stderr

SETTINGS = ("threads", "engine", "omp_bind", "engine_workers", "aggregation", "blas_core", "tuned")
OPTIMIZER = ("optimizer", "optimizer_params", "weight_decay")
COMMON = ("seed", "ctx", "json", *OPTIMIZER, *SETTINGS)
OPTIONS = MappingProxyType({  # what each command takes besides its model and implementations (or its files)
    "run": ("epochs", "batch_size", "learning_rate", "init", "weight_scale", "seeds", "repeats", "data_dir", "limit",
            "target_accuracy", "save_params", "plots", "kvstore", "progress", "precision", *COMMON,
            "sampling", "clip", "text", "num_steps", "num_hiddens", "max_chars", "prefixes", "holdout"),  # language models
    "check": ("steps", "batch_size", "learning_rate", "synthetic", "data_dir", "kvstore", "precision", *COMMON,
              "sampling", "clip", "text", "num_steps", "num_hiddens", "max_chars"),  # the language models
    "bench": ("batch_size", "repeat", "kvstore", "precision", *COMMON,
              "text", "num_steps", "num_hiddens", "max_chars"),  # the language models
    "profile": ("batch_size", "steps", "trace", *COMMON, "text", "num_steps", "num_hiddens", "max_chars"),
    "tune": ("batch_size", "rounds", "repeat", "seed", "ctx", "json"),  # tunes MXNet's settings under SGD
    "diff": ("threshold", "json"),
})


def given(**values: object) -> dict[str, object]:
    """The values that were given (not None), as keyword arguments: a config's own field defaults fill the rest."""
    return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class Options:
    """One command's options, checked against what it takes."""

    command: str
    values: Mapping[str, object]

    def __post_init__(self) -> None:
        valid = OPTIONS[self.command]
        for name in self.values:
            if name not in valid:
                close = difflib.get_close_matches(name, valid, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise UsageError(f"{self.command}() has no option {name!r}{hint}; valid: {', '.join(sorted(valid))}")

    def get(self, name: str) -> object:
        """The option as given (validated by the config it goes into)."""
        return self.values.get(name)

    def whole(self, name: str) -> Optional[int]:
        """A whole-number option (not a bool, not 1.5)."""
        value = self.values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise UsageError(f"{name} must be a whole number, got {value!r}")
        return value

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

    def file_path(self, name: str) -> Optional[Path]:
        """A path option that names a file (json, tuned): as `path`, and a trailing '/' (a folder) is refused."""
        value = self.values.get(name)
        folder = folder_named(value) if isinstance(value, str) else None
        if folder:
            raise UsageError(f"{name}: {folder}")
        return self.path(name)

    def flag(self, name: str) -> Optional[bool]:
        """A True/False option."""
        value = self.values.get(name)
        if value is not None and not isinstance(value, bool):
            raise UsageError(f"{name} must be True or False, got {value!r}")
        return value

    def contexts(self) -> Optional[tuple[ContextSpec, ...]]:
        """ctx: 'cpu', 'cpu:0,cpu:1', or a list of such names."""
        value = self.values.get("ctx")
        if value is None:
            return None
        if isinstance(value, (list, tuple)) and value and all(isinstance(part, str) for part in value):
            value = ",".join(value)
        if not isinstance(value, str):
            raise UsageError(f"ctx must be a context name like 'cpu' or 'cpu:0,cpu:1', or a list of them, "
                             f"got {value!r}")
        return parse_contexts(value)

    def optimizers(self, recipes: object) -> tuple:
        """optimizer ('adam', 'sgd,adam', 'all', a list, or an Optimizer), optimizer_params, weight_decay; what
        they leave out is `recipes`' (the model's `RuleRecipes`)."""
        from compare.config.optimizers import optimizers_from

        return optimizers_from(self.values.get("optimizer"), self.values.get("optimizer_params"),  # type: ignore[arg-type]
                               self.values.get("weight_decay"), recipes)  # type: ignore[arg-type]

    def seeds(self, default_seed: int) -> tuple[int, ...]:
        """seed, seeds (a list or "0,1,2") or repeats, as `--seed`, `--seeds` and `--repeats` combine."""
        seeds = self.values.get("seeds")
        if seeds is not None and not isinstance(seeds, str):
            if not isinstance(seeds, (list, tuple, range)) or not all(
                    isinstance(seed, int) and not isinstance(seed, bool) for seed in seeds):
                raise UsageError(f"seeds must be a list of whole numbers, got {seeds!r}")
            seeds = ",".join(map(str, seeds))
        seed = self.whole("seed")
        return parse_seeds(default_seed if seed is None else seed, seeds, self.whole("repeats"))

    def batch_sizes(self) -> Optional[tuple[int, ...]]:
        """batch_size as bench takes it: one size, a list, or "1,64,256"."""
        value = self.values.get("batch_size")
        if value is None or isinstance(value, str):
            return None if value is None else parse_batch_sizes(value)
        sizes = (value,) if isinstance(value, int) else tuple(value) if isinstance(value, (list, tuple)) else (value,)
        if not all(isinstance(size, int) and not isinstance(size, bool) for size in sizes):
            raise UsageError(f"batch_size must be a whole number or a list of them, got {value!r}")
        return sizes

    def mxnet(self) -> MXNetChoice:
        """MXNet's load-time settings asked for (in a kernel that has loaded mxnet: only those in force pass)."""
        bind = self.values.get("omp_bind")
        if isinstance(bind, str):
            bind = {"on": True, "off": False}.get(bind, bind)
        if bind is not None and not isinstance(bind, bool):
            raise UsageError(f"omp_bind must be True, False, 'on' or 'off', got {bind!r}")
        engine = self.values.get("engine")
        settings = MXNetSettings(threads=self.whole("threads"), bind=bind, engine=engine,  # type: ignore[arg-type]
                                 engine_workers=self.whole("engine_workers"), aggregation=self.whole("aggregation"),
                                 blas_core=core_type(self.values.get("blas_core")))  # any case: OpenBLAS's
        return MXNetChoice(settings, self.file_path("tuned"))
