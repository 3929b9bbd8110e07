"""The SARIF, GitHub, Markdown and JSON reports, end to end through the installed command.

Each report is produced by a subprocess running the CLI from the project's directory, as
CI would, and checked against what it promises: SARIF against the official 2.1.0 schema,
JSON against the schema shipped in the package, GitHub and Markdown against their
escaping rules with hostile text taken from the analysed code.
"""
from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
from helpers import REPO_ROOT

from flake8_async_route.reports.sarif import SourceColumns
from flake8_async_route.results import Finding
from flake8_async_route.rules import Rule

CHATAPP = REPO_ROOT / "tests" / "projects" / "chatapp"
SARIF_SCHEMA = REPO_ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"  # vendored, official
# (working directory, path argument) of each project the reports are checked on
PROJECTS = {"chatapp": (CHATAPP, "."), "eval_files": (REPO_ROOT / "tests", "eval_files")}
TIMEOUT_SECONDS = 300

BLOCKING_APP = '''\
import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/greet")
async def greet():
    x = "héllo"; time.sleep(1)
    return x
'''

HOSTILE_APP = '''\
import time
from pathlib import Path

from fastapi import FastAPI

app = FastAPI()


@app.get("/<script>alert(1)</script>")
async def script():
    time.sleep(1)


@app.get("/100%\\nnext|`tick`")
async def percent():
    return Path("<script>alert(2)</script>").read_text()
'''


def _script() -> str:
    found = shutil.which("flake8-async-route", path=str(Path(sys.executable).parent))
    assert found, "the flake8-async-route script is not installed next to the interpreter"
    return found


def run_cli(command: str, fmt: str, cwd: Path, *paths: str, via: str = "module") -> str:
    program = [sys.executable, "-m", "flake8_async_route"] if via == "module" else [_script()]
    done = subprocess.run(
        [*program, command, *(paths or ["."]), "--format", fmt, "--no-cache", "--quiet"],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT_SECONDS)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def run_project(name: str, command: str, fmt: str, via: str = "module") -> str:
    cwd, path = PROJECTS[name]
    return run_cli(command, fmt, cwd, path, via=via)


@functools.lru_cache(maxsize=None)
def _validator(schema_path: Path):
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the draft the schema's $schema names
    cls.check_schema(schema)
    return cls(schema)


def _audit_schema_path() -> Path:
    return Path(str(resources.files("flake8_async_route") / "reports" / "audit.schema.json"))


def _write_project(tmp_path: Path, files: dict) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


# ----- SARIF -----------------------------------------------------------------------------


@pytest.mark.parametrize("via", ["module", "script"])
@pytest.mark.parametrize("command", ["check", "audit"])
@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_sarif_is_valid_and_complete(project, command, via):
    cwd, _ = PROJECTS[project]
    sarif = json.loads(run_project(project, command, "sarif", via))
    _validator(SARIF_SCHEMA).validate(sarif)
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    rules = driver["rules"]
    assert {rule["id"] for rule in rules} == set(Rule.registry)
    assert run["results"], "the fixture project has findings"
    srcroot = Path(unquote(urlparse(run["originalUriBaseIds"]["%SRCROOT%"]["uri"]).path))
    assert srcroot in (cwd, *cwd.parents)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith(("/", "./", "file:"))
        assert (srcroot / unquote(artifact["uri"])).is_file()
        assert re.fullmatch(r"[0-9a-f]{32}", result["partialFingerprints"]["flake8AsyncRoute/v1"])
    assert run["invocations"][0]["executionSuccessful"] is True
    assert ("properties" in run) == (command == "audit")


def test_sarif_rule_descriptors_carry_the_docs():
    sarif = json.loads(run_project("eval_files", "check", "sarif"))
    rules = {rule["id"]: rule for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    sleep = rules["ASR101"]
    assert sleep["name"] == "BlockingSleepInCoroutine"
    assert sleep["defaultConfiguration"]["level"] == "error"
    assert rules["ASR201"]["defaultConfiguration"]["level"] == "warning"
    assert rules["ASR301"]["defaultConfiguration"]["level"] == "warning"
    assert rules["ASR111"]["defaultConfiguration"]["level"] == "note"
    assert "## Why is this bad?" in sleep["help"]["markdown"]
    assert sleep["fullDescription"]["text"].startswith("Reports `time.sleep()`")
    # Not published anywhere yet: no link to a page that does not exist.
    assert "helpUri" not in sleep and "informationUri" not in sarif["runs"][0]["tool"]["driver"]


def test_sarif_paths_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    """Run from a subdirectory, code scanning still needs `app/deps.py`, not `deps.py`."""
    (tmp_path / ".git").mkdir()
    app = tmp_path / "app"
    app.mkdir()
    (app / "deps.py").write_text(BLOCKING_APP, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "flake8_async_route", "check", "--no-cache", "--isolated",
         "--format", "sarif", "."], cwd=app, capture_output=True, text=True, timeout=120)
    run = json.loads(completed.stdout)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]}
    assert uris == {"app/deps.py"}


