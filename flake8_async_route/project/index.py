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
from typing import TYPE_CHECKING, Callable, Hashable, NamedTuple, Optional, TypeVar

from ..model import Binding, ModuleModel, NamesFunctions
from .dependencies import RecordedDependencies
from .imports import MAX_REEXPORT_HOPS
from .layout import find_module, module_name, read_bytes, resolved_path
from .search import ProjectSearch

if TYPE_CHECKING:
    from .session import Session

T = TypeVar("T")


class Definition(NamedTuple):
    """Where a qualified name of the project is defined: a module-level binding."""
    module: str
    name: str
    kind: str  # def | class | assign | import (of something outside the project)
    display_path: str


def _exports(model: ModuleModel) -> tuple[dict, str, str]:
    return model.exports(), model.path, model.display_path()


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
            self.search.texts.forget()

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
                          if key[2] not in functions and not (
                              isinstance(value, NamesFunctions) and
                              not functions.isdisjoint(value.named()))}
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
        # (question, resolved path) → what it found in the file's model: see `answer`.
        self._answers: dict[tuple[Hashable, Path], object] = {}
        # Per-function results that depend only on the project's files (see analysis/memo.py).
        self.summaries: dict = {}
        self.recorded = RecordedDependencies(session, roots)
        self.search = ProjectSearch(self)

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
        stamp = self._stamp(path)
        if stamp is None:
            return None
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

    def _stamp(self, path: Path) -> Optional[tuple[int, int]]:
        """What tells a held model of the resolved path from a stale one."""
        try:
            stat = path.stat()
        except OSError:
            return None
        if path in self.session.overlay:
            return -1, hash(self.session.overlay[path])
        return stat.st_mtime_ns, stat.st_size

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
        origin_path = origin.path if origin is not None else ""
        found = self._follow(qualname, origin_path, hops, self._held_binding)
        if found is None:
            return None
        model = self._by_name[found.module]  # held by `_held_binding`
        return model, model.exported_binding(found.name)

    def definition_site(self, qualname: str, origin: ModuleModel) -> Optional[Definition]:
        """Where `lookup` would find the name, from the defining module's summary: the
        model of a module asked only this (which object is the `router` an application
        includes) is not held, which an application's `main.py` asks of every router."""
        return self._follow(qualname, origin.path, 0, self._summary_binding)

    def _follow(self, qualname: str, origin_path: str, hops: int,
                binding_of) -> Optional[Definition]:
        if hops > MAX_REEXPORT_HOPS or qualname.startswith("."):
            return None
        module_part, _, name = qualname.rpartition(".")
        if not module_part:
            return None
        self.recorded.use(origin_path, module_part)
        found = binding_of(module_part, name)
        if found is None:
            # `import pkg.sub` makes `pkg.sub` an attribute of pkg without a binding.
            return None
        (kind, target), path, display_path = found
        if kind == "import" and target != qualname:
            return self._follow(target, path, hops + 1, binding_of)
        return Definition(module_part, name, kind, display_path)

    def _held_binding(self, module: str, name: str):
        model = self.module(module)
        binding = model.exported_binding(name) if model is not None else None
        if binding is None:
            return None
        return (binding.kind, binding.qualname), model.path, model.display_path()

    def _summary_binding(self, module: str, name: str):
        path = self.path_of(module)
        summary = self.answer(path, "exports", _exports) if path is not None else None
        if summary is None or name not in summary[0]:
            return None
        exports, path, display_path = summary
        return exports[name], path, display_path

    def answer(self, path: Path, question: Hashable, ask: Callable[[ModuleModel], T],
               keep: Callable[[T], bool] = lambda _: False) -> Optional[T]:
        """What `ask` finds in the file's model, None when it has none, once a file and
        question (files do not change during a run). A model built for the question is
        forgotten right after it unless `keep` says the answer needs it: the question is
        all the analysis asks of most such files, and an application's `main.py` or a
        search for the calls of a `get(` method asks it of a hundred. Forgotten as between
        files (see Session.keep_within_budget): what was learnt through it stays."""
        path = resolved_path(path)
        key = (question, path)
        if key not in self._answers:
            before = self._models.get(path)
            model = self.model_for(path)
            self._answers[key] = found = ask(model) if model is not None else None
            built_now = before is None or before[2] is not model
            if model is not None and built_now and not keep(found):
                self.evict([path])
        return self._answers[key]

    def dependency_digests(self, path: Path) -> list[tuple[str, str]]:
        return self.recorded.digests_for(path, self._paths)
