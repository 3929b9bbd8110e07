"""What the route-shape rules (ASR2xx, ASR301) ask about a handler: could FastAPI run it
as `def`, does it need the running loop, are its awaits thread offloads."""
from __future__ import annotations

import ast
from typing import Iterator, Optional

from .. import catalog
from ..catalog import lookup_table
from ..model import THREADABLE_ROLES, CallSite, FunctionInfo, ModuleModel, Role
from .run_once import is_cache_slot
from .search import BlockingSearch
from .syntax import own_nodes, references, shape


def never_awaiting_handler(search: BlockingSearch, function: FunctionInfo) -> bool:
    """An async route or dependency FastAPI could run as `def` as it stands: it never
    awaits and uses nothing that needs the running loop."""
    return (function.is_async and not function.awaits_anything
            and {role.kind for role in function.roles} <= THREADABLE_ROLES
            and bool(function.roles) and not function.async_context_manager
            and not is_loop_bound(search, function))


def is_loop_bound(search: BlockingSearch, function: FunctionInfo,
                  offloading: bool = False) -> bool:
    """Uses APIs that need the running loop, itself or in a sync helper it calls, so
    it must stay `async def`. When the handler's awaits are offloads, fetching the
    loop to offload with does not count."""
    def loop_bound(site: CallSite) -> Optional[bool]:
        model = site.scope.owner_model()
        name = model.call_name(site.node, site.scope)
        if not name or model.is_offload(site.node, site.scope):
            return None
        if offloading and name in catalog.LOOP_ACCESSORS and site.scope is function.scope \
                and _fetches_the_loop_to_offload(function, site.node):
            return None
        return True if lookup_table(catalog.LOOP_BOUND, name) else None

    return search.memo.get((search.config, "loop-bound", function, offloading),
                           lambda: search.search(function, loop_bound) is not None)


def relies_on_the_loop_thread(function: FunctionInfo) -> bool:
    """Checks shared state and changes it with no `await` between (`if seat in taken:
    ...; taken.add(seat)`): on the loop's one thread nothing runs in between; declared
    `def`, two worker threads could both pass the check."""
    awaits = [node.lineno for node in function.scope.awaits]
    nodes = list(own_nodes(function.node))
    for check in nodes:
        if not isinstance(check, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            continue
        for slot in _shared_slots(function, check.test):
            for change in nodes:
                line = getattr(change, "lineno", 0)
                if line >= check.lineno and _changes(change, slot) and \
                        not any(check.lineno <= a <= line for a in awaits):
                    return True
    return False


def offload_of(model: ModuleModel, expr: ast.expr, scope) -> Optional[ast.Call]:
    """The offload call an awaited expression is: `to_thread(f)`, `sync_to_async(f)()`."""
    if not isinstance(expr, ast.Call):
        return None
    if model.is_offload(expr, scope):
        return expr
    if isinstance(expr.func, ast.Call) and model.is_offload(expr.func, scope):
        return expr.func
    return None


def uses_dedicated_pool(model: ModuleModel, offload: ast.Call, scope) -> bool:
    name = model.call_name(offload, scope) or ""
    if name.endswith("run_in_executor"):
        executor = offload.args[0] if offload.args else None
        return not (isinstance(executor, ast.Constant) and executor.value is None)
    keywords = {k.arg: k.value for k in offload.keywords}
    if keywords.keys() & catalog.DEDICATED_OFFLOAD_KEYWORDS:
        return True
    if name == "asgiref.sync.sync_to_async":
        # asgiref runs everything on one shared thread unless told otherwise.
        sensitive = keywords.get("thread_sensitive")
        return not (isinstance(sensitive, ast.Constant) and sensitive.value is False)
    return False


def is_threadable(function: FunctionInfo) -> bool:
    """A route or dependency FastAPI would run in its thread pool if declared `def`."""
    roles = {role.kind for role in function.roles}
    return bool(roles) and roles <= THREADABLE_ROLES and not function.async_context_manager


def sync_handlers(model: ModuleModel, worth_asking=None) -> Iterator[FunctionInfo]:
    """`def` routes and dependencies of the module. With `worth_asking`, also its
    module-level `def` functions that other project modules use as dependencies; the
    project is asked (a scan of its modules) only for those `worth_asking` accepts."""
    project = model.project
    for function in model.functions:
        if function.is_async:
            continue
        if {r.kind for r in function.roles} & THREADABLE_ROLES:
            yield function
        elif worth_asking is not None and project is not None and not function.roles \
                and function.parent is model.module_scope and worth_asking(function) \
                and function.qualname in project.search.used_as_dependency_elsewhere(model):
            function.roles.append(Role("dependency"))
            yield function


def _fetches_the_loop_to_offload(function: FunctionInfo, accessor: ast.Call) -> bool:
    """`asyncio.get_running_loop().run_in_executor(...)`, or `loop = get_running_loop()`
    with `loop` used for nothing but awaited `loop.run_in_executor(...)` calls: declared
    `def`, the offloads become direct calls and the loop is not needed. Any other use of
    the loop would raise in a worker thread, which has none; so would a fire-and-forget
    `loop.run_in_executor(...)` left unawaited, which no direct call can replace."""
    executors = [site.node.func for site in function.scope.calls
                 if site.awaited and isinstance(site.node.func, ast.Attribute)
                 and site.node.func.attr == "run_in_executor"]
    if any(func.value is accessor for func in executors):
        return True
    names = [name for name, bindings in function.scope.bindings.items()
             if any(b.value is accessor for b in bindings)]
    if len(names) != 1:
        return False
    receivers = {id(func.value) for func in executors}
    uses = references(function.node, names[0])
    return bool(uses) and all(id(use) in receivers for use in uses)


def _shared_slots(function: FunctionInfo, test: ast.expr) -> list[str]:
    """The state outliving the call that a test reads, by shape: module-level names that
    are not imports, functions or classes, and attributes of `self`."""
    model, scope = function.model, function.scope
    slots = []
    for node in ast.walk(test):
        if isinstance(node, ast.Name):
            owner, bindings = model.lookup(node.id, scope)
            if owner is model.module_scope and bindings and \
                    all(b.kind not in ("import", "def", "class") for b in bindings):
                slots.append(shape(node))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                is_cache_slot(node, function) and function.cls is not None:
            slots.append(shape(node))
    return slots


def _changes(node: ast.AST, slot: str) -> bool:
    """`slot.add(...)`, `slot[k] = v`, `del slot[k]`, `slot = ...` (global), `slot += 1`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in catalog.MUTATING_METHODS and shape(node.func.value) == slot
    targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else \
        [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
    for target in targets:
        if isinstance(target, ast.Subscript):
            target = target.value
        if shape(target) == slot:
            return True
    return False
