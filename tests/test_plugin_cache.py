"""The flake8 plugin's result cache, end to end through the real flake8, on copies of
tests/projects/chatapp (the command line's cache is tested in test_cache_baseline.py)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from flake8_async_route.analysis import findings_possible
from helpers import run_flake8
from conftest import write
from test_cache_baseline import OLD, codes_by_file, run

CACHE = ".asr-cache"


def flake8(project: Path, *args: str):
    """flake8 --select ASR on the project, with the plugin's default cache unless told."""
    if not any(a.startswith(("--async-route-cache-dir", "--async-route-no-cache"))
               for a in args):
        args = (*args, f"--async-route-cache-dir={CACHE}")
    result = run_flake8(["."], *args, cwd=project)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    return result


def fresh(project: Path, *args: str) -> str:
    return flake8(project, *args, "--async-route-no-cache").stdout


def plugin_entries(cache: Path) -> dict[str, Path]:
    """The plugin's entries by project-relative path: exactly one per file."""
    found = {}
    for entry in sorted(cache.glob("*.json")):
        data = json.loads(entry.read_bytes())
        if isinstance(data.get("stored"), list):  # the CLI's entries hold a report (a dict)
            name = Path(data["path"]).relative_to(cache.parent.resolve()).as_posix()
            assert name not in found, f"two entries for {name}"
            found[name] = entry
    return found


def by_file(output: str) -> dict[str, list[str]]:
    return codes_by_file(output.replace("./", ""))


def test_warm_run_reads_the_entries_and_writes_nothing(project: Path):
    cold = flake8(project, "--jobs=1")
    assert cold.returncode == 1 and "ASR110" in cold.stdout
    cache = project / CACHE
    files = plugin_entries(cache)
    # flake8 runs no plugin on a file that does not parse, nor on an empty one; a file
    # that can hold no finding is told so faster than its entry could be read.
    analysed = {p.relative_to(project).as_posix() for p in project.rglob("*.py")
                if p.read_text().strip() and p.name != "legacy.py"
                and findings_possible(p.read_text())}
    assert set(files) == analysed
    assert "chatapp/routers/users.py" in files and "chatapp/models/users.py" not in files
    assert (cache / ".gitignore").read_text() == "*\n"
    for entry in files.values():
        os.utime(entry, (OLD, OLD))

    warm = flake8(project, "--jobs=1")
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
    assert warm.stdout == fresh(project, "--jobs=1")
    assert all(entry.stat().st_mtime == OLD for entry in files.values())
    assert plugin_entries(cache) == files


def test_the_findings_come_from_the_entry(project: Path):
    """What an entry stores is what flake8 prints (so a warm run did not analyse), and
    flake8's own `# noqa` filtering still applies to it."""
    auths = project / "chatapp/routers/auths.py"
    lines = auths.read_text().splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + "  # noqa: ASR101\n"
    auths.write_text("".join(lines))
    flake8(project)
    entry = plugin_entries(project / CACHE)["chatapp/routers/auths.py"]
    data = json.loads(entry.read_bytes())
    data["stored"] = [[3, 0, "ASR101", "planted in the cache"],
                      [4, 0, "ASR101", "planted and suppressed"]]
    entry.write_text(json.dumps(data))
    found = [line for line in flake8(project).stdout.splitlines()
             if line.startswith("./chatapp/routers/auths.py:")]
    assert found == ["./chatapp/routers/auths.py:3:1: ASR101 planted in the cache"]


def test_editing_an_imported_helper_invalidates_the_router(project: Path):
    before = flake8(project).stdout
    assert "`get_password_hash()` → `bcrypt.hashpw()`" in before
    auth = project / "chatapp/utils/auth.py"
    auth.write_text(auth.read_text().replace(
        "return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()",
        "return password[::-1]"))
    after = flake8(project).stdout
    assert "`get_password_hash()` → `bcrypt.hashpw()`" not in after
    assert after == fresh(project)


def test_a_helper_two_hops_away_is_a_dependency(project: Path):
    """b_second reuses the summary of work() computed for a_first in the same process and
    never looks at deep.py itself: editing deep.py must still invalidate it. Files that
    cannot reach deep.py keep their entries."""
    flake8(project, "--jobs=1")
    files = plugin_entries(project / CACHE)
    for entry in files.values():
        os.utime(entry, (OLD, OLD))
    deep = project / "chatapp/utils/deep.py"
    deep.write_text(deep.read_text().replace("time.sleep(1)", "return 1"))
    after = flake8(project, "--jobs=1").stdout
    found = by_file(after)
    assert "chatapp/routers/a_first.py" not in found
    assert "chatapp/routers/b_second.py" not in found
    assert after == fresh(project, "--jobs=1")
    now = plugin_entries(project / CACHE)
    rewritten = {name for name, entry in now.items() if entry.stat().st_mtime != OLD}
    # (The helpers themselves hold no coroutine nor handler: they have no entries.) rates.py
    # searched the whole project for its functions' users: it depends on every file.
    assert rewritten == {"chatapp/routers/a_first.py", "chatapp/routers/b_second.py",
                         "chatapp/utils/rates.py"}


