"""`blocking-patterns`: ast-grep patterns reported as ASR100 on the event loop, through the
engine, flake8 (command line and setup.cfg) and the command line (pyproject.toml)."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import parse_output, run_flake8

from flake8_async_route import patterns
from flake8_async_route.config import Config, ConfigError
from flake8_async_route.engine import check_source
from flake8_async_route.options import analysis_config

CLI = (sys.executable, "-m", "flake8_async_route")

ROUTE = '''\
import asyncio
import functools
import time

import legacy_sdk
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

app = FastAPI()
legacy_sdk.load("module level")


@app.get("/items")
async def items(names: list):
    await asyncio.sleep(0)
    first = legacy_sdk.load(names[0])  # REPORTED
    a = await asyncio.to_thread(lambda: legacy_sdk.load("offloaded lambda"))
    b = await run_in_threadpool(functools.partial(legacy_sdk.load, "partial"))
    c = await asyncio.get_running_loop().run_in_executor(None, lambda: legacy_sdk.load("e"))
    later = lambda: legacy_sdk.load("stored lambda")
    ranked = sorted(names, key=lambda n: legacy_sdk.rank(n))  # REPORTED

    def worker():
        return legacy_sdk.load("nested def")

    @functools.lru_cache(maxsize=legacy_sdk.size())  # REPORTED
    def cached(value=legacy_sdk.load("default")):  # REPORTED
        return legacy_sdk.load("nested body")

    class Loader:
        data = legacy_sdk.load("class body")

        async def method(self):
            await asyncio.sleep(0)
            return legacy_sdk.load("async method")  # REPORTED

    return [first, a, b, c, later, ranked, worker, cached, Loader]


def sync_helper():
    return legacy_sdk.load("sync function")


async def helper():
    await asyncio.sleep(0)
    inner = lambda: legacy_sdk.load("lambda in a helper")
    return [inner, legacy_sdk.load("helper")]  # REPORTED
'''


def reported_lines(source: str) -> list[int]:
    return [n for n, line in enumerate(source.splitlines(), 1) if "# REPORTED" in line]


def findings(source: str, value, **options) -> list:
    config = Config(blocking_patterns=patterns.parse(value), **options)
    return [v for v in check_source(source, config) if v.code == "ASR100"]


def call_positions(source: str, prefix: str) -> list[tuple[int, int]]:
    """(line, UTF-8 column) of every call whose source starts with `prefix`, as ast has them."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node).startswith(prefix):
            found.append((node.lineno, node.col_offset))
    return sorted(found)


# ----- the engine -----------------------------------------------------------------------------

def test_only_the_coroutines_own_code_is_matched() -> None:
    found = findings(ROUTE, ["legacy_sdk.$M($$$)"])
    assert sorted({v.line for v in found}) == reported_lines(ROUTE)
    assert len(found) == len(reported_lines(ROUTE))


def test_columns_are_utf8_bytes_like_ast_even_after_non_ascii_text() -> None:
    source = textwrap.dedent('''\
        import legacy_sdk


        async def handler():
            title = "Ünïcödé ✓ 😀"; legacy_sdk.load(title); legacy_sdk.load("é")
            return {"naïve": legacy_sdk.load("x")}
        ''')
    found = findings(source, ["legacy_sdk.load($$$)"])
    assert [(v.line, v.col) for v in found] == call_positions(source, "legacy_sdk.load")
    assert found[0].col != source.splitlines()[4].index("legacy_sdk")  # bytes, not characters


def test_crlf_and_tabs_keep_positions() -> None:
    source = ("import legacy_sdk\r\n\r\nasync def handler():\r\n\tx = 'é'\r\n"
              "\tlegacy_sdk.load(x)\r\n")
    found = findings(source, ["legacy_sdk.load($$$)"])
    assert [(v.line, v.col) for v in found] == [(5, 1)]


def test_message_hint_and_metavariables() -> None:
    source = textwrap.dedent('''\
        import legacy_sdk
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/r")
        async def report(name: str):
            return legacy_sdk.fetch(name, timeout=3)  # a comment
        ''')
    entry = {"pattern": "legacy_sdk.$M($$$ARGS)", "message": "legacy_sdk.$M is sync.",
             "hint": "use `await legacy_sdk.aio.$M($$$ARGS)` ($UNKNOWN stays)"}
    [found] = findings(source, [entry])
    assert found.message == ("legacy_sdk.fetch is sync in async route `GET /r`; use `await "
                             "legacy_sdk.aio.fetch(name, timeout=3)` ($UNKNOWN stays)")
    [default] = findings(source, ["legacy_sdk.fetch($$$)"])
    assert default.message.startswith(
        "`legacy_sdk.fetch(name, timeout=3)` blocks the event loop in async route `GET /r`; "
        "run it in a thread")


