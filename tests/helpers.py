"""Run the real flake8 in a subprocess and read its findings and the files' expectations."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import NamedTuple, Sequence, Union

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT_FORMAT = "%(path)s:%(row)d:%(col)d: %(code)s %(text)s"
FLAKE8_TIMEOUT_SECONDS = 300

PathArg = Union[str, os.PathLike]

_FINDING_LINE = re.compile(
    r"^(?P<path>.+?):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$"
)
_EXPECTATION = re.compile(r"#\s*error:(?P<codes>.*)$")
_CODE = re.compile(r"^[A-Z]+\d+$")
_ARGS_HEADER = re.compile(r"^#\s*flake8-args:(?P<args>.*)$")


class Finding(NamedTuple):
    path: str
    row: int
    col: int
    code: str
    text: str


def run_flake8(
    paths: PathArg | Sequence[PathArg],
    *extra_args: str,
    cwd: PathArg | None = None,
    isolated: bool = True,
    select: str | None = "ASR",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run flake8 on `paths`; `isolated` ignores config files, `select=None` keeps the config's.
    Unless the arguments say where the plugin's cache is, it gets an empty one, so every run
    analyses every file (tests/test_plugin_cache.py tests the cache itself)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    command = [sys.executable, "-m", "flake8", f"--format={OUTPUT_FORMAT}"]
    if isolated:
        command.append("--isolated")
    if select is not None:
        command.append(f"--select={select}")
    with tempfile.TemporaryDirectory(prefix="asr-flake8-cache-") as cache:
        if not any(a.startswith(("--async-route-cache-dir", "--async-route-no-cache"))
                   for a in extra_args):
            command.append(f"--async-route-cache-dir={cache}")
        command += [*extra_args, *map(str, paths)]
        return subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=FLAKE8_TIMEOUT_SECONDS,
            env=None if env is None else {**os.environ, **env},
        )


def flake8_crashed(result: subprocess.CompletedProcess[str]) -> bool:
    """Whether flake8 itself or any plugin raised, rather than just reporting findings."""
    return (
        result.returncode not in (0, 1)
        or "Traceback" in result.stderr
        or "failed during execution" in result.stdout + result.stderr
    )


def parse_output(stdout: str) -> list[Finding]:
    """Findings in flake8 output written with OUTPUT_FORMAT; other lines are ignored."""
    findings = []
    for line in stdout.splitlines():
        match = _FINDING_LINE.match(line)
        if match:
            findings.append(
                Finding(
                    path=match["path"],
                    row=int(match["row"]),
                    col=int(match["col"]),
                    code=match["code"],
                    text=match["text"],
                )
            )
    return findings


def read_expectations(path: PathArg) -> Counter[tuple[int, str]]:
    """Count the `# error: CODE[, CODE...] [-- why]` comments of a file per (line, code)."""
    expected: Counter[tuple[int, str]] = Counter()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for line_number, line in enumerate(lines, start=1):
        match = _EXPECTATION.search(line)
        if match:
            for code in _codes_in(match["codes"], f"{path}:{line_number}"):
                expected[(line_number, code)] += 1
    return expected


def _codes_in(annotation: str, where: str) -> list[str]:
    codes_part = annotation.split(" -- ", 1)[0]
    codes = [code.strip() for code in codes_part.split(",")]
    malformed = [code for code in codes if not _CODE.match(code)]
    if malformed:
        raise ValueError(f"{where}: malformed code(s) in '# error:' comment: {malformed}")
    return codes


def read_flake8_args(path: PathArg) -> tuple[str, ...]:
    """Extra flake8 arguments from a first-line `# flake8-args: ...` header, if any."""
    with open(path, encoding="utf-8") as handle:
        first_line = handle.readline().strip()
    match = _ARGS_HEADER.match(first_line)
    return tuple(shlex.split(match["args"])) if match else ()


def describe_mismatch(
    name: str,
    expected: Counter[tuple[int, str]],
    actual: Counter[tuple[int, str]],
    found: list[Finding],
) -> str:
    """A report of the findings `expected` lacks and the ones `found` has beyond it."""
    lines = [f"{name}: findings differ from the '# error:' comments"]
    for (row, code), count in sorted((expected - actual).items()):
        lines.append(f"  missing     line {row}: {code}" + (f" (x{count})" if count > 1 else ""))
    unexpected = actual - expected
    for finding in sorted(found):
        key = (finding.row, finding.code)
        if unexpected[key] > 0:
            unexpected[key] -= 1
            lines.append(
                f"  unexpected  line {finding.row}:{finding.col}: {finding.code} {finding.text}"
            )
    return "\n".join(lines)
