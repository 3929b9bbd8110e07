"""The branches of a helper that do not run, given what its caller fixes: its constant
parameters (`connect(read_only=True)` skips `if not read_only:`) and, for a method called
on the caller's own `self`, the truthiness of `self.<attr>` that the caller tested
(`if self.content: self.encode()` skips `encode`'s `if not self.content:` branch).

Facts about `self` are (attribute, truthy) pairs. They hold from the test that proves them
until the next statement that makes any call or assigns the attribute: a call may change
the object. They are not carried into loops that make calls, or into except, else and
finally blocks."""
from __future__ import annotations

import ast
from typing import NamedTuple, Optional

from ..model import FunctionInfo
from .arguments import literal
from .syntax import blocks


class Branches(NamedTuple):
    ruled_out: frozenset  # the calls in branches that do not run
    facts_at: dict  # `self.m()` call → the facts about `self` that hold when it runs


def instance_receiver(function: FunctionInfo) -> Optional[str]:
    """The name of a plain method's `self`, if no statement of it rebinds the name."""
    names = function.model.names
    receiver = names.receiver_parameter(function)
    if receiver is None or names.decorated_with(function, "builtins.classmethod") or \
            any(b.kind != "param" for b in function.scope.bindings.get(receiver, ())):
        return None
    return receiver


def branches(function: FunctionInfo, bound: dict, facts: frozenset) -> Branches:
    """What does not run in `function` when its parameters `bound` are constants and the
    `facts` about its `self` hold on entry."""
    walk = _Walk(bound, instance_receiver(function))
    body = function.node.body
    walk.block(body if isinstance(body, list) else [], False, dict(facts))
    return Branches(frozenset(walk.ruled_out), walk.facts_at)


class _Walk:
    def __init__(self, bound: dict, receiver: Optional[str]):
        self.bound = bound
        self.receiver = receiver
        self.ruled_out: set = set()
        self.facts_at: dict = {}

    def block(self, statements: list, dead: bool, known: dict) -> None:
        for statement in statements:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if dead:
                self.ruled_out.update(_calls(statement))
            elif isinstance(statement, ast.If):
                dead, known = self._branch(statement, known)
            else:
                known = self._statement(statement, known)

    def _branch(self, statement: ast.If, known: dict) -> tuple[bool, dict]:
        """(whether the rest of the block is dead, the facts after the statement)."""
        test = statement.test
        settled = not _has_call(test)  # a call in the test may change `self`
        if not settled:
            known = {}
        holds = truth(test, self.bound, known, self.receiver)
        if_true = {**known, **self.implied(test, True)} if settled else {}
        if_false = {**known, **self.implied(test, False)} if settled else {}
        self.block(statement.body, holds is False, if_true)
        self.block(statement.orelse, holds is True, if_false)
        if holds is True and _exits(statement.body) or \
                holds is False and _exits(statement.orelse):
            return True, {}
        if _exits(statement.body) and not statement.orelse:
            return False, if_false  # `if not self.x: return` guards the rest
        return False, {} if self._changes(statement, known) else known

    def _statement(self, statement: ast.stmt, known: dict) -> dict:
        nested = blocks(statement)
        if not nested:
            calls = _calls(statement) if self.receiver is not None else ()
            if len(calls) == 1 and self._on_receiver(calls[0]) and not _defers(statement):
                self.facts_at[calls[0]] = frozenset(known.items())
            return {} if self._changes(statement, known) else known
        header = [n for child in ast.iter_child_nodes(statement)
                  if not isinstance(child, (ast.stmt, ast.excepthandler)) for n in _calls(child)]
        repeats = isinstance(statement, (ast.For, ast.While, ast.AsyncFor))
        entered = isinstance(statement, (ast.With, ast.AsyncWith))  # `__enter__` runs
        # A call anywhere in a loop's body may change `self` before the next round; the
        # body is walked only then (its own statements walk their parts again).
        inside = {} if header or entered or (repeats and _has_call(statement)) else known
        self.block(statement.body, False, inside)
        for other in (*nested[1:], *[h.body for h in getattr(statement, "handlers", ())]):
            self.block(other, False, {})
        return {} if self._changes(statement, known) else known

    def _on_receiver(self, call: ast.Call) -> bool:
        func = call.func
        return self.receiver is not None and isinstance(func, ast.Attribute) and \
            isinstance(func.value, ast.Name) and func.value.id == self.receiver

    def _attribute(self, expr: ast.expr) -> Optional[str]:
        """`x` for `self.x`."""
        if self.receiver is not None and isinstance(expr, ast.Attribute) and \
                isinstance(expr.value, ast.Name) and expr.value.id == self.receiver:
            return expr.attr
        return None

    def _changes(self, statement: ast.stmt, known: dict) -> bool:
        """Whether the statement may change what `known` says: it calls (a `with` calls
        its context manager), or assigns or deletes one of the attributes or a part of
        one (`self.items[:] = []`)."""
        return bool(known) and (isinstance(statement, (ast.With, ast.AsyncWith)) or any(
            isinstance(n, ast.Call) or self._stores_into(n, known) for n in ast.walk(statement)))

    def _stores_into(self, node: ast.AST, known: dict) -> bool:
        if not isinstance(node, (ast.Attribute, ast.Subscript)) or \
                isinstance(node.ctx, ast.Load):
            return False
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            if self._attribute(node) in known:
                return True
            node = node.value
        return False

    def implied(self, test: ast.expr, holds: bool) -> dict:
        """The facts about `self` that `test` having the truth value `holds` proves."""
        attribute = self._attribute(test)
        if attribute is not None:
            return {attribute: holds}
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.implied(test.operand, not holds)
        if isinstance(test, ast.BoolOp) and holds == isinstance(test.op, ast.And):
            found: dict = {}  # all of `a and b` hold, none of `a or b` does
            for value in test.values:
                found.update(self.implied(value, holds))
            return found
        attribute = _none_test(test, self.receiver)
        if attribute is not None:
            name, is_none = attribute
            return {name: False} if holds == is_none else {}
        return {}


