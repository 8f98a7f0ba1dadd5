"""Compare from-scratch and Gluon implementations of the MXNet/Gluon tutorial's networks (LeNet, softmax
regression, MLP, dropout, batch norm on Fashion-MNIST; linear regression and weight decay on the chapters'
synthetic data) under any of its six update rules, and its language models (rnn, gru, lstm on text): same seed,
same weights, same batches; shape traces, accuracy (or loss, or perplexity), throughput and an equivalence check.

From Python or a notebook:

    import compare
    compare.models()                                   # what `model=` accepts
    result = compare.run(model="lenet", epochs=1, limit=2048)
    result.accuracy("gluon-hybrid")                    # a fraction; `result` shows itself as the tables
    compare.check(implementations=[MyLeNet]).passed    # a class defined in a cell: (spec, devices) -> Model

Functions: run, check, bench, profile, tune, diff, plot, models, load (see `help(compare.run)`, ...). From the shell:
`python -m compare --help`. The API loads when first used, so the command line starts without it.
"""
import importlib

# A learner's own `from mxnet import nd` after `import compare` works in any install (one without the .pth too, or a
# clone on PYTHONPATH): the finder adds numpy.bool just before mxnet's first import. It imports nothing until then.
import implementations.mxnet_first_import  # noqa: F401,E402

__all__ = ["run", "check", "bench", "profile", "tune", "diff", "plot", "models", "load", "RunResult", "CheckResult",
           "BenchReport", "ProfileReport", "TuneReport", "DiffReport", "Pictures", "ModelsTable", "CompareError",
           "UsageError", "DatasetError", "ResultsFileError",
           "SequenceRunResult", "SequenceCheckResult", "SequenceBenchReport"]  # the language models' (rnn, gru, lstm)


def __getattr__(name: str) -> object:
    if name in __all__:
        return getattr(importlib.import_module("compare.api"), name)
    raise AttributeError(f"module 'compare' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
