"""The fixes a run offers: none that turns into `def` a function some checked file calls
(it expects a coroutine), and ASR301's only with the `--fix-timeout` value filled in."""
from __future__ import annotations

import ast
from typing import Optional

from ..model import FunctionInfo, ModuleModel, Scope, has_line_between
from ..results import Edit, Fix
from .declare_def import function_key
from .timeout import TIMEOUT_PLACEHOLDER

# In `called_coroutines` answers: calls could not be listed, so no function becomes `def`.
EVERYTHING_CALLED = "*"


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
    return has_line_between(marked, node.lineno, node.end_lineno)


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
