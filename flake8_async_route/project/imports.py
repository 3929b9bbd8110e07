"""The modules a file's text imports, found by a scan of its lines (no parse): what narrows a
project-wide search for the calls of a function to the modules that can reach it.

The scan over-approximates: an import inside a string counts, and a `from package import
name` counts as importing every module below `package`. It misses only imports no line
starts with (`x = 1; import y`), which the name resolution does not follow either."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Optional

# Re-exports (`from .impl import x` in `__init__.py`) followed before giving up.
MAX_REEXPORT_HOPS = 8

FROM_IMPORT = re.compile(rb"^[ \t]*from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import\b", re.M)
PLAIN_IMPORT = re.compile(rb"^[ \t]*import[ \t]+([\w. \t,]+)", re.M)


def imported_modules(content: bytes, module: str, is_package: bool) -> frozenset[str]:
    """Dotted names of the modules and packages `content`, the text of `module`, imports
    from (relative imports made absolute)."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for dots, name in FROM_IMPORT.findall(content):
        target = name.decode("ascii")
        if dots:
            base = package
            for _ in range(len(dots) - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{target}" if base and target else (target or base)
        if target:
            found.add(target)
    for names in PLAIN_IMPORT.findall(content):
        for part in names.split(b","):
            words = part.split()
            if words:
                found.add(words[0].decode("ascii"))
    return frozenset(found)


class Targets:
    """Modules a file may name something of: it imports one, a package above one, or a
    module below one (`import a.b.c` binds `a`)."""

    def __init__(self, modules: Iterable[str]):
        self.modules = frozenset(modules)
        self._above = frozenset(module[:dot] for module in self.modules
                                for dot in range(len(module)) if module[dot] == ".")

    def reached_by(self, imported: Optional[Iterable[str]]) -> bool:
        """Whether a file importing `imported` (None: unknown) can name one of them."""
        if imported is None:
            return True
        for name in imported:
            if name in self.modules or name in self._above:
                return True
            while "." in name:
                name = name.rpartition(".")[0]
                if name in self.modules:
                    return True
        return False


class Reach:
    """Which files of a project can name a module-level function or class of one of its
    modules: the module itself, the files importing it, and those importing a module that
    may re-export the name from it."""

    def __init__(self, name_of: Callable[[Path], Optional[str]],
                 contents: Callable[[], dict[Path, bytes]],
                 mentioning: Callable[[str], tuple[Path, ...]]):
        self._name_of = name_of  # a file's module name, None outside the search roots
        self._contents = contents  # the project's files: see ProjectSearch.models_mentioning
        self._mentioning = mentioning  # the files whose text holds a word
        self._facts: dict[Path, tuple[Optional[str], Optional[frozenset[str]]]] = {}
        self._reaching: dict[tuple[str, str], Targets] = {}

    def files(self, paths: tuple[Path, ...], module: str, name: str) -> tuple[Path, ...]:
        """Those of `paths` that can name `module`'s `name`."""
        targets = self.modules_reaching(module, name)
        return tuple(path for path, (other, imported) in zip(paths, map(self._facts_of, paths))
                     if other in targets.modules or targets.reached_by(imported))

    def modules_reaching(self, module: str, name: str) -> Targets:
        """The module, and the project modules that may re-export `name` from it: those
        whose text holds the name (or a star import) and that import one of these, to a
        fixed point."""
        key = (module, name)
        if key not in self._reaching:
            candidates = self._may_reexport(name)
            reaching = Targets({module})
            for _ in range(MAX_REEXPORT_HOPS):
                found = {other for other, imported in candidates
                         if other not in reaching.modules and reaching.reached_by(imported)}
                if not found:
                    break
                reaching = Targets(reaching.modules | found)
            self._reaching[key] = reaching
        return self._reaching[key]

    def _may_reexport(self, name: str) -> list[tuple[str, Optional[frozenset[str]]]]:
        """(module name, imports) of the files whose text holds `name` or a star import."""
        paths = dict.fromkeys((*self._mentioning(name), *self._mentioning("import *")))
        return [(other, imported) for other, imported in map(self._facts_of, paths) if other]

    def _facts_of(self, path: Path) -> tuple[Optional[str], Optional[frozenset[str]]]:
        """The file's module name and what it imports; None for what is unknown."""
        if path not in self._facts:
            name = self._name_of(path)
            content = self._contents().get(path)
            self._facts[path] = (name, None if name is None or content is None else
                                 imported_modules(content, name, path.name == "__init__.py"))
        return self._facts[path]
