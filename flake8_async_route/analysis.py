"""Facts about calls, shared by the rules: which calls block the event loop (directly or
down a chain of project helpers), which are proven cheap, which are thread offloads.

Every call is judged in the model of the module it is written in, so helpers in other
project modules are judged the same way whichever file is being checked. Per-function
results are cached on the project for the life of the process.
"""
from __future__ import annotations

import ast
import re
from collections import deque
from typing import Iterator, NamedTuple, Optional

from . import catalog, noqa
from .config import Config
from .model import (
    THREADABLE_ROLES,
    CallSite,
    ClassInfo,
    FunctionInfo,
    ModuleModel,
    Role,
    lookup_table,
)


def _last_names(qualnames) -> list[str]:
    return [name.rpartition(".")[2] for name in qualnames]


# Words without which a module has no coroutine and no function `_assign_roles` could make
# a route or a dependency: the `def` handlers ASR301 looks at (the names it resolves end in
# one of them, however they are imported).
_HANDLER_WORDS = ("async", *catalog.ROUTE_REGISTRARS, *_last_names(catalog.ROUTE_CLASSES),
                  *_last_names(catalog.DEPENDS), *_last_names(catalog.HTTP_ENDPOINT_BASES))
# A `def` function that another module uses as a dependency can hold an ASR301 finding:
# the module then names the library the call is resolved to (`requests`, `urllib`).
_TIMEOUT_WORDS = tuple(sorted({name.partition(".")[0] for name in catalog.NEEDS_TIMEOUT}))
_DECORATOR_LINE = re.compile(r"^[ \t]*@(.*)$", re.MULTILINE)
_ROUTE_DECORATOR = re.compile(r"\b(?:%s)\b" % "|".join(catalog.ROUTE_DECORATORS))


def findings_possible(text: str) -> bool:
    """False when no rule can report anything in this source, whatever the rest of the
    project holds: every finding is in a coroutine (ASR1xx, ASR2xx) or in a `def` route or
    dependency (ASR301), roles come from this module alone, except that another module may
    use a `def` function as a dependency, and its ASR301 calls name their library here (a
    client object imported from another module is not followed into such a function).
    Conservative, on the text: a word in a comment or a string counts, and so does a
    decorator that goes on past its line."""
    if any(word in text for word in _HANDLER_WORDS) or \
            any(word in text for word in _TIMEOUT_WORDS):
        return True
    for match in _DECORATOR_LINE.finditer(text):
        line = match[1]
        opened = line.count("(") + line.count("[") + line.count("{")
        closed = line.count(")") + line.count("]") + line.count("}")
        if _ROUTE_DECORATOR.search(line) or opened > closed or line.rstrip().endswith("\\"):
            return True
    return False


class Link(NamedTuple):
    """One call in a chain that ends at a blocking call."""

    shown: str  # the call as written: "`get_password_hash()`"
    path: str
    line: int


class BlockingCall(NamedTuple):
    node: ast.AST
    function: FunctionInfo  # the coroutine it happens in
    code: str
    chain: tuple  # Links from the call in the coroutine down to the blocking call
    hint: str
    helper: Optional[FunctionInfo] = None  # ASR110: the project function called
    origin: str = ""  # for startup work (ASR111), the code the call has elsewhere

    @property
    def kind(self) -> str:
        """The code the call has in a route: ASR101 for a `time.sleep` at startup too."""
        return self.origin or self.code

    def describe(self) -> str:
        return describe_chain(self.chain)


def describe_chain(chain: tuple) -> str:
    if len(chain) == 1:
        return chain[0].shown
    last = chain[-1]
    return " → ".join(link.shown for link in chain) + f" ({last.path}:{last.line})"


class FoldedCall(NamedTuple):
    """One root cause in one coroutine: the first blocking call made on a handle (or
    through helpers down to one blocking call), and the later calls on the same handle (or
    reaching the same blocking call)."""

    first: BlockingCall
    repeats: tuple  # BlockingCalls
    shared: str  # what the repeats share: "on `fh`", "of `load()`", "reaching `open()`"

    def describe(self) -> str:
        shown = self.first.describe()
        if not self.repeats:
            return shown
        count = len(self.repeats)
        return f"{shown} (and {count} more call{'s' if count > 1 else ''} {self.shared})"


class Violation(NamedTuple):
    line: int
    col: int
    code: str
    message: str


def source_text(node: ast.AST, limit: int = 60) -> str:
    try:
        text = " ".join(ast.unparse(node).split())
    except RecursionError:  # too deep to unparse: its end names it well enough
        text = f"….{node.attr}" if isinstance(node, ast.Attribute) else "…"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_call(call: ast.Call) -> str:
    return f"`{source_text(call.func)}()`"


def _here(call: ast.Call) -> Link:
    """The first link of a finding's chain: the call in the coroutine itself."""
    return Link(shown_call(call), "", call.lineno)


def _link(function: FunctionInfo, call: ast.Call, note: str = "") -> Link:
    return Link(shown_call(call) + note, function.model.display_path(), call.lineno)


