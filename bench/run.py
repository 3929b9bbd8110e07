"""Benchmark flake8-async-route against its peers on real FastAPI applications.

In one run, side by side: bare flake8; flake8 with this plugin; flake8 with flake8-async
(`--select ASYNC`); `ruff check --select ASYNC --no-cache`; a plain `ast.parse` of every
file (the floor for a pure-Python checker); this project's audit CLI cold and warm, with one
process and with all cores. Medians of several runs, CPU time and peak memory of each, the
ratios the targets are stated in, the findings of each tool per rule family, and how time
and memory grow on a synthetic application from 10k to 1M lines. The result goes into the
marked section of BENCHMARKS.md. Standard library only; see bench/README.md.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (beside this script)

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
    ("gradio", "6.31.0"),
]
QUICK_CORPUS = CORPUS[:2]
PEERS = ["flake8-async==26.8.1", "ruff==0.17.6"]
# The apps need Python 3.11+ (3.12 suits all of them); the wheels are only unpacked, never
# installed, so they are downloaded for that version whatever Python runs this script.
WHEEL_PYTHON = "3.12"
SCALING_SIZES = [10_000, 100_000, 300_000, 1_000_000]
SECTION_START = "<!-- bench:start -->"
SECTION_END = "<!-- bench:end -->"
VENV_BIN = "Scripts" if os.name == "nt" else "bin"
PY = f"py{sys.version_info[0]}.{sys.version_info[1]}"  # venvs are per Python version
# The floor: read and parse every file, nothing else, in one process.
FLOOR_CODE = """\
import ast, sys
from pathlib import Path
for root in sys.argv[1:]:
    for path in sorted(Path(root).rglob("*.py")):
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError):
            continue
"""
# For scale: the floor, then one visit of every node that does nothing with it. An analysis
# that looks at each node once costs at least this.
VISIT_FLOOR_CODE = FLOOR_CODE + """\
        stack = [tree]
        while stack:
            stack.extend(ast.iter_child_nodes(stack.pop()))
"""
VISIT_FLOOR = "ast.parse + one visit of every node"
AUDIT_OVER_FLOOR = 1.5  # the target for a cold audit in one process


class Sample(NamedTuple):
    wall_s: float
    cpu_s: Optional[float]  # user + system time of the whole process tree (GNU time only)
    peak_kb: Optional[int]  # largest RSS of any single process in the tree (GNU time only)


@dataclass
class Measure:
    """One tool's runs on one corpus."""

    tool: str
    samples: List[Sample] = field(default_factory=list)
    crash: Optional[str] = None

    def median(self, attribute: str) -> Optional[float]:
        values = [getattr(s, attribute) for s in self.samples]
        if not values or values[0] is None:
            return None
        return statistics.median(values)

    @property
    def peak_mb(self) -> Optional[float]:
        peaks = [s.peak_kb for s in self.samples if s.peak_kb is not None]
        return max(peaks) / 1024 if peaks else None


