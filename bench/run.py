"""Measure what flake8-async-route adds to a flake8 run on real FastAPI applications.

Downloads pinned wheels of open-source FastAPI applications, builds two venvs (flake8 alone,
and flake8 plus this repository's plugin, same flake8 version), times `flake8 --isolated`
with each on every application and on all of them together, and writes a Markdown report
into a marked section of BENCHMARKS.md. Standard library only; see bench/README.md.
"""
import argparse
import datetime
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, NamedTuple, Optional, Sequence, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = [
    ("open-webui", "0.12.4"),
    ("dstack", "0.22.5"),
    ("letta", "0.16.8"),
    ("arize-phoenix", "20.26.1"),
    ("langflow-base", "1.13.0"),
    ("chainlit", "2.12.0"),
    ("khoj", "1.42.10"),
    ("fastapi-users", "15.0.5"),
    ("prefect", "3.9.1"),
]
QUICK_CORPUS = CORPUS[:2]
# The apps need Python 3.11+ (3.12 suits all of them); the wheels are only unpacked, never
# installed, so they are downloaded for that version whatever Python runs this script.
WHEEL_PYTHON = "3.12"
INTERNAL_ERROR = "ASR000"  # what the plugin reports when it fails on a file
MAX_RATIO = 1.10
MAX_PEAK_MB = 300
TARGET = f"Target: plugin ≤ {MAX_RATIO:.2f}× bare flake8; peak memory ≤ {MAX_PEAK_MB} MB"
SECTION_START = "<!-- bench:plugin-overhead:start -->"
SECTION_END = "<!-- bench:plugin-overhead:end -->"
VENV_BIN = "Scripts" if os.name == "nt" else "bin"
PY = f"py{sys.version_info[0]}.{sys.version_info[1]}"  # venvs are per Python version


class Sample(NamedTuple):
    wall_s: float
    cpu_s: Optional[float]  # user + system time of the whole process tree (GNU time only)
    peak_kb: Optional[int]  # largest RSS of any single process in the tree (GNU time only)


@dataclass
class Row:
    name: str
    dirs: List[Path]
    lines: int
    bare: List[Sample] = field(default_factory=list)
    plugin: List[Sample] = field(default_factory=list)
    findings: int = 0
    internal_errors: int = 0  # ASR000: the plugin caught an exception of its own on a file
    unparsed: int = 0
    crash: Optional[str] = None

    @property
    def ratio(self) -> float:
        return median_of(self.plugin, "wall_s") / median_of(self.bare, "wall_s")

    @property
    def cpu_ratio(self) -> Optional[float]:
        if self.plugin[0].cpu_s is None:
            return None
        return median_of(self.plugin, "cpu_s") / median_of(self.bare, "cpu_s")

    @property
    def peak_mb(self) -> Optional[float]:
        if self.plugin[0].peak_kb is None:
            return None
        return max(sample.peak_kb for sample in self.plugin) / 1024

    @property
    def meets_target(self) -> bool:
        return (self.crash is None and self.ratio <= MAX_RATIO
                and (self.peak_mb is None or self.peak_mb <= MAX_PEAK_MB))


class Flake8Crash(Exception):
    pass


