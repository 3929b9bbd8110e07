"""Imports: adding one where isort would put it, and removing those that fixes leave
unused, by each fix alone (`UnusedImports`) and after several fixes (`cleanup_edits`,
see apply.py)."""
from __future__ import annotations

import ast
import bisect
import functools
import re
from typing import Callable, Iterable, Optional

from ..model import FUNCTION_NODES, ModuleModel
from ..results import Edit
from .. import catalog
from .source import Source, range_of

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME_IN_TEXT = re.compile(r"(?<![.\w])[A-Za-z_]\w*")  # identifiers not after a dot


# ----- adding one -------------------------------------------------------------------------------


def import_insertion(tree: ast.Module, source: Source, module: str) -> Edit:
    """`import module` where isort would put it among the first block of imports."""
    body = tree.body
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        index = 1  # the docstring
    block = []
    for statement in body[index:]:
        if not isinstance(statement, (ast.Import, ast.ImportFrom)):
            if block:
                break
            continue
        block.append(statement)
    block = [s for s in block if s.col_offset == 0 and source.has_own_lines(s)]
    regular = [s for s in block
               if not (isinstance(s, ast.ImportFrom) and s.module == "__future__")]
    plain = [s for s in regular if isinstance(s, ast.Import) and _is_stdlib(s)]
    if plain:
        later = [s for s in plain if s.names[0].name.lower() > module.lower()]
        if later:
            return Edit(later[0].lineno, 0, later[0].lineno, 0, f"import {module}\n")
        return Edit(plain[-1].end_lineno + 1, 0, plain[-1].end_lineno + 1, 0,
                    f"import {module}\n")
    from_stdlib = [s for s in regular if isinstance(s, ast.ImportFrom) and _is_stdlib(s)]
    if from_stdlib:
        first = from_stdlib[0]
        return Edit(first.lineno, 0, first.lineno, 0, f"import {module}\n")
    if regular:
        first = regular[0]
        return Edit(first.lineno, 0, first.lineno, 0, f"import {module}\n\n")
    after = block[-1] if block else (body[0] if index else None)
    if after is None:
        return Edit(1, 0, 1, 0, f"import {module}\n")
    return Edit(after.end_lineno + 1, 0, after.end_lineno + 1, 0, f"\nimport {module}\n")


def _is_stdlib(statement) -> bool:
    if isinstance(statement, ast.Import):
        return statement.names[0].name.split(".")[0] in catalog.STDLIB_MODULES
    return statement.level == 0 and (statement.module or "").split(".")[0] in catalog.STDLIB_MODULES


# ----- the ones one fix leaves unused -----------------------------------------------------------


class UnusedImports:
    """The module-level imports of one module that its fixes may leave unused, with the
    lookups all its fixes share (a name can have tens of thousands of `ast.Name`s in a
    large module: each fix looks them up by position)."""

    def __init__(self, model: ModuleModel, source: Source):
        self.model = model
        self.tree = model.tree
        self.source = source
        self._references: Optional[dict] = None
        self._kept_by_strings: Optional[set] = None
        self._ranges: dict[str, list] = {}

    def released(self, edits: list) -> list:
        """Names of module-level imports used inside the text the edits replace and not
        named by the text they insert."""
        inserted = {m.group() for e in edits for m in _NAME_IN_TEXT.finditer(e.text)}
        replaced = [e for e in edits if (e.line, e.col) != (e.end_line, e.end_col)]
        return sorted(name for name in self._module_imports() if name not in inserted
                      and count_within(self._ranges_of(name), replaced))

    def removals(self, names: list, edits: list) -> list:
        """Edits removing the imports of `names` that nothing uses once `edits` apply."""
        if not names or self.model.path.endswith("__init__.py"):
            return []
        if self._kept_by_strings is None:  # once per file: it walks the whole tree
            self._kept_by_strings = names_used_in_strings(self.tree)
        unused = unused_imports(names, self._ranges_of, self._module_imports(),
                                self._kept_by_strings, edits)
        inserting = {e.line for e in edits if (e.line, e.col) == (e.end_line, e.end_col)}
        return removal_edits(self.source, unused, inserting)

    def _ranges_of(self, name: str) -> list:
        """The sorted ranges of the `ast.Name`s of an identifier."""
        if name not in self._ranges:
            self._ranges[name] = name_ranges(self._every_name(), name)
        return self._ranges[name]

    def _every_name(self) -> dict:
        """Every `ast.Name` of the module by identifier."""
        if self._references is None:
            self._references = {}
            for node in ast.walk(self.tree):
                if isinstance(node, ast.Name):
                    self._references.setdefault(node.id, []).append(node)
        return self._references

    def _module_imports(self) -> dict:
        """name → the top-level import statement that is its only binding in the module."""
        found = {}
        for name, bindings in self.model.module_scope.bindings.items():
            if len(bindings) == 1 and bindings[0].kind == "import" and \
                    bindings[0].node in self.tree.body:
                found[name] = bindings[0].node
        return found


