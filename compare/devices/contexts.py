"""Parsing `--ctx` (`cpu`, `gpu`, `gpu:N`, `gpu(N)`, or a list: `cpu:0,cpu:1`, `gpu:0,1`) into mxnet Contexts.

Parsing needs no mxnet; `resolve_context` imports it and refuses a GPU this mxnet build cannot use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    import mxnet

from compare.errors import UsageError

_CONTEXT_PATTERN = re.compile(r"^(cpu|gpu)(?::(\d+)|\((\d+)\))?$")
CUDA_BUILDS = "mxnet-cu112 (or mxnet-cu110, mxnet-cu102, ... matching your CUDA)"
MAX_DEVICE_ID = 1023  # mxnet sizes per-device tables by the index: a huge one hangs or fails inside it


@dataclass(frozen=True)
class ContextSpec:
    """A device kind and index, e.g. ContextSpec("gpu", 1); printed the way mxnet prints it: gpu(1)."""

    device_type: str
    device_id: int = 0

    def __str__(self) -> str:
        return f"{self.device_type}({self.device_id})"


def parse_context(text: str) -> ContextSpec:
    """`cpu`, `cpu(0)`, `gpu`, `gpu:1`, `gpu(1)` -> ContextSpec; anything else is a UsageError."""
    match = _CONTEXT_PATTERN.match(text.strip().lower())
    if not match:
        raise UsageError(f"unknown context {text!r}; use cpu, cpu:N, gpu, gpu:N or gpu(N)")
    device_type, colon_id, paren_id = match.groups()
    device_id = int(colon_id or paren_id or 0)
    if device_id > MAX_DEVICE_ID:
        raise UsageError(f"context {text!r}: device index {device_id} is above {MAX_DEVICE_ID}")
    return ContextSpec(device_type, device_id)


def parse_contexts(text: str) -> tuple[ContextSpec, ...]:
    """`cpu`, `cpu:0,cpu:1`, `gpu:0,1`, `gpu:0,gpu:1` -> the contexts, in order; a bare index takes the kind
    before it. A repeated context or CPU mixed with GPU is a UsageError."""
    contexts: list[ContextSpec] = []
    for part in text.split(","):
        part = part.strip()
        if part.isdigit() and contexts:
            part = f"{contexts[-1].device_type}:{part}"
        contexts.append(parse_context(part))
    repeated = sorted({str(c) for c in contexts if contexts.count(c) > 1})
    if repeated:
        raise UsageError(f"--ctx {text}: {', '.join(repeated)} is listed twice; each context holds one replica")
    if len({c.device_type for c in contexts}) > 1:
        raise UsageError(f"--ctx {text}: mixes CPU and GPU contexts; data parallel runs over one kind of device")
    return tuple(contexts)


def contexts_text(contexts: tuple[ContextSpec, ...]) -> str:
    """How tables and JSON name the contexts: `cpu(0)` or `cpu(0),cpu(1)`."""
    return ",".join(map(str, contexts))


def resolve_contexts(specs: tuple[ContextSpec, ...], num_gpus: Optional[Callable[[], int]] = None,
                     cuda_enabled: Optional[Callable[[], bool]] = None) -> "list[mxnet.Context]":
    """`resolve_context` for each; the first GPU problem is the UsageError."""
    return [resolve_context(spec, num_gpus, cuda_enabled) for spec in specs]


def resolve_context(
    spec: ContextSpec,
    num_gpus: Optional[Callable[[], int]] = None,
    cuda_enabled: Optional[Callable[[], bool]] = None,
) -> mxnet.Context:
    """The mxnet Context for `spec`; a UsageError if it names a GPU that this mxnet cannot reach."""
    from implementations.mxnet_compat import mx

    if spec.device_type == "cpu":
        return mx.cpu(spec.device_id)
    cuda_enabled = cuda_enabled or (lambda: mx.runtime.Features().is_enabled("CUDA"))
    num_gpus = num_gpus or mx.context.num_gpus
    if not cuda_enabled():
        raise UsageError(
            f"{spec} asked for, but this mxnet {mx.__version__} build has no CUDA; "
            f"install a CUDA build instead, e.g. {CUDA_BUILDS}"
        )
    available = num_gpus()
    if spec.device_id >= available:
        raise UsageError(f"{spec} asked for, but mxnet sees {available} GPU(s)")
    return mx.gpu(spec.device_id)
