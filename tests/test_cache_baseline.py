"""The result cache, baselines and `.gitignore`-aware discovery, end to end through the
`flake8-async-route` console script, on copies of tests/projects/chatapp."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from array import array
from pathlib import Path

import pytest

from conftest import write
from flake8_async_route.cache_index import RACY_NS, compressed, decoded_sets, expanded_numbers

STATS = "FLAKE8_ASYNC_ROUTE_CACHE_STATS"
OLD = 1_000_000_000  # a modification time no run of the test can give a file
TIMEOUT_SECONDS = 300


def _command() -> list[str]:
    script = Path(sys.executable).with_name("flake8-async-route")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flake8_async_route"]


def run(project: Path, *args: str, stats: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, STATS: "1"} if stats else \
        {k: v for k, v in os.environ.items() if k != STATS}
    return subprocess.run([*_command(), *args], cwd=project, capture_output=True, text=True,
                          env=env, timeout=TIMEOUT_SECONDS)


def cache_stats(result: subprocess.CompletedProcess) -> tuple[int, int, int]:
    """(hits, misses, written) from the line FLAKE8_ASYNC_ROUTE_CACHE_STATS prints."""
    for line in result.stderr.splitlines():
        if line.startswith("flake8-async-route: cache: "):
            words = line.split()
            return int(words[2]), int(words[4]), int(words[6])
    raise AssertionError(f"no cache statistics on stderr:\n{result.stderr}")


def codes_by_file(output: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in output.splitlines():
        path, _, rest = line.partition(":")
        found.setdefault(path, []).append(rest.split(" ", 2)[1])
    return found


def index_files(cache: Path) -> tuple[Path, Path]:
    """The index and the dependency file of the command line's cache: one of each."""
    (index,) = cache.glob("audit-*.index")
    return index, index.with_suffix(".dependencies")


def read_cache_file(path: Path) -> tuple[dict, dict]:
    header, _, body = path.read_bytes().partition(b"\n")
    return json.loads(header), json.loads(body)


def rewrite_cache_file(path: Path, body: dict) -> None:
    """Replace the body, with a checksum that matches it: only the content is wrong."""
    header, _ = read_cache_file(path)
    data = json.dumps(body).encode()
    header["checksum"] = hashlib.sha256(data).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + data)


def relative(cache: Path, name: str) -> str:
    return Path(name).relative_to(cache.parent.resolve()).as_posix()


def entries(cache: Path) -> dict[str, list]:
    """The index's entries ([sha256, roots, report]) by the project-relative path of the
    file they are for."""
    _, body = read_cache_file(index_files(cache)[0])
    return {relative(cache, name): entry for name, entry in body["entries"].items()}


def dependencies(cache: Path) -> dict[str, set[str]]:
    """What each entry depends on, project-relative, from the dependency file."""
    _, body = read_cache_file(index_files(cache)[1])
    sets = [{body["paths"][i] for i in members} for members in decoded_sets(body["sets"])]
    return {relative(cache, name): sets[index] for name, index in body["entries"].items()}


def age(project: Path) -> None:
    """Make every file and directory of the project old: a file modified in the last seconds
    is hashed again by the next run, its stat not trusted yet (a directory's, which vouches
    for the files missing from it, neither)."""
    for path in [project, *project.rglob("*")]:
        os.utime(path, (OLD, OLD))


@pytest.fixture
def clean_project(project: Path) -> Path:
    """Without the module that does not parse: ASR001 is never hidden by a baseline."""
    (project / "chatapp/utils/legacy.py").unlink()
    return project


# ----- the result cache -----------------------------------------------------------------------


