"""Human output: flake8-style lines for `check`; a readable report for `audit`."""
from __future__ import annotations

from . import handler_label, summary
from .sarif import SourceColumns
from ..results import AuditResult, Verdict

COLORS = {Verdict.BLOCKS_THE_LOOP.value: "31", Verdict.MAY_STARVE_THE_POOL.value: "33",
          Verdict.OFFLOAD_ONLY.value: "33", Verdict.COULD_BE_DEF.value: "36",
          Verdict.CLEAN.value: "32", "code": "1;31", "dim": "2"}


def _paint(text: str, what: str, color: bool) -> str:
    return f"\033[{COLORS[what]}m{text}\033[0m" if color else text


def finding_lines(result: AuditResult, color: bool = False,
                  show_source: bool = False) -> list[str]:
    """`path:line:col: CODE message`, columns 1-based as flake8 shows them; with
    `show_source`, each followed by its source line and a caret, as flake8 --show-source."""
    found = sorted(result.errors + result.findings, key=lambda f: f.sort_key())
    columns = SourceColumns()
    lines = []
    for f in found:
        lines.append(f"{f.path}:{f.line}:{f.col + 1}: {_paint(f.code, 'code', color)} "
                     f"{f.message}")
        source = columns.line_text(f.path, f.line) if show_source else None
        if source is not None:
            # White space kept as it is (tabs), so the caret stands under the column.
            before = source[:columns.column(f) - 1]
            lines += [source, "".join(c if c.isspace() else " " for c in before) + "^"]
    return lines


def render(result: AuditResult, audit: bool, color: bool = False,
           show_source: bool = False) -> str:
    lines = finding_lines(result, color, show_source)
    if not audit:
        return "\n".join(lines) + ("\n" if lines else "")
    numbers = summary(result)
    out = ["flake8-async-route audit", "",
           f"Files checked: {numbers['files']}   Findings: {numbers['findings']}   "
           f"Handlers: {numbers['handlers']}"]
    if numbers["async_routes"]:
        out.append(f"Async routes that block the event loop: {numbers['async_routes_blocking']}"
                   f" of {numbers['async_routes']} "
                   f"({numbers['async_routes_blocking_share']:.0%})")
    if result.baseline_matched:
        out.append(f"Hidden by the baseline: {result.baseline_matched}")
    if numbers["per_rule"]:
        out += ["", "Findings per rule:"]
        out += [f"  {code}  {count}" for code, count in numbers["per_rule"].items()]
    if numbers["per_verdict"]:
        out += ["", "Handlers per verdict:"]
        out += [f"  {_paint(v, v, color)}: {n}" for v, n in numbers["per_verdict"].items()]
    if result.handlers:
        out += ["", "Inventory:"]
        for handler in result.handlers:
            kind = "async" if handler.is_async else "def"
            out.append(f"  {_paint(handler.verdict, handler.verdict, color):<20} "
                       f"{handler_label(handler):<40} {kind:<5} {handler.name}  "
                       f"{_paint(f'{handler.path}:{handler.line}', 'dim', color)}")
    if lines:
        out += ["", "Findings:"] + [f"  {line}" for line in lines]
    return "\n".join(out) + "\n"
