"""The project-wide search: the files of a project that may assign `app.state.<name>`,
call a function or a class, or pass a function to `Depends()`, found from their text and
their imports, and the models of those files."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Hashable, Iterator, Optional, TypeVar

from ..model import ModuleModel
from .imports import Reach
from .layout import DEPENDENCY_WORDS, application_files, read_bytes, resolved_path
from .texts import ProjectTexts

if TYPE_CHECKING:
    from .index import Project

T = TypeVar("T")


def _used_dependencies(model: ModuleModel) -> list[tuple[str, str]]:
    model.assign_roles()
    return model.foreign_dependencies


class ProjectSearch:
    """The search of one project (see Project.search)."""

    def __init__(self, project: Project):
        self._project = project
        self.texts = ProjectTexts(self._read_texts)
        self._reach = Reach(project.name_of, self.texts.contents, self.texts.mentioning)
        self._searched_modules: frozenset[str] = frozenset()
        # Resolved path → qualnames of its functions other modules use as dependencies.
        self._foreign_dependencies: Optional[dict[str, set[str]]] = None

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
        paths = self._mentioning(word, origin, reaching)
        found = [self._project.model_for(path) for path in paths]
        return [model for model in found if model is not None]

    def models_answering(self, word: str, origin: ModuleModel, reaching: Optional[tuple],
                         question: Hashable, ask: Callable[[ModuleModel], T],
                         wanted: Callable[[Optional[T]], bool]) -> Iterator[ModuleModel]:
        """`models_mentioning`, one at a time, but only the models whose answer to the
        question is wanted (see Project.answer). The files naming a `get(` method are many,
        the ones calling it few, and the others' models are not held for the question."""
        for path in self._mentioning(word, origin, reaching):
            if wanted(self._project.answer(path, question, ask, keep=wanted)):
                model = self._project.model_for(path)
                if model is not None:
                    yield model

    def _mentioning(self, word: str, origin: ModuleModel,
                    reaching: Optional[tuple[str, str]]) -> tuple[Path, ...]:
        paths = self.texts.mentioning(word)
        if origin.path not in self._project.recorded.searched_by:
            self._project.recorded.record_search(origin.path, self._searched_modules)
        if reaching is not None:
            paths = self._reach.files(paths, *reaching)
        return paths

    def _read_texts(self) -> dict[Path, bytes]:
        """Every application file's content, as bytes: a decoded text with one character
        past Latin-1 takes two or four bytes a character."""
        texts = {}
        for name in application_files(str(self._project.roots[0])):
            path = Path(name)
            try:
                texts[resolved_path(path)] = read_bytes(path, self._project.session.overlay)
            except OSError:
                continue
        # The files as the result cache's dependencies know them: by module name.
        names = (self._project.name_of(path) for path in texts)
        self._searched_modules = frozenset(
            name for name in names
            if name is not None and self._project.path_of(name) is not None)
        return texts

    def used_as_dependency_elsewhere(self, model: ModuleModel) -> set[str]:
        """Qualnames of the model's functions that other project modules pass to
        `Depends()` / `Security()`: a search of the project, so the model's findings depend
        on every file of it (see `models_mentioning`)."""
        if self._foreign_dependencies is None:
            index: dict[str, set[str]] = {}
            users = dict.fromkeys(path for word in DEPENDENCY_WORDS
                                  for path in self._mentioning(word, model, None))
            for user in users:  # most are used once a run: their models are not held
                found = self._project.answer(user, "dependencies", _used_dependencies)
                for path, qualname in found or ():
                    index.setdefault(path, set()).add(qualname)
            self._foreign_dependencies = index
        else:
            self._mentioning(DEPENDENCY_WORDS[0], model, None)  # records the dependency
        return self._foreign_dependencies.get(model.path, set())