def test_warm_run_is_served_from_the_cache(project: Path):
    age(project)
    cold = run(project, "check", ".", "--jobs", "1")
    assert cold.returncode == 1, cold.stderr
    cache = project / ".asr-cache"
    files = entries(cache)
    checked = len(list(project.rglob("*.py")))
    assert len(files) == checked
    assert cache_stats(cold) == (0, checked, checked)
    assert (cache / ".gitignore").read_text() == "*\n"
    assert sorted(p.name for p in cache.iterdir() if p.name != ".gitignore") == sorted(
        p.name for p in index_files(cache))  # one index, whatever the number of files
    for written in index_files(cache):
        os.utime(written, (OLD, OLD))

    warm = run(project, "check", ".", "--jobs", "1")
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
    assert cache_stats(warm) == (checked, 0, 0)
    assert all(written.stat().st_mtime == OLD for written in index_files(cache))
    assert entries(cache) == files


def test_a_file_touched_but_not_changed_is_hashed_once(project: Path):
    age(project)
    cold = run(project, "check", ".")
    auth = project / "chatapp/utils/auth.py"
    os.utime(auth, (OLD + 10, OLD + 10))
    index, recorded = index_files(project / ".asr-cache")
    os.utime(recorded, (OLD, OLD))
    touched = run(project, "check", ".")
    assert touched.stdout == cold.stdout and cache_stats(touched)[1] == 0
    _, body = read_cache_file(index)
    assert body["files"][str(auth.resolve())][1] == (OLD + 10) * 10**9  # the new stat
    assert recorded.stat().st_mtime == OLD  # the dependency lists still hold: not rewritten
    os.utime(index, (OLD, OLD))
    assert cache_stats(run(project, "check", "."))[1] == 0
    assert index.stat().st_mtime == OLD
    # The index rewritten alone still goes with its dependency lists: an edit costs only
    # the entries that may depend on it.
    deep = project / "chatapp/utils/deep.py"
    deep.write_text(deep.read_text().replace("time.sleep(1)", "return 1"))
    changed = run(project, "check", ".")
    assert changed.stdout == run(project, "check", ".", "--no-cache").stdout
    assert 0 < cache_stats(changed)[1] < len(entries(project / ".asr-cache"))


