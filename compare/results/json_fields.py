"""Reading JSON values back, type- and range-checked: every helper names the field that does not fit
(`runs[0].results.scratch.epochs[1].test_accuracy: expected a finite number in [0, 1], got -51.0`).
None stands for a non-finite float (strict JSON has no NaN), where a float is allowed.
"""
import math
from typing import Any, Optional

REQUIRED = object()


def field_value(raw: Any, key: str, kinds: tuple, where: str, default: object = REQUIRED) -> Any:
    """raw[key], which must be one of `kinds` (None stands for a non-finite float when float is allowed)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected an object, got {type(raw).__name__}")
    if key not in raw:
        if default is REQUIRED:
            raise ValueError(f"{where}.{key}: missing")
        return default
    value = raw[key]
    if value is None and (float in kinds or type(None) in kinds):
        return math.nan if float in kinds else None
    numeric = float in kinds and isinstance(value, int) and not isinstance(value, bool)
    if not (numeric or (isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds))):
        names = "/".join("null" if kind is type(None) else kind.__name__ for kind in kinds)
        raise ValueError(f"{where}.{key}: expected {names}, got {type(value).__name__}")
    return float(value) if numeric else value


def count(raw: Any, key: str, where: str, low: int = 0) -> int:
    """A whole number ≥ `low`."""
    value = field_value(raw, key, (int,), where)
    if value < low:
        raise ValueError(f"{where}.{key}: expected a whole number ≥ {low}, got {value}")
    return value


def bounded(raw: Any, key: str, where: str, low: float, high: float = math.inf, low_open: bool = False) -> float:
    """A finite number in [low, high] (or (low, high] when `low_open`)."""
    value = field_value(raw, key, (float,), where)
    if not math.isfinite(value) or value < low or value > high or (low_open and value == low):
        bracket = "(" if low_open else "["
        raise ValueError(f"{where}.{key}: expected a finite number in {bracket}{low:g}, {high:g}], got {value}")
    return value


def loss(raw: Any, key: str, where: str) -> float:
    """A mean loss ≥ 0; null stands for one that overflowed float32 (written as null, read as NaN)."""
    value = field_value(raw, key, (float,), where)
    if value < 0:
        raise ValueError(f"{where}.{key}: a loss cannot be negative, got {value}")
    return value


def optional_float(raw: Any, key: str, where: str) -> Optional[float]:
    """raw[key] as a float, or None where it is missing, null or not finite (unknown)."""
    value = field_value(raw, key, (float, type(None)), where, None)
    return None if value is None or math.isnan(value) else value
