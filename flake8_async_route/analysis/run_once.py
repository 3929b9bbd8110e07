"""Work paid once, not on every request: memoised functions called the same way every
time, and the calls behind a guard that fills a cache (`if self._x is None: self._x =
load()`)."""
from __future__ import annotations

import ast
from typing import Optional

from .. import catalog
from ..catalog import lookup_table
from ..model import FunctionInfo
from .syntax import blocks, own_statements, shape


def is_memoised(function: FunctionInfo) -> bool:
    """`@functools.lru_cache`, `@functools.cache`, `@cached_property` and the like."""
    model = function.model
    for decorator in getattr(function.node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = model.resolve(target, function.parent)
        if name and lookup_table(catalog.MEMOISING_DECORATORS, name):
            return True
    return False


def parameters(function: FunctionInfo) -> list[ast.arg]:
    """Its parameters but `self`/`cls`."""
    args = function.node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs,
              *(a for a in (args.vararg, args.kwarg) if a is not None)]
    if function.cls is not None and params and params[0].arg in ("self", "cls"):
        params = params[1:]
    return params


def same_arguments_every_time(call: ast.Call, function: FunctionInfo) -> bool:
    """A cache hit after the first call: the function takes no arguments, or is given
    only constants. A cache keyed by a request's values (a random salt, a user's id)
    misses as often as the values differ."""
    if not parameters(function):
        return True
    return all(isinstance(a, ast.Constant) for a in call.args) and \
        all(isinstance(k.value, ast.Constant) for k in call.keywords)


def run_once_calls(function: FunctionInfo, instance_slots: bool = True) -> set:
    """The calls a function makes only while a cached value is missing: inside
    `if X is None:` (or `if not X:`, `if key not in X:`) whose block sets X (or `X[key]`),
    and after `if X is not None: return X` (or `if key in X: return X[key]`) up to the
    statement that sets it. X is an attribute of `self`/`cls` or of a module-level object,
    a module-level name the function declares `global`, or a module-level dict it fills;
    without `instance_slots`, not of `self`/`cls` (empty on an instance just built)."""
    found: set = set()
    statements = list(own_statements(function.node))
    aliases: Optional[dict] = None  # only a guard on a local needs them
    for node in statements:
        cached = _missing(node.test) if isinstance(node, ast.If) else None
        if cached is not None and not is_cache_slot(cached, function, instance_slots):
            if aliases is None:
                aliases = _cache_aliases(statements, function, instance_slots)
            cached = aliases.get(shape(cached))  # `x = self._x` then `if x is None:`
        if cached is not None and is_cache_slot(cached, function, instance_slots) \
                and _assigns(node.body, cached, function):
            found.update(_calls_in(node.body))
        for block in blocks(node):
            for index, statement in enumerate(block):
                cached = _present(statement)
                if cached is None or not is_cache_slot(cached, function, instance_slots):
                    continue
                for end, later in enumerate(block[index + 1:], start=index + 2):
                    if _assigns([later], cached):
                        found.update(_calls_in(block[index + 1:end]))
                        break
    return found


def _cache_aliases(statements: list, function: FunctionInfo, instance_slots: bool) -> dict:
    """Locals that hold a cache slot's value, by name: `service = self._service`, or an
    entry of a keyed cache, `repo = cls._pool.get(path)` (the slot is then `cls._pool`),
    when that is the only statement outside an `if` that binds them; `statements` are
    the function's own."""
    bound: dict = {}
    for node in statements:
        for statement in (s for block in blocks(node) for s in block):
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                    isinstance(statement.targets[0], ast.Name) and not isinstance(node, ast.If):
                bound.setdefault(statement.targets[0].id, []).append(
                    _keyed_cache(statement.value) or statement.value)
    return {name: values[0] for name, values in bound.items()
            if len(values) == 1 and is_cache_slot(values[0], function, instance_slots)}


