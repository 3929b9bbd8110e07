"""JSON: the whole result, in the versioned shape `audit.schema.json` describes."""
from __future__ import annotations

import json
from dataclasses import asdict

from . import summary
from .. import __version__
from ..results import AuditResult

SCHEMA_VERSION = 1


def as_data(result: AuditResult, audit: bool) -> dict:
    data = {
        "schema": "flake8_async_route/reports/audit.schema.json",
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "flake8-async-route", "version": __version__},
        "kind": "audit" if audit else "check",
        "summary": summary(result),
        "findings": [asdict(f) for f in result.findings],
        "errors": [asdict(f) for f in result.errors],
    }
    if audit:
        data["handlers"] = [asdict(h) for h in result.handlers]
    return data


def render(result: AuditResult, audit: bool) -> str:
    return json.dumps(as_data(result, audit), indent=2, ensure_ascii=False) + "\n"
