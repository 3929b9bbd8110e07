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

from . import catalog
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

    def describe(self) -> str:
        if len(self.chain) == 1:
            return self.chain[0].shown
        last = self.chain[-1]
        return " → ".join(link.shown for link in self.chain) + f" ({last.path}:{last.line})"


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


def _link(function: FunctionInfo, call: ast.Call) -> Link:
    return Link(shown_call(call), function.model.display_path(), call.lineno)


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

    # ----- blocking calls ----------------------------------------------------------------

    def blocking_of(self, site: CallSite) -> Optional[catalog.Blocking]:
        """The catalog (or configured) entry a non-awaited call matches."""
        if site.awaited:
            return None
        name = site.scope.owner_model().call_name(site.node, site.scope)
        if not name:
            return None
        if name not in catalog.NOT_BLOCKING and not _told_not_to_block(site.node, name) \
                and not _no_disk_involved(site, name) and not _acquires_a_fresh_lock(site, name) \
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
            return target
        instance = model.type_of(func, site.scope) if isinstance(func, ast.Name) else None
        if isinstance(instance, ClassInfo):
            return instance.scope.owner_model().method(instance, "__call__")
        return None

    def blocking_chain(self, function: FunctionInfo):
        """(links, entry) for the shortest chain of calls from a sync function to a
        blocking call, the first in source order among equally short ones; None when it
        reaches none. Breadth-first from the function itself, so the answer never depends
        on which functions were summarised before."""
        key = (self.config, "chain", function)
        if key not in self._memo:
            self._memo[key] = self._find_chain(function)
        return self._memo[key]

    def _find_chain(self, start: FunctionInfo):
        return self._search(start, self.blocking_of)

    def chain_through(self, site: CallSite, target: FunctionInfo):
        """blocking_chain(target) for this call: without the branches of `target` its
        constant arguments rule out (`setup(zmq.SUB)` never runs `if mode == zmq.PUB:`)."""
        not_taken = _branches_not_taken(site, target)
        if not not_taken:
            return self.blocking_chain(target)
        return self._search(target, self.blocking_of, not_taken)

    def _search(self, start: FunctionInfo, match, not_taken: frozenset = frozenset()):
        """(links, what `match` returned) for the first call, breadth-first through the
        sync project functions `start` calls, for which `match(site)` is not None; calls of
        `start` in `not_taken` are left out."""
        # → (caller, the call in it); the links' text is made only for a chain found
        reached: dict[FunctionInfo, Optional[tuple]] = {start: None}
        queue = deque([start])
        while queue:
            function = queue.popleft()
            sites = [s for s in self.loop_sites(function) if not s.awaited
                     and not (function is start and s.node in not_taken)]
            for site in sites:
                found = match(site)
                if found is not None:
                    links = [_link(function, site.node)]
                    while reached[function] is not None:
                        function, call = reached[function]
                        links.append(_link(function, call))
                    return tuple(reversed(links)), found
            for site in sites:
                target = self.callee(site)
                if target is not None and not target.is_async and target not in reached:
                    reached[target] = (function, site.node)
                    queue.append(target)
        return None

    def blocking_calls(self) -> list[BlockingCall]:
        """Blocking calls in this module's coroutines, direct (ASR1xx) or through project
        helpers (ASR110)."""
        if self._blocking_calls is None:
            self._blocking_calls = [c for f in self.model.coroutines()
                                    for c in self._scan_unless_too_deep(f)]
        return self._blocking_calls

    def _scan_unless_too_deep(self, function: FunctionInfo) -> list[BlockingCall]:
        try:
            return list(self._scan(function))
        except RecursionError:  # pathological nesting costs this coroutine, not the file
            self.too_deep.append(function)
            return []

    def _scan(self, function: FunctionInfo) -> Iterator[BlockingCall]:
        yield from self._waiting_withs(function)
        sites = [s for s in self.loop_sites(function) if not s.awaited]
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
            target = self.callee(site)
            if target is not None and not target.is_async:
                found = self.chain_through(site, target)
                if found is not None:
                    links, entry = found
                    yield BlockingCall(node, function, "ASR110", (_here(node), *links),
                                       entry.hint)

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

    # ----- proven cheap ------------------------------------------------------------------

    def call_verdict(self, site: CallSite) -> str:
        """'blocking', 'cheap' or 'unknown' for one call."""
        if self.blocking_of(site) is not None:
            return "blocking"
        target = self.callee(site)
        if target is not None and not target.is_async and self.chain_through(site, target):
            return "blocking"
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
        if function.is_async:
            return True  # calling it only creates a coroutine
        return all(self.is_cheap(site) for site in self.loop_sites(function))

    def first_costly_call(self, function: FunctionInfo) -> Optional[tuple[str, ast.Call]]:
        """The call that keeps a function from being proven cheap: a blocking one first."""
        unknown = None
        for site in self.loop_sites(function):
            verdict = self.call_verdict(site)
            if verdict == "blocking":
                return verdict, site.node
            if verdict == "unknown" and unknown is None:
                unknown = site.node
        return ("unknown", unknown) if unknown is not None else None

    def is_loop_bound(self, function: FunctionInfo, offloading: bool = False) -> bool:
        """Uses APIs that need the running loop, itself or in a sync helper it calls, so
        it must stay `async def`. When the handler's awaits are offloads, fetching the
        loop to offload with does not count."""
        def loop_bound(site: CallSite) -> Optional[bool]:
            model = site.scope.owner_model()
            name = model.call_name(site.node, site.scope)
            if not name or model.is_offload(site.node, site.scope):
                return None
            if offloading and name in catalog.LOOP_ACCESSORS and site.scope is function.scope:
                return None
            return True if lookup_table(catalog.LOOP_BOUND, name) else None

        key = (self.config, "loop-bound", function, offloading)
        if key not in self._memo:
            self._memo[key] = self._search(function, loop_bound) is not None
        return self._memo[key]

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
        for function in self.model.coroutines():
            roles = {role.kind for role in function.roles}
            if roles and roles <= THREADABLE_ROLES and not function.async_context_manager:
                yield function

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