class Analysis:
    def __init__(self, model: ModuleModel, config: Config):
        self.model = model
        self.config = config
        model.assign_roles()
        project = model.project
        self._memo: dict = project.summaries if project is not None else {}
        self._in_progress: set = set()
        self._cycle_seen = False
        self._blocking_calls: Optional[list[BlockingCall]] = None
        self._folded: Optional[list[FoldedCall]] = None
        self._noqa_text: Optional[dict[int, str]] = None
        self._blocking_nodes: dict = {}  # scope → its calls that block (see _handle)
        self._uses: Optional[dict] = None
        self.too_deep: list[FunctionInfo] = []  # coroutines skipped by blocking_calls()

    def _cached(self, kind: str, function: FunctionInfo, compute, in_progress):
        """Memoised per (config, kind, function). A recursive call answers `in_progress`;
        a result that leaned on such an answer is kept only at the outermost call, whose
        search saw the whole cycle, so answers never depend on the order of questions."""
        key = (self.config, kind, function)
        if key in self._memo:
            return self._memo[key]
        if key in self._in_progress:
            self._cycle_seen = True
            return in_progress
        outer_cycle_seen, self._cycle_seen = self._cycle_seen, False
        self._in_progress.add(key)
        try:
            result = compute(function)
        finally:
            self._in_progress.discard(key)
        if not self._cycle_seen or not self._in_progress:
            self._memo[key] = result
        self._cycle_seen = self._cycle_seen or outer_cycle_seen
        return result

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

    def per_call_sites(self, function: FunctionInfo) -> list[CallSite]:
        """loop_sites but the run-once work behind a guard (`if self._x is None:
        self._x = load()`): it is paid on the first call only, not on every request."""
        key = (None, "run-once", function)  # the shape project.py forgets by
        if key not in self._memo:
            self._memo[key] = _run_once_calls(function)
        once = self._memo[key]
        return [s for s in self.loop_sites(function) if s.node not in once]

    # ----- blocking calls ----------------------------------------------------------------

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
        if name not in catalog.NOT_BLOCKING and not _told_not_to_block(site.node, name) \
                and not _no_disk_involved(site, name) and not _acquires_a_fresh_lock(site, name) \
                and not _fetches_a_buffered_result(site, name) \
                and not _puts_on_unbounded_queue(site, name) \
                and not _small_read_of_an_upload(site, name):
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
            if is_memoised(target) and _same_arguments_every_time(site.node, target):
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

    def blocking_chain(self, function: FunctionInfo, constants: frozenset = frozenset()):
        """(links, entry) for the chain of calls from a sync function to its costliest
        blocking call (network, database, subprocess before a sleep, a wait or file I/O),
        the shortest and then the first in source order among equally costly ones; None
        when it reaches none. Breadth-first from the function itself, so the answer never
        depends on which functions were summarised before. `constants` are the parameters
        the call passes literal values (`read_only=True`): branches they rule out are not
        followed."""
        key = (self.config, "chain", function, constants)
        if key not in self._memo:
            self._memo[key] = self._find_chain(function, constants)
        return self._memo[key]

    def _find_chain(self, start: FunctionInfo, constants: frozenset = frozenset()):
        return self._search(start, self.blocking_of, self.per_call_sites,
                            cost=lambda entry: catalog.SINK_COST.get(entry.code, 0),
                            constants=constants)

    def _search(self, start: FunctionInfo, match, sites_of=None, cost=None,
                constants: frozenset = frozenset()):
        """(links, what `match` returned) for the first call, breadth-first through the
        sync project functions `start` calls, for which `match(site)` is not None; with
        `cost`, for the first of the cheapest `cost(found)` instead."""
        # (function, its constant parameters) → (the caller's, the call in it, a note); the
        # links' text is made only for a chain found
        first = (start, constants)
        reached: dict[tuple, Optional[tuple]] = {first: None}
        queue = deque([first])
        best = None  # (cost, state, call, found)
        while queue:
            state = queue.popleft()
            function, bound = state
            ruled_out = _ruled_out_calls(function, dict(bound)) if bound else frozenset()
            sites = [s for s in (sites_of or self.loop_sites)(function)
                     if not s.awaited and s.node not in ruled_out]
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
                for target, note in self.runs(site):
                    following = (target, constant_arguments(site.node, target, dict(bound)))
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

    def blocking_calls(self) -> list[BlockingCall]:
        """Blocking calls in this module's coroutines, direct (ASR1xx) or through project
        helpers (ASR110)."""
        if self._blocking_calls is None:
            offline = self.offline_coroutines()
            startup = self.startup_coroutines()
            self._blocking_calls = [
                c._replace(code=STARTUP_CODE, origin=c.code) if f in startup else c
                for f in self.model.coroutines() if f not in offline
                for c in self._scan_unless_too_deep(f)]
        return self._blocking_calls

    def offline_coroutines(self) -> set[FunctionInfo]:
        """Coroutines that never run on a server's event loop: the ones a command-line
        entry point (`if __name__ == "__main__":`, a click or typer command) hands to
        `asyncio.run`, job-worker tasks, and the coroutines only they refer to."""
        model = self.model
        runners = [site.node for site in model.all_calls if _runs_a_new_loop(model, site)]
        tasks = {f for f in model.coroutines() if _is_job_task(model, f) and not f.roles}
        return self._only_used_from(tasks, runners)

    def startup_coroutines(self) -> set[FunctionInfo]:
        """Lifespans, startup and shutdown handlers, and the coroutines only they use."""
        return self._only_used_from({f for f in self.model.coroutines()
                                     if is_startup_work(f)}, [])

    def _only_used_from(self, seeds: set, calls: list) -> set[FunctionInfo]:
        """`seeds`, and the module's coroutines without a role that are named only inside
        them or inside `calls`."""
        if not seeds and not calls:
            return set()
        model, found = self.model, set(seeds)
        containers = [f.node for f in found] + list(calls)
        grown = True
        while grown:
            grown = False
            for function in model.coroutines():
                if function in found or function.roles or \
                        function.parent is not model.module_scope:
                    continue
                uses = self._name_uses().get(function.name, ())
                if uses and all(_inside_any(use, containers) for use in uses):
                    found.add(function)
                    containers.append(function.node)
                    grown = True
        return found

    def _name_uses(self) -> dict[str, list[ast.Name]]:
        """Every name read in the module, by name: one walk for every question."""
        if self._uses is None:
            self._uses = {}
            for node in ast.walk(self.model.tree):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    self._uses.setdefault(node.id, []).append(node)
        return self._uses

    def _scan_unless_too_deep(self, function: FunctionInfo) -> list[BlockingCall]:
        try:
            return list(self._scan(function))
        except RecursionError:  # pathological nesting costs this coroutine, not the file
            self.too_deep.append(function)
            return []

    def _scan(self, function: FunctionInfo) -> Iterator[BlockingCall]:
        yield from self._waiting_withs(function)
        yield from self._blocking_iterations(function)
        sites = [s for s in self.per_call_sites(function) if not s.awaited]
        direct = {s.node: self.blocking_of(s) for s in sites}
        direct = {node: entry for node, entry in direct.items() if entry is not None}
        for site in sites:
            node = site.node
            if _receiver_calls(node) & direct.keys():
                continue  # `conn.cursor().execute()`: one finding per chain, at its start
            if node in direct:
                entry = direct[node]
                yield BlockingCall(node, function, entry.code, (_here(node),), entry.hint)
                continue
            for target, note in self.runs(site):
                found = None if target.is_async or \
                    _returns_at_once_after_deletion(function, site, target) else \
                    self.blocking_chain(target, constant_arguments(node, target, {}))
                if found is not None:
                    links, entry = found
                    here = _here(node)
                    yield BlockingCall(node, function, "ASR110",
                                       (here._replace(shown=here.shown + note), *links),
                                       entry.hint, target)
                    break

    def folded_blocking_calls(self) -> list[FoldedCall]:
        """blocking_calls() with one finding per root cause per coroutine: calls on one
        handle (`fh.write()` 45 times; `cur.execute()` then `cur.fetchall()`; `open()` then
        `fh.read()`), and calls of helpers whose chains end at the same blocking call, fold
        into the first of them in source order."""
        if self._folded is None:
            groups: dict = {}
            for found in sorted(self.blocking_calls(), key=_position):
                groups.setdefault(self._root_cause(found), []).append(found)
            self._folded = sorted(
                (FoldedCall(calls[0], tuple(calls[1:]), _shared_by(key, calls))
                 for key, calls in groups.items()), key=lambda f: _position(f.first))
        return self._folded

    def _root_cause(self, found: BlockingCall):
        function, node = found.function, found.node
        receiver = node.func.value if isinstance(node, ast.Call) and \
            isinstance(node.func, ast.Attribute) else None
        # Calls on one handle are one cause: a file, a cursor, or a sync layer such as
        # `auth.db` whose helpers reach different queries. `self.x()` calls name the
        # coroutine's own object, not a layer: they fold by the chain's end.
        if receiver is not None and not (found.helper is not None and
                                         isinstance(receiver, ast.Name)
                                         and receiver.id in ("self", "cls")):
            handle = self._handle(receiver, function.scope, 0)
            if handle is not None:
                return (function, *handle)
        if found.helper is not None:  # one chain's end, however many helpers lead to it
            end = found.chain[-1]
            return function, "chain", end.path, end.line
        return function, "call", node

    def _handle(self, expr: ast.expr, scope, depth: int):
        """What a receiver comes down to: the blocking call that made it (`open()` for
        `fh`, `psycopg2.connect()` for `conn.cursor()`), else the variable or attribute that
        holds it; None for a module or class (`requests.get()` calls no handle)."""
        if depth > 20:
            return None
        model = scope.owner_model()
        if isinstance(expr, ast.Call):
            if self._is_blocking_here(expr, scope):
                func = expr.func
                made_from = self._handle(func.value, scope, depth + 1) \
                    if isinstance(func, ast.Attribute) else None
                return made_from or ("call", expr)
            func = expr.func
            return self._handle(func.value, scope, depth + 1) \
                if isinstance(func, ast.Attribute) else None
        if isinstance(expr, ast.Name):
            owner, bindings = model.lookup(expr.id, scope)
            if owner is None or any(b.kind in ("import", "def", "class") for b in bindings):
                return None
            # The binding in force: the last one written before this use (`fh` of the second
            # `with open(...) as fh:` is the second file).
            before = [b for b in bindings if _start(b.node) <= _start(expr)] or bindings
            value = max(before, key=lambda b: _start(b.node)).value
            if isinstance(value, ast.Call):
                made = self._handle(value, owner, depth + 1)
                if made is not None:
                    return made
            return "name", owner, expr.id
        if isinstance(expr, ast.Attribute) and not model.resolve(expr, scope):
            return "attribute", source_text(expr)  # `self.client`, not `vendor.storage`
        return None

    def _is_blocking_here(self, call: ast.Call, scope) -> bool:
        if scope not in self._blocking_nodes:
            self._blocking_nodes[scope] = {site.node for site in scope.calls
                                           if self.blocking_of(site) is not None}
        return call in self._blocking_nodes[scope]

    def blocking_on_its_behalf(self, handler: FunctionInfo) -> Optional[BlockingCall]:
        """The first blocking call in a project coroutine that `handler` runs on the loop
        (awaits, gathers, or hands to a background task), followed through the coroutines
        those run: a handler whose own body is clean still blocks the loop through it. Its
        finding is made once, in that coroutine; this only tells the audit's verdict."""
        seen, queue = {handler}, deque([handler])
        while queue:
            for site in queue.popleft().scope.calls:
                target = self._coroutine_run_by(site)
                if target is None or target in seen:
                    continue
                seen.add(target)
                try:
                    found = next(self._scan(target), None)
                except RecursionError:  # too deep to tell: say nothing about it
                    continue
                if found is not None:
                    return found
                queue.append(target)
        return None

    def _coroutine_run_by(self, site: CallSite) -> Optional[FunctionInfo]:
        model, call = site.scope.owner_model(), site.node
        target = self.callee(site)
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
        """`for row in session.query(User)`: iterating a lazy query runs it."""
        for expr in function.scope.iterated:
            kind = function.model.type_of(expr, function.scope)
            entry = catalog.BLOCKING_ITERATION.get(kind) if isinstance(kind, str) else None
            if entry is not None:
                shown = f"`for … in {source_text(expr)}`"
                yield BlockingCall(expr, function, entry.code, (Link(shown, "", expr.lineno),),
                                   entry.hint)

    # ----- proven cheap ------------------------------------------------------------------

    def call_verdict(self, site: CallSite) -> str:
        """'blocking', 'cheap' or 'unknown' for one call."""
        if self.blocking_of(site) is not None:
            return "blocking"
        if any(not f.is_async and self.blocking_chain(f) for f, _ in self.runs(site)):
            return "blocking"
        target = self.callee(site)
        if target is not None and target in self.model.offloaded:
            return "unknown"  # this module hands it to a thread elsewhere: it knows it is slow
        return "cheap" if self.is_cheap(site) else "unknown"

    def is_cheap(self, site: CallSite) -> bool:
        call, scope = site.node, site.scope
        model = scope.owner_model()
        name = model.call_name(call, scope)
        if name and not name.startswith("?."):
            if _no_disk_involved(site, name):
                return True  # an in-memory buffer or a virtual file system
            if name in catalog.NOT_CHEAP_BUILTINS:
                return False
            if self.config.is_cheap(name) or lookup_table(catalog.CHEAP, name):
                return True
        local = model.local_definition(call.func, scope)
        if isinstance(local, FunctionInfo):
            if local.is_generator and call not in model.consumed_calls:
                return True  # only creates the generator
            return self.function_is_cheap(local)
        if isinstance(local, ClassInfo):
            return self.class_is_cheap(local)
        if isinstance(call.func, ast.Attribute):
            if _is_super_call(call.func.value, model, scope):
                return self._super_method_is_cheap(call.func.attr, scope)
            return self._method_is_cheap(model, call.func, scope)
        return False

    def _super_method_is_cheap(self, method: str, scope) -> bool:
        """`super().__init__(...)`: the bases' method, or a base the catalog calls cheap."""
        function = scope.function
        cls = function.cls if function is not None else None
        if cls is None:
            return False
        owner = cls.scope.owner_model()
        for base in cls.node.bases:
            base_cls = owner.local_definition(base, cls.scope.parent)
            if isinstance(base_cls, ClassInfo):
                found = owner.method(base_cls, method)
                if found is not None and not self.function_is_cheap(found):
                    return False
                if found is None and not self.class_is_cheap(base_cls):
                    return False
                continue
            name = owner.resolve(base, cls.scope.parent)
            if not name or not (lookup_table(catalog.CHEAP, name) or name in _PLAIN_BASES):
                return False
        return True

    def _method_is_cheap(self, model: ModuleModel, func: ast.Attribute, scope) -> bool:
        method = func.attr
        receiver = model.type_of(func.value, scope)
        if isinstance(receiver, ClassInfo):
            # Not defined in the class: inherited from a library base such as BaseModel.
            return method in catalog.CHEAP_METHODS
        if isinstance(receiver, str):
            return receiver.startswith("builtins.") and method in catalog.CHEAP_METHODS
        if method in catalog.LOGGING_METHODS:
            return bool(_LOGGER_NAME.search(_last_identifier(func.value)))
        return method in catalog.CHEAP_METHODS and method not in catalog.AMBIGUOUS_CHEAP_METHODS

    def class_is_cheap(self, cls: ClassInfo) -> bool:
        """Constructing it is cheap: its own `__init__` is, and its bases are cheap
        classes of the project or APIs the catalog calls cheap."""
        owner = cls.scope.owner_model()
        init = owner.method(cls, "__init__")
        if init is not None:
            return self.function_is_cheap(init)
        for base in cls.node.bases:
            base_cls = owner.local_definition(base, cls.scope.parent)
            if isinstance(base_cls, ClassInfo):
                if base_cls is not cls and not self.class_is_cheap(base_cls):
                    return False
                continue
            name = owner.resolve(base, cls.scope.parent)
            if name and not lookup_table(catalog.CHEAP, name) and name not in _PLAIN_BASES:
                return False
        return True

    def function_is_cheap(self, function: FunctionInfo) -> bool:
        # Recursion is assumed cheap while the rest of the cycle is being proven.
        return self._cached("cheap", function, self._function_is_cheap, True)

    def _function_is_cheap(self, function: FunctionInfo) -> bool:
        if function in function.model.offloaded:
            return False  # its own module runs it in a thread: the authors know it is slow
        if function.is_async or (is_memoised(function) and not _parameters(function)):
            return True  # calling it only creates a coroutine, or its work is done once
        return all(self.is_cheap(site) for site in self.per_call_sites(function))

    def costly_call(self, function: FunctionInfo) -> Optional[str]:
        """The call that shows a coroutine does costly work on the loop, as shown in a
        message: a blocking call (its own, or down a helper chain) whose line does not say
        `# noqa` for it, else CPU-heavy work or a function the project runs in a thread
        elsewhere, called here or down a chain of project helpers. None when no call is
        shown to be costly."""
        for folded in self.folded_blocking_calls():
            found = folded.first
            if found.function is function and not self.suppressed(found.code, found.node):
                return f"blocking {found.describe()}"
        for site in self.per_call_sites(function):
            if site.awaited:
                continue
            reason = self._costly(site)
            target = self.callee(site)
            if reason is None and target is not None and target in self.model.offloaded:
                reason = "which this module also runs in a thread"
            if reason is not None:
                return f"{shown_call(site.node)} ({reason})"
            if target is not None and not target.is_async:
                found = self.costly_chain(target)
                if found is not None:
                    links, reason = found
                    shown = " → ".join(link.shown for link in (_here(site.node), *links))
                    return f"{shown} ({reason}, {links[-1].path}:{links[-1].line})"
        return None

    def _costly(self, site: CallSite) -> Optional[str]:
        """Why one call is costly without blocking: CPU-heavy work, or a project function
        its own module hands to a thread elsewhere (its authors know it is slow)."""
        name = site.scope.owner_model().call_name(site.node, site.scope)
        if name and lookup_table(catalog.CPU_HEAVY, name) and not self.config.is_cheap(name):
            return "CPU-heavy"
        target = self.callee(site)
        if target is not None and target in target.model.offloaded:
            return "which its module also runs in a thread"
        return None

    def costly_chain(self, function: FunctionInfo):
        """(links, reason) for the shortest chain from a sync function to a costly call."""
        key = (self.config, "costly-chain", function)
        if key not in self._memo:
            self._memo[key] = self._search(function, self._costly)
        return self._memo[key]

    def first_unknown_call(self, function: FunctionInfo) -> Optional[ast.Call]:
        """The first call not proven cheap, leaving out blocking calls a `# noqa` accepts;
        a call entered by `with` only when there is no other."""
        accepted = {found.node for folded in self.folded_blocking_calls()
                    if folded.first.function is function
                    and self.suppressed(folded.first.code, folded.first.node)
                    for found in (folded.first, *folded.repeats)}
        unknown = [site.node for site in self.per_call_sites(function)
                   if site.node not in accepted and self.call_verdict(site) != "cheap"]
        entered = {item.context_expr for item in function.scope.with_items}
        return next((call for call in unknown if call not in entered),
                    unknown[0] if unknown else None)

    def suppressed(self, code: str, node: ast.AST) -> bool:
        """Whether a `# noqa` comment on the statement at `node` covers `code`, as flake8
        reads it: a blocking call the user accepted there (with the later calls on its
        handle, which fold into it) shows nothing costly."""
        if self._noqa_text is None:
            source = self.model.source
            if isinstance(source, bytes):
                source = source.decode("utf-8", "replace")
            self._noqa_text = noqa.logical_line_text(source.splitlines(keepends=True)) \
                if source else {}
        return noqa.is_suppressed(code, self._noqa_text.get(node.lineno))

    def never_awaiting_handler(self, function: FunctionInfo) -> bool:
        """An async route or dependency FastAPI could run as `def` as it stands: it never
        awaits and uses nothing that needs the running loop."""
        return (function.is_async and not function.awaits_anything
                and {role.kind for role in function.roles} <= THREADABLE_ROLES
                and bool(function.roles) and not function.async_context_manager
                and not self.is_loop_bound(function))

    def is_loop_bound(self, function: FunctionInfo, offloading: bool = False) -> bool:
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

        key = (self.config, "loop-bound", function, offloading)
        if key not in self._memo:
            self._memo[key] = self._search(function, loop_bound) is not None
        return self._memo[key]

    def relies_on_the_loop_thread(self, function: FunctionInfo) -> bool:
        """Checks shared state and changes it with no `await` between (`if seat in taken:
        ...; taken.add(seat)`): on the loop's one thread nothing runs in between; declared
        `def`, two worker threads could both pass the check."""
        awaits = [node.lineno for node in function.scope.awaits]
        nodes = list(_own_nodes(function.node))
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
        keywords = {k.arg: k.value for k in offload.keywords}
        if keywords.keys() & catalog.DEDICATED_OFFLOAD_KEYWORDS:
            return True
        if name == "asgiref.sync.sync_to_async":
            # asgiref runs everything on one shared thread unless told otherwise.
            sensitive = keywords.get("thread_sensitive")
            return not (isinstance(sensitive, ast.Constant) and sensitive.value is False)
        return False

    # ----- helpers for the route-shape rules ---------------------------------------------

    def threadable_coroutines(self) -> Iterator[FunctionInfo]:
        """Async routes and dependencies FastAPI could run as `def` in its thread pool."""
        return (f for f in self.model.coroutines() if self.is_threadable(f))

    @staticmethod
    def is_threadable(function: FunctionInfo) -> bool:
        """A route or dependency FastAPI would run in its thread pool if declared `def`."""
        roles = {role.kind for role in function.roles}
        return bool(roles) and roles <= THREADABLE_ROLES and not function.async_context_manager

    def sync_handlers(self, worth_asking=None) -> Iterator[FunctionInfo]:
        """`def` routes and dependencies of this module. With `worth_asking`, also its
        module-level `def` functions that other project modules use as dependencies; the
        project is asked (a scan of its modules) only for those `worth_asking` accepts."""
        project = self.model.project
        for function in self.model.functions:
            if function.is_async:
                continue
            if {r.kind for r in function.roles} & THREADABLE_ROLES:
                yield function
            elif worth_asking is not None and project is not None and not function.roles \
                    and function.parent is self.model.module_scope and worth_asking(function) \
                    and function.qualname in project.used_as_dependency_elsewhere(self.model):
                function.roles.append(Role("dependency"))
                yield function


