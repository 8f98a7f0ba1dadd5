"""One implementation profiled in a fresh process (`python -m compare.jobs.profile_worker` reads a JSON job on
stdin, writes a JSON answer on stdout). A fresh process because MXNet's profiler can be configured only
once per process, and so that its peak memory is its own.

Bulk execution is switched off before mxnet loads, so a hybridized graph reports each operator rather
than fused engine segments; the step is synced at each phase marker. Both are stated in the report.
"""
import contextlib
import json
import os
import resource
import sys
import time
from typing import Callable


def rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def profile(job: dict) -> dict:
    from compare.data.batches import Batch, synthetic_batch
    from compare.devices.contexts import parse_contexts, resolve_contexts
    from compare.devices.topology import Topology
    from compare.loading import resolve_entry
    from compare.training.steps import objective_for
    from implementations.mxnet_compat import mx
    from implementations.optimizers import Optimizer
    from implementations.registry import build_model, builtins, models

    spec, contexts = models()[job["model"]].spec(), resolve_contexts(parse_contexts(job["context"]))
    images, labels = synthetic_batch(job["batch_size"], contexts[0], job["seed"], spec)
    topology = Topology(tuple(contexts))  # this process alone, over its contexts
    shards = topology.split(Batch(images, labels))  # one shard on one device
    mx.nd.waitall()
    baseline_kib = rss_kib()
    factory = resolve_entry(job["entry"], builtins(job["model"])).factory
    optimizer = Optimizer.from_recorded(job["optimizer"])  # as Optimizer.recorded() wrote it
    model = build_model(factory, spec, topology.devices(), job["seed"], optimizer)
    loss = objective_for(spec).of(model)  # the model's own, where it has one
    profiled = Profiled()
    mark = profiled.mark

    def step(label: str) -> float:
        start = time.perf_counter()
        mark(f"{label}:start")
        with mx.autograd.record():
            logits = [model.forward(shard.images) for shard in shards]
            mark(f"{label}:forward")
            losses = [loss(shard_logits, shard.labels) for shard_logits, shard in zip(logits, shards)]
            mark(f"{label}:loss")
        mx.autograd.backward(losses)
        mark(f"{label}:backward")
        model.step(job["batch_size"], job["learning_rate"])
        mark(f"{label}:update")
        return time.perf_counter() - start

    answer = profiled.run(step, job, baseline_kib)
    return {**answer, "layers": [name for name, _ in model.layer_outputs(images[:1])]}


class Profiled:
    """A profiled run of a step that marks its phases: `mark` syncs the engine and leaves a marker in the trace
    (once profiling is on); `run` makes the first call (a hybridized graph is built: timed, not profiled), the
    warm-up, then the job's steps under MXNet's profiler, and answers with their times and the peak memory."""

    def __init__(self) -> None:
        from implementations.mxnet_compat import mx

        self.mx, self.on = mx, False
        self.domain = mx.profiler.Domain("compare")

    def mark(self, label: str) -> None:
        self.mx.nd.waitall()
        if self.on:
            self.mx.profiler.Marker(self.domain, label).mark("process")

    def run(self, step: "Callable[[str], float]", job: dict, baseline_kib: int) -> dict:
        mx = self.mx
        first_call = step("first")
        for index in range(job["warmup"]):
            step(f"warmup{index}")
        mx.profiler.set_config(profile_all=True, aggregate_stats=False, filename=job["trace_path"])
        mx.profiler.set_state("run")
        self.on = True
        try:
            walls = [step(str(index)) for index in range(job["steps"])]
        finally:
            mx.profiler.set_state("stop")
        mx.profiler.dump(finished=True)
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {"first_call_seconds": first_call, "step_seconds": walls, "trace_path": job["trace_path"],
                "peak_rss_above_baseline_kib": max(0, peak_kib - baseline_kib)}


def main() -> int:
    return serve(profile)


def serve(profiler: "Callable[[dict], dict]") -> int:
    """Read the JSON job on stdin, answer `profiler(job)` as JSON on stdout (the implementation's own failure as
    {"error": ...}): what every profiling worker does around its own step."""
    # One trace event per operator, also inside a hybridized graph (otherwise segments show as ImperativeBulk).
    for name in ("MXNET_EXEC_BULK_EXEC_TRAIN", "MXNET_EXEC_BULK_EXEC_INFERENCE", "MXNET_EXEC_BULK_EXEC_MAX_NODE_TRAIN"):
        os.environ[name] = "0"
    from compare.errors import one_line
    from compare.signals import IMPLEMENTATION_ERRORS

    job = json.loads(sys.stdin.read())
    sys.path.extend(entry for entry in job.get("sys_path", ()) if entry not in sys.path)  # after its own (run_worker)
    answer_stream = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):  # what the implementation prints must not mix into the answer
            answer = profiler(job)
    except IMPLEMENTATION_ERRORS as error:  # reported by the parent as this implementation's failure
        answer = {"error": one_line(error)}
    answer_stream.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
