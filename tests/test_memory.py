"""The plugin keeps the parsed models of a run within a budget, and a forgotten model must
really be freed: the plugin freezes long-lived objects out of the cyclic collector, so a
model left with reference cycles would never be."""
from __future__ import annotations

import ast
import gc
import weakref
from pathlib import Path

import pytest
from flake8_async_route.config import Config
from flake8_async_route.engine import check
from flake8_async_route.project import SESSION
from flake8_async_route.project.session import BUDGET_VARIABLE

CHATAPP = Path(__file__).parent / "projects" / "chatapp"
TYPEFLOW = Path(__file__).parent / "projects" / "typeflow"


def _check_every_file(directory: Path) -> None:
    for path in sorted(directory.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue  # the project keeps one unparsable module on purpose
        check(tree, Config(), str(path), source)


def _held_models() -> list:
    return [model for _, _, model in SESSION.held_models()]


@pytest.fixture
def fresh_projects():
    SESSION.forget_all()
    yield
    SESSION.forget_all()


def test_forgotten_models_are_freed_by_reference_counting(monkeypatch, fresh_projects):
    gc.collect()
    gc.disable()
    try:
        monkeypatch.setenv(BUDGET_VARIABLE, "1000000")
        _check_every_file(CHATAPP)
        models = _held_models()
        assert len(models) > 10 and SESSION.held_lines > 0
        freed = [weakref.ref(obj) for model in models
                 for obj in (model, *model.functions, *model.classes)]
        del models
        monkeypatch.setenv(BUDGET_VARIABLE, "0")
        SESSION.keep_within_budget()
        alive = [ref() for ref in freed if ref() is not None]
        assert not alive, f"{len(alive)} objects outlived their model, e.g. {alive[:3]}"
        assert SESSION.held_lines == 0 and not _held_models()
    finally:
        gc.enable()


def test_the_least_recently_used_models_go_first(monkeypatch, fresh_projects):
    monkeypatch.setenv(BUDGET_VARIABLE, "1000000")
    _check_every_file(CHATAPP)
    models = sorted(_held_models(), key=lambda model: model.last_used)
    oldest, newest = models[0], models[-1]
    assert oldest.last_used < newest.last_used
    budget = SESSION.held_lines - 1
    monkeypatch.setenv(BUDGET_VARIABLE, str(budget))
    SESSION.keep_within_budget()
    kept = _held_models()
    assert newest in kept and oldest not in kept
    # Down to three quarters of the budget, so that forgetting happens in batches.
    assert 0 < SESSION.held_lines <= budget * 3 // 4


def test_a_file_of_another_project_forgets_the_models_of_the_last(monkeypatch, fresh_projects):
    """No analysis of one project leads into another's models: held past the switch, they
    would only add to the peak of the next heavy analysis."""
    monkeypatch.setenv(BUDGET_VARIABLE, "1000000")
    _check_every_file(CHATAPP)
    chatapp = [weakref.ref(model) for model in _held_models()]
    assert chatapp
    _check_every_file(TYPEFLOW)
    held = list(SESSION.held_models())
    assert held and all(TYPEFLOW in Path(path).parents for _, path, _ in held)
    assert SESSION.held_lines == sum(project.lines_of(path) for project, path, _ in held)
    assert all(ref() is None for ref in chatapp)