def test_sarif_reports_unparsable_files_as_notifications():
    run = json.loads(run_project("chatapp", "audit", "sarif"))["runs"][0]
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notifications] == ["ASR001"]
    location = notifications[0]["locations"][0]["physicalLocation"]
    srcroot = Path(unquote(urlparse(run["originalUriBaseIds"]["%SRCROOT%"]["uri"]).path))
    uri = location["artifactLocation"]["uri"]
    assert uri.endswith("chatapp/utils/legacy.py") and (srcroot / uri).is_file()
    assert run["tool"]["driver"]["notifications"][0]["id"] == "ASR001"
    assert all(result["ruleId"] != "ASR001" for result in run["results"])


def test_sarif_audit_properties_match_the_json_report():
    run = json.loads(run_project("chatapp", "audit", "sarif"))["runs"][0]
    report = json.loads(run_project("chatapp", "audit", "json"))
    assert run["properties"]["summary"] == report["summary"]
    assert len(run["properties"]["handlers"]) == len(report["handlers"])
    assert ({r["partialFingerprints"]["flake8AsyncRoute/v1"] for r in run["results"]}
            == {f["fingerprint"] for f in report["findings"]})


def test_sarif_columns_count_characters_not_bytes(tmp_path):
    project = _write_project(tmp_path, {"app.py": BLOCKING_APP})
    line = BLOCKING_APP.splitlines()[9]
    report = json.loads(run_cli("check", "json", project))
    sleep = next(f for f in report["findings"] if f["code"] == "ASR101")
    assert sleep["col"] == len(line[:line.index("time.sleep")].encode("utf-8"))
    results = json.loads(run_cli("check", "sarif", project))["runs"][0]["results"]
    region = next(r for r in results if r["ruleId"] == "ASR101")["locations"][0][
        "physicalLocation"]["region"]
    assert region == {"startLine": 10, "startColumn": line.index("time.sleep") + 1}


def test_columns_fall_back_to_the_byte_offset_for_unreadable_files(tmp_path):
    missing = Finding((tmp_path / "gone.py").as_posix(), 3, 7, "ASR101", "message")
    assert SourceColumns().column(missing) == 8


def test_sarif_fingerprints_survive_inserted_lines(tmp_path):
    project = _write_project(tmp_path, {"app.py": BLOCKING_APP})

    def fingerprints_and_lines():
        results = json.loads(run_cli("check", "sarif", project))["runs"][0]["results"]
        return ({r["partialFingerprints"]["flake8AsyncRoute/v1"] for r in results},
                sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"]
                       for r in results))

    before, lines_before = fingerprints_and_lines()
    (project / "app.py").write_text("\n" + BLOCKING_APP, encoding="utf-8")
    after, lines_after = fingerprints_and_lines()
    assert before and before == after
    assert lines_after == [line + 1 for line in lines_before]


# ----- JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "audit"])
@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_json_matches_the_packaged_schema(project, command):
    report = json.loads(run_project(project, command, "json"))
    _validator(_audit_schema_path()).validate(report)
    assert report["kind"] == command
    assert (REPO_ROOT / report["schema"]).resolve() == _audit_schema_path().resolve()


def test_json_schema_documents_every_field():
    schema = json.loads(_audit_schema_path().read_text(encoding="utf-8"))
    undocumented = []

    def visit(node, where):
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub and "$ref" not in sub:
                undocumented.append(f"{where}.{name}")
            visit(sub, f"{where}.{name}")
        if isinstance(node.get("items"), dict):
            visit(node["items"], f"{where}[]")

    visit(schema, "report")
    for name, definition in schema["$defs"].items():
        visit(definition, f"$defs.{name}")
    assert not undocumented


