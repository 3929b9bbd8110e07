"""The project around a checked file: where its modules live on disk, parsed on demand.

Modules of the project are parsed (never imported or executed) the first time an analysis
needs them and cached for the life of the process, keyed by path and checked against the
file's size and modification time. Third-party and standard-library modules are never
parsed: the catalog describes them.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Iterable, Optional

from .model import Binding, ModuleModel

# Re-exports (`from .impl import x` in `__init__.py`) followed before giving up.
MAX_REEXPORT_HOPS = 8


def project_root(path: Path) -> Path:
    """The directory above the file's top package (its own directory for a script)."""
    directory = path.resolve().parent
    while (directory / "__init__.py").exists() and directory.parent != directory:
        directory = directory.parent
    return directory


def module_name(path: Path, root: Path) -> Optional[str]:
    try:
        relative = path.resolve().relative_to(root)
    except ValueError:
        return None
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


class Project:
    _by_roots: dict[tuple[Path, ...], "Project"] = {}

    def __init__(self, roots: tuple[Path, ...]):
        self.roots = roots
        self._models: dict[Path, tuple[tuple[int, int], Optional[ModuleModel]]] = {}
        self._paths: dict[str, Optional[Path]] = {}
        self._by_name: dict[str, Optional[ModuleModel]] = {}
        # Per-function results that depend only on the project's files (see analysis.py).
        self.summaries: dict = {}

    @classmethod
    def for_file(cls, filename: str, source_roots: Iterable[str] = ()) -> Optional["Project"]:
        if not filename or filename in ("-", "stdin") or not filename.endswith(".py"):
            return None
        path = Path(filename)
        extra = (Path(root).resolve() for root in source_roots)
        roots = tuple(dict.fromkeys([project_root(path), *extra]))
        if roots not in cls._by_roots:
            cls._by_roots[roots] = cls(roots)
        return cls._by_roots[roots]

    # ----- files -------------------------------------------------------------------------

    def name_of(self, path: Path) -> Optional[str]:
        for root in self.roots:
            name = module_name(path, root)
            if name:
                return name
        return None

    def path_of(self, module: str) -> Optional[Path]:
        if module not in self._paths:
            self._paths[module] = self._find(module)
        return self._paths[module]

    def _find(self, module: str) -> Optional[Path]:
        parts = module.split(".")
        if not all(p.isidentifier() for p in parts):
            return None
        for root in self.roots:
            base = root.joinpath(*parts)
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    return candidate
        return None

    def model_for(self, path: Path, tree: Optional[ast.Module] = None,
                  source: Optional[str] = None) -> Optional[ModuleModel]:
        """The model of a project file; `tree` and `source` are the checked file's."""
        path = path.resolve()
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._models.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        model = self._build(path, tree, source)
        self._models[path] = (stamp, model)
        return model

    def _build(self, path: Path, tree: Optional[ast.Module],
               source: Optional[str]) -> Optional[ModuleModel]:
        if tree is None:
            try:
                source = path.read_bytes()
                tree = ast.parse(source, filename=str(path))
            except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
                return None  # unreadable or unparsable: its functions stay unknown
        name = self.name_of(path) or ""
        try:
            return ModuleModel(tree, name=name, is_package=path.name == "__init__.py",
                               path=str(path), project=self, source=source)
        except RecursionError:
            return None

    def module(self, name: str) -> Optional[ModuleModel]:
        # Files do not change during a run: each module is found and stat'ed once.
        if name not in self._by_name:
            path = self.path_of(name)
            self._by_name[name] = self.model_for(path) if path is not None else None
        return self._by_name[name]

    # ----- symbols -----------------------------------------------------------------------

    def lookup(self, qualname: str, hops: int = 0) -> Optional[tuple[ModuleModel, Binding]]:
        """The module-level binding a qualified name of the project refers to, following
        re-exports; None for names outside the project."""
        if hops > MAX_REEXPORT_HOPS or qualname.startswith("."):
            return None
        module_part, _, name = qualname.rpartition(".")
        if not module_part:
            return None
        model = self.module(module_part)
        if model is None:
            return None
        bindings = [b for b in model.module_scope.bindings.get(name, ())
                    if b.kind in ("def", "class", "assign", "import")]
        if not bindings:
            # `import pkg.sub` makes `pkg.sub` an attribute of pkg without a binding.
            return None
        binding = bindings[-1]
        if binding.kind == "import" and binding.qualname != qualname:
            return self.lookup(binding.qualname, hops + 1)
        return model, binding

    def relative_path(self, path: str) -> str:
        try:
            return os.path.relpath(path)
        except ValueError:
            return path
