"""The model of one module: what the walk recorded, which function bodies have been walked,
and the questions the rules ask of it. The answers come from the parts it holds."""
from __future__ import annotations

import ast
from typing import Iterator, Optional, Union

from .. import catalog
from .annotations import annotation_type
from .collector import Collector
from .hierarchy import ClassHierarchy
from .names import NameResolver
from .roles import assign_roles, offloaded_functions
from .source import EAGER_MARKERS, has_line_between, marked_lines, relative_to_cwd
from .syntax import callee_name
from ..catalog import lookup_table
from .symbols import Binding, CallSite, ClassInfo, FunctionInfo, Scope, TypeRef
from .types import TypeInference, constructed_classes
from .usage import UsageTypes


_EXPORTED_KINDS = frozenset({"def", "class", "assign", "import"})


class ModuleModel:
    """Everything the rules need to know about one module. It holds `names` (what names
    refer to), `types` (what values are), `usage` (types learned from the project's other
    code) and `hierarchy` (classes through their bases), each memoising its answers."""

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
        self._calls_by_name: dict[Optional[str], list[CallSite]] = {}  # see calls_named
        self._calls_indexed = 0
        self._walked_for: set[tuple] = set()  # markers walk_functions_with was called with
        self.awaited_calls: set[ast.Call] = set()
        self.lambda_call: dict[ast.Lambda, ast.Call] = {}  # lambda → the call it is passed to
        self.consumed_calls: set[ast.Call] = set()  # `with f():`, `for x in f():`
        self.imported_modules: set[str] = set()
        self.source = source  # None when unknown: then every function is walked
        self._eager_lines: Optional[list[int]] = None
        self._offloaded: Optional[set[FunctionInfo]] = None
        self._roles_assigned = False
        self.global_writes: set[ast.Name] = set()  # `global x; x = ...` targets in functions
        # `<app>.state.<name> = value` (target, value, annotation, scope), from walked code
        self.state_writes: list[tuple] = []
        self.last_used = 0  # see Session.keep_within_budget
        self._display_path: Optional[str] = None
        self.includes: list[tuple[str, str, str]] = []  # (parent router, child router, prefix)
        # (path, qualname) of functions of other project modules this one uses as FastAPI
        # dependencies: roles stay within a module, the project index gathers these.
        self.foreign_dependencies: list[tuple[str, str]] = []
        self.names = NameResolver(self)
        self.types = TypeInference(self)
        self.usage = UsageTypes(self)
        self.hierarchy = ClassHierarchy(self)
        self.collector = Collector(self)
        self.collector.walk(self.module_scope, tree.body)
        self.names.global_writers_walked = False

    def forget(self, functions: set, classes: set) -> None:
        """Drop what this model memoised about other modules' functions and classes, which
        are being forgotten (see Session.keep_within_budget)."""
        self.types.forget(classes)
        self.usage.forget(classes)
        if self._offloaded is not None and not self._offloaded.isdisjoint(functions):
            self._offloaded = None
        self.hierarchy.forget(functions)

    def release(self) -> None:
        """Break the model's reference cycles (scopes and their functions, classes, call
        sites and memos point at each other), so that reference counting frees it at once:
        the flake8 plugin keeps long-lived objects away from the cyclic collector. The
        model and everything it made are unusable afterwards."""
        scopes = [self.module_scope, *(f._scope for f in self.functions),
                  *(c.scope for c in self.classes)]
        parts = [self.names, self.types, self.usage, self.hierarchy, self.collector]
        for item in [*scopes, *self.functions, *self.classes, *parts, self]:
            item.__dict__.clear()

    def eager_lines(self) -> Optional[list[int]]:
        """Sorted numbers of the lines matching `EAGER_MARKERS`; None without source."""
        if self._eager_lines is None:
            self._eager_lines = marked_lines(EAGER_MARKERS, self.source)
        return self._eager_lines

    def display_path(self) -> str:
        if self._display_path is None:  # asked for every link and router key
            if self.project is not None and self.path:
                self._display_path = relative_to_cwd(self.path)
            else:
                self._display_path = self.path or "<module>"
        return self._display_path

    def exported_binding(self, name: str) -> Optional[Binding]:
        """What `from <this module> import name` gets: the last module-level definition,
        assignment or import of it (a function's `global` write is not followed)."""
        for binding in reversed(self.module_scope.bindings.get(name, ())):
            if binding.kind in _EXPORTED_KINDS and binding.node not in self.global_writes:
                return binding
        return None

    def exports(self) -> dict[str, tuple[str, Optional[str]]]:
        """(kind, qualname) of the exported binding of every name the module binds."""
        found = ((name, self.exported_binding(name)) for name in self.module_scope.bindings)
        return {name: (b.kind, b.qualname) for name, b in found if b is not None}

    def complete(self) -> None:
        """Walk the pending function bodies that may hold coroutines, registrations or
        offloads (all of them when the source is unknown), nested ones included."""
        self._walk_functions_around(self.eager_lines())

    def walk_functions_with(self, markers: tuple) -> None:
        """Walk the bodies of the functions holding a line with one of the markers (all of
        them when the source is unknown), nested ones included. Once per markers: a
        function met later is nested in one walked then, if it holds such a line."""
        if markers not in self._walked_for:
            self._walked_for.add(markers)
            self._walk_functions_around(marked_lines(markers, self.source))

    def calls_named(self, name: str) -> list[CallSite]:
        """The calls walked so far whose callee is `name` or `<something>.name`: asked for
        every project function whose callers are looked for, in every module naming it."""
        for site in self.all_calls[self._calls_indexed:]:
            self._calls_by_name.setdefault(callee_name(site.node.func), []).append(site)
        self._calls_indexed = len(self.all_calls)
        return self._calls_by_name.get(name, [])

    def _walk_functions_around(self, marked: Optional[list[int]]) -> None:
        if marked == []:
            return
        index = 0
        while index < len(self.functions):  # grows as nested functions are met
            function = self.functions[index]
            node = function.node
            if marked is None or has_line_between(marked, node.lineno, node.end_lineno):
                function.walk_body()
            index += 1

    def assign_roles(self) -> None:
        """Routes, dependencies and other framework roles of this module's functions."""
        if not self._roles_assigned:
            self._roles_assigned = True
            self.complete()
            assign_roles(self)

    @property
    def offloaded(self) -> set[FunctionInfo]:
        """Functions this module hands to a thread offload: ones it knows to be slow."""
        if self._offloaded is None:
            self._offloaded = set()
            if self.eager_lines() != []:
                self.complete()
                for site in self.all_calls:
                    if self.is_offload(site.node, site.scope):
                        self._offloaded.update(offloaded_functions(self, site.node, site.scope))
        return self._offloaded

    # ----- questions the parts answer (see their methods) --------------------------------

    def lookup(self, name: str, scope: Scope) -> tuple[Optional[Scope], list[Binding]]:
        return self.names.lookup(name, scope)

    def resolve(self, expr: ast.expr, scope: Scope, depth: int = 0) -> Optional[str]:
        return self.names.resolve(expr, scope, depth)

    def local_definition(self, expr: ast.expr, scope: Scope):
        return self.names.local_definition(expr, scope)

    def assigned_values(self, expr: ast.expr, scope: Scope) -> list[tuple[ast.expr, Scope]]:
        return self.names.assigned_values(expr, scope)

    def alternative_sites(self, site: CallSite) -> list[CallSite]:
        return self.names.alternative_sites(site)

    def type_of(self, expr: ast.expr, scope: Scope, depth: int = 0) -> TypeRef:
        return self.types.type_of(expr, scope, depth)

    def constructed_classes(self, expr: ast.expr, scope: Scope) -> list:
        return constructed_classes(self, expr, scope)

    def annotation_type(self, annotation: ast.expr, scope: Scope, depth: int = 0) -> TypeRef:
        return annotation_type(self, annotation, scope, depth)

    def method(self, cls: ClassInfo, name: str) -> Optional[FunctionInfo]:
        return self.hierarchy.method(cls, name)

    def implementations(self, method: FunctionInfo) -> list[FunctionInfo]:
        return self.hierarchy.implementations(method)

    def class_bases(self, cls: ClassInfo) -> list[str]:
        return self.hierarchy.class_bases(cls)

    # ----- calls -------------------------------------------------------------------------

    def call_name(self, call: ast.Call, scope: Scope, depth: int = 0) -> Optional[str]:
        """The catalog name of a call: `module.function`, or `Type.method` when the
        receiver's type is known, or `Type.__call__` for calling an instance."""
        func = call.func
        if isinstance(func, ast.Attribute):
            receiver = self.types.type_of(func.value, scope, depth + 1)
            if isinstance(receiver, str) and receiver != catalog.APP_STATE:
                return f"{catalog.SESSION_PROXIES.get(receiver, receiver)}.{func.attr}"
            if isinstance(receiver, ClassInfo):
                return None
        if isinstance(func, (ast.Name, ast.Attribute)):
            instance = self.types.type_of(func, scope, depth + 1)  # `SessionLocal()`
            if isinstance(instance, str):
                return f"{instance}.__call__"
        name = self.names.resolve(func, scope, depth + 1)
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