def test_a_change_that_keeps_size_and_mtime_is_seen_when_recent(project: Path):
    """A file edited twice within its mtime's granularity keeps its stat: one modified in
    the last seconds is recorded without a stat, so the next run hashes it."""
    auth = project / "chatapp/utils/auth.py"
    text = auth.read_text()
    auth.write_text(text)  # modified now: just before the run that records it
    run(project, "check", ".")
    stat = auth.stat()
    auth.write_text(text.replace("bcrypt.gensalt()", "bcrypt.gensalT()"))
    os.utime(auth, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    after = run(project, "check", ".")
    assert after.stdout == run(project, "check", ".", "--no-cache").stdout
    assert cache_stats(after)[1] > 0


def test_audit_and_json_identical_from_the_cache(project: Path):
    for fmt in ("json", "text"):
        cold = run(project, "audit", ".", "--format", fmt, "--no-cache")
        run(project, "audit", ".", "--format", fmt)
        warm = run(project, "audit", ".", "--format", fmt)
        assert cache_stats(warm)[1] == 0
        assert warm.stdout == cold.stdout


def test_editing_an_imported_helper_invalidates_the_router(project: Path):
    run(project, "check", ".", "--jobs", "1")
    before = run(project, "check", ".", "--jobs", "1")
    assert "ASR110" in codes_by_file(before.stdout)["chatapp/routers/auths.py"]
    assert "bcrypt" in before.stdout

    auth = project / "chatapp/utils/auth.py"
    auth.write_text(auth.read_text().replace(
        "return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()",
        "return password[::-1]"))
    after = run(project, "check", ".", "--jobs", "1")
    fresh = run(project, "check", ".", "--jobs", "1", "--no-cache")
    assert after.stdout == fresh.stdout
    assert "`get_password_hash()` → `bcrypt.hashpw()`" in before.stdout
    assert "`get_password_hash()` → `bcrypt.hashpw()`" not in after.stdout
    assert cache_stats(after)[1] > 0


def test_a_summary_reused_from_another_file_still_counts_as_a_dependency(project: Path):
    """b_second's analysis reuses work()'s summary computed for a_first and never looks at
    deep.py itself; editing deep.py must still invalidate b_second. Files that cannot reach
    deep.py keep their entries (dependencies are not everything the process loaded)."""
    age(project)
    run(project, "check", ".", "--jobs", "1")
    recorded = dependencies(project / ".asr-cache")
    for name in ("chatapp/routers/a_first.py", "chatapp/routers/b_second.py"):
        assert any(path.endswith("deep.py") for path in recorded[name]), name
    # rates.py asked which of its functions other modules use as dependencies: a search of
    # the whole project, so its entry depends on every file of it.
    reaching_deep = {name for name, paths in recorded.items()
                     if any(path.endswith("deep.py") for path in paths)}
    assert reaching_deep | {"chatapp/utils/deep.py"} == {
        "chatapp/utils/deep.py", "chatapp/utils/middle.py", "chatapp/routers/a_first.py",
        "chatapp/routers/b_second.py", "chatapp/utils/rates.py"}

    deep = project / "chatapp/utils/deep.py"
    deep.write_text(deep.read_text().replace("time.sleep(1)", "return 1"))
    after = run(project, "check", ".", "--jobs", "1")
    found = codes_by_file(after.stdout)
    assert "chatapp/routers/a_first.py" not in found
    assert "chatapp/routers/b_second.py" not in found
    assert after.stdout == run(project, "check", ".", "--jobs", "1", "--no-cache").stdout
    assert cache_stats(after)[1:] == (5, 5)  # those five analysed again, nothing else
    assert len(entries(project / ".asr-cache")) == len(recorded)


def test_options_are_part_of_the_key_and_entries_do_not_pile_up(project: Path):
    plain = run(project, "check", ".")
    files = len(entries(project / ".asr-cache"))
    option = "--async-route-blocking-calls=time.time"
    configured = run(project, "check", ".", option)
    assert cache_stats(configured) == (0, files, files)
    assert configured.stdout == run(project, "check", ".", option, "--no-cache").stdout
    assert "ASR100" in configured.stdout and "ASR100" not in plain.stdout
    assert run(project, "check", ".").stdout == plain.stdout
    assert len(entries(project / ".asr-cache")) == files  # one entry per file, always


@pytest.mark.parametrize("was", ["missing", "unparsable"])
def test_a_module_appearing_invalidates_its_importers(project: Path, was: str):
    """routers/misc.py imports chatapp.utils.legacy, which does not parse (or, once
    deleted, does not exist): fixing it must invalidate misc.py's entry."""
    legacy = project / "chatapp/utils/legacy.py"
    if was == "missing":
        legacy.unlink()
    run(project, "check", ".")
    before = codes_by_file(run(project, "check", ".").stdout)
    assert "ASR110" not in before.get("chatapp/routers/misc.py", [])
    write(project, "chatapp/utils/legacy.py", """\
        import time


        def migrate_chat(chat_id):
            time.sleep(5)
        """)
    after = run(project, "check", ".")
    assert "ASR110" in codes_by_file(after.stdout)["chatapp/routers/misc.py"]
    assert after.stdout == run(project, "check", ".", "--no-cache").stdout


@pytest.mark.parametrize("module", ["chatapp/utils/jobs.py", "chatapp/utils/later/jobs.py"])
def test_a_missing_module_is_vouched_for_by_its_directory(project: Path, module: str):
    """A module an import could mean but that does not exist is recorded with the stat of
    its nearest directory, so a warm run does not look for it; creating it, in that
    directory or in a new one below it, changes that directory: its importers are analysed
    again."""
    write(project, "chatapp/routers/later.py", f"""\
        from fastapi import APIRouter
        from {module[:-3].replace("/", ".")} import run_jobs

        router = APIRouter()


        @router.post("/jobs")
        async def start_jobs():
            run_jobs()
        """)
    age(project)
    time.sleep(RACY_NS / 1e9)  # the directories' ctime, which no call sets back, is settled
    run(project, "check", ".")
    _, body = read_cache_file(index_files(project / ".asr-cache")[0])
    missing = (project / module).resolve()
    levels = module.count("/") - 1
    vouching = missing.parents[levels - 1]  # chatapp/utils, the nearest existing directory
    assert str(missing) not in body["files"]
    assert missing.relative_to(vouching).as_posix() in body["absent"][str(vouching)][2]
    assert cache_stats(run(project, "check", "."))[1] == 0
    assert "chatapp/routers/later.py" not in run(project, "check", ".").stdout

    write(project, module, """\
        import time


        def run_jobs():
            time.sleep(5)
        """)
    time.sleep(RACY_NS / 1e9)  # the directory's new stat is compared, not merely distrusted
    after = run(project, "check", ".")
    assert "ASR110" in codes_by_file(after.stdout)["chatapp/routers/later.py"]
    assert after.stdout == run(project, "check", ".", "--no-cache").stdout


def test_a_changed_directory_that_still_lacks_the_module_keeps_the_entries(project: Path):
    """A file that is no module appearing in the directory that vouches for missing modules
    changes its stat: the next run looks for those modules one by one, finds none, keeps
    every entry and records the directory's new stat, so the run after looks for none."""
    write(project, "chatapp/routers/later.py", """\
        from fastapi import APIRouter
        from chatapp.utils.jobs import run_jobs

        router = APIRouter()


        @router.post("/jobs")
        async def start_jobs():
            run_jobs()
        """)
    age(project)
    time.sleep(RACY_NS / 1e9)
    run(project, "check", ".")
    index, _ = index_files(project / ".asr-cache")
    vouching = str((project / "chatapp/utils").resolve())
    recorded = read_cache_file(index)[1]["absent"][vouching]
    assert "jobs.py" in recorded[2]

    (project / "chatapp/utils/NOTES.txt").write_text("not a module\n", encoding="utf-8")
    time.sleep(RACY_NS / 1e9)
    assert cache_stats(run(project, "check", "."))[1] == 0
    restamped = read_cache_file(index)[1]["absent"][vouching]
    assert restamped[:2] != recorded[:2] and restamped[2] == recorded[2]
    before = index.stat().st_mtime_ns
    assert cache_stats(run(project, "check", "."))[1] == 0
    assert index.stat().st_mtime_ns == before  # nothing new to record


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "emptied"])
def test_a_damaged_index_is_a_miss_and_is_rewritten(project: Path, damage: str):
    cold = run(project, "check", ".")
    cache = project / ".asr-cache"
    count = len(entries(cache))
    index, _ = index_files(cache)
    data = index.read_bytes()
    middle = len(data) // 2
    index.write_bytes({
        "garbage": b"\x00\xff garbage {",
        "truncated": data[:middle],
        # one character of a stored message, the JSON still valid: the checksum sees it
        "flipped": data.replace(b"ASR1", b"ASR9", 1),
        "emptied": b"",
    }[damage])
    warm = run(project, "check", ".")
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode
    assert warm.stderr.count("warning") == 0
    assert cache_stats(warm) == (0, count, count)
    assert len(entries(cache)) == count
    assert cache_stats(run(project, "check", "."))[1] == 0