class ToolCrash(Exception):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_quietly(cmd: Sequence[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


# ----- setup -------------------------------------------------------------------------------


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


class Venvs(NamedTuple):
    bare: Path  # python of a venv with flake8 only
    plugin: Path  # flake8 and this repository
    peers: Path  # flake8, flake8-async and ruff
    flake8_version: str


def build_venvs(cache: Path) -> Venvs:
    """The plugin is reinstalled from the working tree every time (pip always reinstalls a
    local directory), from a copy without build/ or hidden directories: setuptools builds
    in place, and a stale build/lib would put deleted modules back into the wheel. The other
    venvs get the same flake8 version."""
    plugin = ensure_venv(cache / f"venv-plugin-{PY}")
    log(f"installing {REPO_ROOT} into the plugin venv")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / REPO_ROOT.name
        shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(
            ".*", "build", "dist", "*.egg-info", "__pycache__"))
        run_quietly([str(plugin), "-m", "pip", "install", "-q", str(source)])
    flake8_version = installed_version(plugin, "flake8")
    bare = ensure_venv(cache / f"venv-bare-{PY}")
    peers = ensure_venv(cache / f"venv-peers-{PY}")
    for python, extra in ((bare, []), (peers, PEERS)):
        wanted = [f"flake8=={flake8_version}", *extra]
        have = [f"{name}=={installed_version(python, name)}"
                for name in (spec.split("==")[0] for spec in wanted)]
        if have != wanted:
            log(f"installing {' '.join(wanted)} into {python.parent.parent.name}")
            run_quietly([str(python), "-m", "pip", "install", "-q", *wanted])
    return Venvs(bare, plugin, peers, flake8_version)


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


def count_lines(directories: Sequence[Path]) -> Tuple[int, int]:
    """(lines, files) of the .py files below the directories."""
    files = [p for d in directories for p in d.rglob("*.py")]
    return sum(p.read_bytes().count(b"\n") for p in files), len(files)


def find_gnu_time() -> Optional[str]:
    """The path of a `time` that supports `-f %M -o FILE` (GNU time), if any."""
    path = shutil.which("time")
    if path is None:
        return None
    with tempfile.NamedTemporaryFile("r") as out:
        probe = subprocess.run([path, "-f", "%M", "-o", out.name, sys.executable, "-c", ""],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return path if probe.returncode == 0 and out.read().strip().isdigit() else None


# ----- the tools ---------------------------------------------------------------------------


@dataclass
class Tool:
    """How to run one tool on a corpus. `prepare` runs before every timed run (untimed);
    `findings` turns the output of a run into (path, line, code) triples."""

    name: str
    command: Callable[[Sequence[Path]], List[str]]
    prepare: Callable[[], None] = lambda: None
    findings: Optional[Callable[[str], List[Tuple[str, int, str]]]] = None
    ok_codes: Tuple[int, ...] = (0, 1)
    runs: Optional[int] = None  # fewer runs than the others, for a slow peer


FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<row>\d+):\d+: (?P<code>[A-Z]+\d+)")


def flake8_findings(output: str) -> List[Tuple[str, int, str]]:
    return [(m["path"], int(m["row"]), m["code"])
            for m in map(FLAKE8_LINE.match, output.splitlines()) if m]


def audit_findings(report_path: Path) -> Callable[[str], List[Tuple[str, int, str]]]:
    def read(_output: str) -> List[Tuple[str, int, str]]:
        data = json.loads(report_path.read_text(encoding="utf-8"))
        return [(f["path"], f["line"], f["code"]) for f in data["findings"]]
    return read


PLUGIN_COLD = "flake8 + flake8-async-route, cache cold"
PLUGIN_WARM = "flake8 + flake8-async-route, cache warm"


def make_tools(venvs: Venvs, jobs: int, work: Path) -> Dict[str, Tool]:
    def bin_of(python: Path, name: str) -> str:
        return str(python.with_name(name))

    flake8_args = ["--isolated", f"-j{jobs}", "--format", "%(path)s:%(row)d:%(col)d: %(code)s"]
    audit_cache = work / "audit-cache"
    plugin_cache = work / "plugin-cache"
    audit_report = work / "audit.json"

    def audit(jobs_here: int, warm: bool) -> Callable[[Sequence[Path]], List[str]]:
        def command(dirs: Sequence[Path]) -> List[str]:
            return [bin_of(venvs.plugin, "flake8-async-route"), "audit", "--quiet",
                    "--format", "json", "-o", str(audit_report), "--jobs", str(jobs_here),
                    "--cache-dir", str(audit_cache), *map(str, dirs)]
        return command

    def clear_audit_cache() -> None:
        shutil.rmtree(audit_cache, ignore_errors=True)

    def clear_plugin_cache() -> None:
        shutil.rmtree(plugin_cache, ignore_errors=True)

    def plugin(dirs: Sequence[Path]) -> List[str]:
        return [bin_of(venvs.plugin, "flake8"), *flake8_args,
                f"--async-route-cache-dir={plugin_cache}", *map(str, dirs)]

    return {
        "ast.parse floor": Tool(
            "ast.parse floor", lambda dirs: [str(venvs.plugin), "-c", FLOOR_CODE,
                                             *map(str, dirs)], ok_codes=(0,)),
        VISIT_FLOOR: Tool(
            VISIT_FLOOR, lambda dirs: [str(venvs.plugin), "-c", VISIT_FLOOR_CODE,
                                       *map(str, dirs)], ok_codes=(0,)),
        "bare flake8": Tool(
            "bare flake8", lambda dirs: [bin_of(venvs.bare, "flake8"), *flake8_args,
                                         *map(str, dirs)]),
        # The warm run comes right after the cold one, which fills the plugin's cache.
        PLUGIN_COLD: Tool(PLUGIN_COLD, plugin, prepare=clear_plugin_cache),
        PLUGIN_WARM: Tool(PLUGIN_WARM, plugin),
        "flake8 + flake8-async": Tool(
            "flake8 + flake8-async",
            lambda dirs: [bin_of(venvs.peers, "flake8"), *flake8_args, "--select", "ASYNC",
                          *map(str, dirs)], findings=flake8_findings),
        "ruff": Tool(
            "ruff", lambda dirs: [bin_of(venvs.peers, "ruff"), "check", "--select", "ASYNC",
                                  "--no-cache", "--output-format", "concise", "--quiet",
                                  *map(str, dirs)], findings=flake8_findings),
        "audit cold, 1 process": Tool(
            "audit cold, 1 process", audit(1, False), prepare=clear_audit_cache,
            findings=audit_findings(audit_report)),
        f"audit cold, {jobs} processes": Tool(
            f"audit cold, {jobs} processes", audit(jobs, False), prepare=clear_audit_cache),
        "audit warm, 1 process": Tool("audit warm, 1 process", audit(1, True)),
        f"audit warm, {jobs} processes": Tool(f"audit warm, {jobs} processes",
                                              audit(jobs, True)),
    }


def timed_run(cmd: List[str], gnu_time: Optional[str], ok_codes: Tuple[int, ...]
              ) -> Tuple[Sample, str]:
    """Run cmd once, under GNU time if there is one (it waits for the tool, which waits for
    its worker processes, so CPU time and peak RSS cover the workers too)."""
    with tempfile.NamedTemporaryFile("r") as report:
        wrapped = cmd if gnu_time is None else [gnu_time, "-f", "%U %S %M", "-o", report.name,
                                                *cmd]
        start = time.perf_counter()
        proc = subprocess.run(wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, errors="replace")
        elapsed = time.perf_counter() - start
        if proc.returncode not in ok_codes or "Traceback (most recent call last)" in proc.stderr:
            log(f"{shlex.join(cmd)} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
            last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
            raise ToolCrash(last or f"exit status {proc.returncode}")
        if gnu_time is None:
            return Sample(elapsed, None, None), proc.stdout
        # The last line: GNU time puts "Command exited with non-zero status 1" before it.
        user_s, system_s, peak_kb = report.read().splitlines()[-1].split()
        return Sample(elapsed, float(user_s) + float(system_s), int(peak_kb)), proc.stdout


def measure_all(tools: Sequence[Tool], dirs: Sequence[Path], runs: int,
                gnu_time: Optional[str], label: str) -> Tuple[Dict[str, Measure], Dict]:
    """Every tool `runs` times, interleaved (run 1 of each, then run 2 of each...) so that
    a slow period of the machine does not fall on one tool; the findings of each tool's
    last run."""
    measures = {tool.name: Measure(tool.name) for tool in tools}
    findings: Dict[str, List[Tuple[str, int, str]]] = {}
    for run in range(1, runs + 1):
        for tool in tools:
            measure = measures[tool.name]
            if measure.crash is not None or run > (tool.runs or runs):
                continue
            tool.prepare()
            try:
                sample, output = timed_run(tool.command(dirs), gnu_time, tool.ok_codes)
            except ToolCrash as crash:
                measure.crash = str(crash)
                continue
            measure.samples.append(sample)
            if tool.findings is not None:
                findings[tool.name] = tool.findings(output)
            log(f"  {label} run {run}/{runs}: {tool.name} {sample.wall_s:.2f}s")
    return measures, findings


def plugin_findings(venvs: Venvs, jobs: int,
                    dirs: Sequence[Path]) -> List[Tuple[str, int, str, str]]:
    """The plugin's findings with their messages (an untimed run with --select ASR)."""
    cmd = [str(venvs.plugin.with_name("flake8")), "--isolated", f"-j{jobs}", "--select", "ASR",
           "--async-route-no-cache",
           "--format", "%(path)s:%(row)d:%(col)d: %(code)s %(text)s", *map(str, dirs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    found = []
    for line in proc.stdout.splitlines():
        match = re.match(r"^(.+?):(\d+):\d+: (ASR\d+) (.*)$", line)
        if match:
            found.append((match[1], int(match[2]), match[3], match[4]))
    return found


# ----- reporting ---------------------------------------------------------------------------


def seconds(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def megabytes(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def tool_table(measures: Dict[str, Measure], runs: int) -> str:
    lines = ["| Tool | Runs | Wall median (s) | CPU median (s) | Peak RSS (MB) |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for measure in measures.values():
        if measure.crash is not None:
            lines.append(f"| {measure.tool} | | failed: `{measure.crash}` | | |")
            continue
        lines.append(f"| {measure.tool} | {len(measure.samples)} "
                     f"| {seconds(measure.median('wall_s'))} "
                     f"| {seconds(measure.median('cpu_s'))} | {megabytes(measure.peak_mb)} |")
    return "\n".join(lines)


def ratio(measures: Dict[str, Measure], top: str, bottom: str, attribute: str = "wall_s"
          ) -> Optional[float]:
    high, low = measures.get(top), measures.get(bottom)
    if high is None or low is None or high.crash or low.crash:
        return None
    a, b = high.median(attribute), low.median(attribute)
    return None if a is None or not b else a / b


def ratios_by_round(measures: Dict[str, Measure], top: str, bottom: str,
                    attribute: str = "wall_s") -> List[float]:
    """The ratio in each round of the interleaved runs: how much it moves between them."""
    high, low = measures.get(top), measures.get(bottom)
    if high is None or low is None or high.crash or low.crash:
        return []
    pairs = zip((getattr(s, attribute) for s in high.samples),
                (getattr(s, attribute) for s in low.samples))
    return [a / b for a, b in pairs if a is not None and b]


def peak_of(measures: Dict[str, Measure]) -> Optional[float]:
    """The largest process of any run of this project (the plugin or the audit)."""
    return max((m.peak_mb for name, m in measures.items()
                if m.peak_mb is not None and ("route" in name or name.startswith("audit"))),
               default=None)


def target_table(measures: Dict[str, Measure], jobs: int,
                 largest_synthetic: Optional[Tuple[int, Dict[str, Measure]]] = None) -> str:
    def row(what: str, value: Optional[float], limit: float, unit: str = "×",
            rounds: Sequence[float] = ()) -> str:
        by_round = " / ".join(f"{r:.2f}×" for r in rounds) if len(rounds) > 1 else ""
        if value is None:
            return f"| {what} | n/a | {by_round} | {limit:g}{unit} | ? |"
        shown = f"{value:.2f}{unit}" if unit == "×" else f"{value:.0f} {unit}"
        limit_shown = f"≤ {limit:g}{unit}" if unit == "×" else f"≤ {limit:g} {unit}"
        return (f"| {what} | {shown} | {by_round} | {limit_shown} "
                f"| {'✓' if value <= limit else '✗'} |")

    def pair(what: str, top: str, bottom: str, limit: float, attribute: str = "wall_s"):
        return row(what, ratio(measures, top, bottom, attribute), limit,
                   rounds=ratios_by_round(measures, top, bottom, attribute))

    cold1, coldn = "audit cold, 1 process", f"audit cold, {jobs} processes"
    warm = [f"audit warm, {jobs} processes", "audit warm, 1 process"]
    fastest_warm = min((measures[w].median("wall_s") for w in warm
                        if w in measures and not measures[w].crash), default=None)
    ruff = measures.get("ruff")
    ruff_wall = ruff.median("wall_s") if ruff and not ruff.crash else None
    warm_rounds = []
    if ruff_wall:
        fastest = [w for w in warm if w in measures and not measures[w].crash
                   and measures[w].median("wall_s") == fastest_warm][:1]
        warm_rounds = ratios_by_round(measures, fastest[0], "ruff") if fastest else []
    lines = ["| Target | Measured (median) | By round | Limit | Met |",
             "| --- | ---: | ---: | ---: | :---: |",
             pair("plugin, cache cold, over bare flake8, CPU time", PLUGIN_COLD, "bare flake8",
                  1.10, "cpu_s"),
             pair("plugin, cache cold, over bare flake8, wall time", PLUGIN_COLD,
                  "bare flake8", 1.10),
             pair("plugin, cache warm, over bare flake8, CPU time", PLUGIN_WARM, "bare flake8",
                  1.10, "cpu_s"),
             pair("audit cold (1 process) over the ast.parse floor", cold1, "ast.parse floor",
                  AUDIT_OVER_FLOOR),
             pair(f"audit cold ({jobs} processes) over audit cold (1 process)", coldn, cold1,
                  1.0),
             row("audit warm (fastest) over ruff cold",
                 fastest_warm / ruff_wall if fastest_warm and ruff_wall else None, 1.0,
                 rounds=warm_rounds),
             row("peak memory of one process, real corpus (plugin and audit runs)",
                 peak_of(measures), 300, "MB")]
    if largest_synthetic is not None:
        size, measured = largest_synthetic
        lines.append(row(f"peak memory of one process, synthetic {size:,}-line app "
                         "(plugin and audit runs)", peak_of(measured), 300, "MB"))
    return "\n".join(lines)


def visit_floor_note(measures: Dict[str, Measure]) -> str:
    """What the audit's target over the floor leaves for everything but parsing."""
    visit = ratio(measures, VISIT_FLOOR, "ast.parse floor", "wall_s")
    if visit is None:
        return "(The visit floor was not measured.)"
    by_round = ratios_by_round(measures, VISIT_FLOOR, "ast.parse floor")
    rounds = " / ".join(f"{r:.2f}×" for r in by_round)
    return (f"For scale: parsing every file and visiting each of its nodes once, doing "
            f"nothing with them (`{VISIT_FLOOR}`), takes {visit:.2f}× the floor ({rounds}). "
            "An analysis that looks at every node once cannot go below that in CPython; "
            f"the {AUDIT_OVER_FLOOR:g}× target leaves it "
            f"{max(AUDIT_OVER_FLOOR - visit, 0):.2f}× the parse for everything it does.")


def family(code: str) -> str:
    """ASR101 → ASR1xx, ASYNC230 → ASYNC2xx."""
    return code[:-2] + "xx"


FAMILY_NAMES = {
    "ASR0xx": "internal errors / unreadable files",
    "ASR1xx": "blocking calls in coroutines",
    "ASR2xx": "route shape",
    "ASR3xx": "thread-pool starvation",
    "ASYNC1xx": "structured concurrency, cancellation",
    "ASYNC2xx": "blocking calls in async functions",
    "ASYNC3xx": "misc (tasks without references, ...)",
    "ASYNC9xx": "opt-in checkpoint rules",
}


def findings_table(by_tool: Dict[str, List[Tuple[str, int, str]]]) -> str:
    counts = {tool: Counter(family(code) for _, _, code in found)
              for tool, found in by_tool.items()}
    families = sorted({f for c in counts.values() for f in c})
    lines = ["| Tool | " + " | ".join(f"{f} ({FAMILY_NAMES.get(f, '')})" for f in families)
             + " | total |",
             "| --- |" + " ---: |" * (len(families) + 1)]
    for tool, count in counts.items():
        lines.append(f"| {tool} | " + " | ".join(str(count.get(f, 0)) for f in families)
                     + f" | {sum(count.values())} |")
    return "\n".join(lines)


def missed_by_peers(ours: List[Tuple[str, int, str, str]],
                    peers: Dict[str, List[Tuple[str, int, str]]], size: int) -> Tuple[int, str]:
    """How many of our ASR1xx findings no peer reports on the same line, and an even sample
    of them, every family of ASR1xx code represented."""
    seen = {(os.path.abspath(path), line) for found in peers.values() for path, line, _ in found}
    missed = [f for f in ours if f[2].startswith("ASR1")
              and (os.path.abspath(f[0]), f[1]) not in seen]
    by_code: Dict[str, list] = {}
    for finding in sorted(missed):
        by_code.setdefault(finding[2], []).append(finding)
    sample: list = []
    while len(sample) < size and any(by_code.values()):
        for code in sorted(by_code):
            if by_code[code] and len(sample) < size:
                group = by_code[code]
                sample.append(group.pop(len(group) // 2))
    rows = ["| Where | Code | Message |", "| --- | --- | --- |"]
    for path, line, code, text in sorted(sample):
        text = text.replace("|", "\\|")
        text = text if len(text) <= 220 else text[:219] + "…"
        rows.append(f"| `{short_path(path)}:{line}` | {code} | {text} |")
    return len(missed), "\n".join(rows)


def short_path(path: str) -> str:
    """Relative to the corpus directory: `open-webui-0.12.4/open_webui/main.py`."""
    parts = Path(path).parts
    for index, part in enumerate(parts):
        if re.match(r"^[\w.-]+-\d[\w.]*$", part):
            return "/".join(parts[index:])
    return path


def scaling_table(rows: List[Tuple[int, Dict[str, Measure]]]) -> str:
    tools = list(rows[0][1]) if rows else []
    ratios = [("plugin cold / bare flake8", PLUGIN_COLD, "bare flake8"),
              ("audit cold 1 process / floor", "audit cold, 1 process", "ast.parse floor")]
    header = ("| Lines | " + " | ".join(f"{t} (s / MB)" for t in tools) + " | "
              + " | ".join(name for name, _, _ in ratios) + " |")
    lines = [header, "| ---: |" + " ---: |" * (len(tools) + len(ratios))]
    for size, measures in rows:
        cells = []
        for tool in tools:
            measure = measures[tool]
            cells.append(f"failed: `{measure.crash}`" if measure.crash else
                         f"{seconds(measure.median('wall_s'))} / {megabytes(measure.peak_mb)}")
        for _, top, bottom in ratios:
            value = ratio(measures, top, bottom)
            cells.append("n/a" if value is None else f"{value:.2f}×")
        lines.append(f"| {size:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def git_revision() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
                              check=True, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "diff", "--quiet", "HEAD"])
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes" if dirty.returncode else "")


def write_section(output: Path, section: str) -> None:
    """Replace the marked section of output (or append it), keeping everything else."""
    text = output.read_text(encoding="utf-8") if output.exists() else "# Benchmarks\n"
    start, end = text.find(SECTION_START), text.find(SECTION_END)
    if start != -1 and end > start:
        text = text[:start] + section + text[end + len(SECTION_END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    output.write_text(text, encoding="utf-8")


# ----- main --------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="only open-webui and dstack, and scaling up to 100k lines")
    parser.add_argument("--apps", default=None,
                        help="comma-separated names of the corpus apps to use (default: all)")
    parser.add_argument("--runs", type=int, default=3,
                        help="timed runs per tool (default: 3)")
    parser.add_argument("--slow-peer-runs", type=int, default=1,
                        help="timed runs of flake8-async, ~15x slower than flake8 (default: 1; "
                             "0 leaves it out)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="processes for flake8 -j and the audit (default: number of CPUs)")
    parser.add_argument("--sizes", default=None,
                        help="comma-separated synthetic sizes in lines "
                             f"(default: {','.join(map(str, SCALING_SIZES))}; 0 or '' skips)")
    parser.add_argument("--cache-dir", type=Path, default=REPO_ROOT / ".bench-cache",
                        help="wheels, venvs and corpora (default: .bench-cache/ in the repo)")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "BENCHMARKS.md",
                        help="Markdown file to update (default: BENCHMARKS.md in the repo root)")
    args = parser.parse_args()
    if args.runs < 1 or args.jobs < 1 or args.slow_peer_runs < 0:
        parser.error("--runs and --jobs must be at least 1, --slow-peer-runs at least 0")
    if args.sizes is None:
        args.sizes = [s for s in SCALING_SIZES if not args.quick or s <= 100_000]
    else:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip() and int(s) > 0]
    known = dict(CORPUS)
    if args.apps is not None:
        unknown = [name for name in args.apps.split(",") if name not in known]
        if unknown:
            parser.error(f"unknown apps: {', '.join(unknown)} (known: {', '.join(known)})")
        args.corpus = [(name, known[name]) for name in args.apps.split(",")]
    else:
        args.corpus = QUICK_CORPUS if args.quick else CORPUS
    args.cache_dir = args.cache_dir.resolve()
    return args


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    revision = git_revision()  # now: the plugin is installed from the tree as it is now
    venvs = build_venvs(args.cache_dir)
    gnu_time = find_gnu_time()
    if gnu_time is None:
        log("no GNU time found: CPU time and peak memory will not be reported")
    apps = [(name, version, fetch_app(venvs.plugin, name, version, args.cache_dir,
                                      args.cache_dir / "corpus"))
            for name, version in args.corpus]
    dirs = [directory for _, _, directory in apps]
    lines, files = count_lines(dirs)

    with tempfile.TemporaryDirectory(prefix="asr-bench-") as tmp:
        work = Path(tmp)
        tools = make_tools(venvs, args.jobs, work)
        tools["flake8 + flake8-async"].runs = args.slow_peer_runs
        if not args.slow_peer_runs:
            del tools["flake8 + flake8-async"]
        log(f"real corpus: {len(apps)} apps, {lines:,} lines, {files:,} files")
        # The first plugin run warms the file cache for every timed run after it.
        ours = plugin_findings(venvs, args.jobs, dirs)
        measures, found = measure_all(list(tools.values()), dirs, args.runs, gnu_time, "corpus")
        found = {"flake8-async-route (audit)": found.pop("audit cold, 1 process", []), **found}
        scaling = []
        scaling_tools = [tools[name] for name in (
            "ast.parse floor", "bare flake8", PLUGIN_COLD,
            "audit cold, 1 process", f"audit cold, {args.jobs} processes", "ruff")]
        for size in args.sizes:
            root = args.cache_dir / "synthetic" / str(size)
            if not root.is_dir():
                staging = Path(tempfile.mkdtemp(dir=args.cache_dir, prefix=".synthetic-"))
                synthetic.generate(size, staging)
                root.parent.mkdir(exist_ok=True)
                staging.rename(root)
            measured, _ = measure_all(scaling_tools, [root], 1, gnu_time, f"{size:,} lines")
            scaling.append((count_lines([root])[0], measured))

    peers = {name: found[name] for name in ("flake8 + flake8-async", "ruff") if name in found}
    missed_count, missed_sample = missed_by_peers(ours, peers, 12)
    corpus_rows = "\n".join(f"| {name} | {version} | {count_lines([d])[0]:,} |"
                            for name, version, d in apps)
    command = shlex.join(["python", *sys.argv])
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join([
        SECTION_START,
        "## Side by side on real FastAPI applications",
        "",
        f"Corpus: {len(apps)} applications from PyPI, {lines:,} lines in {files:,} files.",
        "",
        "| App | Version | Lines |", "| --- | --- | ---: |", corpus_rows,
        "",
        tool_table(measures, args.runs),
        "",
        "### Targets",
        "",
        target_table(measures, args.jobs, scaling[-1] if scaling else None),
        "",
        visit_floor_note(measures),
        "",
        "### Findings per rule family",
        "",
        findings_table({"flake8-async-route (audit)": found.get("flake8-async-route (audit)", []),
                        **peers}),
        "",
        f"Of this plugin's {sum(f[2].startswith('ASR1') for f in ours)} `ASR1xx` findings "
        f"(blocking calls on the event loop), {missed_count} are on lines where neither "
        "flake8-async nor ruff reports anything. A sample:",
        "",
        missed_sample,
        "",
        "### Scaling on a synthetic application",
        "",
        "Wall time (one run) and peak RSS of one process, by size "
        "(`bench/synthetic.py`: routers, models with sync sessions, helpers that block).",
        "",
        scaling_table(scaling) if scaling else "(skipped)",
        "",
        "### How this was measured",
        "",
        f"- Command: `{command}` (took {(time.perf_counter() - started) / 60:.1f} min)",
        f"- Date: {date}",
        f"- Machine: {os.cpu_count()} CPUs, {platform.platform()}, "
        f"Python {platform.python_version()}, flake8 {venvs.flake8_version}, "
        f"{', '.join(PEERS)}",
        f"- Plugin: flake8-async-route {installed_version(venvs.plugin, 'flake8-async-route')}, "
        f"commit {revision}",
        f"- Tools run interleaved, {args.runs} runs each (flake8-async {args.slow_peer_runs}: "
        f"it takes ~15× bare flake8's time); medians. flake8 runs are `flake8 --isolated "
        f"-j{args.jobs}`, the audit `flake8-async-route audit --format json --jobs N`; the "
        "plugin's and the audit's caches are emptied before each cold run, and each warm run "
        "follows a cold one. The floor reads and `ast.parse`s every file in one process; "
        "the visit floor then also visits every node of each tree once.",
        "- CPU is user + system time of the process tree (GNU time `%U + %S`); peak RSS is "
        "that of the largest single process of the tree (GNU time `%M`), highest over runs.",
        "- Findings: the audit's (this project's CLI, same engine as the plugin), "
        "`flake8 --select ASYNC` with flake8-async (its opt-in ASYNC9xx rules included) and "
        "`ruff check --select ASYNC`.",
        SECTION_END,
    ])
    write_section(args.output, section)
    print(section)
    crashed = [m.tool for m in measures.values() if m.crash]
    if crashed:
        sys.exit(f"some tools failed: {', '.join(crashed)} (see above)")


if __name__ == "__main__":
    main()
