"""The plugin keeps the parsed models of a run within a budget, and a forgotten model must
really be freed: the plugin freezes long-lived objects out of the cyclic collector, so a
model left with reference cycles would never be."""
from __future__ import annotations

import ast
import gc
import weakref
from pathlib import Path

import pytest
from flake8_async_route.audit import runner
from flake8_async_route.audit.settings import Settings
from flake8_async_route.config import Config
from flake8_async_route.engine import check
from flake8_async_route.project import SESSION
from flake8_async_route.project.session import BUDGET_VARIABLE
from flake8_async_route.results import Finding, Handler

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


def test_the_audit_holds_the_reports_of_analysed_files_packed(fresh_projects):
    """While files are analysed, the reports of the ones before are held compressed, not
    as objects: 79,000 findings with their handlers and fixes were 100 MB of the synthetic
    1M-line app's peak, beside the models; composed, they are the same report."""
    files = sorted(CHATAPP.rglob("*.py"))
    settings = Settings(no_cache=True, jobs=1, async_route_check_tests=True)  # it is below tests/
    reports = runner.analyse_files(files, settings)
    gc.unfreeze()  # the audit freezes what is alive after each file
    gc.collect()
    alive = [obj for obj in gc.get_objects() if isinstance(obj, (Finding, Handler))
             and "chatapp" in obj.path]
    assert not alive, f"{len(alive)} report objects held, e.g. {alive[:2]}"
    composed = runner.compose(reports, settings)
    plain = runner.compose([runner.analyse_file(path, settings.config()) for path in files],
                           settings)
    assert composed.findings and composed.handlers
    assert composed == plain
    assert [f.fix for f in composed.findings] == [f.fix for f in plain.findings]


def _many_routers(root: Path, count: int = 6) -> Path:
    """An application whose `main.py` includes `count` routers and assigns
    `app.state.store`; every router reads it and calls a `dict.get`, and the first calls
    `Store.get`, whose unannotated parameter its callers type."""
    app = root / "app"
    (app / "routers").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "routers" / "__init__.py").write_text("")
    (app / "store.py").write_text(
        "class Store:\n"
        "    def get(self, connection):\n"
        "        return connection.execute('select 1')\n\n\n"
        "def open_store():\n"
        "    return Store()\n")
    names = [f"r{i}" for i in range(count)]
    (app / "main.py").write_text(
        "from fastapi import FastAPI\n\n"
        f"from app.routers import {', '.join(names)}\n"
        "from app.store import open_store\n\n"
        "app = FastAPI()\n"
        + "".join(f"app.include_router({name}.router, prefix='/{name}')\n" for name in names)
        + "\n\n@app.on_event('startup')\n"
        "async def startup():\n"
        "    app.state.store = open_store()\n")
    for name in names:
        rows = ("\n\n@router.get('/rows')\n"
                "async def rows(request: Request):\n"
                "    return request.app.state.store.get(sqlite3.connect('app.db'))\n"
                if name == names[0] else "")
        (app / "routers" / f"{name}.py").write_text(
            "import sqlite3\n\n"
            "from fastapi import APIRouter, Request\n\n"
            "router = APIRouter()\n"
            "SETTINGS = {'limit': 1}\n\n\n"
            "@router.get('/items')\n"
            "async def items(request: Request):\n"
            "    return request.app.state.store, SETTINGS.get('limit')\n" + rows)
    return app


def _check_alone(path: Path) -> list:
    """Check one file with nothing held before; the files whose models are held after."""
    SESSION.forget_all()
    source = path.read_text(encoding="utf-8")
    found = check(ast.parse(source), Config(), str(path), source).violations
    return found, sorted(Path(held).name for _, held, _ in SESSION.held_models())


def test_a_question_asked_of_many_files_holds_only_the_models_it_needs(tmp_path, fresh_projects):
    """Which object each included `router` is, who assigns `app.state.store`, who calls
    `Store.get`: most of the files the question reads answer nothing, and their models
    are forgotten as soon as they have answered (`main.py` of open-webui held 100,600
    lines of models for such questions, and one router 123,500)."""
    app = _many_routers(tmp_path)
    assert _check_alone(app / "main.py")[1] == ["main.py", "store.py"]
    assert _check_alone(app / "routers" / "r1.py")[1] == ["r1.py"]
    found, held = _check_alone(app / "routers" / "r0.py")
    assert held == ["main.py", "r0.py", "store.py"]
    # What the forgotten models answered still counts: the caller types the parameter.
    assert any(v.code == "ASR110" and "connection.execute()" in v.message for v in found)


def _evict_and_check_freed(module: str) -> None:
    """Forget the held model of the file named `module` and check that its first function
    is freed: no result kept on the project still holds it."""
    ((project, path, model),) = [held for held in SESSION.held_models()
                                 if held[1].name == module]
    function = weakref.ref(model.functions[0])
    del model
    project.evict([path])
    assert function() is None


def test_a_result_naming_another_modules_coroutine_is_forgotten_with_it(tmp_path, fresh_projects):
    """The audit keeps, for each coroutine, the coroutines it runs (asked for every
    handler that reaches it). When the module they are in is forgotten, so is that result:
    else it would keep the forgotten functions alive, and answer with them."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "services.py").write_text(
        "import time\n\n\n"
        "async def notify():\n"
        "    time.sleep(1)\n")
    (app / "main.py").write_text(
        "from fastapi import FastAPI\n\n"
        "from app.services import notify\n\n"
        "app = FastAPI()\n\n\n"
        "@app.post('/ping')\n"
        "async def ping():\n"
        "    await notify()\n")

    def verdict_of_ping() -> str:
        source = (app / "main.py").read_text(encoding="utf-8")
        result = check(ast.parse(source), Config(), str(app / "main.py"), source,
                       inventory=True)
        (ping,) = result.handlers
        return ping.blocks_through

    gc.collect()
    gc.disable()
    try:
        assert verdict_of_ping().startswith("`notify` (")
        _evict_and_check_freed("services.py")
        assert verdict_of_ping().startswith("`notify` (")  # services.py is read again
    finally:
        gc.enable()


def test_a_coroutines_blocking_calls_are_forgotten_with_the_helper_they_call(
        tmp_path, fresh_projects):
    """A coroutine's blocking calls are kept on the project (the audit asks for them for
    every handler running it, and when their module is checked). An ASR110 call holds the
    helper it calls, of another module: forgotten with that module, or it would keep the
    forgotten helper alive."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "helpers.py").write_text("import time\n\n\ndef pause():\n    time.sleep(1)\n")
    (app / "main.py").write_text(
        "from fastapi import FastAPI\n\n"
        "from app.helpers import pause\n\n"
        "app = FastAPI()\n\n\n"
        "@app.post('/ping')\n"
        "async def ping():\n"
        "    pause()\n")

    def codes_in_main() -> list[str]:
        source = (app / "main.py").read_text(encoding="utf-8")
        return [v.code for v in check(ast.parse(source), Config(), str(app / "main.py"),
                                      source).violations]

    gc.collect()
    gc.disable()
    try:
        assert codes_in_main() == ["ASR201", "ASR110"]
        _evict_and_check_freed("helpers.py")
        assert codes_in_main() == ["ASR201", "ASR110"]  # helpers.py is read again
    finally:
        gc.enable()
