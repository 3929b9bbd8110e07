"""Each project under tests/projects/ must get exactly the findings its `# error:` comments name.

A project is a directory holding one or more top-level packages (or plain modules) of a
small application. It is linted the way a user lints a repository: real flake8, run from
the project directory on `.`, so imports are followed across its modules. Files that do not
parse are kept on purpose (a router imports one) and carry no expectations.

The findings must not depend on how flake8 splits the work: `--jobs 2`, one process per
file, and a different file order in one process must all give the same findings.
"""
from __future__ import annotations

import ast
import functools
import os
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from flake8_async_route.project.session import BUDGET_VARIABLE
from helpers import (
    Finding,
    flake8_crashed,
    mismatch,
    parse_output,
    read_expectations,
    run_flake8,
)

PROJECTS_DIR = Path(__file__).parent / "projects"
PROJECTS = sorted(path for path in PROJECTS_DIR.iterdir() if path.is_dir())
# Extra flake8 arguments a project is always linted with.
PROJECT_ARGS = {"srclayout": ("--async-route-source-roots=shared_src",)}
SOURCE_ROOTS_MARKER = "needs --async-route-source-roots"

# "`a()` → `b()` → `c()` (pkg/mod.py:12) blocks the event loop in ..."
_CHAIN_MESSAGE = re.compile(
    r"^(?P<chain>`.+`) \((?P<path>[^()]+\.py):(?P<line>\d+)\)(?: \(and \d+ more [^()]+\))? "
    r"blocks the event loop in "
)


def _python_files(project: Path) -> list[str]:
    """Paths of the project's .py files relative to it, in sorted order."""
    return sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob("*.py")
        if "__pycache__" not in path.parts
    )


def _parses(path: Path) -> bool:
    try:
        ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError:
        return False
    return True


def _checked_files(project: Path) -> list[str]:
    return [name for name in _python_files(project) if _parses(project / name)]


def _normalized(finding: Finding) -> Finding:
    return finding._replace(path=Path(os.path.normpath(finding.path)).as_posix())


@functools.lru_cache(maxsize=None)
def _lint(project: Path, *args: str, paths: tuple[str, ...] = (".",),
          budget: str | None = None) -> tuple[Finding, ...]:
    """Sorted findings of one flake8 run from the project directory; `budget` sets the
    lines of parsed models the plugin may keep (see Session.keep_within_budget)."""
    env = None if budget is None else {BUDGET_VARIABLE: budget}
    result = run_flake8(list(paths), *args, cwd=project, env=env)
    if flake8_crashed(result):
        pytest.fail(
            f"flake8 {' '.join(args)} on {project.name} crashed (exit {result.returncode}):\n"
            f"{result.stderr}{result.stdout}",
            pytrace=False,
        )
    return tuple(sorted(_normalized(finding) for finding in parse_output(result.stdout)))


def _lint_tree(project: Path, jobs: int = 1) -> tuple[Finding, ...]:
    return _lint(project, *PROJECT_ARGS.get(project.name, ()), f"--jobs={jobs}")


def _by_file(findings) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.path].append(finding)
    return grouped


def _format(findings) -> str:
    return "\n".join(f"  {f.path}:{f.row}:{f.col}: {f.code} {f.text}" for f in findings)


def _differences(label: str, first_run: str, first, second_run: str, second) -> str:
    first, second = Counter(first), Counter(second)
    return (
        f"{label}\n only {first_run}:\n{_format(sorted((first - second).elements()))}\n"
        f" only {second_run}:\n{_format(sorted((second - first).elements()))}"
    )


WHOLE_TREE = "checking the whole tree in one process (--jobs 1)"


PROJECT_FILES = [(project, name) for project in PROJECTS for name in _checked_files(project)]


@pytest.mark.parametrize(
    "project, name", PROJECT_FILES, ids=[f"{p.name}/{n}" for p, n in PROJECT_FILES]
)
def test_project_file(project: Path, name: str) -> None:
    found = _by_file(_lint_tree(project)).get(name, [])
    problem = mismatch(f"{project.name}/{name}", read_expectations(project / name), found)
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_no_findings_outside_the_checked_files(project: Path) -> None:
    checked = set(_checked_files(project))
    stray = [f for f in _lint_tree(project) if f.path not in checked]
    assert not stray, "findings in files without expectations:\n" + _format(stray)


def test_a_project_imports_a_module_that_does_not_parse() -> None:
    unparsable = [
        f"{project.name}/{name}"
        for project in PROJECTS
        for name in _python_files(project)
        if not _parses(project / name)
    ]
    assert unparsable, "keep a module with a syntax error: importing it must not crash the plugin"


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_parallel_jobs_give_the_same_findings(project: Path) -> None:
    serial, parallel = _lint_tree(project, jobs=1), _lint_tree(project, jobs=2)
    assert serial == parallel, _differences(
        project.name, WHOLE_TREE, serial, "with --jobs 2", parallel
    )


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_each_file_alone_gives_the_same_findings(project: Path) -> None:
    args = PROJECT_ARGS.get(project.name, ())
    alone = []
    for name in reversed(_python_files(project)):
        alone.extend(_lint(project, *args, paths=(name,)))
    whole = _lint_tree(project)
    assert whole == tuple(sorted(alone)), _differences(
        project.name, WHOLE_TREE, whole, "checking one file per process", sorted(alone)
    )


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_file_order_in_one_process_does_not_matter(project: Path) -> None:
    args = (*PROJECT_ARGS.get(project.name, ()), "--jobs=1")
    names = _python_files(project)
    forward = _lint(project, *args, paths=tuple(names))
    backward = _lint(project, *args, paths=tuple(reversed(names)))
    assert forward == backward, _differences(
        f"{project.name}, one process (--jobs 1)", "in sorted file order", forward,
        "in reversed file order", backward,
    )


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_forgetting_every_model_between_files_gives_the_same_findings(project: Path) -> None:
    # A budget of one line: every file's analysis parses again all the modules it needs.
    args = (*PROJECT_ARGS.get(project.name, ()), "--jobs=1")
    forgetful = _lint(project, *args, budget="1")
    whole = _lint_tree(project)
    assert forgetful == whole, _differences(
        project.name, WHOLE_TREE, whole, "forgetting every model between files", forgetful
    )


