"""Constant arguments: what a call fixes of its target's parameters (`read_only=True`),
so that the branches they rule out in the target are not followed (see branches.py)."""
from __future__ import annotations

import ast
from typing import Optional

from ..model import FunctionInfo


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
        value = literal(expr)
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
            value = literal(default) if isinstance(default, ast.Constant) else None
            if value is not None and parameter.arg not in keywords | set_positionally:
                found.setdefault(parameter.arg, value)
    kept = {name: value for name, value in found.items()
            if all(b.kind == "param" for b in target.scope.bindings.get(name, ()))}
    return frozenset(kept.items())


def literal(expr: ast.expr) -> Optional[tuple]:
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
