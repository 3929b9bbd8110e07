"""The project around a checked file: where its modules live on disk, parsed on demand.

Modules of the project are parsed (never imported or executed) the first time an analysis
needs them and cached for the life of the process, keyed by path and checked against the
file's size and modification time. Third-party and standard-library modules are never
parsed: the catalog describes them.

For the result cache, the project also records which files a checked file's findings can
depend on: see dependencies.py.
"""
from __future__ import annotations

import ast
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from ..model import Binding, ModuleModel
from .dependencies import RecordedDependencies
from .imports import MAX_REEXPORT_HOPS, Reach
from .layout import (DEPENDENCY_WORDS, application_files, find_module, module_name,
                     read_bytes, resolved_path)
from .texts import ProjectTexts

if TYPE_CHECKING:
    from .session import Session


def _line_count(model: Optional[ModuleModel]) -> int:
    body = model.tree.body if model is not None else ()
    return (body[-1].end_lineno or 0) if body else 0


class Project:
    """The modules below a set of search roots, modelled on demand; see the module doc."""

    def held_models(self):
        """(path, model) of every model the project holds."""
        return ((path, model) for path, (_, _, model) in self._models.items()
                if model is not None)

    def lines_of(self, path: Path) -> int:
        return self._models[path][1]

    def evict(self, paths: list[Path]) -> None:
        """Forget the models of these files (see Session.keep_within_budget), and the
        project's texts once it holds no model: a run has moved on to other projects."""
        entries = [self._models.pop(path) for path in paths]
        self.session.held_lines -= sum(lines for _, lines, _ in entries)
        self._forget([model for _, _, model in entries])
        if next(self.held_models(), None) is None:
            self._texts.forget()

    def forget_models(self) -> None:
        self._forget([model for _, model in self.held_models()])

    def _forget(self, models: list[ModuleModel]) -> None:
        """Drop every reference the project and its other models hold to these models,
        then break their cycles. What was learnt through them stays: results depend only
        on the files, and each model is rebuilt from its file when needed again."""
        gone = {id(model) for model in models}
        functions = {f for model in models for f in model.functions}
        classes = {c for model in models for c in model.classes}
        self._by_name = {name: model for name, model in self._by_name.items()
                         if id(model) not in gone}
        # Keys hold the function a result is about (see analysis/memo.py).
        self.summaries = {key: value for key, value in self.summaries.items()
                          if key[2] not in functions}
        for _, _, model in self._models.values():
            if model is not None:
                model.forget(functions, classes)
        for model in models:
            model.release()

    def __init__(self, session: Session, roots: tuple[Path, ...],
                 client_types: frozenset = frozenset()):
        self.session = session
        self.roots = roots
        self.client_types = client_types
        # path → (size and modification time, lines of code, model)
        self._models: dict[Path, tuple[tuple[int, int], int, Optional[ModuleModel]]] = {}
        self._paths: dict[str, Optional[Path]] = {}
        self._by_name: dict[str, Optional[ModuleModel]] = {}
        # Per-function results that depend only on the project's files (see analysis/memo.py).
        self.summaries: dict = {}
        self.recorded = RecordedDependencies(session, roots)
        # Resolved path → qualnames of its functions other modules use as dependencies.
        self._foreign_dependencies: Optional[dict[str, set[str]]] = None
        # The project-wide search (see `models_mentioning`).
        self._texts = ProjectTexts(self._read_texts)
        self._reach = Reach(self.name_of, self._texts.contents, self._texts.mentioning)
        self._searched_modules: frozenset[str] = frozenset()

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
        found, self.recorded.probed[module] = find_module(self.roots, module)
        return found

    def model_for(self, path: Path, tree: Optional[ast.Module] = None,
                  source: Optional[str] = None) -> Optional[ModuleModel]:
        """The model of a project file; `tree` and `source` are the checked file's."""
        path = resolved_path(path)
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        overlay = self.session.overlay
        if path in overlay:
            stamp = (-1, hash(overlay[path]))
        cached = self._models.get(path)
        if cached is not None and cached[0] == stamp:
            model = cached[2]
        else:
            model = self._build(path, tree, source)
            lines = _line_count(model)
            self.session.held_lines += lines - (cached[1] if cached is not None else 0)
            self._models[path] = (stamp, lines, model)
        if model is not None:
            model.last_used = self.session.clock
        return model

    def parsed_tree(self, path: Path, digest: str) -> Optional[ast.Module]:
        """The tree of the model held for the file, if it was built from content with
        this sha256."""
        path = resolved_path(path)
        cached = self._models.get(path)
        built_from = self.recorded.digests.get(str(path))
        if cached is None or cached[2] is None or built_from != digest:
            return None
        return cached[2].tree

    def _build(self, path: Path, tree: Optional[ast.Module],
               source: Optional[str]) -> Optional[ModuleModel]:
        if tree is None:
            try:
                source = read_bytes(path, self.session.overlay)
                # The content this model was built from, for the cache's dependency check.
                self.recorded.digests[str(path)] = hashlib.sha256(source).hexdigest()
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
        model = self._by_name[name]
        if model is not None:
            model.last_used = self.session.clock
        return model

    # ----- symbols -----------------------------------------------------------------------

    def lookup(self, qualname: str, origin: Optional[ModuleModel] = None,
               hops: int = 0) -> Optional[tuple[ModuleModel, Binding]]:
        """The module-level binding a qualified name of the project refers to, following
        re-exports; None for names outside the project. `origin` is the model whose code
        names it: the look-up is recorded as one of its dependencies (without one, as a
        dependency of every file: correct, but it makes the cache less effective)."""
        if hops > MAX_REEXPORT_HOPS or qualname.startswith("."):
            return None
        module_part, _, name = qualname.rpartition(".")
        if not module_part:
            return None
        origin_path = origin.path if origin is not None else ""
        self.recorded.use(origin_path, module_part)
        model = self.module(module_part)
        if model is None:
            return None
        bindings = [b for b in model.module_scope.bindings.get(name, ())
                    if b.kind in ("def", "class", "assign", "import")
                    and b.node not in model.global_writes]
        if not bindings:
            # `import pkg.sub` makes `pkg.sub` an attribute of pkg without a binding.
            return None
        binding = bindings[-1]
        if binding.kind == "import" and binding.qualname != qualname:
            return self.lookup(binding.qualname, model, hops + 1)
        return model, binding

    # ----- the project-wide search ---------------------------------------------------------

    def models_mentioning(self, word: str, origin: ModuleModel,
                          reaching: Optional[tuple[str, str]] = None) -> list[ModuleModel]:
        """The models of the project's files whose text holds `word`, in path order: where
        the project may assign `app.state.<word>` or call a class. The project is every
        `.py` file below its package root (the first search root) but tests and examples.
        `origin` asks, and its findings now depend on every one of those files, and on
        their listing (a file may appear and mention it: PROJECT_FILES).

        `reaching`, (module, name): only the files that can name that module-level
        function or class of the module, as their imports tell (see imports.Reach).
        Without it, a search for the calls of a `get` or of a helper every package of a
        monorepo defines builds the models of the whole project for one question."""
        paths = self._texts.mentioning(word)
        if origin.path not in self.recorded.searched_by:
            self.recorded.record_search(origin.path, self._searched_modules)
        if reaching is not None:
            paths = self._reach.files(paths, *reaching)
        found = [self.model_for(path) for path in paths]
        return [model for model in found if model is not None]

    def _read_texts(self) -> dict[Path, bytes]:
        """Every application file's content, as bytes: a decoded text with one character
        past Latin-1 takes two or four bytes a character."""
        texts = {}
        for name in application_files(str(self.roots[0])):
            path = Path(name)
            try:
                texts[resolved_path(path)] = read_bytes(path, self.session.overlay)
            except OSError:
                continue
        # The files as the result cache's dependencies know them: by module name.
        names = (self.name_of(path) for path in texts)
        self._searched_modules = frozenset(
            name for name in names if name is not None and self.path_of(name) is not None)
        return texts

    def used_as_dependency_elsewhere(self, model: ModuleModel) -> set[str]:
        """Qualnames of the model's functions that other project modules pass to
        `Depends()` / `Security()`: a search of the project, so the model's findings depend
        on every file of it (see `models_mentioning`)."""
        if self._foreign_dependencies is None:
            index: dict[str, set[str]] = {}
            users = {id(m): m for word in DEPENDENCY_WORDS
                     for m in self.models_mentioning(word, model)}
            for user in users.values():
                user.assign_roles()
                for path, qualname in user.foreign_dependencies:
                    index.setdefault(path, set()).add(qualname)
            self._foreign_dependencies = index
        else:
            self.models_mentioning(DEPENDENCY_WORDS[0], model)  # records the dependency
        return self._foreign_dependencies.get(model.path, set())

    def dependency_digests(self, path: Path) -> list[tuple[str, str]]:
        return self.recorded.digests_for(path, self._paths)
