"""Readings of AST shapes that the walk, name resolution and role recognition share."""
from __future__ import annotations

import ast
from typing import Optional


def string_value(expr: Optional[ast.expr]) -> Optional[str]:
    """The value of a string constant; None for anything else."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


def argument_defaults(args: ast.arguments) -> dict[ast.arg, ast.expr]:
    positional = [*args.posonlyargs, *args.args]
    pairs = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs.update((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
    return pairs


def all_args(args: ast.arguments) -> list[ast.arg]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every.extend(a for a in (args.vararg, args.kwarg) if a is not None)
    return every


def callee_name(func: ast.expr) -> Optional[str]:
    """`name` of a call of `name(...)` or `<anything>.name(...)`; None for other callees."""
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None
