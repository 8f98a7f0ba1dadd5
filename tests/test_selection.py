"""--impl entries: built-in names, installed entry points, and a user's own module in the working directory."""
import io
import json
import sys
from pathlib import Path

import pytest
from rich.console import Console

from compare.cli import main
from compare.errors import UsageError
from compare.loading import ENTRY_POINT_GROUP, installed_entry_points, resolve_entry

README = Path(__file__).parents[1] / "README.md"


def readme_block(after: str, language: str, document: Path = README) -> str:
    """The first ```language block after the text `after` in the README (or another of the docs): its examples
    are run as written."""
    text = document.read_text(encoding="utf-8")
    start = text.index(f"```{language}\n", text.index(after)) + len(f"```{language}\n")
    return text[start:text.index("```", start)]


# What a reader writes after the tutorial, in their own folder: the README's my_lenet.py, as printed there.
MY_LENET = readme_block("A complete example,", "python").replace('pool_type="max"', "pool_type=POOL", 1)


def _main(argv: list[str]) -> tuple[int, str]:
    output = io.StringIO()
    return main(argv, console=Console(file=output, width=140, color_system=None)), output.getvalue()


@pytest.fixture()
def my_folder(tmp_path, monkeypatch):
    """The user's working directory with their my_lenet.py (max pooling: right) and their buggy copy."""
    (tmp_path / "my_lenet.py").write_text(MY_LENET.replace("pool_type=POOL", 'pool_type="max"'))
    (tmp_path / "my_buggy_lenet.py").write_text(MY_LENET.replace("pool_type=POOL", 'pool_type="avg"'))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_built_in_name_resolves_to_itself():
    implementation = resolve_entry("gluon-hybrid")
    assert (implementation.name, implementation.source) == ("gluon-hybrid", "built-in")


def test_name_defaults_to_the_text_and_name_equals_renames():
    assert resolve_entry("outside_implementations:HalfStepScratch").name == "outside_implementations:HalfStepScratch"
    assert resolve_entry("half=outside_implementations:HalfStepScratch").name == "half"


def test_an_unknown_plain_name_lists_the_valid_ones():
    with pytest.raises(UsageError, match="unknown implementation torch; valid: gluon, gluon-hybrid, scratch, tutorial"):
        resolve_entry("torch")


def test_a_users_module_in_the_working_directory_is_checked_against_scratch(my_folder):
    code, text = _main(["check", "--synthetic", "--impl", "mine=my_lenet:MyLeNet"])
    assert code == 0 and "29 of 29 comparisons within float32's noise" in text
    code, text = _main(["check", "--synthetic", "--impl", "mine=my_buggy_lenet:MyLeNet"])
    words = " ".join(text.split())
    assert code == 1 and "mine: pool1 averages each 2x2 window" in words and "relu1 agrees" in words


@pytest.mark.parametrize("edit, argv, words", [
    (lambda code: code.replace("        for array in self.params.values():\n            array.attach_grad()\n", ""),
     [], "call attach_grad() on each parameter array"),
    (lambda code: code, ["--model", "softmax"], "(it is written for --model lenet)"),
])
def test_a_learners_module_that_cannot_be_used_is_told_why_in_one_line(my_folder, capsys, monkeypatch, edit, argv,
                                                                        words):
    (my_folder / "their_lenet.py").write_text(edit(MY_LENET.replace("pool_type=POOL", 'pool_type="max"')))
    monkeypatch.delitem(sys.modules, "their_lenet", raising=False)  # each case imports its own file, not the last
    code, _ = _main(["check", "--synthetic", *argv, "--impl", "mine=their_lenet:MyLeNet"])
    error = capsys.readouterr().err
    assert code == 2 and words in error and error.count("\n") == 1


def test_a_learners_file_named_like_this_tools_package_is_told_so(my_folder, capsys):
    (my_folder / "implementations.py").write_text(MY_LENET.replace("pool_type=POOL", 'pool_type="max"'))
    code, _ = _main(["check", "--synthetic", "--impl", "mine=implementations:MyLeNet"])
    error = capsys.readouterr().err
    assert code == 2 and "your implementations.py is hidden by this tool's own package" in error


def test_a_users_module_trains_beside_gluon_hybrid_with_tables_json_and_pictures(my_folder, synthetic_dir):
    code, text = _main(["run", "--data-dir", str(synthetic_dir), "--epochs", "2", "--batch-size", "64", "--quiet",
                        "--impl", "gluon-hybrid,mine=my_lenet:MyLeNet", "--json", "r.json", "--plots", "plots"])
    assert code == 0
    for title in ("Shape trace", "Accuracy per epoch", "Throughput"):
        assert title in text
    results = json.loads((my_folder / "r.json").read_text())["runs"][0]["results"]
    assert set(results) == {"gluon-hybrid", "mine"} and results["mine"]["status"] == "ok"
    assert [layer["name"] for layer in results["mine"]["shape_trace"]][-1] == "fc2"
    assert sum(layer["parameter_count"] for layer in results["mine"]["shape_trace"]) == 170_988
    assert len(results["mine"]["sample_predictions"]) == 18
    assert sorted(p.name for p in (my_folder / "plots").iterdir()) == [
        "learning_curves.png", "predictions.png", "throughput.png"]


@pytest.fixture()
def installed_plugin(tmp_path, monkeypatch):
    """A distribution on sys.path that registers `half-step` in the project's entry-point group."""
    dist = tmp_path / "lenet_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: lenet-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nhalf-step = outside_implementations:HalfStepScratch\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "half-step"


def test_installed_packages_register_names_through_the_entry_point_group(installed_plugin, capsys):
    assert installed_plugin in installed_entry_points()
    assert resolve_entry(installed_plugin).source == "entry point"
    code, text = _main(["check", "--synthetic", "--steps", "1", "--batch-size", "8", "--impl", installed_plugin])
    assert code == 1 and "the first update is 0.5x the reference" in " ".join(text.split())
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    assert "installed: half-step" in " ".join(capsys.readouterr().out.split())


def test_a_learners_sgd_only_module_runs_under_sgd_and_is_refused_another_rule_in_one_line(my_folder, capsys,
                                                                                             synthetic_dir):
    code, text = _main(["check", "--synthetic", "--optimizer", "sgd", "--impl", "mine=my_lenet:MyLeNet"])
    assert code == 0 and "check passed" in text
    for flags in (["--optimizer", "adam"], ["--weight-decay", "0.1"]):
        code, _ = _main(["check", "--synthetic", *flags, "--impl", "mine=my_lenet:MyLeNet"])
        error = capsys.readouterr().err
        assert code == 2 and error.count("\n") == 1, error
        assert "mine: updates by plain SGD only (it has no use_optimizer(optimizer))" in error
    code, _ = _main(["run", "--data-dir", str(synthetic_dir), "--epochs", "1", "--quiet", "--optimizer", "sgd,adam",
                     "--impl", "mine=my_lenet:MyLeNet"])
    assert code == 2 and "mine: updates by plain SGD only" in capsys.readouterr().err
