"""The trainings package keeps its shape (docs/modules/trainings.md): each module imports only
the modules below it in the graph, and nothing imports inside a function."""

import ast
from pathlib import Path

import pytest

import portal.trainings

PACKAGE = Path(portal.trainings.__file__).parent
# Bottom of the import graph first: a module may import only those before it.
ORDER = [
    "__init__",
    "models",
    "rules",
    "seats",
    "organising",
    "catalogue",
    "ledger",
    "calendars",
    "forms",
    "catalogue_views",
    "organiser_views",
    "ledger_views",
    "views",
    "commands",
    "tasks",
    "demo",
]


def _imports(tree):
    """The portal.trainings modules a module imports (`from portal.trainings import x` counts
    x when x is a module of the package)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "portal.trainings":
                found |= {alias.name for alias in node.names if alias.name in ORDER}
                found.add("__init__")
            elif node.module.startswith("portal.trainings."):
                found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("portal.trainings."):
                    found.add(alias.name.split(".")[2])
    return found


def test_every_module_of_the_package_is_placed_in_the_graph():
    assert {path.stem for path in PACKAGE.glob("*.py")} == set(ORDER)


@pytest.mark.parametrize("name", ORDER)
def test_a_module_imports_only_modules_below_it(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text())
    below = set(ORDER[: ORDER.index(name)])
    assert _imports(tree) - {name} <= below


@pytest.mark.parametrize("name", ORDER)
def test_no_module_imports_inside_a_function(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
            assert not inner, f"{name}.{node.name} imports inside the function"


def test_no_module_is_over_about_500_lines():
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 500, path.name