def test_entry_of_another_shape_is_ignored(project: Path):
    cold = run(project, "check", ".")
    index, _ = index_files(project / ".asr-cache")
    _, body = read_cache_file(index)
    (name,) = [n for n in body["entries"] if n.endswith("routers/chats.py")]
    body["entries"][name][2] = json.dumps({"findings": "nope"})
    rewrite_cache_file(index, body)
    reshaped = run(project, "check", ".")
    assert reshaped.stdout == cold.stdout
    assert cache_stats(reshaped)[1:] == (1, 1)  # a miss, and the entry rewritten
    body["entries"][name] = {"shape": "another"}
    rewrite_cache_file(index, body)
    assert run(project, "check", ".").stdout == cold.stdout


@pytest.mark.parametrize("damage", ["missing", "garbage", "another generation",
                                    "a set that is not base64",
                                    "a set that differs from no set"])
def test_damaged_dependencies_cost_only_the_entries_a_change_may_reach(
        project: Path, damage: str):
    """The dependency lists are read only when a file changed: without them, every entry
    is analysed again then; with nothing changed the index alone still holds."""
    age(project)
    cold = run(project, "check", ".")
    index, recorded = index_files(project / ".asr-cache")
    count = len(entries(project / ".asr-cache"))
    if damage == "missing":
        recorded.unlink()
    elif damage == "garbage":
        recorded.write_bytes(b"{ not json")
    elif damage.startswith("a set"):
        _, body = read_cache_file(recorded)
        if damage.endswith("base64"):
            body["sets"][-1][1] = "not base64!"
        else:  # -2 would silently be a set that is there, and not the one it differs from
            assert len(body["sets"]) >= 3
            body["sets"][-1][0] = -2
        rewrite_cache_file(recorded, body)
    else:
        header, body = read_cache_file(recorded)
        header["generation"] = "0" * 16
        recorded.write_bytes(json.dumps(header).encode() + b"\n" + json.dumps(body).encode())
    unchanged = run(project, "check", ".")
    assert unchanged.stdout == cold.stdout and cache_stats(unchanged)[1] == 0
    deep = project / "chatapp/utils/deep.py"
    deep.write_text(deep.read_text().replace("time.sleep(1)", "return 1"))
    changed = run(project, "check", ".")
    assert changed.stdout == run(project, "check", ".", "--no-cache").stdout
    assert cache_stats(changed)[1] == count


