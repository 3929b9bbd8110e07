"""User-written blocking patterns: ast-grep patterns (Python) reported as ASR100 where they
match on the event loop.

ast-grep (the `ast-grep-py` package) is imported only when patterns are configured, and run
only on modules that define a coroutine: the source is parsed once, every pattern is run on
it, and a match is kept when it starts in a coroutine's own code, the places ASR1xx findings
are reported: not in a nested `def`, class body or lambda (so never in a lambda handed to a
thread offload), except a lambda handed to `sorted`, `map` and the like, which runs at once.
"""
from __future__ import annotations

import ast
import bisect
import functools
import importlib.util
import json
import re
from typing import Container, Iterable, NamedTuple, Optional, Union

from . import catalog
from .analysis import STARTUP_CODE, Violation
from .columns import byte_column
from .config import CONFIGURED_BLOCKING_CODE, DEFAULT_CONFIGURED_HINT, ConfigError
from .catalog import lookup_table
from .model import FunctionInfo, ModuleModel

OPTION = "blocking-patterns"
KEYS = ("pattern", "message", "hint")
# `$NAME`, `$$NAME` (unnamed nodes too), `$$$NAME` and `$$$` (any number of nodes), `$_`.
METAVARIABLE = re.compile(r"\$\$\$(?:[A-Z_][A-Z0-9_]*)?|\$\$?[A-Z_][A-Z0-9_]*")
# A reference to a metavariable in a message or hint: `$NAME` or `$$$NAME`.
REFERENCE = re.compile(r"\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)")
_JSON_LIST_OF_TABLES = re.compile(r"\[\s*[{\]]")
_SPACE_BEFORE_SEPARATOR = re.compile(r"\s+([,;])")
SHOWN_LIMIT = 60


class BlockingPattern(NamedTuple):
    pattern: str
    message: str = ""  # "" : "`<matched text>` blocks the event loop"
    hint: str = ""  # "" : DEFAULT_CONFIGURED_HINT


PatternsValue = Union[str, Iterable[Union[str, dict, BlockingPattern]]]


# ----- reading and checking the configuration ---------------------------------------------

def parse(value: PatternsValue, validate: bool = True) -> tuple[BlockingPattern, ...]:
    """Patterns from the flake8 option's text (a JSON list, or one `PATTERN -> message ->
    hint` per line) or from a list (pyproject.toml) of tables or strings. Raises ConfigError
    for an entry of the wrong shape and, with `validate`, for a pattern that is not valid."""
    if isinstance(value, str):
        entries = _from_text(value)
    elif isinstance(value, (list, tuple)):
        entries = [(item, False) for item in value]
    else:
        raise ConfigError(f"{OPTION} must be a list of tables (pattern, message, hint)")
    found = []
    for item, from_line in entries:
        entry = _entry(item)
        if validate:
            try:
                check(entry)
            except ConfigError as error:
                if from_line and "is not valid Python" in str(error):
                    raise ConfigError(f"{error} (`->` separates the pattern from the message "
                                      "and hint: write a pattern that contains `->` in the "
                                      "JSON form)") from None
                raise
        found.append(entry)
    return tuple(found)


def checked(value: PatternsValue, source: str) -> list[BlockingPattern]:
    """`parse` for the command line's settings: errors name where the value came from."""
    try:
        return list(parse(value))
    except ConfigError as error:
        raise ConfigError(f"{source}: {error}") from None


def _from_text(text: str) -> list[tuple[object, bool]]:
    """(entry, written as a line) pairs from the flake8 option's text."""
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except ValueError as error:
            if _JSON_LIST_OF_TABLES.match(stripped):
                raise ConfigError(f"{OPTION}: not a valid JSON list: {error}") from None
            data = None  # a line whose pattern starts with `[`
        if isinstance(data, list):
            return [(item, False) for item in data]
    entries: list[tuple[object, bool]] = []
    for line in text.splitlines():
        if line.strip():
            pattern, _, rest = line.partition("->")
            message, _, hint = rest.partition("->")
            entries.append(({"pattern": pattern, "message": message, "hint": hint}, True))
    return entries


