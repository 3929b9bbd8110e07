"""The command line's findings do not depend on how it is run (processes, file order, cache
state), and nothing the analysed code says can run: not as Python, not in the HTML report."""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from helpers import run_flake8
from test_cli import CHATAPP, EVAL_DIR, TRAP_PROJECT, run_cli, write_tree

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "&amp;")


def json_findings(result) -> list:
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout)
    return [(f["path"], f["line"], f["col"], f["code"], f["message"])
            for f in report["findings"] + report["errors"]]


@pytest.fixture(scope="module", params=[CHATAPP, EVAL_DIR], ids=lambda path: path.name)
def copied_project(request, tmp_path_factory) -> Path:
    """A copy, so that the cache runs write nowhere in the repository."""
    copy = tmp_path_factory.mktemp("project") / request.param.name
    shutil.copytree(request.param, copy, ignore=shutil.ignore_patterns(".asr-cache"))
    (copy / "pyproject.toml").write_text("", encoding="utf-8")  # not the repository's
    return copy


def test_findings_whatever_jobs_order_and_cache(copied_project: Path, tmp_path: Path) -> None:
    files = sorted(p.relative_to(copied_project).as_posix()
                   for p in copied_project.rglob("*.py"))
    assert len(files) > 3

    def audit(*args: str) -> list:
        return json_findings(run_cli("audit", "--format", "json", "--quiet", *args,
                                     cwd=copied_project))

    reference = audit("--no-cache", "--jobs", "1", *files)
    assert reference
    cache = str(tmp_path / "cache")
    runs = {
        "jobs 2": audit("--no-cache", "--jobs", "2", *files),
        "reversed order": audit("--no-cache", "--jobs", "1", *reversed(files)),
        "a directory": audit("--no-cache", "--jobs", "2", "."),
        "cold cache": audit("--cache-dir", cache, "--jobs", "2", *reversed(files)),
        "warm cache": audit("--cache-dir", cache, "--jobs", "1", *files),
        "warm cache, jobs 2": audit("--cache-dir", cache, "--jobs", "2", "."),
    }
    for name, found in runs.items():
        assert found == reference, name


def test_analysed_code_is_never_executed_by_the_plugin(tmp_path: Path) -> None:
    write_tree(tmp_path, TRAP_PROJECT)
    for args in ((), ("--jobs=2",)):
        result = run_flake8(["."], *args, cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "ASR110" in result.stdout  # the helper was followed, by reading it
    assert not (tmp_path / "PWNED").exists()


def test_html_report_escapes_markup_from_the_code(tmp_path: Path) -> None:
    route, literal, hint = PAYLOADS
    (tmp_path / "app.py").write_text(textwrap.dedent(f"""\
        import legacy_sdk
        from fastapi import FastAPI

        app = FastAPI()


        @app.get({route!r})
        async def handler():
            legacy_sdk.fetch({literal!r}, {hint!r})
            return {route + literal!r}
        """), encoding="utf-8")
    # The configured hint puts markup in the finding's message too.
    result = run_cli("audit", "--format", "html", "--no-cache", "--quiet",
                     f"--async-route-blocking-calls=legacy_sdk.fetch->{route} {literal} {hint}",
                     cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    page = result.stdout
    data = json.loads(run_cli("audit", "--format", "json", "--no-cache", "--quiet",
                              f"--async-route-blocking-calls=legacy_sdk.fetch->{route} "
                              f"{literal} {hint}", cwd=tmp_path).stdout)
    assert data["handlers"][0]["route"] == route
    assert any(route in f["message"] and literal in f["message"] for f in data["findings"])
    assert route not in page and literal not in page
    assert page.count("<script") == 2  # the report's own data and code
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&amp;amp;" in page  # `&amp;` shown as written, not turned into `&`
