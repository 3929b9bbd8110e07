"""Run every rule over one module: the one entry point the plugin and the CLI share."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Optional

from .analysis import Analysis, Violation
from .config import Config
from .model import ModuleModel
from .project import Project
from .rules import Rule


def module_model(tree: ast.Module, filename: str, config: Config,
                 source: Optional[str] = None) -> ModuleModel:
    """The model of a checked file, inside its project when it has one on disk."""
    project = Project.for_file(filename, config.source_roots)
    model = project.model_for(Path(filename), tree, source) if project is not None else None
    return model if model is not None else ModuleModel(tree, source=source)


def check_tree(tree: ast.Module, config: Optional[Config] = None, filename: str = "",
               source: Optional[str] = None) -> list[Violation]:
    """Findings for one parsed module; `source`, when given, lets the analysis skip
    function bodies that cannot matter until a call needs them."""
    config = config or Config()
    analysis = Analysis(module_model(tree, filename, config, source), config)
    found = {v for code in sorted(Rule.registry) for v in Rule.registry[code]().check(analysis)}
    return sorted(found)


def check_source(source: str, config: Optional[Config] = None) -> list[Violation]:
    return check_tree(ast.parse(source), config, source=source)
