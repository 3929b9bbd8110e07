"""ASR202 (unsafe): an offload-only handler → `def`, each `await <offload>(f, a, k=v)` →
`f(a, k=v)`, `functools.partial` unpacked, the `loop = asyncio.get_running_loop()` it no
longer needs removed."""
from __future__ import annotations

import ast
from typing import Optional

from .. import catalog
from ..analysis import Violation
from ..model import FunctionInfo, Scope
from ..results import Edit
from .context import ModuleContext
from .declare_def import async_keyword, check_can_be_def, function_at, function_key
from .source import CannotFix, bare_code, comma_offset, edit, end_of, range_of, start_of

# Expressions that need no parentheses before a call's `(`.
_PRIMARY = (ast.Name, ast.Attribute, ast.Call, ast.Subscript)


def build(context: ModuleContext, violation: Violation):
    function = function_at(context.model, violation)
    check_can_be_def(function)
    scope = function.scope
    if not scope.awaits or scope.async_constructs:
        return None
    edits = [async_keyword(context, function)]
    receivers = []
    for node in scope.awaits:
        context.inside_function_body(node, function)
        offload = context.analysis.offload_of(node.value, scope)
        if offload is None:
            return None
        new_edits, receiver = _direct_call(context, node, offload, scope)
        edits.extend(new_edits)
        if receiver is not None:
            receivers.append(receiver)
    edits.extend(_loop_removals(context, function, receivers))
    return edits, range_of(function.node), function_key(function)


def _direct_call(context: ModuleContext, awaited: ast.Await, offload: ast.Call, scope: Scope):
    """Edits turning `await <offload>` into a direct call, and the receiver of a
    `loop.run_in_executor` (a Name) when there is one."""
    name = context.model.call_name(offload, scope) or ""
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
    elif name in catalog.WRAPPER_OFFLOADS:
        outer = awaited.value
        if outer.func is not offload or len(offload.args) != 1:
            raise CannotFix("not `sync_to_async(f)(...)`")
        func, args, keywords = offload.args[0], outer.args, outer.keywords
    elif name in catalog.ARGUMENT_OFFLOADS:
        if not offload.args:
            raise CannotFix("no function given")
        func, args, keywords = offload.args[0], offload.args[1:], offload.keywords
        if name in catalog.OPTION_KEYWORD_OFFLOADS:
            keywords = []  # options of the offload (`cancellable=`), not the function's
        outer = offload
    else:
        raise CannotFix(f"no fix for {name}")
    if isinstance(func, ast.Starred):
        raise CannotFix("starred function")
    if not (name in catalog.OPTION_KEYWORD_OFFLOADS and offload.keywords):
        edits = _in_place(context, awaited, offload, outer, func, args, keywords)
        if edits is not None:
            return edits, receiver
    text = _rebuilt(context, func, args, keywords, scope)
    if _needs_parentheses(context, awaited) and not _is_atom_text(text):
        text = f"({text})"
    return [edit(start_of(awaited), end_of(awaited), text)], receiver


def _needs_parentheses(context: ModuleContext, node: ast.expr) -> bool:
    """Whether an expression of any precedence put in place of `node` needs them."""
    parent = context.parents.get(node)
    if isinstance(parent, (ast.stmt, ast.keyword, ast.List, ast.Tuple, ast.Set)):
        return False
    if isinstance(parent, ast.Call):
        return parent.func is node
    if isinstance(parent, ast.Dict):
        return False
    return True


