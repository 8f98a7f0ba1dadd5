"""Parameter files: every unusable one is a one-line ResultsFileError that says why."""
import os
from pathlib import Path

import pytest

from compare.errors import ResultsFileError
from compare.results.params_files import read_parameters
from implementations.mxnet_compat import mx


def test_a_missing_file_says_it_cannot_be_read(tmp_path):
    with pytest.raises(ResultsFileError, match=r"cannot read \(No such file or directory\)$"):
        read_parameters(tmp_path / "none.params")


def test_a_folder_in_place_of_the_file_says_it_cannot_be_read(tmp_path):
    with pytest.raises(ResultsFileError, match=r"cannot read \(Is a directory\)$"):
        read_parameters(tmp_path)


def test_an_empty_file_is_called_empty(tmp_path):
    (tmp_path / "e.params").write_bytes(b"")
    with pytest.raises(ResultsFileError, match="empty, not an mxnet parameter file$"):
        read_parameters(tmp_path / "e.params")


def test_garbage_names_mxnets_reason_not_its_traceback(tmp_path):
    (tmp_path / "g.params").write_bytes(os.urandom(64))
    with pytest.raises(ResultsFileError) as error:
        read_parameters(tmp_path / "g.params")
    message = str(error.value)
    assert "not an mxnet parameter file (" in message and "Invalid NDArray file format" in message
    assert "Traceback" not in message and "\n" not in message


def test_an_empty_dict_is_not_called_a_list(tmp_path):
    mx.nd.save(str(tmp_path / "d.params"), {})
    with pytest.raises(ResultsFileError, match=r"holds no arrays, expected one per parameter"):
        read_parameters(tmp_path / "d.params")


def test_a_list_of_arrays_is_named_as_such(tmp_path):
    mx.nd.save(str(tmp_path / "l.params"), [mx.nd.zeros((2,))])
    with pytest.raises(ResultsFileError, match="holds a list of arrays, expected a dict keyed by parameter name"):
        read_parameters(tmp_path / "l.params")


def test_the_readme_example_loads_saved_weights_into_gluon_and_scratch(synthetic_dir, tmp_path, monkeypatch):
    """The README's 'Using the weights you trained' snippet, run as written on a freshly trained file."""
    import io
    import re
    import runpy

    from rich.console import Console
    from test_selection import readme_block

    from compare.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["run", "--data-dir", str(synthetic_dir), "--epochs", "1", "--batch-size", "64", "--quiet",
                 "--impl", "scratch", "--save-params", "params"], console=Console(file=io.StringIO())) == 0
    reference = Path(__file__).parents[1] / "docs" / "reference.md"
    (tmp_path / "use_weights.py").write_text(readme_block("## Using the weights you trained", "python", reference))
    printed = io.StringIO()
    monkeypatch.setattr("sys.stdout", printed)
    runpy.run_path(str(tmp_path / "use_weights.py"))
    gluon_classes, scratch_classes = re.findall(r"\[([^\]]*)\]", printed.getvalue())[:2]
    assert gluon_classes == scratch_classes and len(gluon_classes.split()) == 4  # the same class for each image
