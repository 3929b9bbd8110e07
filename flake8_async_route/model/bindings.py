"""The names that statements bind, recorded in their scopes as the walk meets them:
imports, assignment targets (unpacked element by element), parameters, and the `self.x`
and `app.state.x` attributes that assignments set."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .symbols import Binding, Scope, canonical
from .syntax import all_args, argument_defaults

if TYPE_CHECKING:
    from .module import ModuleModel


def bind_import(model: ModuleModel, node, scope: Scope) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            model.imported_modules.add(alias.name)
            if alias.asname:
                scope.bindings[alias.asname].append(
                    Binding("import", node, qualname=canonical(alias.name)))
            else:
                top = alias.name.split(".")[0]
                scope.bindings[top].append(Binding("import", node, qualname=top))
        return
    module = _absolute_module(model, node.level, node.module or "")
    if not module.startswith("."):
        model.imported_modules.add(module)
    for alias in node.names:
        if alias.name == "*":
            continue
        qualname = module + alias.name if module.endswith(".") or not module else \
            f"{module}.{alias.name}"
        scope.bindings[alias.asname or alias.name].append(
            Binding("import", node, qualname=canonical(qualname)))


def _absolute_module(model: ModuleModel, level: int, module: str) -> str:
    """`from ..x import y` inside package a.b → `a.x`; kept relative when unknown."""
    if level == 0:
        return module
    package = model.package.split(".") if model.package else []
    if not model.name or level - 1 > len(package):
        return "." * level + module
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def bind_target(model: ModuleModel, target, scope: Scope, kind: str, value=None,
                annotation=None) -> None:
    if kind == "loop" and not isinstance(target, ast.Name):
        kind, value = "other", None  # `for a, b in ...`: the elements are not followed
    if isinstance(target, ast.Name):
        owner = scope
        if target.id in scope.global_names:
            owner = scope.module()
            model.global_writes.add(target)
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
                bind_target(model, element, scope, "assign", item)
            else:
                bind_target(model, element, scope, "other")
    elif isinstance(target, ast.Starred):
        bind_target(model, target.value, scope, "other")
    elif isinstance(target, ast.Attribute) and kind == "assign":
        if isinstance(target.value, ast.Attribute) and target.value.attr == "state":
            model.state_writes.append((target, value, annotation, scope))
        cls = model.names.self_class(target.value, scope)
        if cls is not None:
            binding = Binding(kind, target, value, annotation)
            cls.attributes[target.attr].append(binding)
            cls.attribute_scopes[binding] = scope


def bind_arguments(args: ast.arguments, scope: Scope) -> None:
    defaults = argument_defaults(args)
    for arg in all_args(args):
        scope.bindings[arg.arg].append(
            Binding("param", arg, defaults.get(arg), annotation=arg.annotation))