def test_unwritable_cache_dir_warns_once_and_results_are_correct(project: Path):
    expected = run(project, "check", ".", "--no-cache").stdout
    blocker = project / "not-a-directory"
    blocker.write_text("")
    result = run(project, "check", ".", "--cache-dir", str(blocker / "cache"))
    assert result.stdout == expected
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "cache" in warnings[0], result.stderr
    assert not (project / ".asr-cache").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs permissions")
def test_read_only_cache_dir_warns_once(project: Path):
    expected = run(project, "check", ".", "--no-cache").stdout
    cache = project / "ro-cache"
    cache.mkdir()
    cache.chmod(0o555)
    try:
        result = run(project, "check", ".", "--cache-dir", str(cache))
    finally:
        cache.chmod(0o755)
    assert result.stdout == expected
    assert len([line for line in result.stderr.splitlines() if "warning" in line]) == 1


def test_cache_that_fails_to_write_mid_run_warns_once(project: Path, monkeypatch, capsys):
    """In process: as root, no directory is read-only, so make every entry write fail."""
    import errno

    from flake8_async_route import cache_index, cli

    expected = run(project, "check", ".", "--no-cache").stdout
    (project / ".asr-cache").mkdir()
    (project / ".asr-cache/.gitignore").write_text("*\n")

    def refuse(path, text):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(cache_index, "write_atomically", refuse)
    monkeypatch.chdir(project)
    assert cli.main(["check", ".", "--jobs", "1"]) == 1
    out, err = capsys.readouterr()
    assert out == expected
    assert err.count("warning") == 1 and "Read-only file system" in err
    assert list((project / ".asr-cache").iterdir()) == [project / ".asr-cache/.gitignore"]


def test_no_cache_writes_nothing(project: Path):
    result = run(project, "check", ".", "--no-cache")
    assert result.returncode == 1
    assert not (project / ".asr-cache").exists()
    assert "cache:" not in result.stderr


