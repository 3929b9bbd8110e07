"""Markdown for pull-request comments and job summaries (GitHub-flavoured).

Text from the analysed code (paths, routes, names, messages) is HTML-escaped and its
Markdown punctuation backslash-escaped, so it can neither inject HTML nor break a table;
code is shown in `<code>` elements, whose content can be escaped, unlike a code span's."""
from __future__ import annotations

import html
import re
from collections import defaultdict

from . import handler_label, summary
from .sarif import SourceColumns
from .. import docs
from ..results import AuditResult
from ..rules import Rule

LONG_SECTION = 10  # rows above which a section starts collapsed
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]~|])")
_CODE_SPAN = re.compile(r"`([^`]+)`")


def one_line(text: str) -> str:
    """Line breaks shown as `\\n`, as in a Python literal: a table row is one line."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def escape(text: str) -> str:
    """For Markdown text; inside an HTML block (`<summary>`) use `html_text`."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html_text(text))


def html_text(text: str) -> str:
    return html.escape(one_line(text), quote=False)


def code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def message(text: str) -> str:
    """A finding's message, its backquoted parts as code."""
    parts = _CODE_SPAN.split(text)  # odd indexes: the backquoted parts
    return "".join(code(part) if index % 2 else escape(part) for index, part in enumerate(parts))


def table(header: list, align: list, rows: list) -> list:
    return [f"| {' | '.join(header)} |", f"| {' | '.join(align)} |",
            *(f"| {' | '.join(str(cell) for cell in row)} |" for row in rows)]


def details(summary_html: str, body: list, rows: int) -> list:
    opening = "<details>" if rows > LONG_SECTION else "<details open>"
    return [opening, f"<summary>{summary_html}</summary>", "", *body, "", "</details>", ""]


def _overview(numbers: dict) -> list:
    blocking = "n/a"
    if numbers["async_routes"]:
        blocking = (f"{numbers['async_routes_blocking']} of {numbers['async_routes']} "
                    f"({numbers['async_routes_blocking_share']:.0%})")
    rows = [[numbers["files"], numbers["findings"], blocking]]
    lines = table(["Files checked", "Findings", "Async routes blocking the event loop"],
                  ["---:", "---:", "---:"], rows) + [""]
    if numbers["baseline_matched"]:
        lines += [f"Hidden by the baseline: {numbers['baseline_matched']}", ""]
    return lines


def _per_rule(numbers: dict) -> list:
    rows = []
    for rule_code, count in numbers["per_rule"].items():
        rule = Rule.registry.get(rule_code)
        name = f"`{rule.slug}`" if rule else "file not checked"
        url = docs.rule_url(rule_code)
        link = f"[{rule_code}]({url})" if url else rule_code
        rows.append([link, name, count])
    return ["### Findings per rule", "", *table(["Rule", "Name", "Findings"],
                                                ["---", "---", "---:"], rows), ""]


def _inventory(result: AuditResult, numbers: dict) -> list:
    rows = [[h.verdict, code(handler_label(h)), "async" if h.is_async else "def",
             code(h.name), code(f"{h.path}:{h.line}")] for h in result.handlers]
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in numbers["per_verdict"].items())
    body = table(["Verdict", "Route", "async/def", "Handler", "Location"],
                 ["---", "---", "---", "---", "---"], rows)
    return ["### Inventory", "", *details(f"{len(rows)} handlers: {verdicts}", body, len(rows))]


def _findings(result: AuditResult) -> list:
    per_file = defaultdict(list)
    for finding in sorted(result.errors + result.findings, key=lambda f: f.sort_key()):
        per_file[finding.path].append(finding)
    columns = SourceColumns()
    lines = ["### Findings", ""]
    for path, found in per_file.items():
        rows = [[f"{f.line}:{columns.column(f)}", f"`{f.code}`", message(f.message)]
                for f in found]
        body = table(["Line", "Rule", "Message"], ["---:", "---", "---"], rows)
        title = f"<code>{html_text(path)}</code>: {len(found)} finding{'s' * (len(found) > 1)}"
        lines += details(title, body, len(rows))
    return lines


def render(result: AuditResult, audit: bool) -> str:
    numbers = summary(result)
    lines = [f"## flake8-async-route {'audit' if audit else 'check'}", "", *_overview(numbers)]
    if numbers["per_rule"]:
        lines += _per_rule(numbers)
    if audit and result.handlers:
        lines += _inventory(result, numbers)
    lines += _findings(result) if numbers["findings"] else ["No findings.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
