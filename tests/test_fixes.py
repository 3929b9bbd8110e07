"""Automatic fixes: `flake8-async-route fix`, `check --fix`, `--diff`, and the fixes the
JSON and SARIF reports carry.

The fixture pairs in tests/fixes/ are the reference: `<name>.py` fixed with the arguments
of its `# fix-args:` header must become `<name>.expected.py`, fixing it again must change
nothing, the result must compile, and checking it again must not report any finding that
had a fix the run could apply.
"""
from __future__ import annotations

import ast
import json
import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
from helpers import REPO_ROOT

from flake8_async_route import fixes
from flake8_async_route.columns import byte_column, char_column
from flake8_async_route.fixes import Source, apply
from flake8_async_route.results import Edit, Finding, Fix

FIXES_DIR = REPO_ROOT / "tests" / "fixes"
SARIF_SCHEMA = REPO_ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"  # vendored, official
AUDIT_SCHEMA = REPO_ROOT / "flake8_async_route" / "reports" / "audit.schema.json"
CLI = (sys.executable, "-m", "flake8_async_route")
TIMEOUT_SECONDS = 120
ARGS_HEADER = "# fix-args:"
FIXTURES = sorted(p.name[:-3] for p in FIXES_DIR.glob("*.py")
                  if not p.name.endswith(".expected.py"))


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=TIMEOUT_SECONDS)


def fix_args(path: Path) -> list:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    return shlex.split(first[len(ARGS_HEADER):]) if first.startswith(ARGS_HEADER) else []


def write(root: Path, files: dict) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def findings(cwd: Path, *args: str) -> list:
    result = run_cli("check", "--no-cache", "--format", "json", *args, ".", cwd=cwd)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)["findings"]


# ----- the fixture pairs -----------------------------------------------------------------------


def test_every_fixture_has_an_expected_output():
    assert FIXTURES
    for name in FIXTURES:
        assert (FIXES_DIR / f"{name}.expected.py").is_file(), name
    for code in ("asr101", "asr201", "asr202", "asr301"):
        assert any(name.startswith(code) for name in FIXTURES), code


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture(tmp_path: Path, name: str):
    source = FIXES_DIR / f"{name}.py"
    expected = (FIXES_DIR / f"{name}.expected.py").read_text(encoding="utf-8")
    target = tmp_path / f"{name}.py"
    shutil.copyfile(source, target)
    args = fix_args(source)
    applicable = [f for f in findings(tmp_path, *args)
                  if f["fix"] and (f["fix"]["safe"] or "--unsafe-fixes" in args)]

    first = run_cli("fix", "--no-cache", *args, target.name, cwd=tmp_path)
    assert first.returncode in (0, 1) and "Traceback" not in first.stderr, first.stderr
    assert target.read_text(encoding="utf-8") == expected
    compile(expected, target.name, "exec", dont_inherit=True)  # parses and compiles
    remaining = findings(tmp_path, *args)
    assert first.returncode == (1 if remaining else 0)
    # The fixed findings are gone; what remains has no fix this run could apply.
    assert not [f for f in remaining
                if f["fix"] and (f["fix"]["safe"] or "--unsafe-fixes" in args)]
    if expected != source.read_text(encoding="utf-8"):
        assert applicable, "a changed fixture had fixes to apply"

    second = run_cli("fix", "--no-cache", *args, target.name, cwd=tmp_path)
    assert target.read_text(encoding="utf-8") == expected  # idempotent
    assert second.returncode == first.returncode
    assert "0 fixes applied in 0 files" in second.stderr


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_diff_matches_the_fix(tmp_path: Path, name: str):
    source = FIXES_DIR / f"{name}.py"
    original = source.read_text(encoding="utf-8")
    expected = (FIXES_DIR / f"{name}.expected.py").read_text(encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    target = tmp_path / "pkg" / f"{name}.py"
    shutil.copyfile(source, target)
    result = run_cli("check", "--diff", "--no-cache", *fix_args(source), "pkg", cwd=tmp_path)
    assert target.read_text(encoding="utf-8") == original  # nothing written
    if expected == original:
        assert result.stdout == ""
        return
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"--- pkg/{name}.py", f"+++ pkg/{name}.py"]
    patched = _apply_unified_diff(original, result.stdout)
    assert patched == expected


