"""Shapes of code that several of the analysis' questions look for."""
from __future__ import annotations

import ast
from typing import Iterator, Optional


def own_statements(root: ast.AST) -> Iterator[ast.AST]:
    """`root` and the statements (with except clauses and match cases) of its body, not
    those of functions or classes inside it: guards are statements, and there are far
    fewer of them than nodes."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        for block in blocks(node):
            stack.extend(s for s in block if not isinstance(
                s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
        stack.extend(getattr(node, "handlers", ()))
        stack.extend(getattr(node, "cases", ()))


def own_nodes(root: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of functions or classes inside it."""
    body = getattr(root, "body", ())
    stack = list(body) if isinstance(body, list) else [body]  # a lambda's is an expression
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                      ast.Lambda)):
                stack.append(child)


def blocks(node: ast.AST) -> list:
    return [getattr(node, field) for field in ("body", "orelse", "finalbody")
            if isinstance(getattr(node, field, None), list)]


def shape(expr: ast.expr) -> Optional[str]:
    """`name` or `name.attr` whether read or assigned; None for any other expression."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        return f"{expr.value.id}.{expr.attr}"
    return None


def last_identifier(expr: ast.expr) -> str:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else ""


def references(tree: ast.AST, name: str) -> list[ast.Name]:
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)]


def inside_any(node: ast.AST, containers: list) -> bool:
    return any(c.lineno <= node.lineno <= c.end_lineno and
               (c.lineno, c.col_offset) <= (node.lineno, node.col_offset)
               for c in containers)
