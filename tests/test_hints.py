"""The hint of a finding fits the code it is on: `def` only for handlers, the fix that
exists for the call, and a chain shown down to its costliest blocking call."""
from __future__ import annotations

import textwrap

from helpers import parse_output, run_flake8

SOURCE = '''
import os
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor

import requests
from fastapi import FastAPI

app = FastAPI()
executor = ThreadPoolExecutor()


async def refresh_cache():
    sqlite3.connect("cache.db")


@app.get("/rows")
async def rows():
    await refresh_cache()
    return sqlite3.connect("app.db")


@app.post("/stop")
async def stop():
    await refresh_cache()
    executor.shutdown()
    return tempfile.mkstemp()


def fetch():
    return requests.get("https://files.example.com", timeout=5)


def download(path):
    if os.environ.get("CLEAN"):
        os.remove(path)
    return fetch()


@app.get("/download")
async def download_route(path: str):
    await refresh_cache()
    return download(path)
'''


def _texts(tmp_path) -> list[str]:
    path = tmp_path / "app.py"
    path.write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    result = run_flake8(path, cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    return [f.text for f in parse_output(result.stdout)]


def _one(texts: list[str], start: str) -> str:
    found = [t for t in texts if t.startswith(start)]
    assert len(found) == 1, (start, texts)
    return found[0]


def test_hints_fit_the_call_and_the_coroutine(tmp_path):
    texts = _texts(tmp_path)
    in_helper = next(t for t in texts if "coroutine `refresh_cache`" in t)
    in_route = next(t for t in texts if "route `GET /rows`" in t)
    assert "declare the handler `def`" not in in_helper
    assert in_helper.endswith("motor, ...)")
    assert "declare the handler `def`" in in_route
    shutdown = _one(texts, "`executor.shutdown()`")
    assert "wait=False" in shutdown and "asyncio.Lock" not in shutdown
    mkstemp = _one(texts, "`tempfile.mkstemp()`")
    assert "asyncio.to_thread" in mkstemp and "anyio" not in mkstemp


def test_a_chain_is_shown_down_to_its_costliest_call(tmp_path):
    chain = _one(_texts(tmp_path), "`download()`")
    assert chain.startswith("`download()` → `fetch()` → `requests.get()`"), chain