def median_of(samples: Sequence[Sample], attribute: str) -> float:
    return statistics.median(getattr(sample, attribute) for sample in samples)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_quietly(cmd: Sequence[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def venv_python(venv_dir: Path) -> Path:
    return venv_dir / VENV_BIN / "python"


def ensure_venv(venv_dir: Path) -> Path:
    if not venv_python(venv_dir).exists():
        log(f"creating venv {venv_dir}")
        venv.create(venv_dir, with_pip=True)
    return venv_python(venv_dir)


def installed_version(python: Path, distribution: str) -> Optional[str]:
    code = ("import importlib.metadata as m, sys\n"
            "try: print(m.version(sys.argv[1]))\n"
            "except m.PackageNotFoundError: pass")
    out = subprocess.run([str(python), "-c", code, distribution],
                         check=True, capture_output=True, text=True).stdout.strip()
    return out or None


def build_venvs(cache: Path) -> Tuple[Path, Path, str]:
    """Return the flake8 executables of the bare and plugin venvs, and their flake8 version.

    The plugin is reinstalled from the working tree every time (pip always reinstalls a
    local directory), so the numbers are for the code as it is now. It is built from a copy
    without build/ or hidden directories: setuptools builds in place, and a stale build/lib
    would put deleted modules back into the wheel.
    """
    plugin_python = ensure_venv(cache / f"venv-plugin-{PY}")
    log(f"installing {REPO_ROOT} into the plugin venv")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / REPO_ROOT.name
        shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(
            ".*", "build", "dist", "*.egg-info", "__pycache__"))
        run_quietly([str(plugin_python), "-m", "pip", "install", "-q", str(source)])
    flake8_version = installed_version(plugin_python, "flake8")
    bare_python = ensure_venv(cache / f"venv-bare-{PY}")
    if installed_version(bare_python, "flake8") != flake8_version:
        log(f"installing flake8=={flake8_version} into the bare venv")
        run_quietly([str(bare_python), "-m", "pip", "install", "-q", f"flake8=={flake8_version}"])
    return bare_python.with_name("flake8"), plugin_python.with_name("flake8"), flake8_version


def fetch_app(python: Path, name: str, version: str, cache: Path, corpus_dir: Path) -> Path:
    """Download the app's wheel (once) and unpack its .py files to corpus_dir/NAME-VERSION."""
    target = corpus_dir / f"{name}-{version}"
    if target.is_dir():
        return target
    wheel_dir = cache / "wheels" / f"{name}-{version}"
    if not list(wheel_dir.glob("*.whl")):
        log(f"downloading {name}=={version}")
        run_quietly([str(python), "-m", "pip", "download", "-q", "--no-deps",
                     "--only-binary=:all:", "--python-version", WHEEL_PYTHON,
                     f"{name}=={version}", "-d", str(wheel_dir)])
    (wheel,) = wheel_dir.glob("*.whl")
    corpus_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=corpus_dir, prefix=f".{target.name}-"))
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.endswith(".py"):
                archive.extract(member, staging)
    staging.rename(target)
    return target


def count_lines(directory: Path) -> int:
    return sum(path.read_bytes().count(b"\n") for path in directory.rglob("*.py"))


