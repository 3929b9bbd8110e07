"""Each file in tests/eval_files must get exactly the findings its `# error:` comments name:
`# error: ASR104:8 "open()"` on the offending line, the code, the column flake8 prints
(1-based) and, optionally, a piece of the message; several separated by commas, a reason
after ` -- `. Unannotated lines must stay silent.

A file whose first line is `# flake8-args: --option=value ...` is linted with those extra
arguments; all files sharing the same arguments (or none) are linted in one flake8 run.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from helpers import (
    Finding,
    flake8_crashed,
    mismatch,
    parse_output,
    read_expectations,
    read_flake8_args,
    run_flake8,
)

EVAL_DIR = Path(__file__).parent / "eval_files"
EVAL_FILES = sorted(EVAL_DIR.glob("*.py"))
REQUIRED_CODES = (
    "ASR100",
    *(f"ASR{number}" for number in range(101, 110)),
    "ASR201",
    "ASR202",
    "ASR301",
)


@pytest.fixture(scope="session")
def eval_findings() -> dict[str, list[Finding]]:
    """Findings per eval file name, from one flake8 run per distinct `# flake8-args:` header."""
    files_by_args: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for path in EVAL_FILES:
        files_by_args[read_flake8_args(path)].append(path.name)

    findings: dict[str, list[Finding]] = defaultdict(list)
    for args, names in files_by_args.items():
        for finding in _lint(names, args):
            findings[Path(finding.path).name].append(finding)
    return findings


def _lint(names: list[str], args: tuple[str, ...]) -> list[Finding]:
    result = run_flake8(names, *args, cwd=EVAL_DIR)
    if flake8_crashed(result):
        pytest.fail(
            f"flake8 {' '.join(args)} crashed (exit {result.returncode}):\n"
            f"{result.stderr}{result.stdout}",
            pytrace=False,
        )
    return parse_output(result.stdout)


@pytest.mark.parametrize("path", EVAL_FILES, ids=lambda path: path.name)
def test_eval_file(path: Path, eval_findings: dict[str, list[Finding]]) -> None:
    found = eval_findings.get(path.name, [])
    problem = mismatch(path.name, read_expectations(path), found)
    if problem:
        pytest.fail(problem, pytrace=False)


def test_every_code_has_an_eval_file() -> None:
    names = [path.name for path in EVAL_FILES]
    missing = [
        code for code in REQUIRED_CODES if not any(name.startswith(code.lower()) for name in names)
    ]
    assert not missing, f"no tests/eval_files/<code>*.py for: {', '.join(missing)}"
