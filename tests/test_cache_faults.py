"""The caches under faults, through the real command line and the real flake8: runs at once
on one cache, a run killed mid-write, a cache directory that is full or cannot be written.
Whatever happens to the cache, results are those of a run without it, and the run goes on."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import write
from test_cache_baseline import _command, age, cache_stats, entries, index_files, run

SHARED = "shared-cache"
FLAKE8 = [sys.executable, "-m", "flake8", "--isolated", "--select=ASR", "--jobs=2",
          f"--async-route-cache-dir={SHARED}", "."]
AUDIT = [*_command(), "audit", ".", "--format", "json", "--jobs", "2", "--cache-dir", SHARED]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and resource limits")


def expected(project: Path) -> tuple[str, str]:
    """(flake8's output, the audit's report) without any cache."""
    flake8 = subprocess.run([*FLAKE8[:-2], "--async-route-no-cache", "."], cwd=project,
                            capture_output=True, text=True, timeout=300)
    audit = run(project, *AUDIT[len(_command()):-2], "--no-cache")
    return flake8.stdout, audit.stdout


def started(project: Path, command: list, **options) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **options)


def finished(process: subprocess.Popen) -> tuple[str, str]:
    out, err = process.communicate(timeout=300)
    assert process.returncode in (0, 1) and "Traceback" not in err, err
    return out, err


def edit(project: Path, round_number: int) -> None:
    """A change a cache must notice: deep.py blocks on odd rounds, not on even ones."""
    body = "time.sleep(1)" if round_number % 2 else "return 1"
    write(project, "chatapp/utils/deep.py", f"""\
        import time  # round {round_number}


        def pause():
            {body}
        """)


def test_flake8_and_audits_at_once_on_one_cache(project: Path):
    """flake8 -j2 and two audits, started together on one cache directory, three rounds
    with an edit between them: every output is the one without a cache."""
    for round_number in range(3):
        edit(project, round_number)
        flake8_alone, audit_alone = expected(project)
        processes = [started(project, FLAKE8), started(project, AUDIT),
                     started(project, AUDIT)]
        outputs = [finished(process)[0] for process in processes]
        assert outputs == [flake8_alone, audit_alone, audit_alone], round_number
    warm = run(project, *AUDIT[len(_command()):])
    assert warm.stdout == audit_alone and cache_stats(warm)[1] == 0


def test_runs_killed_at_any_moment_leave_a_cache_that_gives_right_answers(project: Path):
    """SIGKILL at a spread of moments, some of them while the index is being written: the
    next run's results are right, and it reuses what the cache still holds."""
    age(project)
    flake8_alone, audit_alone = expected(project)
    for delay in (0.1, 0.3, 0.6, 0.9, 1.2, 1.8):
        for command in (AUDIT, FLAKE8):
            process = started(project, command, start_new_session=True)
            time.sleep(delay)
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=60)
        edit(project, int(delay * 10))
        flake8_alone, audit_alone = expected(project)
        assert finished(started(project, AUDIT))[0] == audit_alone, delay
        assert finished(started(project, FLAKE8))[0] == flake8_alone, delay


def test_what_a_killed_write_leaves_is_ignored_then_removed(project: Path):
    """A temporary file half written, and an index newer than its dependency file (killed
    between the two renames): misses at worst, never a wrong answer."""
    run(project, *AUDIT[len(_command()):])
    cache = project / SHARED
    index, dependencies = index_files(cache)
    stale = cache / ".asr-0000.tmp"
    stale.write_bytes(index.read_bytes()[:100])
    os.utime(stale, (time.time() - 2 * 3600,) * 2)
    fresh_temporary = cache / ".asr-1111.tmp"
    fresh_temporary.write_bytes(b"{")
    older = dependencies.read_bytes()
    edit(project, 1)
    run(project, *AUDIT[len(_command()):])
    dependencies.write_bytes(older)  # the index of the second run, the first's dependencies
    edit(project, 2)
    _, audit_alone = expected(project)
    after = run(project, *AUDIT[len(_command()):])
    assert after.stdout == audit_alone
    assert cache_stats(after)[1] == len(entries(cache))  # nothing could be trusted
    assert not stale.exists() and fresh_temporary.exists()  # another run may be writing it


def limited_file_size(limit: int):
    """For preexec_fn: writes past `limit` bytes fail with EFBIG, as on a full disk."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_cache_directory_warns_once_and_results_are_right(project: Path):
    flake8_alone, audit_alone = expected(project)
    full = limited_file_size(200)  # .gitignore fits; an index, an entry, a list does not
    audit = started(project, AUDIT, env={**os.environ, "FLAKE8_ASYNC_ROUTE_CACHE_STATS": "1"},
                    preexec_fn=full)
    out, err = finished(audit)
    assert out == audit_alone
    assert err.count("warning") == 1 and "File too large" in err, err
    flake8 = started(project, FLAKE8, preexec_fn=full)
    out, err = finished(flake8)
    assert out == flake8_alone
    assert 1 <= err.count("cannot write to cache directory") <= 3, err  # once per process
    assert not list((project / SHARED).glob("*.index"))
    later = run(project, *AUDIT[len(_command()):])  # the disk has room again
    assert later.stdout == audit_alone and cache_stats(later)[1] > 0


def test_an_index_that_cannot_be_replaced_warns_and_results_are_right(project: Path):
    """Root can write anywhere: a directory where the index goes makes its rename fail."""
    run(project, *AUDIT[len(_command()):])
    index, _ = index_files(project / SHARED)
    index.unlink()
    index.mkdir()
    edit(project, 1)
    _, audit_alone = expected(project)
    result = run(project, *AUDIT[len(_command()):])
    assert result.stdout == audit_alone
    assert result.stderr.count("warning") == 1 and "cannot write" in result.stderr
