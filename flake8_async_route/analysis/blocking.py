"""The blocking calls of one module's coroutines: direct (ASR1xx), down a chain of sync
project helpers (ASR110), and at startup (ASR111)."""
from __future__ import annotations

import ast
from collections import deque
from typing import Iterator, Optional

from .. import catalog
from ..model import (CallSite, FunctionInfo, Functions, ModuleModel, NamesFunctions,
                     relative_to_cwd)
from .arguments import constant_arguments
from .context import returns_at_once_after_deletion
from .results import STARTUP_CODE, BlockingCall, Link, link_here, source_text
from .search import BlockingSearch
from .startup import NonRequestCoroutines


class BlockingCalls(NamesFunctions):
    """A coroutine's blocking calls, as a result memoised on the project: forgotten with
    the project function any of them calls (its links down the chain are text)."""

    def named(self) -> list[FunctionInfo]:
        return [call.helper for call in self if call.helper is not None]


class CoroutineScan:
    def __init__(self, model: ModuleModel, search: BlockingSearch,
                 non_request: NonRequestCoroutines):
        self.model = model
        self.search = search
        self.non_request = non_request
        self._blocking_calls: Optional[list[BlockingCall]] = None
        self.too_deep: list[FunctionInfo] = []  # coroutines skipped by blocking_calls()

    def blocking_calls(self) -> list[BlockingCall]:
        """Blocking calls in this module's coroutines, direct (ASR1xx) or through project
        helpers (ASR110)."""
        if self._blocking_calls is None:
            offline = self.non_request.offline()
            startup = self.non_request.startup()
            self._blocking_calls = [
                c._replace(code=STARTUP_CODE, origin=c.code) if f in startup else c
                for f in self.model.coroutines() if f not in offline
                for c in self._scan_unless_too_deep(f)]
        return self._blocking_calls

    def _scan_unless_too_deep(self, function: FunctionInfo) -> BlockingCalls:
        try:
            return self._scanned(function)
        except RecursionError:  # pathological nesting costs this coroutine, not the file
            self.too_deep.append(function)
            return BlockingCalls()

    def _scanned(self, coroutine: FunctionInfo) -> BlockingCalls:
        """Its blocking calls, asked when its module is checked and, in the audit, for
        every handler running it (often from another module, before its own is checked)."""
        return self.search.memo.get((self.search.config, "blocking calls", coroutine),
                                    lambda: BlockingCalls(self._scan(coroutine)))

    def _scan(self, function: FunctionInfo) -> Iterator[BlockingCall]:
        yield from self._waiting_withs(function)
        yield from self._blocking_iterations(function)
        sites = [s for s in self.search.per_call_sites(function) if not s.awaited]
        direct = {s.node: self.search.blocking_of(s) for s in sites}
        direct = {node: entry for node, entry in direct.items() if entry is not None}
        for site in sites:
            node = site.node
            if _receiver_calls(node) & direct.keys():
                continue  # `conn.cursor().execute()`: one finding per chain, at its start
            if node in direct:
                entry = direct[node]
                yield BlockingCall(node, function, entry.code, (link_here(node),), entry.hint)
                continue
            for target, note in self.search.runs(site):
                found = None if target.is_async or \
                    returns_at_once_after_deletion(function, site, target) else \
                    self.search.blocking_chain(target, constant_arguments(node, target, {}))
                if found is not None:
                    links, entry = found
                    here = link_here(node)
                    yield BlockingCall(node, function, "ASR110",
                                       (here._replace(shown=here.shown + note), *links),
                                       entry.hint, target, sink=entry.code)
                    break

    def blocking_on_its_behalf(self, handler: FunctionInfo) -> str:
        """Where (`services.notify` (app/services.py:12)) the first blocking call is in a
        project coroutine that `handler` runs on the loop (awaits, gathers, or hands to a
        background task), followed through the coroutines those run; "" for none. A
        handler whose own body is clean still blocks the loop through it. Its finding is
        made once, in that coroutine; this only tells the audit's verdict."""
        seen, queue = {handler}, deque([handler])
        while queue:
            for target in self._coroutines_run_by(queue.popleft()):
                if target in seen:
                    continue
                seen.add(target)
                try:
                    found = self._scanned(target)
                except RecursionError:  # too deep to tell: say nothing about it
                    continue
                if found:
                    return _where(found[0])
                queue.append(target)
        return ""

    def _coroutines_run_by(self, coroutine: FunctionInfo) -> Functions:
        """The project coroutines its calls run, in order; asked for every handler that
        reaches it."""
        return self.search.memo.get((None, "coroutines run", coroutine), lambda: Functions(
            dict.fromkeys(filter(None, map(self._coroutine_run_by, coroutine.scope.calls)))))

    def _coroutine_run_by(self, site: CallSite) -> Optional[FunctionInfo]:
        model, call = site.scope.owner_model(), site.node
        target = self.search.callee(site)
        if target is None and call.args and (
                isinstance(call.func, ast.Attribute) and call.func.attr == "add_task"
                or model.resolve(call.func, site.scope) in catalog.BACKGROUND_TASK_CONSTRUCTORS):
            target = model.local_definition(call.args[0], site.scope)
        return target if isinstance(target, FunctionInfo) and target.is_async else None

    def _waiting_withs(self, function: FunctionInfo) -> Iterator[BlockingCall]:
        """`with semaphore:` waits on the event loop for a free slot."""
        for item in function.scope.with_items:
            expr = item.context_expr
            if function.model.type_of(expr, function.scope) in catalog.WAITING_CONTEXT_TYPES:
                entry = catalog.BLOCKING["threading.Semaphore.acquire"]
                shown = f"`with {source_text(expr)}`"
                yield BlockingCall(expr, function, entry.code, (Link(shown, "", expr.lineno),),
                                   entry.hint)

    def _blocking_iterations(self, function: FunctionInfo) -> Iterator[BlockingCall]:
        """`for row in session.query(User)`: iterating a lazy query runs it; iterating an
        instance of a project class runs its sync `__iter__`."""
        for expr in function.scope.iterated:
            kind = function.model.type_of(expr, function.scope)
            entry = catalog.BLOCKING_ITERATION.get(kind) if isinstance(kind, str) else None
            shown = f"`for … in {source_text(expr)}`"
            if entry is not None:
                yield BlockingCall(expr, function, entry.code, (Link(shown, "", expr.lineno),),
                                   entry.hint)
                continue
            found = self._blocking_iter_method(expr, function)
            if found is not None:
                method, (links, entry) = found
                here = Link(f"{shown} (`{method.qualname}`)", "", expr.lineno)
                yield BlockingCall(expr, function, "ASR110", (here, *links), entry.hint,
                                   method, sink=entry.code)

    def _blocking_iter_method(self, expr: ast.expr, function: FunctionInfo):
        """(the `__iter__`, its chain) of the first project class whose instance, built for
        this iteration, runs a blocking call in its sync `__iter__`."""
        for cls in function.model.constructed_classes(expr, function.scope):
            method = cls.scope.owner_model().method(cls, "__iter__")
            if method is None or method.is_async:
                continue
            chain = self.search.fresh_instance_chain(method)
            if chain is not None:
                return method, chain
        return None


def _where(blocking: BlockingCall) -> str:
    """`services.notify` (app/services.py:12): the coroutine and the line that blocks."""
    function = blocking.function
    path = relative_to_cwd(function.model.path) if function.model.path else ""
    return f"`{function.qualname}` ({path}:{blocking.node.lineno})" if path \
        else f"`{function.qualname}` (line {blocking.node.lineno})"


def _receiver_calls(call: ast.Call) -> set:
    """The calls a method call's receiver is built from: `a().b().c()` → {a(), a().b()}."""
    found = set()
    node = call.func
    while True:
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Call):
            found.add(node)
            node = node.func
        else:
            return found
