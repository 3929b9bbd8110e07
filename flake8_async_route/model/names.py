"""What names refer to: the bindings a name sees from a scope, the qualified name an
expression stands for, and the functions and classes of the project it names."""
from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING, Optional

from .symbols import MAX_RESOLVE_DEPTH, Binding, CallSite, ClassInfo, Scope, canonical
from .syntax import string_value

if TYPE_CHECKING:
    from .module import ModuleModel

BUILTIN_NAMES = frozenset(dir(builtins))


class NameResolver:
    """Name resolution for one module, memoised."""

    def __init__(self, model: ModuleModel):
        self.model = model
        # Functions add the module-level names they declare `global` when they are walked;
        # the module's own statements are walked first, in the model's constructor.
        self.global_writers_walked = True
        self._resolve_memo: dict[ast.AST, Optional[str]] = {}
        self._getattr_attributes: dict[ast.Call, ast.Attribute] = {}
        self._alternative_sites: dict[ast.Call, list[CallSite]] = {}

    def lookup(self, name: str, scope: Scope) -> tuple[Optional[Scope], list[Binding]]:
        current: Optional[Scope] = scope
        if name in scope.global_names:
            current = scope.module()
        while current is not None:
            if current.parent is None and not self.global_writers_walked:
                self._walk_global_writers()
            if name in current.bindings and (current is scope or current.kind != "class"):
                return current, current.bindings[name]
            current = current.parent
        return None, []

    def _walk_global_writers(self) -> None:
        """Walk the functions that may rebind module names (`global _db; _db = SQLDB()`),
        so that the module scope holds every binding of them."""
        self.global_writers_walked = True
        self.model.walk_functions_with(("global ",))

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
            elif isinstance(expr, ast.Call) and self.getattr_attribute(expr, scope, depth):
                result = self.resolve(self.getattr_attribute(expr, scope, depth), scope,
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

    def getattr_attribute(self, call: ast.Call, scope: Scope,
                          depth: int = 0) -> Optional[ast.Attribute]:
        """`obj.name` for `getattr(obj, "name"[, default])`; None for any other call (a
        name that is not a string constant says nothing)."""
        if call in self._getattr_attributes:
            return self._getattr_attributes[call]
        found = None
        if len(call.args) in (2, 3) and not call.keywords and \
                string_value(call.args[1]) is not None and \
                self.resolve(call.func, scope, depth + 1) == "builtins.getattr":
            found = ast.copy_location(
                ast.Attribute(value=call.args[0], attr=call.args[1].value, ctx=ast.Load()),
                call)
        self._getattr_attributes[call] = found
        return found

    def self_class(self, receiver: ast.expr, scope: Scope) -> Optional[ClassInfo]:
        """The class of `self`/`cls` when receiver is a method's first parameter."""
        if not isinstance(receiver, ast.Name):
            return None
        owner, _ = self.lookup(receiver.id, scope)  # a closure may use its method's `self`
        function = owner.function if owner is not None else None
        if function is None or function.cls is None:
            return None
        if self.receiver_parameter(function) == receiver.id:
            return function.cls
        return None

    def receiver_parameter(self, function) -> Optional[str]:
        """The name of the parameter a method call binds to the instance or class (`self`,
        `cls`); None for a staticmethod, whose first parameter is an ordinary argument."""
        if function.cls is None or isinstance(function.node, ast.Lambda) or \
                self.decorated_with(function, "builtins.staticmethod"):
            return None
        args = function.node.args.posonlyargs + function.node.args.args
        return args[0].arg if args else None

    def decorated_with(self, function, name: str) -> bool:
        return any(self.resolve(decorator, function.parent) == name
                   for decorator in function.node.decorator_list)

    # ----- the project's functions and classes -----------------------------------------

    def local_definition(self, expr: ast.expr, scope: Scope):
        """The FunctionInfo or ClassInfo of the project an expression names, if any."""
        if isinstance(expr, ast.Call) and self.getattr_attribute(expr, scope):
            expr = self.getattr_attribute(expr, scope)
        if isinstance(expr, ast.Name):
            owner, bindings = self.lookup(expr.id, scope)
            bindings = [b for b in bindings if not self._is_overload_stub(b, owner)]
            if len(bindings) == 1:
                return self.definition_of_binding(bindings[0])
            return None
        if isinstance(expr, ast.Attribute):
            foreign = self.project_binding(expr, scope)
            found = foreign[0].names.definition_of_binding(foreign[1]) if foreign else None
            if found is not None:
                return found
            receiver = expr.value
            cls = self.self_class(receiver, scope) or self.local_definition(receiver, scope)
            if not isinstance(cls, ClassInfo):
                cls = self.model.types.type_of(receiver, scope)
            if isinstance(cls, ClassInfo):
                return cls.scope.owner_model().hierarchy.method(cls, expr.attr)
        return None

    def _is_overload_stub(self, binding: Binding, owner: Scope) -> bool:
        """`@typing.overload` signatures: the real definition follows them."""
        decorators = binding.node.decorator_list if binding.kind == "def" else ()
        return any((self.resolve(d, owner) or "").endswith("overload") for d in decorators)

    def definition_of_binding(self, binding: Binding):
        """The FunctionInfo or ClassInfo a binding of this module defines or imports."""
        model = self.model
        if binding.kind in ("def", "class"):
            return model.function_by_node.get(binding.node) or \
                model.class_by_node.get(binding.node)
        if binding.kind == "assign" and isinstance(binding.value, ast.Lambda):
            return model.function_by_node.get(binding.value)
        if binding.kind == "assign" and isinstance(binding.value, ast.Subscript) and \
                isinstance(binding.node, ast.Name):
            # `RunCollection = Collection[Run]`: calling the alias constructs the class
            generic = binding.value.value
            _, bindings = self.lookup(generic.id, model.module_scope) \
                if isinstance(generic, ast.Name) else (None, [])
            found = self.definition_of_binding(bindings[0]) if len(bindings) == 1 and \
                bindings[0].kind in ("class", "import") else None
            return found if isinstance(found, ClassInfo) else None
        if binding.kind == "import" and model.project is not None:
            foreign = model.project.lookup(binding.qualname, model)
            if foreign is not None and foreign[1].kind != "import":
                return foreign[0].names.definition_of_binding(foreign[1])
        return None

    def project_binding(self, expr: ast.expr, scope: Scope):
        """(model, binding) of the project module-level name `expr` refers to, if any."""
        if self.model.project is None:
            return None
        name = self.resolve(expr, scope)
        return self.model.project.lookup(name, self.model) if name else None

    def project_definition(self, expr: ast.expr, scope: Scope):
        """Where the project module-level name `expr` refers to is defined, if it is one
        (see Project.definition_site): no model of the defining module is held for it."""
        if self.model.project is None:
            return None
        name = self.resolve(expr, scope)
        return self.model.project.definition_site(name, self.model) if name else None

    # ----- values --------------------------------------------------------------------------

    def assigned_values(self, expr: ast.expr, scope: Scope) -> list[tuple[ast.expr, Scope]]:
        """(value, scope it is evaluated in) of every assignment the analysis sees to a
        name or to an attribute of an instance of a project class; empty when one of them
        is not a plain `x = value` (a parameter, an import, an unpacking, ...). A
        declaration without a value (`x: T`) assigns nothing."""
        if isinstance(expr, ast.Name):
            owner, bindings = self.lookup(expr.id, scope)
            candidates = [(b, owner) for b in bindings]
        elif isinstance(expr, ast.Attribute):
            receiver = expr.value
            cls = self.self_class(receiver, scope) or self.model.types.type_of(receiver, scope)
            if not isinstance(cls, ClassInfo):
                return []
            candidates = attribute_bindings(cls, expr.attr)
        else:
            return []
        values = []
        for binding, owner in candidates:
            if binding.kind != "assign":
                return []
            if binding.value is not None:
                values.append((binding.value, owner))
        return values

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
            return self.literal_elements(func.value, scope)[index.value: index.value + 1]
        if not isinstance(func, ast.Name):
            return []
        owner, bindings = self.lookup(func.id, scope)
        if len(bindings) != 1 or bindings[0].kind != "loop":
            return []
        return self.literal_elements(bindings[0].value, owner)

    def literal_elements(self, expr: ast.expr, scope: Scope, depth: int = 0) -> list:
        """(element, scope) of a list, tuple or set written out, or of a name bound once
        to one."""
        if isinstance(expr, ast.Name) and depth < MAX_RESOLVE_DEPTH:
            owner, bindings = self.lookup(expr.id, scope)
            if len(bindings) == 1 and bindings[0].kind == "assign" and \
                    bindings[0].value is not None and bindings[0].annotation is None:
                return self.literal_elements(bindings[0].value, owner, depth + 1)
            return []
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and \
                not any(isinstance(e, ast.Starred) for e in expr.elts):
            return [(element, scope) for element in expr.elts]
        return []


def attribute_bindings(cls: ClassInfo, attr: str) -> list[tuple[Binding, Scope]]:
    """(binding, scope) of `self.<attr>` in the class's methods, then of `<attr>` in the
    class body. The methods are walked first: `self.x = ...` is set in their bodies."""
    for method in cls.methods.values():
        method.walk_body()
    candidates = [(b, cls.attribute_scopes[b]) for b in cls.attributes.get(attr, ())]
    candidates += [(b, cls.scope) for b in cls.scope.bindings.get(attr, ())]
    return candidates


def _is_placeholder(binding: Binding) -> bool:
    """`X = None` next to `import X` in a try/except: a stand-in, not a rebinding."""
    return (binding.kind == "assign" and isinstance(binding.value, ast.Constant)
            and binding.value.value is None)
