"""Bad input, in one place: each case goes through the real flake8 plugin and the real
command line, next to a good file with a known finding (issue #6: a linter in CI must never
break the build for the wrong reason).

For every case: no traceback, a clear per-file message (flake8: E902/E999; the command line:
ASR001 with the path), the neighbour still checked, the documented exit status (README,
"Command line": 0 clean, 1 findings or ASR001, 2 usage errors), and nothing written outside
the cache directory. Some cases also have focused tests in test_cli.py and
test_flake8_integration.py; this file is the list of all of them.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import pytest
from helpers import run_flake8
from test_cli import BLOCKING_ROUTE, BLOCKING_SLEEP_LINE, findings_of, run_cli, symlink

NEIGHBOUR = "neighbour.py"  # the good file next to each bad input, with one ASR101
NEIGHBOUR_FINDING = (NEIGHBOUR, BLOCKING_SLEEP_LINE, "ASR101")
CACHE_DIR = ".asr-cache"
OUR_PACKAGE = "flake8_async_route"
_FAILED_PLUGIN = re.compile(r'"(?P<plugin>[^"\[]+)\[[A-Z0-9]+\]" failed during execution')
_TRACEBACK_FILE = re.compile(r'File "(?P<file>[^"]+)"')
_SITE_PACKAGE = re.compile(r"site-packages/([^/]+)/")


@dataclass
class Expected:
    """What each tool must report for a case, beyond the neighbour's finding."""

    cli_errors: set = field(default_factory=set)  # (path, line) of ASR001
    cli_error_text: str = ""  # a part of each ASR001 message
    flake8_errors: set = field(default_factory=set)  # (path, code) of E902/E999
    findings: set = field(default_factory=set)  # (path, line, code) both tools report
    cli_paths: tuple = (".",)
    flake8_paths: tuple = (".",)
    flake8_skip: str = ""  # why flake8 cannot be run on this case here


def route_with(body: str, header: str = "") -> str:
    """An async route whose body is `body` (dedented), `time` imported; line 1 is import."""
    lines = ["import time", "from fastapi import FastAPI", "", "app = FastAPI()", header,
             "", '@app.get("/")', "async def handler():"]
    return "\n".join(lines) + "\n" + textwrap.indent(textwrap.dedent(body), "    ")


ROUTE_BODY_LINE = 9  # the first body line of route_with()


# ----- the cases ------------------------------------------------------------------------------

def syntax_error(root: Path) -> Expected:
    (root / "bad.py").write_text("import time\n\ndef broken(:\n    pass\n", encoding="utf-8")
    return Expected(cli_errors={("bad.py", 3)}, cli_error_text="cannot parse file",
                    flake8_errors={("bad.py", "E999")})


# (name, the Python that first parses it, the source: an async route with a blocking call)
NEWER_SYNTAX = [
    ("match", (3, 10), route_with("""\
        match time.time():
            case 0:
                time.sleep(1)
        """)),
    ("except_star", (3, 11), route_with("""\
        try:
            time.sleep(1)
        except* OSError:
            pass
        """)),
    ("type_alias", (3, 12), route_with("time.sleep(1)\n", header="type Seconds = int")),
    ("pep695_generic", (3, 12), route_with("time.sleep(1)\n").replace(
        "async def handler():", "async def handler[T](value: T = None):")),
    ("nested_quote_fstring", (3, 12), route_with('time.sleep(1); x = f"{ {"k": 1}["k"]}"\n')),
]


def newer_syntax(name: str, needs: tuple, source: str) -> Callable[[Path], Expected]:
    def build(root: Path) -> Expected:
        (root / "new.py").write_text(source, encoding="utf-8")
        if sys.version_info >= needs:
            return Expected(findings={("new.py", _sleep_line(source), "ASR101")})
        line = _syntax_error_line(source)
        return Expected(cli_errors={("new.py", line)}, cli_error_text="cannot parse file",
                        flake8_errors={("new.py", "E999")})

    build.__name__ = name
    return build


def _sleep_line(source: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if "time.sleep" in line)


def _syntax_error_line(source: str) -> int:
    try:
        compile(source, "new.py", "exec")
    except SyntaxError as error:
        return error.lineno
    raise AssertionError("this Python parses it")


