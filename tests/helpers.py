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
from typing import NamedTuple, Optional, Sequence, Union

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT_FORMAT = "%(path)s:%(row)d:%(col)d: %(code)s %(text)s"
FLAKE8_TIMEOUT_SECONDS = 300

PathArg = Union[str, os.PathLike]

_FINDING_LINE = re.compile(
    r"^(?P<path>.+?):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<text>.*)$"
)
_EXPECTATION = re.compile(r"#\s*error:(?P<codes>.*)$")
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


class Expected(NamedTuple):
    row: int
    code: str
    col: int  # as flake8 prints it: 1-based
    fragment: Optional[str]  # a piece of the message, when the comment names one


# `# error: ASR104:8 "open()", ASR201:1 -- why`: code and column each, fragment optional.
_ITEM = re.compile(r'\s*(?P<code>[A-Z]+\d+):(?P<col>\d+)(?:\s+"(?P<fragment>(?:[^"\\]|\\.)*)")?')
_AFTER_ITEM = re.compile(r"\s*(?:,|--\s|$)")


def read_expectations(path: PathArg) -> list[Expected]:
    """The `# error: CODE:COL ["fragment"][, ...] [-- why]` comments of a file, one
    Expected per item, on the line they stand on."""
    expected = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for line_number, line in enumerate(lines, start=1):
        match = _EXPECTATION.search(line)
        if match:
            expected += _items(match["codes"], line_number, f"{path}:{line_number}")
    return expected


def _items(annotation: str, row: int, where: str) -> list[Expected]:
    items, position = [], 0
    while True:
        item = _ITEM.match(annotation, position)
        if item is None:
            raise ValueError(f"{where}: malformed '# error:' comment: expected CODE:COL "
                             f'["fragment"] at {annotation[position:]!r}')
        fragment = item["fragment"]
        if fragment is not None:
            fragment = re.sub(r"\\(.)", r"\1", fragment)
        items.append(Expected(row, item["code"], int(item["col"]), fragment))
        after = _AFTER_ITEM.match(annotation, item.end())
        if after is None:
            raise ValueError(f"{where}: malformed '# error:' comment after {item[0]!r}")
        if not after.group().strip().startswith(","):
            return items
        position = after.end()


def mismatch(name: str, expected: list[Expected], found: list[Finding]) -> Optional[str]:
    """None when the findings are exactly the expected ones (row, code and column, as many
    of each) and each message holds its fragment; else what differs."""
    want = Counter((e.row, e.code, e.col) for e in expected)
    have = Counter((f.row, f.code, f.col) for f in found)
    lines = [f"{name}: findings differ from the '# error:' comments"]
    for (row, code, col), count in sorted((want - have).items()):
        lines.append(f"  missing     line {row}: {code}:{col}"
                     + (f" (x{count})" if count > 1 else ""))
    unexpected = have - want
    for finding in sorted(found):
        key = (finding.row, finding.code, finding.col)
        if unexpected[key] > 0:
            unexpected[key] -= 1
            lines.append(f"  unexpected  line {finding.row}: {finding.code}:{finding.col} "
                         f"{finding.text}")
    for item in expected:
        if item.fragment is None or any(
                (f.row, f.code, f.col) == item[:3] and item.fragment in f.text for f in found):
            continue
        texts = [f.text for f in found if (f.row, f.code, f.col) == item[:3]]
        if texts:
            lines.append(f"  message     line {item.row}: {item.code}:{item.col} lacks "
                         f"{item.fragment!r}: {texts[0]}")
    return "\n".join(lines) if len(lines) > 1 else None


def read_flake8_args(path: PathArg) -> tuple[str, ...]:
    """Extra flake8 arguments from a first-line `# flake8-args: ...` header, if any."""
    with open(path, encoding="utf-8") as handle:
        first_line = handle.readline().strip()
    match = _ARGS_HEADER.match(first_line)
    return tuple(shlex.split(match["args"])) if match else ()
