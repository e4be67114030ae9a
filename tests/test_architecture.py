"""The shape of the code: no import cycle between the portal's packages.

The graph is built from the imports of portal/<package>/*.py, at module level and inside
functions alike (an import moved into a function still ties the two packages together; a cycle
has to be broken, not hidden: move the shared piece down, or the caller up). A package's
models are a node of their own (`org.models`), one layer below the package's rules: a foreign key
to Employee makes `audit.models` depend on `org.models`, while `org`'s services write audit rows
through `audit.services`; that is not a cycle. Every other edge counts, so `org` importing
`auth` while `auth` imports `org` fails here.
"""

import ast
import itertools
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
PACKAGES = {path.parent.name for path in PORTAL.glob("*/__init__.py")}


def _node(package, module):
    return f"{package}.models" if module == "models" else package


def _targets(statement):
    """The portal packages (or package models) one import statement reaches."""
    if isinstance(statement, ast.Import):
        names = [alias.name.split(".") for alias in statement.names]
    elif isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module:
        base = statement.module.split(".")
        # `from portal.org import models, services` names modules; deeper, the module is named
        names = [[*base, alias.name] for alias in statement.names] if len(base) == 2 else [base]
    else:
        return []
    found = []
    for parts in names:
        if parts[0] == "portal" and len(parts) > 1 and parts[1] in PACKAGES:
            found.append(_node(parts[1], parts[2] if len(parts) > 2 else ""))
    return found


def package_graph():
    """{node: {node it imports: [the files that do]}} over every import statement."""
    graph: dict[str, dict[str, list[str]]] = {}
    for path in sorted(PORTAL.glob("*/*.py")):
        package = path.parent.name
        if package not in PACKAGES:
            continue
        source = _node(package, path.stem)
        edges = graph.setdefault(source, {})
        if source != package:
            graph.setdefault(package, {}).setdefault(source, []).append("(own models)")
        for statement in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(statement):
                if target != source:
                    edges.setdefault(target, []).append(str(path.relative_to(PORTAL.parent)))
    return graph


def find_cycle(graph):
    """One cycle as [a, b, ..., a], or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, {})):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_portal_packages_import_each_other_without_a_cycle():
    graph = package_graph()
    cycle = find_cycle(graph)
    if cycle:
        steps = [
            f"{a} -> {b} ({', '.join(sorted(set(graph[a][b])))})"
            for a, b in itertools.pairwise(cycle)
        ]
        raise AssertionError("import cycle between packages:\n  " + "\n  ".join(steps))


def test_models_import_only_models():
    """A models module sits below every package's rules: it may import other models only."""
    graph = package_graph()
    for node, edges in graph.items():
        if node.endswith(".models"):
            assert all(target.endswith(".models") for target in edges), (node, edges)


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"org": {"auth": []}, "auth": {"org": []}}) == ["auth", "org", "auth"]
    assert find_cycle({"audit.models": {"org.models": []}, "org": {"audit": []}}) is None


def test_org_does_not_depend_on_auth():
    """Signing in is built on the organisation, never the other way round."""
    graph = package_graph()
    assert "auth" not in graph.get("org", {}), graph["org"].get("auth")
