"""What the walk records: scopes and their bindings, call sites, functions, classes and the
framework roles of functions; and the catalog lookups every part of the model shares."""
from __future__ import annotations

import ast
from collections import defaultdict
from typing import TYPE_CHECKING, Iterable, NamedTuple, Optional, Union

from .. import catalog
from ..results import route_label

if TYPE_CHECKING:
    from .module import ModuleModel

FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef)
# Guards recursion through chains of aliases and nested expressions in lazy resolution.
MAX_RESOLVE_DEPTH = 40


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
            where = route_label(self.kind, self.methods, self.path) or func_name
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
        """The function's own scope. Reading it walks the body first when that has not
        happened yet (see `walk_body`), so that what it holds is complete."""
        if self._scope.pending is not None:
            self.walk_body()
        return self._scope

    def walk_body(self) -> None:
        """Collect the body's bindings, calls, awaits and nested functions, once: bodies
        are walked when first needed, not when the module is."""
        scope = self._scope
        if scope.pending is not None:
            body, scope.pending = scope.pending, None
            self.model.collector.walk(scope, body)

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


class NamesFunctions(tuple):
    """A result memoised on the project (see analysis/memo.py) that holds project
    functions, some maybe of other modules: it is forgotten with any of them."""

    def named(self) -> Iterable["FunctionInfo"]:
        raise NotImplementedError


class Functions(NamesFunctions):
    """Project functions, as such a result."""

    def named(self) -> Iterable["FunctionInfo"]:
        return self


TypeRef = Union[str, ClassInfo, None]


def canonical(name: str) -> str:
    if name in catalog.CANONICAL:
        return catalog.CANONICAL[name]
    parts = name.split(".")
    for end in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in catalog.CANONICAL:
            return ".".join([catalog.CANONICAL[prefix], *parts[end:]])
    return name
