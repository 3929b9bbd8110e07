"""Framework roles: which functions of a module FastAPI or Starlette runs as routes,
dependencies, middleware, handlers, lifespans or background tasks (from decorators, base
classes and registration calls), and which ones the module hands to a thread."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from .. import catalog
from .symbols import CallSite, ClassInfo, FunctionInfo, Role, Scope, canonical
from .syntax import argument_defaults, string_value

if TYPE_CHECKING:
    from .module import ModuleModel


def assign_roles(model: ModuleModel) -> None:
    fastapi_like = not model.imports_module(*catalog.OTHER_WEB_FRAMEWORKS)
    for function in model.functions:
        for decorator in getattr(function.node, "decorator_list", ()):
            _decorator_role(model, function, decorator, fastapi_like)
    for cls in model.classes:
        _class_roles(model, cls)
    for site in model.all_calls:
        _call_roles(model, site)
    for function in model.functions:
        _class_dependencies_in_defaults(model, function)


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
        found = tuple(s.upper() for s in map(string_value, listed.elts) if s)
        if found:
            return found
    return default


def _router_prefix(model: ModuleModel, receiver: ast.expr, scope: Scope) -> str:
    if isinstance(receiver, ast.Name):
        _, bindings = model.lookup(receiver.id, scope)
        for binding in bindings:
            if isinstance(binding.value, ast.Call):
                return string_value(_keyword(binding.value, "prefix")) or ""
    return ""


def _router_key(model: ModuleModel, expr: ast.expr, scope: Scope) -> Optional[str]:
    """`file::variable` for a module-level router or app object, the same whichever
    module refers to it; the qualified name when the object is not in the project."""
    if isinstance(expr, ast.Name):
        owner, bindings = model.lookup(expr.id, scope)
        if owner is model.module_scope and any(b.kind == "assign" for b in bindings):
            return f"{model.display_path()}::{expr.id}"
    foreign = model.names.project_definition(expr, scope)
    if foreign is not None and foreign.kind == "assign":
        return f"{foreign.display_path}::{foreign.name}"
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
    path = string_value(_argument(decorator, 0, "path"))
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
        path = string_value(_argument(call, 0, "path"))
        give(_argument(call, 1, "endpoint"), Role("route", _methods(call, ("GET",)), path))
    elif attr in catalog.WEBSOCKET_REGISTRARS or name in catalog.WEBSOCKET_ROUTE_CLASSES:
        path = string_value(_argument(call, 0, "path"))
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
            model.includes.append((parent, child, string_value(_keyword(call, "prefix")) or ""))
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


def offloaded_functions(model: ModuleModel, call: ast.Call, scope: Scope) -> list:
    """The functions a thread offload call hands to a thread: ones the project itself
    knows to be slow."""
    found = []
    for argument in call.args:
        if isinstance(argument, ast.Lambda):
            body_calls = [n for n in ast.walk(argument.body) if isinstance(n, ast.Call)]
            targets = [model.local_definition(c.func, scope) for c in body_calls]
        else:
            targets = [_callable_target(model, argument, scope)]
        found.extend(t for t in targets if isinstance(t, FunctionInfo))
    return found


def _class_dependencies_in_defaults(model: ModuleModel, function: FunctionInfo) -> None:
    """`commons: CommonQueryParams = Depends()`: the annotation's class is the dependency."""
    for arg, default in argument_defaults(function.node.args).items():
        if (isinstance(default, ast.Call) and not default.args
                and _keyword(default, "dependency") is None
                and model.resolve(default.func, function.parent) in catalog.DEPENDS
                and arg.annotation is not None):
            cls = model.local_definition(arg.annotation, function.parent)
            if isinstance(cls, ClassInfo):
                init = model.method(cls, "__init__")
                if init is not None and init.model is model:
                    init.roles.append(Role("dependency"))
