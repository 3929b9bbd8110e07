"""Automatic fixes, built from the analysis of one module.

A fix is a set of edits in the engine's coordinates (1-based lines, 0-based columns in UTF-8
bytes, the columns `ast` and flake8 use), applied together or not at all (see fixer.py,
which applies them with ast-grep). This module only reads the `ast` and the model, so the
analysis and the flake8 plugin never load ast-grep.

- ASR101 (safe): `time.sleep(x)` in a coroutine → `await asyncio.sleep(x)`, through any
  alias, with `import asyncio` added when no name for asyncio is in scope; the same for
  a `time.sleep` reported as startup work (ASR111).
- ASR202 (unsafe): an offload-only handler → `def`, each `await <offload>(f, a, k=v)`
  → `f(a, k=v)`, `functools.partial` unpacked, the `loop = asyncio.get_running_loop()`
  it no longer needs removed.
- ASR201 and ASR203 (unsafe): an await-less `async def` route or dependency → `def`.
- ASR301 (unsafe, only with `--fix-timeout`): `timeout=<seconds>` added to the call.

A fix that turns a function into `def` is dropped when any checked file calls that function
(it expects a coroutine), and when the function carries a decorator that may need one.
Imports that a fix leaves unused (`import time`, `run_in_threadpool`, ...) are removed.
"""
from __future__ import annotations

import ast
import bisect
import functools
import re
from typing import Callable, Iterable, Optional

from . import catalog
from .analysis import STARTUP_CODE, Analysis, Violation
from .model import FUNCTION_NODES, FunctionInfo, ModuleModel, Scope, _has_line_between
from .results import Edit, Fix
from .rules import Rule
from .rules.pool import timeout_argument

# Stands for the `--fix-timeout` value in ASR301 edits until the run's settings fill it in
# (reports are cached without depending on the option). NUL cannot occur in Python source.
TIMEOUT_PLACEHOLDER = "\0timeout\0"
SAFE = {"ASR101": True, "ASR201": False, "ASR202": False, "ASR203": False, "ASR301": False}
# Decorators that accept a `def` as well as an `async def` (besides route registrations).
SYNC_SAFE_DECORATORS = frozenset({"starlette.authentication.requires"})
# Offloads whose extra keyword arguments configure the offload and are not the function's.
_OPTION_KEYWORD_OFFLOADS = ("anyio.to_thread.run_sync", "trio.to_thread.run_sync")
_WRAPPER_OFFLOADS = ("asgiref.sync.sync_to_async", "asyncer.asyncify")
_ARGUMENT_OFFLOADS = ("asyncio.to_thread", "fastapi.concurrency.run_in_threadpool",
                      "starlette.concurrency.run_in_threadpool", *_OPTION_KEYWORD_OFFLOADS)
# Methods of asyncio objects that only work on the loop's thread (`Queue.put_nowait`,
# `Future.set_result`, ...); `set`, `clear` and `cancel` only when called without arguments
# (`event.set()`, `task.cancel()`, not `cache.set(key, value)`).
_LOOP_METHODS = frozenset({"put_nowait", "get_nowait", "set_result", "set_exception",
                           "call_soon", "call_later", "call_at", "create_task",
                           "add_done_callback"})
_LOOP_METHODS_WITHOUT_ARGS = frozenset({"set", "clear", "cancel"})
_PRIMARY = (ast.Name, ast.Attribute, ast.Call, ast.Subscript)
_STDLIB = frozenset((
    "abc aifc argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii "
    "bisect builtins bz2 cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop "
    "collections colorsys compileall concurrent configparser contextlib contextvars copy "
    "copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils "
    "doctest email encodings enum errno faulthandler fcntl filecmp fileinput fnmatch fractions "
    "ftplib functools gc getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html "
    "http imaplib imghdr imp importlib inspect io ipaddress itertools json keyword linecache "
    "locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder msvcrt "
    "multiprocessing netrc nis nntplib numbers opcode operator optparse os ossaudiodev pathlib "
    "pdb pickle pickletools pipes pkgutil platform plistlib poplib posix pprint profile pstats "
    "pty pwd py_compile pyclbr pydoc pyexpat queue quopri random re readline reprlib resource "
    "rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd "
    "smtplib sndhdr socket socketserver spwd sqlite3 ssl stat statistics string stringprep "
    "struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile "
    "termios textwrap threading time timeit tkinter token tokenize tomllib trace traceback "
    "tracemalloc tty turtle types typing unicodedata unittest urllib uu uuid venv warnings wave "
    "weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport "
    "zlib zoneinfo").split())
# In `called_coroutines` answers: calls could not be listed, so no function becomes `def`.
EVERYTHING_CALLED = "*"
_NEWLINE = re.compile(r"\r\n|\r|\n")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME_IN_TEXT = re.compile(r"(?<![.\w])[A-Za-z_]\w*")  # identifiers not after a dot


