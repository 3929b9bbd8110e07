"""HTML: one self-contained page (inline style and script, nothing fetched) with the summary,
a sortable and filterable inventory of handlers (`audit` only) and the findings by file, each
with an excerpt of the code read at render time.

Everything that comes from the analysed code is escaped; the data the script reads sits in a
`<script type="application/json">` block with `<`, `>` and `&` written as `\\u003c` and so on,
so no string can close it. The table is rendered here, so the page reads without JavaScript;
the script only adds sorting and filtering. A Content-Security-Policy allows only this page's
own style and script (by hash) and fetches nothing."""
from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import tokenize
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Optional

from importlib import resources

from . import handler_label, summary
from .. import __version__, docs
from ..results import UNREADABLE, VERDICTS, AuditResult, Finding, Handler, Verdict
from ..rules import Rule

CONTEXT_LINES = 2  # lines shown before and after the offending one
MAX_LINE_CHARS = 400  # longer excerpt lines are cut
MAX_FILE_BYTES = 5 * 1024 * 1024  # larger files get no excerpt

VERDICT_CLASSES = {Verdict.BLOCKS_THE_LOOP.value: "v-blocks",
                   Verdict.OFFLOAD_ONLY.value: "v-offload",
                   Verdict.COULD_BE_DEF.value: "v-coulddef",
                   Verdict.MAY_STARVE_THE_POOL.value: "v-starve", Verdict.CLEAN.value: "v-clean"}

_ASSETS = resources.files(__package__) / "assets"
STYLE = (_ASSETS / "report.css").read_text(encoding="utf-8")
SCRIPT = (_ASSETS / "report.js").read_text(encoding="utf-8")

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BACKTICKS = re.compile(r"`([^`]+)`")


def esc(value: object) -> str:
    """Escape for text and quoted attribute values; control characters become U+FFFD."""
    return html.escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def _message(text: str) -> str:
    """The escaped message with `code spans` as <code>."""
    return _BACKTICKS.sub(r"<code>\1</code>", esc(text))


def _json_for_script(data: object) -> str:
    """JSON safe inside <script>: no `<`, `>` or `&` to end the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _generated_at() -> str:
    """UTC now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else None
    except (ValueError, OverflowError, OSError):
        moment = None
    moment = moment or datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


class _Sources:
    """The analysed files' lines, read once each; None when a file cannot be read."""

    def __init__(self) -> None:
        self._lines: dict = {}

    def lines(self, path: str) -> Optional[list]:
        if path not in self._lines:
            self._lines[path] = self._read(path)
        return self._lines[path]

    @staticmethod
    def _read(path: str) -> Optional[list]:
        try:
            file = Path(path)
            if not file.is_file() or file.stat().st_size > MAX_FILE_BYTES:
                return None
            data = file.read_bytes()
        except (OSError, ValueError):
            return None
        try:
            encoding, _ = tokenize.detect_encoding(BytesIO(data).readline)
            text = data.decode(encoding, errors="replace")
        except (SyntaxError, LookupError):
            text = data.decode("utf-8", errors="replace")
        if text.startswith("\ufeff"):
            text = text[1:]
        # Line numbers as Python counts them: \r\n, \r and \n only (not \f or U+2028).
        return _LINE_BREAK.split(text)

    def excerpt(self, finding: Finding) -> str:
        lines = self.lines(finding.path)
        if lines is None or not 1 <= finding.line <= len(lines):
            return ""
        first = max(1, finding.line - CONTEXT_LINES)
        last = min(len(lines), finding.line + CONTEXT_LINES)
        width = len(str(last))
        rows = []
        for number in range(first, last + 1):
            text = lines[number - 1].expandtabs(4)
            if len(text) > MAX_LINE_CHARS:
                text = text[:MAX_LINE_CHARS] + "\u2026"
            attributes = ' class="ln hit" aria-current="true"' if number == finding.line \
                else ' class="ln"'
            rows.append(
                f'<span{attributes}>'
                f'<span class="no" aria-hidden="true">{number:>{width}}</span>'
                f'<span class="src">{esc(text) or " "}</span></span>')
        label = f"{finding.path} lines {first} to {last}"
        return (f'<pre class="excerpt" aria-label="{esc(label)}"><code>'
                + "".join(rows) + "</code></pre>")