_LOGGER_NAME = re.compile(r"(^|_)(log|logger|logging)$", re.IGNORECASE)

# Bases that add no construction cost of their own.
_PLAIN_BASES = frozenset({"builtins.object", "builtins.Exception", "builtins.ValueError",
                          "builtins.dict", "builtins.str", "builtins.int", "builtins.list"})


def _position(found: BlockingCall) -> tuple:
    return _start(found.node)


def _start(node: ast.AST) -> tuple:
    return node.lineno, node.col_offset


def _shared_by(key: tuple, calls: list) -> str:
    """How a finding names what its folded calls share: the helper, the blocking call
    their chains end at, or the handle's variable as the later calls write it."""
    if key[1] == "chain":
        helpers = {found.helper for found in calls}
        return f"of `{calls[0].helper.name}()`" if len(helpers) == 1 else \
            f"reaching {calls[0].chain[-1].shown}"
    receivers = []
    for found in calls[1:]:
        func = getattr(found.node, "func", None)
        if isinstance(func, ast.Attribute):
            shown = f"`{source_text(func.value, 30)}`"
            if shown not in receivers:
                receivers.append(shown)
    return "on " + (", ".join(receivers[:3]) if receivers else "the same handle")


def constant_arguments(call: ast.Call, target: FunctionInfo, bound: dict) -> frozenset:
    """The target's parameters whose value the call fixes, and that the target never
    rebinds: a literal passed (`read_only=True`, `setup(zmq.SUB)`), a constant parameter
    of the caller passed on (`read_only=read_only`), or a literal default the call leaves
    (`db=None` not given)."""
    arguments = target.node.args if not isinstance(target.node, ast.Lambda) else None
    if arguments is None:
        return frozenset()
    positional = [*arguments.posonlyargs, *arguments.args]
    bound_first = target.cls is not None and bool(positional) and \
        positional[0].arg in ("self", "cls")  # bound by the call
    passed = positional[1:] if bound_first else positional
    found = {}

    def given(parameter: str, expr: ast.expr) -> None:
        value = _literal(expr)
        if value is None and isinstance(expr, ast.Name):
            value = bound.get(expr.id)
        if value is not None:
            found[parameter] = value

    unpacked = any(isinstance(a, ast.Starred) for a in call.args) or \
        any(k.arg is None for k in call.keywords)
    if not unpacked:
        for parameter, expr in zip(passed, call.args):
            given(parameter.arg, expr)
    names = {a.arg for a in (*positional, *arguments.kwonlyargs)}
    for keyword in call.keywords:
        if keyword.arg in names:
            given(keyword.arg, keyword.value)
    if not unpacked:  # with `*args`, `**kwargs`, what is left unset is unknown
        keywords = {k.arg for k in call.keywords}
        set_positionally = {p.arg for p in passed[:len(call.args)]}
        defaulted = list(zip(positional[len(positional) - len(arguments.defaults):],
                             arguments.defaults))
        defaulted += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d]
        for parameter, default in defaulted:
            value = _literal(default) if isinstance(default, ast.Constant) else None
            if value is not None and parameter.arg not in keywords | set_positionally:
                found.setdefault(parameter.arg, value)
    kept = {name: value for name, value in found.items()
            if all(b.kind == "param" for b in target.scope.bindings.get(name, ()))}
    return frozenset(kept.items())


