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

from . import handler_label, summary
from .. import __version__
from ..results import VERDICTS, AuditResult, Finding, Handler

CONTEXT_LINES = 2  # lines shown before and after the offending one
MAX_LINE_CHARS = 400  # longer excerpt lines are cut
MAX_FILE_BYTES = 5 * 1024 * 1024  # larger files get no excerpt

VERDICT_CLASSES = {"blocks the loop": "v-blocks", "offload-only": "v-offload",
                   "could be def": "v-coulddef", "may starve the pool": "v-starve",
                   "clean": "v-clean"}

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
    try:
        from ..rules import Rule
    except Exception:  # noqa: BLE001 - a report never fails for want of a rule title
        return ""
    rule = Rule.registry.get(code)
    if rule is None:
        return "file could not be read or parsed" if code == "ASR001" else ""
    return rule.slug.replace("-", " ")


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
            f'<li><span class="code" title="{esc(_rule_title(code))}">{esc(code)}</span>'
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
                f'<li class="finding" id="{finding_ids[finding.sort_key()]}">'
                f'<div class="fhead">'
                f'<span class="code" title="{esc(_rule_title(finding.code))}">'
                f'{esc(finding.code)}</span>'
                f'<span class="where">{esc(path)}:{esc(finding.line)}:{esc(finding.col + 1)}'
                f'</span><span class="ctx">{context}</span></div>'
                f'<p class="msg">{_message(finding.message)}</p>'
                f'{sources.excerpt(finding)}</li>')
        parts.append(
            f'<section class="file" id="{file_ids[path]}" aria-label="{esc(path)}">'
            f'<h3><span class="path">{esc(path)}</span> <span class="n">'
            f'{len(group)} finding{"" if len(group) == 1 else "s"}</span></h3>'
            f'<ol class="findings">{"".join(items)}</ol></section>')
    return ('<section id="findings" aria-labelledby="findings-h">'
            f'<h2 id="findings-h">Findings <span class="n">({len(findings)})</span></h2>'
            f'{"".join(parts)}</section>')


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
    body = [f'<header><h1>{esc(title)}</h1><p class="gen">Generated by flake8-async-route '
            f'{esc(__version__)} on {esc(_generated_at())} \u00b7 {esc(numbers["files"])} '
            f'file{"" if numbers["files"] == 1 else "s"} checked</p>',
            '<nav aria-label="Sections"><a href="#summary">Summary</a>'
            + ('<a href="#inventory-section">Inventory</a>' if audit else "")
            + '<a href="#findings">Findings</a></nav></header><main>',
            _summary_section(result, audit, numbers)]
    if audit:
        body.append(_inventory_section(result, finding_ids))
    body.append(_findings_section(findings, _Sources(), file_ids, finding_ids))
    body.append("</main>")
    script = ""
    scripts_csp = "'none'"
    if audit and result.handlers:
        script = f"<script>{SCRIPT}</script>"
        scripts_csp = _csp_hash(SCRIPT)
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