def _apply_unified_diff(original: str, diff: str) -> str:
    """A minimal `patch` for one file's unified diff."""
    old = original.splitlines(keepends=True)
    out, position = [], 0
    lines = diff.splitlines(keepends=True)[2:]
    index = 0
    while index < len(lines):
        header = lines[index]
        assert header.startswith("@@"), header
        start = int(header.split()[1].split(",")[0][1:]) - 1
        out.extend(old[position:start])
        position = start
        index += 1
        while index < len(lines) and not lines[index].startswith("@@"):
            line = lines[index]
            if line.startswith(" "):
                out.append(line[1:])
                position += 1
            elif line.startswith("-"):
                position += 1
            elif line.startswith("+"):
                out.append(line[1:])
            elif line.startswith("\\") and lines[index - 1].startswith(("+", " ")):
                out[-1] = out[-1].rstrip("\n")  # `\ No newline at end of file`
            index += 1
    out.extend(old[position:])
    return "".join(out)


# ----- positions --------------------------------------------------------------------------------


@pytest.mark.parametrize("line, char_col", [
    ("time.sleep(1)", 0),
    ('x = "héllo"; time.sleep(1)', 13),
    ('a = "😀日本"; time.sleep(1)', 11),
    ("ça", 2),
])
def test_byte_and_character_columns_convert_both_ways(line: str, char_col: int):
    byte_col = len(line[:char_col].encode("utf-8"))
    assert char_column(line, byte_col) == char_col
    assert byte_column(line, char_col) == byte_col


def test_a_byte_column_inside_a_character_is_an_error():
    with pytest.raises(ValueError):
        char_column("é", 1)


def test_source_offsets_follow_ast_lines_and_byte_columns():
    text = 'x = "é"\r\ny = "😀"; z = 1\rw = 2\n'
    source = Source(text)
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            offset = source.offset(node.lineno, node.col_offset)
            assert text[offset] == node.id
            assert source.position(offset) == (node.lineno, node.col_offset)
    assert source.offset(5, 0) == len(text)  # the line after the last one


def test_non_ascii_text_before_the_call_keeps_the_edits_in_place(tmp_path: Path):
    write(tmp_path, {"app.py": '''\
        import time
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/")
        async def index():
            note = "naïve 😀 日本"; time.sleep(1); other = "ü"; time.sleep(2)
            return note, other
        '''})
    report = findings(tmp_path)
    fixed = [f for f in report if f["code"] == "ASR101"]
    line = (tmp_path / "app.py").read_text(encoding="utf-8").splitlines()[8]
    assert [f["col"] for f in fixed] == [len(line[:line.index("time")].encode("utf-8")),
                                         len(line[:line.rindex("time")].encode("utf-8"))]
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert (tmp_path / "app.py").read_text(encoding="utf-8").splitlines()[8] == \
        '    note = "naïve 😀 日本"; await asyncio.sleep(1); other = "ü"; ' \
        'await asyncio.sleep(2)'


# ----- applying: overlaps, passes, invalid results -----------------------------------------


def _finding(fix: Fix, line: int = 1) -> Finding:
    return Finding("app.py", line, 0, "ASR101", "message", "", "f" * 32, fix)


def test_overlapping_edits_are_refused():
    with pytest.raises(apply.OverlappingEdits):
        apply.apply_edits("abcdef\n", [(1, 4, "X"), (2, 5, "Y")])
    assert apply.apply_edits("abcdef\n", [(1, 2, "X"), (4, 5, "Y")]) == "aXcdYf\n"


