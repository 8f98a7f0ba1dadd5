"""The one harness for what a command does in a new Python process: `compare.cli.main(argv)` run in a fresh
interpreter (modules can be made unimportable first), reporting its exit code and whether mxnet was loaded."""
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

BOUND_SECONDS = 600  # a bound on the process, never an expectation: a slow machine only takes longer

SCRIPT = """import json, sys
for name in {blocked!r}:
    sys.modules[name] = None  # `import name` now raises ImportError, as where the module is not installed
from compare.cli import main
try:
    code = main({argv!r})
except SystemExit as exit_:  # argparse's --help and its own errors
    code = exit_.code
with open({report!r}, "w") as report:
    json.dump({{"code": code, "mxnet_loaded": "mxnet" in sys.modules}}, report)
"""


@dataclass(frozen=True)
class FreshRun:
    code: int
    mxnet_loaded: bool
    stdout: str
    stderr: str


def main_in_a_fresh_interpreter(argv: Sequence[str], blocked: Sequence[str] = (),
                                cwd: Optional[Path] = None) -> FreshRun:
    """Run `main(argv)` in a new interpreter with `blocked` modules unimportable; killed past BOUND_SECONDS."""
    with tempfile.TemporaryDirectory(prefix="fresh-") as folder:
        report = Path(folder) / "report.json"
        script = SCRIPT.format(blocked=list(blocked), argv=list(argv), report=str(report))
        process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd,
                                 timeout=BOUND_SECONDS)
        assert report.is_file(), f"main did not return (exit {process.returncode}): {process.stderr}"
        answer = json.loads(report.read_text())
    return FreshRun(answer["code"], answer["mxnet_loaded"], process.stdout, process.stderr)