def _literal(expr: ast.expr) -> Optional[tuple]:
    """("value", v) for a constant, ("name", "zmq.SUB") for a dotted name, else None."""
    if isinstance(expr, ast.Constant):
        return ("value", expr.value)
    if isinstance(expr, ast.Attribute):
        parts = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if isinstance(expr, ast.Name):
            return ("name", ".".join([expr.id, *reversed(parts)]))
    return None


def _truth(test: ast.expr, bound: dict) -> Optional[bool]:
    """Whether `test` holds given the constant parameters, None when it cannot be told."""
    if isinstance(test, ast.Name) and test.id in bound:
        kind, value = bound[test.id]
        return bool(value) if kind == "value" else None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _truth(test.operand, bound)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [_truth(v, bound) for v in test.values]
        if isinstance(test.op, ast.And):
            return False if False in values else (True if all(values) else None)
        return True if True in values else (False if all(v is False for v in values) else None)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and \
            isinstance(test.left, ast.Name) and test.left.id in bound:
        left, right = bound[test.left.id], _literal(test.comparators[0])
        if right is None or left[0] != right[0]:
            return None
        if left[0] == "name" and left[1] != right[1] and \
                left[1].rpartition(".")[0] != right[1].rpartition(".")[0]:
            return None  # `a.X` and `b.Y` may be the same object: say nothing
        same = left[1] == right[1]
        op = test.ops[0]
        if isinstance(op, (ast.Eq, ast.Is)):
            return same
        if isinstance(op, (ast.NotEq, ast.IsNot)):
            return not same
    return None