def test_json_schema_rejects_a_check_report_with_handlers():
    report = json.loads(run_project("chatapp", "check", "json"))
    report["handlers"] = []
    with pytest.raises(jsonschema.ValidationError):
        _validator(_audit_schema_path()).validate(report)


# ----- GitHub ----------------------------------------------------------------------------

_COMMAND = re.compile(r"^::(?P<name>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def _unescape(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def _parse_github(output: str) -> list:
    commands = []
    for line in output.splitlines():
        match = _COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(prop.split("=", 1) for prop in match["props"].split(","))
        commands.append((match["name"], {k: _unescape(v) for k, v in props.items()},
                         _unescape(match["message"])))
    return commands


@pytest.mark.parametrize("via", ["module", "script"])
def test_github_annotations_match_the_findings(via):
    commands = _parse_github(run_project("chatapp", "audit", "github", via))
    report = json.loads(run_project("chatapp", "audit", "json"))
    found = sorted(report["errors"] + report["findings"],
                   key=lambda f: (f["path"], f["line"], f["col"], f["code"], f["message"]))
    *annotations, notice = commands
    assert [(props["file"], int(props["line"]), props["title"], message)
            for _, props, message in annotations] == [
        (f["path"], f["line"], f["code"], f["message"]) for f in found]
    assert all(name == ("warning" if props["title"][3] in "23" else "error")
               for name, props, _ in annotations)
    assert notice[0] == "notice" and "findings: 31" in notice[2]


def test_github_escapes_data_and_properties(tmp_path):
    project = _write_project(tmp_path, {"app,v1.py": HOSTILE_APP})
    output = run_cli("check", "github", project)
    assert "%25%0Anext" in output and "file=app%2Cv1.py," in output
    commands = _parse_github(output)
    assert len(commands) == len(output.splitlines())
    assert any("GET /100%\nnext|`tick`" in message for _, _, message in commands)
    assert {props["file"] for _, props, _ in commands} == {"app,v1.py"}


STARTUP_APP = """\
import asyncio
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    time.sleep(1)
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/")
async def index():
    time.sleep(1)
    await asyncio.sleep(0)
"""


def test_startup_work_is_a_notice_and_a_sarif_note(tmp_path):
    project = _write_project(tmp_path, {"app.py": STARTUP_APP})
    commands = _parse_github(run_cli("check", "github", project))
    assert [(name, props["title"]) for name, props, _ in commands] == [
        ("notice", "ASR111"), ("error", "ASR101")]
    sarif = json.loads(run_cli("check", "sarif", project))
    assert [(r["ruleId"], r["level"]) for r in sarif["runs"][0]["results"]] == [
        ("ASR111", "note"), ("ASR101", "error")]


# ----- Markdown --------------------------------------------------------------------------


def _cells(row: str) -> list:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_markdown_has_the_tables():
    text = run_project("chatapp", "audit", "markdown")
    assert text.startswith("## flake8-async-route audit\n")
    assert "| Files checked | Findings | Async routes blocking the event loop |" in text
    assert "| 23 | 31 | 25 of 41 (61%) |" in text
    assert "### Findings per rule" in text and "| Rule | Name | Findings |" in text
    assert "| Verdict | Route | async/def | Handler | Location |" in text
    assert ("| blocks the loop | <code>POST /auths/signup</code> | async | <code>signup</code>"
            " | <code>chatapp/routers/auths.py:26</code> |") in text
    assert "<summary><code>chatapp/routers/auths.py</code>: 6 findings</summary>" in text
    assert text.count("<details") == text.count("</details>")


def test_markdown_check_has_no_inventory():
    text = run_project("eval_files", "check", "markdown")
    assert text.startswith("## flake8-async-route check\n")
    assert "### Inventory" not in text and "### Findings" in text


def test_markdown_escapes_text_from_the_analysed_code(tmp_path):
    project = _write_project(tmp_path, {"app.py": HOSTILE_APP})
    text = run_cli("audit", "markdown", project)
    assert "<script>" not in text
    assert "<code>GET /&lt;script&gt;alert(1)&lt;/script&gt;</code>" in text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text  # the string literal
    assert r"GET /100%\\nnext\|\`tick\`" in text
    rows = [_cells(line) for line in text.splitlines() if "<code>" in line and "|" in line]
    assert {len(cells) for cells in rows} == {3, 5}  # findings tables, inventory
    messages = [cells[2] for cells in rows if len(cells) == 3]
    assert messages and not any(re.search(r"(?<!\\)`", message) for message in messages)
