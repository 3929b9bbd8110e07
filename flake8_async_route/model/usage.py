"""Types that a module's own code leaves open, learned from how the rest of the project
uses what it defines: what calls of a class pass to an unannotated `__init__` parameter, and
what the project assigns to `app.state.<name>`."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from .annotations import annotation_type
from .syntax import callee_name
from .symbols import CallSite, ClassInfo, FunctionInfo, Scope, TypeRef

if TYPE_CHECKING:
    from .module import ModuleModel


class UsageTypes:
    """For one module: the types its users agree on, memoised."""

    def __init__(self, model: ModuleModel):
        self.model = model
        self._argument_memo: dict = {}  # by parameter, or (function node, `**kwargs` key)
        self._state_walked = False

    def forget(self, classes: set) -> None:
        """Drop the memoised answers that are forgotten classes."""
        self._argument_memo = {arg: found for arg, found in self._argument_memo.items()
                               if not isinstance(found, ClassInfo) or found not in classes}

    def argument_type(self, arg: ast.arg, scope: Scope, depth: int) -> TypeRef:
        """An unannotated parameter of a project function, typed by what the project's calls
        pass for it: for `__init__`, the one type the calls of the class that show it agree
        on (`Service(boto3.client("s3"))`); for another function, the type every call that
        passes it passes (`commit(session)`), None when one passes a value of unknown type."""
        function = scope.function
        if function is None or isinstance(function.node, ast.Lambda) or \
                arg in (function.node.args.vararg, function.node.args.kwarg):
            return None
        args = function.node.args
        positional = [*args.posonlyargs, *args.args]
        bound_first = _binds_first(function)
        if bound_first and positional[:1] == [arg]:
            return None  # `self`, `cls`
        position = positional.index(arg) - bound_first if arg in positional else None
        keyword = None if arg in args.posonlyargs else arg.arg
        return self._passed_type(function, arg, position, keyword, depth)

    def keyword_type(self, function: FunctionInfo, keyword: str, depth: int) -> TypeRef:
        """`kwargs.get("session")` in a function taking `**kwargs`: the type every call of
        it that passes `session=` passes."""
        return self._passed_type(function, (function.node, keyword), None, keyword, depth)

    def _passed_type(self, function: FunctionInfo, key, position: Optional[int],
                     keyword: Optional[str], depth: int) -> TypeRef:
        if key in self._argument_memo:
            return self._argument_memo[key]
        self._argument_memo[key] = None  # a call passing the parameter on to its own function
        every_call = function.name != "__init__"
        known = []
        for model, site in self._calls_of(function):
            if every_call and _may_pass_unseen(site, model, function):
                known = []
                break
            passed = _passed_argument(site.node, position, keyword)
            if passed is None:
                continue  # left to its default, or not shown
            found = model.types.type_of(passed, site.scope, depth + 1)
            if found is None and every_call:
                known = []
                break
            if found is not None and found not in known:
                known.append(found)
        self._argument_memo[key] = result = known[0] if len(known) == 1 else None
        return result

    def _calls_of(self, function: FunctionInfo) -> Iterator[tuple[ModuleModel, CallSite]]:
        """The calls of a project function, or of its class for `__init__`."""
        if function.cls is not None and function.name == "__init__":
            yield from self._constructions(function.cls)
            return
        models: Iterable[ModuleModel] = [self.model]
        if self.model.project is not None:
            # A method is called through an instance, whose type may come from anywhere.
            reaching = (self.model.name, function.name) \
                if function.cls is None and self.model.name else None
            # A `get(` method is named in most files, and called in few: see Project.answer.
            node = function.node
            models = _and_own(self.model, self.model.project.search.models_answering(
                function.name + "(", self.model, reaching,
                ("calls", self.model.path, node.lineno, node.col_offset),
                lambda model: bool(_sites_calling(model, function)), bool))
        for model in models:
            for site in _sites_calling(model, function):
                yield model, site

    def _constructions(self, cls: ClassInfo) -> Iterator[tuple[ModuleModel, CallSite]]:
        """The calls of this module's class in the project: `Service(...)`, `cls(...)`."""
        models = [self.model]
        if self.model.project is not None:
            reaching = (self.model.name, cls.name) if self.model.name else None
            models = self.model.project.search.models_mentioning(cls.name, self.model, reaching)
            if self.model not in models:
                models.append(self.model)
        for model in models:
            aliases = _generic_aliases(model, cls.name)
            markers = (cls.name, *aliases)
            model.walk_functions_with((*markers, "cls(") if model is self.model else markers)
            names = [*markers, "cls"] if model is self.model else markers
            for site in [s for name in dict.fromkeys(names) for s in model.calls_named(name)]:
                func = site.node.func
                named = callee_name(func)
                if (named == cls.name or named in aliases) and \
                        model.names.local_definition(func, site.scope) is cls:
                    yield model, site
                elif named == "cls" and model is self.model and \
                        model.names.self_class(func, site.scope) is cls:
                    yield model, site

    def assigned_state_attributes(self) -> frozenset[str]:
        """The `<x>.state.<attr>` this module assigns, whatever `x` is."""
        self._walk_state_writes()
        return frozenset(target.attr for target, _, _, _ in self.model.state_writes)

    def _walk_state_writes(self) -> None:
        if not self._state_walked:
            self._state_walked = True
            self.model.walk_functions_with((".state.",))

    def app_state_types(self, attr: str, depth: int) -> list:
        """The types of what this module assigns to `app.state.<attr>` (in a lifespan, a
        startup handler, an app factory), None for the values it cannot type."""
        self._walk_state_writes()
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
            # Most files naming it read it (`request.app.state.config`): see Project.answer.
            models = list(self.model.project.search.models_answering(
                f".state.{attr}", self.model, None, "state", _assigned_state_attributes,
                lambda found: attr in (found or ())))
            if self.model not in models:
                models.append(self.model)
        known = []
        for model in models:
            for found in model.usage.app_state_types(attr, depth + 1):
                if found is not None and found not in known:
                    known.append(found)
        return known[0] if len(known) == 1 else None


