"""Run every rule over one module: the one entry point the plugin and the CLI share."""
from __future__ import annotations

import ast
from typing import Optional

from .analysis import Analysis, Violation
from .config import Config
from .model import ModuleModel
from .rules import Rule


def check_tree(tree: ast.Module, config: Optional[Config] = None) -> list[Violation]:
    analysis = Analysis(ModuleModel(tree), config or Config())
    found = {v for code in sorted(Rule.registry) for v in Rule.registry[code]().check(analysis)}
    return sorted(found)


def check_source(source: str, config: Optional[Config] = None) -> list[Violation]:
    return check_tree(ast.parse(source), config)
