"""The shared model of one module: one walk over the tree records scopes, bindings, call
sites and framework registrations; resolution (qualified names, instance types) is lazy and
memoised on top of it. Rules only read this model.
"""
from __future__ import annotations

import ast
import bisect
import builtins
import importlib.util
import os
from collections import defaultdict
from typing import Iterator, NamedTuple, Optional, Union

from . import catalog

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)
# Guards recursion through chains of aliases and nested expressions in lazy resolution.
MAX_RESOLVE_DEPTH = 40
BUILTIN_NAMES = frozenset(dir(builtins))
# Frameworks whose `@app.get("/x")` decorators look like FastAPI's but are not.
OTHER_WEB_FRAMEWORKS = ("flask", "quart", "sanic", "django", "litestar", "aiohttp", "robyn")
# Lines that can hold a coroutine, a framework registration or a thread offload. Only the
# functions around such lines are walked up front; the rest wait until a call needs them.
# (`sync_to_async` and `asyncify` are offloads too: "async" finds them.)
_EAGER_MARKERS = (
    "async", "await", "Depends", "Security", "add_api_route", "add_route", "websocket",
    "Route(", "add_task", "BackgroundTask", "add_exception_handler", "add_event_handler",
    "FastAPI", "APIRouter", "Starlette", "lifespan", "on_startup", "on_shutdown",
    "exception_handlers", "to_thread", "threadpool", "run_in_executor", "run_sync",
)


class Binding(NamedTuple):
    # import | assign | param | def | class | with | other | loop (its value: what it iterates)
    kind: str
    node: ast.AST
    value: Optional[ast.expr] = None
    annotation: Optional[ast.expr] = None
    qualname: Optional[str] = None


class CallSite(NamedTuple):
    node: ast.Call
    scope: "Scope"
    awaited: bool


class Role(NamedTuple):
    kind: str  # route | websocket | dependency | middleware | exception_handler | ...
    methods: tuple = ()
    path: Optional[str] = None
    router: Optional[str] = None  # `module.variable` of the router it is registered on

    def describe(self, func_name: str, is_async: bool) -> str:
        prefix = "async " if is_async else ""
        if self.kind in ("route", "websocket"):
            verb = "/".join(self.methods) or ("WS" if self.kind == "websocket" else "ANY")
            where = f"{verb} {self.path}" if self.path is not None else func_name
            return f"{prefix}{'websocket' if self.kind == 'websocket' else 'route'} `{where}`"
        return f"{prefix}{ROLE_NAMES[self.kind]} `{func_name}`"


ROLE_NAMES = {
    "dependency": "dependency",
    "middleware": "middleware",
    "exception_handler": "exception handler",
    "event_handler": "event handler",
    "lifespan": "lifespan",
    "background": "background task",
}
# Roles whose async functions FastAPI could equally run as `def` in its thread pool.
THREADABLE_ROLES = frozenset({"route", "dependency"})


class Scope:
    def __init__(self, kind: str, node: ast.AST, parent: Optional["Scope"]):
        self.kind = kind  # module | class | function | lambda
        self.node = node
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = defaultdict(list)
        self.global_names: set[str] = set()
        self.calls: list[CallSite] = []
        self.awaits: list[ast.Await] = []
        self.async_constructs = 0
        self.yields: list[ast.expr] = []
        self.returns: list[ast.Return] = []
        self.with_items: list[ast.withitem] = []
        self.iterated: list[ast.expr] = []  # what its `for` loops and comprehensions iterate
        self.pending: Optional[list] = None  # body nodes not walked yet
        self.function: Optional[FunctionInfo] = None
        self.cls: Optional[ClassInfo] = None
        self.model: Optional[ModuleModel] = None  # set on module scopes

    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def owner_model(self) -> "ModuleModel":
        return self.module().model


class ClassInfo:
    def __init__(self, node: ast.ClassDef, scope: Scope):
        self.node = node
        self.name = node.name
        self.scope = scope
        self.methods: dict[str, FunctionInfo] = {}
        # `self.attr = value` (or `self.attr: T`) anywhere in the class's methods.
        self.attributes: dict[str, list[Binding]] = defaultdict(list)
        self.attribute_scopes: dict[Binding, Scope] = {}


class FunctionInfo:
    def __init__(self, node, scope: Scope, parent: Scope, cls: Optional[ClassInfo]):
        self.node = node
        self.name = getattr(node, "name", "<lambda>")
        self.qualname = f"{cls.name}.{self.name}" if cls else self.name
        self._scope = scope
        self.parent = parent
        self.cls = cls
        self.is_async = isinstance(node, ast.AsyncFunctionDef)
        self.roles: list[Role] = []
        self.async_context_manager = False
        self.context_manager = False

    @property
    def scope(self) -> Scope:
        """The function's own scope, its body walked on first use."""
        scope = self._scope
        if scope.pending is not None:
            body, scope.pending = scope.pending, None
            self.model.collector.walk(scope, body)
        return scope

    @property
    def model(self) -> "ModuleModel":
        return self._scope.owner_model()

    @property
    def is_generator(self) -> bool:
        return bool(self.scope.yields)

    @property
    def awaits_anything(self) -> bool:
        return bool(self.scope.awaits) or self.scope.async_constructs > 0

    def where(self) -> str:
        for role in self.roles:
            return role.describe(self.qualname, self.is_async)
        return f"coroutine `{self.qualname}`" if self.is_async else f"function `{self.qualname}`"


TypeRef = Union[str, ClassInfo, None]


def lookup_table(table, name: str):
    """Exact match first, then the longest `prefix.*`, then `*.last_part`."""
    memo = _LOOKUP_MEMO.get(id(table))
    if memo is None or memo[0] is not table:
        memo = _LOOKUP_MEMO[id(table)] = (table, {})
    if name not in memo[1]:
        memo[1][name] = _lookup(table, name)
    return memo[1][name]


# id(table) → (table, {name: answer}): the tables (the catalog's, a Config's) never change,
# and the same names are looked up in them for every call of every module. Holding the
# table keeps its id from being reused by another.
_LOOKUP_MEMO: dict[int, tuple] = {}


def _lookup(table, name: str):
    if name in table:
        return table[name] if isinstance(table, dict) else name
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        key = ".".join(parts[:end]) + ".*"
        if key in table:
            return table[key] if isinstance(table, dict) else key
    key = "*." + parts[-1]
    if key in table:
        return table[key] if isinstance(table, dict) else key
    return None


def canonical(name: str) -> str:
    if name in catalog.CANONICAL:
        return catalog.CANONICAL[name]
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in catalog.CANONICAL:
            return ".".join([catalog.CANONICAL[prefix], *parts[end:]])
    return name