def _card(title: str, body: str, extra: str = "") -> str:
    return (f'<div class="card{extra}"><h3>{esc(title)}</h3>{body}</div>')


def _big(value: object, note: str = "") -> str:
    return (f'<p class="big">{esc(value)}</p>'
            + (f'<p class="note">{esc(note)}</p>' if note else ""))


def _rule_title(code: str) -> str:
    rule = Rule.registry.get(code)
    if rule is None:
        return "file could not be read or parsed" if code == UNREADABLE else ""
    return rule.slug.replace("-", " ")


def _code_link(code: str) -> str:
    """The code, linked to its rule's page in this report's Rules section."""
    title = esc(_rule_title(code))
    if code not in Rule.registry:
        return f'<span class="code" title="{title}">{esc(code)}</span>'
    return f'<a class="code" href="#rule-{esc(code)}" title="{title}">{esc(code)}</a>'


_FENCE = re.compile(r"^```(\w*)$")


def markdown(text: str) -> str:
    """The rule pages' Markdown (headings, paragraphs, lists, fenced code, `code`) as HTML;
    headings move down two levels to sit under the report's own."""
    out: list = []
    paragraph: list = []
    code: Optional[list] = None

    def flush() -> None:
        if paragraph:
            lines = [_message(line) for line in paragraph]
            if all(line.startswith("- ") for line in paragraph):
                out.append("<ul>" + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>")
            else:
                out.append(f"<p>{' '.join(lines)}</p>")
            paragraph.clear()

    for line in text.splitlines():
        if code is not None:
            if line.startswith("```"):
                out.append(f'<pre class="doc"><code>{esc(chr(10).join(code))}</code></pre>')
                code = None
            else:
                code.append(line)
        elif _FENCE.match(line):
            flush()
            code = []
        elif line.startswith("#"):
            flush()
            level = min(len(line) - len(line.lstrip("#")) + 2, 6)
            out.append(f"<h{level}>{_message(line.lstrip('#').strip())}</h{level}>")
        elif not line.strip():
            flush()
        else:
            paragraph.append(line.strip())
    flush()
    return "".join(out)


def _rules_section(codes: list) -> str:
    """The page of every rule the report names, so each finding links to one that exists,
    offline; a link to the published page too when there is one."""
    parts = []
    for code in codes:
        rule = Rule.registry[code]
        url = docs.rule_url(code)
        online = (f'<p class="note"><a href="{esc(url)}">{esc(url)}</a></p>' if url else "")
        parts.append(f'<section class="rule-page" id="rule-{esc(code)}" aria-label="{esc(code)}">'
                     f'{markdown(docs.page(rule))}{online}</section>')
    return ('<section id="rules" aria-labelledby="rules-h"><h2 id="rules-h">Rules</h2>'
            + "".join(parts) + "</section>")


def _summary_section(result: AuditResult, audit: bool, numbers: dict) -> str:
    cards = [_card("Files checked", _big(numbers["files"])),
             _card("Findings", _big(numbers["findings"],
                                    f"{numbers['baseline_matched']} hidden by the baseline"
                                    if numbers["baseline_matched"] else ""))]
    if audit:
        cards.append(_card("Handlers", _big(numbers["handlers"])))
        total, blocking = numbers["async_routes"], numbers["async_routes_blocking"]
        share = numbers["async_routes_blocking_share"]
        if total:
            meter = (f'<svg class="meter" viewBox="0 0 100 8" preserveAspectRatio="none" '
                     f'role="img" aria-label="{esc(f"{share:.0%}")} of async routes block the '
                     f'event loop"><rect class="ok" width="100" height="8"/>'
                     f'<rect class="bad" width="{share * 100:.2f}" height="8"/></svg>')
            note = f"{blocking} of {total} async routes block the event loop"
            body = _big(f"{share:.0%}", note) + meter
        else:
            body = _big("\u2013", "no async routes")
        cards.append(_card("Async routes that block", body, " share"))
    if numbers["per_rule"]:
        items = "".join(
            f'<li>{_code_link(code)}'
            f'<span class="rule">{esc(_rule_title(code))}</span>'
            f'<span class="count">{esc(count)}</span></li>'
            for code, count in numbers["per_rule"].items())
        cards.append(_card("Findings per rule", f'<ul class="counts">{items}</ul>', " wide"))
    if audit and numbers["per_verdict"]:
        items = "".join(
            f'<li>{_badge(verdict)}<span class="count">{esc(count)}</span></li>'
            for verdict, count in numbers["per_verdict"].items())
        cards.append(_card("Handlers per verdict", f'<ul class="counts">{items}</ul>', " wide"))
    return ('<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
            f'<div class="cards">{"".join(cards)}</div></section>')


def _badge(verdict: str) -> str:
    return f'<span class="badge {VERDICT_CLASSES.get(verdict, "v-other")}">{esc(verdict)}</span>'


COLUMNS = (("verdict", "Verdict"), ("kind", "Kind"), ("route", "Route"),
           ("mode", "Async/def"), ("name", "Handler"), ("location", "Location"),
           ("findings", "Findings"))


def _inventory_section(result: AuditResult, finding_ids: dict) -> str:
    rank = {verdict: index for index, verdict in enumerate(VERDICTS)}
    head = "".join(f'<th scope="col" data-col="{key}">{esc(title)}</th>'
                   for key, title in COLUMNS)
    rows = []
    for index, handler in enumerate(result.handlers):
        rows.append(_handler_row(index, handler, rank, finding_ids))
    if not rows:
        body = '<p class="empty">No handlers found.</p>'
    else:
        options = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in VERDICTS)
        controls = (
            '<div class="controls" id="inventory-controls" hidden>'
            '<label>Filter <input type="search" id="filter" autocomplete="off" '
            'placeholder="route, handler, file, rule code\u2026"></label>'
            '<label>Verdict <select id="verdict-filter"><option value="">all verdicts</option>'
            f'{options}</select></label>'
            f'<p id="shown" aria-live="polite">{len(rows)} of {len(rows)} handlers shown</p>'
            '</div>')
        body = (controls + '<div class="scroll"><table id="inventory">'
                '<caption>Handlers the framework calls, with their verdict</caption>'
                f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
                '<p class="empty" id="no-match" hidden>No handler matches the filter.</p>')
    return ('<section id="inventory-section" aria-labelledby="inventory-h">'
            f'<h2 id="inventory-h">Inventory <span class="n">({len(rows)})</span></h2>'
            f'{body}</section>')