def truth(test: ast.expr, bound: dict, known: dict, receiver: Optional[str]) -> Optional[bool]:
    """Whether `test` holds given the constant parameters and the facts about `self`,
    None when it cannot be told."""
    if isinstance(test, ast.Constant):  # `if True:  # skip the checks below`
        return bool(test.value)
    if isinstance(test, ast.Name) and test.id in bound:
        kind, value = bound[test.id]
        return bool(value) if kind == "value" else None
    if isinstance(test, ast.Attribute) and isinstance(test.value, ast.Name) and \
            test.value.id == receiver:
        return known.get(test.attr)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = truth(test.operand, bound, known, receiver)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [truth(v, bound, known, receiver) for v in test.values]
        if isinstance(test.op, ast.And):
            return False if False in values else (True if all(values) else None)
        return True if True in values else (False if all(v is False for v in values) else None)
    none_test = _none_test(test, receiver)
    if none_test is not None:
        name, is_none = none_test
        return (not is_none) if known.get(name) is True else None  # truthy is not None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and \
            isinstance(test.left, ast.Name) and test.left.id in bound:
        return _compared(bound[test.left.id], test.ops[0], literal(test.comparators[0]))
    return None


def _compared(left: tuple, op: ast.cmpop, right: Optional[tuple]) -> Optional[bool]:
    if right is None or left[0] != right[0]:
        return None
    if left[0] == "name" and left[1] != right[1] and \
            left[1].rpartition(".")[0] != right[1].rpartition(".")[0]:
        return None  # `a.X` and `b.Y` may be the same object: say nothing
    same = left[1] == right[1]
    if isinstance(op, (ast.Eq, ast.Is)):
        return same
    if isinstance(op, (ast.NotEq, ast.IsNot)):
        return not same
    return None


def _none_test(test: ast.expr, receiver: Optional[str]) -> Optional[tuple[str, bool]]:
    """(x, True) for `self.x is None`, (x, False) for `self.x is not None`."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], (ast.Is, ast.IsNot))
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        return None
    left = test.left
    if receiver is not None and isinstance(left, ast.Attribute) and \
            isinstance(left.value, ast.Name) and left.value.id == receiver:
        return left.attr, isinstance(test.ops[0], ast.Is)
    return None


def _exits(statements: list) -> bool:
    """The block ends by leaving it: what follows it in the enclosing block never runs."""
    return bool(statements) and isinstance(
        statements[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def _defers(statement: ast.stmt) -> bool:
    """A lambda runs its call later, a comprehension runs it again after it has run."""
    return any(isinstance(n, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                              ast.GeneratorExp)) for n in ast.walk(statement))


def _calls(node: ast.AST) -> list:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]


def _has_call(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) for n in ast.walk(node))
