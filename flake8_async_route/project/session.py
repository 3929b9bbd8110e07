"""The state one process keeps across the files it checks: the projects and their models, the
model budget, and the overlay of fixed content not written yet."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Optional

from .index import Project
from .layout import (application_files, application_files_digest, forget_resolved_paths,
                     search_roots)

# A parsed model costs about 2 KB of memory per line of code. Past this many lines held,
# the projects forget their models and the summaries built on them before the next checked
# file, so memory stays flat however large the code base; findings do not change, as every
# model is rebuilt on demand from the same files.
BUDGET_VARIABLE = "FLAKE8_ASYNC_ROUTE_MODEL_BUDGET"
DEFAULT_BUDGET_LINES = 100_000


def model_budget_lines() -> int:
    try:
        return max(0, int(os.environ.get(BUDGET_VARIABLE, DEFAULT_BUDGET_LINES)))
    except ValueError:
        return DEFAULT_BUDGET_LINES


class Session:
    def __init__(self) -> None:
        self._projects: dict[tuple, Project] = {}  # by (roots, declared client types)
        # Content that replaces files on disk, by resolved path: the fixes applied but not
        # written yet (see fixes/apply.py). Set it only with the projects forgotten (`forget_all`).
        self.overlay: dict[Path, bytes] = {}
        self.held_lines = 0  # lines of code in the models all projects hold
        self.clock = 0  # files checked so far: a model's `last_used` is the clock then
        self._checking: Optional[Project] = None  # the project of the file checked last

    def project_for(self, filename: str, source_roots: Iterable[str] = (),
                    client_types: frozenset = frozenset()) -> Optional[Project]:
        """The project of a file; `client_types` are the sync client types the user declared
        (`async-route-sync-client-types`): they type values, so they are part of the key."""
        if not filename or filename in ("-", "stdin") or not filename.endswith(".py"):
            return None
        path = Path(filename)
        extra = (Path(root).resolve() for root in source_roots)
        roots = tuple(dict.fromkeys([*search_roots(path), *extra]))
        key = (roots, client_types)
        if key not in self._projects:
            self._projects[key] = Project(self, roots, client_types)
        return self._projects[key]

    def forget_all(self) -> None:
        """Drop every project and the models it holds: files changed."""
        for project in self._projects.values():
            project.forget_models()
        self._projects.clear()
        self._checking = None
        self.held_lines = 0
        forget_resolved_paths()
        application_files.cache_clear()
        application_files_digest.cache_clear()

    def held_models(self):
        """(project, path, model) of every model the projects hold."""
        return ((project, path, model) for project in self._projects.values()
                for path, model in project.held_models())

    def keep_within_budget(self, checking: Optional[Project] = None) -> None:
        """Before the analysis of a file of `checking` (None: of no project). When the last
        file was of another project, forget the models of every other. Then, once the
        models hold more lines than the budget, forget the least recently used ones (a
        checked file that nothing imports is used once) down to three quarters of it. Call
        it only between files: an analysis under way holds on to its models."""
        self.clock += 1
        if checking is not None and checking is not self._checking:
            self._checking = checking
            self._forget_other_projects(checking)
        budget = model_budget_lines()
        if self.held_lines <= budget:
            return
        held = sorted((model.last_used, id(model), project, path)
                      for project, path, model in self.held_models())
        evicted: dict[Project, list[Path]] = {}
        remaining = self.held_lines
        for _, _, project, path in held:
            if remaining <= budget * 3 // 4:
                break
            remaining -= project.lines_of(path)
            evicted.setdefault(project, []).append(path)
        for project, paths in evicted.items():
            project.evict(paths)

    def _forget_other_projects(self, checking: Project) -> None:
        """A run moved on to the files of another project: no analysis of them uses the
        models of the others (models lead only into their own project), and one analysis
        can bring in as many lines as the budget (an application's `main.py` resolves every
        router it includes), so the others' would only add to that peak. A directory's files
        come together in a run (and in each chunk of a `flake8 -jN` run), so this happens
        about once a project."""
        for project in self._projects.values():
            if project is not checking:
                project.evict([path for path, _ in project.held_models()])


SESSION = Session()
