"""End-to-end tests of the `flake8-async-route` command line, run as real subprocesses.

The oracle for findings is real flake8 with the plugin: `check` must report the same
(path, row, col, code, text) for the same options, `# noqa` comments and selection. Code
under analysis is never imported: the projects here would leave a file behind if it were.
"""
from __future__ import annotations

import functools
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

import pytest
from helpers import REPO_ROOT, Finding, parse_output, read_flake8_args, run_flake8
from test_projects import PROJECT_ARGS

CLI = (sys.executable, "-m", "flake8_async_route")
CLI_TIMEOUT_SECONDS = 120
EVAL_DIR = REPO_ROOT / "tests" / "eval_files"
PROJECTS_DIR = REPO_ROOT / "tests" / "projects"
CHATAPP = PROJECTS_DIR / "chatapp"
FORMATS = ("text", "json", "sarif", "github", "markdown", "html")
ALL_CODES = ["ASR100", "ASR101", "ASR102", "ASR103", "ASR104", "ASR105", "ASR106", "ASR107",
             "ASR108", "ASR109", "ASR110", "ASR111", "ASR201", "ASR202", "ASR203",
             "ASR301"]
UNREADABLE = "ASR001"
# Flags the command line shares with the plugin's flake8 options, under the same names.
SHARED_FLAKE8_OPTIONS = ("--select", "--ignore", "--extend-select", "--extend-ignore",
                         "--per-file-ignores", "--exclude", "--extend-exclude",
                         "--async-route-blocking-calls", "--async-route-cheap-calls",
                         "--async-route-source-roots", "--async-route-blocking-patterns",
                         "--async-route-sync-client-types", "--async-route-check-tests")


# ----- running the two tools ----------------------------------------------------------------

SUMMARY = re.compile(r"^flake8-async-route: (found \d+ findings?|no findings in \d+ files?)")


def problems(result: subprocess.CompletedProcess) -> str:
    """stderr less the summary line every run ends with: what went wrong, if anything."""
    return "".join(line for line in result.stderr.splitlines(keepends=True)
                   if not SUMMARY.match(line))


def run_cli(*args: str, cwd: Path, stderr=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=stderr,
                          text=True, encoding="utf-8", timeout=CLI_TIMEOUT_SECONDS)


@pytest.fixture(scope="module")
def repo_cli(tmp_path_factory):
    """Runs the CLI inside the repository, without its pyproject.toml and without writing a
    cache there; each distinct run is made once per module."""
    config = tmp_path_factory.mktemp("config") / "pyproject.toml"
    config.write_text("", encoding="utf-8")

    @functools.lru_cache(maxsize=None)
    def run(cwd: Path, command: str, *args: str) -> subprocess.CompletedProcess:
        return run_cli(command, "--no-cache", "--config", str(config), *args, cwd=cwd)

    return run


def normalized(finding: Finding) -> Finding:
    return finding._replace(path=Path(os.path.normpath(finding.path)).as_posix())


def findings_of(stdout: str) -> list[Finding]:
    return sorted(normalized(f) for f in parse_output(stdout))