def test_a_module_appearing_invalidates_its_importers(project: Path):
    (project / "chatapp/utils/legacy.py").unlink()
    flake8(project)
    assert "ASR110" not in by_file(flake8(project).stdout).get("chatapp/routers/misc.py", [])
    write(project, "chatapp/utils/legacy.py", """\
        import time


        def migrate_chat(chat_id):
            time.sleep(5)
        """)
    after = flake8(project).stdout
    assert "ASR110" in by_file(after)["chatapp/routers/misc.py"]
    assert after == fresh(project)


def test_dependencies_used_from_other_modules_follow_their_users(project: Path):
    """chatapp/utils/rates.py holds a `def` dependency only routers/misc.py uses: its
    entry must follow misc.py, and any module that starts using it."""
    def rates_codes() -> list[str]:
        output = flake8(project).stdout
        assert output == fresh(project)
        return by_file(output).get("chatapp/utils/rates.py", [])

    assert rates_codes() == ["ASR301"]
    misc = project / "chatapp/routers/misc.py"
    misc.write_text(misc.read_text().replace("latest=Depends(rates_module.get_rates), ", ""))
    assert rates_codes() == []
    write(project, "chatapp/routers/reports.py", """\
        from fastapi import APIRouter, Security

        from chatapp.utils.rates import get_rates

        router = APIRouter()


        @router.get("/report")
        def report(rates=Security(get_rates)):
            return rates
        """)
    assert rates_codes() == ["ASR301"]


def test_options_are_part_of_the_key(project: Path):
    plain = flake8(project).stdout
    option = "--async-route-blocking-calls=time.time"
    configured = flake8(project, option).stdout
    assert "ASR100" in configured and "ASR100" not in plain
    assert configured == fresh(project, option)
    entries = len(plugin_entries(project / CACHE))
    assert flake8(project).stdout == plain
    assert len(plugin_entries(project / CACHE)) == entries  # one entry per file, always


@pytest.mark.parametrize("cached", ["cold", "warm"])
def test_jobs_do_not_change_the_output(project: Path, cached: str):
    if cached == "warm":
        flake8(project, "--jobs=2")
    outputs = {jobs: sorted(flake8(project, f"--jobs={jobs}").stdout.splitlines())
               for jobs in (2, 1)}
    assert outputs[1] == outputs[2] == sorted(fresh(project, "--jobs=1").splitlines())


def test_the_default_directory_and_the_no_cache_setting(project: Path):
    default = run_flake8(["."], "--async-route-cache-dir=.asr-cache", cwd=project)
    assert plugin_entries(project / ".asr-cache")
    (project / "setup.cfg").write_text("[flake8]\nselect = ASR\nasync-route-no-cache = true\n")
    elsewhere = project / "elsewhere"
    configured = run_flake8(["."], f"--async-route-cache-dir={elsewhere}", cwd=project,
                            isolated=False, select=None)
    assert configured.stdout == default.stdout
    assert not elsewhere.exists()


def test_the_command_line_and_the_plugin_share_the_directory(project: Path):
    """Side by side: neither evicts the other's entries."""
    run(project, "check", ".")
    flake8(project)
    warm_cli = run(project, "check", ".")
    assert "flake8-async-route: cache: " in warm_cli.stderr
    assert " 0 misses" in warm_cli.stderr, warm_cli.stderr
    files = plugin_entries(project / CACHE)
    for entry in files.values():
        os.utime(entry, (OLD, OLD))
    flake8(project)
    assert all(entry.stat().st_mtime == OLD for entry in files.values())


