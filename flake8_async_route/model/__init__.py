"""The shared model of one module: one walk over the tree records scopes, bindings, call
sites and framework registrations; resolution (qualified names, instance types) is lazy and
memoised on top of it. Rules only read this model.

symbols (what is recorded), collector and bindings (the walk), names, types, annotations,
usage and hierarchy (the answers), roles (framework roles), module (ModuleModel)."""
from .module import ModuleModel
from .source import has_line_between, relative_to_cwd
from .symbols import (FUNCTION_NODES, ROLE_NAMES, THREADABLE_ROLES, Binding, CallSite,
                      ClassInfo, FunctionInfo, Functions, NamesFunctions, Role, Scope, TypeRef,
                      canonical)

__all__ = ["FUNCTION_NODES", "ROLE_NAMES", "THREADABLE_ROLES", "Binding", "CallSite",
           "ClassInfo", "FunctionInfo", "Functions", "ModuleModel", "NamesFunctions", "Role",
           "Scope", "TypeRef", "canonical", "has_line_between", "relative_to_cwd"]
