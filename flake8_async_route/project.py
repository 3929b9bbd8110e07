"""The project around a checked file: where its modules live on disk, parsed on demand.

Modules of the project are parsed (never imported or executed) the first time an analysis
needs them and cached for the life of the process, keyed by path and checked against the
file's size and modification time. Third-party and standard-library modules are never
parsed: the catalog describes them.

For the result cache, the project also records which files a checked file's findings can
depend on: see `dependencies`.
"""
from __future__ import annotations

import ast
import gc
import hashlib
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from . import catalog
from .model import Binding, ModuleModel

# Re-exports (`from .impl import x` in `__init__.py`) followed before giving up.
MAX_REEXPORT_HOPS = 8
# A parsed model costs about 2 KB of memory per line of code. Past this many lines held,
# the projects forget their models and the summaries built on them before the next checked
# file, so memory stays flat however large the code base; findings do not change, as every
# model is rebuilt on demand from the same files.
BUDGET_VARIABLE = "FLAKE8_ASYNC_ROUTE_MODEL_BUDGET"
DEFAULT_BUDGET_LINES = 100_000


def _is_application_code(relative: Path) -> bool:
    parts = [*relative.parent.parts, relative.stem]
    return not any(part in _NOT_APPLICATION_PARTS or part.startswith("test_")
                   or part.endswith("_test") for part in parts)


def model_budget_lines() -> int:
    try:
        return max(0, int(os.environ.get(BUDGET_VARIABLE, DEFAULT_BUDGET_LINES)))
    except ValueError:
        return DEFAULT_BUDGET_LINES


# Directories the project-wide search for writes (`app.state.x = ...`, `Service(client)`)
# never enters: installed code, caches, version control.
_NOT_PROJECT_DIRECTORIES = frozenset({"__pycache__", "node_modules", "site-packages", "build",
                                      "dist", "venv", "env"})
# Nor does it read tests and examples: what they build or subclass is not what the
# application chooses at startup (a test passes a sync client where the app passes an
# async one, an example implements an interface with `time.sleep`).
_NOT_APPLICATION_PARTS = frozenset({"test", "tests", "testing", "example", "examples",
                                    "test_examples", "conftest", "docs"})
# Past this many files the project-wide search gives up (and infers nothing from it).
MAX_SEARCHED_FILES = 5000

# Files that mark the top of a repository: the search for packages stops there.
REPOSITORY_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def _is_repository_top(directory: Path) -> bool:
    return _has_repository_marker(str(directory))


@lru_cache(maxsize=None)
def _has_repository_marker(directory_name: str) -> bool:
    # Asked for each directory above every checked one: once per directory per run.
    return any(os.path.exists(os.path.join(directory_name, marker))
               for marker in REPOSITORY_MARKERS)


def project_root(path: Path) -> Path:
    """The directory above the file's top package (its own directory for a script).
    Directories without `__init__.py` between packages (namespace packages, as in
    `app/routers/` inside `app/`) do not end the package; the search stops at the
    repository's top."""
    return _package_root(str(path.parent))


@lru_cache(maxsize=None)
def _package_root(directory_name: str) -> Path:
    # Every file of a directory shares the answer: the file system is asked once per run.
    directory = Path(os.path.realpath(directory_name))
    root = directory
    while directory.parent != directory:
        if (directory / "__init__.py").exists():
            root = directory.parent
        if _is_repository_top(directory):
            break
        directory = directory.parent
    return root


def search_roots(path: Path) -> tuple:
    """Where imports of the file's project are looked for: its package root, then each
    directory above it up to the repository's top (or the working directory), for
    scripts that import sibling directories as implicit namespace packages."""
    return _search_roots(str(path.parent), os.getcwd())


@lru_cache(maxsize=None)
def _search_roots(directory_name: str, cwd_name: str) -> tuple:
    root = _package_root(directory_name)
    roots, directory, cwd = [root], root, Path(os.path.realpath(cwd_name))
    while directory != cwd and directory.parent != directory and \
            not _is_repository_top(directory):
        directory = directory.parent
        roots.append(directory)
    stopped_at_top = directory == cwd or _is_repository_top(directory)
    return tuple(roots) if stopped_at_top else (root,)


