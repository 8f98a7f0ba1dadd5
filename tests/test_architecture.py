"""The house drawn from the code: every import (at the top of a module or inside a function) runs down the
layers docs/internals.md names, no modules import each other round a circle, and `import compare` (the library)
never loads the command layer."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest
from fresh_interpreter import BOUND_SECONDS

ROOT = Path(__file__).resolve().parent.parent
# The layers, lowest first: a module may import its own layer and those below it, never one above.
LAYERS = (
    ("implementations",),
    ("compare.errors", "compare.startup_signals", "compare.signals", "compare.files", "compare.build_startup_pth",
     "compare.validation", "compare.data", "compare.devices"),
    ("compare.measuring",),
    ("compare.config",),
    ("compare.results",),
    ("compare.reporting",),
    ("compare.training", "compare.loading", "compare.protocol_check"),
    ("compare.checking",),
    ("compare.jobs",),
    ("compare.api",),
    ("compare.commands", "compare.cli", "compare.__main__", "compare"),
)


COMMAND_LAYER = ("compare.cli", "compare.__main__", "compare.commands")
# On one floor, modules that must not lean on each other (the layers allow it): module -> what it never imports.
APART = {
    "compare.results.comparison": ("compare.results.json_io", "compare.results.json_read"),  # data in, data out:
    # a diff reads and writes no file
    "compare": COMMAND_LAYER,  # the package is the Python API's front door, on the commands' floor but not theirs
}


def _modules() -> dict[str, Path]:
    modules = {}
    for package in ("compare", "implementations"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project's modules `name` imports anywhere in its text, lazily inside a function included."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + [node.module or ""]) if node.level \
                else node.module or ""
            candidates = [base.rstrip(".")] + [f"{base.rstrip('.')}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found.update(candidate for candidate in candidates if candidate in known and candidate != name)
    return found


def _layer(name: str) -> int:
    matches = [(len(prefix), rank) for rank, prefixes in enumerate(LAYERS) for prefix in prefixes
               if name == prefix or name.startswith(prefix + ".")]
    assert matches, f"{name} is in no layer: name it in LAYERS and in docs/internals.md"
    return max(matches)[1]


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_every_import_runs_down_the_layers(graph):
    upward = [f"{name} -> {target}" for name, targets in sorted(graph.items()) for target in sorted(targets)
              if _layer(target) > _layer(name)]
    assert upward == []


def test_no_modules_import_each_other_round_a_circle(graph):
    circles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


def test_the_layers_catch_an_import_that_runs_back_up():
    """The checker itself can fail: an instrument importing a job is seen."""
    assert _layer("compare.jobs.bench") > _layer("compare.measuring.timing")
    assert _layer("compare.checking.probe") > _layer("compare.training.runner")
    assert _layer("compare.api.views.shown") > _layer("compare.jobs.run")


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_modules_of_one_floor_that_stay_apart_do(graph):
    leaning = [f"{name} -> {target}" for name, apart in APART.items() for target in sorted(graph[name])
               if _within(target, apart)]
    assert leaning == []


def test_the_library_loads_no_command_module():
    """What `import compare` and every name it exports load, asked of a fresh interpreter: the package imports
    the API lazily (importlib), which no reading of import statements sees."""
    script = ("import sys, compare\nfor name in compare.__all__:\n    getattr(compare, name)\n"
              f"print(sorted(m for m in sys.modules if any(m == p or m.startswith(p + '.') for p in {COMMAND_LAYER!r})))"
              "\nprint(sorted(m for m in sys.modules if m.startswith('compare.api')))")
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                             timeout=BOUND_SECONDS)
    command_modules, api_modules = process.stdout.splitlines()
    assert process.returncode == 0 and command_modules == "[]", process.stderr
    assert "compare.api" in api_modules  # the names were really loaded: the check above saw the library
