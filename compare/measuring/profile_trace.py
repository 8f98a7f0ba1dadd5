"""Reading an MXNet profiler (Chrome) trace and attributing every operator's time to a layer. Pure Python.

Mapping, stated: the profiled step puts markers between its phases (forward, loss, backward, update),
each after an engine sync, so every operator event falls in one phase by its start time. Inside the
forward phase, operators are matched to layers by kind (Convolution -> conv, relu/Activation/maximum ->
relu, Pooling -> pool, Flatten -> flatten, FullyConnected/dot/add -> fc) and handed out in forward order,
the same number to each layer of that kind; in the backward phase `_backward_<op>` the same way in reverse
order. The loss phase and its backward operators make the `loss` row, the update phase the `update` row.
Anything that does not fit (an unknown operator, a count that does not divide evenly) is `unattributed`,
never dropped.
"""
import re
from collections import defaultdict
from dataclasses import dataclass

PHASES = ("forward", "loss", "backward", "update")
KINDS = {
    "conv": ("Convolution",),
    "relu": ("relu", "Activation", "maximum", "broadcast_maximum", "_maximum_scalar", "zeros_like", "LeakyReLU"),
    "pool": ("Pooling",),
    "flatten": ("Flatten", "flatten", "Reshape", "reshape", "copy"),  # Flatten's backward is _backward_copy
    "fc": ("FullyConnected", "dot", "broadcast_add", "elemwise_add", "_plus", "_add"),
    "bn": ("BatchNorm",),  # the chapter's own batch norm is many small operators: some land in other rows
    # Dropout's operator, or the chapter's own mask: uniform < keep, then mask * x / keep
    "dropout": ("Dropout", "_random_uniform", "_lesser_scalar", "elemwise_mul", "_div_scalar", "_mul"),
}
LOSS_OPERATORS = ("log_softmax", "pick", "_mul_scalar", "mean", "softmax_cross_entropy", "SoftmaxOutput")
BOOKKEEPING = ("DeleteVariable", "SetValueOp", "_zeros_without_dtype", "WaitForVar")  # engine chores
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class OperatorEvent:
    name: str
    start: float  # µs, the profiler's clock
    duration: float  # µs


def operator_events(trace: dict) -> list[OperatorEvent]:
    """Every operator as one event, from the trace's B/E pairs (matched per thread), in start order."""
    open_events: dict[tuple, list] = defaultdict(list)
    events = []
    for event in trace.get("traceEvents", []):
        if event.get("cat") != "operator":
            continue
        key = (event.get("tid"), event.get("name"))
        if event.get("ph") == "B":
            open_events[key].append(event["ts"])
        elif event.get("ph") == "E" and open_events[key]:
            start = open_events[key].pop()
            events.append(OperatorEvent(event["name"], float(start), float(event["ts"] - start)))
    return sorted(events, key=lambda e: e.start)


def markers(trace: dict) -> dict[str, float]:
    """The instant markers the profiled steps left: name -> time."""
    return {e["name"]: float(e["ts"]) for e in trace.get("traceEvents", []) if "instant_marker" in str(e.get("cat"))}


def storage_peak_bytes(trace: dict) -> int:
    """Peak of MXNet's own storage counters (bytes allocated by its storage manager during profiling)."""
    values = [value for e in trace.get("traceEvents", []) if e.get("cat") == "Device Storage"
              for value in (e.get("args") or {}).values() if isinstance(value, (int, float))]
    return int(max(values, default=0))


def kind_of(operator: str) -> str:
    """'_backward_Convolution' -> 'conv'; '' when no layer kind fits."""
    base = operator[len("_backward_"):] if operator.startswith("_backward_") else operator
    for kind, names in KINDS.items():
        if base in names:
            return kind
    return ""


def layer_kind(layer: str) -> str:
    """'conv1' -> 'conv', 'flatten' -> 'flatten'."""
    return re.sub(r"\d+$", "", layer)


def _attribute(events: list[OperatorEvent], layers: list[str], totals: dict[str, float]) -> None:
    """Hand the events of each kind to the layers of that kind, in the given order, evenly."""
    by_kind: dict[str, list[OperatorEvent]] = defaultdict(list)
    for event in events:
        by_kind[kind_of(event.name)].append(event)
    for kind, kind_events in by_kind.items():
        targets = [layer for layer in layers if layer_kind(layer) == kind] if kind else []
        if not targets or len(kind_events) % len(targets):
            totals[UNATTRIBUTED] += sum(e.duration for e in kind_events)
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
        else:
            layer_part = []
            for event in inside:
                if event.name[len("_backward_"):] in LOSS_OPERATORS:
                    backward["loss"] += event.duration
                else:
                    layer_part.append(event)
            _attribute(layer_part, list(reversed(layers)), backward)
    return dict(forward), dict(backward)


def step_boundaries(marks: dict[str, float], step: int) -> dict[str, tuple[float, float]]:
    """The four phase windows of step `step`, from its markers '<step>:start', '<step>:forward', ..."""
    names = [f"{step}:start"] + [f"{step}:{phase}" for phase in PHASES]
    return {phase: (marks[names[i]], marks[names[i + 1]]) for i, phase in enumerate(PHASES)}
