"""Constant arguments and the branches they rule out: `connect(read_only=True)` does not
run the helper's `if not read_only:` branch, so its calls there are not followed."""
from __future__ import annotations

import ast
from typing import Optional

from ..model import FunctionInfo
from .syntax import blocks


def constant_arguments(call: ast.Call, target: FunctionInfo, bound: dict) -> frozenset:
    """The target's parameters whose value the call fixes, and that the target never
    rebinds: a literal passed (`read_only=True`, `setup(zmq.SUB)`), a constant parameter
    of the caller passed on (`read_only=read_only`), or a literal default the call leaves
    (`db=None` not given)."""
    arguments = target.node.args if not isinstance(target.node, ast.Lambda) else None
    if arguments is None:
        return frozenset()
    positional = [*arguments.posonlyargs, *arguments.args]
    bound_first = target.cls is not None and bool(positional) and \
        positional[0].arg in ("self", "cls")  # bound by the call
    passed = positional[1:] if bound_first else positional
    found = {}

    def given(parameter: str, expr: ast.expr) -> None:
        value = _literal(expr)
        if value is None and isinstance(expr, ast.Name):
            value = bound.get(expr.id)
        if value is not None:
            found[parameter] = value

    unpacked = any(isinstance(a, ast.Starred) for a in call.args) or \
        any(k.arg is None for k in call.keywords)
    if not unpacked:
        for parameter, expr in zip(passed, call.args):
            given(parameter.arg, expr)
    names = {a.arg for a in (*positional, *arguments.kwonlyargs)}
    for keyword in call.keywords:
        if keyword.arg in names:
            given(keyword.arg, keyword.value)
    if not unpacked:  # with `*args`, `**kwargs`, what is left unset is unknown
        keywords = {k.arg for k in call.keywords}
        set_positionally = {p.arg for p in passed[:len(call.args)]}
        defaulted = list(zip(positional[len(positional) - len(arguments.defaults):],
                             arguments.defaults))
        defaulted += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d]
        for parameter, default in defaulted:
            value = _literal(default) if isinstance(default, ast.Constant) else None
            if value is not None and parameter.arg not in keywords | set_positionally:
                found.setdefault(parameter.arg, value)
    kept = {name: value for name, value in found.items()
            if all(b.kind == "param" for b in target.scope.bindings.get(name, ()))}
    return frozenset(kept.items())


def _literal(expr: ast.expr) -> Optional[tuple]:
    """("value", v) for a constant, ("name", "zmq.SUB") for a dotted name, else None."""
    if isinstance(expr, ast.Constant):
        return ("value", expr.value)
    if isinstance(expr, ast.Attribute):
        parts = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if isinstance(expr, ast.Name):
            return ("name", ".".join([expr.id, *reversed(parts)]))
    return None


def _truth(test: ast.expr, bound: dict) -> Optional[bool]:
    """Whether `test` holds given the constant parameters, None when it cannot be told."""
    if isinstance(test, ast.Name) and test.id in bound:
        kind, value = bound[test.id]
        return bool(value) if kind == "value" else None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _truth(test.operand, bound)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [_truth(v, bound) for v in test.values]
        if isinstance(test.op, ast.And):
            return False if False in values else (True if all(values) else None)
        return True if True in values else (False if all(v is False for v in values) else None)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and \
            isinstance(test.left, ast.Name) and test.left.id in bound:
        left, right = bound[test.left.id], _literal(test.comparators[0])
        if right is None or left[0] != right[0]:
            return None
        if left[0] == "name" and left[1] != right[1] and \
                left[1].rpartition(".")[0] != right[1].rpartition(".")[0]:
            return None  # `a.X` and `b.Y` may be the same object: say nothing
        same = left[1] == right[1]
        op = test.ops[0]
        if isinstance(op, (ast.Eq, ast.Is)):
            return same
        if isinstance(op, (ast.NotEq, ast.IsNot)):
            return not same
    return None


def ruled_out_calls(function: FunctionInfo, bound: dict) -> frozenset:
    """The calls of `function` inside branches its constant parameters rule out."""
    found: set = set()

    def visit(statements: list, dead: bool) -> None:
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(statement, ast.If) and not dead:
                holds = _truth(statement.test, bound)
                visit(statement.body, holds is False)
                visit(statement.orelse, holds is True)
                continue
            if dead:
                found.update(n for n in ast.walk(statement) if isinstance(n, ast.Call))
                continue
            for block in blocks(statement):
                visit(block, False)
            for handler in getattr(statement, "handlers", ()):
                visit(handler.body, False)

    body = function.node.body
    visit(body if isinstance(body, list) else [], False)
    return frozenset(found)