def _assigned_state_attributes(model: ModuleModel) -> frozenset[str]:
    return model.usage.assigned_state_attributes()


def _and_own(own: ModuleModel, models: Iterable[ModuleModel]) -> Iterator[ModuleModel]:
    """The models, then the module's own model unless it was among them."""
    seen = False
    for model in models:
        seen = seen or model is own
        yield model
    if not seen:
        yield own


def _sites_calling(model: ModuleModel, function: FunctionInfo) -> list[CallSite]:
    model.walk_functions_with((function.name + "(",))
    return [site for site in list(model.calls_named(function.name))
            if model.names.local_definition(site.node.func, site.scope) is function]


def _binds_first(function: FunctionInfo) -> bool:
    """Whether calls bind the method's first parameter (`self`, `cls`) themselves."""
    if function.cls is None or function.scope.parent is not function.cls.scope:
        return False
    return not any(getattr(d, "id", None) == "staticmethod" for d in function.node.decorator_list)


def _may_pass_unseen(site: CallSite, model: ModuleModel, function: FunctionInfo) -> bool:
    """Whether a call may pass a parameter the analysis cannot place: through `*args` or
    `**kwargs`, or positionally to a method called on its class (`Repo.save(repo, x)`)."""
    call = site.node
    if any(isinstance(a, ast.Starred) for a in call.args) or \
            any(k.arg is None for k in call.keywords):
        return True
    func = call.func
    if not (_binds_first(function) and isinstance(func, ast.Attribute)):
        return False
    called_on_class = isinstance(model.names.local_definition(func.value, site.scope), ClassInfo)
    return called_on_class and not any(
        getattr(d, "id", None) == "classmethod" for d in function.node.decorator_list)


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


def _generic_aliases(model: ModuleModel, class_name: str) -> set:
    """The module-level `RunCollection = Collection[Run]` names of a class in a module:
    calls of them construct it."""
    return {statement.targets[0].id for statement in model.tree.body
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Subscript)
            and isinstance(statement.value.value, ast.Name)
            and statement.value.value.id == class_name}
