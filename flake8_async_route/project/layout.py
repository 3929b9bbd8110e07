"""Where a project's files are: package roots, search roots, the application files the
project-wide search reads, and their content (or the session's overlay of it)."""
from __future__ import annotations

import gc
import hashlib
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Optional

from .. import catalog


def _is_application_part(part: str) -> bool:
    """A directory or module name (no `.py`) that is not a test, an example or docs."""
    return not (part in _NOT_APPLICATION_PARTS or part.startswith("test_")
                or part.endswith("_test"))


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
    directory = _real_path(directory_name)
    highest = _highest_package(directory)
    return Path(os.path.dirname(highest) if highest is not None else directory)


@lru_cache(maxsize=None)
def _highest_package(directory: str) -> Optional[str]:
    """The highest directory with an `__init__.py` from this resolved one up to the
    repository's top: found from its parent's answer, as the directories of a project
    share their ancestors (each is asked about once per run)."""
    parent = os.path.dirname(directory)
    if parent == directory:
        return None
    own = directory if os.path.exists(os.path.join(directory, "__init__.py")) else None
    if _has_repository_marker(directory):
        return own
    above = _highest_package(parent)
    return above if above is not None else own


def search_roots(path: Path) -> tuple:
    """Where imports of the file's project are looked for: its package root, then each
    directory above it up to the repository's top (or the working directory), for
    scripts that import sibling directories as implicit namespace packages."""
    return _search_roots(str(path.parent), os.getcwd())


@lru_cache(maxsize=None)
def _search_roots(directory_name: str, cwd_name: str) -> tuple:
    return _search_roots_from(_package_root(directory_name), cwd_name)


@lru_cache(maxsize=None)
def _search_roots_from(root: Path, cwd_name: str) -> tuple:
    """`_search_roots` of every directory of a package: they share its root."""
    roots, directory, cwd = [root], root, Path(_real_path(cwd_name))
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
def application_files(root_name: str) -> tuple[str, ...]:
    """The paths of the project's `.py` files below its package root that the project-wide
    search reads, sorted: not tests, examples, installed code or hidden directories; none
    past MAX_SEARCHED_FILES (the search then gives up). Strings: a warm run lists them
    only to hash the listing."""
    paths: list[str] = []
    below_root = len(os.path.join(root_name, ""))
    for directory, subdirectories, files in os.walk(root_name):
        subdirectories[:] = sorted(
            d for d in subdirectories
            if not d.startswith(".") and d not in _NOT_PROJECT_DIRECTORIES
            and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg")))
        relative = directory[below_root:]  # strings: a Path per file was most of the walk
        if relative and not all(map(_is_application_part, relative.split(os.sep))):
            continue
        paths.extend(os.path.join(directory, f) for f in sorted(files)
                     if f.endswith(".py") and _is_application_part(f[:-3]))
        if len(paths) > MAX_SEARCHED_FILES:
            return ()
    return tuple(paths)


@lru_cache(maxsize=None)  # as long as the listing it hashes (every file asks)
def application_files_digest(root_name: str) -> str:
    listing = "\n".join(application_files(root_name))
    return hashlib.sha256(listing.encode("utf-8", "surrogatepass")).hexdigest()


resolved_paths: dict = {}


def resolved_path(path: Path) -> Path:
    """`path.resolve()`, asked of the file system once per path, and once per directory
    for the files in it: a run resolves the same files over and over, and symlinks do not
    change while it lasts (`Session.forget_all` forgets the answers)."""
    key = str(path) if path.is_absolute() else (os.getcwd(), str(path))
    found = resolved_paths.get(key)
    if found is None:
        found = resolved_paths[key] = Path(resolved_name(path))
    return found


def resolved_name(path: Path) -> str:
    """`str(resolved_path(path))` without making a `Path` (most of a warm run's look-ups)."""
    return _real_path(str(path))


def known_resolved_name(path: Path, real: str) -> None:
    """Tell `resolved_name` the answer for a path found by walking its resolved directory."""
    name = str(path)
    real_paths[name if os.path.isabs(name) else (os.getcwd(), name)] = real


real_paths: dict = {}
_DOTS = frozenset({".", ".."})


def _real_path(name: str) -> str:
    """`os.path.realpath`, from the parent directory's unless the path is a link: the files
    and directories of a run share their ancestors, each is asked of the file system once."""
    absolute = os.path.isabs(name)
    key = name if absolute else (os.getcwd(), name)
    found = real_paths.get(key)
    if found is None:
        parent, base = os.path.split(name if absolute else os.path.join(key[0], name))
        if base in _DOTS or not base or not _DOTS.isdisjoint(parent.split(os.sep)) or \
                os.path.islink(name):
            found = os.path.realpath(name)
        else:
            found = os.path.join(_real_path(parent), base)
        real_paths[key] = found
    return found


def forget_resolved_paths() -> None:
    resolved_paths.clear()
    real_paths.clear()


def module_name(path: Path, root: Path) -> Optional[str]:
    try:
        relative = resolved_path(path).relative_to(root)
    except ValueError:
        return None
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


# The digest of a file that cannot be read (most often: a module path an import could
# have meant, which does not exist).
ABSENT = "absent"


def file_digest(path: Path, overlay: dict[Path, bytes]) -> str:
    try:
        return hashlib.sha256(read_bytes(path, overlay)).hexdigest()
    except OSError:
        return ABSENT


def read_bytes(path: Path, overlay: dict[Path, bytes]) -> bytes:
    """The content of a file, or the one the overlay holds for it (see Session.overlay)."""
    if overlay:
        content = overlay.get(resolved_path(path))
        if content is not None:
            return content
    return path.read_bytes()


@contextmanager
def long_lived_objects():
    """Around each file's analysis in a long run (the flake8 plugin, the audit), and the
    audit's composing of its report. The models outlive files, and the report's objects
    the run, so collection passes over them are wasted, and costly: collect what came
    before (a cheap pass, as frozen objects are not visited), work with the collector off,
    then freeze what is alive. Forgotten models are freed without the collector (see
    ModuleModel.release)."""
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def find_module(roots: tuple[Path, ...], module: str) -> tuple[Optional[Path], tuple[Path, ...]]:
    """The file of a dotted module name below the first root that has it, and every file
    tried on the way (creating one tried before the one found moves the module)."""
    parts = module.split(".")
    probed: list[Path] = []
    if all(p.isidentifier() for p in parts):
        for root in roots:
            base = root.joinpath(*parts)
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                probed.append(candidate)
                if candidate.is_file():
                    return candidate, tuple(probed)
    return None, tuple(probed)