def _keyed_cache(value: ast.expr) -> Optional[ast.expr]:
    """`cache` for `cache.get(key)`: a lookup whose miss the guard fills as `cache[key]`."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
            value.func.attr == "get" and len(value.args) == 1 and not value.keywords:
        return value.func.value
    return None


def _compared(test: ast.expr, op: type) -> Optional[ast.Compare]:
    """The test if it is one comparison with `op` (`a is b`, `key in cache`)."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], op):
        return test
    return None


def _none_compared(test: ast.expr, op: type) -> Optional[ast.expr]:
    """X for `X is None` (op `ast.Is`) or `X is not None` (op `ast.IsNot`)."""
    compare = _compared(test, op)
    right = compare.comparators[0] if compare is not None else None
    if isinstance(right, ast.Constant) and right.value is None:
        return compare.left
    return None


def _missing(test: ast.expr) -> Optional[ast.expr]:
    """X for `X is None`, `not X`, and `key not in X` (a keyed cache)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand
    keyed = _compared(test, ast.NotIn)
    return keyed.comparators[0] if keyed is not None else _none_compared(test, ast.Is)


def _present(statement: ast.stmt) -> Optional[ast.expr]:
    """X for `if X is not None: return X` (or `if X: return X`, or `if key in X: return
    X[key]`) with nothing else."""
    if not (isinstance(statement, ast.If) and not statement.orelse and len(statement.body) == 1
            and isinstance(statement.body[0], ast.Return)):
        return None
    test = statement.test
    keyed = _compared(test, ast.In)
    if keyed is not None:
        return keyed.comparators[0]
    present = _none_compared(test, ast.IsNot)
    if present is not None:
        return present
    return test if isinstance(test, (ast.Name, ast.Attribute)) else None


def is_cache_slot(expr: ast.expr, function: FunctionInfo, instance_slots: bool = True) -> bool:
    """A place that outlives the call: not a local, a parameter or a request's state."""
    scope = function.scope
    if isinstance(expr, ast.Name):  # declared `global`, or a module-level dict it fills
        return expr.id in scope.global_names or \
            function.model.lookup(expr.id, scope)[0] is function.model.module_scope
    if not (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)):
        return False
    owner = expr.value.id
    params = function.node.args.posonlyargs + function.node.args.args
    if function.cls is not None and params and params[0].arg == owner:
        return instance_slots  # `self._client`, `cls._engine`
    defining, _ = function.model.lookup(owner, scope)
    return defining is function.model.module_scope  # `state.client` on a module object


def _assigns(statements: list, target: ast.expr, function: Optional[FunctionInfo] = None,
             depth: int = 0) -> bool:
    """The statements set the target, themselves or (given the function) through a
    method they call on the same `self` that sets it: `if self._zmq is None:
    self.setup()`."""
    wanted = shape(target)
    if wanted is None:
        return False
    for statement in statements:
        for node in ast.walk(statement):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
            # `cache[key] = value` fills a keyed cache
            if any(shape(t.value if isinstance(t, ast.Subscript) else t) == wanted
                   for t in targets):
                return True
            method = _own_method_called(node, function, wanted) if depth < 3 else None
            if method is not None and _assigns(method.node.body, target, method, depth + 1):
                return True
    return False


def _own_method_called(node: ast.AST, function: Optional[FunctionInfo],
                       slot: str) -> Optional[FunctionInfo]:
    """The method of the function's class that `self.m(...)` calls, where the slot is
    an attribute of that `self` and the method names its receiver the same way."""
    if function is None or function.cls is None or not isinstance(node, ast.Call) or \
            not isinstance(node.func, ast.Attribute) or \
            not isinstance(node.func.value, ast.Name) or \
            not slot.startswith(node.func.value.id + "."):
        return None
    method = function.model.hierarchy.method(function.cls, node.func.attr)
    receiver = method.node.args.args[:1] if isinstance(method, FunctionInfo) and \
        not isinstance(method.node, ast.Lambda) else []
    return method if receiver and receiver[0].arg == node.func.value.id else None


def _calls_in(statements: list) -> set:
    return {node for statement in statements for node in ast.walk(statement)
            if isinstance(node, ast.Call)}
