"""MXNet's load-time settings at the command layer: the flags run, check, bench and profile share (applying them
is the library's: `compare.jobs.apply_settings`). Imports no mxnet."""
import argparse

from compare.api.settings_choices import ENGINES, MAX_AGGREGATION, TRIED_CORE_TYPES
from compare.commands.flags import file_path_argument


def add_settings_flags(parser: argparse.ArgumentParser) -> None:
    """MXNet's load-time settings: --threads, --engine, --omp-bind, --engine-workers, --aggregation, --blas-core,
    --tuned."""
    group = parser.add_argument_group("MXNet settings (read once, when mxnet loads; the header and the JSON "
                                      "record those in force)")
    group.add_argument("--threads", type=int, default=None, metavar="N",
                       help="OpenMP threads per operator, OMP_NUM_THREADS (default: MXNet's own, about half the cores)")
    group.add_argument("--engine", choices=list(ENGINES), default=None,
                       help="MXNet's engine: threaded (ThreadedEnginePerDevice) or naive (NaiveEngine, synchronous; "
                            "one context only) (default: MXNet's own, threaded)")
    group.add_argument("--omp-bind", choices=("on", "off"), default=None,
                       help="pin OpenMP threads to cores, OMP_PROC_BIND (default: the runtime's own, off)")
    group.add_argument("--engine-workers", type=int, default=None, metavar="N",
                       help="the threaded engine's CPU worker threads, MXNET_CPU_WORKER_NTHREADS (default: MXNet's, 1)")
    group.add_argument("--aggregation", type=int, default=None, metavar="N",
                       help="parameters Gluon's Trainer updates in one call, MXNET_OPTIMIZER_AGGREGATION_SIZE, "
                            f"1 to {MAX_AGGREGATION} (default: MXNet's, 4)")
    group.add_argument("--blas-core", default=None, metavar="CORE",
                       help="the core type mxnet's bundled OpenBLAS runs nd.dot as, OPENBLAS_CORETYPE, e.g. "
                            f"{', '.join(TRIED_CORE_TYPES)}; used only after nd.dot's products under it agree with a "
                            "product computed without BLAS (default: the one OpenBLAS recognises)")
    group.add_argument("--tuned", type=file_path_argument, default=None, metavar="FILE",
                       help="apply the fastest training settings of a `compare tune --json` file; the flags above "
                            "override them (default: none)")