def null_byte(root: Path) -> Expected:
    (root / "nul.py").write_bytes(b"x = 1\x00\n" + BLOCKING_ROUTE.encode())
    skip = ("flake8 itself (not the plugin) crashes on a null byte on this Python, whose "
            "ast.parse raises ValueError (before 3.11.4 or so)" if _null_byte_is_value_error()
            else "")
    return Expected(cli_errors={("nul.py", 1)}, cli_error_text="null bytes",
                    flake8_errors={("nul.py", "E999")}, flake8_skip=skip)


def _null_byte_is_value_error() -> bool:
    try:
        compile("\0", "<case>", "exec")
    except ValueError:
        return True
    except SyntaxError:
        return False
    raise AssertionError("a null byte compiled")


def invalid_utf8(root: Path) -> Expected:
    (root / "bad_utf8.py").write_bytes(b'x = "\xff\xfe"\n' + BLOCKING_ROUTE.encode())
    # flake8 falls back to latin-1 and checks it; Python (and the command line) refuse it.
    return Expected(cli_errors={("bad_utf8.py", 1)}, cli_error_text="encoding")


def latin1_cookie(root: Path) -> Expected:
    source = "# -*- coding: latin-1 -*-\n" + BLOCKING_ROUTE.replace('"/"', '"/caf\xe9"')
    (root / "latin1.py").write_bytes(source.encode("latin-1"))
    return Expected(findings={("latin1.py", BLOCKING_SLEEP_LINE + 1, "ASR101")})


def utf8_bom(root: Path) -> Expected:
    (root / "bom.py").write_bytes(b"\xef\xbb\xbf" + BLOCKING_ROUTE.encode())
    return Expected(findings={("bom.py", BLOCKING_SLEEP_LINE, "ASR101")})


def crlf(root: Path) -> Expected:
    (root / "crlf.py").write_bytes(BLOCKING_ROUTE.replace("\n", "\r\n").encode())
    return Expected(findings={("crlf.py", BLOCKING_SLEEP_LINE, "ASR101")})


def tabs(root: Path) -> Expected:
    (root / "tabs.py").write_text(route_with("if time:\n    time.sleep(1)\n")
                                  .replace("    ", "\t"), encoding="utf-8")
    return Expected(findings={("tabs.py", ROUTE_BODY_LINE + 1, "ASR101")})


BIG_FILE_BYTES = 5_000_000
BIG_FILE_BAD_EVERY = 20_000  # few findings: each one's fix walks the whole tree


def big_file(root: Path) -> Expected:
    """About 5 MB of small routes, every one awaiting but a few that block."""
    parts = ["import asyncio\nimport time\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"]
    line, size, index, bad_lines = 7, len(parts[0]), 0, set()
    while size < BIG_FILE_BYTES:
        blocking = index % BIG_FILE_BAD_EVERY == 0
        body = "    time.sleep(1)\n" if blocking else "    await asyncio.sleep(0)\n"
        chunk = f'\n\n@app.get("/r{index}")\nasync def route_{index}():\n{body}    return 1\n'
        if blocking:
            bad_lines.add(line + 4)
        parts.append(chunk)
        size, line, index = size + len(chunk), line + chunk.count("\n"), index + 1
    (root / "big.py").write_text("".join(parts), encoding="utf-8")
    assert len(bad_lines) >= 3
    return Expected(findings={("big.py", n, "ASR101") for n in bad_lines},
                    flake8_skip="flake8's other checks (pycodestyle, pyflakes) take minutes "
                                "on 5 MB; test_flake8_integration covers long input")


def long_expression(root: Path) -> Expected:
    source = route_with("x = " + " + ".join(["1"] * 10_000) + "\ntime.sleep(1)\n")
    (root / "terms.py").write_text(source, encoding="utf-8")
    if _parses(source):
        return Expected(findings={("terms.py", ROUTE_BODY_LINE + 1, "ASR101")})
    return Expected(cli_errors={("terms.py", 1)}, cli_error_text="too deeply nested",
                    flake8_skip="this CPython's ast.parse cannot build the tree, so flake8 "
                                "itself fails before any plugin runs")


def _parses(source: str) -> bool:
    try:
        compile(source, "<case>", "exec", flags=0x400)  # ast.PyCF_ONLY_AST
    except (RecursionError, MemoryError, SyntaxError):
        return False
    return True


