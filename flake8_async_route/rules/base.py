"""The rule base class: subclasses register themselves by defining a code."""
from __future__ import annotations

import ast
from typing import ClassVar, Iterable, Iterator

from ..analysis import Analysis, Violation

# The plugin's own prefix: selecting it means "this tool's findings", which leaves the
# opt-in rules off.
TOOL_PREFIX = "ASR"


class Rule:
    code: ClassVar[str] = ""
    slug: ClassVar[str] = ""
    message: ClassVar[str] = ""
    fix_title: ClassVar[str] = ""
    # The module of fixes/ that builds the rule's automatic fix ("": none), and whether the
    # fix keeps the behaviour (safe) or needs `--unsafe-fixes`.
    fix: ClassVar[str] = ""
    fix_safe: ClassVar[bool] = False
    # Off unless chosen by name (see `opt_in_chosen`): stricter variants of a default rule.
    opt_in: ClassVar[bool] = False
    registry: ClassVar[dict[str, type[Rule]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.code:
            Rule.registry[cls.code] = cls

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        raise NotImplementedError

    def violation(self, node: ast.AST, **fields: str) -> Violation:
        return Violation(node.lineno, node.col_offset, self.code, self.message.format(**fields))


def opt_in_codes() -> list[str]:
    return sorted(code for code, rule in Rule.registry.items() if rule.opt_in)


def opt_in_chosen(code: str, selected: Iterable[str]) -> bool:
    """An opt-in code is reported only when a `select` or `extend-select` entry names it
    more narrowly than the tool's prefix (`ASR203`, `ASR20`, `ASR2`): `--select=ASR` asks
    for this tool's findings, not for its strict variants. Ignore lists then apply as usual."""
    return any(code.startswith(prefix) and len(prefix) > len(TOOL_PREFIX)
               for prefix in selected)
