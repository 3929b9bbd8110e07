"""Classes of the project: their methods through base classes, abstract methods and the
concrete methods that implement them."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from .symbols import ClassInfo, FunctionInfo, Scope

if TYPE_CHECKING:
    from .module import ModuleModel


class ClassHierarchy:
    """Questions about one module's classes that follow their base classes."""

    def __init__(self, model: ModuleModel):
        self.model = model
        self._implementations: dict[FunctionInfo, list[FunctionInfo]] = {}

    def forget(self, functions: set) -> None:
        """Drop the memoised implementations that name forgotten functions."""
        self._implementations = {method: found for method, found in self._implementations.items()
                                 if functions.isdisjoint(found)}

    def method(self, cls: ClassInfo, name: str, depth: int = 0) -> Optional[FunctionInfo]:
        if name in cls.methods:
            return cls.methods[name]
        if depth < 10:
            for base in cls.node.bases:
                owner = cls.scope.owner_model()
                base_cls = owner.names.local_definition(base, cls.scope.parent)
                if isinstance(base_cls, ClassInfo) and base_cls is not cls:
                    found = owner.hierarchy.method(base_cls, name, depth + 1)
                    if found:
                        return found
        return None

    def is_abstract(self, function: FunctionInfo) -> bool:
        """A method with nothing to run: `@abstractmethod`, or a body of `...`, `pass`, a
        docstring or `raise NotImplementedError`."""
        if function.cls is None or isinstance(function.node, ast.Lambda):
            return False
        for decorator in function.node.decorator_list:
            if (self.model.names.resolve(decorator, function.parent) or "").endswith(
                    "abstractmethod"):
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
        models = [self.model]
        if self.model.project is not None:
            word = f"def {method.name}" if protocol else interface.name
            models = self.model.project.search.models_mentioning(word, origin=self.model)
            if self.model not in models:
                models.append(self.model)
        found = []
        for model in sorted(models, key=lambda m: m.path):
            # Classes inside functions are known only once those are walked: left out.
            for cls in (c for c in model.classes if not _inside_a_function(c.scope)):
                concrete = cls.methods.get(method.name)
                if cls is interface or concrete is None or \
                        model.hierarchy.is_abstract(concrete):
                    continue
                if model.hierarchy.derives_from(cls, interface) or (
                        protocol and required <= set(cls.methods)
                        and _arity(concrete) == _arity(method)):
                    found.append(concrete)
        return found

    def derives_from(self, cls: ClassInfo, ancestor: ClassInfo, depth: int = 0) -> bool:
        """Whether this module's class has `ancestor` among its project base classes."""
        if depth > 10:
            return False
        for base in cls.node.bases:
            base_cls = self.model.names.local_definition(base, cls.scope.parent)
            if base_cls is ancestor:
                return True
            if isinstance(base_cls, ClassInfo) and base_cls is not cls:
                base_hierarchy = base_cls.scope.owner_model().hierarchy
                if base_hierarchy.derives_from(base_cls, ancestor, depth + 1):
                    return True
        return False

    def class_bases(self, cls: ClassInfo) -> list[str]:
        resolve = self.model.names.resolve
        return [name for name in (resolve(b, cls.scope.parent) for b in cls.node.bases)
                if name]


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