class ModuleModel:
    """Everything the rules need to know about one module."""

    def __init__(self, tree: ast.Module, name: str = "", is_package: bool = False,
                 path: str = "", project=None, source: Union[str, bytes, None] = None):
        self.tree = tree
        self.name = name
        self.package = name if is_package else name.rpartition(".")[0]
        self.path = path
        self.project = project
        self.module_scope = Scope("module", tree, None)
        self.module_scope.model = self
        self.functions: list[FunctionInfo] = []  # lambdas included
        self.function_by_node: dict[ast.AST, FunctionInfo] = {}
        self.classes: list[ClassInfo] = []
        self.class_by_node: dict[ast.AST, ClassInfo] = {}
        self.all_calls: list[CallSite] = []
        self.awaited_calls: set[ast.Call] = set()
        self.lambda_call: dict[ast.Lambda, ast.Call] = {}  # lambda → the call it is passed to
        self.consumed_calls: set[ast.Call] = set()  # `with f():`, `for x in f():`
        self.imported_modules: set[str] = set()
        self.source = source  # None when unknown: then every function is walked
        self._eager_lines: Optional[list[int]] = None
        self._resolve_memo: dict[ast.AST, Optional[str]] = {}
        self._type_memo: dict[ast.AST, TypeRef] = {}
        self._getattr_attributes: dict[ast.Call, ast.Attribute] = {}
        self._implementations: dict[FunctionInfo, list[FunctionInfo]] = {}
        self._alternative_sites: dict[ast.Call, list[CallSite]] = {}
        self._offloaded: Optional[set[FunctionInfo]] = None
        self._roles_assigned = False
        self._globals_walked = True  # not before the module's own statements are walked
        self.global_writes: set[ast.Name] = set()  # `global x; x = ...` targets in functions
        # `<app>.state.<name> = value` (target, value, annotation, scope), from walked code
        self.state_writes: list[tuple] = []
        self._state_walked = False
        self.last_used = 0  # see Session.keep_within_budget
        self._display_path: Optional[str] = None
        self.includes: list[tuple[str, str, str]] = []  # (parent router, child router, prefix)
        # (path, qualname) of functions of other project modules this one uses as FastAPI
        # dependencies: roles stay within a module, the project index gathers these.
        self.foreign_dependencies: list[tuple[str, str]] = []
        self.collector = _Collector(self)
        self.collector.walk(self.module_scope, tree.body)
        self._globals_walked = False

    def forget(self, functions: set, classes: set) -> None:
        """Drop what this model memoised about other modules' functions and classes, which
        are being forgotten (see Session.keep_within_budget)."""
        self._type_memo = {expr: found for expr, found in self._type_memo.items()
                           if not isinstance(found, ClassInfo) or found not in classes}
        if self._offloaded is not None and not self._offloaded.isdisjoint(functions):
            self._offloaded = None
        self._implementations = {method: found for method, found in self._implementations.items()
                                 if functions.isdisjoint(found)}

    def release(self) -> None:
        """Break the model's reference cycles (scopes and their functions, classes, call
        sites and memos point at each other), so that reference counting frees it at once:
        the flake8 plugin keeps long-lived objects away from the cyclic collector. The
        model and everything it made are unusable afterwards."""
        scopes = [self.module_scope, *(f._scope for f in self.functions),
                  *(c.scope for c in self.classes)]
        for item in [*scopes, *self.functions, *self.classes, self.collector, self]:
            item.__dict__.clear()

    def eager_lines(self) -> Optional[list[int]]:
        """Sorted numbers of the lines matching `_EAGER_MARKERS`; None without source."""
        if self._eager_lines is None and self.source is not None:
            text = self.source
            if isinstance(text, bytes):
                text = importlib.util.decode_source(text)
            self._eager_lines = _matching_lines(_EAGER_MARKERS, text)
        return self._eager_lines

    def display_path(self) -> str:
        if self._display_path is None:  # asked for every link and router key
            if self.project is not None and self.path:
                self._display_path = relative_to_cwd(self.path)
            else:
                self._display_path = self.path or "<module>"
        return self._display_path

    def complete(self) -> None:
        """Walk the pending function bodies that may hold coroutines, registrations or
        offloads (all of them when the source is unknown), nested ones included."""
        marked = self.eager_lines()
        index = 0
        while index < len(self.functions):
            function = self.functions[index]
            node = function.node
            if marked is None or _has_line_between(marked, node.lineno, node.end_lineno):
                function.scope  # noqa: B018 (walks the body)
            index += 1

    def assign_roles(self) -> None:
        """Routes, dependencies and other framework roles of this module's functions."""
        if not self._roles_assigned:
            self._roles_assigned = True
            self.complete()
            _assign_roles(self)

    @property
    def offloaded(self) -> set[FunctionInfo]:
        """Functions this module hands to a thread offload: ones it knows to be slow."""
        if self._offloaded is None:
            self._offloaded = set()
            if self.eager_lines() != []:
                self.complete()
                for site in self.all_calls:
                    if self.is_offload(site.node, site.scope):
                        _mark_offloaded(self, site.node, site.scope)
        return self._offloaded

    # ----- names -------------------------------------------------------------------------

    def lookup(self, name: str, scope: Scope) -> tuple[Optional[Scope], list[Binding]]:
        current: Optional[Scope] = scope
        if name in scope.global_names:
            current = scope.module()
        while current is not None:
            if current.parent is None and not self._globals_walked:
                self._walk_global_writers()
            if name in current.bindings and (current is scope or current.kind != "class"):
                return current, current.bindings[name]
            current = current.parent
        return None, []

    def resolve(self, expr: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]:
        """The qualified name an expression refers to, through imports and aliases."""
        if expr in self._resolve_memo:
            return self._resolve_memo[expr]
        result = None
        if depth < MAX_RESOLVE_DEPTH:
            if isinstance(expr, ast.Name):
                result = self._resolve_name(expr.id, scope, depth)
            elif isinstance(expr, ast.Attribute):
                base = self.resolve(expr.value, scope, depth + 1)
                result = canonical(f"{base}.{expr.attr}") if base else None
            elif isinstance(expr, ast.Call) and self._getattr_attribute(expr, scope, depth):
                result = self.resolve(self._getattr_attribute(expr, scope, depth), scope,
                                      depth + 1)
        self._resolve_memo[expr] = result
        return result

    def _resolve_name(self, name: str, scope: Scope, depth: int) -> Optional[str]:
        owner, bindings = self.lookup(name, scope)
        if owner is None:
            return f"builtins.{name}" if name in BUILTIN_NAMES else None
        meaningful = [b for b in bindings if not _is_placeholder(b)]
        names = set()
        for binding in meaningful:
            if binding.kind == "import":
                names.add(binding.qualname)
            elif binding.kind == "assign" and isinstance(binding.value, (ast.Name, ast.Attribute)):
                names.add(self.resolve(binding.value, owner, depth + 1))
            else:
                return None
        if len(names) == 1:
            return names.pop()
        # `try: import ujson as json / except ImportError: import json`: take the first.
        imports = [b.qualname for b in meaningful if b.kind == "import"]
        return imports[0] if imports and len(imports) == len(meaningful) else None

    # ----- local definitions -------------------------------------------------------------

    def local_definition(self, expr: ast.expr, scope: Scope):
        """The FunctionInfo or ClassInfo of this module an expression names, if any."""
        if isinstance(expr, ast.Call) and self._getattr_attribute(expr, scope):
            expr = self._getattr_attribute(expr, scope)
        if isinstance(expr, ast.Name):
            owner, bindings = self.lookup(expr.id, scope)
            bindings = [b for b in bindings if not self._is_overload_stub(b, owner)]
            if len(bindings) == 1:
                return self._definition_of_binding(bindings[0])
            return None
        if isinstance(expr, ast.Attribute):
            foreign = self._project_binding(expr, scope)
            found = foreign[0]._definition_of_binding(foreign[1]) if foreign else None
            if found is not None:
                return found
            receiver = expr.value
            cls = self._self_class(receiver, scope) or self.local_definition(receiver, scope)
            if not isinstance(cls, ClassInfo):
                cls = self.type_of(receiver, scope)
            if isinstance(cls, ClassInfo):
                return cls.scope.owner_model().method(cls, expr.attr)
        return None

    def _is_overload_stub(self, binding: Binding, owner: Scope) -> bool:
        """`@typing.overload` signatures: the real definition follows them."""
        decorators = binding.node.decorator_list if binding.kind == "def" else ()
        return any((self.resolve(d, owner) or "").endswith("overload") for d in decorators)

    def _definition_of_binding(self, binding: Binding):
        if binding.kind in ("def", "class"):
            return self.function_by_node.get(binding.node) or self.class_by_node.get(binding.node)
        if binding.kind == "assign" and isinstance(binding.value, ast.Lambda):
            return self.function_by_node.get(binding.value)
        if binding.kind == "import" and self.project is not None:
            foreign = self.project.lookup(binding.qualname, self)
            if foreign is not None and foreign[1].kind != "import":
                return foreign[0]._definition_of_binding(foreign[1])
        return None

    def _project_binding(self, expr: ast.expr, scope: Scope):
        """(model, binding) of the project module-level name `expr` refers to, if any."""
        if self.project is None:
            return None
        name = self.resolve(expr, scope)
        return self.project.lookup(name, self) if name else None

    def method(self, cls: ClassInfo, name: str, depth: int = 0) -> Optional[FunctionInfo]:
        if name in cls.methods:
            return cls.methods[name]
        if depth < 10:
            for base in cls.node.bases:
                owner = cls.scope.owner_model()
                base_cls = owner.local_definition(base, cls.scope.parent)
                if isinstance(base_cls, ClassInfo) and base_cls is not cls:
                    found = owner.method(base_cls, name, depth + 1)
                    if found:
                        return found
        return None

    def is_abstract(self, function: FunctionInfo) -> bool:
        """A method with nothing to run: `@abstractmethod`, or a body of `...`, `pass`, a
        docstring or `raise NotImplementedError`."""
        if function.cls is None or isinstance(function.node, ast.Lambda):
            return False
        for decorator in function.node.decorator_list:
            if (self.resolve(decorator, function.parent) or "").endswith("abstractmethod"):
                return True
        return all(_is_placeholder_statement(statement) for statement in function.node.body)

    def implementations(self, method: FunctionInfo) -> list[FunctionInfo]:
        """For an abstract method of an interface of this module (an abstract base class
        or a Protocol), the concrete methods of that name in the project's classes that
        derive from it, or for a Protocol that define every method it declares; in path
        and source order."""
        if method not in self._implementations:
            self._implementations[method] = self._find_implementations(method)
        return self._implementations[method]

    def _find_implementations(self, method: FunctionInfo) -> list[FunctionInfo]:
        interface = method.cls
        if interface is None or not self.is_abstract(method):
            return []
        bases = self.class_bases(interface)
        protocol = any(b.rpartition(".")[2] == "Protocol" for b in bases)
        required = set(interface.methods) - {"__init__"}
        models = [self]
        if self.project is not None:
            word = f"def {method.name}" if protocol else interface.name
            models = self.project.models_mentioning(word, origin=self)
            if self not in models:
                models.append(self)
        found = []
        for model in sorted(models, key=lambda m: m.path):
            # Classes inside functions are known only once those are walked: left out.
            for cls in (c for c in model.classes if not _inside_a_function(c.scope)):
                concrete = cls.methods.get(method.name)
                if cls is interface or concrete is None or model.is_abstract(concrete):
                    continue
                if model.derives_from(cls, interface) or (
                        protocol and required <= set(cls.methods)
                        and _arity(concrete) == _arity(method)):
                    found.append(concrete)
        return found

    def derives_from(self, cls: ClassInfo, ancestor: ClassInfo, depth: int = 0) -> bool:
        """Whether this module's class has `ancestor` among its project base classes."""
        if depth > 10:
            return False
        for base in cls.node.bases:
            base_cls = self.local_definition(base, cls.scope.parent)
            if base_cls is ancestor:
                return True
            if isinstance(base_cls, ClassInfo) and base_cls is not cls and \
                    base_cls.scope.owner_model().derives_from(base_cls, ancestor, depth + 1):
                return True
        return False

    def class_bases(self, cls: ClassInfo) -> list[str]:
        return [name for name in (self.resolve(b, cls.scope.parent) for b in cls.node.bases)
                if name]

    # ----- types -------------------------------------------------------------------------

    def type_of(self, expr: ast.expr, scope: Scope, depth: int = 0) -> TypeRef:
        """The known type of the value of an expression: a catalog type, a class of this
        module, `builtins.<container>` for plain data, or None when unknown."""
        if expr in self._type_memo:
            return self._type_memo[expr]
        self._type_memo[expr] = None  # breaks cycles such as `x = x.next`
        result = self._type_of(expr, scope, depth) if depth < MAX_RESOLVE_DEPTH else None
        self._type_memo[expr] = result
        return result

    def _type_of(self, expr: ast.expr, scope: Scope, depth: int) -> TypeRef:
        if isinstance(expr, ast.Name):
            return self._type_of_name(expr.id, scope, depth)
        if isinstance(expr, ast.Attribute):
            return self._type_of_attribute(expr, scope, depth)
        if isinstance(expr, ast.Call):
            return self._type_of_call(expr, scope, depth)
        if isinstance(expr, ast.Subscript):
            index = expr.slice
            if isinstance(index, ast.Constant) and type(index.value) is int:
                element = self._type_of_element(expr.value, index.value, scope, depth + 1)
                if element is not None:
                    return element
            receiver = self.type_of(expr.value, scope, depth + 1)
            if isinstance(receiver, str):
                return lookup_table(catalog.ATTRIBUTES, receiver + ".*")
            return None
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
            # `client or boto3.client("ses")`: whichever side is known
            return self._agreeing(expr.values, scope, depth)
        if isinstance(expr, ast.IfExp):
            return self._agreeing([expr.body, expr.orelse], scope, depth)
        if isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            local = self.local_definition(expr.value.func, scope)
            if isinstance(local, FunctionInfo) and local.is_async and not local.is_generator:
                return local.model.produced_type(local, depth + 1)
            return None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            left = self.type_of(expr.left, scope, depth + 1)
            return left if left == "pathlib.Path" else None
        return _literal_type(expr)

    def _getattr_attribute(self, call: ast.Call, scope: Scope,
                           depth: int = 0) -> Optional[ast.Attribute]:
        """`obj.name` for `getattr(obj, "name"[, default])`; None for any other call (a
        name that is not a string constant says nothing)."""
        if call in self._getattr_attributes:
            return self._getattr_attributes[call]
        found = None
        if len(call.args) in (2, 3) and not call.keywords and \
                _string(call.args[1]) is not None and \
                self.resolve(call.func, scope, depth + 1) == "builtins.getattr":
            found = ast.copy_location(
                ast.Attribute(value=call.args[0], attr=call.args[1].value, ctx=ast.Load()),
                call)
        self._getattr_attributes[call] = found
        return found

    def alternative_sites(self, site: CallSite) -> list[CallSite]:
        """For a call through a literal sequence of callables (`for check in (a, b):
        check()`, `steps[0]()`), a call of each callable it runs, with the same arguments;
        [] for any other call."""
        call, scope = site.node, site.scope
        if call not in self._alternative_sites:
            found = []
            for element, owner in self._called_elements(call.func, scope):
                made = ast.copy_location(
                    ast.Call(func=element, args=call.args, keywords=call.keywords), call)
                found.append(CallSite(made, owner, site.awaited))
            self._alternative_sites[call] = found
        return self._alternative_sites[call]

    def _called_elements(self, func: ast.expr, scope: Scope) -> list:
        if isinstance(func, ast.Subscript):
            index = func.slice
            if not (isinstance(index, ast.Constant) and type(index.value) is int
                    and index.value >= 0):
                return []
            return self._literal_elements(func.value, scope)[index.value: index.value + 1]
        if not isinstance(func, ast.Name):
            return []
        owner, bindings = self.lookup(func.id, scope)
        if len(bindings) != 1 or bindings[0].kind != "loop":
            return []
        return self._literal_elements(bindings[0].value, owner)

    def _literal_elements(self, expr: ast.expr, scope: Scope, depth: int = 0) -> list:
        """(element, scope) of a list, tuple or set written out, or of a name bound once
        to one."""
        if isinstance(expr, ast.Name) and depth < MAX_RESOLVE_DEPTH:
            owner, bindings = self.lookup(expr.id, scope)
            if len(bindings) == 1 and bindings[0].kind == "assign" and \
                    bindings[0].value is not None and bindings[0].annotation is None:
                return self._literal_elements(bindings[0].value, owner, depth + 1)
            return []
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and \
                not any(isinstance(e, ast.Starred) for e in expr.elts):
            return [(element, scope) for element in expr.elts]
        return []

    def _agreeing(self, values: list, scope: Scope, depth: int) -> TypeRef:
        """The one known type among the values (the others unknown or None), else None:
        two different known types say nothing about which one it is."""
        known = []
        for value in values:
            found = self.type_of(value, scope, depth + 1)
            if found is not None and found not in known:
                known.append(found)
        return known[0] if len(known) == 1 else None

    def _type_of_element(self, expr: ast.expr, index: int, scope: Scope,
                         depth: int) -> TypeRef:
        """The type of `expr[index]` when `expr` is a tuple the code shows being built:
        `client, db = make_clients()` with `return boto3.client("s3"), sqlite3.connect(p)`."""
        if depth >= MAX_RESOLVE_DEPTH:
            return None
        if isinstance(expr, (ast.Tuple, ast.List)):
            elements = expr.elts[: index + 1]
            if len(elements) <= index or any(isinstance(e, ast.Starred) for e in elements):
                return None
            return self.type_of(elements[index], scope, depth + 1)
        if isinstance(expr, ast.Name):
            owner, bindings = self.lookup(expr.id, scope)
            for binding in bindings:
                if binding.kind == "assign" and binding.value is not None:
                    found = self._type_of_element(binding.value, index, owner, depth + 1)
                    if found is not None:
                        return found
            return None
        call = expr.value if isinstance(expr, ast.Await) else expr
        if not isinstance(call, ast.Call):
            return None
        local = self.local_definition(call.func, scope)
        if not isinstance(local, FunctionInfo) or local.is_generator or \
                local.is_async != isinstance(expr, ast.Await):
            return None
        known = []
        for returned in _own_returns(local):
            if returned.value is not None:
                found = local.model._type_of_element(returned.value, index, local.scope,
                                                     depth + 1)
                if found is not None and found not in known:
                    known.append(found)
        return known[0] if len(known) == 1 else None

    def _type_of_name(self, name: str, scope: Scope, depth: int) -> TypeRef:
        owner, bindings = self.lookup(name, scope)
        if owner is self.module_scope:
            # Functions add their `global` bindings when they are walked: source order
            # keeps the answer the same whichever was walked first.
            bindings = sorted(bindings, key=_position)
        for binding in bindings:
            found = self._type_of_binding(binding, owner, depth)
            if found is not None:
                return found
        return None

    def _type_of_binding(self, binding: Binding, owner: Scope, depth: int) -> TypeRef:
        found: TypeRef = None
        if binding.annotation is not None:
            found = self.annotation_type(binding.annotation, owner, depth + 1)
        if found is None and binding.kind in ("assign", "with") and binding.value is not None:
            found = self.type_of(binding.value, owner, depth + 1)
        if found is None and binding.kind == "param" and binding.value is not None:
            found = self._dependency_type(binding.value, owner, depth)
        if found is None and binding.kind == "loop":
            known = {self.type_of(element, element_scope, depth + 1)
                     for element, element_scope in self._literal_elements(binding.value, owner)}
            found = known.pop() if len(known) == 1 else None  # `for c in (s3, s3_backup)`
        if found is None and binding.kind == "param" and binding.annotation is None:
            found = self._constructor_argument_type(binding.node, owner, depth)
        if found is None and binding.kind == "def" and self._is_property(binding.node, owner):
            found = self.produced_type(self.function_by_node[binding.node], depth + 1)
        if found is None and binding.kind == "import" and self.project is not None:
            foreign = self.project.lookup(binding.qualname, self)
            if foreign is not None and foreign[1].kind == "assign":
                found = foreign[0]._type_of_global(foreign[1], depth + 1)
        return found

    def _type_of_global(self, binding: Binding, depth: int) -> TypeRef:
        """A module-level name of this module, with what functions assign to it too."""
        if isinstance(binding.node, ast.Name):
            return self._type_of_name(binding.node.id, self.module_scope, depth)
        return self._type_of_binding(binding, self.module_scope, depth)

    def _constructor_argument_type(self, arg: ast.arg, scope: Scope, depth: int) -> TypeRef:
        """An unannotated `__init__` parameter: the one type the project's calls of the
        class pass for it (`Service(boto3.client("s3"))`), None when they disagree."""
        function = scope.function
        if function is None or function.cls is None or function.name != "__init__":
            return None
        if arg in self._type_memo:
            return self._type_memo[arg]
        self._type_memo[arg] = None  # a call passing the parameter on to its own class
        args = function.node.args
        positional = [*args.posonlyargs, *args.args]
        position = positional.index(arg) - 1 if arg in positional else None
        keyword = None if arg in args.posonlyargs else arg.arg
        known = []
        if position != -1 and arg not in (args.vararg, args.kwarg):
            for model, site in self._constructions(function.cls):
                passed = _passed_argument(site.node, position, keyword)
                found = None if passed is None else model.type_of(passed, site.scope,
                                                                  depth + 1)
                if found is not None and found not in known:
                    known.append(found)
        self._type_memo[arg] = result = known[0] if len(known) == 1 else None
        return result

    def _constructions(self, cls: ClassInfo) -> Iterator[tuple["ModuleModel", CallSite]]:
        """The calls of this module's class in the project: `Service(...)`, `cls(...)`."""
        models = [self]
        if self.project is not None:
            models = self.project.models_mentioning(cls.name, origin=self)
            if self not in models:
                models.append(self)
        for model in models:
            model.walk_functions_with((cls.name, "cls(") if model is self else (cls.name,))
            for site in list(model.all_calls):
                func = site.node.func
                named = func.attr if isinstance(func, ast.Attribute) else \
                    getattr(func, "id", None)
                if named == cls.name and model.local_definition(func, site.scope) is cls:
                    yield model, site
                elif named == "cls" and model is self and self._self_class(func, site.scope) \
                        is cls:
                    yield model, site

    def _is_property(self, node: ast.AST, scope: Scope) -> bool:
        """`@property` or a `cached_property` (functools', or a library's of that name)."""
        for decorator in getattr(node, "decorator_list", ()):
            name = self.resolve(decorator, scope) or ""
            if name == "builtins.property" or name.rpartition(".")[2] == "cached_property":
                return True
        return False

    def _walk_global_writers(self) -> None:
        """Walk the functions that may rebind module names (`global _db; _db = SQLDB()`),
        so that the module scope holds every binding of them."""
        if not self._globals_walked:
            self._globals_walked = True
            self.walk_functions_with(("global ",))

    def walk_functions_with(self, markers: tuple) -> None:
        """Walk the bodies of the functions holding a line with one of the markers (all of
        them when the source is unknown), nested ones included."""
        text = self.source
        if isinstance(text, bytes):
            text = importlib.util.decode_source(text)
        marked = None if text is None else _matching_lines(markers, text)
        if marked == []:
            return
        index = 0
        while index < len(self.functions):
            node = self.functions[index].node
            if marked is None or _has_line_between(marked, node.lineno, node.end_lineno):
                self.functions[index].scope  # noqa: B018 (walks the body)
            index += 1

    def app_state_types(self, attr: str, depth: int) -> list:
        """The types of what this module assigns to `app.state.<attr>` (in a lifespan, a
        startup handler, an app factory), None for the values it cannot type."""
        if not self._state_walked:
            self._state_walked = True
            self.walk_functions_with((".state.",))
        found = []
        for target, value, annotation, scope in self.state_writes:
            if target.attr == attr and self._is_app(target.value.value, scope, depth):
                typed = None
                if annotation is not None:
                    typed = self.annotation_type(annotation, scope, depth + 1)
                found.append(typed or self.type_of(value, scope, depth + 1))
        return found

    def _is_app(self, expr: ast.expr, scope: Scope, depth: int) -> bool:
        """A FastAPI or Starlette application: typed as one, or a lifespan's parameter
        named `app` that carries no annotation."""
        if self.type_of(expr, scope, depth + 1) == "fastapi.FastAPI":
            return True
        if isinstance(expr, ast.Name) and expr.id == "app":
            _, bindings = self.lookup(expr.id, scope)
            return any(b.kind == "param" and b.annotation is None for b in bindings)
        return False

    def _app_state_type(self, attr: str, depth: int) -> TypeRef:
        """`request.app.state.<attr>`: the one type the project's assignments agree on."""
        models = [self]
        if self.project is not None:
            models = self.project.models_mentioning(".state.", origin=self)
            if self not in models:
                models.append(self)
        known = []
        for model in models:
            for found in model.app_state_types(attr, depth + 1):
                if found is not None and found not in known:
                    known.append(found)
        return known[0] if len(known) == 1 else None

    def _dependency_type(self, default: ast.expr, scope: Scope, depth: int) -> TypeRef:
        """`session = Depends(generate_session)`: typed by what the dependency yields."""
        if not (isinstance(default, ast.Call)
                and self.resolve(default.func, scope) in catalog.DEPENDS and default.args):
            return None
        target = self.local_definition(default.args[0], scope)
        if isinstance(target, FunctionInfo):
            return target.model.produced_type(target, depth + 1)
        return None

    def produced_type(self, function: FunctionInfo, depth: int = 0) -> TypeRef:
        """What calling a function gives: its return value, or for a generator (a yielding
        dependency or a @contextmanager) what it yields."""
        values = function.scope.yields if function.is_generator else [
            n.value for n in _own_returns(function) if n.value is not None]
        for value in values:
            found = self.type_of(value, function.scope, depth + 1)
            if found is not None:
                return found
        return None

    def _type_of_attribute(self, expr: ast.Attribute, scope: Scope, depth: int) -> TypeRef:
        foreign = self._project_binding(expr, scope)  # `tables.Chats` for a module `tables`
        if foreign is not None and foreign[1].kind == "assign":
            return foreign[0]._type_of_global(foreign[1], depth + 1)
        receiver_node = expr.value
        cls = self._self_class(receiver_node, scope)
        if cls is None:
            receiver = self.type_of(receiver_node, scope, depth + 1)
            if receiver == catalog.APP_STATE:
                return self._app_state_type(expr.attr, depth + 1)
            if isinstance(receiver, str):
                return lookup_table(catalog.ATTRIBUTES, f"{receiver}.{expr.attr}")
            cls = receiver if isinstance(receiver, ClassInfo) else None
        if cls is not None:
            return cls.scope.owner_model()._class_attribute_type(cls, expr.attr, depth)
        return None

    def _class_attribute_type(self, cls: ClassInfo, attr: str, depth: int,
                              bases_followed: int = 0) -> TypeRef:
        """`self.<attr>` of this module's class: what its methods assign, a class-level
        binding or property, else the same in its project base classes."""
        for method in cls.methods.values():
            method.scope  # noqa: B018 (walks it: `self.x = ...` is set in method bodies)
        candidates = [(b, cls.attribute_scopes[b]) for b in cls.attributes.get(attr, ())]
        candidates += [(b, cls.scope) for b in cls.scope.bindings.get(attr, ())]
        for binding, owner in candidates:
            found = self._type_of_binding(binding, owner, depth)
            if found is not None:
                return found
        if candidates or bases_followed >= 10:
            return None
        for base in cls.node.bases:
            base_cls = self.local_definition(base, cls.scope.parent)
            if isinstance(base_cls, ClassInfo) and base_cls is not cls:
                found = base_cls.scope.owner_model()._class_attribute_type(
                    base_cls, attr, depth + 1, bases_followed + 1)
                if found is not None:
                    return found
        return None

    def _self_class(self, receiver: ast.expr, scope: Scope) -> Optional[ClassInfo]:
        """The class of `self`/`cls` when receiver is a method's first parameter."""
        if not isinstance(receiver, ast.Name):
            return None
        owner, _ = self.lookup(receiver.id, scope)  # a closure may use its method's `self`
        function = owner.function if owner is not None else None
        if function is None or function.cls is None:
            return None
        args = function.node.args.posonlyargs + function.node.args.args
        if args and args[0].arg == receiver.id:
            return function.cls
        return None

    def assigned_values(self, expr: ast.expr, scope: Scope) -> list[tuple[ast.expr, Scope]]:
        """(value, scope it is evaluated in) of every assignment the analysis sees to a
        name or to an attribute of an instance of a project class; empty when one of them
        is not a plain `x = value` (a parameter, an import, an unpacking, ...). A
        declaration without a value (`x: T`) assigns nothing."""
        if isinstance(expr, ast.Name):
            owner, bindings = self.lookup(expr.id, scope)
            candidates = [(b, owner) for b in bindings]
        elif isinstance(expr, ast.Attribute):
            cls = self._self_class(expr.value, scope) or self.type_of(expr.value, scope)
            if not isinstance(cls, ClassInfo):
                return []
            for method in cls.methods.values():
                method.scope  # noqa: B018 (walks it: `self.x = ...` is set in method bodies)
            candidates = [(b, cls.attribute_scopes[b]) for b in cls.attributes.get(expr.attr, ())]
            candidates += [(b, cls.scope) for b in cls.scope.bindings.get(expr.attr, ())]
        else:
            return []
        values = []
        for binding, owner in candidates:
            if binding.kind != "assign":
                return []
            if binding.value is not None:
                values.append((binding.value, owner))
        return values

    def _type_of_call(self, call: ast.Call, scope: Scope, depth: int) -> TypeRef:
        name = self.resolve(call.func, scope, depth + 1)
        if self._getattr_attribute(call, scope, depth) is not None:
            # `getattr(request.app.state, "engine", None)`: the attribute, or the default
            return self._agreeing([self._getattr_attribute(call, scope, depth),
                                   *call.args[2:]], scope, depth)
        if name in ("typing.cast", "typing_extensions.cast") and len(call.args) == 2:
            # the value's own type, else the type it is cast to
            return (self.type_of(call.args[1], scope, depth + 1)
                    or self.annotation_type(call.args[0], scope, depth + 1))
        if name:
            if name in catalog.CONSTRUCTORS:
                if _makes_async_sessions(self, call, scope, name):
                    return None
                return catalog.CONSTRUCTORS[name]
            if self.project is not None and name in self.project.client_types:
                return name  # a sync client type the user declared: its methods block
            if name.startswith("builtins."):
                literal = name[len("builtins."):]
                return f"builtins.{literal}" if literal in _DATA_BUILTINS else None
        local = self.local_definition(call.func, scope)
        if isinstance(local, ClassInfo):
            return local
        if isinstance(local, FunctionInfo) and not local.is_async:
            return local.model.produced_type(local, depth + 1)
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in catalog.MODEL_DUMPS and local is None \
                and isinstance(self.type_of(func.value, scope, depth + 1), ClassInfo):
            return catalog.MODEL_DUMPS[func.attr]  # `item.dict()` of a pydantic model class
        method_name = self.call_name(call, scope, depth + 1)
        if method_name:
            return lookup_table(catalog.RETURNS, method_name) if "." in method_name else None
        return None

    def annotation_type(self, annotation: ast.expr, scope: Scope, depth: int = 0) -> TypeRef:
        if depth > MAX_RESOLVE_DEPTH:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                parsed = ast.parse(annotation.value, mode="eval").body
            except (SyntaxError, ValueError):
                return None
            return self.annotation_type(parsed, scope, depth + 1)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return (self.annotation_type(annotation.left, scope, depth + 1)
                    or self.annotation_type(annotation.right, scope, depth + 1))
        if isinstance(annotation, ast.Subscript):
            base = self.resolve(annotation.value, scope) or ""
            inner = annotation.slice
            if isinstance(inner, ast.Index):  # Python 3.8 shape, kept for old trees
                inner = inner.value  # pragma: no cover
            elements = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            if base.endswith(("Annotated", "Optional", "Union")):
                candidates = elements[:1] if base.endswith("Annotated") else elements
                for element in candidates:
                    found = self.annotation_type(element, scope, depth + 1)
                    if found is not None:
                        return found
                return None
            return self.annotation_type(annotation.value, scope, depth + 1)  # `Future[bytes]`
        local = self.local_definition(annotation, scope)
        if isinstance(local, ClassInfo):
            return local
        name = self.resolve(annotation, scope)
        if name:
            name = canonical(name)
            if name in catalog.ANNOTATION_TYPES:
                return name
            if catalog.CONSTRUCTORS.get(name) in catalog.ANNOTATION_TYPES:
                return catalog.CONSTRUCTORS[name]  # `pool: ThreadPoolExecutor`
            if name.startswith("builtins.") and name[len("builtins."):] in _DATA_BUILTINS:
                return name
            for (prefix, suffix), stub_type in catalog.STUB_TYPES.items():
                if name.startswith(prefix) and name.endswith(suffix):
                    return stub_type  # `client: S3Client` from `mypy_boto3_s3`
        if isinstance(annotation, ast.Name):  # SessionDep = Annotated[Session, Depends(...)]
            owner, bindings = self.lookup(annotation.id, scope)
            for binding in bindings:
                if binding.kind == "assign" and isinstance(binding.value, ast.Subscript):
                    return self.annotation_type(binding.value, owner, depth + 1)
        return None

    # ----- calls -------------------------------------------------------------------------

    def call_name(self, call: ast.Call, scope: Scope, depth: int = 0) -> Optional[str]:
        """The catalog name of a call: `module.function`, or `Type.method` when the
        receiver's type is known, or `Type.__call__` for calling an instance."""
        func = call.func
        if isinstance(func, ast.Attribute):
            receiver = self.type_of(func.value, scope, depth + 1)
            if isinstance(receiver, str) and receiver != catalog.APP_STATE:
                return f"{catalog.SESSION_PROXIES.get(receiver, receiver)}.{func.attr}"
            if isinstance(receiver, ClassInfo):
                return None
        if isinstance(func, (ast.Name, ast.Attribute)):
            instance = self.type_of(func, scope, depth + 1)  # `SessionLocal()`
            if isinstance(instance, str):
                return f"{instance}.__call__"
        name = self.resolve(func, scope, depth + 1)
        if name:
            return name
        if isinstance(func, ast.Attribute):
            return f"?.{func.attr}"
        return None

    def is_offload(self, call: ast.Call, scope: Scope) -> bool:
        name = self.call_name(call, scope)
        return bool(name) and lookup_table(catalog.OFFLOADS, name) is not None

    def coroutines(self) -> Iterator[FunctionInfo]:
        return (f for f in self.functions if f.is_async)

    def imports_module(self, *prefixes: str) -> bool:
        return any(m.split(".")[0] in prefixes for m in self.imported_modules)


