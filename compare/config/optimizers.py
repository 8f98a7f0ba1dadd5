"""`--optimizer`, `--optimizer-params` and `--weight-decay` (or the API's `optimizer`, `optimizer_params`,
`weight_decay`) -> the validated `Optimizer`s a command trains with, their defaults defined here only. Their
learning rates are the workload's to resolve (`compare.config.workload`). No mxnet."""
from __future__ import annotations

from typing import Mapping, Union

from compare.errors import UsageError
from implementations.optimizers import HYPERPARAMETERS, LATER_EDITION, OPTIMIZERS, RULES, Optimizer, RuleRecipes

ALL = "all"  # every rule, in the chapters' order (run only: the optimization chapters' comparison)
DEFAULT_OPTIMIZER = "sgd"  # --optimizer unless given: the rule every chapter before the optimization ones uses
DEFAULT_WEIGHT_DECAY = 0.0  # --weight-decay unless given: no penalty
Names = Union[str, Optimizer, list, tuple, None]


def parse_names(given: Names) -> tuple[str, ...]:
    """'adam', 'sgd,adam', 'all' or a list of names -> the rule names, each once, in the order given."""
    if given is None:
        return (DEFAULT_OPTIMIZER,)
    if isinstance(given, Optimizer):
        return (given.name,)
    if isinstance(given, str):
        parts = [part.strip() for part in given.split(",")]
    elif isinstance(given, (list, tuple)) and all(isinstance(part, str) for part in given):
        parts = [part.strip() for part in given]
    else:
        raise UsageError(f"optimizer must be a name ({', '.join(OPTIMIZERS)}), a list of them or 'all', got {given!r}")
    if ALL in parts and parts != [ALL]:
        raise UsageError(f"--optimizer: {ALL} stands alone (it names every rule), got {','.join(parts)}")
    names = list(OPTIMIZERS) if parts == [ALL] else parts
    for name in names:
        if name not in RULES:
            raise UsageError(f"--optimizer: unknown optimizer {name!r}; valid: {', '.join(OPTIMIZERS)}, or {ALL}")
    if len(set(names)) != len(names):
        raise UsageError(f"--optimizer repeats a name: {','.join(names)}")
    return tuple(names)


def parse_params(given: Union[str, Mapping[str, object], None]) -> dict[str, float]:
    """'beta1=0.8,epsilon=1e-8' or a mapping -> {name: value}; every name one some rule takes."""
    if given is None:
        return {}
    if isinstance(given, str):
        pairs = {}
        for part in filter(None, (piece.strip() for piece in given.split(","))):
            key, equals, value = part.partition("=")
            if not equals:
                raise UsageError(f"--optimizer-params: {part!r} is not KEY=VALUE (e.g. beta1=0.8,epsilon=1e-8)")
            if key.strip() in pairs:
                raise UsageError(f"--optimizer-params names {key.strip()} twice")
            try:
                pairs[key.strip()] = float(value)
            except ValueError:
                raise UsageError(f"--optimizer-params: {key.strip()}={value!r} is not a number") from None
        given = pairs
    if not isinstance(given, Mapping):
        raise UsageError(f"optimizer_params must be 'key=value,...' or a dict, got {given!r}")
    for key, value in given.items():
        if key not in HYPERPARAMETERS or key == "weight_decay":
            valid = ", ".join(h for h in HYPERPARAMETERS if h != "weight_decay")
            raise UsageError(f"--optimizer-params: no optimizer takes {key!r}; valid: {valid} "
                             "(weight decay is --weight-decay)")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UsageError(f"--optimizer-params: {key} must be a number, got {value!r}")
    return {key: float(value) for key, value in given.items()}  # type: ignore[arg-type]


def parse_weight_decays(given: object) -> tuple[float, ...]:
    """3, '0,3' or [0, 3] -> the weight decays (lambda) asked for; None -> the default's alone."""
    if given is None:
        return (DEFAULT_WEIGHT_DECAY,)
    parts = given.split(",") if isinstance(given, str) else given if isinstance(given, (list, tuple)) else [given]
    decays = []
    for part in parts:
        try:
            if isinstance(part, bool):
                raise ValueError
            decays.append(float(part.strip() if isinstance(part, str) else part))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise UsageError(f"--weight-decay: {part!r} is not a number (e.g. 3, or 0,3 for both)") from None
    if not decays:
        raise UsageError("--weight-decay names no value")
    if len(set(decays)) != len(decays):
        raise UsageError(f"--weight-decay repeats a value: {given}")
    return tuple(decays)


def labels(optimizers: "tuple[Optimizer, ...]") -> list[str]:
    """What each optimizer of a run over several is called in implementation names: 'adam', or with several
    weight decays 'sgd wd=3'."""
    names = [optimizer.name for optimizer in optimizers]
    if len(set(names)) == len(names):
        return names
    short = [f"{optimizer.name} wd={optimizer.weight_decay:g}" for optimizer in optimizers]
    if len(set(short)) == len(short):
        return short
    return [f"{optimizer.name} wd={optimizer.weight_decay!r}" for optimizer in optimizers]  # 1e-4 vs 1.0000001e-4


def optimizers_from(names: Names, params: Union[str, Mapping[str, object], None] = None,
                    weight_decay: object = None, recipes: RuleRecipes = LATER_EDITION) -> tuple[Optimizer, ...]:
    """The optimizers asked for, each with each weight decay given; each takes the given hyperparameters it has
    (one none of them takes is refused) and `recipes`' for the rest (the model's: `Recipe.rules`)."""
    if isinstance(names, Optimizer):
        if params or weight_decay is not None:
            raise UsageError("optimizer given as an Optimizer carries its own hyperparameters and weight decay")
        return (names,)
    chosen, given, decays = parse_names(names), parse_params(params), parse_weight_decays(weight_decay)
    unused = [key for key in given if not any(key in RULES[name].hyperparameters for name in chosen)]
    if unused:
        raise UsageError(f"--optimizer-params {', '.join(unused)}: not a hyperparameter of {', '.join(chosen)}")
    built = []
    for name in chosen:
        own = tuple((key, value) for key, value in given.items() if key in RULES[name].hyperparameters)
        for decay in decays:
            try:
                built.append(Optimizer(name, own, decay, recipe=recipes.recipe(name)))
            except ValueError as error:
                flag = "--weight-decay" if "weight decay" in str(error) or "weight_decay" in str(error) \
                    else f"--optimizer {name}"
                raise UsageError(f"{flag}: {error}") from None
    return tuple(built)


DEFAULT_OPTIMIZERS = optimizers_from(None)  # sgd, no weight decay: what a workload trains with unless told