def _ruled_out_calls(function: FunctionInfo, bound: dict) -> frozenset:
    """The calls of `function` inside branches its constant parameters rule out."""
    found: set = set()

    def visit(statements: list, dead: bool) -> None:
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(statement, ast.If) and not dead:
                holds = _truth(statement.test, bound)
                visit(statement.body, holds is False)
                visit(statement.orelse, holds is True)
                continue
            if dead:
                found.update(n for n in ast.walk(statement) if isinstance(n, ast.Call))
                continue
            for block in _blocks(statement):
                visit(block, False)
            for handler in getattr(statement, "handlers", ()):
                visit(handler.body, False)

    body = function.node.body
    visit(body if isinstance(body, list) else [], False)
    return frozenset(found)


def _fetches_the_loop_to_offload(function: FunctionInfo, accessor: ast.Call) -> bool:
    """`asyncio.get_running_loop().run_in_executor(...)`, or `loop = get_running_loop()`
    with `loop` used for nothing but `loop.run_in_executor(...)`: declared `def`, the
    offloads become direct calls and the loop is not needed. Any other use of the loop
    would raise in a worker thread, which has none."""
    executors = [site.node.func for site in function.scope.calls
                 if isinstance(site.node.func, ast.Attribute)
                 and site.node.func.attr == "run_in_executor"]
    if any(func.value is accessor for func in executors):
        return True
    names = [name for name, bindings in function.scope.bindings.items()
             if any(b.value is accessor for b in bindings)]
    if len(names) != 1:
        return False
    receivers = {id(func.value) for func in executors}
    uses = _references(function.node, names[0])
    return bool(uses) and all(id(use) in receivers for use in uses)


