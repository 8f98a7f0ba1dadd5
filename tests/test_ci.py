"""What CI (`.ci/run`) runs under the lowest and highest Python the package claims: enough of the suite to see
behaviour that differs between Python versions — the smoke tests, and the tune tests where MXNet's engine line
reached stderr under 3.9 alone."""
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
CAUGHT_ONLY_UNDER_3_9 = "tests/test_tune.py::test_mxnet_s_own_engine_line_stays_off_the_user_s_stderr"


def _per_version_pytest_arguments() -> list[str]:
    """The arguments `.ci/run` gives pytest in each extra Python's venv, its `version_tests` array expanded."""
    text = (ROOT / ".ci" / "run").read_text()
    files = shlex.split(re.search(r"version_tests=\((.*?)\)", text, re.S).group(1))
    line = next(line for line in text.splitlines() if '"$venv/bin/pytest"' in line)
    arguments = shlex.split(line.split('"$venv/bin/pytest"', 1)[1], comments=True)
    return [item for argument in arguments for item in (files if argument == "${version_tests[@]}" else [argument])]


def test_ci_runs_the_interpreters_tests_under_the_lowest_and_highest_python():
    """MXNet's engine line reached the user's stderr under Python 3.9 alone, in a tune test, while CI ran only the
    smoke tests there: the tests CI runs per version must include that one, and the smoke tests."""
    arguments = _per_version_pytest_arguments()
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", *arguments],
                               capture_output=True, text=True, timeout=300, cwd=ROOT)
    tests = [line for line in collected.stdout.splitlines() if "::" in line]
    assert CAUGHT_ONLY_UNDER_3_9 in tests, collected.stdout[-2000:]
    assert any(test.startswith("tests/test_smoke.py::") for test in tests)
    assert any(test.startswith("tests/test_architecture.py::") for test in tests)
