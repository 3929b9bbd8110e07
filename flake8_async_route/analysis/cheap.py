"""Calls proven cheap: APIs the catalog or the configuration calls cheap, and project code
that makes only such calls."""
from __future__ import annotations

import ast
import re

from .. import catalog
from ..catalog import lookup_table
from ..model import CallSite, ClassInfo, FunctionInfo, ModuleModel
from .context import no_disk_involved
from .run_once import is_memoised, parameters
from .search import BlockingSearch
from .syntax import last_identifier

_LOGGER_NAME = re.compile(r"(^|_)(log|logger|logging)$", re.IGNORECASE)


class CheapCalls:
    def __init__(self, model: ModuleModel, search: BlockingSearch):
        self.model = model  # the module analysed
        self.search = search
        self.config = search.config

    def verdict(self, site: CallSite) -> str:
        """'blocking', 'cheap' or 'unknown' for one call."""
        if self.search.blocking_of(site) is not None:
            return "blocking"
        if any(not f.is_async and self.search.blocking_chain(f)
               for f, _ in self.search.runs(site)):
            return "blocking"
        target = self.search.callee(site)
        if target is not None and target in self.model.offloaded:
            return "unknown"  # this module hands it to a thread elsewhere: it knows it is slow
        return "cheap" if self.is_cheap(site) else "unknown"

    def is_cheap(self, site: CallSite) -> bool:
        call, scope = site.node, site.scope
        model = scope.owner_model()
        name = model.call_name(call, scope)
        if name and not name.startswith("?."):
            if no_disk_involved(site, name):
                return True  # an in-memory buffer or a virtual file system
            if name in catalog.NOT_CHEAP_BUILTINS:
                return False
            if self.config.is_cheap(name) or lookup_table(catalog.CHEAP, name):
                return True
        local = model.local_definition(call.func, scope)
        if isinstance(local, FunctionInfo):
            if local.is_generator and call not in model.consumed_calls:
                return True  # only creates the generator
            return self.function_is_cheap(local)
        if isinstance(local, ClassInfo):
            return self.class_is_cheap(local)
        if isinstance(call.func, ast.Attribute):
            if _is_super_call(call.func.value, model, scope):
                return self._super_method_is_cheap(call.func.attr, scope)
            return self._method_is_cheap(model, call.func, scope)
        return False

    def _super_method_is_cheap(self, method: str, scope) -> bool:
        """`super().__init__(...)`: the bases' method, or a base the catalog calls cheap."""
        function = scope.function
        cls = function.cls if function is not None else None
        if cls is None:
            return False
        owner = cls.scope.owner_model()
        for base in cls.node.bases:
            base_cls = owner.local_definition(base, cls.scope.parent)
            if isinstance(base_cls, ClassInfo):
                found = owner.method(base_cls, method)
                if found is not None and not self.function_is_cheap(found):
                    return False
                if found is None and not self.class_is_cheap(base_cls):
                    return False
                continue
            name = owner.resolve(base, cls.scope.parent)
            if not name or not (lookup_table(catalog.CHEAP, name) or name in catalog.PLAIN_BASES):
                return False
        return True

    def _method_is_cheap(self, model: ModuleModel, func: ast.Attribute, scope) -> bool:
        method = func.attr
        receiver = model.type_of(func.value, scope)
        if isinstance(receiver, ClassInfo):
            # Not defined in the class: inherited from a library base such as BaseModel.
            return method in catalog.CHEAP_METHODS
        if isinstance(receiver, str):
            return receiver.startswith("builtins.") and method in catalog.CHEAP_METHODS
        if method in catalog.LOGGING_METHODS:
            return bool(_LOGGER_NAME.search(last_identifier(func.value)))
        return method in catalog.CHEAP_METHODS and method not in catalog.AMBIGUOUS_CHEAP_METHODS

    def class_is_cheap(self, cls: ClassInfo) -> bool:
        """Constructing it is cheap: its own `__init__` is, and its bases are cheap
        classes of the project or APIs the catalog calls cheap."""
        owner = cls.scope.owner_model()
        init = owner.method(cls, "__init__")
        if init is not None:
            return self.function_is_cheap(init)
        for base in cls.node.bases:
            base_cls = owner.local_definition(base, cls.scope.parent)
            if isinstance(base_cls, ClassInfo):
                if base_cls is not cls and not self.class_is_cheap(base_cls):
                    return False
                continue
            name = owner.resolve(base, cls.scope.parent)
            if name and not lookup_table(catalog.CHEAP, name) and name not in catalog.PLAIN_BASES:
                return False
        return True

    def function_is_cheap(self, function: FunctionInfo) -> bool:
        # Recursion is assumed cheap while the rest of the cycle is being proven.
        return self.search.memo.cycle_safe((self.config, "cheap", function),
                                           lambda: self._function_is_cheap(function), True)

    def _function_is_cheap(self, function: FunctionInfo) -> bool:
        if function in function.model.offloaded:
            return False  # its own module runs it in a thread: the authors know it is slow
        if function.is_async or (is_memoised(function) and not parameters(function)):
            return True  # calling it only creates a coroutine, or its work is done once
        return all(self.is_cheap(site) for site in self.search.per_call_sites(function))


def _is_super_call(expr: ast.expr, model: ModuleModel, scope) -> bool:
    return isinstance(expr, ast.Call) and model.resolve(expr.func, scope) == "builtins.super"