class CannotFix(Exception):
    """The code is outside what a fix handles safely: no fix is offered."""


# ----- positions ------------------------------------------------------------------------------


def char_column(line_text: str, byte_col: int) -> int:
    """The character column of a 0-based UTF-8 byte column of a line (ast's col_offset)."""
    prefix = line_text.encode("utf-8")[:byte_col]
    try:
        return len(prefix.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"byte column {byte_col} is inside a character") from None


def byte_column(line_text: str, char_col: int) -> int:
    """The UTF-8 byte column of a character column: the inverse of `char_column`."""
    return len(line_text[:char_col].encode("utf-8"))


class Source:
    """A module's text with its line starts; lines end at `\\r\\n`, `\\r` or `\\n`, as for
    `ast`. Converts the engine's (line, byte column) to character offsets and back."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def line(self, number: int) -> str:
        """The text of a 1-based line without its line break ("" past the end)."""
        if number > len(self.starts):
            return ""
        start = self.starts[number - 1]
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, col: int) -> int:
        """The character offset of (1-based line, UTF-8 byte column); the line after the
        last one is the end of the text."""
        if line > len(self.starts):
            if col:
                raise ValueError(f"line {line} is past the end")
            return len(self.text)
        return self.starts[line - 1] + char_column(self.line(line), col)

    def position(self, offset: int) -> tuple:
        """(1-based line, UTF-8 byte column) of a character offset."""
        index = max(i for i, start in enumerate(self.starts) if start <= offset)
        line_text = self.line(index + 1)
        return index + 1, byte_column(line_text, offset - self.starts[index])

    def segment(self, line: int, col: int, end_line: int, end_col: int) -> str:
        return self.text[self.offset(line, col):self.offset(end_line, end_col)]

    def of(self, node: ast.AST) -> str:
        return self.segment(*_range(node))


def _range(node: ast.AST) -> tuple:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)


def _start(node: ast.AST) -> tuple:
    return (node.lineno, node.col_offset)


def _end(node: ast.AST) -> tuple:
    return (node.end_lineno, node.end_col_offset)


def _edit(start: tuple, end: tuple, text: str) -> Edit:
    return Edit(start[0], start[1], end[0], end[1], text)


def merge_edits(edits: Iterable[Edit]) -> tuple:
    """Sorted, duplicates dropped, touching edits joined into one; overlap is a bug."""
    result: list[Edit] = []
    for edit in sorted(set(edits), key=Edit.sort_key):
        if result:
            last = result[-1]
            if (edit.line, edit.col) < (last.end_line, last.end_col):
                raise CannotFix("edits of one fix overlap")
            if (edit.line, edit.col) == (last.end_line, last.end_col):
                result[-1] = Edit(last.line, last.col, edit.end_line, edit.end_col,
                                  last.text + edit.text)
                continue
        result.append(edit)
    return tuple(result)


# ----- the fixes of one module ----------------------------------------------------------------


def fixes_for(result, source: Optional[str]) -> list:
    """A Fix or None for each of `result.violations` (an engine.ModuleResult)."""
    analysis = getattr(result, "analysis", None)
    if analysis is None or source is None:
        return [None] * len(result.violations)
    builder = _Builder(analysis, source)
    return [builder.fix(violation) for violation in result.violations]


def function_key(function: FunctionInfo) -> str:
    return f"{function.model.path}::{function.qualname}"


def called_coroutines(model: ModuleModel) -> list:
    """Keys (`function_key`) of the coroutine functions this module calls, and `*.name`
    for methods of objects of unknown type it awaits: `def` would break those callers.
    Only the function bodies the analysis walked are looked at (the ones with `async`,
    `await`, a route, ... in them), and module-level code."""
    found = set()
    marked = model.eager_lines()
    for site in model.all_calls:
        if not _walked_up_front(site.scope, marked):
            continue  # walked for another file's question: seen in some runs, not all
        func = site.node.func
        if not isinstance(func, (ast.Name, ast.Attribute)):
            continue
        try:
            target = model.local_definition(func, site.scope)
        except RecursionError:
            target = None
        if isinstance(target, FunctionInfo):
            if target.is_async:
                found.add(function_key(target))
        elif target is None and site.awaited and isinstance(func, ast.Attribute):
            found.add(f"*.{func.attr}")
    return sorted(found)


def _walked_up_front(scope: Scope, marked: Optional[list]) -> bool:
    """Whether `ModuleModel.complete` walks this scope, whatever else was analysed."""
    while scope.kind == "class":
        scope = scope.parent
    if scope.kind == "module" or marked is None:
        return True
    node = scope.node
    return _has_line_between(marked, node.lineno, node.end_lineno)


def finalize(fix: Optional[Fix], called: set, timeout: Optional[str]) -> Optional[Fix]:
    """The fix as the run offers it: without the ones that would turn a function the
    checked files call into `def`, with the `--fix-timeout` value (none without it)."""
    if fix is None:
        return None
    if fix.unawaited:
        name = fix.unawaited.rpartition("::")[2].rpartition(".")[2]
        if fix.unawaited in called or f"*.{name}" in called or EVERYTHING_CALLED in called:
            return None
    if any(TIMEOUT_PLACEHOLDER in edit.text for edit in fix.edits):
        if timeout is None:
            return None
        edits = tuple(Edit(e.line, e.col, e.end_line, e.end_col,
                           e.text.replace(TIMEOUT_PLACEHOLDER, timeout)) for e in fix.edits)
        return Fix(fix.title, fix.safe, edits, fix.span, fix.unawaited, fix.releases)
    return fix


class _Builder:
    def __init__(self, analysis: Analysis, text: str):
        self.analysis = analysis
        self.model = analysis.model
        self.tree = self.model.tree
        self.source = Source(text)
        self._parents: Optional[dict] = None
        self._references: Optional[dict] = None
        self._kept_by_strings: Optional[set] = None
        self._ranges: dict[str, list] = {}

    def fix(self, violation: Violation) -> Optional[Fix]:
        code = self._startup_kind(violation) if violation.code == STARTUP_CODE \
            else violation.code
        make = {"ASR101": self._sleep, "ASR201": self._async_without_await,
                "ASR202": self._offload_only, "ASR203": self._async_without_await,
                "ASR301": self._timeout}.get(code)
        if make is None:
            return None
        try:
            made = make(violation)
            if made is None:
                return None
            edits, span, unawaited = made
            releases = self._released(edits)
            edits = list(edits) + self._unused_import_removals(releases, edits)
            return Fix(Rule.registry[code].fix_title, SAFE[code],
                       merge_edits(edits), span, unawaited, tuple(releases))
        except (CannotFix, ValueError, RecursionError):
            return None

    # ----- helpers ---------------------------------------------------------------------------

    @property
    def parents(self) -> dict:
        if self._parents is None:
            self._parents = {child: node for node in ast.walk(self.tree)
                             for child in ast.iter_child_nodes(node)}
        return self._parents

    def _inside_function_body(self, node: ast.AST, function: FunctionInfo) -> None:
        """Raise unless `node` runs in the function's own frame, outside lambdas, generator
        expressions and f-strings (where positions or `await` would not be right)."""
        current = node
        while current is not function.node:
            current = self.parents.get(current)
            if current is None or isinstance(current, (ast.Lambda, ast.GeneratorExp,
                                                       ast.JoinedStr, ast.ClassDef)):
                raise CannotFix("not directly in the function")
            if isinstance(current, FUNCTION_NODES) and current is not function.node:
                raise CannotFix("in a nested function")

    def _function_at(self, violation: Violation) -> FunctionInfo:
        for function in self.model.functions:
            node = function.node
            if function.is_async and (node.lineno, node.col_offset) == \
                    (violation.line, violation.col):
                return function
        raise CannotFix("no function")

    def _async_keyword(self, function: FunctionInfo) -> Edit:
        node = function.node
        rest = self.source.line(node.lineno).encode("utf-8")[node.col_offset:]
        match = re.match(rb"async[ \t]+(?=def\b)", rest)
        if match is None:
            raise CannotFix("`async` and `def` are not on one line")
        return Edit(node.lineno, node.col_offset, node.lineno,
                    node.col_offset + match.end(), "")

    def _check_can_be_def(self, function: FunctionInfo) -> None:
        model = function.model
        for decorator in function.node.decorator_list:
            func = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(func, ast.Attribute) and func.attr in catalog.ROUTE_DECORATORS and \
                    any(role.kind == "route" for role in function.roles):
                continue
            if model.resolve(func, function.parent) in SYNC_SAFE_DECORATORS:
                continue
            raise CannotFix("a decorator may need a coroutine function")
        if function.scope.yields:
            raise CannotFix("an async generator")
        for site in function.scope.calls:
            func = site.node.func
            if not isinstance(func, ast.Attribute):
                continue
            name = model.call_name(site.node, site.scope) or "?."
            bare = not site.node.args and not site.node.keywords
            if name.startswith("?.") and (func.attr in _LOOP_METHODS or
                                          (bare and func.attr in _LOOP_METHODS_WITHOUT_ARGS)):
                # `event.set()` on an object of unknown type: maybe an asyncio.Event, which
                # must be set from the loop's thread.
                raise CannotFix(f"`.{func.attr}()` may need the event loop")

    def _function_span(self, function: FunctionInfo) -> tuple:
        return _range(function.node)

    # ----- ASR101 ----------------------------------------------------------------------------

    def _startup_kind(self, violation: Violation) -> str:
        """ASR101 for a `time.sleep` reported as startup work: it gets the same fix."""
        kinds = {c.kind for c in self.analysis.blocking_calls()
                 if c.code == STARTUP_CODE and _start(c.node) == (violation.line, violation.col)}
        return kinds.pop() if len(kinds) == 1 else STARTUP_CODE

    def _sleep(self, violation: Violation):
        found = [c for c in self.analysis.blocking_calls()
                 if c.kind == "ASR101" and len(c.chain) == 1 and isinstance(c.node, ast.Call)
                 and _start(c.node) == (violation.line, violation.col)]
        if len(found) != 1:
            return None
        call, function = found[0].node, found[0].function
        if call.keywords or not isinstance(call.func, (ast.Name, ast.Attribute)):
            return None
        self._inside_function_body(call, function)
        parent = self.parents.get(call)
        wrap = (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is call) \
            or (isinstance(parent, ast.Call) and parent.func is call)
        asyncio_name, import_edits = self._module_name(function.scope, "asyncio", call.lineno)
        edits = [_edit(_start(call), _start(call), "(await " if wrap else "await "),
                 _edit(_start(call.func), _end(call.func), f"{asyncio_name}.sleep"),
                 *import_edits]
        if wrap:
            edits.append(_edit(_end(call), _end(call), ")"))
        return edits, _range(call), ""

    def _module_name(self, scope: Scope, module: str, line: int) -> tuple:
        """A name `module` is imported as, visible in `scope`, and the edits adding
        `import module` when there is none."""
        model = self.model
        names = []
        current: Optional[Scope] = scope
        while current is not None:
            if current is scope or current.kind != "class":
                for name, bindings in current.bindings.items():
                    if any(b.kind == "import" and b.qualname == module and
                           (current.kind == "module" or b.node.lineno < line) and
                           not isinstance(self.parents.get(b.node), ast.If)
                           for b in bindings):  # not `if TYPE_CHECKING: import asyncio`
                        names.append(name)
            current = current.parent
        for name in sorted(names, key=lambda n: (n != module, n)):
            if model.resolve(ast.Name(id=name, ctx=ast.Load()), scope) == module:
                return name, []
        if model.lookup(module, scope)[0] is not None:
            raise CannotFix(f"`{module}` names something else here")
        return module, [self._import_insertion(module)]

    def _import_insertion(self, module: str) -> Edit:
        """`import module` where isort would put it among the first block of imports."""
        body = self.tree.body
        index = 0
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            index = 1  # the docstring
        block = []
        for statement in body[index:]:
            if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                if block:
                    break
                continue
            block.append(statement)
        block = [s for s in block if self._own_lines(s)]
        regular = [s for s in block
                   if not (isinstance(s, ast.ImportFrom) and s.module == "__future__")]
        plain = [s for s in regular if isinstance(s, ast.Import) and _is_stdlib(s)]
        if plain:
            later = [s for s in plain if s.names[0].name.lower() > module.lower()]
            if later:
                return Edit(later[0].lineno, 0, later[0].lineno, 0, f"import {module}\n")
            return Edit(plain[-1].end_lineno + 1, 0, plain[-1].end_lineno + 1, 0,
                        f"import {module}\n")
        from_stdlib = [s for s in regular if isinstance(s, ast.ImportFrom) and _is_stdlib(s)]
        if from_stdlib:
            first = from_stdlib[0]
            return Edit(first.lineno, 0, first.lineno, 0, f"import {module}\n")
        if regular:
            first = regular[0]
            return Edit(first.lineno, 0, first.lineno, 0, f"import {module}\n\n")
        after = block[-1] if block else (body[0] if index else None)
        if after is None:
            return Edit(1, 0, 1, 0, f"import {module}\n")
        return Edit(after.end_lineno + 1, 0, after.end_lineno + 1, 0, f"\nimport {module}\n")

    def _own_lines(self, statement: ast.stmt) -> bool:
        """The statement starts its line and nothing but a comment follows it."""
        line = self.source.line(statement.lineno).encode("utf-8")
        end_line = self.source.line(statement.end_lineno).encode("utf-8")
        tail = end_line[statement.end_col_offset:].strip()
        return statement.col_offset == 0 and not line[:statement.col_offset].strip() and \
            (not tail or tail.startswith(b"#"))

    # ----- imports left unused -------------------------------------------------------------

    def _released(self, edits: list) -> list:
        """Names of module-level imports used inside the text the edits replace and not
        named by the text they insert."""
        inserted = {m.group() for e in edits for m in _NAME_IN_TEXT.finditer(e.text)}
        replaced = [e for e in edits if (e.line, e.col) != (e.end_line, e.end_col)]
        return sorted(name for name in self._module_imports() if name not in inserted
                      and count_within(self._ranges_of(name), replaced))

    def _ranges_of(self, name: str) -> list:
        """The sorted ranges of the `ast.Name`s of an identifier (a name can have tens of
        thousands in a large module: each fix looks them up by position)."""
        if name not in self._ranges:
            self._ranges[name] = name_ranges(self.references, name)
        return self._ranges[name]

    @property
    def references(self) -> dict:
        """Every `ast.Name` of the module by identifier."""
        if self._references is None:
            self._references = {}
            for node in ast.walk(self.tree):
                if isinstance(node, ast.Name):
                    self._references.setdefault(node.id, []).append(node)
        return self._references

    def _module_imports(self) -> dict:
        """name → the top-level import statement that is its only binding in the module."""
        found = {}
        for name, bindings in self.model.module_scope.bindings.items():
            if len(bindings) == 1 and bindings[0].kind == "import" and \
                    bindings[0].node in self.tree.body:
                found[name] = bindings[0].node
        return found

    def _unused_import_removals(self, names: list, edits: list) -> list:
        """Edits removing the imports of `names` that nothing uses once `edits` apply."""
        if not names or self.model.path.endswith("__init__.py"):
            return []
        if self._kept_by_strings is None:  # once per file: it walks the whole tree
            self._kept_by_strings = names_used_in_strings(self.tree)
        unused = unused_imports(names, self._ranges_of, self._module_imports(),
                                self._kept_by_strings, edits)
        inserting = {e.line for e in edits if (e.line, e.col) == (e.end_line, e.end_col)}
        return removal_edits(self.source, unused, inserting)

    # ----- ASR201 ----------------------------------------------------------------------------

    def _async_without_await(self, violation: Violation):
        function = self._function_at(violation)
        self._check_can_be_def(function)
        if function.awaits_anything:
            return None
        return [self._async_keyword(function)], self._function_span(function), \
            function_key(function)

    # ----- ASR202 ----------------------------------------------------------------------------

    def _offload_only(self, violation: Violation):
        function = self._function_at(violation)
        self._check_can_be_def(function)
        scope = function.scope
        if not scope.awaits or scope.async_constructs:
            return None
        edits = [self._async_keyword(function)]
        receivers = []
        for node in scope.awaits:
            self._inside_function_body(node, function)
            offload = self.analysis.offload_of(node.value, scope)
            if offload is None:
                return None
            new_edits, receiver = self._direct_call(node, offload, scope)
            edits.extend(new_edits)
            if receiver is not None:
                receivers.append(receiver)
        edits.extend(self._loop_removals(function, receivers))
        return edits, self._function_span(function), function_key(function)

    def _direct_call(self, awaited: ast.Await, offload: ast.Call, scope: Scope):
        """Edits turning `await <offload>` into a direct call, and the receiver of a
        `loop.run_in_executor` (a Name) when there is one."""
        name = self.model.call_name(offload, scope) or ""
        receiver = None
        if name.endswith("run_in_executor"):
            if len(offload.args) < 2 or offload.keywords or not (
                    isinstance(offload.args[0], ast.Constant) and offload.args[0].value is None):
                raise CannotFix("not `run_in_executor(None, f, ...)`")
            func, args, keywords = offload.args[1], offload.args[2:], []
            if isinstance(offload.func, ast.Attribute) and \
                    isinstance(offload.func.value, ast.Name):
                receiver = offload.func.value
            outer = offload
        elif name in _WRAPPER_OFFLOADS:
            outer = awaited.value
            if outer.func is not offload or len(offload.args) != 1:
                raise CannotFix("not `sync_to_async(f)(...)`")
            func, args, keywords = offload.args[0], outer.args, outer.keywords
        elif name in _ARGUMENT_OFFLOADS:
            if not offload.args:
                raise CannotFix("no function given")
            func, args, keywords = offload.args[0], offload.args[1:], offload.keywords
            if name in _OPTION_KEYWORD_OFFLOADS:
                keywords = []  # options of the offload (`cancellable=`), not the function's
            outer = offload
        else:
            raise CannotFix(f"no fix for {name}")
        if isinstance(func, ast.Starred):
            raise CannotFix("starred function")
        if not (name in _OPTION_KEYWORD_OFFLOADS and offload.keywords):
            edits = self._in_place(awaited, offload, outer, func, args, keywords)
            if edits is not None:
                return edits, receiver
        text = self._rebuilt(func, args, keywords, scope)
        if self._needs_parentheses(awaited) and not _is_atom_text(text):
            text = f"({text})"
        return [_edit(_start(awaited), _end(awaited), text)], receiver

    def _needs_parentheses(self, node: ast.expr) -> bool:
        """Whether an expression of any precedence put in place of `node` needs them."""
        parent = self.parents.get(node)
        if isinstance(parent, (ast.stmt, ast.keyword, ast.List, ast.Tuple, ast.Set)):
            return False
        if isinstance(parent, ast.Call):
            return parent.func is node
        if isinstance(parent, ast.Dict):
            return False
        return True

    def _in_place(self, awaited, offload, outer, func, args, keywords) -> Optional[list]:
        """Edits that keep the arguments where they are (and their layout and comments):
        `await to_thread(f, a)` loses `await to_thread(` and gains a `(` after `f`."""
        if self._is_unpacked(func) or not isinstance(func, _PRIMARY):
            return None  # rebuilt: `(f if fast else g)(a)` needs parentheses
        source = self.source
        before = source.segment(*_end(offload.func), *_start(func))
        if _code(before) not in ("(", "(None,"):
            return None
        # `to_thread(\n    f, a)`: the line break before f goes after `f(`.
        layout = before[len(before.rstrip()):]
        edits = [_edit(_start(awaited), _start(func), "")]
        if outer is not offload:  # `sync_to_async(f, ...)(a)`: drop `, ...)` after f
            edits.append(_edit(_end(func), _end(offload), ""))
            return edits
        items = sorted([*args, *keywords], key=_start)
        if items:
            gap_start, gap_end = _end(func), _start(items[0])
            gap = source.segment(*gap_start, *gap_end)
            if _code(gap) != ",":
                return None
            comma = _comma_offset(gap)
            after = gap[comma + 1:]
            spaces = len(after) - len(after.lstrip(" \t"))
            opening = "("
            if after.lstrip(" \t").startswith("#"):
                spaces = 0  # `f,  # comment` → `f(  # comment`
            elif "\n" in layout and "\n" not in after:
                opening += layout
            at = source.position(source.offset(*gap_start) + comma)
            edits.append(_edit(at, (at[0], at[1] + 1 + spaces), opening))
        else:
            tail = _code(source.segment(*_end(func), *_end(offload)))
            if tail not in (")", ",)"):
                return None
            edits.append(_edit(_end(func), _end(offload), "()"))
        return edits

    def _is_unpacked(self, func: ast.expr) -> bool:
        """`functools.partial(...)` or a lambda: the call is rebuilt instead."""
        return isinstance(func, ast.Lambda) or (
            isinstance(func, ast.Call) and self.model.resolve(func.func, self._scope_of(func))
            == "functools.partial")

    def _scope_of(self, node: ast.AST) -> Scope:
        current = node
        while current is not None:
            current = self.parents.get(current)
            if current in self.model.function_by_node:
                return self.model.function_by_node[current].scope
        return self.model.module_scope

    def _rebuilt(self, func, args, keywords, scope: Scope) -> str:
        """`f(a, b, k=v)` from the parts of an offload, `partial` and lambdas unpacked."""
        if isinstance(func, ast.Lambda):
            arguments = func.args
            if args or keywords or arguments.args or arguments.posonlyargs or \
                    arguments.kwonlyargs or arguments.vararg or arguments.kwarg:
                raise CannotFix("a lambda with parameters")
            return self.source.of(func.body)
        if isinstance(func, ast.Call) and \
                self.model.resolve(func.func, scope) == "functools.partial":
            if not func.args or isinstance(func.args[0], ast.Starred):
                raise CannotFix("partial without a function")
            inner, bound, bound_keywords = func.args[0], func.args[1:], func.keywords
            if any(k.arg is None for k in [*bound_keywords, *keywords]) and \
                    bound_keywords and keywords:
                raise CannotFix("keywords that may override each other")
            given = {k.arg for k in keywords}
            merged = [k for k in bound_keywords if k.arg not in given] + list(keywords)
            return self._rebuilt(inner, [*bound, *args], merged, scope)
        parts = [self._argument_text(a) for a in args]
        parts += [self.source.of(k) for k in keywords]
        return f"{self._parenthesized(func)}({', '.join(parts)})"

    def _argument_text(self, node: ast.expr) -> str:
        text = self.source.of(node)
        if isinstance(node, ast.GeneratorExp) and not text.startswith("("):
            return f"({text})"
        return text

    def _parenthesized(self, node: ast.expr) -> str:
        text = self.source.of(node)
        return text if isinstance(node, (*_PRIMARY, ast.Constant)) else f"({text})"

    def _loop_removals(self, function: FunctionInfo, receivers: list) -> list:
        """Remove `loop = asyncio.get_running_loop()` when its loop only fed the offloads:
        in a worker thread there is no running loop to get."""
        scope, model = function.scope, function.model
        edits = []
        for name in sorted({r.id for r in receivers}):
            bindings = scope.bindings.get(name, [])
            if not bindings or any(b.kind != "assign" for b in bindings):
                continue  # a parameter, a global, ...: nothing to remove
            uses = [n for n in ast.walk(function.node) if isinstance(n, ast.Name)
                    and n.id == name and isinstance(n.ctx, ast.Load)]
            if {id(n) for n in uses} - {id(r) for r in receivers}:
                raise CannotFix(f"`{name}` is used for more than the offloads")
            for binding in bindings:
                value = binding.value
                if not (isinstance(value, ast.Call) and
                        model.call_name(value, scope) in catalog.LOOP_ACCESSORS):
                    raise CannotFix(f"`{name}` is not the running loop")
                statement = self.parents.get(binding.node)
                if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                    raise CannotFix("not a plain assignment")
                edits.append(self._statement_removal(statement))
        return edits

    def _statement_removal(self, statement: ast.stmt) -> Edit:
        """Delete the lines of a statement that has them to itself."""
        line = self.source.line(statement.lineno).encode("utf-8")
        end_line = self.source.line(statement.end_lineno).encode("utf-8")
        tail = end_line[statement.end_col_offset:].strip()
        if line[:statement.col_offset].strip() or (tail and not tail.startswith(b"#")):
            raise CannotFix("the statement shares its line")
        parent = self.parents.get(statement)
        siblings = [getattr(parent, f, None) for f in ("body", "orelse", "finalbody")]
        if any(isinstance(s, list) and s == [statement] for s in siblings):
            raise CannotFix("the only statement of its block")
        return Edit(statement.lineno, 0, statement.end_lineno + 1, 0, "")

    # ----- ASR301 ----------------------------------------------------------------------------

    def _timeout(self, violation: Violation):
        names = {s.node: self.model.call_name(s.node, s.scope) for s in self.model.all_calls
                 if _start(s.node) == (violation.line, violation.col)}
        calls = [(call, name) for call, name in names.items() if name in catalog.NEEDS_TIMEOUT]
        if len(calls) != 1:
            return None
        call, name = calls[0]
        items = [*call.args, *call.keywords]
        given = timeout_argument(call, catalog.NEEDS_TIMEOUT[name])
        if given is not None:  # `timeout=None`: the value is replaced
            return [_edit(_start(given), _end(given), TIMEOUT_PLACEHOLDER)], _range(call), ""
        if any(isinstance(a, (ast.Starred, ast.GeneratorExp)) for a in call.args) or \
                any(k.arg is None for k in call.keywords):
            return None
        if items:
            last = max(items, key=_end)
            edit = self._trailing_argument(call, last, f"timeout={TIMEOUT_PLACEHOLDER}") or \
                _edit(_end(last), _end(last), f", timeout={TIMEOUT_PLACEHOLDER}")
        else:
            gap = self.source.segment(*_end(call.func), *_end(call))
            if _code(gap) != "()":
                return None
            start = self.source.offset(*_end(call.func)) + gap.index("(") + 1
            at = self.source.position(start)
            edit = _edit(at, at, f"timeout={TIMEOUT_PLACEHOLDER}")
        return [edit], _range(call), ""

    def _trailing_argument(self, call: ast.Call, last: ast.AST, text: str) -> Optional[Edit]:
        """For a call laid out one argument a line with a trailing comma, the edit adding
        `text` as a line of its own after the last one."""
        source = self.source
        gap = source.segment(*_end(last), *_end(call))
        if _code(gap) != ",)" or "\n" not in gap:
            return None
        line = source.line(last.lineno)
        before = line.encode("utf-8")[:last.col_offset].decode("utf-8")
        if before.strip():
            return None
        end_of_line = (last.end_lineno, len(source.line(last.end_lineno).encode("utf-8")))
        if "\n" in gap[:gap.index(",")]:
            return None  # the comma is on a line of its own
        return _edit(end_of_line, end_of_line, f"\n{before}{text},")


def _is_atom_text(text: str) -> bool:
    """`f(a)`, `a.b`, a name: text that needs no parentheses anywhere."""
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return False
    return isinstance(node, (*_PRIMARY, ast.Constant))


def _is_stdlib(statement) -> bool:
    if isinstance(statement, ast.Import):
        return statement.names[0].name.split(".")[0] in _STDLIB
    return statement.level == 0 and (statement.module or "").split(".")[0] in _STDLIB


def _within(node_range: tuple, edit: Edit) -> bool:
    start, end = node_range[:2], node_range[2:]
    return (edit.line, edit.col) <= start and end <= (edit.end_line, edit.end_col)


def _code(text: str) -> str:
    """The text without whitespace, comments and line continuations."""
    return re.sub(r"#[^\r\n]*|\\\r?\n|\s+", "", text)


def _comma_offset(gap: str) -> int:
    """The offset of the comma in the text between two arguments (comments skipped)."""
    index = 0
    while index < len(gap):
        if gap[index] == "#":
            while index < len(gap) and gap[index] not in "\r\n":
                index += 1
            continue
        if gap[index] == ",":
            return index
        index += 1
    raise CannotFix("no comma")


# ----- unused imports (also the clean-up after several fixes, see fixer.py) -----------------


def annotation_names(tree: ast.Module) -> set:
    """Identifiers in string annotations (`x: "asyncio.Task"`), which `ast` keeps as text."""
    found = set()
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, ast.arg):
            annotations.append(node.annotation)
        elif isinstance(node, FUNCTION_NODES):
            annotations.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        for annotation in annotations:
            for inner in ast.walk(annotation) if annotation is not None else ():
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                    found.update(_IDENTIFIER.findall(inner.value))
    return found


def exported_names(tree: ast.Module) -> set:
    """The strings of a module-level `__all__`."""
    found = set()
    for statement in tree.body:
        targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            for node in ast.walk(statement):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(node.value)
    return found


def names_used_in_strings(tree: ast.Module) -> set:
    """Names an import must be kept for though no `ast.Name` uses them."""
    return annotation_names(tree) | exported_names(tree)


def unused_imports(names: Iterable[str], ranges_of: Callable[[str], list], imports: dict,
                   kept_by_strings: set, removed: Iterable[Edit] = ()) -> list:
    """(statement, name) for each of `names` imported at module level whose every use
    (`ranges_of(name)`: the sorted ranges of its `ast.Name`s) lies inside the `removed`
    edits' ranges."""
    removed = [e for e in removed if (e.line, e.col) != (e.end_line, e.end_col)]
    found = []
    for name in names:
        statement = imports.get(name)
        if statement is None or name in kept_by_strings:
            continue
        uses = ranges_of(name)
        if count_within(uses, removed) == len(uses):
            found.append((statement, name))
    return found