def test_unusable_cache_dir_warns_once_and_findings_are_complete(project: Path):
    (project / "blocked").write_text("a file where the cache directory should be")
    result = flake8(project, "--async-route-cache-dir=blocked/cache", "--jobs=2")
    warnings = [line for line in result.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1 and "cannot use cache directory blocked/cache" in warnings[0]
    assert result.returncode == 1
    assert result.stdout == fresh(project, "--jobs=2")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs permissions that the user cannot override")
def test_read_only_cache_dir_warns_once_per_process(project: Path):
    cache = project / "ro"
    cache.mkdir()
    cache.chmod(0o555)
    try:
        result = flake8(project, "--async-route-cache-dir=ro", "--jobs=1")
    finally:
        cache.chmod(0o755)
    assert result.stderr.count("cannot write to cache directory") == 1
    assert result.stdout == fresh(project, "--jobs=1")


def test_corrupt_entry_is_ignored_and_rewritten(project: Path):
    cold = flake8(project).stdout
    entry = plugin_entries(project / CACHE)["chatapp/routers/auths.py"]
    for garbage in (b"\x00\xff garbage {", b'{"stored": [[1, 2]]}', b"[]"):
        entry.write_bytes(garbage)
        assert flake8(project).stdout == cold
    assert plugin_entries(project / CACHE)["chatapp/routers/auths.py"].read_bytes() != b"[]"


def dependency_list(cache: Path, name: str) -> list[str]:
    """The paths of a list, through its bases (see cache_lists.py)."""
    link = json.loads((cache / f"{name}.deps").read_bytes())
    below = dependency_list(cache, link["base"]) if link["base"] else []
    return below + link["paths"]


def whole_project_routers(project: Path, count: int) -> list[Path]:
    """Routers passing a `requests.Session` to one helper: the analysis of each searches
    the project for the helper's callers (to type its parameter), so each depends on
    every file of it."""
    write(project, "app/__init__.py", "")
    write(project, "app/routers/__init__.py", "")
    write(project, "app/helpers.py", """\
        def fetch(client, url):
            return client.get(url)
        """)
    for number in range(count):
        write(project, f"app/routers/r{number}.py", f"""\
            import requests
            from fastapi import APIRouter

            from app import helpers

            router = APIRouter()


            @router.get("/r{number}")
            async def r{number}():
                return helpers.fetch(requests.Session(), "https://example.com/{number}")
            """)
    return sorted((project / "app/routers").glob("r*.py"))


def list_of(cache: Path, router: Path) -> str:
    """The name of the list the router's entry names."""
    entry = plugin_entries(cache)[router.relative_to(cache.parent).as_posix()]
    return json.loads(entry.read_bytes())["dependencies"]


def test_entries_share_the_lists_of_what_they_depend_on(tmp_path: Path):
    """Each entry names a list of its files instead of holding it: files depending on the
    whole project share one, so the cache holds each path about once, not once per entry."""
    routers = whole_project_routers(tmp_path, 12)
    assert flake8(tmp_path, "--jobs=1").stdout.count("ASR110") == 12
    cache = tmp_path / CACHE
    composed = {router: dependency_list(cache, list_of(cache, router)) for router in routers}
    for router, paths in composed.items():
        others = {str(other.resolve()) for other in routers if other != router}
        assert others <= set(paths) and len(set(paths)) == len(paths), router
    written = sum(len(json.loads(f.read_bytes())["paths"]) for f in cache.glob("*.deps"))
    assert written * 6 < sum(map(len, composed.values())), written


def test_a_damaged_or_missing_list_is_a_miss(tmp_path: Path):
    """Not JSON; JSON of another shape; a well-formed list of other paths: the entry
    naming it misses, and is analysed and stored again. Its base gone: the file whose
    entry named the base (checked first) stores it again, or the entry misses."""
    routers = whole_project_routers(tmp_path, 3)
    cache = tmp_path / CACHE
    for damage in (b"\x00{", b'{"paths": 3}', b'{"base":"","paths":[]}', None):
        shutil.rmtree(cache, ignore_errors=True)
        cold = flake8(tmp_path, "--jobs=1").stdout
        router = next(r for r in routers
                      if json.loads((cache / f"{list_of(cache, r)}.deps").read_bytes())["base"])
        entry = plugin_entries(cache)[router.relative_to(tmp_path).as_posix()]
        link = cache / f"{list_of(cache, router)}.deps"
        if damage is None:
            (cache / f"{json.loads(link.read_bytes())['base']}.deps").unlink()
        else:
            link.write_bytes(damage)
        os.utime(entry, (OLD, OLD))
        assert flake8(tmp_path, "--jobs=1").stdout == cold
        rewritten = plugin_entries(cache)[router.relative_to(tmp_path).as_posix()]
        assert damage is None or rewritten.stat().st_mtime != OLD, damage
        paths = dependency_list(cache, list_of(cache, router))
        assert {str(r.resolve()) for r in routers} - {str(router.resolve())} <= set(paths)


def test_lists_unused_for_a_month_are_removed(tmp_path: Path):
    """A run that stores an entry removes the lists no run read or stored for 30 days;
    an entry naming one misses once, and stores it again."""
    routers = whole_project_routers(tmp_path, 3)
    cold = flake8(tmp_path, "--jobs=1").stdout
    cache = tmp_path / CACHE
    orphan = cache / f"{'0' * 32}.deps"
    orphan.write_text('{"base":"","paths":[]}')
    for listed in cache.glob("*.deps"):
        os.utime(listed, (OLD, OLD))  # 2001
    assert flake8(tmp_path, "--jobs=1").stdout == cold  # reads every list an entry names
    used = {listed for listed in cache.glob("*.deps") if listed.stat().st_mtime != OLD}
    assert used == set(cache.glob("*.deps")) - {orphan} and orphan.exists()
    routers[0].write_text(routers[0].read_text() + "\n")
    assert flake8(tmp_path, "--jobs=1").stdout == cold == fresh(tmp_path, "--jobs=1")
    assert not orphan.exists() and used <= set(cache.glob("*.deps"))
