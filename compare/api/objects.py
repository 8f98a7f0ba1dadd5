"""What `implementations=` may be in the Python API: built-in names, "module:attr" strings, and objects — a
class or factory `(spec, devices) -> Model` defined anywhere, a notebook cell included — alone, in a list, or
as a {name: factory} mapping. Each object becomes an `Implementation` checked against the protocol like --impl."""
from typing import Iterable, Mapping, Optional, Union

from compare.errors import UsageError
from compare.loading import Entry, Implementation, entry_label
from compare.validation import check_implementations, parse_implementation_list

Given = Union[None, str, object]  # what a caller may pass (a sequence or mapping of the above, or one of them)


def _source(factory: object) -> str:
    """Where an object came from, for the JSON: `module:qualname` (`__main__:MyLeNet` for a notebook's)."""
    module = getattr(factory, "__module__", None) or "?"
    return f"{module}:{getattr(factory, '__qualname__', type(factory).__name__)}"


def _built_in_names() -> set[str]:
    """Every name a built-in implementation has in any model (scratch, gluon, ...): a learner's object may take none."""
    from implementations.registry import implementation_names, models

    return {name for model in models() for name in implementation_names(model)}


def _instance_hint(value: object) -> str:
    """What to pass instead of an instance of a class: the class itself, or a factory."""
    return (f"implementations: {value!r} is an instance of {type(value).__name__}; pass the class "
            f"({type(value).__name__}) or a factory (spec, devices) -> model, which is called once per run")


def _entry(value: object, name: Optional[str] = None) -> Entry:
    """One entry: a string as --impl takes it (`name` prefixed as NAME=), an object as an Implementation."""
    if name is not None and not name.strip():
        what = getattr(value, "__name__", None) or repr(value)
        raise UsageError(f"implementations: the key {name!r} names nothing; give it a name, e.g. {{'mine': {what}}}")
    if isinstance(value, str):
        if name is None or name == value:
            return value
        if ":" not in value:
            raise UsageError(f"implementations: {{{name!r}: {value!r}}} renames a built-in; built-ins keep their names")
        return f"{name}={value}"
    if not callable(value):
        if type(value).__module__ != "builtins":  # an object of the learner's own class: the class was meant
            raise UsageError(_instance_hint(value))
        raise UsageError(f"implementations: {value!r} is neither a name, a 'module:attr' string nor a callable "
                         "(spec, devices) -> Model")
    label = name if name is not None else getattr(value, "__name__", None)
    if not label:
        raise UsageError(f"implementations: {value!r} has no __name__; pass it as {{'name': factory}}")
    if str(label) in _built_in_names():
        raise UsageError(f"implementations: {label} is a built-in name; call yours something else, e.g. "
                         f"{{'my-{label}': {getattr(value, '__name__', 'factory')}}}")
    return Implementation(str(label), value, _source(value))  # type: ignore[arg-type]


def implementation_entries(given: Given) -> list[Entry]:
    """The entries `given` names or holds, in order ([]: every built-in of the model); names validated as --impl's."""
    if given is None:
        return []
    if isinstance(given, str):
        entries: list[Entry] = list(parse_implementation_list(given))
    elif isinstance(given, Mapping):
        entries = [_entry(value, str(name)) for name, value in given.items()]
    elif callable(given):
        entries = [_entry(given)]
    elif not isinstance(given, Iterable):
        raise UsageError(_instance_hint(given) if type(given).__module__ != "builtins" else
                         f"implementations: expected names, objects, a list or a mapping, got {given!r}")
    else:
        entries = [_entry(value) for value in given]
        if not entries:
            raise UsageError("implementations: the list names no implementation; pass None for every built-in")
    check_implementations(tuple(entry_label(entry) for entry in entries))
    return entries


def recorded(entries: list[Entry]) -> tuple[str, ...]:
    """What the results file records for the entries: strings as given, objects by name."""
    return tuple(entry if isinstance(entry, str) else entry.name for entry in entries)
