"""The smallest end-to-end proof that the package works on this Python: CI runs this file alone under the
lowest and the highest Python the package claims (3.9, 3.12), beside the whole suite under the default one.
"""
import io
import json
import subprocess
import sys

import pytest
from rich.console import Console

from compare.cli import COMMANDS, build_parser, main


def test_mxnet_loads_through_the_package():
    from implementations.mxnet_compat import mx

    assert mx.__version__ == "1.9.1" and (mx.nd.ones((2, 2)) * 3).sum().asscalar() == 12.0


@pytest.mark.parametrize("command", [command.NAME for command in COMMANDS])
def test_every_command_builds_its_parser_and_its_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([command, "--help"])
    assert exit_.value.code == 0 and f"usage: python -m compare {command}" in capsys.readouterr().out


def test_a_tiny_run_trains_every_built_in_and_writes_its_json(synthetic_dir, tmp_path):
    path = tmp_path / "r.json"
    code = main(["run", "--data-dir", str(synthetic_dir), "--epochs", "1", "--batch-size", "64", "--quiet",
                 "--json", str(path)], console=Console(file=io.StringIO(), width=120))
    document = json.loads(path.read_text())
    assert code == 0 and {r["status"] for r in document["runs"][0]["results"].values()} == {"ok"}


def test_the_module_entry_point_answers():
    process = subprocess.run([sys.executable, "-m", "compare", "--help"], capture_output=True, text=True, timeout=60)
    assert process.returncode == 0 and "usage: python -m compare" in process.stdout


def test_the_tutorials_first_cell_works_in_a_fresh_interpreter(tmp_path):
    """`from mxnet import nd, autograd, gluon` as the tutorial writes it, without importing this package first
    (the installed .pth aliases numpy.bool before mxnet's first import); nothing on stderr."""
    code = "from mxnet import nd, autograd, gluon\nprint((nd.ones((2, 2)) * 3).sum().asscalar())"
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                             cwd=tmp_path)  # not the source tree: only what the install put in site-packages
    assert process.returncode == 0 and process.stdout.strip() == "12.0", process.stderr
    assert process.stderr == ""


def test_the_python_api_runs_a_class_defined_in_main(synthetic_dir):
    import compare
    from implementations.lenet.scratch import ScratchLeNet

    mine = type("MyLeNet", (ScratchLeNet,), {"__module__": "__main__"})  # as a notebook cell defines it
    result = compare.run(implementations=["gluon", mine], data_dir=synthetic_dir, epochs=1, batch_size=50,
                         progress=False)
    assert result.accuracy("MyLeNet") == result.accuracy("gluon") and isinstance(result.accuracy("gluon"), float)