_DATA_BUILTINS = frozenset({"dict", "list", "str", "set", "tuple", "bytes", "int", "float",
                            "frozenset", "bool"})


def relative_to_cwd(path: str) -> str:
    """Relative to the working directory when below it, else as given: `../../x.py` says
    less than the absolute path."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if relative.startswith("..") else relative


def _matching_lines(markers: tuple, text: str) -> list[int]:
    """The numbers of the lines holding any of the markers, as `ast` numbers lines. A
    `str.find` per marker: several times faster than one regular expression of them all."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    positions = []
    for marker in markers:
        position = text.find(marker)
        while position != -1:
            positions.append(position)
            position = text.find(marker, position + 1)
    positions.sort()
    found: list[int] = []
    line, previous = 1, 0
    for position in positions:
        line += text.count("\n", previous, position)
        previous = position
        if not found or found[-1] != line:
            found.append(line)
    return found


def _has_line_between(lines: list[int], first: int, last: int) -> bool:
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and lines[index] <= last


def _literal_type(expr: ast.expr) -> Optional[str]:
    if isinstance(expr, (ast.Dict, ast.DictComp)):
        return "builtins.dict"
    if isinstance(expr, (ast.List, ast.ListComp)):
        return "builtins.list"
    if isinstance(expr, (ast.Set, ast.SetComp)):
        return "builtins.set"
    if isinstance(expr, ast.Tuple):
        return "builtins.tuple"
    if isinstance(expr, ast.JoinedStr):
        return "builtins.str"
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (str, bytes)):
        return f"builtins.{type(expr.value).__name__}"
    return None