# What a module that passes a function to `Depends()` / `Security()` must contain.
DEPENDENCY_WORDS = tuple(sorted(name.rpartition(".")[2] for name in catalog.DEPENDS))
# A cache dependency standing for "which application files the project has": followed by
# the package root they are listed from (see `application_files`), so that a file appearing
# invalidates the entries of files that searched the whole project.
PROJECT_FILES = "<project-files>"


@lru_cache(maxsize=None)
def application_files(root_name: str) -> tuple[Path, ...]:
    """The project's `.py` files below its package root that the project-wide search reads,
    sorted: not tests, examples, installed code or hidden directories; none past
    MAX_SEARCHED_FILES (the search then gives up)."""
    root, paths = Path(root_name), []
    for directory, subdirectories, files in os.walk(root_name):
        subdirectories[:] = sorted(
            d for d in subdirectories
            if not d.startswith(".") and d not in _NOT_PROJECT_DIRECTORIES
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg")))
        paths.extend(Path(directory, f) for f in sorted(files)
                     if f.endswith(".py") and _is_application_code(
                         Path(directory, f).relative_to(root)))
        if len(paths) > MAX_SEARCHED_FILES:
            return ()
    return tuple(paths)


def application_files_digest(root_name: str) -> str:
    listing = "\n".join(str(path) for path in application_files(root_name))
    return hashlib.sha256(listing.encode("utf-8", "surrogatepass")).hexdigest()


_resolved_paths: dict = {}


def resolved_path(path: Path) -> Path:
    """`path.resolve()`, asked of the file system once per path: a run resolves the same
    files over and over, and symlinks do not change while it lasts (`Project.forget_all`
    forgets the answers)."""
    key = str(path) if path.is_absolute() else (os.getcwd(), str(path))
    found = _resolved_paths.get(key)
    if found is None:
        found = _resolved_paths[key] = path.resolve()
    return found


def module_name(path: Path, root: Path) -> Optional[str]:
    try:
        relative = resolved_path(path).relative_to(root)
    except ValueError:
        return None
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except OSError:
        return "absent"


def read_bytes(path: Path) -> bytes:
    """The content of a file, or the one `Project.overlay` holds for it."""
    if Project.overlay:
        content = Project.overlay.get(resolved_path(path))
        if content is not None:
            return content
    return path.read_bytes()


@contextmanager
def long_lived_models():
    """Around each file's analysis in a long run (the flake8 plugin, the audit). The models
    outlive files, so collection passes over them are wasted, and costly: collect what the
    last file left (a cheap pass, as frozen objects are not visited), analyse with the
    collector off, then freeze what is alive. Forgotten models are freed without the
    collector (see ModuleModel.release)."""
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _line_count(model: Optional[ModuleModel]) -> int:
    body = model.tree.body if model is not None else ()
    return (body[-1].end_lineno or 0) if body else 0


class Project:
    _by_roots: dict[tuple, "Project"] = {}  # by (roots, declared client types)
    # Content that replaces files on disk, by resolved path: the fixes applied but not
    # written yet (see fixer.py). Set it only with the projects forgotten (`forget_all`).
    overlay: dict[Path, bytes] = {}
    held_lines = 0  # lines of code in the models all projects hold
    clock = 0  # files checked so far: a model's `last_used` is the clock when it was used

    @classmethod
    def forget_all(cls) -> None:
        """Drop every project and the models it holds: files changed."""
        for project in cls._by_roots.values():
            project._forget([model for _, _, model in project._models.values()
                             if model is not None])
        cls._by_roots.clear()
        cls.held_lines = 0
        _resolved_paths.clear()
        application_files.cache_clear()

    @classmethod
    def keep_within_budget(cls) -> None:
        """Once the models hold more lines than the budget, forget the least recently used
        ones (a checked file that nothing imports is used once) down to three quarters of
        it. Call it only between files: an analysis under way holds on to its models."""
        cls.clock += 1
        budget = model_budget_lines()
        if cls.held_lines <= budget:
            return
        held = sorted((model.last_used, id(model), project, path)
                      for project in cls._by_roots.values()
                      for path, (_, _, model) in project._models.items() if model is not None)
        evicted: dict[Project, list[ModuleModel]] = {}
        for _, _, project, path in held:
            if cls.held_lines <= budget * 3 // 4:
                break
            _, lines, model = project._models.pop(path)
            cls.held_lines -= lines
            evicted.setdefault(project, []).append(model)
        for project, models in evicted.items():
            project._forget(models)

    def _forget(self, models: list[ModuleModel]) -> None:
        """Drop every reference the project and its other models hold to these models,
        then break their cycles. What was learnt through them stays: results depend only
        on the files, and each model is rebuilt from its file when needed again."""
        gone = {id(model) for model in models}
        functions = {f for model in models for f in model.functions}
        classes = {c for model in models for c in model.classes}
        self._by_name = {name: model for name, model in self._by_name.items()
                         if id(model) not in gone}
        # Keys hold the function a result is about (see analysis.py).
        self.summaries = {key: value for key, value in self.summaries.items()
                          if key[2] not in functions}
        for _, _, model in self._models.values():
            if model is not None:
                model.forget(functions, classes)
        for model in models:
            model.release()

    def __init__(self, roots: tuple[Path, ...], client_types: frozenset = frozenset()):
        self.roots = roots
        self.client_types = client_types
        # path → (size and modification time, lines of code, model)
        self._models: dict[Path, tuple[tuple[int, int], int, Optional[ModuleModel]]] = {}
        self._paths: dict[str, Optional[Path]] = {}
        self._by_name: dict[str, Optional[ModuleModel]] = {}
        # Per-function results that depend only on the project's files (see analysis.py).
        self.summaries: dict = {}
        # Dependency recording (see `dependencies`): the module names looked up on behalf of
        # each model, by its path, and the files whose existence decided where a module is.
        self._uses: dict[str, set[str]] = {}
        self._probed: dict[str, tuple[Path, ...]] = {}
        self._resolved: dict[str, tuple[Path, str]] = {}
        self._probed_strings: dict[str, tuple[str, ...]] = {}
        self._digests: dict[str, str] = {}  # resolved path → sha256
        # Resolved path → qualnames of its functions other modules use as dependencies.
        self._foreign_dependencies: Optional[dict[str, set[str]]] = None
        # The project-wide search (see `models_mentioning`): every file's text, read once,
        # and the files each searched word is in.
        self._texts: Optional[dict[Path, str]] = None
        self._mentioning: dict[str, tuple[Path, ...]] = {}
        self._searched_modules: frozenset[str] = frozenset()
        self._searched_by: set[str] = set()  # paths of the models that depend on them all

    @classmethod
    def for_file(cls, filename: str, source_roots: Iterable[str] = (),
                 client_types: frozenset = frozenset()) -> Optional["Project"]:
        """The project of a file; `client_types` are the sync client types the user declared
        (`async-route-sync-client-types`): they type values, so they are part of the key."""
        if not filename or filename in ("-", "stdin") or not filename.endswith(".py"):
            return None
        path = Path(filename)
        extra = (Path(root).resolve() for root in source_roots)
        roots = tuple(dict.fromkeys([*search_roots(path), *extra]))
        key = (roots, client_types)
        if key not in cls._by_roots:
            cls._by_roots[key] = cls(roots, client_types)
        return cls._by_roots[key]

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
        probed: list[Path] = []
        found = None
        if all(p.isidentifier() for p in parts):
            for root in self.roots:
                base = root.joinpath(*parts)
                for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                    probed.append(candidate)
                    if candidate.is_file():
                        found = candidate
                        break
                if found is not None:
                    break
        # Creating a file tried before the one found (or any, when none was) moves the
        # module: each of them is a dependency of whoever looked the module up.
        self._probed[module] = tuple(probed)
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
        if path in self.overlay:
            stamp = (-1, hash(self.overlay[path]))
        cached = self._models.get(path)
        if cached is not None and cached[0] == stamp:
            model = cached[2]
        else:
            model = self._build(path, tree, source)
            lines = _line_count(model)
            Project.held_lines += lines - (cached[1] if cached is not None else 0)
            self._models[path] = (stamp, lines, model)
        if model is not None:
            model.last_used = Project.clock
        return model

    def parsed_tree(self, path: Path, digest: str) -> Optional[ast.Module]:
        """The tree of the model held for the file, if it was built from content with
        this sha256."""
        path = resolved_path(path)
        cached = self._models.get(path)
        if cached is None or cached[2] is None or self._digests.get(str(path)) != digest:
            return None
        return cached[2].tree

    def _build(self, path: Path, tree: Optional[ast.Module],
               source: Optional[str]) -> Optional[ModuleModel]:
        if tree is None:
            try:
                source = read_bytes(path)
                # The content this model was built from, for the cache's dependency check.
                self._digests[str(path)] = hashlib.sha256(source).hexdigest()
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
            model.last_used = Project.clock
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
        self._uses.setdefault(origin.path if origin is not None else "", set()).add(module_part)
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

    def models_mentioning(self, word: str, origin: ModuleModel) -> list[ModuleModel]:
        """The models of the project's files whose text holds `word`, in path order: where
        the project may assign `app.state.<word>` or call a class. The project is every
        `.py` file below its package root (the first search root) but tests and examples.
        `origin` asks, and its findings now depend on every one of those files, and on
        their listing (a file may appear and mention it: PROJECT_FILES)."""
        texts = self._project_texts()
        if word not in self._mentioning:
            self._mentioning[word] = tuple(path for path, text in texts.items() if word in text)
        if origin.path not in self._searched_by:
            self._searched_by.add(origin.path)
            self._uses.setdefault(origin.path, set()).update(self._searched_modules)
        found = [self.model_for(path) for path in self._mentioning[word]]
        return [model for model in found if model is not None]

    def _project_texts(self) -> dict[Path, str]:
        if self._texts is None:
            self._texts = {}
            for path in application_files(str(self.roots[0])):
                try:
                    self._texts[resolved_path(path)] = read_bytes(path).decode(
                        "utf-8", "replace")
                except OSError:
                    continue
            # The files as the result cache's dependencies know them: by module name.
            names = (self.name_of(path) for path in self._texts)
            self._searched_modules = frozenset(
                name for name in names if name is not None and self.path_of(name) is not None)
        return self._texts

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

    # ----- dependencies, for the result cache --------------------------------------------

    def dependencies(self, path: Path) -> list[str]:
        """The files the findings of the file at `path` can depend on, itself excluded:
        those of the modules it looks up, of the modules they look up, and so on, plus the
        files whose absence decided where each of those modules is (they may not exist).

        Why this is complete even though results are memoised across files (summaries on
        the project, resolved names and types on each model): every look-up is recorded
        against the model whose code makes it (`origin`), once and for the life of the
        process, and a memoised result about a module is computed only from that module's
        own code and from models it reached through such look-ups (every call is judged in
        the model of the module it is written in; see analysis.py). So whatever a memo
        hit reuses was reached through recorded edges, and the closure over all edges
        recorded so far, from whichever file, covers it. Edges recorded for other files'
        questions may add files a finding did not need: a safe superset."""
        start = str(resolved_path(path))
        files_seen, modules_seen = {start}, set()
        found: set[str] = set()
        queue = [start, ""]  # "": look-ups made without an origin
        for origin in queue:  # grows while it is read: breadth first
            for module in self._uses.get(origin, ()):
                if module in modules_seen:
                    continue
                modules_seen.add(module)
                found.update(self._probed_names(module))
                target = self._resolved_path(module)
                if target is not None:
                    found.add(target[1])
                    if target[1] not in files_seen:
                        files_seen.add(target[1])
                        queue.append(target[1])
        found.discard(start)
        return sorted(found)

    def _probed_names(self, module: str) -> tuple[str, ...]:
        if module not in self._probed_strings:
            self._probed_strings[module] = tuple(map(str, self._probed.get(module, ())))
        return self._probed_strings[module]

    def _resolved_path(self, module: str) -> Optional[tuple[Path, str]]:
        """The module's file, resolved, and as the string `_uses` is keyed by."""
        if module not in self._resolved:
            target = self._paths.get(module)
            if target is None:
                return None  # not looked for yet, or not found: ask again next time
            target = resolved_path(target)
            self._resolved[module] = (target, str(target))
        return self._resolved[module]

    def dependency_digests(self, path: Path) -> list[tuple[str, str]]:
        """(path, sha256) of each of `dependencies(path)`: what a cache entry checks; for a
        file whose analysis searched the whole project, also the project's listing."""
        digests = [(name, self.digest(name)) for name in self.dependencies(path)]
        if str(resolved_path(path)) in self._searched_by:
            root = str(self.roots[0])
            digests.append((PROJECT_FILES + root, application_files_digest(root)))
        return digests

    def digest(self, name: str) -> str:
        """sha256 of the content a model was built from (read now for a file never built
        from disk, such as a checked file); "absent" for a file that cannot be read."""
        if name not in self._digests:
            self._digests[name] = file_digest(Path(name))
        return self._digests[name]
