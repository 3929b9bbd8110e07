"""Facts about calls, computed once per module from the model and shared by the rules:
which calls block the event loop, which are proven cheap, which are thread offloads.
"""
from __future__ import annotations

import ast
from typing import Iterator, NamedTuple, Optional

from . import catalog
from .config import Config
from .model import (
    CallSite,
    ClassInfo,
    FunctionInfo,
    ModuleModel,
    THREADABLE_ROLES,
    lookup_table,
)

LOCK_TYPES = frozenset({"threading.Lock", "threading.Condition", "threading.Semaphore"})


class BlockingCall(NamedTuple):
    node: ast.AST
    function: FunctionInfo
    code: str
    name: str  # the catalog or configured name that matched
    shown: str  # the call as written, for the message
    hint: str


class Violation(NamedTuple):
    line: int
    col: int
    code: str
    message: str


def source_text(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Analysis:
    def __init__(self, model: ModuleModel, config: Config):
        self.model = model
        self.config = config
        self._cheap_memo: dict[FunctionInfo, bool] = {}
        self._blocking_calls: Optional[list[BlockingCall]] = None

    # ----- blocking calls on the event loop ----------------------------------------------

    def blocking_of(self, site: CallSite) -> Optional[tuple[str, catalog.Blocking]]:
        """The catalog entry a (non-awaited) call matches, with the name it matched."""
        if site.awaited:
            return None
        name = self.model.call_name(site.node, site.scope)
        if not name:
            return None
        if name not in catalog.NOT_BLOCKING:
            entry = lookup_table(catalog.BLOCKING, name)
            if entry is not None:
                return name, entry
        configured = self.config.blocking_entry(name)
        if configured is not None:
            return name, configured
        return None

    def blocking_calls(self) -> list[BlockingCall]:
        if self._blocking_calls is None:
            self._blocking_calls = self._find_blocking_calls()
        return self._blocking_calls

    def _find_blocking_calls(self) -> list[BlockingCall]:
        found: list[BlockingCall] = []
        for function in self.model.coroutines():
            matches = {site.node: self.blocking_of(site) for site in function.scope.calls}
            matches = {node: match for node, match in matches.items() if match is not None}
            for node, (name, entry) in matches.items():
                if _receiver_calls(node) & matches.keys():
                    continue  # `cursor().execute()`: one finding per chain, at its start
                shown = f"`{source_text(node.func)}()`"
                found.append(BlockingCall(node, function, entry.code, name, shown, entry.hint))
            found.extend(self._lock_waits(function))
        return found

    def _lock_waits(self, function: FunctionInfo) -> Iterator[BlockingCall]:
        """`with threading_lock:` in a coroutine waits for the lock on the event loop."""
        for item in function.scope.with_items:
            if self.model.type_of(item.context_expr, function.scope) in LOCK_TYPES:
                yield BlockingCall(item.context_expr, function, "ASR107",
                                   "threading.Lock.acquire",
                                   f"`with {source_text(item.context_expr)}`",
                                   catalog.BLOCKING["threading.Lock.acquire"].hint)

    # ----- proven cheap ------------------------------------------------------------------

    def call_verdict(self, site: CallSite) -> str:
        """'blocking', 'cheap' or 'unknown' for one call."""
        if self.blocking_of(site) is not None:
            return "blocking"
        return "cheap" if self.is_cheap(site) else "unknown"

    def is_cheap(self, site: CallSite) -> bool:
        model, call, scope = self.model, site.node, site.scope
        name = model.call_name(call, scope)
        if name and not name.startswith("?."):
            if name in catalog.NOT_CHEAP_BUILTINS:
                return False
            if self.config.is_cheap(name) or lookup_table(catalog.CHEAP, name):
                return True
        local = model.local_definition(call.func, scope)
        if isinstance(local, FunctionInfo):
            return self.function_is_cheap(local)
        if isinstance(local, ClassInfo):
            init = model.method(local, "__init__")
            return init is None or self.function_is_cheap(init)
        if isinstance(call.func, ast.Attribute):
            return self._method_is_cheap(call.func, scope)
        return False

    def _method_is_cheap(self, func: ast.Attribute, scope) -> bool:
        method = func.attr
        receiver = self.model.type_of(func.value, scope)
        if isinstance(receiver, ClassInfo):
            # Not defined in the class: inherited from a library base such as BaseModel.
            return method in catalog.CHEAP_METHODS
        if isinstance(receiver, str):
            return receiver.startswith("builtins.") and method in catalog.CHEAP_METHODS
        return method in catalog.CHEAP_METHODS and method not in catalog.AMBIGUOUS_CHEAP_METHODS

    def function_is_cheap(self, function: FunctionInfo) -> bool:
        if function in self._cheap_memo:
            return self._cheap_memo[function]
        self._cheap_memo[function] = False  # recursion is not proven cheap
        if function in self.model.offloaded:
            result = False  # the project itself runs it in a thread elsewhere
        elif function.is_async:
            result = True  # calling it only creates a coroutine
        else:
            result = all(self.is_cheap(site) for site in function.scope.calls)
        self._cheap_memo[function] = result
        return result

    def first_costly_call(self, function: FunctionInfo) -> Optional[tuple[str, ast.Call]]:
        """The call that keeps a function from being proven cheap: a blocking one first."""
        unknown = None
        for site in function.scope.calls:
            verdict = self.call_verdict(site)
            if verdict == "blocking":
                return verdict, site.node
            if verdict == "unknown" and unknown is None:
                unknown = site.node
        return ("unknown", unknown) if unknown is not None else None

    def is_loop_bound(self, function: FunctionInfo, offloading: bool = False) -> bool:
        """Uses APIs that need the running loop, so it must stay `async def`. When the
        handler's awaits are offloads, fetching the loop to offload with does not count."""
        for site in function.scope.calls:
            name = self.model.call_name(site.node, site.scope)
            if not name or self.model.is_offload(site.node, site.scope):
                continue
            if offloading and name in catalog.LOOP_ACCESSORS:
                continue
            if lookup_table(catalog.LOOP_BOUND, name):
                return True
        return False

    # ----- offloads ----------------------------------------------------------------------

    def offload_of(self, expr: ast.expr, scope) -> Optional[ast.Call]:
        """The offload call an awaited expression is: `to_thread(f)`, `sync_to_async(f)()`."""
        if not isinstance(expr, ast.Call):
            return None
        if self.model.is_offload(expr, scope):
            return expr
        if isinstance(expr.func, ast.Call) and self.model.is_offload(expr.func, scope):
            return expr.func
        return None

    def uses_dedicated_pool(self, offload: ast.Call, scope) -> bool:
        name = self.model.call_name(offload, scope) or ""
        if name.endswith("run_in_executor"):
            executor = offload.args[0] if offload.args else None
            return not (isinstance(executor, ast.Constant) and executor.value is None)
        for keyword in offload.keywords:
            if keyword.arg == "thread_sensitive":
                return not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False)
            if keyword.arg in catalog.DEDICATED_OFFLOAD_KEYWORDS:
                return True
        # asgiref runs everything on one shared thread unless told otherwise.
        return name == "asgiref.sync.sync_to_async"

    # ----- helpers for the route-shape rules ---------------------------------------------

    def threadable_coroutines(self) -> Iterator[FunctionInfo]:
        """Async routes and dependencies FastAPI could run as `def` in its thread pool."""
        for function in self.model.coroutines():
            roles = {role.kind for role in function.roles}
            if roles and roles <= THREADABLE_ROLES and not function.async_context_manager:
                yield function

    def sync_handlers(self) -> Iterator[FunctionInfo]:
        for function in self.model.functions:
            if not function.is_async and {r.kind for r in function.roles} & THREADABLE_ROLES:
                yield function


def _receiver_calls(call: ast.Call) -> set:
    """The calls a method call's receiver is built from: `a().b().c()` → {a(), a().b()}."""
    found = set()
    node = call.func
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call):
            found.add(node)
            node = node.func
        else:
            return found
