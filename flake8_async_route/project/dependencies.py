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

import bisect
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from .layout import PROJECT_FILES, application_files_digest, file_digest, resolved_path

if TYPE_CHECKING:
    from .session import Session

# The origin whose look-ups are every project module, where each model that searched the
# project leads (see RecordedDependencies.record_search).
_PROJECT = "<project>"


class _Closure:
    """Files reached from some origins (`origins`: files whose look-ups were followed;
    `found`: those and the files probed), and the origins still to follow."""
    __slots__ = ("origins", "found", "pending")

    def __init__(self, starts: list[str]):
        self.origins = set(starts)
        self.found: set[str] = set()
        self.pending = starts


class RecordedDependencies:
    def __init__(self, session: Session, roots: tuple[Path, ...]):
        self.session = session
        self.roots = roots
        # The module names looked up on behalf of each model, by its path ("": no origin);
        # written through `use` and `record_search`, which note the origins that grew.
        self.uses: dict[str, set[str]] = {}
        self.probed: dict[str, tuple[Path, ...]] = {}
        self.digests: dict[str, str] = {}  # resolved path → sha256
        # Paths of the models whose analysis searched the whole project.
        self.searched_by: set[str] = set()
        self._resolved: dict[str, tuple[Path, str]] = {}
        self._probed_strings: dict[str, tuple[str, ...]] = {}
        # origin → (how many modules it had looked up, their files, the files probed)
        self._edges_of: dict[str, tuple[int, set[str], set[str]]] = {}
        # The closure of every project module, once one model searched the project, and
        # the origins whose look-ups grew since it was brought up to date.
        self._searched: Optional[_Closure] = None
        self._searched_sorted: list[str] = []
        self._grown: set[str] = set()

    def use(self, origin: str, module: str) -> None:
        modules = self.uses.setdefault(origin, set())
        if module not in modules:
            modules.add(module)
            self._grown.add(origin)

    def record_search(self, origin: str, modules: frozenset[str]) -> None:
        """The analysis of `origin` searched the whole project, whose modules are
        `modules`: its findings depend on each of them. They are the look-ups of one
        origin that every searching origin leads to (a set of every module for each of
        them took 540 MB on the synthetic 300k-line app)."""
        self.searched_by.add(origin)
        project = self.uses.setdefault(_PROJECT, set())
        if not modules <= project:
            project |= modules
            self._grown.add(_PROJECT)

    def files_for(self, path: Path, paths: dict[str, Optional[Path]]) -> list[str]:
        """The files the findings of the file at `path` can depend on, itself excluded:
        those of the modules it looks up, of the modules they look up, and so on, plus the
        files whose absence decided where each of those modules is (they may not exist).
        `paths` maps the module names looked for to where they were found.

        A model that searched the project depends on every project module, so every file
        reaching it shares their closure: that part is kept (`_searched`) and merged,
        not walked again for each file (the walk made a project's run quadratic)."""
        start = str(resolved_path(path))
        closure = _Closure([start, ""])
        if not self._extend(closure, paths, merge_searched=True):
            closure.found.discard(start)
            return sorted(closure.found)
        # Most of it is the kept closure: its sorted files are kept too.
        searched = self._searched.found
        if len(self._searched_sorted) != len(searched):  # it only grows
            self._searched_sorted = sorted(searched)
        files = self._searched_sorted.copy()
        if start in searched:
            del files[bisect.bisect_left(files, start)]
        for name in closure.found - searched - {start}:
            bisect.insort(files, name)
        return files

    def _extend(self, closure: _Closure, paths: dict[str, Optional[Path]],
                merge_searched: bool) -> bool:
        """Walk the edges from the closure's pending origins, breadth first; once it
        reaches a model that searched the project, take in the closure of every project
        module (when `merge_searched`) and skip the origins that closure holds. Whether
        it took that closure in."""
        covered: set[str] = set()
        for origin in closure.pending:  # grows while it is read
            if origin in covered:
                continue
            if merge_searched and origin in self.searched_by:
                merge_searched = False
                searched = self._searched_closure(paths)
                covered = searched.origins
                closure.origins |= covered
                closure.found |= searched.found
                if origin in covered:
                    continue
            targets, probed = self._edges(origin, paths)
            closure.found |= probed
            closure.found |= targets
            new = targets - closure.origins
            closure.origins |= new
            closure.pending.extend(new)
        closure.pending.clear()
        return bool(covered)

    def _searched_closure(self, paths: dict[str, Optional[Path]]) -> _Closure:
        """The closure of every project module, brought up to date with the look-ups
        recorded since it was last read."""
        if self._searched is None:
            self._searched = _Closure([_PROJECT, ""])
        else:
            self._searched.pending.extend(self._grown & self._searched.origins)
        self._grown.clear()
        self._extend(self._searched, paths, merge_searched=False)
        return self._searched

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
        else:
            self._grown.add(origin)
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
        for name in set(files).difference(self.digests):
            self.digest(name)
        digests = list(zip(files, map(self.digests.__getitem__, files)))
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
