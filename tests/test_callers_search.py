"""The search for the calls of a project helper, which types its unannotated parameters: only
the files whose imports can reach the helper are modelled (project/imports.py), every caller
still counts, and a caller that appears later changes the cached findings of the routes that
call the helper. Real flake8, real files."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write
from flake8_async_route.project.imports import Targets, imported_modules
from helpers import flake8_crashed, parse_output, run_flake8

SHOP = {
    "shop/__init__.py": "",
    "shop/db.py": """\
        from sqlalchemy import create_engine

        engine = create_engine("sqlite://")
        """,
    "shop/store/__init__.py": "from .helpers import save\n",
    "shop/store/helpers.py": """\
        def save(session, row):
            session.add(row)
            session.commit()
        """,
    "shop/api/__init__.py": "",
    "shop/api/routes.py": """\
        from fastapi import APIRouter
        from sqlalchemy.orm import Session

        from .. import store
        from ..db import engine

        router = APIRouter()


        @router.post("/rows")
        async def create_row(row: dict):
            store.save(Session(engine), row)
        """,
    # Another package with a `save` of its own, called: not a caller of shop's.
    "other/__init__.py": "",
    "other/helpers.py": """\
        def save(path, text):
            return (path, text)


        def keep(text):
            return save("/tmp/x", text)
        """,
}

# Callers of shop.store.helpers.save that pass a value of unknown type, each reaching it
# another way: then not every call passes a session, and the route's finding goes.
UNKNOWN_CALLERS = {
    "through the package": "from shop.store import save\n\n\ndef job(conn, row):\n"
                           "    save(conn, row)\n",
    "the module": "from shop.store.helpers import save\n\n\ndef job(conn, row):\n"
                  "    save(conn, row)\n",
    "an attribute": "import shop.store.helpers\n\n\ndef job(conn, row):\n"
                    "    shop.store.helpers.save(conn, row)\n",
    "a relative import": "from ..store import save\n\n\ndef job(conn, row):\n"
                         "    save(conn, row)\n",
    "its package's package": "from shop import store\n\n\ndef job(conn, row):\n"
                             "    store.save(conn, row)\n",
}


def _shop(root: Path) -> Path:
    for name, text in SHOP.items():
        write(root, name, text)
    return root


def _route_findings(root: Path, *args: str) -> list[str]:
    result = run_flake8(["."], *args, cwd=root)
    assert not flake8_crashed(result), result.stderr
    return [f.code for f in parse_output(result.stdout)
            if f.path.removeprefix("./") == "shop/api/routes.py"]


def test_the_callers_agree_on_a_session(tmp_path: Path):
    assert _route_findings(_shop(tmp_path)) == ["ASR201", "ASR110"]


@pytest.mark.parametrize("how", sorted(UNKNOWN_CALLERS))
def test_every_caller_counts_however_it_imports_the_helper(tmp_path: Path, how: str):
    root = _shop(tmp_path)
    write(root, "shop/jobs/__init__.py", "")
    write(root, "shop/jobs/nightly.py", UNKNOWN_CALLERS[how])
    assert _route_findings(root) == []


def test_a_caller_that_appears_changes_the_cached_findings(tmp_path: Path):
    """The helper's module searched the project: the route's cached findings depend on the
    project's listing, not only on the files that existed."""
    root = _shop(tmp_path / "app")
    cache = f"--async-route-cache-dir={tmp_path / 'cache'}"
    assert _route_findings(root, cache) == ["ASR201", "ASR110"]
    write(root, "other/jobs.py", UNKNOWN_CALLERS["through the package"])
    assert _route_findings(root, cache) == []


@pytest.mark.parametrize("text, module, is_package, expected", [
    ("from .helpers import save\n", "shop.store", True, {"shop.store.helpers"}),
    ("from . import helpers\n", "shop.store.api", False, {"shop.store"}),
    ("from .. import store\nfrom ..db import engine\n", "shop.api.routes", False,
     {"shop", "shop.db"}),
    ("import a.b as c, d\n    import e  # in a function\n", "m", False, {"a.b", "d", "e"}),
    ("from x import (\n    y,\n    z,\n)\n", "m", False, {"x"}),
    ("x = 1\n", "m", False, set()),
])
def test_imported_modules(text: str, module: str, is_package: bool, expected: set):
    assert imported_modules(text.encode(), module, is_package) == expected


def test_targets_reached_by():
    helpers = Targets({"shop.store.helpers"})
    assert helpers.reached_by({"shop.store.helpers"})
    assert helpers.reached_by({"shop"})  # `from shop import store`
    assert helpers.reached_by({"shop.store"})
    assert helpers.reached_by({"shop.store.helpers.sub"})  # `import` binds `shop`
    assert helpers.reached_by(None)  # a file outside the search roots: unknown
    assert not helpers.reached_by({"shop.stores", "other.helpers", "fastapi", "sho"})