def test_cache_dir_flag_and_setting(project: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    run(project, "check", ".", "--cache-dir", str(elsewhere))
    assert (elsewhere / ".gitignore").is_file() and entries_count(elsewhere) > 0
    (project / "pyproject.toml").write_text(
        '[tool.flake8-async-route]\ncache-dir = "build-cache"\n')
    run(project, "check", "chatapp/routers")
    assert entries_count(project / "build-cache") > 0
    assert not (project / ".asr-cache").exists()


def entries_count(cache: Path) -> int:
    return len(entries(cache))


@pytest.mark.parametrize("cached", [False, True])
def test_jobs_do_not_change_the_output(project: Path, cached: bool):
    flags = [] if cached else ["--no-cache"]
    outputs = set()
    for jobs in ("1", "2", "1", "2"):  # cold then warm when cached
        result = run(project, "audit", ".", "--format", "json", "--jobs", jobs, *flags)
        outputs.add(result.stdout)
    assert len(outputs) == 1
    if cached:
        assert cache_stats(run(project, "check", ".", "--jobs", "2"))[1] == 0


def test_cold_cache_with_two_jobs_matches(project: Path):
    one = run(project, "check", ".", "--jobs", "1", "--no-cache").stdout
    assert run(project, "check", ".", "--jobs", "2").stdout == one  # cold, workers
    assert run(project, "check", ".", "--jobs", "1").stdout == one  # warm


# ----- baselines --------------------------------------------------------------------------


def test_baseline_round_trip(clean_project: Path):
    project = clean_project
    first = run(project, "check", ".")
    assert first.returncode == 1 and first.stdout
    written = run(project, "check", ".", "--write-baseline", "baseline.json")
    assert written.returncode == 0, written.stderr
    data = json.loads((project / "baseline.json").read_text())
    assert data["version"] == 1 and data["tool_version"]
    assert len(data["findings"]) == len(first.stdout.splitlines())
    assert set(data["findings"][0]) == {"fingerprint", "code", "path", "message"}

    quiet = run(project, "check", ".", "--baseline", "baseline.json")
    assert (quiet.returncode, quiet.stdout) == (0, "")
    audit = run(project, "audit", ".", "--baseline", "baseline.json", "--format", "json")
    assert audit.returncode == 0
    report = json.loads(audit.stdout)
    assert report["summary"]["baseline_matched"] == len(data["findings"])

    # Lines shift above every old finding: still hidden.
    for name in ("chatapp/routers/auths.py", "chatapp/routers/chats.py"):
        path = project / name
        path.write_text("\n\n\n" + path.read_text())
    shifted = run(project, "check", ".", "--baseline", "baseline.json")
    assert (shifted.returncode, shifted.stdout) == (0, "")

    # A new blocking call is the only finding.
    users = project / "chatapp/routers/users.py"
    users.write_text(users.read_text() + textwrap.dedent("""

        @router.get("/nap")
        async def nap():
            import time
            time.sleep(1)
        """))
    new = run(project, "check", ".", "--baseline", "baseline.json")
    assert new.returncode == 1
    lines = new.stdout.splitlines()
    assert lines and all(line.startswith("chatapp/routers/users.py:") and "/users/nap" in line
                         for line in lines)
    assert any("ASR101 `time.sleep()`" in line for line in lines)


def test_baseline_counts_duplicates(clean_project: Path):
    project = clean_project
    run(project, "check", ".", "--write-baseline", "baseline.json")
    data = json.loads((project / "baseline.json").read_text())
    dropped = data["findings"].pop()
    (project / "baseline.json").write_text(json.dumps(data))
    result = run(project, "check", ".", "--baseline", "baseline.json")
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    assert result.stdout.startswith(dropped["path"] + ":")

    # Listed more than once: still hides its one finding, and nothing else.
    data["findings"] += [dropped, dropped]
    (project / "baseline.json").write_text(json.dumps(data))
    assert run(project, "check", ".", "--baseline", "baseline.json").stdout == ""


def test_a_listed_fingerprint_hides_one_finding():
    from collections import Counter

    from flake8_async_route.audit import baseline
    from flake8_async_route.results import AuditResult, Finding, Handler

    same = [Finding("a.py", line, 0, "ASR101", "m", "f", "fp") for line in (3, 9)]
    other = Finding("a.py", 12, 0, "ASR102", "m", "f", "fp2")
    result = AuditResult(findings=[*same, other],
                         handlers=[Handler("a.py", 1, "f", "route", True,
                                           findings=[*same, other])])
    baseline.apply(result, Counter({"fp": 1, "fp2": 1, "gone": 3}))
    assert (result.findings, result.baseline_matched) == ([same[1]], 2)
    assert result.handlers[0].findings == [same[1]]
    assert result.handlers[0].verdict == "blocks the loop"


def test_baseline_from_pyproject(clean_project: Path):
    project = clean_project
    (project / "ci").mkdir()
    assert run(project, "check", ".", "--write-baseline", "ci/baseline.json").returncode == 0
    (project / "pyproject.toml").write_text(
        '[tool.flake8-async-route]\nbaseline = "ci/baseline.json"\n')
    assert run(project, "check", ".").returncode == 0
    # The path is relative to pyproject.toml, wherever the run starts (the fingerprints
    # hold paths as shown, so they match only when run from the same directory).
    inside = run(project / "chatapp", "check", ".")
    assert inside.returncode == 1 and "baseline" not in inside.stderr
    inside = run(project / "chatapp", "check", ".", "--baseline", "elsewhere.json")
    assert inside.returncode == 2 and "elsewhere.json" in inside.stderr


@pytest.mark.parametrize("content", [None, "not json", "[]", '{"version": 7}',
                                     '{"version": 1, "findings": [1]}'])
def test_invalid_baseline_is_a_usage_error(clean_project: Path, content):
    if content is not None:
        (clean_project / "baseline.json").write_text(content)
    result = run(clean_project, "check", ".", "--baseline", "baseline.json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "baseline" in result.stderr and "baseline.json" in result.stderr
    assert "Traceback" not in result.stderr


# ----- discovery ---------------------------------------------------------------------------

BLOCKING = """\
    import time
    from fastapi import APIRouter

    router = APIRouter()


    @router.get("/x")
    async def handler():
        time.sleep(1)
    """


def reported_files(project: Path, *args: str) -> set[str]:
    """The files with findings: every file these tests add has one."""
    result = run(project, "check", *(args or (".",)), "--no-cache")
    assert result.returncode in (0, 1), result.stderr
    return {line.split(":")[0] for line in result.stdout.splitlines()}


def test_gitignore_patterns(project: Path):
    (project / ".git").mkdir()
    write(project, ".gitignore", """\
        # generated code
        *_gen.py
        build_out/
        /top_only.py
        chatapp/utils/secret/
        """)
    write(project, "chatapp/routers/.gitignore", "!keep_gen.py\n")
    for name in ("chatapp/routers/drop_gen.py", "chatapp/routers/keep_gen.py",
                 "chatapp/utils/other_gen.py", "chatapp/build_out/x.py", "top_only.py",
                 "chatapp/top_only.py", "chatapp/utils/secret/key.py"):
        write(project, name, BLOCKING)
    write(project, "chatapp/build_out.py", BLOCKING)  # `build_out/` is for directories

    files = reported_files(project)
    assert "chatapp/routers/keep_gen.py" in files  # re-included by the nested file
    assert "chatapp/top_only.py" in files  # `/top_only.py` is anchored to the root
    assert "chatapp/build_out.py" in files
    for ignored in ("chatapp/routers/drop_gen.py", "chatapp/utils/other_gen.py",
                    "chatapp/build_out/x.py", "top_only.py", "chatapp/utils/secret/key.py"):
        assert ignored not in files
    assert "chatapp/routers/auths.py" in files

    # The repository's .gitignore applies to a directory named below it too.
    below = reported_files(project, "chatapp/routers")
    assert "chatapp/routers/drop_gen.py" not in below
    assert "chatapp/routers/keep_gen.py" in below

    # A file named explicitly is always checked.
    assert reported_files(project, "chatapp/routers/drop_gen.py", "top_only.py") == {
        "chatapp/routers/drop_gen.py", "top_only.py"}


def test_nested_gitignore_negation_and_override(project: Path):
    for name in ("gen/a.py", "gen/b.py", "gen/c.py", "gen/deeper/d.py", "gen/deeper/e.py"):
        write(project, name, BLOCKING)
    write(project, ".gitignore", "gen/*.py\n!gen/b.py\ngen/deeper/\n")
    write(project, "gen/.gitignore", "!c.py\n")  # deeper files override shallower ones
    write(project, "gen/deeper/.gitignore", "!e.py\n")  # inside an ignored directory
    assert {f for f in reported_files(project) if f.startswith("gen/")} == {
        "gen/b.py", "gen/c.py"}


def test_nothing_below_an_ignored_directory_is_re_included(project: Path):
    write(project, ".gitignore", "chatapp/utils/\n!chatapp/utils/auth.py\n")
    assert not any(f.startswith("chatapp/utils/") for f in reported_files(project))
    # Imports are still followed into ignored files: ASR110 through utils/auth.py.
    result = run(project, "check", "chatapp/routers/auths.py", "--no-cache")
    assert "(chatapp/utils/auth.py:" in result.stdout


def test_a_named_directory_ignored_from_above_is_checked(project: Path):
    """As ruff and ripgrep do: naming an ignored directory asks for it (a benchmark corpus
    unpacked below a git-ignored cache directory)."""
    (project / ".git").mkdir()
    write(project, ".gitignore", "vendor/\n*_gen.py\n")
    write(project, "vendor/app/routes.py", BLOCKING)
    write(project, "vendor/app/routes_gen.py", BLOCKING)
    write(project, "vendor/app/.gitignore", "skipped.py\n")
    write(project, "vendor/app/skipped.py", BLOCKING)
    assert not any(f.startswith("vendor/") for f in reported_files(project))
    assert reported_files(project, "vendor/app") == {"vendor/app/routes.py",
                                                     "vendor/app/routes_gen.py"}
    assert reported_files(project, "vendor") == {"vendor/app/routes.py",
                                                 "vendor/app/routes_gen.py"}


def test_gitignore_outside_a_repository_only_inside_the_named_directory(project: Path):
    write(project, ".gitignore", "auths.py\n")
    assert "chatapp/routers/auths.py" not in reported_files(project)
    # No repository: the .gitignore above chatapp/ is not read for a run on chatapp/.
    assert "chatapp/routers/auths.py" in reported_files(project, "chatapp")


def test_default_excludes_and_unreadable_paths_still_reported(project: Path):
    write(project, "build/x.py", BLOCKING)
    write(project, ".venv/lib/y.py", BLOCKING)
    assert not any(f.startswith(("build/", ".venv/")) for f in reported_files(project))
    missing = run(project, "check", "nope", "--no-cache")
    assert missing.returncode == 1 and "nope:1:1: ASR001" in missing.stdout
    loop = project / "chatapp/loop"
    loop.symlink_to(project / "chatapp", target_is_directory=True)
    looped = run(project, "check", ".", "--no-cache")
    assert "chatapp/loop:1:1: ASR001 symbolic link loop" in looped.stdout


def test_entries_of_another_python_are_not_reused(monkeypatch):
    """Messages quote code through `ast.unparse`, whose output varies between Pythons: a
    cache shared by two interpreters (tox, CI matrices) must keep their results apart."""
    import types

    from flake8_async_route import cache

    monkeypatch.setattr(cache, "_tool", None)
    here = cache.tool_fingerprint()
    monkeypatch.setattr(cache, "_tool", None)
    monkeypatch.setattr(cache.sys, "implementation",
                        types.SimpleNamespace(cache_tag="cpython-399"))
    assert cache.tool_fingerprint() != here


@pytest.mark.parametrize("numbers", [[], [0], [7], [0, 1, 2, 3], [3, 900, 901, 2**32 - 1]])
def test_dependency_sets_held_compressed_come_back_the_same(numbers):
    held = compressed(array("I", numbers))
    assert isinstance(held, bytes) and expanded_numbers(held) == array("I", numbers)