def name_ranges(references: dict, name: str) -> list:
    """The sorted ranges of the `ast.Name`s of `name` (`references`: name → its nodes)."""
    return sorted(map(_range, references.get(name, ())))


def count_within(ranges: list, edits: Iterable[Edit]) -> int:
    """How many of the sorted node ranges lie inside one of the edits."""
    inside = set()
    for edit in edits:
        # Ranges compare by their start first: the first one starting in the edit.
        index = bisect.bisect_left(ranges, (edit.line, edit.col))
        while index < len(ranges) and ranges[index][:2] < (edit.end_line, edit.end_col):
            if _within(ranges[index], edit):
                inside.add(index)
            index += 1
    return len(inside)


def removal_edits(source: Source, unused: list, keep_blank: Iterable[int] = ()) -> list:
    """Edits removing the listed names from their import statements: the whole statement
    when nothing else is left in it, else the statement rewritten without them (only for
    a statement on one line without a comment)."""
    by_statement: dict = {}
    for statement, name in unused:
        by_statement.setdefault(statement, set()).add(name)
    edits = []
    for statement, names in by_statement.items():
        line = source.line(statement.lineno).encode("utf-8")
        end_line = source.line(statement.end_lineno).encode("utf-8")
        tail = end_line[statement.end_col_offset:].strip()
        if statement.col_offset != 0 or (tail and not tail.startswith(b"#")):
            continue
        kept = [a for a in statement.names if (a.asname or a.name.split(".")[0]) not in names]
        if not kept:
            end = statement.end_lineno + 1
            alone = statement.lineno == 1 or not source.line(statement.lineno - 1).strip()
            if alone and statement.lineno not in keep_blank and end < len(source.starts) and \
                    not source.line(end).strip():
                end += 1  # the section's blank line goes with its last import
            edits.append(Edit(statement.lineno, 0, end, 0, ""))
            continue
        if statement.lineno != statement.end_lineno or b"#" in line or b"(" in line or \
                b"\\" in line:
            continue
        aliases = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in kept)
        if isinstance(statement, ast.Import):
            text = f"import {aliases}"
        else:
            text = f"from {'.' * statement.level}{statement.module or ''} import {aliases}"
        edits.append(Edit(statement.lineno, 0, statement.end_lineno, statement.end_col_offset,
                          text))
    return edits


def cleanup_edits(text: str, names: Iterable[str], path: str = "") -> list:
    """After fixing: edits removing the imports of `names` (the ones applied fixes
    released) that nothing in `text` uses any more."""
    if path.endswith("__init__.py"):
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    references: dict = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            references.setdefault(node.id, []).append(node)
    counts: dict = {}
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                bound = alias.asname or alias.name.split(".")[0]
                counts[bound] = counts.get(bound, []) + [statement]
    # Only names bound once in the module, by a top-level import (no rebinding anywhere).
    stores = {n.id for nodes in references.values() for n in nodes
              if not isinstance(n.ctx, ast.Load)}
    defined = {n.name for n in ast.walk(tree)
               if isinstance(n, (*FUNCTION_NODES, ast.ClassDef))}
    imports = {name: statements[0] for name, statements in counts.items()
               if len(statements) == 1 and name not in stores and name not in defined}
    nested = {alias.asname or alias.name.split(".")[0]
              for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
              and node not in tree.body for alias in node.names}
    names = [n for n in names if n not in nested]
    ranges_of = functools.partial(name_ranges, references)
    return removal_edits(Source(text), unused_imports(names, ranges_of, imports,
                                                      names_used_in_strings(tree)))