def test_a_position_is_reported_once_and_the_catalog_wins() -> None:
    source = textwrap.dedent('''\
        import time
        import legacy_sdk


        async def handler():
            time.sleep(1)
            legacy_sdk.fetch(1)
            legacy_sdk.load(2)
        ''')
    value = [{"pattern": "time.sleep($$$)", "message": "pattern"},
             {"pattern": "legacy_sdk.$M($$$)", "message": "first"},
             {"pattern": "legacy_sdk.load($$$)", "message": "second"}]
    found = check_source(source, Config("legacy_sdk.fetch->configured hint",
                                        blocking_patterns=patterns.parse(value)))
    assert [(v.line, v.code, v.message.split(" in ")[0]) for v in found] == [
        (6, "ASR101", "`time.sleep()` blocks the event loop"),
        (7, "ASR100", "`legacy_sdk.fetch()` blocks the event loop"),  # the configured name
        (8, "ASR100", "first"),
    ]


def test_startup_work_is_asr111_and_command_line_coroutines_are_not_matched() -> None:
    source = textwrap.dedent('''\
        import asyncio
        from contextlib import asynccontextmanager

        import legacy_sdk
        from fastapi import FastAPI


        @asynccontextmanager
        async def lifespan(app: FastAPI):
            legacy_sdk.load("startup")
            yield


        app = FastAPI(lifespan=lifespan)


        @app.get("/")
        async def index():
            await asyncio.sleep(0)
            return legacy_sdk.load("request")


        async def backfill():
            legacy_sdk.load("command line")


        if __name__ == "__main__":
            asyncio.run(backfill())
        ''')
    config = Config(blocking_patterns=patterns.parse(["legacy_sdk.$M($$$)"]))
    found = check_source(source, config)
    assert [(v.line, v.code) for v in found] == [(10, "ASR111"), (20, "ASR100")]


def test_statement_patterns_and_nested_matches() -> None:
    source = textwrap.dedent('''\
        import legacy_sdk


        async def handler(db):
            with db.lock.hold():
                legacy_sdk.wrap(legacy_sdk.load(1))
        ''')
    found = findings(source, ["with $L.hold(): $$$", "legacy_sdk.$M($$$)"])
    assert [(v.line, v.col) for v in found] == [(5, 4), (6, 8), (6, 24)]


def test_no_coroutine_means_no_ast_grep(monkeypatch) -> None:
    config = Config(blocking_patterns=patterns.parse(["legacy_sdk.$M($$$)"]))

    def fail():
        raise AssertionError("ast-grep ran on a module without coroutines")

    monkeypatch.setattr(patterns, "_sg_root", fail)
    assert check_source("import legacy_sdk\n\ndef f():\n    legacy_sdk.load()\n", config) == []


def test_without_patterns_ast_grep_is_never_imported() -> None:
    code = textwrap.dedent('''\
        import sys
        import flake8_async_route.plugin
        from flake8_async_route.engine import check_source
        check_source("import time\\nasync def f():\\n    time.sleep(1)\\n")
        print("ast_grep_py" in sys.modules, "flake8_async_route.patterns" in sys.modules)
        ''')
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "False"], result.stderr
    timed = subprocess.run([sys.executable, "-X", "importtime", "-c",
                            "import flake8_async_route.plugin"], capture_output=True, text=True)
    assert "flake8_async_route.plugin" in timed.stderr and "ast_grep" not in timed.stderr


# ----- reading the option ---------------------------------------------------------------------

def test_line_form_keeps_commas_and_splits_at_arrows() -> None:
    value = "\n  legacy_sdk.$M($$$, timeout=None) -> $M blocks, always -> use aio, or a thread\n" \
            "vendor.call($A, $B)\n"
    assert patterns.parse(value) == (
        patterns.BlockingPattern("legacy_sdk.$M($$$, timeout=None)", "$M blocks, always",
                                 "use aio, or a thread"),
        patterns.BlockingPattern("vendor.call($A, $B)", "", ""),
    )


def test_json_form_and_tables() -> None:
    tables = [{"pattern": "def $F($$$) -> int: $$$", "message": "m -> n"}, "a.b($$$)"]
    expected = (patterns.BlockingPattern("def $F($$$) -> int: $$$", "m -> n", ""),
                patterns.BlockingPattern("a.b($$$)", "", ""))
    assert patterns.parse(json.dumps(tables)) == expected
    assert patterns.parse(tables) == expected
    # Not JSON: a line whose pattern starts with `[`.
    assert patterns.parse("[$X for $X in $Y]")[0].pattern == "[$X for $X in $Y]"


@pytest.mark.parametrize("value, says", [
    (["  "], "empty pattern"),
    (["$X"], "only a metavariable"),
    (["$$$ARGS"], "only a metavariable"),
    (["legacy_sdk.fetch("], "is not valid Python"),
    (["# only a comment"], "only comments"),
    (["a = 1; b = 2"], "ast-grep rejects"),
    ("def f() -> int: pass", "JSON form"),
    ('[{"pattern": "x"', "not a valid JSON list"),
    ([{"pattern": "x", "msg": "y"}], "unknown key 'msg'"),
    ([{"message": "y"}], "has no `pattern`"),
    ([{"pattern": "x", "hint": 3}], "hint"),
    ([3], "must be a table"),
    (3, "must be a list"),
])
def test_invalid_patterns_are_configuration_errors(value, says: str) -> None:
    with pytest.raises(ConfigError, match="blocking-patterns") as error:
        analysis_config({"blocking_patterns": value})
    assert says in str(error.value)
    assert "Stack backtrace" not in str(error.value)


