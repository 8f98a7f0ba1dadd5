"""The smallest end-to-end proof that the package works on this Python and in every way it is installed (regular,
editable); CI runs it with the rest of the fast suite under the lowest and the highest Python the package claims.
"""
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

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


FIRST_CELL = "from mxnet import nd, autograd, gluon\nprint((nd.ones((2, 2)) * 3).sum().asscalar())"
ROOT = Path(__file__).parents[1]


def test_an_editable_install_makes_the_tutorials_first_cell_work_too(tmp_path):
    """`pip install -e .`, as a teacher or a contributor installs a clone, puts the same .pth into site-packages as
    a regular install (PEP 660: its wheel holds only what is written into it): the first cell works there too."""
    project, prefix = tmp_path / "clone", tmp_path / "prefix"
    project.mkdir()
    for part in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / part, project / part)
    for package in ("compare", "implementations"):
        shutil.copytree(ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    # --ignore-installed: into its own prefix, never uninstalling the package this very run imports
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                              "--ignore-installed", "-e", str(project), "--prefix", str(prefix)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    site_packages = next(folder for folder in prefix.glob("**/site-packages") if any(folder.glob("__editable__*")))
    assert (site_packages / "gluon_vs_scratch_mxnet.pth").read_text() == "import implementations.mxnet_first_import\n"
    # this interpreter's packages without their .pth files (-S), then the editable install's site folder as Python
    # itself starts one: its .pth files in order, setuptools' finder first
    paths = [path for path in sys.path if path.endswith("site-packages")]
    # -S skips setuptools' distutils-precedence.pth too: on Python 3.12, which ships no distutils, add its shim as
    # that .pth would at a real start-up
    shim = "import _distutils_hack; _distutils_hack.add_shim()\n" if sys.version_info >= (3, 12) else ""
    code = f"import site, sys; sys.path[:0] = {paths!r}; site.addsitedir({str(site_packages)!r})\n{shim}{FIRST_CELL}"
    process = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=120,
                             cwd=tmp_path)
    assert process.returncode == 0 and process.stdout.strip() == "12.0", process.stderr
    assert process.stderr == ""


def test_importing_the_package_is_enough_for_a_bare_mxnet_import_after_it(tmp_path):
    """From a clone on PYTHONPATH, or any install that lacks the .pth: `import compare` first, then the tutorial's
    cell as written."""
    shim = "import _distutils_hack; _distutils_hack.add_shim()\n" if sys.version_info >= (3, 12) else ""  # -S, 3.12
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r})\n{shim}import compare\n{FIRST_CELL}"
    process = subprocess.run([sys.executable, "-S", "-c", "import sys; sys.path[:0] = "
                              f"{[path for path in sys.path if path.endswith('site-packages')]!r}\n{code}"],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert process.returncode == 0 and process.stdout.strip() == "12.0", process.stderr


def test_the_python_api_runs_a_class_defined_in_main(synthetic_dir):
    import compare
    from implementations.lenet.scratch import ScratchLeNet

    mine = type("MyLeNet", (ScratchLeNet,), {"__module__": "__main__"})  # as a notebook cell defines it
    result = compare.run(implementations=["gluon", mine], data_dir=synthetic_dir, epochs=1, batch_size=50,
                         progress=False)
    assert result.accuracy("MyLeNet") == result.accuracy("gluon") and isinstance(result.accuracy("gluon"), float)