def nested_calls(root: Path) -> Expected:
    # The tokenizer allows 200 nested brackets: 200 calls deep is analysed, 201 brackets
    # deep is a clean syntax error.
    (root / "calls.py").write_text(
        route_with("x = " + "f(" * 199 + "time.sleep(1)" + ")" * 199 + "\n"), encoding="utf-8")
    (root / "too_many.py").write_text(
        route_with("x = " + "[" * 201 + "1" + "]" * 201 + "\n"), encoding="utf-8")
    return Expected(findings={("calls.py", ROUTE_BODY_LINE, "ASR101")},
                    cli_errors={("too_many.py", ROUTE_BODY_LINE)},
                    cli_error_text="too many nested parentheses",
                    flake8_errors={("too_many.py", "E999")})


def nested_blocks(root: Path) -> Expected:
    def ifs(depth: int) -> str:
        lines = [" " * level + f"if time.time() > {level}:" for level in range(depth)]
        return "\n".join(lines) + "\n" + " " * depth + "time.sleep(1)\n"

    # The def body plus 98 ifs is the tokenizer's 100-indent limit; 101 is a syntax error.
    (root / "deep_ifs.py").write_text(route_with(ifs(98)), encoding="utf-8")
    (root / "too_deep_ifs.py").write_text(route_with(ifs(100)), encoding="utf-8")
    return Expected(findings={("deep_ifs.py", ROUTE_BODY_LINE + 98, "ASR101")},
                    cli_errors={("too_deep_ifs.py", ROUTE_BODY_LINE + 99)},
                    cli_error_text="too many levels of indentation",
                    flake8_errors={("too_deep_ifs.py", "E999")})


def nested_lambdas(root: Path) -> Expected:
    (root / "lambdas.py").write_text(
        route_with("time.sleep(1)\nx = " + "lambda: " * 100 + "1\n"), encoding="utf-8")
    return Expected(findings={("lambdas.py", ROUTE_BODY_LINE, "ASR101")})


def empty_file(root: Path) -> Expected:
    (root / "empty.py").write_bytes(b"")
    return Expected()


def directory_named_like_a_module(root: Path) -> Expected:
    (root / "x.py").mkdir()
    (root / "x.py" / "inner.py").write_text(BLOCKING_ROUTE, encoding="utf-8")
    (root / "empty_dir.py").mkdir()
    return Expected(findings={("x.py/inner.py", BLOCKING_SLEEP_LINE, "ASR101")},
                    cli_paths=(".", "empty_dir.py"), flake8_paths=(".", "empty_dir.py"))


def unreadable_file(root: Path) -> Expected:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop reads (the FIFO case checks "
                    "a file that cannot be read as one)")
    secret = root / "secret.py"
    secret.write_text(BLOCKING_ROUTE, encoding="utf-8")
    secret.chmod(0)
    return Expected(cli_errors={("secret.py", 1)}, cli_error_text="cannot read file",
                    flake8_errors={("secret.py", "E902")})


def fifo(root: Path) -> Expected:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(root / "pipe.py")
    # Named explicitly it is refused (reading it would block); a walk leaves it out.
    # flake8 would block forever reading it, so it is not given the FIFO.
    return Expected(cli_errors={("pipe.py", 1)}, cli_error_text="not a regular file",
                    cli_paths=(".", "pipe.py"), flake8_paths=(NEIGHBOUR,))


def broken_symlink(root: Path) -> Expected:
    symlink(root / "dangling.py", "no_such_target.py")
    return Expected(cli_errors={("dangling.py", 1)}, cli_error_text="broken symbolic link",
                    flake8_errors={("dangling.py", "E902")},
                    flake8_paths=(NEIGHBOUR, "dangling.py"))


def symlink_loops(root: Path) -> Expected:
    (root / "pkg").mkdir()
    symlink(root / "pkg" / "up", "..")  # a directory loop, found by the walk
    symlink(root / "ping.py", "pong.py")
    symlink(root / "pong.py", "ping.py")
    return Expected(cli_errors={("pkg/up", 1), ("ping.py", 1), ("pong.py", 1)},
                    cli_error_text="symbolic link loop",
                    flake8_errors={("ping.py", "E902")}, flake8_paths=(NEIGHBOUR, "ping.py"))


def missing_path(root: Path) -> Expected:
    return Expected(cli_errors={("gone.py", 1)}, cli_error_text="no such file",
                    flake8_errors={("gone.py", "E902")},
                    cli_paths=(".", "gone.py"), flake8_paths=(NEIGHBOUR, "gone.py"))


