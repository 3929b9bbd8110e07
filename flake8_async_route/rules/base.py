"""The rule base class: subclasses register themselves by defining a code."""
from __future__ import annotations

import ast
from typing import ClassVar, Iterator

from ..analysis import Analysis, Violation


class Rule:
    code: ClassVar[str] = ""
    slug: ClassVar[str] = ""
    message: ClassVar[str] = ""
    fix_title: ClassVar[str] = ""
    registry: ClassVar[dict[str, type[Rule]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.code:
            Rule.registry[cls.code] = cls

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        raise NotImplementedError

    def violation(self, node: ast.AST, **fields: str) -> Violation:
        return Violation(node.lineno, node.col_offset, self.code, self.message.format(**fields))