def _inside_a_function(scope: Scope) -> bool:
    parent = scope.parent
    while parent is not None and parent.kind == "class":
        parent = parent.parent
    return parent is not None and parent.kind != "module"


def _arity(function: FunctionInfo) -> tuple:
    args = function.node.args
    return len(args.posonlyargs) + len(args.args), args.vararg is None, args.kwarg is None


def _is_placeholder_statement(statement: ast.stmt) -> bool:
    """`...`, `pass`, a docstring, `raise NotImplementedError`: the body of a declaration."""
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return statement.value.value is Ellipsis or isinstance(statement.value.value, str)
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        raised = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"
    return False


def _passed_argument(call: ast.Call, position: Optional[int],
                     keyword: Optional[str]) -> Optional[ast.expr]:
    """What a call passes for a parameter, when the call shows it."""
    if position is not None:
        if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return None
        if len(call.args) > position:
            return call.args[position]
    for passed in call.keywords:
        if passed.arg == keyword and keyword is not None:
            return passed.value
    return None


def _position(binding: Binding) -> tuple:
    return binding.node.lineno, binding.node.col_offset


def _is_placeholder(binding: Binding) -> bool:
    """`X = None` next to `import X` in a try/except: a stand-in, not a rebinding."""
    return (binding.kind == "assign" and isinstance(binding.value, ast.Constant)
            and binding.value.value is None)