_MUTATING_METHODS = frozenset({"add", "append", "appendleft", "extend", "insert", "update",
                               "setdefault", "pop", "popitem", "remove", "discard", "clear"})


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
                slots.append(_shape(node))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                _is_cache_slot(node, function) and function.cls is not None:
            slots.append(_shape(node))
    return slots


def _changes(node: ast.AST, slot: str) -> bool:
    """`slot.add(...)`, `slot[k] = v`, `del slot[k]`, `slot = ...` (global), `slot += 1`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in _MUTATING_METHODS and _shape(node.func.value) == slot
    targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else \
        [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
    for target in targets:
        if isinstance(target, ast.Subscript):
            target = target.value
        if _shape(target) == slot:
            return True
    return False


def _returns_at_once_after_deletion(function: FunctionInfo, site: CallSite,
                                    target: FunctionInfo) -> bool:
    """`os.remove(path)` and, as the next statement, `cleanup(path)` where `cleanup`
    starts with `if not os.path.exists(path): return`: the helper returns at its check."""
    parameter = _exists_guard_parameter(target)
    if parameter is None:
        return False
    params = [a.arg for a in target.node.args.posonlyargs + target.node.args.args]
    if params and params[0] in ("self", "cls") and target.cls is not None:
        params = params[1:]
    passed = dict(zip(params, site.node.args))
    passed.update((k.arg, k.value) for k in site.node.keywords if k.arg)
    if parameter not in passed:
        return False
    previous = _previous_statement(function, site.node)
    if not (isinstance(previous, ast.Expr) and isinstance(previous.value, ast.Call)):
        return False
    deletion = previous.value
    model = function.model
    name = model.call_name(deletion, function.scope) or ""
    if name not in catalog.FILE_DELETERS:
        return False
    deleted = deletion.func.value if name.startswith("pathlib.") else \
        (deletion.args[0] if deletion.args else None)
    return deleted is not None and _shape(deleted) is not None and \
        _shape(deleted) == _shape(passed[parameter])


def _exists_guard_parameter(function: FunctionInfo) -> Optional[str]:
    """`p` when the function's first statement is `if not os.path.exists(p): return`
    (or `p.exists()`), else None."""
    body = function.node.body if isinstance(function.node.body, list) else []
    first = body[0] if body else None
    if not (isinstance(first, ast.If) and not first.orelse and len(first.body) == 1
            and isinstance(first.body[0], ast.Return)):
        return None
    test = first.test
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
            and isinstance(test.operand, ast.Call)):
        return None
    check = test.operand
    name = function.model.call_name(check, function.scope) or ""
    if name not in catalog.EXISTENCE_CHECKS and not (
            isinstance(check.func, ast.Attribute) and check.func.attr == "exists"):
        return None
    checked = check.args[0] if check.args else (
        check.func.value if isinstance(check.func, ast.Attribute) else None)
    return checked.id if isinstance(checked, ast.Name) else None


def _previous_statement(function: FunctionInfo, call: ast.Call) -> Optional[ast.stmt]:
    for node in _own_statements(function.node):
        for block in _blocks(node):
            for index, statement in enumerate(block[1:], start=1):
                if any(inner is call for inner in ast.walk(statement)):
                    return block[index - 1]
    return None


STARTUP_CODE = "ASR111"


def is_startup_work(function: FunctionInfo) -> bool:
    """A lifespan or a startup/shutdown handler: it runs once, not per request. An
    `@asynccontextmanager` taking the app is taken for a lifespan registered elsewhere."""
    if any(role.kind in ("lifespan", "event_handler") for role in function.roles):
        return True
    if not function.async_context_manager or function.roles:
        return False
    params = function.node.args.posonlyargs + function.node.args.args
    if len(params) != 1:
        return False
    annotation = params[0].annotation
    model = function.model
    if annotation is not None:
        return model.annotation_type(annotation, function.parent) in catalog.APP_TYPES or \
            (model.resolve(annotation, function.parent) or "") in catalog.APP_CLASSES
    return params[0].arg == "app"


def _runs_a_new_loop(model: ModuleModel, site: CallSite) -> bool:
    """`asyncio.run(main())` in a command-line entry point."""
    if _last_identifier(site.node.func) != "run" or \
            model.call_name(site.node, site.scope) not in catalog.LOOP_RUNNERS:
        return False
    scope = site.scope
    if scope.kind == "module":
        return any(_is_main_guard(node) and node.lineno <= site.node.lineno <= node.end_lineno
                   for node in model.tree.body)
    function = scope.function
    if function is None or function.is_async:
        return False
    for decorator in getattr(function.node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = model.resolve(target, function.parent) or ""
        if name.split(".")[0] in catalog.CLI_FRAMEWORKS:
            return True  # `@click.command()`
        if isinstance(target, ast.Attribute) and target.attr in ("command", "callback") and \
                model.imports_module(*catalog.CLI_FRAMEWORKS):
            return True  # `@cli.command()`, `@app.command()` on a typer app
    return _is_main_guard_call(model, function)


def _is_main_guard_call(model: ModuleModel, function: FunctionInfo) -> bool:
    """`def main(): asyncio.run(serve_once())` called only under `if __name__ == ...`."""
    if function.parent is not model.module_scope:
        return False
    uses = _references(model.tree, function.name)
    guards = [node for node in model.tree.body if _is_main_guard(node)]
    return bool(uses) and all(_inside_any(use, guards) for use in uses)


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    parts = [node.test.left, *node.test.comparators]
    return any(isinstance(p, ast.Name) and p.id == "__name__" for p in parts) and \
        any(isinstance(p, ast.Constant) and p.value == "__main__" for p in parts)


def _is_job_task(model: ModuleModel, function: FunctionInfo) -> bool:
    """`@broker.task` / `@dramatiq.actor` in a module of a job-queue library: it runs on
    a worker's loop, not the server's."""
    if not model.imports_module(*catalog.JOB_QUEUE_MODULES):
        return False
    for decorator in getattr(function.node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else \
            target.id if isinstance(target, ast.Name) else ""
        if name in catalog.JOB_TASK_DECORATORS:
            return True
    return False


def _references(tree: ast.AST, name: str) -> list[ast.Name]:
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)]


def _inside_any(node: ast.AST, containers: list) -> bool:
    return any(c.lineno <= node.lineno <= c.end_lineno and
               (c.lineno, c.col_offset) <= (node.lineno, node.col_offset)
               for c in containers)


def is_memoised(function: FunctionInfo) -> bool:
    """`@functools.lru_cache`, `@functools.cache`, `@cached_property` and the like."""
    model = function.model
    for decorator in getattr(function.node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = model.resolve(target, function.parent)
        if name and lookup_table(catalog.MEMOISING_DECORATORS, name):
            return True
    return False


def _parameters(function: FunctionInfo) -> list[ast.arg]:
    """Its parameters but `self`/`cls`."""
    args = function.node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs,
              *(a for a in (args.vararg, args.kwarg) if a is not None)]
    if function.cls is not None and params and params[0].arg in ("self", "cls"):
        params = params[1:]
    return params


def _same_arguments_every_time(call: ast.Call, function: FunctionInfo) -> bool:
    """A cache hit after the first call: the function takes no arguments, or is given
    only constants. A cache keyed by a request's values (a random salt, a user's id)
    misses as often as the values differ."""
    if not _parameters(function):
        return True
    return all(isinstance(a, ast.Constant) for a in call.args) and \
        all(isinstance(k.value, ast.Constant) for k in call.keywords)


def _run_once_calls(function: FunctionInfo) -> set:
    """The calls a function makes only while a cached value is missing: inside
    `if X is None:` (or `if not X:`) whose block sets X, and after `if X is not None:
    return X` up to the statement that sets X. X is an attribute of `self`/`cls` or of a
    module-level object, or a module-level name the function declares `global`."""
    found: set = set()
    for node in _own_statements(function.node):
        cached = _missing(node.test) if isinstance(node, ast.If) else None
        if cached is not None and _is_cache_slot(cached, function) and \
                _assigns(node.body, cached):
            found.update(_calls_in(node.body))
        for block in _blocks(node):
            for index, statement in enumerate(block):
                cached = _present(statement)
                if cached is None or not _is_cache_slot(cached, function):
                    continue
                for end, later in enumerate(block[index + 1:], start=index + 2):
                    if _assigns([later], cached):
                        found.update(_calls_in(block[index + 1:end]))
                        break
    return found


def _own_statements(root: ast.AST) -> Iterator[ast.AST]:
    """`root` and the statements (with except clauses and match cases) of its body, not
    those of functions or classes inside it: guards are statements, and there are far
    fewer of them than nodes."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        for block in _blocks(node):
            stack.extend(s for s in block if not isinstance(
                s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
        stack.extend(getattr(node, "handlers", ()))
        stack.extend(getattr(node, "cases", ()))


def _own_nodes(root: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions or classes inside it."""
    body = getattr(root, "body", ())
    stack = list(body) if isinstance(body, list) else [body]  # a lambda's is an expression
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                      ast.Lambda)):
                stack.append(child)


def _blocks(node: ast.AST) -> list:
    return [getattr(node, field) for field in ("body", "orelse", "finalbody")
            if isinstance(getattr(node, field, None), list)]


def _missing(test: ast.expr) -> Optional[ast.expr]:
    """X for `X is None` and `not X`."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand
    if (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is)
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        return test.left
    return None


def _present(statement: ast.stmt) -> Optional[ast.expr]:
    """X for `if X is not None: return X` (or `if X: return X`) with nothing else."""
    if not (isinstance(statement, ast.If) and not statement.orelse and len(statement.body) == 1
            and isinstance(statement.body[0], ast.Return)):
        return None
    test = statement.test
    if (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], ast.IsNot) and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        return test.left
    return test if isinstance(test, (ast.Name, ast.Attribute)) else None


def _is_cache_slot(expr: ast.expr, function: FunctionInfo) -> bool:
    """A place that outlives the call: not a local, a parameter or a request's state."""
    scope = function.scope
    if isinstance(expr, ast.Name):
        return expr.id in scope.global_names
    if not (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)):
        return False
    owner = expr.value.id
    params = function.node.args.posonlyargs + function.node.args.args
    if function.cls is not None and params and params[0].arg == owner:
        return True  # `self._client`, `cls._engine`
    defining, _ = function.model.lookup(owner, scope)
    return defining is function.model.module_scope  # `state.client` on a module object


def _assigns(statements: list, target: ast.expr) -> bool:
    wanted = _shape(target)
    if wanted is None:
        return False
    for statement in statements:
        for node in ast.walk(statement):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            if any(_shape(t) == wanted for t in targets):
                return True
    return False


def _shape(expr: ast.expr) -> Optional[str]:
    """`name` or `name.attr` whether read or assigned; None for any other expression."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        return f"{expr.value.id}.{expr.attr}"
    return None


def _calls_in(statements: list) -> set:
    return {node for statement in statements for node in ast.walk(statement)
            if isinstance(node, ast.Call)}


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


def _is_super_call(expr: ast.expr, model: ModuleModel, scope) -> bool:
    return isinstance(expr, ast.Call) and model.resolve(expr.func, scope) == "builtins.super"


def _last_identifier(expr: ast.expr) -> str:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else ""


def _no_disk_involved(site: CallSite, name: str, depth: int = 0) -> bool:
    """`zipfile.ZipFile(io.BytesIO(...))`, `open("/proc/self/stat")`, and `fh.read()` on
    the file such a call opened: memory, not disk."""
    call = site.node
    model, scope = site.scope.owner_model(), site.scope
    if name.startswith("FileObject.") and isinstance(call.func, ast.Attribute) and depth < 5:
        opener = _opening_call(model, call.func.value, scope)
        opener_name = model.call_name(opener, scope) if opener is not None else None
        return bool(opener_name) and _no_disk_involved(
            CallSite(opener, scope, False), opener_name, depth + 1)
    if name.startswith("pathlib.Path.") and isinstance(call.func, ast.Attribute):
        call = call.func.value  # `Path("/proc/1/stat").read_text()`: look at the path
        name = "pathlib.Path"
    if name not in catalog.FILE_OPENERS or not isinstance(call, ast.Call):
        return False
    files = [k.value for k in call.keywords if k.arg in ("file", "fileobj")]
    target = call.args[0] if call.args else (files[0] if files else None)
    if target is None:
        return False
    if _is_in_memory(model, model.type_of(target, scope)):
        return True
    text = target.value if isinstance(target, ast.Constant) else None
    if isinstance(target, ast.JoinedStr) and target.values and \
            isinstance(target.values[0], ast.Constant):
        text = target.values[0].value
    return isinstance(text, str) and text.startswith(catalog.VIRTUAL_FILE_SYSTEMS)


def _opening_call(model: ModuleModel, handle: ast.expr, scope) -> Optional[ast.Call]:
    """The call a file handle comes from: `open(...)` in `open(...).read()`, or the only
    value bound to `fh` (`fh = open(...)`, `with open(...) as fh`)."""
    if isinstance(handle, ast.Call):
        return handle
    if not isinstance(handle, ast.Name):
        return None
    _, bindings = model.lookup(handle.id, scope)
    if len(bindings) == 1 and isinstance(bindings[0].value, ast.Call):
        return bindings[0].value
    return None


def _is_in_memory(model: ModuleModel, found, depth: int = 0) -> bool:
    """An `io.BytesIO`, or a project class built on one."""
    if isinstance(found, str):
        return found in catalog.IN_MEMORY_FILES
    if isinstance(found, ClassInfo) and depth < 10:
        owner = found.scope.owner_model()
        if any(canonical_base in catalog.IN_MEMORY_FILES
               for canonical_base in owner.class_bases(found)):
            return True
        return any(_is_in_memory(owner, owner.local_definition(base, found.scope.parent),
                                 depth + 1) for base in found.node.bases)
    return False


def _fetches_a_buffered_result(site: CallSite, name: str) -> bool:
    """`cur.fetchall()` after `cur.execute(...)` on a client-side cursor of a driver that
    buffers the whole result at `execute` (psycopg2, PyMySQL, MySQLdb): the execute is
    the blocking call, the fetch reads memory."""
    func = site.node.func
    if name not in catalog.BUFFERED_FETCHES or not isinstance(func, ast.Attribute) or \
            not isinstance(func.value, ast.Name):
        return False
    model, scope, cursor = site.scope.owner_model(), site.scope, func.value.id
    executed = any(
        isinstance(other.node.func, ast.Attribute)
        and isinstance(other.node.func.value, ast.Name) and other.node.func.value.id == cursor
        and other.node.func.attr in ("execute", "executemany", "callproc")
        and other.node.lineno <= site.node.lineno and other.node is not site.node
        for other in scope.calls)
    made = _opening_call(model, func.value, scope)
    if not executed or made is None or not isinstance(made.func, ast.Attribute) or \
            made.func.attr != "cursor" or made.args or made.keywords:
        return False  # `conn.cursor("name")`, `cursor(name=...)`: a server-side cursor
    connection = _opening_call(model, made.func.value, scope)
    driver = model.call_name(connection, scope) if connection is not None else None
    return driver in catalog.BUFFERING_DRIVERS


def _acquires_a_fresh_lock(site: CallSite, name: str) -> bool:
    """`lock = threading.Lock()` and, on the next line of the same block, `lock.acquire()`:
    nothing else can hold a lock nobody else has seen yet."""
    func = site.node.func
    if name != "threading.Lock.acquire" or not isinstance(func, ast.Attribute) or \
            not isinstance(func.value, ast.Name):
        return False
    model, scope = site.scope.owner_model(), site.scope
    bindings = scope.bindings.get(func.value.id, ())
    if len(bindings) != 1 or not isinstance(bindings[0].value, ast.Call):
        return False
    made, target = bindings[0].value, bindings[0].node
    return (model.call_name(made, scope) in catalog.LOCK_CONSTRUCTORS
            and site.node.lineno == made.end_lineno + 1
            and site.node.col_offset == target.col_offset)


def _told_not_to_block(call: ast.Call, name: str) -> bool:
    """`lock.acquire(blocking=False)`, `queue.get(False)`, `os.waitpid(pid, os.WNOHANG)`:
    returns at once."""
    if name in catalog.NON_BLOCKING_OPTION:
        keyword, position, flag = catalog.NON_BLOCKING_OPTION[name]
        return any(_sets_flag(v, flag) for v in _argument_values(call, keyword, position))
    if name not in catalog.NON_BLOCKING_FLAG:
        return False
    keyword, position = catalog.NON_BLOCKING_FLAG[name]
    return any(isinstance(v, ast.Constant) and v.value is False
               for v in _argument_values(call, keyword, position))


def _argument_values(call: ast.Call, keyword: str, position: int) -> list:
    values = [k.value for k in call.keywords if k.arg == keyword]
    if len(call.args) > position:
        values.append(call.args[position])
    return values


def _sets_flag(expr: ast.expr, flag: str) -> bool:
    """`os.WNOHANG`, `WNOHANG | os.WUNTRACED`: the flag is surely among the bits."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _sets_flag(expr.left, flag) or _sets_flag(expr.right, flag)
    return _last_identifier(expr) == flag


def _puts_on_unbounded_queue(site: CallSite, name: str) -> bool:
    """`q = queue.Queue()` and later `q.put(x)`: a queue with no `maxsize` always has room.
    Every assignment of the queue the analysis sees must make an unbounded one."""
    func = site.node.func
    if name not in catalog.UNBOUNDED_PUTS or not isinstance(func, ast.Attribute):
        return False
    model = site.scope.owner_model()
    values = model.assigned_values(func.value, site.scope)
    return bool(values) and all(_makes_unbounded_queue(model, value, owner)
                                for value, owner in values)


def _makes_unbounded_queue(model: ModuleModel, value: ast.expr, scope) -> bool:
    if not isinstance(value, ast.Call) or any(isinstance(a, ast.Starred) for a in value.args) \
            or any(k.arg is None for k in value.keywords):
        return False
    position = catalog.BOUNDABLE_QUEUES.get(model.resolve(value.func, scope) or "")
    if position is None:
        return False
    return all(_int_constant(size) is not None and _int_constant(size) <= 0
               for size in _argument_values(value, "maxsize", position))


_INT_OPERATORS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                  ast.Mult: lambda a, b: a * b}


