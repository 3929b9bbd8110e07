"""The flake8 plugin's result cache: one JSON entry per checked file, so a run re-analyses
only what changed, and the keys and directory it shares with the command line's cache.

flake8 checks files in worker processes that end without notice, so each entry is written
as soon as its file is checked; the command line, whose one process sees the whole run,
keeps one index instead (cache_index.py) in the same directory. A plugin entry holds the
raw findings flake8 filters itself, the command line's the report after `# noqa`.

An entry is found by a key made of the tool (its version and the code of this package), the
analysis configuration, the working directory (reports show paths relative to it), the
file's resolved path and project roots, and the file's content. Findings also depend on the
project modules the file imports, transitively (ASR110 follows calls into them), so each
entry names the list of those files (see `RecordedDependencies.files_for`, and
cache_lists.py for how the lists are shared) and holds one sha256 of the contents they
were analysed with; it is used only while every one of them still has that content.

An entry's name is `<slot>-<version>.json`: the slot hashes the file's identity (kind,
working directory, path, project roots), the version everything else (tool, configuration,
content). Writing a file's new entry removes its slot's other versions, so the directory
holds one entry per file however often it, the options or the tool change. Entries are
written atomically. An entry that cannot be read or does not match is a miss, never an
error; a directory that cannot be written disables the cache with one warning.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from . import __version__
from .atomic import write_atomically
from .cache_lists import DependencyLists
from .config import Config
from .options import ANALYSIS_OPTIONS
from .project import (
    PROJECT_FILES,
    SESSION,
    application_files_digest,
    file_digest,
    resolved_path,
)

FORMAT = 1
T = TypeVar("T")
PACKAGE_DIR = Path(__file__).resolve().parent
_tool: Optional[str] = None


def tool_fingerprint() -> str:
    """The version, the Python running it (`ast` and its unparsing, which messages quote,
    vary between versions), and a hash of this package's code: a development checkout whose
    code changed without a new version number must not reuse old results."""
    global _tool
    if _tool is None:
        digest = hashlib.sha256(f"{__version__}\0{sys.implementation.cache_tag}".encode())
        for path in sorted(PACKAGE_DIR.rglob("*.py")):
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
            digest.update(file_digest(path, SESSION.overlay).encode())
        _tool = f"{__version__}+{digest.hexdigest()[:16]}"
    return _tool


def config_digest(config: Config) -> str:
    """A stable hash of every option the analysis reads."""
    material = {option.analysis: config.inputs[option.analysis] for option in ANALYSIS_OPTIONS}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def warn(message: str) -> None:
    print(f"flake8-async-route: warning: {message}", file=sys.stderr)


def usable_directory(directory: str) -> Optional[Path]:
    """The cache directory, created if needed, with a `.gitignore` that keeps it out of
    commits; None, after a warning, when it cannot be used."""
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
        ignore = path / ".gitignore"
        if not ignore.is_file():
            _write_atomic(ignore, "*\n")  # never committed, wherever it lives
    except OSError as error:
        warn(f"cannot use cache directory {directory}: {error.strerror or error}; "
             "running without the cache")
        return None
    return path


class ProjectRoots:
    """Where a file's imports are found, by directory: its module name and its imports hang
    on files above it (`__init__.py`, repository markers), not on its dependencies."""

    def __init__(self, source_roots):
        self.source_roots = source_roots
        self._by_directory: dict[str, list] = {}

    def of(self, resolved: str) -> list:
        directory = os.path.dirname(resolved)
        if directory not in self._by_directory:
            project = SESSION.project_for(resolved, self.source_roots)
            self._by_directory[directory] = [str(r) for r in project.roots] if project else []
        return self._by_directory[directory]


class ResultCache:
    def __init__(self, directory: Path, config: Config, kind: str):
        self.directory = directory
        self.kind = kind
        self.cwd = os.getcwd()
        self.options = config_digest(config)
        self.hits = self.misses = self.written = 0
        self._current: dict[str, str] = {}  # dependency path → digest, each hashed once a run
        self._roots = ProjectRoots(config.source_roots)
        self._slots: Optional[dict[str, set[str]]] = None  # slot → entry names on disk
        self._lists = DependencyLists(directory)
        self._contents: dict[str, Optional[str]] = {}  # list name → digest of its files now
        self._writable = True

    @classmethod
    def open(cls, directory: str, config: Config, kind: str) -> Optional["ResultCache"]:
        """The cache in `directory`, created if needed; None, after a warning, when it
        cannot be used."""
        path = usable_directory(directory)
        return cls(path, config, kind) if path is not None else None

    # ----- keys --------------------------------------------------------------------------

    def _entry_name(self, resolved: Path, digest: str) -> str:
        slot = _hash([FORMAT, self.kind, self.cwd, str(resolved), self._roots.of(str(resolved))])
        return f"{slot}-{_hash([tool_fingerprint(), self.options, digest])}.json"

    # ----- reading -----------------------------------------------------------------------

    def load(self, path: Path, decode: Callable[[Any], T],
             digest: Optional[str] = None) -> Optional[T]:
        """What `decode` makes of the JSON data stored for a file, if an entry is still
        valid for it (one `decode` rejects by raising is a miss); `digest` is the sha256 of
        the content to check, read from disk when not given."""
        stored = self._load(path, decode, digest)
        if stored is None:
            self.misses += 1
        else:
            self.hits += 1
        return stored

    def _load(self, path: Path, decode: Callable[[Any], T],
              digest: Optional[str]) -> Optional[T]:
        try:
            resolved = resolved_path(path)
            if digest is None:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            self._current.setdefault(str(resolved), digest)  # its list names it too
            with open(self.directory / self._entry_name(resolved, digest), "rb") as handle:
                entry = json.load(handle)
        except (OSError, RuntimeError, ValueError):  # missing, unreadable or not JSON
            return None
        try:
            if entry["format"] != FORMAT or entry["tool"] != tool_fingerprint() or \
                    entry["options"] != self.options or entry["path"] != str(resolved) or \
                    entry["digest"] != digest:
                return None
            if self._contents_now(entry["dependencies"]) != entry["contents"]:
                return None
            return decode(entry["stored"])
        except (KeyError, TypeError, ValueError, AttributeError):  # not an entry of ours
            return None

    def _contents_now(self, name: str) -> Optional[str]:
        """The combined digest of the listed files as they are now; None for a list that
        is missing or damaged."""
        if name not in self._contents:
            paths = self._lists.paths(name)
            self._contents[name] = None if paths is None else \
                _combined(map(self._current_digest, paths))
        return self._contents[name]

    def _current_digest(self, path: str) -> str:
        if path not in self._current:
            self._current[path] = application_files_digest(path[len(PROJECT_FILES):]) \
                if path.startswith(PROJECT_FILES) else file_digest(Path(path), SESSION.overlay)
        return self._current[path]

    # ----- writing -----------------------------------------------------------------------

    def store(self, path: Path, digest: str, stored, dependencies: list) -> None:
        """Record fresh results (JSON data): `digest` is the content they were computed
        from and `dependencies` (path, digest) pairs of the other files they may depend
        on."""
        if not self._writable:
            return
        resolved = resolved_path(path)
        name = self._entry_name(resolved, digest)
        digests = dict(dependencies)
        paths = list(digests)
        digests[str(resolved)] = digest
        try:
            listed = self._lists.name_for(paths, str(resolved))
            entry = {"format": FORMAT, "tool": tool_fingerprint(), "options": self.options,
                     "path": str(resolved), "digest": digest, "dependencies": listed,
                     "contents": _combined(map(digests.__getitem__, self._lists.paths(listed))),
                     "stored": stored}
            _write_atomic(self.directory / name, json.dumps(entry, separators=(",", ":")))
        except OSError as error:
            self._writable = False
            warn(f"cannot write to cache directory {self.directory}: "
                 f"{error.strerror or error}; results of this run are not cached")
            return
        self.written += 1
        self._forget_older(name)

    def _forget_older(self, name: str) -> None:
        """Remove the slot's other versions: they would only pile up."""
        if self._slots is None:
            self._slots = {}
            try:
                listing = os.listdir(self.directory)
            except OSError:
                listing = []
            for other in listing:
                if other.endswith(".json") and "-" in other:
                    self._slots.setdefault(other.partition("-")[0], set()).add(other)
            self._lists.forget_unused(listing)
        slot = name.partition("-")[0]
        for other in self._slots.get(slot, set()) - {name}:
            try:
                os.unlink(self.directory / other)
            except OSError:
                pass
        self._slots[slot] = {name}

    def stats(self) -> str:
        return f"cache: {self.hits} hits, {self.misses} misses, {self.written} written"


def _combined(digests) -> str:
    return hashlib.sha256("\0".join(digests).encode()).hexdigest()


def _hash(material: list) -> str:
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()[:32]


def _write_atomic(path: Path, text: str) -> None:
    write_atomically(path, text.encode("utf-8"))