def _handler_row(index: int, handler: Handler, rank: dict, finding_ids: dict) -> str:
    location = f"{handler.path}:{handler.line}"
    label, kind = handler_label(handler), handler.kind.replace("_", " ")
    mode = "async" if handler.is_async else "def"
    count = len(handler.findings)
    target = next((finding_ids[f.sort_key()] for f in sorted(handler.findings, key=Finding.sort_key)
                   if f.sort_key() in finding_ids), None)
    count_cell = (f'<a href="#{target}" title="first finding">{count}</a>' if target
                  else str(count))
    cells = [
        (rank.get(handler.verdict, len(VERDICTS)), _badge(handler.verdict)),
        (handler.kind, esc(kind)),
        (label, f'<code>{esc(label)}</code>' if label != kind
         else '<span class="none" title="not a route">\u2013</span>'),
        (mode, f'<span class="mode {mode}">{mode}</span>'),
        (handler.name, f'<code>{esc(handler.name)}</code>'),
        (location, f'<span class="loc">{esc(location)}</span>'),
        (count, count_cell),
    ]
    tds = "".join(f'<td data-sort="{esc(key)}">{cell}</td>' for key, cell in cells)
    return (f'<tr data-index="{index}" data-verdict="{esc(handler.verdict)}">{tds}</tr>')


