"""The audit run: find files, analyse them in parallel (or take their reports from the
cache), apply noqa and selection, compose router prefixes across files, and return one
deterministic result."""
from __future__ import annotations

import ast
import dataclasses
import hashlib
import importlib.util
import os
import sys
from collections import Counter
from operator import methodcaller
from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Optional, Union

from .. import engine, fixes, noqa
from ..cache_index import IndexedCache
from ..config import Config
from ..model import relative_to_cwd
from ..project import SESSION, long_lived_objects, read_bytes
from ..results import (INTERNAL_ERROR, UNREADABLE, AuditResult, FileReport, Finding, Handler,
                       PackedReport, verdict)
from .settings import Settings

# Set to any value to print how many reports came from the cache (to stderr).
CACHE_STATS_VARIABLE = "FLAKE8_ASYNC_ROUTE_CACHE_STATS"


def display_path(path: Path) -> str:
    """Relative to the working directory when below it, always with `/`."""
    return Path(relative_to_cwd(str(path))).as_posix()


def fingerprint(code: str, path: str, context: str, line_text: str, occurrence: int) -> str:
    """Stable across line shifts and unrelated edits: what, where by name, and the text of
    the offending line, with a count for repeats of the same text."""
    material = "\0".join([code, path, context, " ".join(line_text.split()), str(occurrence)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def _error(path: str, line: int, col: int, message: str) -> FileReport:
    return FileReport(path, error=Finding(path, line, col, UNREADABLE, message))


def analyse_file(path: Path, config: Config) -> FileReport:
    """Everything the audit needs from one file; never raises for bad input."""
    return _analyse(path, config, cached=False).report


class Analysed(NamedTuple):
    report: Union[FileReport, PackedReport]  # packed once it leaves `_analyse_all`
    digest: Optional[str]  # sha256 of the content analysed; None: do not cache the report
    # (path, sha256) of the other files the report may depend on; [] when not cached
    dependencies: list


def _analyse(path: Path, config: Config, cached: bool) -> Analysed:
    shown = display_path(path)
    try:
        raw = read_bytes(path, SESSION.overlay)
    except OSError as error:
        return Analysed(_error(shown, 1, 0, f"cannot read file: {error.strerror or error}"),
                        None, [])
    digest = hashlib.sha256(raw).hexdigest()
    try:
        source = importlib.util.decode_source(raw)
        tree = _already_parsed(path, config, digest) or ast.parse(source, filename=shown)
    except SyntaxError as error:
        return Analysed(_error(shown, error.lineno or 1, max((error.offset or 1) - 1, 0),
                               f"cannot parse file: {error.msg}"), digest, [])
    except (UnicodeDecodeError, ValueError) as error:
        return Analysed(_error(shown, 1, 0, f"cannot decode file: {error}"), digest, [])
    except (RecursionError, MemoryError):
        return Analysed(_error(shown, 1, 0, "cannot parse file: too deeply nested"),
                        None, [])
    lines = source.splitlines(keepends=True)
    if noqa.file_is_skipped(lines):
        return Analysed(FileReport(shown), digest, [])
    result, failure = engine.guarded(
        lambda: engine.check(tree, config, str(path), source, inventory=True))
    if failure is not None:  # not cached: a bug may be fixed, the stack may be deeper
        report = FileReport(shown, [Finding(shown, 1, 0, INTERNAL_ERROR, failure.message)]) \
            if failure.code == INTERNAL_ERROR else _error(shown, 1, 0, failure.message)
        return Analysed(report, None, [])
    # A bug in the fixes must not cost the findings: no fix for this file then, and when
    # its calls cannot be listed, no function anywhere is made `def`.
    try:
        found_fixes = fixes.fixes_for(result, source)
    except Exception:
        found_fixes = [None] * len(result.violations)
    try:
        called = fixes.called_coroutines(result.analysis.model) if result.analysis else []
    except Exception:
        called = [fixes.EVERYTHING_CALLED]
    report = _report(shown, lines, result, found_fixes)
    report.awaited = called
    too_deep = result.too_deep
    if too_deep:  # the rest of the file was analysed; not cached: it depends on the stack
        first = too_deep[0].node
        more = f" (and {len(too_deep) - 1} more)" if len(too_deep) > 1 else ""
        report.error = Finding(shown, first.lineno, first.col_offset, UNREADABLE,
                               engine.too_deep_message(too_deep[0]) + more)
        return Analysed(report, None, [])
    # Hashing every file a report depends on is for the cache alone.
    return Analysed(report, digest, _dependencies(path, config) if cached else [])


def _already_parsed(path: Path, config: Config, digest: str) -> Optional[ast.Module]:
    """The tree of this very content, if an earlier file's analysis parsed it (imported)."""
    project = SESSION.project_for(str(path), config.source_roots, config.client_types)
    return project.parsed_tree(path, digest) if project is not None else None


def _dependencies(path: Path, config: Config) -> list:
    project = SESSION.project_for(str(path), config.source_roots, config.client_types)
    return project.dependency_digests(path) if project is not None else []


def _report(path: str, lines: list[str], result: engine.ModuleResult,
            found_fixes: Optional[list] = None) -> FileReport:
    statements = noqa.logical_line_text(lines) if result.violations else {}
    occurrences: Counter = Counter()
    kept: dict = {}
    found_fixes = found_fixes or [None] * len(result.violations)
    for violation, context, fix in zip(result.violations, result.contexts, found_fixes):
        if noqa.is_suppressed(violation.code, statements.get(violation.line)):
            continue
        line_text = lines[violation.line - 1] if violation.line <= len(lines) else ""
        key = (violation.code, context, " ".join(line_text.split()))
        occurrences[key] += 1
        kept[violation] = Finding(path, violation.line, violation.col, violation.code,
                                  violation.message, context,
                                  fingerprint(violation.code, path, context, line_text,
                                              occurrences[key]), fix)
    handlers = [
        Handler(path, h.function.node.lineno, h.function.qualname, h.kind,
                h.function.is_async, h.methods, h.route, h.router, h.verdict,
                [kept[v] for v in h.violations if v in kept], h.blocks_through)
        for h in result.handlers
    ]
    return FileReport(path, list(kept.values()), handlers, list(result.includes), result.module)


def _analyse_packed(path: Path, config: Config, cached: bool) -> Analysed:
    """Packed where it is made: from a worker, the report then crosses to the parent as
    the bytes it keeps, instead of objects the parent would pickle again."""
    analysed = _analyse(path, config, cached)
    return analysed._replace(report=analysed.report.packed())


def _analyse_batch(batch: list, config: Config, cached: bool) -> list[Analysed]:
    return [_analyse_packed(Path(path), config, cached) for path in batch]


def analyse_files(paths: list[Path], settings: Settings,
                  progress: Optional[Callable[[int], None]] = None
                  ) -> list[Union[FileReport, PackedReport]]:
    """Reports in the order of `paths`, whatever the number of processes and whatever the
    cache held, those analysed now packed (see PackedReport). Entries are looked up and
    written by this process only."""
    config = settings.config()
    cache = None if settings.no_cache else IndexedCache.open(settings.cache_dir, config, "audit")
    reports: list[Union[None, FileReport, PackedReport]] = [None] * len(paths)
    todo: list[int] = []
    for index, path in enumerate(paths):
        cached = cache.load(path, FileReport.from_json) if cache is not None else None
        if cached is None:
            todo.append(index)
            continue
        reports[index] = cached
        if progress:
            progress(1)
    for index, analysed in zip(todo, _analyse_all([paths[i] for i in todo], config,
                                                  settings.workers(), progress,
                                                  cached=cache is not None)):
        reports[index] = analysed.report
        if cache is not None and analysed.digest is not None:
            cache.store(paths[index], analysed.digest, analysed.report.to_json,
                        analysed.dependencies)
    # The models of the last files are of no more use: what is written next is the size
    # of the report (and of the cache), and a run's peak memory is their sum.
    SESSION.forget_all()
    if cache is not None:
        cache.save()
    if cache is not None and os.environ.get(CACHE_STATS_VARIABLE):
        print(f"flake8-async-route: {cache.stats()}", file=sys.stderr)
    return reports  # type: ignore[return-value]  # every slot is filled


def _analyse_all(paths: list[Path], config: Config, workers: int,
                 progress: Optional[Callable[[int], None]], cached: bool) -> Iterator[Analysed]:
    workers = min(workers, max(len(paths), 1))
    if workers <= 1:
        for path in paths:
            analysed = _analyse_packed(path, config, cached)
            if progress:  # before the yield: the consumer may not ask for more after the last
                progress(1)
            yield analysed
        return
    # Contiguous batches keep a package's modules in one process, where they share models.
    size = max(1, min(64, len(paths) // (workers * 4) or 1))
    batches = [[str(p) for p in paths[i:i + size]] for i in range(0, len(paths), size)]
    # Imported here: multiprocessing is a tenth of the start-up of a run that needs no process.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        for batch in pool.map(_analyse_batch, batches, [config] * len(batches),
                              [cached] * len(batches)):
            if progress:
                progress(len(batch))
            yield from batch


def compose(reports: list[Union[FileReport, PackedReport]], settings: Settings) -> AuditResult:
    """One result: selection applied, verdicts recomputed, router prefixes composed."""
    result = AuditResult()
    includes = [include for report in reports for include in report.includes]
    called = {key for report in reports for key in report.awaited}
    # Packed reports made again: as objects that live to the end of the run (as models do,
    # see long_lived_objects), a quarter of the time with the collector kept off them.
    with long_lived_objects():
        for report in map(methodcaller("unpack"), reports):
            _add_report(result, report, includes, called, settings)
    result.findings.sort(key=Finding.sort_key)
    result.errors.sort(key=Finding.sort_key)
    result.handlers.sort(key=Handler.sort_key)
    return result


def _add_report(result: AuditResult, report: FileReport, includes: list, called: set,
                settings: Settings) -> None:
    result.files.append(report.path)
    if report.error is not None and settings.selects(UNREADABLE, report.path):
        result.errors.append(report.error)
    selected = [_with_final_fix(f, called, settings.fix_timeout) for f in report.findings
                if settings.selects(f.code, report.path)]
    result.findings.extend(selected)
    kept = {f: f for f in selected}  # findings compare without their fix
    for handler in report.handlers:
        handler.findings = [kept[f] for f in handler.findings if f in kept]
        handler.verdict = verdict(handler.is_async, {f.code for f in handler.findings},
                                  handler.blocks_through)
        handler.route = _mounted_path(handler, includes)
        result.handlers.append(handler)


def _with_final_fix(finding: Finding, called: set, timeout: Optional[str]) -> Finding:
    """The finding with the fix this run offers (see fixes.finalize)."""
    fix = fixes.finalize(finding.fix, called, timeout)
    return finding if fix is finding.fix else dataclasses.replace(finding, fix=fix)


def _mounted_path(handler: Handler, includes: list) -> Optional[str]:
    """Prefix the route with the prefixes of the `include_router` calls above its router."""
    if handler.route is None or handler.router is None:
        return handler.route
    route, router, seen = handler.route, handler.router, set()
    while router not in seen:
        seen.add(router)
        parents = sorted(i for i in includes if i[1] == router)
        if not parents:
            break
        router, _, prefix = parents[0]
        route = prefix + route
    return route
