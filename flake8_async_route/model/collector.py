"""The walk that fills a module's model: scopes, bindings, calls, awaits, functions and
classes, one scope at a time."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from .bindings import bind_arguments, bind_import, bind_target
from .symbols import Binding, CallSite, ClassInfo, FunctionInfo, Scope
from .syntax import all_args

if TYPE_CHECKING:
    from .module import ModuleModel

# Fields that only ever hold leaves nothing is collected from: `Load()`, `Add()`, `Eq()`.
_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
# What the walk never visits: leaves nothing is collected from (half of all nodes), and
# the plain values fields hold besides nodes.
_NOT_WALKED = frozenset({ast.Name, ast.Constant, str, int, bool, type(None)})


class Collector:
    """The walk: scopes, bindings, calls, awaits, functions and classes. Each function's
    body is walked the first time the analysis asks for it (`FunctionInfo.walk_body`), so
    an imported module costs little more than its module-level statements."""

    # Node class → the name of the method that visits it.
    HANDLERS = {
        ast.FunctionDef: "visit_function",
        ast.AsyncFunctionDef: "visit_function",
        ast.Lambda: "visit_lambda",
        ast.ClassDef: "visit_class",
        ast.Call: "visit_call",
        ast.Await: "visit_await",
        ast.Return: "visit_return",
        ast.Yield: "visit_yield",
        ast.YieldFrom: "visit_yield",
        ast.AsyncFor: "visit_async_for",
        ast.AsyncWith: "visit_async_with",
        ast.comprehension: "visit_comprehension",
        ast.Import: "visit_import",
        ast.ImportFrom: "visit_import",
        ast.Assign: "visit_assign",
        ast.AnnAssign: "visit_ann_assign",
        ast.AugAssign: "visit_other_target",
        ast.For: "visit_for",
        ast.NamedExpr: "visit_named_expr",
        ast.With: "visit_with",
        ast.ExceptHandler: "visit_except",
        ast.Global: "visit_global",
        ast.Nonlocal: "visit_nonlocal",
        **{getattr(ast, name): "visit_match_capture"  # Python 3.10+
           for name in ("MatchAs", "MatchStar", "MatchMapping") if hasattr(ast, name)},
    }
    # Node class → (its visiting function or None, the fields holding its children, last
    # first): made once per class for the whole process.
    _plans: dict[type, tuple] = {}

    def __init__(self, model: ModuleModel):
        self.model = model

    def walk(self, scope: Scope, nodes: list) -> None:
        """Collect one scope; the bodies of functions met on the way are left pending."""
        stack = list(reversed(nodes))
        plans, push, skipped = self._plans, stack.append, _NOT_WALKED
        while stack:
            node = stack.pop()
            plan = plans.get(node.__class__)
            if plan is None:
                plan = plans[node.__class__] = self._plan(node.__class__)
            handler, fields = plan
            if handler is not None and handler(self, node, scope, stack):
                continue  # the handler pushed what belongs to this scope itself
            for field in fields:  # last first, so that nodes are met in source order
                value = getattr(node, field, None)
                if value.__class__ is list:
                    for item in reversed(value):
                        if item.__class__ not in skipped:
                            push(item)
                elif value.__class__ not in skipped:
                    push(value)

    @classmethod
    def _plan(cls, node_class: type) -> tuple:
        name = cls.HANDLERS.get(node_class)
        fields = [f for f in getattr(node_class, "_fields", ()) if f not in _LEAF_FIELDS]
        return (getattr(cls, name) if name else None), tuple(reversed(fields))

    @staticmethod
    def push(stack: list, nodes) -> bool:
        stack.extend(reversed([n for n in nodes if n is not None]))
        return True

    def new_function(self, node, scope: Scope, cls: Optional[ClassInfo]) -> FunctionInfo:
        own = Scope("lambda" if isinstance(node, ast.Lambda) else "function", node, scope)
        info = FunctionInfo(node, own, scope, cls)
        own.function = info
        own.pending = [node.body] if isinstance(node, ast.Lambda) else node.body
        self.model.functions.append(info)
        self.model.function_by_node[node] = info
        bind_arguments(node.args, own)
        return info

    def visit_function(self, node, scope: Scope, stack: list) -> bool:
        scope.bindings[node.name].append(Binding("def", node))
        cls = scope.cls if scope.kind == "class" else None
        info = self.new_function(node, scope, cls)
        if cls is not None:
            cls.methods.setdefault(node.name, info)
        annotations = [a.annotation for a in all_args(node.args)]
        return self.push(stack, [*node.decorator_list, *node.args.defaults,
                                 *node.args.kw_defaults, *annotations, node.returns])

    def visit_lambda(self, node: ast.Lambda, scope: Scope, stack: list) -> bool:
        self.new_function(node, scope, None)
        return self.push(stack, [*node.args.defaults, *node.args.kw_defaults])

    def visit_class(self, node: ast.ClassDef, scope: Scope, stack: list) -> bool:
        scope.bindings[node.name].append(Binding("class", node))
        own = Scope("class", node, scope)
        info = ClassInfo(node, own)
        own.cls = info
        self.model.classes.append(info)
        self.model.class_by_node[node] = info
        self.walk(own, node.body)  # class bodies are short; methods stay pending
        return self.push(stack, [*node.decorator_list, *node.bases, *node.keywords])

    def visit_call(self, node: ast.Call, scope: Scope, stack: list) -> bool:
        site = CallSite(node, scope, node in self.model.awaited_calls)
        scope.calls.append(site)
        self.model.all_calls.append(site)
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(argument, ast.Lambda):
                self.model.lambda_call[argument] = node
        return False

    def visit_await(self, node: ast.Await, scope: Scope, stack: list) -> bool:
        scope.awaits.append(node)
        if isinstance(node.value, ast.Call):
            self.model.awaited_calls.add(node.value)
        return False

    def visit_return(self, node: ast.Return, scope: Scope, stack: list) -> bool:
        scope.returns.append(node)
        return False

    def visit_yield(self, node, scope: Scope, stack: list) -> bool:
        scope.yields.append(node.value if node.value is not None else ast.Constant(None))
        return False

    def visit_async_for(self, node: ast.AsyncFor, scope: Scope, stack: list) -> bool:
        scope.async_constructs += 1
        bind_target(self.model, node.target, scope, "other")
        return False

    def visit_async_with(self, node: ast.AsyncWith, scope: Scope, stack: list) -> bool:
        scope.async_constructs += 1
        for item in node.items:
            if item.optional_vars is not None:
                bind_target(self.model, item.optional_vars, scope, "other")
        return False

    def consume(self, expr: ast.expr) -> None:
        if isinstance(expr, ast.Call):
            self.model.consumed_calls.add(expr)

    def visit_for(self, node: ast.For, scope: Scope, stack: list) -> bool:
        if isinstance(node, ast.For):  # not `async for`
            scope.iterated.append(node.iter)
        self.consume(node.iter)
        bind_target(self.model, node.target, scope, "loop", node.iter)
        return False

    def visit_comprehension(self, node: ast.comprehension, scope: Scope, stack: list) -> bool:
        if not node.is_async:
            scope.iterated.append(node.iter)
        self.consume(node.iter)
        scope.async_constructs += bool(node.is_async)
        bind_target(self.model, node.target, scope, "other")
        return False

    def visit_import(self, node, scope: Scope, stack: list) -> bool:
        bind_import(self.model, node, scope)
        return True

    def visit_assign(self, node: ast.Assign, scope: Scope, stack: list) -> bool:
        for target in node.targets:
            bind_target(self.model, target, scope, "assign", node.value)
        return False

    def visit_ann_assign(self, node: ast.AnnAssign, scope: Scope, stack: list) -> bool:
        bind_target(self.model, node.target, scope, "assign", node.value, node.annotation)
        return False

    def visit_other_target(self, node, scope: Scope, stack: list) -> bool:
        bind_target(self.model, node.target, scope, "other")
        return False

    def visit_named_expr(self, node: ast.NamedExpr, scope: Scope, stack: list) -> bool:
        bind_target(self.model, node.target, scope, "assign", node.value)
        return False

    def visit_with(self, node: ast.With, scope: Scope, stack: list) -> bool:
        scope.with_items.extend(node.items)
        for item in node.items:
            self.consume(item.context_expr)
            if item.optional_vars is not None:
                bind_target(self.model, item.optional_vars, scope, "with", item.context_expr)
        return False

    def visit_except(self, node: ast.ExceptHandler, scope: Scope, stack: list) -> bool:
        if node.name:
            scope.bindings[node.name].append(Binding("other", node))
        return False

    def visit_global(self, node: ast.Global, scope: Scope, stack: list) -> bool:
        scope.global_names.update(node.names)
        return True

    def visit_nonlocal(self, node: ast.Nonlocal, scope: Scope, stack: list) -> bool:
        for name in node.names:
            scope.bindings[name].append(Binding("other", node))
        return True

    def visit_match_capture(self, node, scope: Scope, stack: list) -> bool:
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if name:
            scope.bindings[name].append(Binding("other", node))
        return False