def test_overlapping_fixes_are_left_for_the_next_pass():
    text = "time.sleep(time.sleep(1))\n"
    source = Source(text)
    outer = Fix("t", True, (Edit(1, 0, 1, 10, "await asyncio.sleep"),), span=(1, 0, 1, 25))
    inner = Fix("t", True, (Edit(1, 11, 1, 21, "await asyncio.sleep"),), span=(1, 11, 1, 24))
    same_import = Edit(1, 0, 1, 0, "import asyncio\n")
    first = Fix("t", True, (same_import, Edit(1, 0, 1, 4, "x")))
    planned = [apply.plan(_finding(f), source, "\n") for f in (outer, inner)]
    assert [p.finding.fix for p in apply.select(planned)] == [outer]
    shared = Fix("t", True, (same_import,))
    planned = [apply.plan(_finding(f), source, "\n") for f in (first, shared)]
    assert len(apply.select(planned)) == 2  # the same import added once, shared


def test_a_fix_removing_an_import_waits_for_one_that_uses_it():
    source = Source("import asyncio\n")
    uses = Fix("t", True, (Edit(1, 14, 1, 14, " # asyncio.sleep"),))
    removes = Fix("t", False, (Edit(1, 0, 2, 0, ""),), releases=("asyncio",))
    adds = Fix("t", True, (Edit(1, 0, 1, 0, "asyncio.run()\n"),))
    planned = [apply.plan(_finding(f), source, "\n") for f in (removes, adds, uses)]
    chosen = [p.finding.fix for p in apply.select(planned)]
    assert removes not in chosen and adds in chosen


def test_a_fix_that_would_not_compile_is_dropped_and_reported(tmp_path: Path):
    path = write(tmp_path, {"app.py": "async def f():\n    await g()\n"}) / "app.py"
    state = apply.FileText(path, "app.py")
    breaking = Fix("t", False, (Edit(1, 0, 1, 6, ""),))  # `def` with an `await` inside
    fine = Fix("t", True, (Edit(2, 12, 2, 12, "1"),))
    batch = [apply.plan(_finding(f), Source(state.text), "\n") for f in (breaking, fine)]
    new, applied, rejected = apply.apply_batch(state, batch)
    assert [p.finding.fix for p in rejected] == [breaking]
    assert [p.finding.fix for p in applied] == [fine]
    assert new == "async def f():\n    await g(1)\n"
    assert "fix skipped" in apply.rejection(rejected[0].finding)


def test_nested_calls_take_two_passes(tmp_path: Path):
    from flake8_async_route.audit import runner
    from flake8_async_route.audit.settings import Settings

    write(tmp_path, {"app.py": '''\
        import asyncio
        import time
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/")
        async def index():
            time.sleep(time.sleep(0) or 1)
        '''})
    settings = Settings(no_cache=True, jobs=1)
    files = [tmp_path / "app.py"]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        files = [Path("app.py")]
        reports = runner.analyse_files(files, settings)
        outcome = apply.fix_files(files, reports, settings,
                                  lambda r: runner.compose(r, settings))
    finally:
        os.chdir(cwd)
    assert outcome.passes == 3  # the outer call, the inner one, then nothing left
    assert outcome.applied == 2 and not outcome.result.findings
    assert "await asyncio.sleep(await asyncio.sleep(0) or 1)" in outcome.changed[0].text


# ----- command line -----------------------------------------------------------------------------

SLEEPY = {"app.py": '''\
    import time

    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/")
    async def index():
        time.sleep(1)
        return {}
    '''}
UNFIXABLE = {"other.py": '''\
    import requests
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/")
    async def index():
        return requests.get("https://example.com", timeout=3).text
    '''}


def test_fix_exits_0_when_everything_was_fixed(tmp_path: Path):
    write(tmp_path, SLEEPY)
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.strip() == \
        "flake8-async-route: 1 fix applied in 1 file, 0 findings remaining"
    assert run_cli("check", "--no-cache", ".", cwd=tmp_path).returncode == 0


def test_fix_exits_1_and_reports_what_remains(tmp_path: Path):
    write(tmp_path, {**SLEEPY, **UNFIXABLE})
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split()[1] for line in result.stdout.splitlines()] == ["ASR201", "ASR102"]
    assert "1 fix applied in 1 file, 2 findings remaining (1 more fixable with " \
        "--unsafe-fixes)" in result.stderr
    assert run_cli("fix", "--no-cache", "--exit-zero", ".", cwd=tmp_path).returncode == 0


