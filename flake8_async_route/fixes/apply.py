"""Applying fixes (`flake8-async-route fix`, `check --fix`, `--diff`).

Passes: each one takes the fixes the analysis offers for the reported findings (safe ones,
and unsafe ones with `--unsafe-fixes`), keeps per file a batch whose edits do not overlap,
applies it in memory, checks that the file still parses and compiles (a fix that breaks it
is dropped and reported), and analyses the changed files again, with the other changed
files seen as changed, so that the next pass sees the fixes' effects: a conflicting fix is
retried on the new code, and fixes that no longer apply are gone. Passes stop when nothing
changes. Imports that the applied fixes left unused are then removed. Nothing is written
until the end: then each changed file is replaced atomically, or shown as a diff.
"""
from __future__ import annotations

import ast
import difflib
import io
import re
import sys
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple, Optional

from ..audit import runner
from ..atomic import write_atomically
from ..project import SESSION
from ..results import AuditResult, Finding, Fix
from ..audit.settings import Settings
from .imports import cleanup_edits
from .source import Source

MAX_PASSES = 10
_NAME = re.compile(r"(?<![.\w])[A-Za-z_]\w*")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list:
    """Lines with their endings, split where `ast` splits them (not at form feeds)."""
    return _LINE.findall(text)


def compiles(text: str) -> bool:
    """Parses, and compiles (`await` outside `async def` only fails the latter)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like
            ast.parse(text)
            compile(text, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


class FileText:
    """A file being fixed: its original and current text, with what writing it back the
    same way needs (encoding, byte-order mark, line endings)."""

    def __init__(self, path: Path, shown: str):
        self.path = path
        self.shown = shown
        raw = path.read_bytes()
        self.encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        self.original = self.text = raw.decode(self.encoding)  # utf-8-sig drops the BOM
        ending = re.search(r"\r\n|\r|\n", self.text)
        self.newline = ending.group() if ending else "\n"
        self.compiled = compiles(self.text)
        self.applied: list = []  # Fixes
        self.released: set = set()

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def encoded(self) -> bytes:
        return self.text.encode(self.encoding)

    def acceptable(self, text: str) -> bool:
        """Still valid Python: it parses, and compiles when the original did."""
        return compiles(text) if self.compiled else parses(text)

    def diff(self) -> str:
        lines = difflib.unified_diff(split_lines(self.original), split_lines(self.text),
                                     self.shown, self.shown)
        out = []
        for line in lines:
            out.append(line if line.endswith(("\n", "\r")) else
                       line + "\n\\ No newline at end of file\n")
        return "".join(out)

    def write(self) -> None:
        """Replace the file atomically, keeping its permissions."""
        target = self.path.resolve()
        write_atomically(target, self.encoded(), target.stat().st_mode & 0o7777)


class Planned(NamedTuple):
    """A fix in character offsets of the current text."""

    finding: Finding
    edits: tuple  # (start, end, text), sorted
    span: Optional[tuple]  # (start, end) no other fix of the batch may touch
    names: frozenset  # the names its inserted text uses (keywords too: harmless)


def plan(finding: Finding, source: Source, newline: str) -> Optional[Planned]:
    fix: Fix = finding.fix
    try:
        edits = tuple((source.offset(e.line, e.col), source.offset(e.end_line, e.end_col),
                       e.text.replace("\n", newline)) for e in fix.edits)
        span = None
        if fix.span:
            span = (source.offset(fix.span[0], fix.span[1]),
                    source.offset(fix.span[2], fix.span[3]))
    except (ValueError, IndexError):
        return None
    names = frozenset(m.group() for e in fix.edits for m in _NAME.finditer(e.text))
    return Planned(finding, edits, span, names)


def _conflict(a: tuple, b: tuple) -> bool:
    """Two different edits that cannot both apply in a known order."""
    (a0, a1), (b0, b1) = a[:2], b[:2]
    return (a0 < b1 and b0 < a1) or a0 == b0 or (a0 == a1 and b0 < a0 < b1) or \
        (b0 == b1 and a0 < b0 < a1)


def _in_span(edit: tuple, span: tuple) -> bool:
    start, end = edit[:2]
    return (start < span[1] and span[0] < end) or span[0] <= start == end <= span[1]


def select(planned: list) -> list:
    """The fixes of one file that can apply together, safe ones first then in order;
    identical edits (two fixes adding the same import) are shared."""
    chosen: list = []
    edits: set = set()
    spans: list = []
    names: set = set()  # used by the inserted texts of the fixes chosen
    released: set = set()  # whose imports the fixes chosen may remove
    for candidate in sorted(planned, key=lambda p: (not p.finding.fix.safe, p.edits[:1])):
        new = [e for e in candidate.edits if e not in edits]
        own_released = set(candidate.finding.fix.releases)
        if any(_conflict(e, other) for e in new for other in edits) or \
                any(_in_span(e, span) for e in new for span in spans) or \
                (candidate.span is not None and any(_in_span(e, candidate.span)
                                                    for e in edits)) or \
                own_released & names or candidate.names & released:
            continue  # next pass, on the code this one leaves
        names.update(candidate.names)
        released.update(own_released)
        chosen.append(candidate)
        edits.update(new)
        if candidate.span is not None:
            spans.append(candidate.span)
    return chosen


class OverlappingEdits(RuntimeError):
    """Two edits given to `apply_edits` overlap: which text wins would be arbitrary."""


def apply_edits(text: str, edits: list) -> str:
    """Apply (start, end, text) edits, in character offsets; identical ones once."""
    spliced = []
    position = 0
    for start, end, new in sorted(set(edits), key=lambda e: (e[0], e[1], e[2])):
        if start < position:
            raise OverlappingEdits(f"an edit at {start} overlaps the one ending at {position}")
        spliced += [text[position:start], new]
        position = end
    spliced.append(text[position:])
    return "".join(spliced)


def _applied_text(text: str, batch: list) -> str:
    return apply_edits(text, [e for p in batch for e in p.edits])


def apply_batch(state: FileText, batch: list) -> tuple:
    """(new text, fixes applied, fixes rejected because the result would not compile)."""
    new = _applied_text(state.text, batch)
    if state.acceptable(new):
        return new, batch, []
    rejected = [p for p in batch if not state.acceptable(_applied_text(state.text, [p]))]
    rest = [p for p in batch if p not in rejected]
    new = _applied_text(state.text, rest)
    if rest and not state.acceptable(new):
        rest = rest[:1]  # fine alone, not together: one now, the others next pass
        new = _applied_text(state.text, rest)
    return new, rest, rejected


@dataclass
class Outcome:
    states: dict  # display path → FileText, for the files a fix was applied to
    result: AuditResult  # after fixing, as far as the in-memory passes can tell
    rejected: list = field(default_factory=list)  # Findings whose fix would break the file
    passes: int = 0

    @property
    def changed(self) -> list:
        return [s for _, s in sorted(self.states.items()) if s.changed]

    @property
    def applied(self) -> int:
        return sum(len(s.applied) for s in self.changed)

    def diff(self) -> str:
        return "".join(s.diff() for s in self.changed)


def wanted(finding: Finding, settings: Settings) -> bool:
    return finding.fix is not None and (finding.fix.safe or settings.unsafe_fixes)


def fix_files(files: list, reports: list, settings: Settings,
              result_of: Callable[[list], AuditResult]) -> Outcome:
    """Fix in memory until nothing changes; `reports` are the files' reports (replaced in
    place as files change) and `result_of` composes them into the reported result."""
    index = {runner.display_path(path): i for i, path in enumerate(files)}
    states: dict = {}
    rejected_keys: set = set()
    rejected: list = []
    config = settings.config()
    result = result_of(reports)
    passes = 0
    try:
        while passes < MAX_PASSES:
            by_file: dict = {}
            for finding in result.findings:
                key = (finding.path, finding.code, finding.fingerprint)
                if wanted(finding, settings) and key not in rejected_keys and \
                        finding.path in index:
                    by_file.setdefault(finding.path, []).append(finding)
            changed = []
            for path, findings in sorted(by_file.items()):
                if path not in states:
                    try:
                        states[path] = FileText(files[index[path]], path)
                    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
                        continue
                state = states[path]
                source = Source(state.text)
                planned = [p for p in (plan(f, source, state.newline) for f in findings) if p]
                batch = select(planned)
                if not batch:
                    continue
                new, applied, bad = apply_batch(state, batch)
                for item in bad:
                    finding = item.finding
                    rejected_keys.add((finding.path, finding.code, finding.fingerprint))
                    rejected.append(finding)
                if applied and new != state.text:
                    state.text = new
                    state.applied.extend(p.finding.fix for p in applied)
                    for item in applied:
                        state.released.update(item.finding.fix.releases)
                    changed.append(path)
            passes += 1
            if not changed:
                break
            _reanalyse(changed, states, files, index, reports, config)
            result = result_of(reports)
        _clean_up_imports(states)
    finally:
        SESSION.overlay = {}
        SESSION.forget_all()
    return Outcome(states, result, rejected, passes)


def _reanalyse(changed: list, states: dict, files: list, index: dict, reports: list,
               config) -> None:
    """Analyse the changed files again, every changed file read from memory."""
    SESSION.overlay = {s.path.resolve(): s.encoded() for s in states.values() if s.changed}
    SESSION.forget_all()
    for path in changed:
        reports[index[path]] = runner.analyse_file(files[index[path]], config)


def _clean_up_imports(states: dict) -> None:
    """Remove the imports the applied fixes, together, left unused (each fix removes the
    ones it leaves unused alone)."""
    for state in states.values():
        if not state.changed or not state.released:
            continue
        source = Source(state.text)
        edits = cleanup_edits(state.text, sorted(state.released), state.shown)
        if not edits:
            continue
        converted = [(source.offset(e.line, e.col), source.offset(e.end_line, e.end_col),
                      e.text.replace("\n", state.newline)) for e in edits]
        new = apply_edits(state.text, converted)
        if state.acceptable(new):
            state.text = new


def write_all(outcome: Outcome) -> list:
    """Write the changed files; the (path, error) of those that could not be written."""
    failures = []
    for state in outcome.changed:
        try:
            state.write()
        except (OSError, UnicodeEncodeError) as error:
            failures.append((state.shown, getattr(error, "strerror", None) or str(error)))
    return failures


def summary(outcome: Outcome, result: AuditResult, settings: Settings, diff: bool) -> str:
    applied, files = outcome.applied, len(outcome.changed)
    remaining = len(result.findings) + len(result.errors)
    fixes_text = f"{applied} fix{'es' if applied != 1 else ''}"
    files_text = f"{files} file{'s' if files != 1 else ''}"
    findings_text = f"{remaining} finding{'s' if remaining != 1 else ''}"
    if diff:
        text = f"{fixes_text} would be applied in {files_text}, {findings_text} would remain"
    else:
        text = f"{fixes_text} applied in {files_text}, {findings_text} remaining"
    if not settings.unsafe_fixes:
        unsafe = sum(1 for f in result.findings if f.fix is not None and not f.fix.safe)
        if unsafe:
            text += f" ({unsafe} more fixable with --unsafe-fixes)"
    return f"flake8-async-route: {text}"


def rejection(finding: Finding) -> str:
    return (f"flake8-async-route: {finding.path}:{finding.line}:{finding.col + 1}: "
            f"{finding.code} fix skipped: the fixed code would not compile")


def print_stderr(text: str) -> None:
    print(text, file=sys.stderr)
