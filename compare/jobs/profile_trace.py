"""Reading an MXNet profiler (Chrome) trace and attributing every operator's time to a layer. Pure Python.

Mapping, stated: the profiled step puts markers between its phases (forward, loss, backward, update),
each after an engine sync, so every operator event falls in one phase by its start time. Inside the
forward phase, operators run in program order, so they are aligned with the layers in forward order: each
operator goes to a layer whose kind it can belong to (Convolution -> conv; relu/maximum -> relu; a
hand-written batch norm's mean, broadcast_sub, sqrt, ... -> bn; dot/FullyConnected -> fc; ...), the
alignment never goes back to an earlier layer, and it matches as many operators as any alignment can
(dynamic programming). In the backward phase `_backward_<op>` the same way, the loss first, then the layers
in reverse order. A random mask (its draw and its compare) needs no layer input, so the engine may run it early:
its operators are handed to the layers of their kind in order, one share each. The loss phase makes the `loss` row, the update phase the `update` row. An operator no
layer at its place can hold is `unattributed`, never dropped.
"""
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Optional, Sequence

PHASES = ("forward", "loss", "backward", "update")
KINDS = {
    "loss": ("log_softmax", "pick", "_mul_scalar", "mean", "softmax_cross_entropy", "SoftmaxOutput", "softmax",
             # the softmax chapter's own: exp(X) / exp(X).sum(axis=1), then -log(pick(...))
             "exp", "sum", "broadcast_div", "log", "negative", "_rdiv_scalar"),
    "conv": ("Convolution",),
    "relu": ("relu", "Activation", "maximum", "broadcast_maximum", "_maximum_scalar", "zeros_like", "LeakyReLU"),
    "pool": ("Pooling",),
    "flatten": ("Flatten", "flatten", "Reshape", "reshape", "copy"),  # Flatten's backward is _backward_copy
    "fc": ("FullyConnected", "dot", "broadcast_add", "elemwise_add", "_plus", "_add"),
    # BatchNorm, or the chapter's own: mean over (N, H, W), (x - mean) ** 2, / sqrt(var + eps), gamma * x + beta,
    # and the moving averages momentum * moving + (1 - momentum) * batch written in place
    "bn": ("BatchNorm", "mean", "broadcast_sub", "_power_scalar", "square", "_mul_scalar", "_plus_scalar",
           "broadcast_add", "sqrt", "broadcast_div", "broadcast_mul", "elemwise_add", "_plus", "_add"),
    # Dropout's operator, or the chapter's own mask: uniform < keep, then mask * x / keep
    "dropout": ("Dropout", "_random_uniform", "_lesser_scalar", "elemwise_mul", "broadcast_mul", "_div_scalar", "_mul"),
}
# a random mask's draw and compare (uniform < keep) need no layer input: the engine may run them long before the
# layer that uses them, so they are handed to the layers of their kind in order, evenly, instead of by place
SOURCES = ("_random_uniform", "_random_normal", "_sample_uniform", "_random_bernoulli", "_lesser_scalar")
# any layer's, by name as the trace writes it: copies, reshapes and summed gradients
GENERIC = ("add_n", "_copy", "CopyCPU2CPU", "reshape", "Reshape", "_backward_reshape", "_backward_Reshape")
BOOKKEEPING = ("DeleteVariable", "SetValueOp", "_zeros_without_dtype", "WaitForVar")  # engine chores
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class OperatorEvent:
    name: str
    start: float  # µs, the profiler's clock
    duration: float  # µs


def operator_events(trace: dict) -> list[OperatorEvent]:
    """Every operator as one event, from the trace's B/E pairs (matched per thread), in start order. Under the
    synchronous engine (NaiveEngine) MXNet records each operator twice, one event inside the other on the same
    thread a microsecond apart: the inner one is dropped, so no operator's time is counted twice."""
    open_events: dict[tuple, list] = defaultdict(list)
    spans: list[tuple[tuple, float, float]] = []
    for event in trace.get("traceEvents", []):
        if event.get("cat") != "operator":
            continue
        key = (event.get("tid"), event.get("name"))
        if event.get("ph") == "B":
            open_events[key].append(event["ts"])
        elif event.get("ph") == "E" and open_events[key]:
            spans.append((key, float(open_events[key].pop()), float(event["ts"])))
    events, last_end = [], {}
    for key, start, end in sorted(spans, key=lambda span: (span[1], -span[2])):  # outer before inner
        if start < last_end.get(key, float("-inf")) and end <= last_end[key]:
            continue  # inside an event of the same operator on the same thread: the same call, recorded again
        last_end[key] = max(end, last_end.get(key, float("-inf")))
        events.append(OperatorEvent(key[1], start, end - start))
    return events