def find_gnu_time() -> Optional[str]:
    """Return the path of a `time` that supports `-f %M -o FILE` (GNU time), if any."""
    path = shutil.which("time")
    if path is None:
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        probe = subprocess.run([path, "-f", "%M", "-o", out.name, sys.executable, "-c", ""],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return path if probe.returncode == 0 and out.read().strip().isdigit() else None


def flake8_command(flake8: Path, jobs: int, dirs: Sequence[Path]) -> List[str]:
    return [str(flake8), "--isolated", f"-j{jobs}", *map(str, dirs)]


def check_flake8(proc: subprocess.CompletedProcess, cmd: Sequence[str]) -> None:
    """Raise Flake8Crash unless flake8 finished: it exits 1 when it reports anything, and
    also when an uncaught exception (in a plugin, say) ends it, hence the traceback check."""
    if proc.returncode not in (0, 1) or "Traceback (most recent call last)" in proc.stderr:
        log(f"{shlex.join(cmd)} crashed (exit {proc.returncode}):\n{proc.stderr}")
        last_line = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
        raise Flake8Crash(last_line or f"exit status {proc.returncode}")


def timed_run(cmd: List[str], gnu_time: Optional[str]) -> Sample:
    """Run cmd once, under GNU time if there is one (it waits for flake8, which waits for
    its worker processes, so CPU time and peak RSS cover the workers too)."""
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = cmd if gnu_time is None else [gnu_time, "-f", "%U %S %M", "-o", report.name,
                                                *cmd]
        start = time.perf_counter()
        proc = subprocess.run(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        elapsed = time.perf_counter() - start
        check_flake8(proc, cmd)
        if gnu_time is None:
            return Sample(elapsed, None, None)
        # The last line: GNU time puts "Command exited with non-zero status 1" before it.
        user_s, system_s, peak_kb = report.read().splitlines()[-1].split()
        return Sample(elapsed, float(user_s) + float(system_s), int(peak_kb))


def count_findings(row: Row, plugin_flake8: Path, jobs: int) -> None:
    """Count the row's ASR findings, ASR000 internal errors and unparsable files (E999)."""
    cmd = [*flake8_command(plugin_flake8, jobs, row.dirs), "--select", "ASR,E999",
           "--format", "%(code)s"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    check_flake8(proc, cmd)
    codes = proc.stdout.split()
    row.internal_errors = codes.count(INTERNAL_ERROR)
    row.findings = sum(code.startswith("ASR") for code in codes) - row.internal_errors
    row.unparsed = codes.count("E999")


def measure(row: Row, bare: Path, plugin: Path, jobs: int, runs: int,
            gnu_time: Optional[str]) -> None:
    """Fill in the row; if flake8 crashes, record why and skip the rest: a run cut short
    by a crash has no meaningful time."""
    log(f"{row.name}: {row.lines:,} lines")
    try:
        # The findings run comes first: it also warms the file cache for the timed runs.
        count_findings(row, plugin, jobs)
        for run in range(1, runs + 1):
            row.bare.append(timed_run(flake8_command(bare, jobs, row.dirs), gnu_time))
            row.plugin.append(timed_run(flake8_command(plugin, jobs, row.dirs), gnu_time))
            log(f"  {row.name} run {run}/{runs}: bare {row.bare[-1].wall_s:.2f}s, "
                f"plugin {row.plugin[-1].wall_s:.2f}s")
    except Flake8Crash as crash:
        row.crash = str(crash)


def git_revision() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
                              check=True, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "diff", "--quiet", "HEAD"])
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes" if dirty.returncode else "")


def render_table(rows: Sequence[Row]) -> str:
    lines = ["| App | Lines | Bare median (s) | Plugin median (s) | Plugin/bare "
             "| Plugin/bare CPU | Plugin peak (MB) | ASR findings | Target |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |"]
    for row in rows:
        if row.crash is not None:
            lines.append(f"| {row.name} | {row.lines:,} | | | | | | "
                         f"| ✗ flake8 crashed: `{row.crash}` |")
            continue
        cpu_ratio = "n/a" if row.cpu_ratio is None else f"{row.cpu_ratio:.2f}×"
        peak = "n/a" if row.peak_mb is None else f"{row.peak_mb:.0f}"
        findings = str(row.findings)
        if row.internal_errors:
            findings += f" (+{row.internal_errors} {INTERNAL_ERROR})"
        lines.append(
            f"| {row.name} | {row.lines:,} | {median_of(row.bare, 'wall_s'):.2f} "
            f"| {median_of(row.plugin, 'wall_s'):.2f} | {row.ratio:.2f}× | {cpu_ratio} | {peak} "
            f"| {findings} | {'✓' if row.meets_target else '✗'} |")
    return "\n".join(lines)


def unparsed_note(count: int) -> str:
    return (f"- Warning: {count} files do not parse under Python {platform.python_version()} "
            "(E999); flake8 runs no AST plugin on them, so these numbers understate the "
            f"plugin's cost. Run with Python {WHEEL_PYTHON}.")


def render_section(rows: Sequence[Row], args: argparse.Namespace, flake8_version: str,
                   plugin_version: str, gnu_time: Optional[str], unparsed: int,
                   elapsed_s: float) -> str:
    command = shlex.join(["python", *sys.argv])
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    measured = ("Plugin/bare CPU compares medians of user + system time of the process tree "
                "(GNU time `%U + %S`), which other load on the machine disturbs less than wall "
                "time. Plugin peak is the largest resident set of any one process in the tree "
                "(GNU time `%M`), highest over the plugin runs." if gnu_time else
                "CPU time and peak memory were not measured (no GNU time).")
    return "\n".join([
        SECTION_START,
        "## Plugin overhead on real FastAPI applications",
        "",
        TARGET,
        "",
        render_table(rows),
        "",
        f"- Command: `{command}` (took {elapsed_s / 60:.1f} min)",
        f"- Date: {date}",
        f"- Machine: {os.cpu_count()} CPUs, {platform.platform()}, "
        f"Python {platform.python_version()}, flake8 {flake8_version}",
        f"- Plugin: flake8-async-route {plugin_version}, commit {git_revision()}",
        f"- Each row runs `flake8 --isolated -j{args.jobs} <app dirs>` {args.runs} times with "
        "the bare venv and the plugin venv, alternating; times are medians of wall time. "
        "The total row lints all apps in one invocation. ✓/✗ is on the wall-time ratio and "
        "the peak.",
        f"- {measured}",
        "- ASR findings: one more plugin run with `--select ASR,E999` (E999: files that do "
        f"not parse); {INTERNAL_ERROR}, the plugin's report of its own failure on a file, is "
        "counted apart.",
        *([unparsed_note(unparsed)] if unparsed else []),
        SECTION_END,
    ])


def write_section(output: Path, section: str) -> None:
    """Replace the marked section of output (or append it), keeping everything else."""
    text = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    start, end = text.find(SECTION_START), text.find(SECTION_END)
    if start != -1 and end > start:
        text = text[:start] + section + text[end + len(SECTION_END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    output.write_text(text, encoding="utf-8")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="only the first two apps (open-webui and dstack)")
    parser.add_argument("--runs", type=int, default=5,
                        help="timed runs per venv and app (default: 5)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="flake8 -j value (default: number of CPUs)")
    parser.add_argument("--cache-dir", type=Path, default=REPO_ROOT / ".bench-cache",
                        help="wheels and venvs (default: .bench-cache/ in the repo root)")
    parser.add_argument("--corpus-dir", type=Path,
                        help="where apps are unpacked as NAME-VERSION/; existing ones are "
                             "reused (default: CACHE_DIR/corpus)")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "BENCHMARKS.md",
                        help="Markdown file to update (default: BENCHMARKS.md in the repo root)")
    args = parser.parse_args()
    if args.runs < 1 or args.jobs < 1:
        parser.error("--runs and --jobs must be at least 1")
    args.cache_dir = args.cache_dir.resolve()
    args.corpus_dir = (args.corpus_dir or args.cache_dir / "corpus").resolve()
    return args


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    bare, plugin, flake8_version = build_venvs(args.cache_dir)
    plugin_python = plugin.with_name("python")
    plugin_version = installed_version(plugin_python, "flake8-async-route")
    gnu_time = find_gnu_time()
    if gnu_time is None:
        log("no GNU time found: CPU time and peak memory will not be reported")

    apps = []
    for name, version in QUICK_CORPUS if args.quick else CORPUS:
        app_dir = fetch_app(plugin_python, name, version, args.cache_dir, args.corpus_dir)
        apps.append(Row(f"{name} {version}", [app_dir], count_lines(app_dir)))
    for row in apps:
        measure(row, bare, plugin, args.jobs, args.runs, gnu_time)
    # The total runs all apps in one invocation, leaving out any that crashed flake8.
    survivors = [row for row in apps if row.crash is None]
    crashed = [row.name for row in apps if row.crash is not None]
    rows = list(apps)
    if survivors:
        total = Row("**total**" + (f" (without {', '.join(crashed)})" if crashed else ""),
                    [d for row in survivors for d in row.dirs],
                    sum(row.lines for row in survivors))
        measure(total, bare, plugin, args.jobs, args.runs, gnu_time)
        rows.append(total)

    unparsed = sum(row.unparsed for row in apps)
    section = render_section(rows, args, flake8_version, plugin_version or "unknown", gnu_time,
                             unparsed, time.perf_counter() - started)
    write_section(args.output, section)
    print(TARGET)
    print()
    print(render_table(rows))
    if unparsed:
        print(unparsed_note(unparsed))
    print(f"\nwritten to {args.output}")
    if any(row.crash is not None for row in rows):
        sys.exit("flake8 crashed on some apps: see the tracebacks above")


if __name__ == "__main__":
    main()
