"""The values MXNet's load-time settings may take, as the public API names them for a command's flags (--engine's
choices, --aggregation's largest, the OpenBLAS core types tried); the library decides them. Imports no mxnet."""
from compare.measuring.blas_core import TRIED_CORE_TYPES
from compare.measuring.mxnet_settings import ENGINES, MAX_AGGREGATION

__all__ = ["ENGINES", "MAX_AGGREGATION", "TRIED_CORE_TYPES"]
