"""One language model profiled in a fresh process (`python -m compare.jobs.sequence_profile_worker`, a JSON job on
stdin, a JSON answer on stdout, as `profile_worker`): the chapters' training step on one batch, synced and marked
between its phases (forward, loss, backward, clipping, update), under MXNet's profiler after warm-up."""
import time

from compare.jobs.profile_worker import Profiled, rss_kib, serve

PHASES = ("forward", "loss", "backward", "clip", "update")


def profile(job: dict) -> dict:
    import dataclasses

    import numpy as np

    from compare.devices.contexts import parse_contexts, resolve_context
    from compare.loading import resolve_entry
    from compare.training.sequence_steps import as_arrays, sequence_loss
    from implementations.mxnet_compat import mx
    from implementations.optimizers import Optimizer
    from implementations.protocol import Devices
    from implementations.sequence_registry import build_sequence_model, sequence_models

    entry = sequence_models()[job["model"]]
    context = resolve_context(parse_contexts(job["context"])[0])
    spec = entry.spec(job["vocab_size"], job["num_hiddens"])
    inputs, labels = as_arrays(np.asarray(job["X"]), np.asarray(job["Y"]), context)
    mx.nd.waitall()
    baseline_kib = rss_kib()
    factory = resolve_entry(job["entry"], {builtin.name: builtin for builtin in entry.builtins}).factory
    rate = job["optimizer"]["learning_rate"] or entry.recipe.learning_rate  # adadelta records none (takes none)
    optimizer = dataclasses.replace(Optimizer.from_recorded(job["optimizer"]), learning_rate=rate)
    model = build_sequence_model(factory, spec, Devices((context,)), job["seed"], optimizer)
    profiled, batch = Profiled(), int(inputs.shape[0])
    mark = profiled.mark

    def step(label: str) -> float:
        start = time.perf_counter()
        mark(f"{label}:start")
        with mx.autograd.record():
            logits, _ = model.forward(inputs, model.begin_state(batch))
            mark(f"{label}:forward")
            loss = sequence_loss(logits, labels)
            mark(f"{label}:loss")
        loss.backward()
        mark(f"{label}:backward")
        model.clip_gradients(job["clipping_theta"])
        mark(f"{label}:clip")
        model.step(1, rate)
        mark(f"{label}:update")
        return time.perf_counter() - start

    return profiled.run(step, job, baseline_kib)


if __name__ == "__main__":
    raise SystemExit(serve(profile))