CASES = [syntax_error, *(newer_syntax(*case) for case in NEWER_SYNTAX), null_byte,
         invalid_utf8, latin1_cookie, utf8_bom, crlf, tabs, big_file, long_expression,
         nested_calls, nested_blocks, nested_lambdas, empty_file,
         directory_named_like_a_module, unreadable_file, fifo, broken_symlink, symlink_loops,
         missing_path]


# ----- the checks -----------------------------------------------------------------------------

def snapshot(root: Path) -> dict:
    """Every entry below root but the cache, with its content's hash or link target."""
    entries = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != CACHE_DIR and not os.path.islink(
            os.path.join(directory, d))]
        for name in dirs + files:
            path = Path(directory, name)
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                entries[key] = "-> " + os.readlink(path)
            elif path.is_file():
                entries[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                entries[key] = "dir" if path.is_dir() else "special"
    return entries


def foreign_failure(result: subprocess.CompletedProcess) -> Optional[str]:
    """What failed in a flake8 run when it was not this plugin: another plugin or flake8."""
    failed = _FAILED_PLUGIN.search(result.stdout + result.stderr)
    if failed:
        return None if failed["plugin"] == "flake8-async-route" else failed["plugin"]
    if "Traceback" in result.stderr:
        files = _TRACEBACK_FILE.findall(result.stderr)
        if any(f"/{OUR_PACKAGE}/" in f for f in files):
            return None
        packages = [m[1] for m in map(_SITE_PACKAGE.search, files) if m and m[1] != "flake8"]
        return packages[0] if packages else "flake8 itself"  # the plugin, not its libraries
    return None


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]


@pytest.mark.parametrize("build", CASES, ids=lambda build: build.__name__)
def test_bad_input(tmp_path: Path, build: Callable[[Path], Expected]) -> None:
    (tmp_path / NEIGHBOUR).write_text(BLOCKING_ROUTE, encoding="utf-8")
    expected = build(tmp_path)
    before = snapshot(tmp_path)

    # The command line, with its cache on (the default): text, then the JSON audit.
    check = run_cli("check", "--jobs", "1", *expected.cli_paths, cwd=tmp_path)
    assert_no_traceback(check)
    assert check.returncode == 1, check.stderr
    found = findings_of(check.stdout)
    errors = {(f.path, f.row) for f in found if f.code == "ASR001"}
    assert errors == expected.cli_errors, check.stdout
    assert all(expected.cli_error_text in f.text for f in found if f.code == "ASR001"), \
        check.stdout
    assert {NEIGHBOUR_FINDING} | expected.findings <= {(f.path, f.row, f.code) for f in found}
    assert not [f for f in found if f.code == "ASR000"], check.stdout

    audit = run_cli("audit", "--format", "json", "--no-cache", *expected.cli_paths,
                    cwd=tmp_path)
    assert_no_traceback(audit)
    assert audit.returncode == 1, audit.stderr
    report = json.loads(audit.stdout)
    assert {(e["path"], e["line"]) for e in report["errors"]} == expected.cli_errors
    assert {(f["path"], f["line"], f["code"]) for f in report["findings"]} == \
        {(f.path, f.row, f.code) for f in found if f.code != "ASR001"}
    assert snapshot(tmp_path) == before

    # The plugin, through the real flake8.
    if expected.flake8_skip:
        pytest.skip(expected.flake8_skip)
    # One process: a failure's traceback is then flake8's own, not a worker's.
    result = run_flake8(list(expected.flake8_paths), "--jobs=1", cwd=tmp_path,
                        select="ASR,E902,E999")
    culprit = foreign_failure(result)
    if culprit:
        pytest.skip(f"{culprit} (not this plugin) fails on this input and ends flake8's run")
    assert_no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    flake8_found = findings_of(result.stdout)
    assert {(f.path, f.code) for f in flake8_found if f.code.startswith("E")} == \
        expected.flake8_errors, result.stdout
    flake8_rows = {(f.path, f.row, f.code) for f in flake8_found}
    flake8_wanted = {NEIGHBOUR_FINDING} | {
        f for f in expected.findings if f[0].split("/")[0] in expected.flake8_paths
        or "." in expected.flake8_paths}
    assert flake8_wanted <= flake8_rows, result.stdout
    assert snapshot(tmp_path) == before


# ----- exit status and the cache across runs ---------------------------------------------------

