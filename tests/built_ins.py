"""Building a built-in implementation by name, for tests that need one model directly."""
from implementations.lenet.spec import LeNetSpec
from implementations.protocol import Devices, Model
from implementations.registry import build_model, builtins


def create_model(name: str, spec: LeNetSpec, devices: Devices, seed: int) -> Model:
    """The built-in `name`, loaded with the initial weights of `seed`; ValueError listing the valid names."""
    known = builtins()
    if name not in known:
        raise ValueError(f"unknown implementation {name!r}; valid: {', '.join(sorted(known))}")
    return build_model(known[name].factory(), spec, devices, seed)
