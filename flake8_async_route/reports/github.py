"""GitHub Actions workflow commands: one `::error`, `::warning` or (for SARIF's `note`
level) `::notice` annotation per finding, and for `audit` a closing `::notice` with the
summary."""
from __future__ import annotations

from . import summary
from .sarif import SourceColumns, level
from ..results import AuditResult, Finding


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


# SARIF's `note` is GitHub's `notice`; `error` and `warning` are the same in both.
_COMMANDS = {"note": "notice"}


def annotation(finding: Finding, columns: SourceColumns) -> str:
    name = level(finding.code)
    return command(_COMMANDS.get(name, name), finding.message, file=finding.path, line=finding.line,
                   col=columns.column(finding), title=finding.code)


def summary_line(result: AuditResult) -> str:
    numbers = summary(result)
    text = f"Files checked: {numbers['files']}, findings: {numbers['findings']}"
    if numbers["async_routes"]:
        text += (f"; async routes that block the event loop: {numbers['async_routes_blocking']}"
                 f" of {numbers['async_routes']} ({numbers['async_routes_blocking_share']:.0%})")
    return command("notice", text, title="flake8-async-route audit")


def render(result: AuditResult, audit: bool) -> str:
    columns = SourceColumns()
    found = sorted(result.errors + result.findings, key=lambda f: f.sort_key())
    lines = [annotation(finding, columns) for finding in found]
    if audit:
        lines.append(summary_line(result))
    return "".join(line + "\n" for line in lines)
