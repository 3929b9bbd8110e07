"""Types that a module's own code leaves open, learned from how the rest of the project
uses what it defines: what calls of a class pass to an unannotated `__init__` parameter, and
what the project assigns to `app.state.<name>`."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, Optional

from .annotations import annotation_type
from .symbols import CallSite, ClassInfo, Scope, TypeRef

if TYPE_CHECKING:
    from .module import ModuleModel


class UsageTypes:
    """For one module: the types its users agree on, memoised."""

    def __init__(self, model: ModuleModel):
        self.model = model
        self._argument_memo: dict[ast.arg, TypeRef] = {}
        self._state_walked = False

    def forget(self, classes: set) -> None:
        """Drop the memoised answers that are forgotten classes."""
        self._argument_memo = {arg: found for arg, found in self._argument_memo.items()
                               if not isinstance(found, ClassInfo) or found not in classes}

    def constructor_argument_type(self, arg: ast.arg, scope: Scope, depth: int) -> TypeRef:
        """An unannotated `__init__` parameter: the one type the project's calls of the
        class pass for it (`Service(boto3.client("s3"))`), None when they disagree."""
        function = scope.function
        if function is None or function.cls is None or function.name != "__init__":
            return None
        if arg in self._argument_memo:
            return self._argument_memo[arg]
        self._argument_memo[arg] = None  # a call passing the parameter on to its own class
        args = function.node.args
        positional = [*args.posonlyargs, *args.args]
        position = positional.index(arg) - 1 if arg in positional else None
        keyword = None if arg in args.posonlyargs else arg.arg
        known = []
        if position != -1 and arg not in (args.vararg, args.kwarg):
            for model, site in self._constructions(function.cls):
                passed = _passed_argument(site.node, position, keyword)
                found = None if passed is None else model.types.type_of(passed, site.scope,
                                                                        depth + 1)
                if found is not None and found not in known:
                    known.append(found)
        self._argument_memo[arg] = result = known[0] if len(known) == 1 else None
        return result

    def _constructions(self, cls: ClassInfo) -> Iterator[tuple[ModuleModel, CallSite]]:
        """The calls of this module's class in the project: `Service(...)`, `cls(...)`."""
        models = [self.model]
        if self.model.project is not None:
            models = self.model.project.models_mentioning(cls.name, origin=self.model)
            if self.model not in models:
                models.append(self.model)
        for model in models:
            model.walk_functions_with((cls.name, "cls(") if model is self.model else (cls.name,))
            for site in list(model.all_calls):
                func = site.node.func
                named = func.attr if isinstance(func, ast.Attribute) else \
                    getattr(func, "id", None)
                if named == cls.name and model.names.local_definition(func, site.scope) is cls:
                    yield model, site
                elif named == "cls" and model is self.model and \
                        model.names.self_class(func, site.scope) is cls:
                    yield model, site

    def app_state_types(self, attr: str, depth: int) -> list:
        """The types of what this module assigns to `app.state.<attr>` (in a lifespan, a
        startup handler, an app factory), None for the values it cannot type."""
        if not self._state_walked:
            self._state_walked = True
            self.model.walk_functions_with((".state.",))
        found = []
        for target, value, annotation, scope in self.model.state_writes:
            if target.attr == attr and self._is_app(target.value.value, scope, depth):
                typed = None
                if annotation is not None:
                    typed = annotation_type(self.model, annotation, scope, depth + 1)
                found.append(typed or self.model.types.type_of(value, scope, depth + 1))
        return found

    def _is_app(self, expr: ast.expr, scope: Scope, depth: int) -> bool:
        """A FastAPI or Starlette application: typed as one, or a lifespan's parameter
        named `app` that carries no annotation."""
        if self.model.types.type_of(expr, scope, depth + 1) == "fastapi.FastAPI":
            return True
        if isinstance(expr, ast.Name) and expr.id == "app":
            _, bindings = self.model.names.lookup(expr.id, scope)
            return any(b.kind == "param" and b.annotation is None for b in bindings)
        return False

    def app_state_type(self, attr: str, depth: int) -> TypeRef:
        """`request.app.state.<attr>`: the one type the project's assignments agree on."""
        models = [self.model]
        if self.model.project is not None:
            models = self.model.project.models_mentioning(".state.", origin=self.model)
            if self.model not in models:
                models.append(self.model)
        known = []
        for model in models:
            for found in model.usage.app_state_types(attr, depth + 1):
                if found is not None and found not in known:
                    known.append(found)
        return known[0] if len(known) == 1 else None


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
