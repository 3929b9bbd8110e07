"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run: every registered rule as a reportingDescriptor, one result per finding with a
`partialFingerprints` entry so viewers track an alert across line shifts. A finding with a
fix carries it in the result's `fixes`: one artifactChange of replacements, each a
deletedRegion (character columns, like every region here) and its insertedContent.
"""
from __future__ import annotations

import functools
import os
import tokenize
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import quote

from . import summary
from .streaming import Lazy, chunks
from .. import __version__, docs
from ..columns import char_column
from ..results import UNREADABLE, AuditResult, Finding
from ..rules import Rule

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "flake8AsyncRoute/v1"


def level(code: str) -> str:
    """Errors: ASR1xx, which block the event loop, and ASR001, a file left unchecked;
    a note: ASR111, blocking calls paid once at startup or shutdown; warnings: the
    ASR2xx/ASR3xx shape rules."""
    if code == "ASR111":
        return "note"
    return "error" if code.startswith(("ASR0", "ASR1")) else "warning"


# ASR001 is a notification, not a rule: a file that cannot be read or parsed says nothing
# about the code's async/sync use, so it belongs with the run's health (code scanning's
# tool status page) rather than among the alerts, where it could not be fixed or dismissed.
UNREADABLE_DESCRIPTOR = {
    "id": UNREADABLE,
    "name": "FileNotAnalysed",
    "shortDescription": {"text": "A file could not be read or parsed, so it was not checked."},
    "defaultConfiguration": {"level": level(UNREADABLE)},
}


def pascal_case(slug: str) -> str:
    return "".join(word.capitalize() for word in slug.split("-"))


class SourceColumns:
    """1-based character columns from the 0-based UTF-8 byte offsets findings carry;
    each file is read once, and an unreadable one falls back to the byte offset + 1."""

    def __init__(self) -> None:
        self._lines: dict = {}

    def column(self, finding: Finding) -> int:
        return self.char_column(finding.path, finding.line, finding.col)

    def char_column(self, path: str, line: int, col: int) -> int:
        lines = self._file_lines(path)
        if not 0 < line <= len(lines):
            return col + 1
        return char_column(lines[line - 1], col, strict=False) + 1

    def line_text(self, path: str, line: int) -> Optional[str]:
        """The source line without its line ending, None when it cannot be read."""
        lines = self._file_lines(path)
        return lines[line - 1].rstrip("\r\n") if 0 < line <= len(lines) else None

    def _file_lines(self, path: str) -> list:
        if path not in self._lines:
            try:
                with tokenize.open(path) as source:  # honours coding cookies, as ast does
                    self._lines[path] = source.readlines()
            except (OSError, SyntaxError, UnicodeDecodeError):
                self._lines[path] = []
        return self._lines[path]


def rule_descriptor(rule: type[Rule]) -> dict:
    """The rule with its whole page as `help` (what code scanning shows), and a `helpUri`
    only when the page is published somewhere (see docs.rule_url)."""
    page = docs.page(rule)
    descriptor = {
        "id": rule.code,
        "name": pascal_case(rule.slug),
        "shortDescription": {"text": docs.summary(rule)},
        "fullDescription": {"text": docs.sections(rule).get("What it does", "")},
        "help": {"text": page, "markdown": page},
        # Opt-in rules are off unless chosen by name (rules.base.opt_in_chosen).
        "defaultConfiguration": {"level": level(rule.code), "enabled": not rule.opt_in},
        "properties": {"slug": rule.slug, "fixTitle": rule.fix_title},
    }
    url = docs.rule_url(rule.code)
    if url:
        descriptor["helpUri"] = url
    return descriptor


@functools.lru_cache(maxsize=1)
def source_root() -> Path:
    """The repository the run is in (the nearest directory above the working directory
    with a `.git`), else the working directory: code scanning places a result by its path
    from the repository root, wherever in the tree the run started."""
    cwd = Path(os.getcwd())
    return next((d for d in (cwd, *cwd.parents) if (d / ".git").exists()), cwd)


def artifact_location(path: str) -> dict:
    """Paths inside the source root hang off %SRCROOT%; others stay absolute file URIs."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(source_root())
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def location(finding: Finding, columns: SourceColumns) -> dict:
    return {"physicalLocation": {
        "artifactLocation": artifact_location(finding.path),
        "region": {"startLine": finding.line, "startColumn": columns.column(finding)},
    }}


def _result(finding: Finding, rule_index: dict, columns: SourceColumns) -> dict:
    result = {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": level(finding.code),
        "message": {"text": finding.message},
        "locations": [location(finding, columns)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.fix is not None:
        result["fixes"] = [fix_object(finding, columns)]
    return result


def fix_object(finding: Finding, columns: SourceColumns) -> dict:
    """The finding's fix as a SARIF fix: safe or not in its properties."""
    fix = finding.fix
    replacements = []
    for edit in fix.edits:
        replacement = {"deletedRegion": {
            "startLine": edit.line,
            "startColumn": columns.char_column(finding.path, edit.line, edit.col),
            "endLine": edit.end_line,
            "endColumn": columns.char_column(finding.path, edit.end_line, edit.end_col),
        }}
        if edit.text:
            replacement["insertedContent"] = {"text": edit.text}
        replacements.append(replacement)
    safety = "safe" if fix.safe else "unsafe: may change behaviour"
    return {
        "description": {"text": f"{fix.title} ({safety})"},
        "artifactChanges": [{"artifactLocation": artifact_location(finding.path),
                             "replacements": replacements}],
        "properties": {"safe": fix.safe},
    }


def _notification(error: Finding, columns: SourceColumns) -> dict:
    return {
        "descriptor": {"id": UNREADABLE, "index": 0},
        "level": level(error.code),
        "message": {"text": f"{error.path}: {error.message}"},
        "locations": [location(error, columns)],
    }


def _srcroot() -> dict:
    uri = source_root().as_uri()
    return {"uri": uri if uri.endswith("/") else uri + "/"}


def inventory(result: AuditResult) -> Iterator[dict]:
    """The handlers, each finding named by its fingerprint (the result it matches)."""
    return ({"path": h.path, "line": h.line, "name": h.name, "kind": h.kind,
             "isAsync": h.is_async, "methods": list(h.methods), "route": h.route,
             "router": h.router, "verdict": h.verdict,
             "findings": [f.fingerprint for f in h.findings]}
            for h in result.handlers)


def as_data(result: AuditResult, audit: bool) -> dict:
    rules = [Rule.registry[code] for code in sorted(Rule.registry)]
    rule_index = {rule.code: index for index, rule in enumerate(rules)}
    columns = SourceColumns()
    driver = {"name": "flake8-async-route", "version": __version__,
              "rules": [rule_descriptor(rule) for rule in rules],
              "notifications": [UNREADABLE_DESCRIPTOR]}
    if docs.home_url():
        driver["informationUri"] = docs.home_url()
    run = {
        "tool": {"driver": driver},
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [_notification(e, columns) for e in result.errors],
        }],
        "originalUriBaseIds": {SRCROOT: _srcroot()},
        "columnKind": "unicodeCodePoints",
        "results": Lazy(_result(f, rule_index, columns)
                        for f in sorted(result.findings, key=lambda f: f.sort_key())),
    }
    if audit:
        run["properties"] = {"summary": summary(result), "handlers": Lazy(inventory(result))}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: AuditResult, audit: bool) -> Iterator[str]:
    yield from chunks(as_data(result, audit))
    yield "\n"