def _int_constant(expr: ast.expr, depth: int = 0) -> Optional[int]:
    """The value of `8`, `-1` or `64 * 1024` written in the code."""
    if isinstance(expr, ast.Constant):
        value = expr.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        value = _int_constant(expr.operand, depth + 1)
        return -value if value is not None else None
    if isinstance(expr, ast.BinOp) and type(expr.op) in _INT_OPERATORS and depth < 8:
        left, right = _int_constant(expr.left, depth + 1), _int_constant(expr.right, depth + 1)
        if left is not None and right is not None:
            return _INT_OPERATORS[type(expr.op)](left, right)
    return None


def _small_read_of_an_upload(site: CallSite, name: str) -> bool:
    """`upload.file.read(4)`, `upload.file.read(len(PDF_MAGIC))`: a few bytes of the spooled
    upload, from memory or the page cache; reading all of it is still reported."""
    func = site.node.func
    if name not in catalog.SIZED_READS or not isinstance(func, ast.Attribute) \
            or not isinstance(func.value, ast.Attribute):
        return False
    model, scope = site.scope.owner_model(), site.scope
    upload = model.type_of(func.value.value, scope)
    if not isinstance(upload, str) or catalog.SPOOLED_UPLOADS.get(upload) != func.value.attr:
        return False
    sizes = _argument_values(site.node, "size", 0)
    size = _read_size(model, sizes[0], scope) if len(sizes) == 1 else None
    return size is not None and 0 < size <= catalog.SMALL_READ_BYTES


def _read_size(model: ModuleModel, expr: ast.expr, scope) -> Optional[int]:
    """`16`, or `len(MAGIC)` of a module-level bytes or str constant (of this module or
    imported from the project)."""
    if not (isinstance(expr, ast.Call) and model.resolve(expr.func, scope) == "builtins.len"
            and len(expr.args) == 1 and not expr.keywords):
        return _int_constant(expr)
    argument = expr.args[0]
    foreign = model._project_binding(argument, scope)
    if foreign is not None:
        owner, binding = foreign
        values = [(binding.value, owner.module_scope)] if binding.kind == "assign" else []
    else:
        values = model.assigned_values(argument, scope)
    if len(values) != 1 or not isinstance(values[0][0], ast.Constant) \
            or not isinstance(values[0][0].value, (bytes, str)):
        return None
    return len(values[0][0].value)