def _makes_async_sessions(model: ModuleModel, call: ast.Call, scope: Scope, name: str) -> bool:
    """`sessionmaker(class_=AsyncSession)` makes async sessions, not sync ones."""
    if name != "sqlalchemy.orm.sessionmaker":
        return False
    for keyword in call.keywords:
        if keyword.arg == "class_":
            target = model.resolve(keyword.value, scope) or ""
            return "Async" in target or "async" in target
    return False


# Fields that only ever hold leaves nothing is collected from: `Load()`, `Add()`, `Eq()`.
_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
# What the walk never visits: leaves nothing is collected from (half of all nodes), and
# the plain values fields hold besides nodes.
_NOT_WALKED = frozenset({ast.Name, ast.Constant, str, int, bool, type(None)})


class _Collector:
    """The walk: scopes, bindings, calls, awaits, functions and classes. Each function's
    body is walked the first time the analysis asks for it (`FunctionInfo.scope`), so an
    imported module costs little more than its module-level statements."""

    # Node class → the name of the method that visits it.
    HANDLERS = {
        ast.FunctionDef: "visit_function",
        ast.AsyncFunctionDef: "visit_function",
        ast.Lambda: "visit_lambda",
        ast.ClassDef: "visit_class",
        ast.Call: "visit_call",
        ast.Await: "visit_await",
        ast.Return: "visit_return",
        ast.Yield: "visit_yield",
        ast.YieldFrom: "visit_yield",
        ast.AsyncFor: "visit_async_for",
        ast.AsyncWith: "visit_async_with",
        ast.comprehension: "visit_comprehension",
        ast.Import: "visit_import",
        ast.ImportFrom: "visit_import",
        ast.Assign: "visit_assign",
        ast.AnnAssign: "visit_ann_assign",
        ast.AugAssign: "visit_other_target",
        ast.For: "visit_for",
        ast.NamedExpr: "visit_named_expr",
        ast.With: "visit_with",
        ast.ExceptHandler: "visit_except",
        ast.Global: "visit_global",
        ast.Nonlocal: "visit_nonlocal",
        **{getattr(ast, name): "visit_match_capture"  # Python 3.10+
           for name in ("MatchAs", "MatchStar", "MatchMapping") if hasattr(ast, name)},
    }
    # Node class → (its visiting function or None, the fields holding its children, last
    # first): made once per class for the whole process.
    _plans: dict[type, tuple] = {}

    def __init__(self, model: ModuleModel):
        self.model = model

    def walk(self, scope: Scope, nodes: list) -> None:
        """Collect one scope; the bodies of functions met on the way are left pending."""
        stack = list(reversed(nodes))
        plans, push, skipped = self._plans, stack.append, _NOT_WALKED
        while stack:
            node = stack.pop()
            plan = plans.get(node.__class__)
            if plan is None:
                plan = plans[node.__class__] = self._plan(node.__class__)
            handler, fields = plan
            if handler is not None and handler(self, node, scope, stack):
                continue  # the handler pushed what belongs to this scope itself
            for field in fields:  # last first, so that nodes are met in source order
                value = getattr(node, field, None)
                if value.__class__ is list:
                    for item in reversed(value):
                        if item.__class__ not in skipped:
                            push(item)
                elif value.__class__ not in skipped:
                    push(value)

    @classmethod
    def _plan(cls, node_class: type) -> tuple:
        name = cls.HANDLERS.get(node_class)
        fields = [f for f in getattr(node_class, "_fields", ()) if f not in _LEAF_FIELDS]
        return (getattr(cls, name) if name else None), tuple(reversed(fields))

    @staticmethod
    def push(stack: list, nodes) -> bool:
        stack.extend(reversed([n for n in nodes if n is not None]))
        return True

    def new_function(self, node, scope: Scope, cls: Optional[ClassInfo]) -> FunctionInfo:
        own = Scope("lambda" if isinstance(node, ast.Lambda) else "function", node, scope)
        info = FunctionInfo(node, own, scope, cls)
        own.function = info
        own.pending = [node.body] if isinstance(node, ast.Lambda) else node.body
        self.model.functions.append(info)
        self.model.function_by_node[node] = info
        self.bind_arguments(node.args, own)
        return info

    def visit_function(self, node, scope: Scope, stack: list) -> bool:
        scope.bindings[node.name].append(Binding("def", node))
        cls = scope.cls if scope.kind == "class" else None
        info = self.new_function(node, scope, cls)
        if cls is not None:
            cls.methods.setdefault(node.name, info)
        annotations = [a.annotation for a in _all_args(node.args)]
        return self.push(stack, [*node.decorator_list, *node.args.defaults,
                                 *node.args.kw_defaults, *annotations, node.returns])

    def visit_lambda(self, node: ast.Lambda, scope: Scope, stack: list) -> bool:
        self.new_function(node, scope, None)
        return self.push(stack, [*node.args.defaults, *node.args.kw_defaults])

    def visit_class(self, node: ast.ClassDef, scope: Scope, stack: list) -> bool:
        scope.bindings[node.name].append(Binding("class", node))
        own = Scope("class", node, scope)
        info = ClassInfo(node, own)
        own.cls = info
        self.model.classes.append(info)
        self.model.class_by_node[node] = info
        self.walk(own, node.body)  # class bodies are short; methods stay pending
        return self.push(stack, [*node.decorator_list, *node.bases, *node.keywords])

    def visit_call(self, node: ast.Call, scope: Scope, stack: list) -> bool:
        site = CallSite(node, scope, node in self.model.awaited_calls)
        scope.calls.append(site)
        self.model.all_calls.append(site)
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(argument, ast.Lambda):
                self.model.lambda_call[argument] = node
        return False

    def visit_await(self, node: ast.Await, scope: Scope, stack: list) -> bool:
        scope.awaits.append(node)
        if isinstance(node.value, ast.Call):
            self.model.awaited_calls.add(node.value)
        return False

    def visit_return(self, node: ast.Return, scope: Scope, stack: list) -> bool:
        scope.returns.append(node)
        return False

    def visit_yield(self, node, scope: Scope, stack: list) -> bool:
        scope.yields.append(node.value if node.value is not None else ast.Constant(None))
        return False

    def visit_async_for(self, node: ast.AsyncFor, scope: Scope, stack: list) -> bool:
        scope.async_constructs += 1
        self.bind_target(node.target, scope, "other")
        return False

    def visit_async_with(self, node: ast.AsyncWith, scope: Scope, stack: list) -> bool:
        scope.async_constructs += 1
        for item in node.items:
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars, scope, "other")
        return False

    def consume(self, expr: ast.expr) -> None:
        if isinstance(expr, ast.Call):
            self.model.consumed_calls.add(expr)

    def visit_for(self, node: ast.For, scope: Scope, stack: list) -> bool:
        if isinstance(node, ast.For):  # not `async for`
            scope.iterated.append(node.iter)
        self.consume(node.iter)
        self.bind_target(node.target, scope, "loop", node.iter)
        return False

    def visit_comprehension(self, node: ast.comprehension, scope: Scope, stack: list) -> bool:
        if not node.is_async:
            scope.iterated.append(node.iter)
        self.consume(node.iter)
        scope.async_constructs += bool(node.is_async)
        self.bind_target(node.target, scope, "other")
        return False

    def visit_import(self, node, scope: Scope, stack: list) -> bool:
        self.bind_import(node, scope)
        return True

    def visit_assign(self, node: ast.Assign, scope: Scope, stack: list) -> bool:
        for target in node.targets:
            self.bind_target(target, scope, "assign", node.value)
        return False

    def visit_ann_assign(self, node: ast.AnnAssign, scope: Scope, stack: list) -> bool:
        self.bind_target(node.target, scope, "assign", node.value, node.annotation)
        return False

    def visit_other_target(self, node, scope: Scope, stack: list) -> bool:
        self.bind_target(node.target, scope, "other")
        return False

    def visit_named_expr(self, node: ast.NamedExpr, scope: Scope, stack: list) -> bool:
        self.bind_target(node.target, scope, "assign", node.value)
        return False

    def visit_with(self, node: ast.With, scope: Scope, stack: list) -> bool:
        scope.with_items.extend(node.items)
        for item in node.items:
            self.consume(item.context_expr)
            if item.optional_vars is not None:
                self.bind_target(item.optional_vars, scope, "with", item.context_expr)
        return False

    def visit_except(self, node: ast.ExceptHandler, scope: Scope, stack: list) -> bool:
        if node.name:
            scope.bindings[node.name].append(Binding("other", node))
        return False

    def visit_global(self, node: ast.Global, scope: Scope, stack: list) -> bool:
        scope.global_names.update(node.names)
        return True

    def visit_nonlocal(self, node: ast.Nonlocal, scope: Scope, stack: list) -> bool:
        for name in node.names:
            scope.bindings[name].append(Binding("other", node))
        return True

    def visit_match_capture(self, node, scope: Scope, stack: list) -> bool:
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if name:
            scope.bindings[name].append(Binding("other", node))
        return False

    def bind_import(self, node, scope: Scope) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.model.imported_modules.add(alias.name)
                if alias.asname:
                    scope.bindings[alias.asname].append(
                        Binding("import", node, qualname=canonical(alias.name)))
                else:
                    top = alias.name.split(".")[0]
                    scope.bindings[top].append(Binding("import", node, qualname=top))
            return
        module = self.absolute_module(node.level, node.module or "")
        if not module.startswith("."):
            self.model.imported_modules.add(module)
        for alias in node.names:
            if alias.name == "*":
                continue
            qualname = module + alias.name if module.endswith(".") or not module else \
                f"{module}.{alias.name}"
            scope.bindings[alias.asname or alias.name].append(
                Binding("import", node, qualname=canonical(qualname)))

    def absolute_module(self, level: int, module: str) -> str:
        """`from ..x import y` inside package a.b → `a.x`; kept relative when unknown."""
        if level == 0:
            return module
        package = self.model.package.split(".") if self.model.package else []
        if not self.model.name or level - 1 > len(package):
            return "." * level + module
        base = package[: len(package) - (level - 1)]
        return ".".join([*base, module] if module else base)

    def bind_target(self, target, scope: Scope, kind: str, value=None, annotation=None) -> None:
        if kind == "loop" and not isinstance(target, ast.Name):
            kind, value = "other", None  # `for a, b in ...`: the elements are not followed
        if isinstance(target, ast.Name):
            owner = scope
            if target.id in scope.global_names:
                owner = scope.module()
                self.model.global_writes.add(target)
            owner.bindings[target.id].append(Binding(kind, target, value, annotation))
        elif isinstance(target, (ast.Tuple, ast.List)):
            # `client, db = make_clients()`: each name is bound to `value[i]` up to a `*rest`
            unpacked = kind == "assign" and value is not None
            for index, element in enumerate(target.elts):
                unpacked = unpacked and not isinstance(element, ast.Starred)
                if unpacked:
                    item = ast.copy_location(
                        ast.Subscript(value=value, slice=ast.Constant(index), ctx=ast.Load()),
                        element)
                    self.bind_target(element, scope, "assign", item)
                else:
                    self.bind_target(element, scope, "other")
        elif isinstance(target, ast.Starred):
            self.bind_target(target.value, scope, "other")
        elif isinstance(target, ast.Attribute) and kind == "assign":
            if isinstance(target.value, ast.Attribute) and target.value.attr == "state":
                self.model.state_writes.append((target, value, annotation, scope))
            cls = self.model._self_class(target.value, scope)
            if cls is not None:
                binding = Binding(kind, target, value, annotation)
                cls.attributes[target.attr].append(binding)
                cls.attribute_scopes[binding] = scope

    @staticmethod
    def bind_arguments(args: ast.arguments, scope: Scope) -> None:
        defaults = _argument_defaults(args)
        for arg in _all_args(args):
            scope.bindings[arg.arg].append(
                Binding("param", arg, defaults.get(arg), annotation=arg.annotation))