def split_unreadable(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    findings = list(findings)
    return ([f for f in findings if f.code != UNREADABLE],
            [f for f in findings if f.code == UNREADABLE])


def flake8_findings(cwd: Path, args: Iterable[str] = (), paths=(".",),
                    syntax_errors: bool = False) -> list[Finding]:
    """flake8's ASR findings (and its E999 when asked), with `--select ASR` unless the
    arguments select codes themselves."""
    args = tuple(args)
    explicit_select = any(a.startswith("--select") for a in args)
    select = None if explicit_select else ("ASR,E999" if syntax_errors else "ASR")
    result = run_flake8(list(paths), *args, cwd=cwd, select=select)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    return findings_of(result.stdout)


def cli_flags(flake8_args: Iterable[str]) -> tuple[str, ...]:
    """The command-line flags for flake8 options: the shared ones have the same names."""
    flags = tuple(flake8_args)
    for flag in flags:
        assert flag.split("=", 1)[0] in SHARED_FLAKE8_OPTIONS, f"no CLI flag for {flag}"
    return flags


def describe(first: str, a: Iterable[Finding], second: str, b: Iterable[Finding]) -> str:
    a, b = Counter(a), Counter(b)
    lines = [f"only {first}:"] + [f"  {f}" for f in sorted((a - b).elements())]
    lines += [f"only {second}:"] + [f"  {f}" for f in sorted((b - a).elements())]
    return "\n".join(lines)


def assert_same_as_flake8(cli: list[Finding], flake8: list[Finding]) -> None:
    assert cli == flake8, describe("the CLI", cli, "flake8", flake8)


def path_codes(findings: Iterable[Finding]) -> set[str]:
    return {f"{f.path}:{f.code}" for f in findings}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root


def symlink(link: Path, target: str) -> None:
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")


# ----- projects -------------------------------------------------------------------------------

BLOCKING_ROUTE = """\
import time
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def handler():
    time.sleep(1)
"""
BLOCKING_DEF_LINE, BLOCKING_SLEEP_LINE = 8, 9

CLEAN_ROUTES = """\
import asyncio

from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
async def ping():
    await asyncio.sleep(0)
    return {"ok": True}


@app.get("/sync")
def sync_route():
    return {"ok": True}
"""

# A router module with a prefix, included with another prefix from main.py; helpers that
# block one call away; one finding of each of ASR101, ASR110, ASR201 and ASR202.
SHOP = {
    "routers/__init__.py": "",
    "routers/items.py": """\
        import time

        from fastapi import APIRouter

        from services import slow_lookup

        router = APIRouter(prefix="/items")


        @router.get("/{id}")
        async def read_item(id: int):
            time.sleep(0.1)
            return slow_lookup(id)


        @router.get("/{id}/cheap")
        async def cheap_item(id: int):
            return {"id": id}
        """,
    "services.py": """\
        import time


        def slow_lookup(id):
            time.sleep(1)
            return id
        """,
    "main.py": """\
        import asyncio

        from fastapi import FastAPI

        from routers.items import router
        from services import slow_lookup

        app = FastAPI()
        app.include_router(router, prefix="/api")


        @app.get("/health")
        async def health():
            await asyncio.sleep(0)
            return {"ok": True}


        @app.get("/lookup/{id}")
        async def lookup(id: int):
            await asyncio.sleep(0)
            return slow_lookup(id)


        @app.post("/offload")
        async def offload():
            return await asyncio.to_thread(slow_lookup, 1)


        @app.get("/sync")
        def sync_route():
            return slow_lookup(1)
        """,
}
SHOP_FINDINGS = {"main.py:ASR110", "main.py:ASR202", "routers/items.py:ASR101",
                 "routers/items.py:ASR110", "routers/items.py:ASR201"}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_tree(tmp_path, SHOP)


@pytest.fixture
def clean_project(tmp_path: Path) -> Path:
    files = {"app.py": CLEAN_ROUTES, "pkg/__init__.py": "", "pkg/api.py": CLEAN_ROUTES}
    return write_tree(tmp_path / "clean", files)


# ----- version, exit codes and usage errors ---------------------------------------------------

def test_version_from_console_script_and_module(tmp_path: Path) -> None:
    expected = f"flake8-async-route {importlib.metadata.version('flake8-async-route')}"
    script = Path(sys.executable).with_name("flake8-async-route")
    if not script.exists():
        script = script.with_suffix(".exe")
    runs = [subprocess.run([str(script), "--version"], capture_output=True, text=True),
            run_cli("--version", cwd=tmp_path)]
    for result in runs:
        assert (result.returncode, result.stdout.strip(), result.stderr) == (0, expected, "")


def test_clean_project_exits_0_with_an_empty_report(clean_project: Path) -> None:
    result = run_cli("check", cwd=clean_project)
    assert (result.returncode, result.stdout, problems(result)) == (0, "", "")


def test_findings_exit_1_and_exit_zero_exits_0_with_the_same_output(shop: Path) -> None:
    plain, zero = run_cli("check", cwd=shop), run_cli("check", "--exit-zero", cwd=shop)
    assert plain.returncode == 1 and zero.returncode == 0, plain.stderr + zero.stderr
    assert path_codes(findings_of(plain.stdout)) == SHOP_FINDINGS
    assert zero.stdout == plain.stdout
    assert problems(plain) == problems(zero) == ""


def test_syntax_error_is_reported_and_the_other_files_are_still_checked(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a_first.py": BLOCKING_ROUTE, "z_last.py": BLOCKING_ROUTE,
                          "broken.py": "import time\n\ndef broken(:\n    pass\n"})
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    found, unreadable = split_unreadable(findings_of(result.stdout))
    assert [(f.path, f.row) for f in unreadable] == [("broken.py", 3)]
    assert unreadable[0].text.startswith("cannot parse file")
    assert {(f.path, f.row, f.code) for f in found} == {
        (name, line, code) for name in ("a_first.py", "z_last.py")
        for line, code in ((BLOCKING_DEF_LINE, "ASR201"), (BLOCKING_SLEEP_LINE, "ASR101"))}
    # flake8 puts the syntax error on the same line (as E999).
    e999 = [f for f in flake8_findings(tmp_path, syntax_errors=True) if f.code == "E999"]
    assert [(f.path, f.row) for f in e999] == [("broken.py", 3)]
    assert run_cli("check", "--exit-zero", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("args", [
    [],
    ["frobnicate"],
    ["check", "--no-such-flag"],
    ["check", "--jobs", "two"],
    ["check", "--format", "xml"],
    ["check", "--select", "not a code"],
    ["check", "--extend-ignore", "asr101"],
    ["check", "--async-route-blocking-calls", "1bad.name"],
    ["check", "--async-route-cheap-calls", "a..b"],
    ["audit", "--config", "no-such-pyproject.toml"],
    ["explain", "ASR999"],
], ids=lambda args: " ".join(args) or "no-command")
def test_usage_errors_exit_2(clean_project: Path, args: list[str]) -> None:
    result = run_cli(*args, cwd=clean_project)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.strip() and "Traceback" not in result.stderr


BAD_TABLES = [  # (the [tool.flake8-async-route] table, what the message must name)
    ("no-such-key = 1", "no-such-key"),
    ('jobs = "two"', "jobs"),
    ('select = "not a code"', "select"),
    ("extend-ignore = [101]", "extend-ignore"),
    ('async-route-blocking-calls = ["legacy sdk.fetch"]', "async-route-blocking-calls"),
    ('async-route-cheap-calls = "utils..fmt"', "async-route-cheap-calls"),
    ('exit-zero = "yes"', "exit-zero"),
    ('format = "xml"', "format"),
    ('output = "report.txt"', "output"),  # a per-run flag, not a setting
    ("select = [", "pyproject.toml"),  # not TOML
]


@pytest.mark.parametrize("table, mentioned", BAD_TABLES, ids=[t for t, _ in BAD_TABLES])
def test_bad_pyproject_values_exit_2(clean_project: Path, table: str, mentioned: str) -> None:
    (clean_project / "pyproject.toml").write_text(
        f"[project]\nname = 'x'\n\n[tool.flake8-async-route]\n{table}\n", encoding="utf-8")
    result = run_cli("check", cwd=clean_project)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert mentioned in result.stderr and "Traceback" not in result.stderr


def test_unwritable_output_file_is_a_usage_error(shop: Path) -> None:
    result = run_cli("check", "--output", "no/such/dir/report.txt", cwd=shop)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr


# ----- the same findings as flake8 ------------------------------------------------------------

def _eval_groups() -> dict[tuple[str, ...], tuple[str, ...]]:
    """The eval files by their `# flake8-args:` header."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for path in sorted(EVAL_DIR.glob("*.py")):
        groups.setdefault(read_flake8_args(path), []).append(path.name)
    return {args: tuple(names) for args, names in groups.items()}


EVAL_GROUPS = _eval_groups()


@pytest.mark.parametrize("args", list(EVAL_GROUPS),
                         ids=lambda args: " ".join(args)[:40] or "no-args")
def test_eval_files_match_flake8(repo_cli, args: tuple[str, ...]) -> None:
    names = EVAL_GROUPS[args]
    flake8 = flake8_findings(EVAL_DIR, args, paths=names)
    result = repo_cli(EVAL_DIR, "check", "--format", "text", *cli_flags(args), *names)
    assert result.returncode == (1 if flake8 else 0), result.stderr
    assert flake8, "the eval files have findings"
    assert_same_as_flake8(findings_of(result.stdout), flake8)


@pytest.mark.parametrize("project", ["chatapp", "srclayout"])
def test_projects_match_flake8(repo_cli, project: str) -> None:
    cwd, args = PROJECTS_DIR / project, PROJECT_ARGS.get(project, ())
    flake8, e999 = [], []
    for finding in flake8_findings(cwd, args, syntax_errors=True):
        (e999 if finding.code == "E999" else flake8).append(finding)
    result = repo_cli(cwd, "check", "--format", "text", *cli_flags(args), ".")
    assert result.returncode == 1 and problems(result) == "", problems(result)
    found, unreadable = split_unreadable(findings_of(result.stdout))
    assert_same_as_flake8(found, flake8)
    assert [(f.path, f.row) for f in unreadable] == [(f.path, f.row) for f in e999]


# Each body is that of its own `async def` route, which awaits, so its one finding is the
# blocking call on the body's first line. The flag: whether flake8 still reports it.
NOQA_BODIES = [
    ("time.sleep(1)  # noqa", False),
    ("time.sleep(1)  # noqa: ASR101", False),
    ("time.sleep(1)  # noqa:ASR1", False),  # a prefix of the code
    ("time.sleep(1)  # NOQA", False),
    ("time.sleep(1)  # noqa:E501,ASR101", False),
    ("time.sleep(1)  # noqa : ASR101", False),  # not a code list, so a bare noqa
    ("time.sleep(1)  # type: ignore  # noqa: ASR101", False),
    ("time.sleep(1)  # noqa: E501", True),
    ("time.sleep(1)  # noqa: ASR102", True),
    ("time.sleep(1)  # noqa: ASR1011", True),  # longer than the code
    ("time.sleep(1)  # noqa:asr101", True),  # codes are compared case-sensitively
    ("time.sleep(1)  #noqa", True),  # flake8 wants `# noqa`
    ("time.sleep(1)  # flake8: noqa", True),  # on a line with code: not a file-wide noqa
    # The statement's last line: flake8 joins physical lines only across strings and
    # backslashes (brackets end a physical line with an NL token), so these stay reported.
    ("requests.get(\n    'https://example.com',\n    timeout=3,\n)  # noqa: ASR102", True),
    ("time.sleep(\n    1)  # noqa", True),
    ("time.sleep(1); x = \\\n    2  # noqa", False),
    ("x = '''\n# noqa\n'''; time.sleep(1)", False),
]
# Routes without an await that compress (CPU-heavy): the finding is ASR201 on the
# `async def` line.
NOQA_SIGNATURES = [
    ("async def {name}():  # noqa: ASR201", False),
    ("async def {name}():  # noqa: ASR101", True),
    ("async def {name}(\n    q: int = 0,\n):  # noqa: ASR201", True),
]
NOQA_FILES = {
    "skipped_file.py": "# flake8: noqa\n" + BLOCKING_ROUTE,
    "skipped_indented.py": BLOCKING_ROUTE + "    # FLAKE8: NOQA\n",
    "skipped_in_string.py": BLOCKING_ROUTE + "x = '''\n# flake8: noqa\n'''\n",
}


def _noqa_module() -> tuple[str, set[tuple[int, str]]]:
    """The module of every case and the (line, code) findings flake8 keeps."""
    lines = ["import asyncio", "import gzip", "import time", "", "import requests",
             "from fastapi import FastAPI", "", "app = FastAPI()"]
    kept = set()
    for number, (body, reported) in enumerate(NOQA_BODIES):
        lines += ["", "", f'@app.get("/body{number}")', f"async def body{number}():",
                  "    await asyncio.sleep(0)"]
        code = "ASR102" if body.startswith("requests") else "ASR101"
        if reported:
            kept.add((len(lines) + 1, code))
        lines += ["    " + line for line in body.splitlines()]
    for number, (signature, reported) in enumerate(NOQA_SIGNATURES):
        lines += ["", "", f'@app.get("/signature{number}")']
        if reported:
            kept.add((len(lines) + 1, "ASR201"))
        lines += signature.format(name=f"signature{number}").splitlines()
        lines += ["    return gzip.compress(b'report')"]
    return "\n".join(lines) + "\n", kept


def test_noqa_comments_match_flake8(tmp_path: Path) -> None:
    source, kept = _noqa_module()
    write_tree(tmp_path, {"noqa_cases.py": source, **NOQA_FILES})
    (tmp_path / "noqa_crlf.py").write_bytes(source.replace("\n", "\r\n").encode())
    flake8 = flake8_findings(tmp_path)
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    cli = findings_of(result.stdout)
    assert_same_as_flake8(cli, flake8)
    for name in ("noqa_cases.py", "noqa_crlf.py"):
        assert {(f.row, f.code) for f in cli if f.path == name} == kept, name
    assert {f.path for f in cli} == {"noqa_cases.py", "noqa_crlf.py"}


# ----- selection ------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    ((), SHOP_FINDINGS),
    (("--ignore=ASR2",), {"main.py:ASR110", "routers/items.py:ASR101", "routers/items.py:ASR110"}),
    (("--select=ASR101",), {"routers/items.py:ASR101"}),
    (("--select=ASR1", "--ignore=ASR110"), {"routers/items.py:ASR101"}),
    (("--extend-ignore=ASR201",), SHOP_FINDINGS - {"routers/items.py:ASR201"}),
    (("--select=ASR2", "--extend-select=ASR110"), SHOP_FINDINGS - {"routers/items.py:ASR101"}),
    (("--ignore=ASR1", "--extend-select=ASR101"),  # the longest prefix decides
     {"main.py:ASR202", "routers/items.py:ASR101", "routers/items.py:ASR201"}),
    (("--select=ASR2", "--ignore=ASR2"), set()),
    (("--per-file-ignores=routers/*:ASR110",), SHOP_FINDINGS - {"routers/items.py:ASR110"}),
    (("--per-file-ignores=main.py:ASR",), {f for f in SHOP_FINDINGS if f.startswith("rout")}),
    pytest.param(
        ("--per-file-ignores=routers/*:ASR110,ASR101",),
        SHOP_FINDINGS - {"routers/items.py:ASR101", "routers/items.py:ASR110"},
        id="per-file-ignores-two-codes"),
    pytest.param(
        ("--per-file-ignores=routers/*:ASR110 main.py:ASR202",),
        SHOP_FINDINGS - {"routers/items.py:ASR110", "main.py:ASR202"},
        id="per-file-ignores-two-entries"),
])
def test_selection_flags_match_flake8(shop: Path, args: tuple[str, ...], expected) -> None:
    result = run_cli("check", *args, cwd=shop)
    cli = findings_of(result.stdout)
    assert result.returncode == (1 if expected else 0), result.stderr
    assert_same_as_flake8(cli, flake8_findings(shop, args))
    assert path_codes(cli) == expected


@pytest.mark.parametrize("table, flags, flake8_args", [
    ('per-file-ignores = ["routers/*:ASR110"]\nextend-ignore = ["ASR201"]', (),
     ("--per-file-ignores=routers/*:ASR110", "--extend-ignore=ASR201")),
    ('select = "ASR1"\nignore = ["ASR110"]', (), ("--select=ASR1", "--ignore=ASR110")),
    ('select = ["ASR1"]', ("--select", "ASR2"), ("--select=ASR2",)),  # the flag wins
    ('extend-exclude = ["routers"]', (), ("--extend-exclude=routers",)),
])
def test_selection_from_pyproject_matches_flake8(shop: Path, table: str, flags, flake8_args):
    (shop / "pyproject.toml").write_text(f"[tool.flake8-async-route]\n{table}\n",
                                         encoding="utf-8")
    result = run_cli("check", *flags, cwd=shop)
    assert result.returncode in (0, 1) and problems(result) == "", problems(result)
    assert_same_as_flake8(findings_of(result.stdout), flake8_findings(shop, flake8_args))


UNKNOWN_CALL_ROUTE = {"app.py": '''\
    from fastapi import FastAPI

    from mylib import compute

    app = FastAPI()


    @app.get("/")
    async def index():
        return compute()
    '''}


@pytest.mark.parametrize("args, reported", [
    ((), False),  # ASR alone: the default findings
    (("--extend-select=ASR203",), True),
    (("--select=ASR2",), True),
    (("--extend-select=ASR203", "--extend-ignore=ASR203"), False),
    (("--select=ASR203", "--extend-ignore=ASR2"), False),  # extend-ignore always wins
    (("--select=ASR203", "--ignore=ASR2"), True),  # the longer prefix wins
])
def test_opt_in_asr203_is_chosen_as_flake8_chooses_it(tmp_path: Path, args, reported) -> None:
    tree = write_tree(tmp_path, UNKNOWN_CALL_ROUTE)
    result = run_cli("check", "--no-cache", *args, cwd=tree)
    cli = findings_of(result.stdout)
    assert_same_as_flake8(cli, flake8_findings(tree, args))
    assert path_codes(cli) == ({"app.py:ASR203"} if reported else set())


def test_per_file_ignores_pattern_is_anchored_like_flake8(repo_cli) -> None:
    args = ("--per-file-ignores=routers/*:ASR110",)
    result = repo_cli(CHATAPP, "check", *args, ".")
    found, _ = split_unreadable(findings_of(result.stdout))
    assert_same_as_flake8(found, flake8_findings(CHATAPP, args))


# ----- formats and outputs --------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_for_check_and_audit(shop: Path, clean_project: Path, fmt: str) -> None:
    for command in ("check", "audit"):
        result = run_cli(command, "--format", fmt, cwd=shop)
        assert result.returncode == 1 and problems(result) == "", f"{command}: {problems(result)}"
        assert result.stdout.strip()
        for entry in SHOP_FINDINGS:  # every finding's file and code is in every report
            path, code = entry.split(":")
            assert path in result.stdout and code in result.stdout, f"{command}: {entry}"
        if fmt in ("json", "sarif"):
            json.loads(result.stdout)
    clean = run_cli("audit", "--format", fmt, cwd=clean_project)
    assert clean.returncode == 0 and problems(clean) == "", problems(clean)
    assert clean.stdout.strip()


def test_output_file_gets_the_report_and_stdout_stays_empty(shop: Path) -> None:
    for args in (("check",), ("audit", "--format", "json")):
        printed = run_cli(*args, cwd=shop)
        written = run_cli(*args, "--output", "report.out", cwd=shop)
        assert (written.returncode, written.stdout, problems(written)) == (1, "", "")
        assert (shop / "report.out").read_text(encoding="utf-8") == printed.stdout != ""


def test_audit_inventory_composes_router_prefixes_across_modules(shop: Path) -> None:
    text = run_cli("audit", cwd=shop)
    assert text.returncode == 1, text.stderr
    inventory = text.stdout.split("Inventory:", 1)[1]
    expected = [  # (verdict, label, file)
        ("blocks the loop", "GET /api/items/{id}", "routers/items.py:11"),
        ("clean", "GET /api/items/{id}/cheap", "routers/items.py:17"),
        ("clean", "GET /health", "main.py:13"),
        ("blocks the loop", "GET /lookup/{id}", "main.py:19"),
        ("offload-only", "POST /offload", "main.py:25"),
        ("clean", "GET /sync", "main.py:30"),
    ]
    for verdict, label, where in expected:
        pattern = rf"^\s*{re.escape(verdict)}\s+{re.escape(label)}\s+.*{re.escape(where)}\s*$"
        assert re.search(pattern, inventory, re.M), f"no `{verdict} {label}` line:\n{inventory}"
    data = json.loads(run_cli("audit", "--format", "json", cwd=shop).stdout)
    routes = {h["name"]: h["route"] for h in data["handlers"]}
    assert routes["read_item"] == "/api/items/{id}" and routes["health"] == "/health"


def test_router_prefix_in_a_namespace_package(shop: Path) -> None:
    (shop / "routers" / "__init__.py").unlink()
    result = run_cli("audit", cwd=shop)
    assert "GET /api/items/{id}" in result.stdout, result.stdout


# ----- runs and discovery ---------------------------------------------------------------------

@pytest.mark.parametrize("directory", [CHATAPP, EVAL_DIR], ids=lambda path: path.name)
def test_jobs_do_not_change_the_output(repo_cli, directory: Path) -> None:
    serial = repo_cli(directory, "audit", "--format", "json", "--jobs", "1", ".")
    parallel = repo_cli(directory, "audit", "--format", "json", "--jobs", "2", ".")
    assert serial.returncode == parallel.returncode == 1, serial.stderr + parallel.stderr
    assert serial.stdout == parallel.stdout
    assert json.loads(serial.stdout)["findings"]


DISCOVERY_TREE = {
    "app.py": BLOCKING_ROUTE,
    "pkg/__init__.py": "",
    "pkg/routes.py": BLOCKING_ROUTE,
    "x.py/inner.py": BLOCKING_ROUTE,  # a directory with a .py name is walked
    "zz_last.py": BLOCKING_ROUTE,
    ".venv/lib/bad.py": "def broken(:\n",
    "venv/bad.py": "def broken(:\n",
    "node_modules/pkg/bad.py": "def broken(:\n",
    "__pycache__/bad.py": "def broken(:\n",
    "build/bad.py": "def broken(:\n",
}
LATIN1_ROUTE = "# -*- coding: latin-1 -*-\n" + BLOCKING_ROUTE.replace('"/"', '"/caf\xe9"')


@pytest.fixture
def discovery_tree(tmp_path: Path) -> Path:
    write_tree(tmp_path, DISCOVERY_TREE)
    (tmp_path / "latin1.py").write_bytes(LATIN1_ROUTE.encode("latin-1"))
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + BLOCKING_ROUTE.encode())
    (tmp_path / "crlf.py").write_bytes(BLOCKING_ROUTE.replace("\n", "\r\n").encode())
    (tmp_path / "bad_utf8.py").write_bytes(b'x = "\xff\xfe"\n' + BLOCKING_ROUTE.encode())
    (tmp_path / "nul_byte.py").write_bytes(b"x = 1\x00\n" + BLOCKING_ROUTE.encode())
    symlink(tmp_path / "pkg" / "loop", "..")
    symlink(tmp_path / "dangling.py", "no_such_target.py")
    return tmp_path


def test_discovery_of_a_whole_tree(discovery_tree: Path) -> None:
    result = run_cli("check", ".", "no_such_file.py", cwd=discovery_tree)
    assert result.returncode == 1 and problems(result) == "", problems(result)
    found, unreadable = split_unreadable(findings_of(result.stdout))
    assert sorted((f.path, f.row) for f in unreadable) == [
        ("bad_utf8.py", 1), ("dangling.py", 1), ("no_such_file.py", 1), ("nul_byte.py", 1),
        ("pkg/loop", 1)]
    checked = {"app.py", "bom.py", "crlf.py", "pkg/routes.py", "x.py/inner.py", "zz_last.py"}
    sleep_lines = {name: BLOCKING_SLEEP_LINE for name in checked} | {"latin1.py": 10}
    assert {(f.path, f.row) for f in found if f.code == "ASR101"} == set(sleep_lines.items())
    assert any("GET /café" in f.text for f in found if f.path == "latin1.py")
    # The rest agrees with flake8, which does not follow the directory link and reads a
    # file that is not UTF-8 as latin-1 where Python (and the CLI) refuse it. Before Python
    # 3.12 flake8 itself crashes on a null byte (ast.parse raises ValueError there), so
    # that file is left out of flake8's run.
    if sys.version_info < (3, 12):
        (discovery_tree / "nul_byte.py").unlink()
    flake8 = [f for f in flake8_findings(discovery_tree) if f.path != "bad_utf8.py"]
    assert_same_as_flake8(found, flake8)


EXCLUDE_CASES = [  # (flags, files now checked, files now skipped)
    (("--extend-exclude=x.py,pkg",), set(), {"x.py/inner.py", "pkg/routes.py", "pkg/loop"}),
    # --exclude replaces the default excludes, as in flake8.
    (("--exclude=x.py,pkg,dangling.py",),
     {".venv/lib/bad.py", "venv/bad.py", "build/bad.py", "__pycache__/bad.py"},
     {"x.py/inner.py", "pkg/routes.py", "pkg/loop", "dangling.py"}),
    (("--extend-exclude=routes.py",), set(), {"pkg/routes.py"}),
]


def test_excludes(discovery_tree: Path) -> None:
    default = {f.path for f in findings_of(run_cli("check", cwd=discovery_tree).stdout)}
    assert not any(p.startswith(("venv/", ".venv/", "build/", "node_modules/", "__pyc"))
                   for p in default)
    for args, now_checked, now_skipped in EXCLUDE_CASES:
        result = run_cli("check", *args, cwd=discovery_tree)
        assert {f.path for f in findings_of(result.stdout)} == \
            (default | now_checked) - now_skipped, args


def test_explicitly_named_files_and_directories_are_checked(discovery_tree: Path) -> None:
    result = run_cli("check", ".venv/lib/bad.py", "node_modules/pkg/bad.py", "x.py",
                     cwd=discovery_tree)
    assert result.returncode == 1, result.stderr
    assert sorted({(f.path, f.code) for f in findings_of(result.stdout)}) == [
        (".venv/lib/bad.py", UNREADABLE), ("node_modules/pkg/bad.py", UNREADABLE),
        ("x.py/inner.py", "ASR101"), ("x.py/inner.py", "ASR201")]


def test_selection_applies_to_every_asr001(discovery_tree: Path) -> None:
    result = run_cli("check", "--extend-ignore=ASR001", ".", "no_such_file.py",
                     cwd=discovery_tree)
    assert [f for f in findings_of(result.stdout) if f.code == UNREADABLE] == []


def test_exclude_pattern_is_anchored_like_flake8(repo_cli) -> None:
    args = ("--extend-exclude=routers/files.py",)
    result = repo_cli(CHATAPP, "check", *args, ".")
    found, _ = split_unreadable(findings_of(result.stdout))
    assert_same_as_flake8(found, flake8_findings(CHATAPP, args))


# ----- rules and explain ----------------------------------------------------------------------

def test_rules_lists_every_rule(tmp_path: Path) -> None:
    result = run_cli("rules", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert sorted(set(re.findall(r"\bASR\d{3}\b", result.stdout))) == ALL_CODES
    assert sorted(p.stem for p in (REPO_ROOT / "docs" / "rules").glob("ASR*.md")) == ALL_CODES


@pytest.mark.parametrize("code", ["asr101", "Asr202"])
def test_explain_prints_the_rule_page(tmp_path: Path, code: str) -> None:
    result = run_cli("explain", code, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    page = REPO_ROOT / "docs" / "rules" / f"{code.upper()}.md"
    assert result.stdout == page.read_text(encoding="utf-8")


# ----- quiet, progress, paths -----------------------------------------------------------------

def test_stderr_has_the_summary_only_and_quiet_silences_it(shop: Path,
                                                           clean_project: Path) -> None:
    clean = run_cli("audit", cwd=clean_project)
    assert (clean.returncode, clean.stderr) == (0, "flake8-async-route: no findings in 3 files.\n")
    plain, quiet = run_cli("check", cwd=shop), run_cli("check", "--quiet", cwd=shop)
    short = run_cli("check", "-q", cwd=shop)
    assert plain.returncode == quiet.returncode == short.returncode == 1
    found = len(plain.stdout.splitlines())
    assert plain.stderr == f"flake8-async-route: found {found} findings " \
                           "(1 fixable with --fix, 2 more with --unsafe-fixes).\n"
    assert quiet.stderr == short.stderr == ""
    assert quiet.stdout == short.stdout == plain.stdout


def _on_a_terminal(cwd: Path, *args: str, env: Optional[dict] = None) -> str:
    """What a terminal shows when the CLI's stdout and stderr are both that terminal."""
    controller, terminal = os.openpty()
    try:
        subprocess.run([*CLI, *args], cwd=cwd, stdout=terminal, stderr=terminal,
                       timeout=CLI_TIMEOUT_SECONDS, env={**os.environ, **(env or {})})
        os.set_blocking(controller, False)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except (BlockingIOError, OSError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")
    finally:
        os.close(controller)
        os.close(terminal)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_reaches_the_end_and_leaves_the_findings_their_own_lines(shop: Path) -> None:
    screen = _on_a_terminal(shop, "check", "--no-cache", "--jobs", "1")
    assert "4/4 files" in screen
    shown = [line for line in re.split(r"\r\n|\n|\r\x1b\[K", screen) if "ASR" in line]
    assert len(shown) == len(SHOP_FINDINGS) and all(
        re.match(r"^[\w/]+\.py:\d+:\d+: (\x1b\[[\d;]*m)?ASR\d{3}", line) for line in shown
    ), shown
    assert "\x1b[1;31m" in screen  # the code is coloured on a terminal ...
    quiet = _on_a_terminal(shop, "check", "--no-cache", "--quiet", env={"NO_COLOR": "1"})
    assert "files" not in quiet and "\x1b[" not in quiet  # ... and never with NO_COLOR
    assert len([line for line in quiet.splitlines() if ": ASR" in line]) == len(SHOP_FINDINGS)


def test_report_paths_are_relative(repo_cli) -> None:
    for target in (".", str(CHATAPP)):
        result = repo_cli(CHATAPP, "audit", "--format", "json", target)
        assert result.returncode == 1, result.stderr
        assert str(REPO_ROOT) not in result.stdout
        data = json.loads(result.stdout)
        paths = [item["path"] for key in ("findings", "errors", "handlers")
                 for item in data[key]]
        assert paths and all(not p.startswith(("/", "./", "..")) and "\\" not in p
                             for p in paths), paths


# ----- the analysed code never runs -----------------------------------------------------------

PWNED = 'open("PWNED", "w").write("imported")\n'
TRAP_PROJECT = {
    "conftest.py": PWNED,
    "setup.py": PWNED,
    "app/__init__.py": PWNED,
    "app/__main__.py": PWNED,
    "app/helpers.py": PWNED + textwrap.dedent("""\

        def read_config():
            with open("config.txt") as handle:
                return handle.read()
        """),
    "app/main.py": PWNED + textwrap.dedent("""\
        from fastapi import FastAPI

        from app.helpers import read_config

        app = FastAPI()


        @app.get("/config")
        async def config():
            return read_config()
        """),
}


def test_analysed_code_is_never_executed(tmp_path: Path) -> None:
    write_tree(tmp_path, TRAP_PROJECT)
    runs = [("check", "--jobs", "2"), ("audit", "--jobs", "1"), ("check", "app/main.py")]
    for args in runs:
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "ASR110" in result.stdout  # the helper was followed, by reading it
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("code", ["ASR000", "asr001"])
def test_explain_covers_the_diagnostic_codes(tmp_path: Path, code: str) -> None:
    result = run_cli("explain", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"# {code.upper()}: ")