def _entry(item) -> BlockingPattern:
    if isinstance(item, BlockingPattern):
        return item
    if isinstance(item, str):
        item = {"pattern": item}
    if not isinstance(item, dict):
        raise ConfigError(f"{OPTION}: each entry must be a table with `pattern` and optional "
                          f"`message` and `hint`, not {item!r}")
    unknown = sorted(str(key) for key in item if key not in KEYS)
    if unknown:
        raise ConfigError(f"{OPTION}: unknown key {', '.join(map(repr, unknown))} in "
                          f"{item!r} (the keys are pattern, message, hint)")
    if "pattern" not in item:
        raise ConfigError(f"{OPTION}: {item!r} has no `pattern`")
    for key in KEYS:
        if not isinstance(item.get(key, ""), str):
            raise ConfigError(f"{OPTION}: the {key} of {item!r} must be a string")
    return BlockingPattern(item["pattern"].strip(), " ".join(item.get("message", "").split()),
                           " ".join(item.get("hint", "").split()))


def check(entry: BlockingPattern) -> None:
    """Raise ConfigError unless the pattern is one ast-grep node of valid Python that does
    not match everything."""
    pattern = entry.pattern
    if not pattern:
        raise ConfigError(f"{OPTION}: empty pattern")
    if METAVARIABLE.fullmatch(pattern):
        raise ConfigError(f"{OPTION}: {pattern!r} is only a metavariable and would match "
                          "every node")
    try:
        tree = ast.parse(METAVARIABLE.sub("__asr_metavariable", pattern))
    except SyntaxError as error:
        raise ConfigError(f"{OPTION}: {pattern!r} is not valid Python: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ConfigError(f"{OPTION}: {pattern!r} is not valid Python: {error}") from None
    if not tree.body:
        raise ConfigError(f"{OPTION}: {pattern!r} has no code, only comments")
    problem = _ast_grep_problem(pattern)
    if problem:
        raise ConfigError(f"{OPTION}: ast-grep rejects {pattern!r}: {problem}")


@functools.lru_cache(maxsize=None)
def _ast_grep_problem(pattern: str) -> Optional[str]:
    """Why ast-grep cannot compile the pattern, or None: tried on an empty module."""
    sg_root = _sg_root()
    try:
        sg_root("", "python").root().find_all(pattern=pattern)
    except Exception as error:  # ast-grep-py raises RuntimeError with a chain of causes
        return _cause(str(error))
    return None


def _cause(text: str) -> str:
    """The innermost cause of an ast-grep error, without its Rust backtrace."""
    text = text.split("Stack backtrace:")[0]
    causes = re.findall(r"^\s*\d+: (.+)$", text, flags=re.MULTILINE)
    if causes:
        return causes[-1].strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "invalid pattern"


def _sg_root():
    try:
        from ast_grep_py import SgRoot
    except ImportError as error:
        raise ConfigError(f"{OPTION} need the ast-grep-py package "
                          f"(`pip install ast-grep-py`): {error}") from None
    return SgRoot


# ----- matching ---------------------------------------------------------------------------

def violations(model: ModuleModel, source: Union[str, bytes, None],
               patterns: Iterable[BlockingPattern], taken: Iterable[tuple],
               offline: Container = frozenset(), startup: Container = frozenset()
               ) -> list[Violation]:
    """ASR100 for each match on the event loop (ASR111 in the `startup` coroutines, none
    in the `offline` ones, which never run on a server's loop). A position in `taken`
    (line, column) already holds an ASR1xx finding (the catalog's or a configured call's),
    and one an earlier pattern matched is taken too: the more specific finding wins."""
    patterns = tuple(patterns)
    if not patterns or source is None or not any(True for _ in model.coroutines()):
        return []
    if isinstance(source, bytes):
        source = importlib.util.decode_source(source)
    if "\r" in source:  # Python ends lines at `\r` too, tree-sitter only at `\n`
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    regions = _Regions(model)
    if not regions.coroutine_lines:
        return []
    taken = set(taken)
    root = _sg_root()(source, "python").root()
    rows = source.split("\n")  # tree-sitter's rows: only `\n` ends one
    found = []
    for entry in patterns:
        for match in root.find_all(pattern=entry.pattern):
            start = match.range().start
            line = start.line + 1
            if not regions.may_hold(line):
                continue
            row = rows[start.line] if start.line < len(rows) else ""
            col = byte_column(row, start.column)  # characters → UTF-8 bytes
            if (line, col) in taken:
                continue
            function = regions.loop_function(line, col)
            if function is None or function in offline:
                continue
            taken.add((line, col))
            code = STARTUP_CODE if function in startup else CONFIGURED_BLOCKING_CODE
            found.append(Violation(line, col, code, _message(entry, match, function)))
    return found


def _message(entry: BlockingPattern, match, function: FunctionInfo) -> str:
    names = {name.lstrip("$") for name in METAVARIABLE.findall(entry.pattern)}
    message = entry.message or f"`{_shown(match.text())}` blocks the event loop"
    message = _substitute(message, names, match).rstrip(" .")
    hint = _substitute(entry.hint, names, match) or DEFAULT_CONFIGURED_HINT
    return f"{message} in {function.where()}; {hint}"


def _substitute(text: str, names: set, match) -> str:
    """`$NAME` and `$$$NAME` replaced by what the pattern's metavariable matched."""
    def replace(reference: re.Match) -> str:
        multiple, single = reference.groups()
        name = multiple or single
        if name not in names:
            return reference.group()
        if multiple:  # the nodes, separators included, without comments between them
            text = " ".join(n.text() for n in match.get_multiple_matches(name)
                            if n.kind() != "comment")
            return _shown(_SPACE_BEFORE_SEPARATOR.sub(r"\1", text).rstrip(",; "))
        node = match.get_match(name)
        return _shown(node.text()) if node is not None else reference.group()

    return REFERENCE.sub(replace, text) if "$" in text else text


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_LIMIT else text[: SHOWN_LIMIT - 1] + "…"


class _Regions:
    """The code each function, lambda and class body spans, to tell which coroutine's own
    code a position is in. Positions are (line, UTF-8 byte column), as in `ast`."""

    def __init__(self, model: ModuleModel):
        self.model = model
        for function in list(model.coroutines()):
            function.walk_body()  # its nested defs get registered
        spans = []
        for function in model.functions:
            span = _body_span(function.node)
            if span is not None:
                spans.append((span[0], _negated(span[1]), span[1], function))
        for cls in model.classes:
            span = _body_span(cls.node)
            if span is not None:
                spans.append((span[0], _negated(span[1]), span[1], None))
        spans.sort(key=lambda s: (s[0], s[1]))
        self.starts = [s[0] for s in spans]
        self.spans = spans
        self.coroutine_lines = sorted((s[0][0], s[2][0]) for s in spans
                                      if s[3] is not None and s[3].is_async)

    def may_hold(self, line: int) -> bool:
        """A cheap first test: the line is within some coroutine's body."""
        index = bisect.bisect_right(self.coroutine_lines, (line, float("inf")))
        return any(first <= line <= last for first, last in self.coroutine_lines[:index])

    def loop_function(self, line: int, col: int) -> Optional[FunctionInfo]:
        """The coroutine whose own code holds the position, if any."""
        position = (line, col)
        index = bisect.bisect_right(self.starts, position)
        for start, _, end, function in reversed(self.spans[:index]):
            if position < end:  # the innermost body around the position
                return self._on_loop(function)
        return None

    def _on_loop(self, function: Optional[FunctionInfo]) -> Optional[FunctionInfo]:
        if function is None:  # a class body
            return None
        if function.is_async:
            return function
        if isinstance(function.node, ast.Lambda):
            # `sorted(xs, key=lambda x: ...)` right in a coroutine runs on its thread.
            owner = function.parent.function
            call = self.model.lambda_call.get(function.node)
            if owner is not None and owner.is_async and call is not None:
                name = self.model.call_name(call, function.parent)
                if name and lookup_table(catalog.INLINE_CALLERS, name):
                    return owner
        return None


def _negated(position: tuple) -> tuple:
    return (-position[0], -position[1])


def _body_span(node: ast.AST) -> Optional[tuple]:
    """(start, end) of the code that runs when the function is called or the class body
    runs: not its decorators, defaults or annotations, which belong to the enclosing code."""
    if isinstance(node, ast.Lambda):
        body = node.body
        return (body.lineno, body.col_offset), (body.end_lineno, body.end_col_offset)
    body = getattr(node, "body", None)
    if not body:
        return None
    first = body[0]
    start = (first.lineno, first.col_offset)
    decorators = getattr(first, "decorator_list", None)
    if decorators:
        start = min(start, (decorators[0].lineno, 0))  # a decorator starts its own line
    return start, (node.end_lineno, node.end_col_offset)