@pytest.mark.parametrize("project", PROJECTS, ids=lambda path: path.name)
def test_asr110_message_names_the_chain_and_the_blocking_call(project: Path) -> None:
    helper_calls = [f for f in _lint_tree(project) if f.code == "ASR110"]
    assert helper_calls, f"{project.name} has no ASR110 finding"
    for finding in helper_calls:
        where = f"{finding.path}:{finding.row}"
        match = _CHAIN_MESSAGE.match(finding.text)
        assert match, f"{where}: no chain and location in: {finding.text}"
        links = match["chain"].split(" → ")
        assert len(links) >= 2, f"{where}: the chain has a single call: {finding.text}"
        path = match["path"]
        assert not os.path.isabs(path) and not path.startswith("."), f"{where}: {path}"
        target = project / path
        assert target.is_file(), f"{where}: {path} is not a file of the project"
        last = links[-1].strip("`")
        called = re.search(r"(\w+)\(\)$", last)
        if "…" not in last and called:
            line = target.read_text(encoding="utf-8").splitlines()[int(match["line"]) - 1]
            assert f"{called[1]}(" in line, f"{where}: {path}:{match['line']} is not `{last}`"


def test_asr110_message_for_signup_route() -> None:
    project = PROJECTS_DIR / "chatapp"
    auth = (project / "chatapp/utils/auth.py").read_text(encoding="utf-8").splitlines()
    hash_line = next(n for n, text in enumerate(auth, 1) if "bcrypt.hashpw(" in text)
    routes = (project / "chatapp/routers/auths.py").read_text(encoding="utf-8").splitlines()
    call_line = next(n for n, text in enumerate(routes, 1) if "= get_password_hash(" in text)
    texts = [
        f.text
        for f in _lint_tree(project)
        if (f.path, f.row, f.code) == ("chatapp/routers/auths.py", call_line, "ASR110")
    ]
    assert texts == [
        f"`get_password_hash()` → `bcrypt.hashpw()` (chatapp/utils/auth.py:{hash_line}) "
        "blocks the event loop in async route `POST /auths/signup`; run the hash in a thread "
        "(`await asyncio.to_thread(...)`) or declare the handler `def`"
    ]


def test_source_roots_option_finds_packages_outside_the_automatic_root() -> None:
    project = PROJECTS_DIR / "srclayout"
    marked = sorted(
        (name, line)
        for name in _checked_files(project)
        for line, text in enumerate((project / name).read_text(encoding="utf-8").splitlines(), 1)
        if SOURCE_ROOTS_MARKER in text
    )
    assert [name for name, _ in marked] == ["services/api.py", "src/app/main.py"]

    with_roots = _lint(project, "--async-route-source-roots=shared_src", "--jobs=1")
    without = _lint(project, "--jobs=1")

    def through_shared(findings) -> list[tuple[str, int]]:
        return sorted(
            (f.path, f.row)
            for f in findings
            if f.code == "ASR110" and "(shared_src/lib/hashing.py:" in f.text
        )

    assert through_shared(with_roots) == marked
    assert through_shared(without) == []
    rest = tuple(f for f in with_roots if (f.path, f.row) not in marked)
    assert without == rest, _differences(
        "srclayout", "with --async-route-source-roots", with_roots, "without it", without
    )


def test_calls_through_an_interface_name_the_implementation() -> None:
    project = PROJECTS_DIR / "typeflow"
    texts = [f.text for f in _lint_tree(project)
             if (f.path, f.code) == ("shop/routers/items.py", "ASR110")]
    through_interface = [t for t in texts if t.startswith("`get_db().get_item()`")]
    assert len(through_interface) == 1, texts
    assert through_interface[0].startswith(
        "`get_db().get_item()` (`SQLDB.get_item` implements `DBInterface.get_item`) → "
    ), through_interface
    assert "(shop/db/sql.py:" in through_interface[0]


def test_cached_findings_follow_the_files_that_type_app_state(tmp_path: Path) -> None:
    """`request.app.state.storage` is typed by lifespan.py, which items.py never imports:
    editing it must still change items.py's findings when the result cache is warm."""
    project = tmp_path / "typeflow"
    shutil.copytree(PROJECTS_DIR / "typeflow", project)
    cache = f"--async-route-cache-dir={tmp_path / 'cache'}"

    def storage_findings() -> list[int]:
        result = run_flake8(["shop/routers/items.py"], cache, cwd=project)
        assert not flake8_crashed(result), result.stderr
        return [f.row for f in parse_output(result.stdout)
                if f.code == "ASR110" and "storage.save()" in f.text]

    assert len(storage_findings()) == 1
    lifespan = project / "shop/lifespan.py"
    lifespan.write_text(lifespan.read_text(encoding="utf-8").replace(
        'Storage(boto3.client("s3"))', "Storage(None)"), encoding="utf-8")
    assert storage_findings() == []