def _argument_defaults(args: ast.arguments) -> dict[ast.arg, ast.expr]:
    positional = [*args.posonlyargs, *args.args]
    pairs = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs.update((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
    return pairs


def _own_returns(function: FunctionInfo) -> list[ast.Return]:
    return function.scope.returns


def _all_args(args: ast.arguments) -> list[ast.arg]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every.extend(a for a in (args.vararg, args.kwarg) if a is not None)
    return every


# ----- framework roles -----------------------------------------------------------------------


def _assign_roles(model: ModuleModel) -> None:
    fastapi_like = not model.imports_module(*OTHER_WEB_FRAMEWORKS)
    for function in model.functions:
        for decorator in getattr(function.node, "decorator_list", ()):
            _decorator_role(model, function, decorator, fastapi_like)
    for cls in model.classes:
        _class_roles(model, cls)
    for site in model.all_calls:
        _call_roles(model, site)
    for function in model.functions:
        _class_dependencies_in_defaults(model, function)


def _string(expr: Optional[ast.expr]) -> Optional[str]:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


def _keyword(call: ast.Call, name: str) -> Optional[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _argument(call: ast.Call, index: int, name: str) -> Optional[ast.expr]:
    if len(call.args) > index and not isinstance(call.args[index], ast.Starred):
        return call.args[index]
    return _keyword(call, name)


def _methods(call: ast.Call, default: tuple) -> tuple:
    listed = _keyword(call, "methods")
    if isinstance(listed, (ast.List, ast.Tuple, ast.Set)):
        found = tuple(s.upper() for s in map(_string, listed.elts) if s)
        if found:
            return found
    return default


def _router_prefix(model: ModuleModel, receiver: ast.expr, scope: Scope) -> str:
    if isinstance(receiver, ast.Name):
        _, bindings = model.lookup(receiver.id, scope)
        for binding in bindings:
            if isinstance(binding.value, ast.Call):
                return _string(_keyword(binding.value, "prefix")) or ""
    return ""


def _router_key(model: ModuleModel, expr: ast.expr, scope: Scope) -> Optional[str]:
    """`file::variable` for a module-level router or app object, the same whichever
    module refers to it; the qualified name when the object is not in the project."""
    if isinstance(expr, ast.Name):
        owner, bindings = model.lookup(expr.id, scope)
        if owner is model.module_scope and any(b.kind == "assign" for b in bindings):
            return f"{model.display_path()}::{expr.id}"
    foreign = model._project_binding(expr, scope)
    if foreign is not None and foreign[1].kind == "assign":
        defining, binding = foreign
        return f"{defining.display_path()}::{binding.node.id}"
    name = model.resolve(expr, scope)
    return name if name and not name.startswith("builtins.") else None


def _decorator_role(model, function: FunctionInfo, decorator: ast.expr, fastapi_like: bool):
    scope = function.parent
    if not isinstance(decorator, ast.Call):
        name = model.resolve(decorator, scope)
        if name in catalog.ASYNC_CONTEXT_MANAGERS:
            function.async_context_manager = True
        return
    func = decorator.func
    if not isinstance(func, ast.Attribute):
        return
    attr = func.attr
    is_app = model.type_of(func.value, scope) in catalog.APP_TYPES
    path = _string(_argument(decorator, 0, "path"))
    looks_like_route = path is not None and (path == "" or path.startswith("/"))
    if not (is_app or (fastapi_like and looks_like_route)):
        return
    full_path = None if path is None else _router_prefix(model, func.value, scope) + path
    router = _router_key(model, func.value, scope)
    if attr in catalog.ROUTE_DECORATORS:
        methods = _methods(decorator, catalog.ROUTE_DECORATORS[attr])
        function.roles.append(Role("route", methods, full_path, router))
    elif attr in catalog.WEBSOCKET_DECORATORS:
        function.roles.append(Role("websocket", (), full_path, router))
    elif is_app and attr == "middleware":
        function.roles.append(Role("middleware"))
    elif is_app and attr == "exception_handler":
        function.roles.append(Role("exception_handler"))
    elif is_app and attr == "on_event":
        function.roles.append(Role("event_handler"))


def _class_roles(model: ModuleModel, cls: ClassInfo) -> None:
    bases = model.class_bases(cls)
    if any(b in catalog.HTTP_ENDPOINT_BASES or b.endswith(".HTTPEndpoint") for b in bases):
        for name, method in cls.methods.items():
            if name.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
                method.roles.append(Role("route", (name.upper(),), None))
    if any(b in catalog.WEBSOCKET_ENDPOINT_BASES for b in bases):
        for name in ("on_connect", "on_receive", "on_disconnect"):
            if name in cls.methods:
                cls.methods[name].roles.append(Role("websocket"))
    if any(b in catalog.MIDDLEWARE_BASES for b in bases) and "dispatch" in cls.methods:
        cls.methods["dispatch"].roles.append(Role("middleware"))


def _callable_target(model: ModuleModel, expr: Optional[ast.expr], scope: Scope,
                     dunder: str = "__call__") -> Optional[FunctionInfo]:
    """The function of this module that runs when `expr` is called by the framework."""
    if expr is None:
        return None
    if isinstance(expr, ast.Call) and model.resolve(expr.func, scope) == "functools.partial":
        return _callable_target(model, _argument(expr, 0, "func"), scope, dunder)
    local = model.local_definition(expr, scope)
    if isinstance(local, FunctionInfo):
        return local
    if isinstance(local, ClassInfo):
        return model.method(local, "__init__")
    instance = model.type_of(expr, scope)
    if isinstance(instance, ClassInfo):
        return model.method(instance, dunder)
    return None


def _call_roles(model: ModuleModel, site: CallSite) -> None:
    call, scope = site.node, site.scope
    func = call.func
    attr = func.attr if isinstance(func, ast.Attribute) else None
    name = model.resolve(func, scope)

    def give(expr, role: Role) -> None:
        # Roles stay within the module, so a file's findings never depend on which other
        # files were checked before it.
        target = _callable_target(model, expr, scope)
        if target is not None and target.model is model:
            target.roles.append(role)
        elif target is not None and role.kind == "dependency" and target.model.path:
            model.foreign_dependencies.append((target.model.path, target.qualname))

    if attr in catalog.ROUTE_REGISTRARS or name in catalog.ROUTE_CLASSES:
        path = _string(_argument(call, 0, "path"))
        give(_argument(call, 1, "endpoint"), Role("route", _methods(call, ("GET",)), path))
    elif attr in catalog.WEBSOCKET_REGISTRARS or name in catalog.WEBSOCKET_ROUTE_CLASSES:
        path = _string(_argument(call, 0, "path"))
        give(_argument(call, 1, "endpoint"), Role("websocket", (), path))
    elif name in catalog.DEPENDS:
        give(_argument(call, 0, "dependency"), Role("dependency"))
    elif attr == "add_exception_handler":
        give(_argument(call, 1, "handler"), Role("exception_handler"))
    elif attr == "add_event_handler":
        give(_argument(call, 1, "func"), Role("event_handler"))
    elif attr == "include_router":
        parent = _router_key(model, func.value, scope)
        included = _argument(call, 0, "router")
        child = _router_key(model, included, scope) if included is not None else None
        if parent and child:
            model.includes.append((parent, child, _string(_keyword(call, "prefix")) or ""))
    elif attr == "add_task" or name in catalog.BACKGROUND_TASK_CONSTRUCTORS:
        give(_argument(call, 0, "func"), Role("background"))
    elif name and canonical(name) in catalog.CONSTRUCTORS and \
            catalog.CONSTRUCTORS[canonical(name)] in catalog.APP_TYPES:
        give(_keyword(call, "lifespan"), Role("lifespan"))
        for key in ("on_startup", "on_shutdown"):
            handlers = _keyword(call, key)
            for handler in getattr(handlers, "elts", ()):
                give(handler, Role("event_handler"))
        handlers = _keyword(call, "exception_handlers")
        for handler in getattr(handlers, "values", ()) if isinstance(handlers, ast.Dict) else ():
            give(handler, Role("exception_handler"))


def _mark_offloaded(model: ModuleModel, call: ast.Call, scope: Scope) -> None:
    """Functions the project itself hands to a thread are ones it knows to be slow."""
    for argument in call.args:
        if isinstance(argument, ast.Lambda):
            body_calls = [n for n in ast.walk(argument.body) if isinstance(n, ast.Call)]
            targets = [model.local_definition(c.func, scope) for c in body_calls]
        else:
            targets = [_callable_target(model, argument, scope)]
        model._offloaded.update(t for t in targets if isinstance(t, FunctionInfo))


def _class_dependencies_in_defaults(model: ModuleModel, function: FunctionInfo) -> None:
    """`commons: CommonQueryParams = Depends()`: the annotation's class is the dependency."""
    for arg, default in _argument_defaults(function.node.args).items():
        if (isinstance(default, ast.Call) and not default.args
                and _keyword(default, "dependency") is None
                and model.resolve(default.func, function.parent) in catalog.DEPENDS
                and arg.annotation is not None):
            cls = model.local_definition(arg.annotation, function.parent)
            if isinstance(cls, ClassInfo):
                init = model.method(cls, "__init__")
                if init is not None and init.model is model:
                    init.roles.append(Role("dependency"))
