"""Report formats. Each module has `render(result, audit)`, which returns the text or, for
the JSON formats, yields it a piece at a time (see streaming.py); `audit` is False for
`check`, which reports findings only, and True for `audit`, which adds the inventory."""
from __future__ import annotations

from collections import Counter
from importlib import import_module
from typing import Iterable

from ..results import VERDICTS, AuditResult, Verdict, route_label

FORMAT_MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "github": "github",
                  "markdown": "markdown", "html": "html"}


def render(result: AuditResult, fmt: str, audit: bool, color: bool = False,
           show_source: bool = False) -> str:
    return "".join(render_pieces(result, fmt, audit, color, show_source))


def render_pieces(result: AuditResult, fmt: str, audit: bool, color: bool = False,
                  show_source: bool = False) -> Iterable[str]:
    """The report as pieces of text to write one after the other."""
    module = import_module(f"{__name__}.{FORMAT_MODULES[fmt]}")
    rendered = module.render(result, audit, color, show_source) if fmt == "text" \
        else module.render(result, audit)
    return [rendered] if isinstance(rendered, str) else rendered


def summary(result: AuditResult, top: int = 10) -> dict:
    """Counts per rule and verdict, the share of async routes that block, the worst files
    and handlers: the numbers every report shows."""
    findings = result.findings + result.errors
    per_rule = Counter(f.code for f in findings)
    per_verdict = Counter(h.verdict for h in result.handlers)
    async_routes = [h for h in result.handlers if h.kind == "route" and h.is_async]
    blocking = [h for h in async_routes if h.verdict == Verdict.BLOCKS_THE_LOOP.value]
    per_file = Counter(f.path for f in findings)
    worst_handlers = sorted((h for h in result.handlers if h.findings),
                            key=lambda h: (-len(h.findings), h.path, h.line))[:top]
    return {
        "files": len(result.files),
        "findings": len(findings),
        "baseline_matched": result.baseline_matched,
        "per_rule": dict(sorted(per_rule.items())),
        "per_verdict": {v: per_verdict[v] for v in VERDICTS if per_verdict[v]},
        "handlers": len(result.handlers),
        "async_routes": len(async_routes),
        "async_routes_blocking": len(blocking),
        "async_routes_blocking_share": round(len(blocking) / len(async_routes), 4)
        if async_routes else 0.0,
        "top_files": [{"path": p, "findings": n}
                      for p, n in sorted(per_file.items(), key=lambda i: (-i[1], i[0]))[:top]],
        "top_handlers": [{"path": h.path, "line": h.line, "name": h.name,
                          "route": h.route, "findings": len(h.findings)}
                         for h in worst_handlers],
    }


def handler_label(handler) -> str:
    """`GET /items/{id}` for a route, else the kind."""
    return route_label(handler.kind, handler.methods, handler.route) or \
        handler.kind.replace("_", " ")
