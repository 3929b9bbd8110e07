"""JSON: the whole result, in the versioned shape `audit.schema.json` describes."""
from __future__ import annotations

import json
from dataclasses import asdict

from . import summary
from .. import __version__
from ..results import AuditResult, Finding, Handler

SCHEMA_VERSION = 1


def as_data(result: AuditResult, audit: bool) -> dict:
    data = {
        "schema": "flake8_async_route/reports/audit.schema.json",
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "flake8-async-route", "version": __version__},
        "kind": "audit" if audit else "check",
        "summary": summary(result),
        "findings": [finding_data(f) for f in result.findings],
        "errors": [finding_data(f) for f in result.errors],
    }
    if audit:
        data["handlers"] = [handler_data(h) for h in result.handlers]
    return data


def finding_data(finding: Finding) -> dict:
    data = {key: value for key, value in asdict(finding).items() if key != "fix"}
    data["fix"] = finding.fix.public() if finding.fix is not None else None
    return data


def handler_data(handler: Handler) -> dict:
    data = asdict(handler)
    data["findings"] = [finding_data(f) for f in handler.findings]
    return data


def render(result: AuditResult, audit: bool) -> str:
    return json.dumps(as_data(result, audit), indent=2, ensure_ascii=False) + "\n"