def test_exit_status_with_only_bad_or_empty_input(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_bytes(b"")
    assert run_cli("check", "empty.py", cwd=tmp_path).returncode == 0
    (tmp_path / "bad.py").write_text("def broken(:\n", encoding="utf-8")
    for command in ("check", "audit"):
        result = run_cli(command, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert run_cli(command, "--exit-zero", cwd=tmp_path).returncode == 0


def test_module_removed_between_two_cached_runs(tmp_path: Path) -> None:
    """A stale cache entry must not outlive the helper it depended on."""
    (tmp_path / "helpers.py").write_text(
        "import time\n\n\ndef slow():\n    time.sleep(1)\n", encoding="utf-8")
    (tmp_path / "main.py").write_text(textwrap.dedent("""\
        import asyncio

        from fastapi import FastAPI

        from helpers import slow

        app = FastAPI()


        @app.get("/")
        async def handler():
            await asyncio.sleep(0)
            slow()
        """), encoding="utf-8")
    first = run_cli("check", "main.py", cwd=tmp_path)
    assert first.returncode == 1 and "ASR110" in first.stdout, first.stdout + first.stderr
    (tmp_path / "helpers.py").unlink()
    again = run_cli("check", "main.py", "helpers.py", cwd=tmp_path)
    assert_no_traceback(again)
    assert again.returncode == 1, again.stderr
    assert [(f.path, f.code) for f in findings_of(again.stdout)] == [("helpers.py", "ASR001")]


# ----- deep nesting degrades per coroutine, not per file --------------------------------------

# Deeper than the analysis can follow (the type of each receiver is the one before it) on
# 3.9 to 3.13, parsed by all.
DEEP_CHAIN = 400
DEEP_FILE = BLOCKING_ROUTE + textwrap.dedent(f"""\


    @app.get("/deep")
    async def deep():
        return time.a(){".a()" * DEEP_CHAIN}


    @app.get("/after")
    async def after():
        time.sleep(2)
    """)
DEEP_DEF_LINE = BLOCKING_SLEEP_LINE + 4
AFTER_SLEEP_LINE = DEEP_DEF_LINE + 6


def test_too_deep_coroutine_is_skipped_and_the_rest_of_the_file_is_checked(tmp_path) -> None:
    (tmp_path / "deep.py").write_text(DEEP_FILE, encoding="utf-8")
    (tmp_path / NEIGHBOUR).write_text(BLOCKING_ROUTE, encoding="utf-8")
    wanted = {("deep.py", BLOCKING_SLEEP_LINE, "ASR101"), ("deep.py", AFTER_SLEEP_LINE, "ASR101"),
              NEIGHBOUR_FINDING}
    note = "`deep` is too deeply nested to analyse; skipped"

    check = run_cli("check", "--jobs", "1", cwd=tmp_path)
    assert_no_traceback(check)
    assert check.returncode == 1
    found = findings_of(check.stdout)
    assert wanted <= {(f.path, f.row, f.code) for f in found}, check.stdout
    assert [(f.path, f.row, f.text) for f in found if f.code == "ASR001"] == [
        ("deep.py", DEEP_DEF_LINE, note)]

    result = run_flake8(["deep.py", NEIGHBOUR], "--jobs=1", cwd=tmp_path)
    culprit = foreign_failure(result)
    if culprit:
        pytest.skip(f"{culprit} (not this plugin) fails on this input and ends flake8's run")
    assert_no_traceback(result)
    assert f"flake8-async-route: deep.py:{DEEP_DEF_LINE}: {note}" in result.stderr
    assert wanted <= {(f.path, f.row, f.code) for f in findings_of(result.stdout)}


def test_a_call_too_deep_to_quote_is_still_reported(tmp_path) -> None:
    """Messages quote calls through `ast.unparse`, which gives up before the analysis does:
    the quote is shortened, the finding stays."""
    (tmp_path / "deep.py").write_text(textwrap.dedent(f"""\
        import time
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/")
        async def deep():
            return time{".a" * DEEP_CHAIN}()
        """), encoding="utf-8")
    result = run_cli("check", "--extend-select=ASR203", "deep.py", cwd=tmp_path)
    assert_no_traceback(result)
    assert [(f.row, f.code) for f in findings_of(result.stdout)] == [(8, "ASR203")]
    assert "`….a()`" in result.stdout, result.stdout
