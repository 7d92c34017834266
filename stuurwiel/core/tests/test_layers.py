"""The import layers stay as designed: the framework libraries do not depend on the
connected model that uses them, and no module imports itself back through others."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import stuurwiel

ROOT = Path(stuurwiel.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if "migrations" in parts or "tests" in parts:
            continue
        name = ".".join(parts).removesuffix(".__init__")
        found[name] = path
    return found


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Ids of nodes under ``if TYPE_CHECKING:`` (never imported at run time)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    return skipped


def _imports(path: Path) -> set[str]:
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stuurwiel"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("stuurwiel"))
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m in _imports(path) if m in modules} for name, path in modules.items()}


def _app(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_the_framework_libraries_do_not_import_the_connected_model():
    offenders = sorted(
        (module, target)
        for module, targets in _graph().items()
        if _app(module) == "stuurwiel.frameworks"
        for target in targets
        if _app(target) == "stuurwiel.graph"
    )
    assert offenders == []


def test_no_module_imports_itself_through_others():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert cycles == []


def test_app_dependencies_are_known(request):
    """Print the app-level dependencies (``-s`` shows them); fails on none."""
    edges = defaultdict(set)
    for module, targets in _graph().items():
        for target in targets:
            if _app(module) != _app(target):
                edges[_app(module)].add(_app(target))
    assert edges  # the walk found the code


def test_core_imports_no_app():
    """``core`` is the base every app stands on: it imports none of them."""
    offenders = sorted(
        (module, target)
        for module, targets in _graph().items()
        if _app(module) == "stuurwiel.core"
        for target in targets
        if _app(target) not in ("stuurwiel.core", "stuurwiel")
    )
    assert offenders == []


def test_the_domain_layers_do_not_import_the_web_layer():
    """Models, services and selectors hold the rules; pages and the API (the web
    layer) stand on them, never the other way round."""
    domain = ("models", "services", "selectors", "access", "writes", "choices", "loader")
    offenders = sorted(
        (module, target)
        for module, targets in _graph().items()
        if module.rsplit(".", 1)[-1] in domain
        for target in targets
        if _app(target) == "stuurwiel.web"
    )
    assert offenders == []
