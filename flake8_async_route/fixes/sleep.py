"""ASR101 (safe): `time.sleep(x)` in a coroutine → `await asyncio.sleep(x)`, through any
alias, with `import asyncio` added when no name for asyncio is in scope; the same for a
`time.sleep` reported as startup work (ASR111)."""
from __future__ import annotations

import ast
from typing import Optional

from ..analysis import Violation
from ..model import Scope
from .context import ModuleContext
from .imports import import_insertion
from .source import CannotFix, edit, end_of, range_of, start_of


def build(context: ModuleContext, violation: Violation):
    found = [c for c in context.analysis.blocking_calls()
             if c.kind == "ASR101" and len(c.chain) == 1 and isinstance(c.node, ast.Call)
             and start_of(c.node) == (violation.line, violation.col)]
    if len(found) != 1:
        return None
    call, function = found[0].node, found[0].function
    if call.keywords or not isinstance(call.func, (ast.Name, ast.Attribute)):
        return None
    context.inside_function_body(call, function)
    parent = context.parents.get(call)
    wrap = (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is call) \
        or (isinstance(parent, ast.Call) and parent.func is call)
    asyncio_name, import_edits = _module_name(context, function.scope, "asyncio", call.lineno)
    edits = [edit(start_of(call), start_of(call), "(await " if wrap else "await "),
             edit(start_of(call.func), end_of(call.func), f"{asyncio_name}.sleep"),
             *import_edits]
    if wrap:
        edits.append(edit(end_of(call), end_of(call), ")"))
    return edits, range_of(call), ""


def _module_name(context: ModuleContext, scope: Scope, module: str, line: int) -> tuple:
    """A name `module` is imported as, visible in `scope`, and the edits adding
    `import module` when there is none."""
    model = context.model
    names = []
    current: Optional[Scope] = scope
    while current is not None:
        if current is scope or current.kind != "class":
            for name, bindings in current.bindings.items():
                if any(b.kind == "import" and b.qualname == module and
                       (current.kind == "module" or b.node.lineno < line) and
                       not isinstance(context.parents.get(b.node), ast.If)
                       for b in bindings):  # not `if TYPE_CHECKING: import asyncio`
                    names.append(name)
        current = current.parent
    for name in sorted(names, key=lambda n: (n != module, n)):
        if model.resolve(ast.Name(id=name, ctx=ast.Load()), scope) == module:
            return name, []
    if model.lookup(module, scope)[0] is not None:
        raise CannotFix(f"`{module}` names something else here")
    return module, [import_insertion(context.tree, context.source, module)]
