"""The benchmark grid's contexts: `cpu` and one `gpu(i)` per GPU this mxnet sees (none on a CPU-only build)."""
from implementations.mxnet_compat import mx


def available_contexts() -> list[str]:
    return ["cpu"] + [f"gpu({index})" for index in range(mx.context.num_gpus())]
