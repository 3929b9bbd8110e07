"""Baselines: accept the findings a codebase has today, report only new ones.

A baseline file lists findings by fingerprint (see `runner.fingerprint`): the rule, the
file, the enclosing function and the text of the offending line, so a finding keeps its
fingerprint when lines above it move or unrelated code changes. Each listed fingerprint
hides one finding: a second, identical finding on top of a listed one is still reported.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .. import __version__
from ..results import AuditResult, Finding, verdict

FORMAT = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read or written."""


def write(path: str, findings: list[Finding]) -> None:
    entries = [{"fingerprint": f.fingerprint, "code": f.code, "path": f.path,
                "message": f.message}  # code, path and message are for humans
               for f in sorted(findings, key=Finding.sort_key)]
    data = {"version": FORMAT, "tool": "flake8-async-route", "tool_version": __version__,
            "findings": entries}
    try:
        Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                              encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"cannot write baseline {path}: {error.strerror or error}") \
            from error


def load(path: str) -> Counter:
    """How many findings each fingerprint of the baseline hides."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror or error}") \
            from error
    except UnicodeDecodeError as error:
        raise BaselineError(f"baseline {path} is not UTF-8 text") from error
    try:
        data = json.loads(text)
    except ValueError as error:
        raise BaselineError(f"baseline {path} is not valid JSON: {error}") from error
    if not isinstance(data, dict) or data.get("version") != FORMAT:
        raise BaselineError(f"baseline {path} is not a flake8-async-route baseline "
                            f"(expected an object with \"version\": {FORMAT}; write one with "
                            "--write-baseline)")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
        raise BaselineError(f"baseline {path}: \"findings\" must be a list of objects with "
                            "a \"fingerprint\" string")
    return Counter(e["fingerprint"] for e in entries)


def apply(result: AuditResult, listed: Counter) -> None:
    """Hide the findings the baseline lists, from the findings and from the handlers
    (whose verdicts are recomputed from what is left), and count them."""
    remaining = Counter(listed)
    hidden = set()
    kept = []
    for finding in result.findings:  # sorted, so which of equal fingerprints hides is fixed
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            hidden.add(finding)
        else:
            kept.append(finding)
    result.baseline_matched = len(result.findings) - len(kept)
    result.findings = kept
    for handler in result.handlers:
        if any(f in hidden for f in handler.findings):
            handler.findings = [f for f in handler.findings if f not in hidden]
            handler.verdict = verdict(handler.is_async, {f.code for f in handler.findings})