STYLE = """
:root{--bg:#f6f7f9;--fg:#1d2330;--muted:#5b6577;--card:#fff;--line:#dde1e8;--hit:#fff3c4;
--code:#eef1f5;--accent:#2456c7;--red:#b42318;--redbg:#fde4e1;--amber:#8a4b00;--amberbg:#fdefd3;
--orange:#a3410a;--orangebg:#fde3cf;--cyan:#075e73;--cyanbg:#d7f1f7;--green:#1f6b35;
--greenbg:#dcf3e2}
@media (prefers-color-scheme:dark){:root{--bg:#15181e;--fg:#e3e7ee;--muted:#9aa4b5;
--card:#1e232b;--line:#343b47;--hit:#4a3f12;--code:#262c36;--accent:#8fb1ff;--red:#ffb4a9;
--redbg:#5c1a14;--amber:#ffd79a;--amberbg:#4d3608;--orange:#ffc29c;--orangebg:#582a0c;
--cyan:#9ee6f7;--cyanbg:#0b3f4c;--green:#a6e8b8;--greenbg:#173d22}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,
"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{padding:20px 28px 10px;border-bottom:1px solid var(--line);background:var(--card)}
h1{margin:0;font-size:24px}
h2{font-size:19px;margin:28px 0 12px}
h3{font-size:14px;margin:0 0 8px}
.gen{margin:4px 0 8px;color:var(--muted)}
nav a{margin-right:16px;color:var(--accent)}
main{padding:0 28px 40px;max-width:1400px}
code,pre,.loc,.where,.path,.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,
"DejaVu Sans Mono",monospace;font-size:13px}
.n{color:var(--muted);font-weight:normal}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card h3{color:var(--muted);font-weight:600;text-transform:uppercase;font-size:12px;
letter-spacing:.04em}
.card.wide{grid-column:span 2}
.big{font-size:30px;font-weight:700;margin:0}
.note{margin:2px 0 0;color:var(--muted);font-size:13px}
.meter{display:block;width:100%;height:8px;border-radius:4px;margin-top:8px}
.meter .ok{fill:var(--green)}
.meter .bad{fill:var(--red)}
.counts{list-style:none;margin:0;padding:0}
.counts li{display:flex;align-items:center;gap:8px;padding:3px 0;
border-bottom:1px dashed var(--line)}
.counts li:last-child{border-bottom:0}
.counts .rule{color:var(--muted);font-size:13px;flex:1;overflow:hidden;text-overflow:ellipsis;
white-space:nowrap}
.counts .count{margin-left:auto;font-weight:700}
.code{font-weight:700;color:var(--red)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;
white-space:nowrap;border:1px solid currentColor}
.v-blocks{color:var(--red);background:var(--redbg)}
.v-starve{color:var(--orange);background:var(--orangebg)}
.v-offload{color:var(--amber);background:var(--amberbg)}
.v-coulddef{color:var(--cyan);background:var(--cyanbg)}
.v-clean{color:var(--green);background:var(--greenbg)}
.v-other{color:var(--muted)}
.controls{display:flex;flex-wrap:wrap;gap:16px;align-items:center;margin-bottom:10px}
.controls label{display:flex;gap:6px;align-items:center;font-weight:600}
.controls input,.controls select{font:inherit;padding:4px 8px;border:1px solid var(--line);
border-radius:6px;background:var(--card);color:var(--fg)}
.controls input{width:22em}
#shown{margin:0;color:var(--muted)}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%}
caption{text-align:left;padding:8px 12px;color:var(--muted);font-size:13px}
th,td{padding:6px 12px;text-align:left;border-top:1px solid var(--line);vertical-align:top}
td:last-child,th:last-child{text-align:right}
thead th{background:var(--code);white-space:nowrap;font-size:13px}
th button{font:inherit;font-weight:700;color:inherit;background:none;border:0;padding:0;
cursor:pointer}
th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th button .arrow{display:inline-block;width:1em;color:var(--muted)}
tbody tr:hover{background:var(--code)}
.mode.async{color:var(--accent);font-weight:600}
.mode.def{color:var(--muted)}
.loc{color:var(--muted);white-space:nowrap}
.empty,.none{color:var(--muted)}
.finding:target{background:var(--hit)}
.file{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;
margin-bottom:14px}
.file h3{font-size:15px}
.findings{list-style:none;margin:0;padding:0}
.finding{padding:10px 0;border-top:1px solid var(--line)}
.fhead{display:flex;flex-wrap:wrap;gap:12px;align-items:baseline}
.ctx{color:var(--muted);font-size:13px}
.msg{margin:4px 0 6px}
.msg code{background:var(--code);padding:0 3px;border-radius:3px}
.excerpt{margin:0;background:var(--code);border-radius:6px;padding:6px 0;overflow-x:auto;
tab-size:4}
.excerpt code{display:block;min-width:max-content}
.ln{display:block;padding:0 12px 0 0}
.ln.hit{background:var(--hit);box-shadow:inset 3px 0 0 var(--red)}
.no{display:inline-block;color:var(--muted);padding:0 12px;margin-right:8px;
border-right:1px solid var(--line);user-select:none;text-align:right}
.src{white-space:pre}
@media print{nav,.controls{display:none}.file,.card{break-inside:avoid}}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("inventory");
  var dataNode = document.getElementById("asr-data");
  if (!table || !dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  var haystacks = rows.map(function (row) {
    var h = data.handlers[Number(row.getAttribute("data-index"))] || {};
    return [row.textContent, h.path, h.route, h.name, h.verdict, h.kind,
            (h.codes || []).join(" "), (h.messages || []).join(" ")].join(" ").toLowerCase();
  });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sortColumn = -1, ascending = true;

  function value(row, column) {
    return row.cells[column].getAttribute("data-sort") || "";
  }
  function compare(a, b, column) {
    var x = value(a, column), y = value(b, column);
    var nx = Number(x), ny = Number(y);
    if (x !== "" && y !== "" && isFinite(nx) && isFinite(ny)) { return nx - ny; }
    return collator.compare(x, y);
  }
  function sortBy(column) {
    ascending = column === sortColumn ? !ascending : true;
    sortColumn = column;
    var order = rows.map(function (row, index) { return [row, index]; });
    order.sort(function (a, b) {
      var result = compare(a[0], b[0], column);
      if (!ascending) { result = -result; }
      return result || a[1] - b[1];
    });
    var fragment = document.createDocumentFragment();
    order.forEach(function (pair) { fragment.appendChild(pair[0]); });
    body.appendChild(fragment);
    headers.forEach(function (th, index) {
      var arrow = th.querySelector(".arrow");
      if (index === column) {
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        arrow.textContent = ascending ? "\\u25B2" : "\\u25BC";
      } else {
        th.removeAttribute("aria-sort");
        arrow.textContent = "";
      }
    });
  }
  headers.forEach(function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    var label = document.createElement("span");
    label.textContent = th.textContent;
    var arrow = document.createElement("span");
    arrow.className = "arrow";
    arrow.setAttribute("aria-hidden", "true");
    button.appendChild(label);
    button.appendChild(arrow);
    button.title = "Sort by " + th.textContent;
    button.addEventListener("click", function () { sortBy(index); });
    th.textContent = "";
    th.appendChild(button);
  });

  var filter = document.getElementById("filter");
  var verdict = document.getElementById("verdict-filter");
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = verdict.value, count = 0;
    rows.forEach(function (row, index) {
      var match = (!wanted || row.getAttribute("data-verdict") === wanted) &&
        words.every(function (word) { return haystacks[index].indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " handlers shown";
    noMatch.hidden = count !== 0;
  }
  filter.addEventListener("input", applyFilter);
  verdict.addEventListener("change", applyFilter);
  document.getElementById("inventory-controls").hidden = false;
  applyFilter();
})();
"""
