"""Which calls block, what project code a call runs, and the search down chains of sync
project helpers for a call that matches (blocking, costly, loop-bound)."""
from __future__ import annotations

import ast
from collections import deque
from typing import TYPE_CHECKING, Optional

from .. import catalog
from ..catalog import lookup_table
from ..model import CallSite, ClassInfo, FunctionInfo
from .arguments import constant_arguments
from .branches import Branches, branches, instance_receiver
from .context import ruled_out_by_context
from .memo import Memo
from .results import Link, shown_call, source_text
from .run_once import is_memoised, run_once_calls, same_arguments_every_time

if TYPE_CHECKING:
    from ..config import Config


class BlockingSearch:
    """Answers about any project function, judged in its own module's model; the memo is
    the project's, shared with the other questions of the analysis."""

    def __init__(self, config: Config, memo: Memo):
        self.config = config
        self.memo = memo

    def loop_sites(self, function: FunctionInfo) -> list[CallSite]:
        """Calls a function makes on its own thread: its own, and those in lambdas it hands
        to `sorted`, `map` and the like, which run them at once."""
        sites = list(function.scope.calls)
        model = function.model
        for lambda_node, call in list(model.lambda_call.items()):
            inner = model.function_by_node.get(lambda_node)
            if inner is not None and inner.parent is function.scope:
                name = model.call_name(call, inner.parent)
                if name and lookup_table(catalog.INLINE_CALLERS, name):
                    sites.extend(inner.scope.calls)
        return sites

    def per_call_sites(self, function: FunctionInfo) -> tuple[CallSite, ...]:
        """loop_sites but the run-once work behind a guard (`if self._x is None:
        self._x = load()`): it is paid on the first call only, not on every request."""
        # The shape of key the project forgets results by, without a config: the guards
        # are the same whatever it says. Asked of a helper by every search through it.
        return self.memo.get((None, "per-call sites", function),
                             lambda: self._per_call_sites(function))

    def _per_call_sites(self, function: FunctionInfo,
                        instance_slots: bool = True) -> tuple[CallSite, ...]:
        once = run_once_calls(function, instance_slots)
        return tuple(s for s in self.loop_sites(function) if s.node not in once)

    def blocking_of(self, site: CallSite) -> Optional[catalog.Blocking]:
        """The catalog (or configured) entry a non-awaited call matches."""
        if site.awaited:
            return None
        for alternative in site.scope.owner_model().alternative_sites(site):
            entry = self.blocking_of(alternative)
            if entry is not None:
                return entry
        name = site.scope.owner_model().call_name(site.node, site.scope)
        if not name:
            return None
        if name not in catalog.NOT_BLOCKING and not ruled_out_by_context(site, name):
            entry = lookup_table(catalog.BLOCKING, name)
            if entry is not None:
                return entry
        return self.config.blocking_entry(name)

    def callee(self, site: CallSite) -> Optional[FunctionInfo]:
        """The project function a call runs synchronously, if the analysis can tell."""
        model, func = site.scope.owner_model(), site.node.func
        if isinstance(func, ast.Lambda):
            return model.function_by_node.get(func)
        target = model.local_definition(func, site.scope)
        if isinstance(target, ClassInfo):
            return target.scope.owner_model().method(target, "__init__")
        if isinstance(target, FunctionInfo):
            # A generator's body runs only when something iterates it or enters it.
            if target.is_generator and site.node not in model.consumed_calls:
                return None
            if is_memoised(target) and same_arguments_every_time(site.node, target):
                return None  # its work is done once, not on every request
            return target
        instance = model.type_of(func, site.scope) if isinstance(func, ast.Name) else None
        if isinstance(instance, ClassInfo):
            return instance.scope.owner_model().method(instance, "__call__")
        return None

    def runs(self, site: CallSite) -> list[tuple[FunctionInfo, str]]:
        """(function, note for the message) for what a call can run: its callee, or for
        an abstract method of a project interface, the project's implementations of it;
        for a call through a literal sequence of callables, what each of them runs."""
        alternatives = site.scope.owner_model().alternative_sites(site)
        if alternatives:
            return [(target, note or f" (`{source_text(alternative.node.func)}`)")
                    for alternative in alternatives for target, note in self.runs(alternative)]
        target = self.callee(site)
        if target is None:
            return []
        implementations = target.model.implementations(target)
        if not implementations:
            return [(target, "")]
        return [(f, f" (`{f.qualname}` implements `{target.qualname}`)")
                for f in implementations]

    def blocking_chain(self, function: FunctionInfo, constants: frozenset = frozenset(),
                       facts: frozenset = frozenset()):
        """(links, entry) for the chain of calls from a sync function to its costliest
        blocking call (network, database, subprocess before a sleep, a wait or file I/O),
        the shortest and then the first in source order among equally costly ones; None
        when it reaches none. Breadth-first from the function itself, so the answer never
        depends on which functions were summarised before. `constants` are the parameters
        the call passes literal values (`read_only=True`), `facts` what the caller showed
        about its `self` (`if self.content:`) when it calls a method on it: branches they
        rule out are not followed."""
        return self.memo.get((self.config, "chain", function, constants, facts),
                             lambda: self._find_chain(function, constants, facts))

    def fresh_instance_chain(self, method: FunctionInfo):
        """blocking_chain for a method called on an instance built just before (an
        iterated collection a helper returns): the caches its class fills on `self` are
        still empty, so the work behind their guards is paid now."""
        def sites_of(function: FunctionInfo) -> tuple[CallSite, ...]:
            if function.cls is None or function.cls is not method.cls:
                return self.per_call_sites(function)
            return self._per_call_sites(function, instance_slots=False)
        return self.memo.get((self.config, "fresh chain", method), lambda: self.search(
            method, self.blocking_of, sites_of,
            cost=lambda entry: catalog.SINK_COST.get(entry.code, 0)))

    def _find_chain(self, start: FunctionInfo, constants: frozenset, facts: frozenset):
        return self.search(start, self.blocking_of, self.per_call_sites,
                           cost=lambda entry: catalog.SINK_COST.get(entry.code, 0),
                           constants=constants, facts=facts)

    def search(self, start: FunctionInfo, match, sites_of=None, cost=None,
               constants: frozenset = frozenset(), facts: frozenset = frozenset()):
        """(links, what `match` returned) for the first call, breadth-first through the
        sync project functions `start` calls, for which `match(site)` is not None; with
        `cost`, for the first of the cheapest `cost(found)` instead."""
        # (function, its constant parameters, the facts about its `self`) → (the caller's,
        # the call in it, a note); the links' text is made only for a chain found
        first = (start, constants, facts)
        reached: dict[tuple, Optional[tuple]] = {first: None}
        queue = deque([first])
        best = None  # (cost, state, call, found)
        while queue:
            state = queue.popleft()
            function, bound, known = state
            decided = self.memo.get((None, "branches", function, bound, known),
                                    lambda: branches(function, dict(bound), known)) \
                if bound or instance_receiver(function) else Branches(frozenset(), {})
            sites = [s for s in (sites_of or self.loop_sites)(function)
                     if not s.awaited and s.node not in decided.ruled_out]
            for site in sites:
                found = match(site)
                if found is not None:
                    rank = cost(found) if cost is not None else 0
                    if best is None or rank < best[0]:
                        best = (rank, state, site.node, found)
                    if rank == 0:
                        break
            if best is not None and best[0] == 0:
                break
            for site in sites:
                on_self = decided.facts_at.get(site.node, frozenset())
                for target, note in self.runs(site):
                    following = (target, constant_arguments(site.node, target, dict(bound)),
                                 on_self if on_self and instance_receiver(target) else frozenset())
                    if not target.is_async and following not in reached:
                        reached[following] = (state, site.node, note)
                        queue.append(following)
        if best is None:
            return None
        _, state, call, found = best
        links = [_link(state[0], call)]
        while reached[state] is not None:
            state, call, note = reached[state]
            links.append(_link(state[0], call, note))
        return tuple(reversed(links)), found


def _link(function: FunctionInfo, call: ast.Call, note: str = "") -> Link:
    return Link(shown_call(call) + note, function.model.display_path(), call.lineno)