def annotation_names(tree: ast.Module) -> set:
    """Identifiers in string annotations (`x: "asyncio.Task"`), which `ast` keeps as text."""
    found = set()
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, ast.arg):
            annotations.append(node.annotation)
        elif isinstance(node, FUNCTION_NODES):
            annotations.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        for annotation in annotations:
            for inner in ast.walk(annotation) if annotation is not None else ():
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                    found.update(_IDENTIFIER.findall(inner.value))
    return found


def exported_names(tree: ast.Module) -> set:
    """The strings of a module-level `__all__`."""
    found = set()
    for statement in tree.body:
        targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            for node in ast.walk(statement):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(node.value)
    return found


def names_used_in_strings(tree: ast.Module) -> set:
    """Names an import must be kept for though no `ast.Name` uses them."""
    return annotation_names(tree) | exported_names(tree)


def unused_imports(names: Iterable[str], ranges_of: Callable[[str], list], imports: dict,
                   kept_by_strings: set, removed: Iterable[Edit] = ()) -> list:
    """(statement, name) for each of `names` imported at module level whose every use
    (`ranges_of(name)`: the sorted ranges of its `ast.Name`s) lies inside the `removed`
    edits' ranges."""
    removed = [e for e in removed if (e.line, e.col) != (e.end_line, e.end_col)]
    found = []
    for name in names:
        statement = imports.get(name)
        if statement is None or name in kept_by_strings:
            continue
        uses = ranges_of(name)
        if count_within(uses, removed) == len(uses):
            found.append((statement, name))
    return found


def name_ranges(references: dict, name: str) -> list:
    """The sorted ranges of the `ast.Name`s of `name` (`references`: name → its nodes)."""
    return sorted(map(range_of, references.get(name, ())))


def count_within(ranges: list, edits: Iterable[Edit]) -> int:
    """How many of the sorted node ranges lie inside one of the edits."""
    inside = set()
    for edit in edits:
        # Ranges compare by their start first: the first one starting in the edit.
        index = bisect.bisect_left(ranges, (edit.line, edit.col))
        while index < len(ranges) and ranges[index][:2] < (edit.end_line, edit.end_col):
            if _within(ranges[index], edit):
                inside.add(index)
            index += 1
    return len(inside)


def _within(node_range: tuple, edit: Edit) -> bool:
    start, end = node_range[:2], node_range[2:]
    return (edit.line, edit.col) <= start and end <= (edit.end_line, edit.end_col)


def removal_edits(source: Source, unused: list, keep_blank: Iterable[int] = ()) -> list:
    """Edits removing the listed names from their import statements: the whole statement
    when nothing else is left in it, else the statement rewritten without them (only for
    a statement on one line without a comment)."""
    by_statement: dict = {}
    for statement, name in unused:
        by_statement.setdefault(statement, set()).add(name)
    edits = []
    for statement, names in by_statement.items():
        if statement.col_offset != 0 or not source.has_own_lines(statement):
            continue
        kept = [a for a in statement.names if (a.asname or a.name.split(".")[0]) not in names]
        if not kept:
            end = statement.end_lineno + 1
            alone = statement.lineno == 1 or not source.line(statement.lineno - 1).strip()
            if alone and statement.lineno not in keep_blank and end < len(source.starts) and \
                    not source.line(end).strip():
                end += 1  # the section's blank line goes with its last import
            edits.append(Edit(statement.lineno, 0, end, 0, ""))
            continue
        line = source.line(statement.lineno)
        if statement.lineno != statement.end_lineno or "#" in line or "(" in line or \
                "\\" in line:
            continue
        aliases = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in kept)
        if isinstance(statement, ast.Import):
            text = f"import {aliases}"
        else:
            text = f"from {'.' * statement.level}{statement.module or ''} import {aliases}"
        edits.append(Edit(statement.lineno, 0, statement.end_lineno, statement.end_col_offset,
                          text))
    return edits


def cleanup_edits(text: str, names: Iterable[str], path: str = "") -> list:
    """After fixing: edits removing the imports of `names` (the ones applied fixes
    released) that nothing in `text` uses any more."""
    if path.endswith("__init__.py"):
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    references: dict = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            references.setdefault(node.id, []).append(node)
    counts: dict = {}
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                bound = alias.asname or alias.name.split(".")[0]
                counts[bound] = counts.get(bound, []) + [statement]
    # Only names bound once in the module, by a top-level import (no rebinding anywhere).
    stores = {n.id for nodes in references.values() for n in nodes
              if not isinstance(n.ctx, ast.Load)}
    defined = {n.name for n in ast.walk(tree)
               if isinstance(n, (*FUNCTION_NODES, ast.ClassDef))}
    imports = {name: statements[0] for name, statements in counts.items()
               if len(statements) == 1 and name not in stores and name not in defined}
    nested = {alias.asname or alias.name.split(".")[0]
              for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
              and node not in tree.body for alias in node.names}
    names = [n for n in names if n not in nested]
    ranges_of = functools.partial(name_ranges, references)
    return removal_edits(Source(text), unused_imports(names, ranges_of, imports,
                                                      names_used_in_strings(tree)))
