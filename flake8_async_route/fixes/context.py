"""What the fixes of one module read, built once per module: the analysis, the model, the
text, and the lookups the fixes share. Fixes find their nodes again by position."""
from __future__ import annotations

import ast
from typing import Optional

from ..analysis import Analysis
from ..model import FUNCTION_NODES, FunctionInfo
from .imports import UnusedImports
from .source import CannotFix, Source


class ModuleContext:
    def __init__(self, analysis: Analysis, text: str):
        self.analysis = analysis
        self.model = analysis.model
        self.tree = self.model.tree
        self.source = Source(text)
        self.imports = UnusedImports(self.model, self.source)
        self._parents: Optional[dict] = None

    @property
    def parents(self) -> dict:
        if self._parents is None:
            self._parents = {child: node for node in ast.walk(self.tree)
                             for child in ast.iter_child_nodes(node)}
        return self._parents

    def inside_function_body(self, node: ast.AST, function: FunctionInfo) -> None:
        """Raise unless `node` runs in the function's own frame, outside lambdas, generator
        expressions and f-strings (where positions or `await` would not be right)."""
        current = node
        while current is not function.node:
            current = self.parents.get(current)
            if current is None or isinstance(current, (ast.Lambda, ast.GeneratorExp,
                                                       ast.JoinedStr, ast.ClassDef)):
                raise CannotFix("not directly in the function")
            if isinstance(current, FUNCTION_NODES) and current is not function.node:
                raise CannotFix("in a nested function")
