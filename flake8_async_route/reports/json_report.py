"""JSON: the whole result, in the versioned shape `audit.schema.json` describes."""
from __future__ import annotations

from dataclasses import fields
from typing import Iterator

from . import summary
from .streaming import Lazy, chunks
from .. import __version__
from ..results import AuditResult, Finding, Handler

SCHEMA_VERSION = 1
FINDING_FIELDS = [field for field in fields(Finding) if field.name != "fix"]


def as_data(result: AuditResult, audit: bool) -> dict:
    data = {
        "schema": "flake8_async_route/reports/audit.schema.json",
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "flake8-async-route", "version": __version__},
        "kind": "audit" if audit else "check",
        "summary": summary(result),
        "findings": Lazy(finding_data(f) for f in result.findings),
        "errors": Lazy(finding_data(f) for f in result.errors),
    }
    if audit:
        data["handlers"] = Lazy(handler_data(h) for h in result.handlers)
    return data


def finding_data(finding: Finding) -> dict:
    # Fields one level deep (`asdict` copies recursively, and was most of the rendering):
    # the fix is the only field that is itself a dataclass.
    data = {field.name: getattr(finding, field.name) for field in FINDING_FIELDS}
    data["fix"] = finding.fix.public() if finding.fix is not None else None
    return data


def handler_data(handler: Handler) -> dict:
    data = {field.name: getattr(handler, field.name) for field in fields(Handler)}
    data["findings"] = [finding_data(f) for f in handler.findings]
    return data


def render(result: AuditResult, audit: bool) -> Iterator[str]:
    yield from chunks(as_data(result, audit))
    yield "\n"
