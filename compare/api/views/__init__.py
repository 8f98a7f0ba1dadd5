"""The Python API's results: values that show themselves. Each wraps the data a command's JSON comes from,
gives its numbers as plain Python, renders as the command's own tables — HTML in Jupyter, text at 80 columns
in `print` — and writes the same JSON. No mxnet behind them."""
from compare.api.views.check_view import CheckResult, FirstDifference
from compare.api.views.diff_view import DiffReport
from compare.api.views.plot_view import Pictures
from compare.api.views.reports import BenchReport, ModelsTable, ProfileReport, TuneReport
from compare.api.views.run_view import RunResult
from compare.api.views.shown import Picture, Shown

__all__ = ["RunResult", "CheckResult", "FirstDifference", "BenchReport", "ProfileReport", "TuneReport", "DiffReport",
           "Pictures", "ModelsTable", "Picture", "Shown"]