def test_check_fix_is_fix(tmp_path: Path):
    write(tmp_path, SLEEPY)
    result = run_cli("check", "--fix", "--no-cache", "--quiet", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert "await asyncio.sleep(1)" in (tmp_path / "app.py").read_text(encoding="utf-8")


def test_unsafe_fixes_need_the_flag(tmp_path: Path):
    write(tmp_path, {"app.py": '''\
        import gzip

        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/")
        async def index():
            return gzip.compress(b"report")
        '''})
    before = (tmp_path / "app.py").read_text(encoding="utf-8")
    safe_only = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert safe_only.returncode == 1
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == before
    assert "(1 more fixable with --unsafe-fixes)" in safe_only.stderr
    unsafe = run_cli("fix", "--no-cache", "--unsafe-fixes", ".", cwd=tmp_path)
    assert unsafe.returncode == 0, unsafe.stdout + unsafe.stderr
    assert "\ndef index():" in (tmp_path / "app.py").read_text(encoding="utf-8")


def test_diff_writes_nothing_and_exits_by_what_it_shows(tmp_path: Path):
    write(tmp_path, {f"pkg/{name}": text for name, text in SLEEPY.items()})
    before = (tmp_path / "pkg" / "app.py").read_text(encoding="utf-8")
    result = run_cli("fix", "--diff", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert (tmp_path / "pkg" / "app.py").read_text(encoding="utf-8") == before
    assert result.stdout.startswith("--- pkg/app.py\n+++ pkg/app.py\n@@ ")
    assert "-    time.sleep(1)\n+    await asyncio.sleep(1)\n" in result.stdout
    assert "1 fix would be applied in 1 file, 0 findings would remain" in result.stderr
    run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    clean = run_cli("fix", "--diff", "--no-cache", ".", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_diff_of_a_file_without_a_final_newline(tmp_path: Path):
    text = textwrap.dedent(SLEEPY["app.py"]).rstrip("\n")
    (tmp_path / "app.py").write_text(text, encoding="utf-8")
    result = run_cli("fix", "--diff", "--no-cache", "--quiet", ".", cwd=tmp_path)
    assert result.stdout.endswith("\n\\ No newline at end of file\n")
    assert _apply_unified_diff(text, result.stdout).endswith("return {}")


def test_line_endings_encoding_and_permissions_are_kept(tmp_path: Path):
    text = "\ufeff" + textwrap.dedent(SLEEPY["app.py"]).replace("\n", "\r\n")
    path = tmp_path / "app.py"
    path.write_bytes(text.encode("utf-8"))
    os.chmod(path, 0o640)
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    fixed = path.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbfimport asyncio\r\n\r\nfrom fastapi")
    assert b"    await asyncio.sleep(1)\r\n" in fixed and b"\n" not in fixed.replace(b"\r\n", b"")
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["app.py"]  # no temporary file left


def test_fix_timeout_and_unsafe_fixes_from_pyproject(tmp_path: Path):
    write(tmp_path, {"app.py": '''\
        import requests
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/")
        def index():
            return requests.get("https://example.com").text
        ''', "pyproject.toml": '''\
        [tool.flake8-async-route]
        unsafe-fixes = true
        fix-timeout = 7.5
        '''})
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'requests.get("https://example.com", timeout=7.5)' in \
        (tmp_path / "app.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", ["fix-timeout = 0", 'fix-timeout = "soon"',
                                   "fix-timeout = true", "unsafe-fixes = 1", "fix = true",
                                   "diff = true"])
def test_bad_fix_settings_exit_2(tmp_path: Path, table: str):
    write(tmp_path, {**SLEEPY, "pyproject.toml": f"[tool.flake8-async-route]\n{table}\n"})
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 2 and table.split(" ")[0] in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_bad_fix_timeout_flag_exits_2(tmp_path: Path):
    write(tmp_path, SLEEPY)
    result = run_cli("check", "--fix-timeout", "-3", ".", cwd=tmp_path)
    assert result.returncode == 2 and "fix-timeout" in result.stderr


def test_a_coroutine_called_in_another_checked_file_stays_async(tmp_path: Path):
    write(tmp_path, {
        "routes.py": '''\
            from fastapi import FastAPI

            from helpers import build

            app = FastAPI()


            @app.get("/a")
            async def first():
                return build()


            @app.get("/b")
            async def second():
                return build()
            ''',
        "jobs.py": '''\
            import routes


            async def nightly():
                await routes.first()
            ''',
        "helpers.py": "import zlib\n\n\ndef build():\n    return zlib.compress(b'x')\n",
    })
    result = run_cli("fix", "--no-cache", "--unsafe-fixes", ".", cwd=tmp_path)
    text = (tmp_path / "routes.py").read_text(encoding="utf-8")
    assert "async def first():" in text and "\ndef second():" in text
    assert result.returncode == 1  # ASR201 on `first` remains, without a fix
    remaining = findings(tmp_path)
    assert [(f["code"], f["context"], f["fix"]) for f in remaining] == \
        [("ASR201", "first", None)]


# ----- reports ----------------------------------------------------------------------------------


def test_json_report_carries_the_fix_and_matches_the_schema(tmp_path: Path):
    write(tmp_path, SLEEPY)
    report = json.loads(run_cli("check", "--no-cache", "--format", "json", ".",
                                cwd=tmp_path).stdout)
    schema = json.loads(AUDIT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(report)
    (sleep,) = [f for f in report["findings"] if f["code"] == "ASR101"]
    assert sleep["fix"] == {
        "title": "Replace with `await asyncio.sleep(...)`", "safe": True,
        "edits": [{"line": 1, "col": 0, "end_line": 2, "end_col": 0,
                   "text": "import asyncio\n"},
                  {"line": 10, "col": 4, "end_line": 10, "end_col": 14,
                   "text": "await asyncio.sleep"}]}
    (could_be_def,) = [f for f in report["findings"] if f["code"] == "ASR201"]
    assert could_be_def["fix"]["safe"] is False


def test_json_edits_reproduce_the_fix(tmp_path: Path):
    """Applying one finding's edits as the schema describes them gives what `fix` writes."""
    write(tmp_path, SLEEPY)
    text = (tmp_path / "app.py").read_text(encoding="utf-8")
    report = json.loads(run_cli("check", "--no-cache", "--format", "json", "--select",
                                "ASR101", ".", cwd=tmp_path).stdout)
    source = Source(text)
    edits = [(source.offset(e["line"], e["col"]), source.offset(e["end_line"], e["end_col"]),
              e["text"]) for e in report["findings"][0]["fix"]["edits"]]
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    run_cli("fix", "--no-cache", "--select", "ASR101", ".", cwd=tmp_path)
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == text


def test_asr301_fix_only_with_the_timeout(tmp_path: Path):
    write(tmp_path, {"app.py": '''\
        import requests
        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/")
        def index():
            return requests.get("https://example.com").text
        '''})
    assert findings(tmp_path)[0]["fix"] is None
    (fixed,) = findings(tmp_path, "--fix-timeout", "30")
    assert fixed["fix"]["edits"][0]["text"] == ", timeout=30"
    # The cache holds the fix without the value; each run fills in its own.
    for timeout in ("5", "6"):
        result = run_cli("check", "--format", "json", "--fix-timeout", timeout, ".",
                         cwd=tmp_path)
        fix = json.loads(result.stdout)["findings"][0]["fix"]
        assert fix["edits"][0]["text"] == f", timeout={timeout}"


def test_sarif_carries_the_fix_and_is_valid(tmp_path: Path):
    write(tmp_path, {"app.py": '''\
        import time

        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/")
        async def index():
            x = "héllo"; time.sleep(1)
            return x
        '''})
    result = run_cli("check", "--no-cache", "--format", "sarif", "--fix-timeout", "10", ".",
                     cwd=tmp_path)
    sarif = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    (sleep,) = [r for r in results if r["ruleId"] == "ASR101"]
    (fix,) = sleep["fixes"]
    assert fix["properties"] == {"safe": True}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    line = 'x = "héllo"; time.sleep(1)'
    column = 4 + line.index("time") + 1  # characters, 1-based
    assert change["replacements"] == [
        {"deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 2, "endColumn": 1},
         "insertedContent": {"text": "import asyncio\n"}},
        {"deletedRegion": {"startLine": 10, "startColumn": column, "endLine": 10,
                           "endColumn": column + len("time.sleep")},
         "insertedContent": {"text": "await asyncio.sleep"}}]
    assert all("fixes" not in r for r in results if r["ruleId"] == "ASR110")


# ----- the plugin stays free of ast-grep --------------------------------------------------------


def test_the_plugin_and_the_analysis_do_not_import_ast_grep():
    code = ("import sys, flake8_async_route.plugin, flake8_async_route.audit.runner, "
            "flake8_async_route.fixes, flake8_async_route.cli; "
            "print('ast_grep_py' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=TIMEOUT_SECONDS)
    assert result.stdout.strip() == "False", result.stderr


def test_finalize_drops_fixes_of_called_functions_and_fills_the_timeout():
    key = "/p/app.py::index"
    make_def = Fix("t", False, (Edit(1, 0, 1, 6, ""),), unawaited=key)
    assert fixes.finalize(make_def, set(), None) is make_def
    assert fixes.finalize(make_def, {key}, None) is None
    assert fixes.finalize(make_def, {"*.index"}, None) is None
    assert fixes.finalize(make_def, {fixes.EVERYTHING_CALLED}, None) is None
    timeout = Fix("t", False, (Edit(1, 5, 1, 5, f", timeout={fixes.TIMEOUT_PLACEHOLDER}"),))
    assert fixes.finalize(timeout, set(), None) is None
    assert fixes.finalize(timeout, set(), "3").edits[0].text == ", timeout=3"


def test_noqa_findings_are_not_fixed_and_the_cache_keeps_fixes(tmp_path: Path):
    write(tmp_path, {"app.py": '''\
        import time

        from fastapi import FastAPI

        app = FastAPI()


        @app.get("/")
        async def index():
            time.sleep(1)  # noqa: ASR101
            time.sleep(2)
            return {}
        '''})
    assert run_cli("check", ".", cwd=tmp_path).returncode == 1  # fills the cache
    result = run_cli("fix", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    text = (tmp_path / "app.py").read_text(encoding="utf-8")
    assert "    time.sleep(1)  # noqa: ASR101\n    await asyncio.sleep(2)\n" in text
    assert text.startswith("import asyncio\nimport time\n")
    assert run_cli("check", ".", cwd=tmp_path).returncode == 0


def test_an_asyncio_imported_for_type_checking_only_is_not_used(tmp_path: Path):
    write(tmp_path, {"app.py": '''\
        import time
        from typing import TYPE_CHECKING

        from fastapi import FastAPI

        if TYPE_CHECKING:
            import asyncio

        app = FastAPI()


        @app.get("/")
        async def index():
            time.sleep(1)
        '''})
    before = (tmp_path / "app.py").read_text(encoding="utf-8")
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 1 and "0 fixes applied" in result.stderr
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == before


def test_diff_goes_to_the_output_file(tmp_path: Path):
    write(tmp_path, SLEEPY)
    result = run_cli("fix", "--diff", "--no-cache", "-o", "fix.diff", "app.py", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert (tmp_path / "fix.diff").read_text(encoding="utf-8").startswith("--- app.py\n")


def test_unparsable_files_are_left_alone(tmp_path: Path):
    write(tmp_path, {**SLEEPY, "broken.py": "def broken(:\n    pass\n"})
    result = run_cli("fix", "--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 1  # ASR001 remains
    assert "ASR001" in result.stdout and "1 fix applied in 1 file" in result.stderr
    assert (tmp_path / "broken.py").read_text(encoding="utf-8") == "def broken(:\n    pass\n"


def test_the_offloads_the_fix_unwraps_are_offloads_the_analysis_knows():
    """ASR202's fix unwraps these; the analysis must report them as offloads first."""
    from flake8_async_route import catalog
    from flake8_async_route.model import canonical

    for name in (*catalog.ARGUMENT_OFFLOADS, *catalog.WRAPPER_OFFLOADS):
        assert catalog.lookup_table(catalog.OFFLOADS, canonical(name)), name