def _in_place(context: ModuleContext, awaited, offload, outer, func, args,
              keywords) -> Optional[list]:
    """Edits that keep the arguments where they are (and their layout and comments):
    `await to_thread(f, a)` loses `await to_thread(` and gains a `(` after `f`."""
    if _is_unpacked(context, func) or not isinstance(func, _PRIMARY):
        return None  # rebuilt: `(f if fast else g)(a)` needs parentheses
    source = context.source
    before = source.segment(*end_of(offload.func), *start_of(func))
    if bare_code(before) not in ("(", "(None,"):
        return None
    # `to_thread(\n    f, a)`: the line break before f goes after `f(`.
    layout = before[len(before.rstrip()):]
    edits = [edit(start_of(awaited), start_of(func), "")]
    if outer is not offload:  # `sync_to_async(f, ...)(a)`: drop `, ...)` after f
        edits.append(edit(end_of(func), end_of(offload), ""))
        return edits
    items = sorted([*args, *keywords], key=start_of)
    if items:
        gap_start, gap_end = end_of(func), start_of(items[0])
        gap = source.segment(*gap_start, *gap_end)
        if bare_code(gap) != ",":
            return None
        comma = comma_offset(gap)
        after = gap[comma + 1:]
        spaces = len(after) - len(after.lstrip(" \t"))
        opening = "("
        if after.lstrip(" \t").startswith("#"):
            spaces = 0  # `f,  # comment` → `f(  # comment`
        elif "\n" in layout and "\n" not in after:
            opening += layout
        at = source.position(source.offset(*gap_start) + comma)
        edits.append(edit(at, (at[0], at[1] + 1 + spaces), opening))
    else:
        tail = bare_code(source.segment(*end_of(func), *end_of(offload)))
        if tail not in (")", ",)"):
            return None
        edits.append(edit(end_of(func), end_of(offload), "()"))
    return edits


def _is_unpacked(context: ModuleContext, func: ast.expr) -> bool:
    """`functools.partial(...)` or a lambda: the call is rebuilt instead."""
    return isinstance(func, ast.Lambda) or (
        isinstance(func, ast.Call) and
        context.model.resolve(func.func, _scope_of(context, func)) == "functools.partial")


def _scope_of(context: ModuleContext, node: ast.AST) -> Scope:
    model = context.model
    current = node
    while current is not None:
        current = context.parents.get(current)
        if current in model.function_by_node:
            return model.function_by_node[current].scope
    return model.module_scope


def _rebuilt(context: ModuleContext, func, args, keywords, scope: Scope) -> str:
    """`f(a, b, k=v)` from the parts of an offload, `partial` and lambdas unpacked."""
    source = context.source
    if isinstance(func, ast.Lambda):
        arguments = func.args
        if args or keywords or arguments.args or arguments.posonlyargs or \
                arguments.kwonlyargs or arguments.vararg or arguments.kwarg:
            raise CannotFix("a lambda with parameters")
        return source.of(func.body)
    if isinstance(func, ast.Call) and \
            context.model.resolve(func.func, scope) == "functools.partial":
        if not func.args or isinstance(func.args[0], ast.Starred):
            raise CannotFix("partial without a function")
        inner, bound, bound_keywords = func.args[0], func.args[1:], func.keywords
        if any(k.arg is None for k in [*bound_keywords, *keywords]) and \
                bound_keywords and keywords:
            raise CannotFix("keywords that may override each other")
        given = {k.arg for k in keywords}
        merged = [k for k in bound_keywords if k.arg not in given] + list(keywords)
        return _rebuilt(context, inner, [*bound, *args], merged, scope)
    parts = [_argument_text(source.of(a), a) for a in args]
    parts += [source.of(k) for k in keywords]
    return f"{_parenthesized(source.of(func), func)}({', '.join(parts)})"


def _argument_text(text: str, node: ast.expr) -> str:
    if isinstance(node, ast.GeneratorExp) and not text.startswith("("):
        return f"({text})"
    return text


def _parenthesized(text: str, node: ast.expr) -> str:
    return text if isinstance(node, (*_PRIMARY, ast.Constant)) else f"({text})"


def _is_atom_text(text: str) -> bool:
    """`f(a)`, `a.b`, a name: text that needs no parentheses anywhere."""
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return False
    return isinstance(node, (*_PRIMARY, ast.Constant))


def _loop_removals(context: ModuleContext, function: FunctionInfo, receivers: list) -> list:
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
            statement = context.parents.get(binding.node)
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                raise CannotFix("not a plain assignment")
            edits.append(_statement_removal(context, statement))
    return edits


def _statement_removal(context: ModuleContext, statement: ast.stmt) -> Edit:
    """Delete the lines of a statement that has them to itself."""
    if not context.source.has_own_lines(statement):
        raise CannotFix("the statement shares its line")
    parent = context.parents.get(statement)
    siblings = [getattr(parent, f, None) for f in ("body", "orelse", "finalbody")]
    if any(isinstance(s, list) and s == [statement] for s in siblings):
        raise CannotFix("the only statement of its block")
    return Edit(statement.lineno, 0, statement.end_lineno + 1, 0, "")
