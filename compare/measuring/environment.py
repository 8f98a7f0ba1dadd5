"""What the numbers were measured on: versions, MXNet's build features, CPU and thread settings."""
import os
import platform
from typing import Optional

import numpy as np

from compare.measuring.cpu import cpu_model
from compare.measuring.threads import thread_record
from implementations.mxnet_compat import mx

REPORTED_FEATURES = ("MKLDNN", "CUDA", "CUDNN", "OPENMP", "BLAS_OPEN", "BLAS_MKL", "SIGNAL_HANDLER")


def capture_environment(context: str, parallel: Optional[dict[str, object]] = None) -> dict[str, object]:
    """A JSON-ready description of this machine and software, for headers and result files.

    `parallel` (kvstore, workers, contexts_per_worker) is recorded when training was data parallel.
    """
    features = mx.runtime.Features()
    return {
        "python": platform.python_version(),
        "mxnet": mx.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "mxnet_features": {name: features.is_enabled(name) for name in REPORTED_FEATURES if name in features},
        "threads": thread_record(),
        "gpus_visible": mx.context.num_gpus(),
        "context": context,
        **({"data_parallel": parallel} if parallel else {}),
    }