def _findings_section(findings: list, sources: _Sources, file_ids: dict,
                      finding_ids: dict) -> str:
    if not findings:
        return ('<section id="findings" aria-labelledby="findings-h">'
                '<h2 id="findings-h">Findings</h2><p class="empty">No findings.</p></section>')
    groups: dict = {}
    for finding in findings:
        groups.setdefault(finding.path, []).append(finding)
    parts = []
    for path, group in groups.items():
        items = []
        for finding in group:
            context = (f'in <code>{esc(finding.context)}</code>' if finding.context else "")
            items.append(
                f'<li class="finding" id="{finding_ids[finding.sort_key()]}" '
                f'data-code="{esc(finding.code)}">'
                f'<div class="fhead">{_code_link(finding.code)}'
                f'<span class="where">{esc(path)}:{esc(finding.line)}:{esc(finding.col + 1)}'
                f'</span><span class="ctx">{context}</span></div>'
                f'<p class="msg">{_message(finding.message)}</p>'
                f'{sources.excerpt(finding)}</li>')
        parts.append(
            f'<section class="file" id="{file_ids[path]}" aria-label="{esc(path)}">'
            f'<h3><span class="path">{esc(path)}</span> <span class="n">'
            f'{len(group)} finding{"" if len(group) == 1 else "s"}</span></h3>'
            f'<ol class="findings">{"".join(items)}</ol></section>')
    codes = sorted({finding.code for finding in findings})
    options = "".join(f'<option value="{esc(c)}">{esc(c)} {esc(_rule_title(c))}</option>'
                      for c in codes)
    controls = (
        '<div class="controls" id="findings-controls" hidden>'
        '<label>Filter <input type="search" id="findings-filter" autocomplete="off" '
        'placeholder="file, message, function, rule code\u2026"></label>'
        '<label>Rule <select id="rule-filter"><option value="">all rules</option>'
        f'{options}</select></label>'
        f'<p id="findings-shown" aria-live="polite">{len(findings)} of {len(findings)} '
        'findings shown</p></div>')
    return ('<section id="findings" aria-labelledby="findings-h">'
            f'<h2 id="findings-h">Findings <span class="n">({len(findings)})</span></h2>'
            f'{controls}{"".join(parts)}'
            '<p class="empty" id="no-finding" hidden>No finding matches the filter.</p>'
            '</section>')


def _script_data(result: AuditResult) -> dict:
    return {
        "verdicts": list(VERDICTS),
        "handlers": [{
            "verdict": h.verdict, "kind": h.kind, "label": handler_label(h), "name": h.name,
            "path": h.path, "line": h.line, "async": h.is_async, "route": h.route,
            "codes": sorted({f.code for f in h.findings}),
            "messages": [f.message for f in h.findings],
        } for h in result.handlers],
    }


def render(result: AuditResult, audit: bool) -> str:
    numbers = summary(result)
    findings = sorted(result.errors + result.findings, key=lambda f: f.sort_key())
    file_ids: dict = {}
    finding_ids: dict = {}
    for finding in findings:
        file_ids.setdefault(finding.path, f"file-{len(file_ids) + 1}")
        finding_ids.setdefault(finding.sort_key(), f"finding-{len(finding_ids) + 1}")
    kind = "audit" if audit else "check"
    title = f"flake8-async-route {kind}"
    ruled = sorted({f.code for f in findings if f.code in Rule.registry})
    body = [f'<header><h1>{esc(title)}</h1><p class="gen">Generated by flake8-async-route '
            f'{esc(__version__)} on {esc(_generated_at())} \u00b7 {esc(numbers["files"])} '
            f'file{"" if numbers["files"] == 1 else "s"} checked</p>',
            '<nav aria-label="Sections"><a href="#summary">Summary</a>'
            + ('<a href="#inventory-section">Inventory</a>' if audit else "")
            + '<a href="#findings">Findings</a>'
            + ('<a href="#rules">Rules</a>' if ruled else "") + '</nav></header><main>',
            _summary_section(result, audit, numbers)]
    if audit:
        body.append(_inventory_section(result, finding_ids))
    body.append(_findings_section(findings, _Sources(), file_ids, finding_ids))
    if ruled:
        body.append(_rules_section(ruled))
    body.append("</main>")
    script = ""
    scripts_csp = "'none'"
    if findings or (audit and result.handlers):  # sorting and filtering
        script = f"<script>{SCRIPT}</script>"
        scripts_csp = _csp_hash(SCRIPT)
    if audit and result.handlers:
        body.append('<script type="application/json" id="asr-data">'
                    f"{_json_for_script(_script_data(result))}</script>")
    csp = (f"default-src 'none'; style-src {_csp_hash(STYLE)}; script-src {scripts_csp}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="color-scheme" content="light dark">'
            '<link rel="icon" href="data:,">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            + "".join(body) + script + "</body></html>\n")
    # A lone surrogate (an undecodable file name) cannot be written as UTF-8: show "?".
    return page.encode("utf-8", "replace").decode("utf-8")
