"""ASR201 and ASR203 (unsafe): an await-less `async def` route or dependency → `def`.

Also what every fix that turns a function into `def` checks (ASR202 too): a decorator
that may need a coroutine function, an async generator, or a call that needs the event
loop's thread keeps it `async`.
"""
from __future__ import annotations

import ast
import re

from .. import catalog
from ..analysis import Violation
from ..model import FunctionInfo, ModuleModel
from ..results import Edit
from .context import ModuleContext
from .source import CannotFix, range_of

# Decorators that accept a `def` as well as an `async def` (besides route registrations).


def build(context: ModuleContext, violation: Violation):
    function = function_at(context.model, violation)
    check_can_be_def(function)
    if function.awaits_anything:
        return None
    return [async_keyword(context, function)], range_of(function.node), \
        function_key(function)


def function_key(function: FunctionInfo) -> str:
    """How a fix names the function it makes `def`, to be dropped when a checked file
    calls it (see callers.py)."""
    return f"{function.model.path}::{function.qualname}"


def function_at(model: ModuleModel, violation: Violation) -> FunctionInfo:
    for function in model.functions:
        node = function.node
        if function.is_async and (node.lineno, node.col_offset) == \
                (violation.line, violation.col):
            return function
    raise CannotFix("no function")


def async_keyword(context: ModuleContext, function: FunctionInfo) -> Edit:
    """The edit deleting `async ` before `def`."""
    node = function.node
    rest = context.source.line(node.lineno).encode("utf-8")[node.col_offset:]
    match = re.match(rb"async[ \t]+(?=def\b)", rest)
    if match is None:
        raise CannotFix("`async` and `def` are not on one line")
    return Edit(node.lineno, node.col_offset, node.lineno,
                node.col_offset + match.end(), "")


def check_can_be_def(function: FunctionInfo) -> None:
    model = function.model
    for decorator in function.node.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(func, ast.Attribute) and func.attr in catalog.ROUTE_DECORATORS and \
                any(role.kind == "route" for role in function.roles):
            continue
        if model.resolve(func, function.parent) in catalog.SYNC_SAFE_DECORATORS:
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
        loop_thread = catalog.LOOP_THREAD_METHODS_WITHOUT_ARGS if bare else frozenset()
        if name.startswith("?.") and (func.attr in catalog.LOOP_THREAD_METHODS or
                                      func.attr in loop_thread):
            # `event.set()` on an object of unknown type: maybe an asyncio.Event, which
            # must be set from the loop's thread.
            raise CannotFix(f"`.{func.attr}()` may need the event loop")
