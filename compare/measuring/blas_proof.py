"""The proving process of a BLAS core type: `python -m compare.measuring.blas_proof`, started by
`blas_core.prove_in_fresh_process` with OPENBLAS_CORETYPE set. It loads mxnet, measures nd.dot against products
computed without BLAS, and writes the agreement's JSON record as its one line of output (the parent reads it;
a process killed by an instruction its CPU lacks writes nothing, which the parent reports)."""
import json
import sys

from compare.measuring.blas_core import dot_agreement, mxnet_dot


def main() -> None:
    sys.stdout.write(json.dumps(dot_agreement(mxnet_dot).record()) + "\n")


if __name__ == "__main__":
    main()
