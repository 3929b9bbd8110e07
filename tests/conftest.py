from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Callable

import pytest

# Code under analysis, not tests: fixture projects may hold their own `test_*.py` files.
collect_ignore_glob = ["projects/*", "eval_files/*", "fixes/*", "labelled_cases/*"]


@pytest.fixture
def write_module(tmp_path: Path) -> Callable[..., Path]:
    """Write dedented source to a file in tmp_path and return its path."""

    def write(source: str, name: str = "app.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write


CHATAPP = Path(__file__).parent / "projects" / "chatapp"

# Two routers reach a blocking call in `deep` through `middle`. Checked in one process, the
# second router reuses the summary of `work()` computed for the first, without looking at
# `deep` again: its entry must still depend on `deep`.
EXTRA_MODULES = {
    "chatapp/utils/deep.py": """\
        import time


        def pause():
            time.sleep(1)
        """,
    "chatapp/utils/middle.py": """\
        from chatapp.utils.deep import pause


        def work():
            pause()
        """,
    "chatapp/routers/a_first.py": """\
        from fastapi import APIRouter

        from chatapp.utils.middle import work

        router = APIRouter()


        @router.get("/a")
        async def first():
            work()
        """,
    "chatapp/routers/b_second.py": """\
        from fastapi import APIRouter

        from chatapp.utils.middle import work

        router = APIRouter()


        @router.get("/b")
        async def second():
            work()
        """,
}


def write(project: Path, name: str, text: str) -> Path:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of tests/projects/chatapp with EXTRA_MODULES (the caches' tests)."""
    copy = tmp_path / "chatapp"
    shutil.copytree(CHATAPP, copy, ignore=shutil.ignore_patterns("__pycache__", ".asr-cache"))
    for name, text in EXTRA_MODULES.items():
        write(copy, name, text)
    return copy
