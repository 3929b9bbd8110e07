"""What a checked file's findings depend on, recorded for the result cache.

Every look-up a model makes is recorded against that model's path (`uses`), with the
files whose existence decided where a module is (`probed`) and the content each model
was built from (`digests`). `files_for` closes over those edges.

Why this is complete even though results are memoised across files (summaries on the
project, resolved names and types on each model): every look-up is recorded against the
model whose code makes it (`origin`), once and for the life of the process, and a memoised
result about a module is computed only from that module's own code and from models it
reached through such look-ups (every call is judged in the model of the module it is
written in; see analysis/memo.py). So whatever a memo hit reuses was reached through recorded
edges, and the closure over all edges recorded so far, from whichever file, covers it.
Edges recorded for other files' questions may add files a finding did not need: a safe
superset.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from .layout import PROJECT_FILES, application_files_digest, file_digest, resolved_path

if TYPE_CHECKING:
    from .session import Session


class RecordedDependencies:
    def __init__(self, session: Session, roots: tuple[Path, ...]):
        self.session = session
        self.roots = roots
        # The module names looked up on behalf of each model, by its path ("": no origin).
        self.uses: dict[str, set[str]] = {}
        self.probed: dict[str, tuple[Path, ...]] = {}
        self.digests: dict[str, str] = {}  # resolved path → sha256
        # Paths of the models whose analysis searched the whole project.
        self.searched_by: set[str] = set()
        self._resolved: dict[str, tuple[Path, str]] = {}
        self._probed_strings: dict[str, tuple[str, ...]] = {}
        # origin → (how many modules it had looked up, their files, the files probed)
        self._edges_of: dict[str, tuple[int, set[str], set[str]]] = {}

    def files_for(self, path: Path, paths: dict[str, Optional[Path]]) -> list[str]:
        """The files the findings of the file at `path` can depend on, itself excluded:
        those of the modules it looks up, of the modules they look up, and so on, plus the
        files whose absence decided where each of those modules is (they may not exist).
        `paths` maps the module names looked for to where they were found."""
        start = str(resolved_path(path))
        files_seen = {start}
        found: set[str] = set()
        queue = [start, ""]  # "": look-ups made without an origin
        for origin in queue:  # grows while it is read: breadth first
            targets, probed = self._edges(origin, paths)
            found |= probed
            found |= targets
            new = targets - files_seen
            files_seen |= new
            queue.extend(new)
        found.discard(start)
        return sorted(found)

    def _edges(self, origin: str, paths: dict[str, Optional[Path]]) -> tuple[set, set]:
        """(the files of the modules `origin` looked up, the files probed to find them),
        kept while it looks up nothing more: every checked file's closure passes through
        the same modules, and set operations on their files beat a walk of their names."""
        modules = self.uses.get(origin, ())
        kept = self._edges_of.get(origin)
        if kept is not None and kept[0] == len(modules):
            return kept[1], kept[2]
        targets: set[str] = set()
        probed: set[str] = set()
        final = True
        for module in modules:
            probed.update(self._probed_names(module))
            target = self._resolved_path(module, paths)
            if target is not None:
                targets.add(target[1])
            elif module not in paths:
                final = False  # not looked for yet: ask again next time
        if final:
            self._edges_of[origin] = (len(modules), targets, probed)
        return targets, probed

    def _probed_names(self, module: str) -> tuple[str, ...]:
        if module not in self._probed_strings:
            self._probed_strings[module] = tuple(map(str, self.probed.get(module, ())))
        return self._probed_strings[module]

    def _resolved_path(self, module: str,
                       paths: dict[str, Optional[Path]]) -> Optional[tuple[Path, str]]:
        """The module's file, resolved, and as the string `uses` is keyed by."""
        if module not in self._resolved:
            target = paths.get(module)
            if target is None:
                return None  # not looked for yet, or not found: ask again next time
            target = resolved_path(target)
            self._resolved[module] = (target, str(target))
        return self._resolved[module]

    def digests_for(self, path: Path,
                    paths: dict[str, Optional[Path]]) -> list[tuple[str, str]]:
        """(path, sha256) of each of `files_for(path)`: what a cache entry checks; when
        the analysis of the file or of one it depends on searched the whole project (for
        the calls of a helper, say), also the project's listing: a file that appears may
        be one more caller."""
        files = self.files_for(path, paths)
        digests = [(name, self.digest(name)) for name in files]
        if str(resolved_path(path)) in self.searched_by or not self.searched_by.isdisjoint(files):
            root = str(self.roots[0])
            digests.append((PROJECT_FILES + root, application_files_digest(root)))
        return digests

    def digest(self, name: str) -> str:
        """sha256 of the content a model was built from (read now for a file never built
        from disk, such as a checked file); "absent" for a file that cannot be read."""
        if name not in self.digests:
            self.digests[name] = file_digest(Path(name), self.session.overlay)
        return self.digests[name]
