"""`compare bench`: flags, the measured table and JSON (tiny sizes; the real numbers come from running it)."""
import io
import json

import pytest
from rich.console import Console

from compare.cli import main
from compare.errors import UsageError
from compare.jobs.throughput import calls_per_repeat
from compare.results.measures import Spread
from compare.validation import parse_batch_sizes


def test_spread_is_median_min_max_of_rates():
    spread = Spread.from_seconds([1.0, 2.0, 4.0], samples=100)
    assert (spread.median, spread.low, spread.high) == (50.0, 25.0, 100.0)


def test_sizes_parse_and_bad_sizes_are_usage_errors():
    from compare.config.bench import BenchConfig
    from compare.config.workload import Workload
    assert parse_batch_sizes("1, 64,256") == (1, 64, 256)
    for text in ("0", "a,b", ""):
        with pytest.raises(UsageError):
            BenchConfig(Workload("lenet"), batch_sizes=parse_batch_sizes(text))


def test_calls_per_repeat_keeps_small_batches_busy_enough():
    assert calls_per_repeat(1) == 512 and calls_per_repeat(256) == 3


def test_bench_prints_ratios_and_writes_json(tmp_path):
    path = tmp_path / "bench.json"
    output = io.StringIO()
    code = main(["bench", "--batch-size", "2,8", "--repeat", "2", "--json", str(path)],
                console=Console(file=output, width=160, color_system=None))
    text = output.getvalue()
    assert code == 0 and "Steady-state training steps on cpu(0)" in text and "1.00× [1.00, 1.00]" in text
    document = json.loads(path.read_text())
    assert document["schema"] == 2 and document["kind"] == "bench"
    rows = document["rows"]
    assert [(r["batch_size"], r["implementation"]) for r in rows] == [
        (size, name) for size in (2, 8) for name in ("scratch", "gluon", "gluon-hybrid", "tutorial")]
    for row in rows:
        for kind in ("train", "inference"):
            assert 0 < row[kind]["low"] <= row[kind]["median"] <= row[kind]["high"]
    assert document["environment"]["mxnet_features"]["MKLDNN"] in (True, False)


def test_bench_json_path_under_a_file_is_refused_before_measuring(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    output = io.StringIO()
    assert main(["bench", "--json", str(blocker / "b.json")], console=Console(file=output)) == 2
    assert "cannot be created" in capsys.readouterr().err and output.getvalue() == ""


def test_bench_names_the_learning_rate_its_steps_take_as_run_names_its_own():
    """run's recipe line says `adam (lr 0.1, ...)`: bench's said `adam (beta1 ...)`, leaving the rate out."""
    output = io.StringIO()
    code = main(["bench", "--model", "linear-regression", "--optimizer", "adam", "--impl", "scratch", "--batch-size",
                 "4", "--repeat", "2"], console=Console(file=output, width=80, color_system=None))
    text = " ".join(output.getvalue().replace("│", " ").split())
    assert code == 0 and "optimizer=adam (beta1 0.9, beta2 0.999, epsilon 1e-08; defaults: adam-scratch, on this " \
                         "data), steps timed at lr 0.01" in text, text