def _no_disk_involved(site: CallSite, name: str) -> bool:
    """`zipfile.ZipFile(io.BytesIO(...))`, `open("/proc/self/stat")`: memory, not disk."""
    call = site.node
    if name.startswith("pathlib.Path.") and isinstance(call.func, ast.Attribute):
        call = call.func.value  # `Path("/proc/1/stat").read_text()`: look at the path
        name = "pathlib.Path"
    if name not in catalog.FILE_OPENERS or not isinstance(call, ast.Call):
        return False
    files = [k.value for k in call.keywords if k.arg in ("file", "fileobj")]
    target = call.args[0] if call.args else (files[0] if files else None)
    if target is None:
        return False
    if site.scope.owner_model().type_of(target, site.scope) in catalog.IN_MEMORY_FILES:
        return True
    text = target.value if isinstance(target, ast.Constant) else None
    if isinstance(target, ast.JoinedStr) and target.values and \
            isinstance(target.values[0], ast.Constant):
        text = target.values[0].value
    return isinstance(text, str) and text.startswith(catalog.VIRTUAL_FILE_SYSTEMS)


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


def _branches_not_taken(site: CallSite, target: FunctionInfo) -> frozenset:
    """The calls of `target` under an `if param == A:` (or in the `else` of a `!=`) whose
    parameter the call sets to a constant other than A, the parameter never reassigned."""
    if not isinstance(target.node, ast.FunctionDef):
        return frozenset()  # a lambda has no branches
    arguments = _constant_arguments(site, target)
    if not arguments:
        return frozenset()
    model, scope = target.model, target.scope
    skipped: set = set()
    statements = list(target.node.body)
    while statements:
        statement = statements.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        taken = _branch_outcome(statement, arguments, model, scope) \
            if isinstance(statement, ast.If) else None
        if taken is not None:
            dead = statement.orelse if taken else statement.body
            skipped.update(n for s in dead for n in ast.walk(s) if isinstance(n, ast.Call))
            statements.extend(statement.body if taken else statement.orelse)
            continue
        statements.extend(c for c in ast.iter_child_nodes(statement) if isinstance(c, ast.stmt))
    return frozenset(skipped)


def _constant_arguments(site: CallSite, target: FunctionInfo) -> dict:
    """Parameter name → the constant (see _constant_key) the call passes for it."""
    call, caller = site.node, site.scope.owner_model()
    params = [a.arg for a in (*target.node.args.posonlyargs, *target.node.args.args)]
    decorators = {caller.resolve(d, target.parent) for d in target.node.decorator_list}
    if target.cls is not None and "builtins.staticmethod" not in decorators:
        params = params[1:]  # `self` / `cls`, bound by the call
    found = {}
    for index, argument in enumerate(call.args):
        if isinstance(argument, ast.Starred) or index >= len(params):
            break
        found[params[index]] = argument
    found.update((k.arg, k.value) for k in call.keywords if k.arg in params)
    keys = {}
    for name, argument in found.items():
        key = _constant_key(argument, caller, site.scope)
        bindings = target.scope.bindings.get(name, ())
        if key is not None and len(bindings) == 1 and bindings[0].kind == "param":
            keys[name] = key
    return keys


def _constant_key(expr: ast.expr, model: ModuleModel, scope) -> Optional[tuple]:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (int, str, bytes)):
        return ("literal", expr.value)
    name = model.resolve(expr, scope) if isinstance(expr, ast.Attribute) else None
    for family in catalog.DISTINCT_CONSTANTS:
        if name in family:
            return (family, name)
    return None


def _branch_outcome(statement: ast.If, arguments: dict, model, scope) -> Optional[bool]:
    """Whether `if param == A:` / `if param != A:` takes its body, when the call's
    constant for param is known to equal A or to differ from it; None when it cannot
    tell."""
    test = statement.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], (ast.Eq, ast.NotEq))):
        return None
    left, right = test.left, test.comparators[0]
    if not isinstance(left, ast.Name):
        left, right = right, left
    if not isinstance(left, ast.Name) or left.id not in arguments:
        return None
    passed, compared = arguments[left.id], _constant_key(right, model, scope)
    if compared is None or passed[0] != compared[0] \
            or type(passed[1]) is not type(compared[1]):
        return None  # not comparable for sure
    return (passed == compared) == isinstance(test.ops[0], ast.Eq)