# ----- flake8 ---------------------------------------------------------------------------------

APP = '''\
import legacy_sdk
from fastapi import FastAPI

app = FastAPI()


@app.get("/r")
async def report(name: str):
    label = "naïve"; data = legacy_sdk.fetch(name, 1)
    legacy_sdk.flush()  # noqa: ASR100
    legacy_sdk.close()  # noqa: ASR101
    return data
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def asr100(result: subprocess.CompletedProcess) -> list[tuple[int, int, str]]:
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return [(f.row, f.col, f.text) for f in parse_output(result.stdout) if f.code == "ASR100"]


EXPECTED = [
    (9, 30, "legacy_sdk.fetch() is synchronous in async route `GET /r`; "
            "use legacy_sdk.aio.fetch(name, 1)"),
    (11, 5, "legacy_sdk.close() is synchronous in async route `GET /r`; "
            "use legacy_sdk.aio.close()"),
]


def test_flake8_reads_patterns_from_setup_cfg(project: Path) -> None:
    (project / "setup.cfg").write_text(textwrap.dedent('''\
        [flake8]
        async-route-blocking-patterns =
            legacy_sdk.$M($$$A) -> legacy_sdk.$M() is synchronous -> use legacy_sdk.aio.$M($$$A)
            time.sleep($$$)
        '''), encoding="utf-8")
    assert asr100(run_flake8("app.py", cwd=project, isolated=False)) == EXPECTED


def test_flake8_takes_json_on_the_command_line(project: Path) -> None:
    value = json.dumps([{"pattern": "legacy_sdk.$M($$$A)",
                         "message": "legacy_sdk.$M() is synchronous",
                         "hint": "use legacy_sdk.aio.$M($$$A)"}])
    result = run_flake8("app.py", f"--async-route-blocking-patterns={value}", cwd=project)
    assert asr100(result) == EXPECTED


@pytest.mark.parametrize("value", ["legacy_sdk.fetch(", "$X", '[{"pattern": ""}]'])
def test_flake8_reports_an_invalid_pattern_without_a_traceback(project: Path, value) -> None:
    result = run_flake8("app.py", f"--async-route-blocking-patterns={value}", cwd=project)
    assert result.returncode != 0 and result.stdout == ""
    assert "flake8-async-route: blocking-patterns:" in result.stderr
    assert "Traceback" not in result.stderr


# ----- the command line -----------------------------------------------------------------------

def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


PYPROJECT = '''\
[tool.flake8-async-route]
exit-zero = false

[[tool.flake8-async-route.blocking-patterns]]
pattern = "legacy_sdk.$M($$$A)"
message = "legacy_sdk.$M() is synchronous"
hint = "use legacy_sdk.aio.$M($$$A)"

[[tool.flake8-async-route.blocking-patterns]]
pattern = "time.sleep($$$)"
'''


def test_cli_reads_patterns_from_pyproject_like_flake8(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    assert asr100(run_cli("check", "--no-cache", "app.py", cwd=project)) == EXPECTED
    flag = run_cli("check", "--no-cache", "--async-route-blocking-patterns",
                   "legacy_sdk.close($$$) -> closing", "app.py", cwd=project)
    assert [text for _, _, text in asr100(flag)] == [
        "closing in async route `GET /r`; run it in a thread (`await asyncio.to_thread(...)`) "
        "or use an async API"]


def test_cli_cache_is_keyed_by_the_patterns(project: Path) -> None:
    first = run_cli("check", "--async-route-blocking-patterns", "legacy_sdk.close($$$)",
                    "app.py", cwd=project)
    second = run_cli("check", "--async-route-blocking-patterns", "legacy_sdk.fetch($$$)",
                     "app.py", cwd=project)
    assert [row for row, _, _ in asr100(first)] == [11]
    assert [row for row, _, _ in asr100(second)] == [9]


@pytest.mark.parametrize("table, says", [
    ('blocking-patterns = [{ pattern = "legacy_sdk.fetch(" }]', "is not valid Python"),
    ('blocking-patterns = [{ pattern = "$X" }]', "only a metavariable"),
    ('blocking-patterns = [{ pattern = "f($$$)", note = "x" }]', "unknown key"),
    ('blocking-patterns = [{ pattern = "a; b" }]', "ast-grep rejects"),
])
def test_cli_invalid_pattern_exits_2(project: Path, table: str, says: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.flake8-async-route]\n{table}\n",
                                            encoding="utf-8")
    result = run_cli("check", "--no-cache", "app.py", cwd=project)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert "configuration error" in result.stderr and "blocking-patterns" in result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
