"""Two parameter files (`run --save-params`) compared array by array: which model each holds, and how far apart
each parameter and state array is. Files of two different models are refused, naming both."""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from compare.errors import ResultsFileError

MXNET_LIST_MAGIC = (0x112).to_bytes(8, "little")  # the first 8 bytes of every mx.nd.save file


def is_parameter_file(path: Path) -> bool:
    """True when `path` starts like an mx.nd.save file (False when it cannot be read: its reader says why)."""
    try:
        with open(path, "rb") as stream:
            return stream.read(len(MXNET_LIST_MAGIC)) == MXNET_LIST_MAGIC
    except OSError:
        return False


def model_of(values: dict[str, np.ndarray]) -> Optional[str]:
    """The registered model whose parameters and state have exactly these names and shapes, or None."""
    from implementations.registry import models

    shapes = {name: tuple(array.shape) for name, array in values.items()}
    for name, entry in models().items():
        spec = entry.spec()
        if shapes == {**spec.parameter_shapes(), **spec.state_shapes()}:
            return name
    return None


@dataclass(frozen=True)
class ArrayChange:
    """One parameter or state array in both files: (new − old) summarised."""

    name: str
    shape: tuple[int, ...]
    max_abs: float  # max |new − old|
    relative: float  # ‖new − old‖₂ / ‖old‖₂ (inf when old is all zeros and new is not)
    differing: int  # elements whose bits differ (as float32 where both are; as float64 where a dtype differs)
    old_dtype: str = "float32"
    new_dtype: str = "float32"

    @property
    def identical(self) -> bool:
        """Bit for bit: the same dtype and the same bits (a float64 copy of float32 values is not identical)."""
        return self.differing == 0 and self.old_dtype == self.new_dtype


@dataclass(frozen=True)
class ParamsDiffResult:
    """`diff OLD.params NEW.params`: the model both hold, and every array in the spec's order."""

    model: str
    arrays: list[ArrayChange]

    @property
    def first_difference(self) -> Optional[str]:
        return next((change.name for change in self.arrays if not change.identical), None)


def _change(name: str, old: np.ndarray, new: np.ndarray) -> ArrayChange:
    old64, new64 = old.astype(np.float64), new.astype(np.float64)
    delta = new64 - old64
    norm_old, norm_delta = float(np.linalg.norm(old64)), float(np.linalg.norm(delta))
    relative = norm_delta / norm_old if norm_old > 0 else (0.0 if norm_delta == 0 else float("inf"))
    if old.dtype == new.dtype == np.float32:
        differing = int(np.count_nonzero(old.view(np.uint32) != new.view(np.uint32)))
    else:  # another dtype on one side: compared as float64 bits
        differing = int(np.count_nonzero(old64.view(np.uint64) != new64.view(np.uint64)))
    return ArrayChange(name, tuple(old.shape), float(np.max(np.abs(delta))) if delta.size else 0.0, relative, differing,
                       np.dtype(old.dtype).name, np.dtype(new.dtype).name)


def _read_with_model(path: Path) -> tuple[dict[str, np.ndarray], str]:
    from compare.results.params_files import read_parameters

    values = read_parameters(path)
    model = model_of(values)
    if model is None:
        names = ", ".join(f"{name} {tuple(array.shape)}" for name, array in list(values.items())[:4])
        raise ResultsFileError(f"{path}: its arrays match no model's parameters ({names}"
                               f"{', ...' if len(values) > 4 else ''}); see `python -m compare models`")
    return values, model


def diff_parameter_files(old_path: Path, new_path: Path) -> ParamsDiffResult:
    """Read both files and compare them array by array, in the model's canonical order."""
    from implementations.registry import models

    (old, old_model), (new, new_model) = _read_with_model(old_path), _read_with_model(new_path)
    if old_model != new_model:
        raise ResultsFileError(f"{new_path}: parameters of model {new_model}, but {old_path} holds model "
                               f"{old_model}'s; diff compares two files of one model")
    spec = models()[old_model].spec()
    order = [*spec.parameter_shapes(), *spec.state_shapes()]
    return ParamsDiffResult(old_model, [_change(name, old[name], new[name]) for name in order])
