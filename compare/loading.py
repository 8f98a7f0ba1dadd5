"""Which implementations a command runs: built-in names, installed entry points, or `[NAME=]module.path:attr`.

Every implementation from outside is built once on load and checked against the `Model` protocol
(`protocol_check`) before any training.
"""
import importlib
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence, Union

from compare.errors import UsageError, one_line
from compare.signals import IMPLEMENTATION_ERRORS, Interrupt
from compare.validation import display_name
from implementations.optimizers import SGD, Optimizer
from implementations.registry import BuiltIn, Factory, KnownDifference, builtins, implementation_names
from implementations.spec_base import NetworkSpec

if TYPE_CHECKING:
    import mxnet

    from compare.measuring.precision import Bf16Operators

ENTRY_POINT_GROUP = "gluon_vs_scratch.implementations"
OWN_PACKAGES = ("compare", "implementations")  # a learner's module of either name is hidden by ours


@dataclass(frozen=True)
class Implementation:
    """A name for tables and JSON, and the factory `(spec, devices) -> Model` that builds it."""

    name: str
    factory: Factory
    source: str  # "built-in", "entry point", or the module:attr it was loaded from
    known_difference: Optional[KnownDifference] = None  # built-ins only: what `check` explains rather than fails
    optimizer: Optional[Optimizer] = None  # its own update rule (run over several optimizers), else the command's
    # bf16: the AMP operators it is built and run with (`compare.training.precision`); None: float32
    low_precision: Optional["Bf16Operators"] = None


def installed_entry_points() -> dict[str, metadata.EntryPoint]:
    """Implementations that installed packages register under ENTRY_POINT_GROUP, by name (none loaded)."""
    points = metadata.entry_points()
    group = points.select(group=ENTRY_POINT_GROUP) if hasattr(points, "select") else points.get(ENTRY_POINT_GROUP, [])
    return {point.name: point for point in group}


def _import_target(entry: str, target: str) -> Factory:
    """The callable at `module.path:attr`, imported from the current directory or PYTHONPATH."""
    module_name, _, attribute = target.partition(":")
    if not module_name.strip() or not attribute.strip():
        raise UsageError(f"--impl {entry}: expected a built-in name or [NAME=]module.path:attr")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` does
    import implementations.mxnet_compat  # noqa: F401  (so the user's own `import mxnet` finds it shimmed)
    top = module_name.strip().split(".")[0]
    if top in OWN_PACKAGES and (Path.cwd() / f"{top}.py").is_file():
        raise UsageError(f"--impl {entry}: your {top}.py is hidden by this tool's own package of that name; "
                         "rename your file (e.g. my_lenet.py)")
    try:
        module = importlib.import_module(module_name.strip())
    except Interrupt:
        raise
    except IMPLEMENTATION_ERRORS as error:  # a user's module can fail in any way while importing
        raise UsageError(f"--impl {entry}: cannot import {module_name} ({one_line(error)})") from error
    value = module
    for part in attribute.strip().split("."):
        if not hasattr(value, part):
            raise UsageError(f"--impl {entry}: module {module_name} has no attribute {attribute}")
        value = getattr(value, part)
    if not callable(value):
        raise UsageError(f"--impl {entry}: {target} is not callable (expected (spec, devices) -> Model)")
    return value



def resolve_entry(entry: str, known: Optional[dict[str, BuiltIn]] = None,
                  installed: Optional[dict[str, metadata.EntryPoint]] = None) -> Implementation:
    """One --impl entry -> its name and factory (not built yet); `known`/`installed` when already read."""
    known = builtins() if known is None else known
    if entry in known:
        builtin = known[entry]
        return Implementation(entry, builtin.factory(), "built-in", builtin.known_difference)
    installed = installed_entry_points() if installed is None else installed
    if entry in installed:
        try:
            return Implementation(entry, installed[entry].load(), "entry point")
        except Interrupt:
            raise
        except IMPLEMENTATION_ERRORS as error:
            raise UsageError(f"--impl {entry}: its entry point cannot be loaded ({one_line(error)})") from error
    if ":" not in entry:
        valid = sorted(known) + sorted(installed)
        raise UsageError(f"unknown implementation {entry}; valid: {', '.join(valid)} (or module.path:attr)")
    name = display_name(entry)
    target = entry.split("=", 1)[1] if name != entry else entry
    if name != entry and name in known:
        raise UsageError(f"--impl {entry}: {name} is a built-in name; call yours something else")
    return Implementation(name, _import_target(entry, target.strip()), target.strip())


Entry = Union[str, Implementation]  # an --impl entry, or an implementation the Python API was handed as an object


def select_implementations(entries: Sequence[Entry], spec: NetworkSpec, model: str, ctx: "mxnet.Context",
                           data_parallel: bool = False, optimizers: Sequence[Optimizer] = (SGD,)
                           ) -> list[Implementation]:
    """The implementations `entries` name or are (empty: every built-in of `model`), each from outside checked
    against the protocol (built for `spec` on `ctx`; with `data_parallel`, refused unless it declares it can be)."""
    from compare.protocol_check import check_protocol

    known, installed = builtins(model), installed_entry_points()  # read once, not per entry
    implementations = [entry if isinstance(entry, Implementation) else resolve_entry(entry, known, installed)
                       for entry in entries or implementation_names(model)]
    for implementation in implementations:
        if implementation.source != "built-in":
            check_protocol(implementation, spec, ctx, data_parallel, optimizers)
    return implementations


def entry_label(entry: Entry) -> str:
    """The name an entry shows under (tables, JSON, parameter files)."""
    return entry.name if isinstance(entry, Implementation) else display_name(entry)