def markers(trace: dict) -> dict[str, float]:
    """The instant markers the profiled steps left: name -> time."""
    return {e["name"]: float(e["ts"]) for e in trace.get("traceEvents", []) if "instant_marker" in str(e.get("cat"))}


def storage_peak_bytes(trace: dict) -> int:
    """Peak of MXNet's own storage counters (bytes allocated by its storage manager during profiling)."""
    values = [value for e in trace.get("traceEvents", []) if e.get("cat") == "Device Storage"
              for value in (e.get("args") or {}).values() if isinstance(value, (int, float))]
    return int(max(values, default=0))


def kinds_of(operator: str) -> frozenset[str]:
    """'_backward_Convolution' -> {'conv'}; 'broadcast_add' -> {'fc', 'bn'}; empty when no layer kind fits."""
    base = operator[len("_backward_"):] if operator.startswith("_backward_") else operator
    # `_power_scalar`'s gradient is `_backward_power_scalar`: its leading underscore is dropped
    bases = {base, "_" + base} if operator.startswith("_backward_") else {base}
    return frozenset(kind for kind, names in KINDS.items() if bases & set(names))


def layer_kind(layer: str) -> str:
    """'conv1' -> 'conv', 'flatten' -> 'flatten'."""
    return re.sub(r"\d+$", "", layer)


def align(events: list[OperatorEvent], layers: list[str]) -> list[Optional[str]]:
    """Each event's layer (None: unattributed), events and layers both in execution order: a monotone
    alignment matching as many events to a layer of their kind as possible; on a tie an event stays with the
    layer before it. `GENERIC` operators match whichever layer they fall in."""
    count, width = len(events), len(layers)
    kinds = [layer_kind(layer) for layer in layers]
    fits = [[event.name in GENERIC or kind in kinds_of(event.name) for kind in kinds] for event in events]
    # best[i][j]: most events among events[i:] matched, starting at layer j
    best = [[0] * (width + 1) for _ in range(count + 1)]
    for i in range(count - 1, -1, -1):
        for j in range(width - 1, -1, -1):
            best[i][j] = max(best[i + 1][j] + fits[i][j], best[i][j + 1])
    placed: list[Optional[str]] = []
    j = 0
    for i in range(count):
        while j < width and best[i][j] != best[i + 1][j] + fits[i][j]:
            j += 1
        placed.append(layers[j] if j < width and fits[i][j] else None)
    return placed


def _attribute(events: list[OperatorEvent], layers: list[str], totals: dict[str, float]) -> None:
    placed = [event for event in events if event.name not in SOURCES]
    for event, layer in zip(placed, align(placed, layers)):
        totals[layer or UNATTRIBUTED] += event.duration
    sources: dict[str, list[OperatorEvent]] = defaultdict(list)  # by operator: each mask has one draw, one compare
    for event in events:
        if event.name in SOURCES:
            sources[event.name].append(event)
    for name, kind_events in sources.items():
        targets = [layer for layer in layers if layer_kind(layer) in kinds_of(name)]
        if not targets or len(kind_events) % len(targets):  # not one each (or two each): not guessed
            totals[UNATTRIBUTED] += sum(event.duration for event in kind_events)
            continue
        share = len(kind_events) // len(targets)
        for index, event in enumerate(kind_events):
            totals[targets[index // share]] += event.duration


def attribute_step(events: list[OperatorEvent], boundaries: dict[str, tuple[float, float]],
                   layers: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """(forward µs per layer, backward µs per layer) for one step, with `loss`, `update`, `bookkeeping`
    and `unattributed` rows in the first."""
    forward: dict[str, float] = defaultdict(float)
    backward: dict[str, float] = defaultdict(float)
    for phase, (start, stop) in boundaries.items():
        inside = [e for e in events if start <= e.start < stop]
        chores = [e for e in inside if e.name in BOOKKEEPING]
        forward["bookkeeping"] += sum(e.duration for e in chores)
        inside = [e for e in inside if e.name not in BOOKKEEPING]
        if phase == "loss":
            forward["loss"] += sum(e.duration for e in inside)
        elif phase == "update":
            forward["update"] += sum(e.duration for e in inside)
        elif phase == "forward":
            _attribute(inside, layers, forward)
        else:  # the loss's gradient runs first, then the layers' in reverse
            _attribute(inside, ["loss", *reversed(layers)], backward)
    return dict(forward), dict(backward)


def step_boundaries(marks: dict[str, float], step: int,
                    phases: Sequence[str] = PHASES) -> dict[str, tuple[float, float]]:
    """The phase windows of step `step` (the image models' four unless `phases` says), from its markers
    '<step>:start', '<step>:forward', ..."""
    names = [f"{step}:start"] + [f"{step}:{phase}" for phase in phases]
    return {phase: (marks[names[i]], marks[names[i + 1]]) for i, phase in enumerate(phases)}
