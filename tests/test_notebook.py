"""A notebook is a first-class place to run: the learner's notebook in docs/ and the kernel's own behaviour
(interrupt, two runs, settings fixed at load), executed headless in a real kernel by nbclient + ipykernel."""
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).parents[1]
LEARNER_NOTEBOOK = ROOT / "docs" / "your_lenet.ipynb"
CELL_SECONDS = 600  # a bound, never an expectation: a slow machine only takes longer


def _execute(notebook: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    """Run every cell in a fresh python3 kernel (this interpreter's), in `folder`; a cell's error raises."""
    NotebookClient(notebook, timeout=CELL_SECONDS, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return notebook


def _outputs(cell: nbformat.NotebookNode, kind: str) -> list:
    return [output for output in cell.get("outputs", []) if output.get("name", output["output_type"]) == kind]


def _stdout(cell: nbformat.NotebookNode) -> str:
    return "".join(output["text"] for output in _outputs(cell, "stdout"))


def _cells_with(notebook: nbformat.NotebookNode, code: str) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code" and code in cell.source]


@pytest.mark.slow
def test_the_learners_notebook_finds_the_mistake_then_trains_the_fix(tmp_path):
    notebook = _execute(nbformat.read(LEARNER_NOTEBOOK, as_version=4), tmp_path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not _outputs(cell, "stderr") for cell in code), [_outputs(c, "stderr") for c in code]
    assert all(not _outputs(cell, "error") for cell in code)
    mistaken, fixed = (_stdout(cell) for cell in _cells_with(notebook, "compare.check("))
    assert "passed: False" in mistaken and "first difference: pool1\n" in mistaken
    assert "passed: True" in fixed
    run_cell = _cells_with(notebook, "compare.run(")[0]
    shown = [output for output in run_cell.outputs if output["output_type"] == "execute_result"]
    assert "<pre" in shown[0]["data"]["text/html"] and "MyLeNet" in shown[0]["data"]["text/html"]
    progress = [output for output in run_cell.outputs if output["output_type"] == "display_data"]
    assert progress and "<progress" in progress[0]["data"]["text/html"]  # a bar, not raw lines
    accuracy_line = _stdout(_cells_with(notebook, 'result.accuracy("MyLeNet")')[0]).splitlines()
    assert 0.0 <= float(accuracy_line[0].split(":")[1]) <= 1.0 and accuracy_line[1] == "same as gluon's: True"
    picture = _cells_with(notebook, "learning_curves()")[0]
    assert "image/png" in picture.outputs[0]["data"]


KERNEL_CELLS = [
    """import os, signal
import compare
from implementations.lenet.scratch import ScratchLeNet


class InterruptedAtThirdStep(ScratchLeNet):
    steps = 0

    def step(self, batch_size, learning_rate):
        super().step(batch_size, learning_rate)
        InterruptedAtThirdStep.steps += 1
        if InterruptedAtThirdStep.steps == 3:
            os.kill(os.getpid(), signal.SIGINT)  # what the notebook's interrupt button sends the kernel""",
    """stopped = compare.run(implementations=["gluon", InterruptedAtThirdStep], data_dir=DATA, epochs=2, batch_size=20,
                      progress=False)
print(stopped.interrupted, stopped.status("gluon"), stopped.status("InterruptedAtThirdStep"))""",
    """first = compare.run(implementations=["scratch"], data_dir=DATA, epochs=1, batch_size=20, progress=False)
second = compare.run(implementations=["scratch"], data_dir=DATA, epochs=1, batch_size=20, progress=False)
print(repr(first.epochs("scratch")[0].train_loss), repr(second.epochs("scratch")[0].train_loss))
print(repr(first.accuracy("scratch")), repr(second.accuracy("scratch")))""",
    """try:
    compare.run(engine="naive", data_dir=DATA, epochs=1, progress=False)
except compare.UsageError as error:
    print("refused:", error)""",
]


@pytest.mark.slow
def test_a_kernel_interrupted_keeps_what_was_measured_and_repeats_a_process_exactly(tmp_path, synthetic_dir):
    cells = [new_code_cell(f"DATA = {str(synthetic_dir)!r}"), *map(new_code_cell, KERNEL_CELLS)]
    notebook = _execute(new_notebook(cells=cells), tmp_path)
    _, _, stopped, repeated, refused = (_stdout(cell).splitlines() for cell in notebook.cells)
    assert stopped == ["True ok interrupted"]  # the kernel survived it: the next cells ran
    losses, accuracies = (line.split() for line in repeated)
    assert losses[0] == losses[1] and accuracies[0] == accuracies[1]
    process = subprocess.run([sys.executable, "-m", "compare", "run", "--impl", "scratch", "--data-dir",
                              str(synthetic_dir), "--epochs", "1", "--batch-size", "20", "--quiet", "--json", "-"],
                             capture_output=True, text=True, timeout=CELL_SECONDS, cwd=tmp_path)
    epoch = json.loads(process.stdout)["runs"][0]["results"]["scratch"]["epochs"][0]
    assert (float(losses[0]), float(accuracies[0])) == (epoch["train_loss"], epoch["test_accuracy"])
    assert len(refused) == 1 and refused[0].startswith("refused: MXNET_ENGINE_TYPE: mxnet is already loaded") \
        and "restart the kernel" in refused[0]


def test_a_language_model_in_a_kernel_shows_its_progress_bars_and_its_tables(tmp_path):
    notebook = new_notebook(cells=[new_code_cell(
        'import compare\nresult = compare.run(model="gru", epochs=2, num_hiddens=8, max_chars=2000, '
        'implementations=["scratch", "gluon"])\nresult'), new_code_cell("print(result.perplexities())")])
    notebook = _execute(notebook, tmp_path)
    run_cell = notebook.cells[0]
    progress = [output for output in run_cell.outputs if output["output_type"] == "display_data"]
    assert progress and "<progress" in progress[0]["data"]["text/html"]
    shown = [output for output in run_cell.outputs if output["output_type"] == "execute_result"]
    assert "Perplexity per epoch" in shown[0]["data"]["text/html"] and "The Time Traveller" in \
        shown[0]["data"]["text/html"]
    assert "'scratch'" in _stdout(notebook.cells[1]) and not _outputs(run_cell, "error")
