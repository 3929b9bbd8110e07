"""scripts/real-code on a fake release already unpacked in its cache: no network.

The script is copied into a throwaway repository layout (tmp/scripts/real-code beside
tmp/realcode/) so it reads the data written here, and runs the checker installed in this Python.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "real-code"

APP = textwrap.dedent("""\
    import time

    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/slow")
    async def slow():
        time.sleep(1)
        return {"ok": True}


    @app.get("/fine")
    async def fine():
        return {"ok": True}


    @app.get("/files")
    async def files():
        with open("a.txt") as first:
            first.read()
        open("b.txt", "w").close()
        return {"ok": await refresh()}


    @app.get("/opaque")
    async def opaque():
        return lookup()
    """)
SLEEP_LINE = 10  # `time.sleep(1)`; ASR201 on `async def slow` (line 9) too
OPEN_LINE, REMOVE_LINE = 21, 23  # one ASR104 at the open() that lists the second open()
OPAQUE_LINE = 28  # `async def opaque`: only the opt-in ASR203 reports it


def make_repo(tmp_path: Path, files: dict) -> Path:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, repo / "scripts" / "real-code")
    for name, text in files.items():
        path = repo / "realcode" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return repo


def make_cache(tmp_path: Path) -> Path:
    """CACHE/fakeapp-1.0/ unpacked from a tiny wheel-like zip, as the script would leave it."""
    cache = tmp_path / "cache"
    wheel = tmp_path / "fakeapp-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zipped:
        zipped.writestr("fakeapp/__init__.py", "")
        zipped.writestr("fakeapp/server.py", APP)
        zipped.writestr("fakeapp-1.0.dist-info/METADATA", "Name: fakeapp\nVersion: 1.0\n")
    with zipfile.ZipFile(wheel) as zipped:
        zipped.extractall(cache / "fakeapp-1.0")
    return cache


def run(repo: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(repo / "scripts" / "real-code"), *args, "--cache-dir", str(cache)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300)


FIXES_HEADER = "package,version,file,line,codes,fixed_in,source,description\n"


def test_fixes_counts_a_fix_found_only_with_its_code_on_its_line(tmp_path):
    rows = (
        # found: the blocking sleep, with the code the checker gives it
        f"fakeapp,1.0,fakeapp/server.py,{SLEEP_LINE},ASR101|ASR110,1.1,o/r#1,"
        "\"time.sleep, moved\"\n"
        # missed: right line, wrong code
        f"fakeapp,1.0,fakeapp/server.py,{SLEEP_LINE},ASR102,1.1,o/r#2,sync http\n"
        # missed: right code, a line with no finding
        f"fakeapp,1.0,fakeapp/server.py,{SLEEP_LINE + 5},ASR101,1.1,o/r#3,another line\n"
        # not checked: a file the release does not have
        "fakeapp,1.0,fakeapp/gone.py,3,ASR101,1.1,o/r#4,renamed file\n"
    )
    repo = make_repo(tmp_path, {"fixes.csv": FIXES_HEADER + rows})
    cache = make_cache(tmp_path)

    done = run(repo, cache, "fixes")

    assert done.returncode == 0, done.stderr
    assert "fixes: found 1 of 3 at the fixed line" in done.stdout
    assert "o/r#2" in done.stdout and "o/r#3" in done.stdout
    assert f"reported near it: 9 ASR201, {SLEEP_LINE} ASR101" in done.stdout  # wrong code
    assert "fakeapp/gone.py is not in fakeapp==1.0" in done.stdout
    assert run(repo, cache, "fixes", "--strict").returncode == 1


def test_fixes_counts_a_fixed_line_folded_into_a_finding_at_another_line(tmp_path):
    rows = f"fakeapp,1.0,fakeapp/server.py,{REMOVE_LINE},ASR104,1.1,o/r#5,the truncation moved\n"
    repo = make_repo(tmp_path, {"fixes.csv": FIXES_HEADER + rows})

    done = run(repo, make_cache(tmp_path), "fixes")

    assert "fixes: found 1 of 1 at the fixed line (1 listed in a finding made at another " \
        "line)" in done.stdout, done.stdout
    assert f"folded: fakeapp==1.0 fakeapp/server.py:{REMOVE_LINE} into line {OPEN_LINE}" \
        in done.stdout


def test_apps_scores_judged_lost_and_unjudged_findings(tmp_path):
    reviewed = (
        "package,version,file,line,code,verdict,reason\n"
        f"fakeapp,1.0,fakeapp/server.py,{SLEEP_LINE},ASR101,TRUE,"
        "\"sleeps on the loop, per request\"\n"
        "fakeapp,1.0,fakeapp/server.py,9,ASR201,DEBATABLE,the sleep is its only call\n"
        "fakeapp,1.0,fakeapp/server.py,16,ASR101,TRUE,"
        "a TRUE finding the checker no longer reports\n"
        f"fakeapp,1.0,fakeapp/server.py,{OPEN_LINE},ASR104,DEBATABLE,two small files\n"
    )
    repo = make_repo(tmp_path, {
        "apps.csv": "package,version,category,root\nfakeapp,1.0,other,fakeapp\n",
        "reviewed/fakeapp.csv": reviewed,
    })
    cache = make_cache(tmp_path)

    done = run(repo, cache, "apps")

    assert done.returncode == 0, done.stderr
    assert "fakeapp==1.0 (other, fakeapp): TRUE 1, FALSE 0, DEBATABLE 2, unjudged 0; " \
        "precision 100%; bugs found 1" in done.stdout
    assert "lost TRUE: fakeapp/server.py:16 ASR101 --" in done.stdout
    assert run(repo, cache, "apps", "--strict").returncode == 1

    # A TRUE ASR201 that only the opt-in strict variant still reports is lost, and said so.
    (repo / "realcode" / "reviewed" / "fakeapp.csv").write_text(
        reviewed + f"fakeapp,1.0,fakeapp/server.py,{OPAQUE_LINE},ASR201,TRUE,opaque work\n")
    done = run(repo, cache, "apps")
    assert f"lost TRUE: fakeapp/server.py:{OPAQUE_LINE} ASR201 (reported by the opt-in " \
        "ASR203) -- opaque work" in done.stdout, done.stdout
    assert "lost TRUE findings: 2 (1 of them reported by an opt-in code)" in done.stdout

    # Judged FALSE instead, the sleep lowers precision; unjudged, it is listed.
    (repo / "realcode" / "reviewed" / "fakeapp.csv").write_text(
        reviewed.replace("ASR101,TRUE,\"sleeps", "ASR101,FALSE,\"sleeps")
        .replace("9,ASR201,DEBATABLE", "9,ASR999,DEBATABLE"))
    done = run(repo, cache, "apps", "--package", "fakeapp")
    assert "TRUE 0, FALSE 1, DEBATABLE 1, unjudged 1; precision 0%" in done.stdout
    assert "code 'ASR999' is not a code" not in done.stdout  # ASR999 is well formed
    assert "unjudged: fakeapp/server.py:9 ASR201" in done.stdout


def test_fixes_unpacks_an_sdist_already_downloaded_without_its_top_folder(tmp_path):
    """A release missing from the cache is unpacked from CACHE/dl/ when its archive is there."""
    cache = tmp_path / "cache"
    (cache / "dl").mkdir(parents=True)
    source = tmp_path / "src" / "fakeapp-1.0" / "fakeapp"
    source.mkdir(parents=True)
    (source / "server.py").write_text(APP)
    (source.parent / "PKG-INFO").write_text("Name: fakeapp\nVersion: 1.0\n")
    with tarfile.open(cache / "dl" / "fakeapp-1.0.tar.gz", "w:gz") as tarred:
        tarred.add(source.parent, arcname="fakeapp-1.0")
    repo = make_repo(tmp_path, {"fixes.csv": FIXES_HEADER + (
        f"fakeapp,1.0,fakeapp/server.py,{SLEEP_LINE},ASR101,1.1,o/r#1,time.sleep\n")})

    done = run(repo, cache, "fixes")

    assert "fixes: found 1 of 1 at the fixed line" in done.stdout, done.stdout + done.stderr
    assert (cache / "fakeapp-1.0" / "fakeapp" / "server.py").is_file()
    assert not (cache / "fakeapp-1.0" / "fakeapp-1.0").exists()
