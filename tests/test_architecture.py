"""The package keeps the shape ARCHITECTURE.md describes: small modules and classes, flake8
imported only by the adapter, and imports that never run in a circle."""
from __future__ import annotations

import ast

import pytest

from helpers import REPO_ROOT

PACKAGE = REPO_ROOT / "flake8_async_route"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 250


def module_name(path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parsed(path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _run_time_nodes(tree: ast.Module):
    """Every node but those under `if TYPE_CHECKING:` (imports for annotations only)."""
    skipped = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.If)
               and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
               for statement in node.body for inner in ast.walk(statement)}
    return (node for node in ast.walk(tree) if id(node) not in skipped)


def imported_modules(path) -> set:
    """Every package module `path` imports when it runs, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _run_time_nodes(parsed(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            # `from . import catalog` imports a module, not a name
            found.update(f"{base}.{alias.name}" for alias in node.names)
    known = {module_name(p) for p in MODULES}
    return {module for module in found if module in known and module != name}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_class_sizes(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{lines} lines"
    for node in ast.walk(parsed(path)):
        if isinstance(node, ast.ClassDef):
            size = node.end_lineno - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"class {node.name}: {size} lines"


def test_only_the_adapter_imports_flake8():
    importers = set()
    for path in MODULES:
        for node in ast.walk(parsed(path)):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and
                     not node.level else [])
            if any(name == "flake8" or name.startswith("flake8.") for name in names):
                importers.add(module_name(path))
    assert importers <= {"flake8_async_route.plugin"}


def test_imports_run_in_no_circle():
    graph = {module_name(path): imported_modules(path) for path in MODULES}
    # A package's __init__ importing its own submodules is how it exposes them, not a circle.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not t.startswith(name + ".")}
    circles = []
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                circles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not circles, "\n".join(" -> ".join(c) for c in circles)
